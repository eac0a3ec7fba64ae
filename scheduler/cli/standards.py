"""`rota standards`: the shipped standards, or one authority's rules in plain English for managers.

Everything a rule says is written out in words (who it applies to, when its clock starts, each
phase's cadence and when it ends, the level, the document's own words); no codes or data
structures are printed except the children.csv column names a manager fills in.
"""
from __future__ import annotations

import textwrap

import click

from ..calendar import Duration
from ..standards import (
    MEETING_REQUIREMENTS,
    REQUIREMENTS,
    AppliesTo,
    Citation,
    Phase,
    Rule,
    Standard,
    available_standards,
    load_standard,
)
from .options import load_standard_or_exit

WIDTH = 100

REQUIREMENT_HEADINGS = {
    "visit": "Visits",
    "seen_alone": "Seeing the child alone",
    "bedroom": "Seeing the bedroom (sleeping arrangements, accommodation)",
    "core_group": "Core group meetings",
    "cp_review": "Review child protection conferences",
    "cin_review": "Child in need meetings and reviews",
    "cic_review": "Child in care reviews",
    "pathway_review": "Pathway plan reviews",
    "pep": "Personal education plan (PEP) meetings",
    "supervision": "Case supervision (reported by rota due, not planned in the rota)",
}
# what one occurrence of a requirement is, in words (singular, plural)
OCCURRENCE = {
    "visit": ("visit", "visits"),
    "seen_alone": ("visit seeing the child alone", "visits seeing the child alone"),
    "bedroom": ("visit seeing the bedroom", "visits seeing the bedroom"),
    "supervision": ("supervision record", "supervision records"),
}
STATUS_WORDS = {
    "early_help": "children receiving early help",
    "cin": "children in need",
    "s47": "children under a section 47 enquiry",
    "cp": "children on a child protection plan",
    "cic": "children in care",
    "care_leaver": "care leavers",
    "private_fostering": "privately fostered children",
}
PLACEMENT_WORDS = {
    "foster": "in foster care",
    "residential": "in a children's home",
    "connected_person": "with a connected person (family or friends carer)",
    "parent_ico": "with parents under an interim care order",
    "parent_care_order": "at home with parents under a care order",
    "adoption": "for adoption",
    "other_setting": "in a setting another organisation runs (e.g. YOI, health care)",
    "short_breaks": "in a series of short breaks",
}
CATEGORY_WORDS = {
    "neglect": "neglect", "physical": "physical abuse", "emotional": "emotional abuse",
    "sexual": "sexual abuse", "multiple": "multiple categories",
}
TRIGGER_WORDS = {
    "status_start": "the status start date",
    "placement_start": "the start of the current placement (the status start date if none is recorded)",
    "first_review": "the first review",
    "assessment_completed": "the date the assessment was completed",
    "date_of_birth": "the date of birth",
}
UNIT_WORDS = {
    "working_days": ("working day", "working days"),
    "calendar_days": ("calendar day", "calendar days"),
    "weeks": ("week", "weeks"),
    "months": ("calendar month", "calendar months"),
    "years": ("year", "years"),
}


def _either(words: list[str], joiner: str = "or") -> str:
    if len(words) <= 2:
        return f" {joiner} ".join(words)
    return ", ".join(words[:-1]) + f" {joiner} " + words[-1]


def duration_words(d: Duration) -> str:
    """'5 working days', '1 calendar month', '24 hours (the next calendar day)', 'the same day'."""
    if d.amount == 0:
        return "the same day"
    if d.unit == "hours":  # 24/48/72 hours end on the 1st/2nd/3rd calendar day after
        days = d.amount // 24
        return f"{d.amount} hours ({'the next calendar day' if days == 1 else f'{days} calendar days'})"
    one, many = UNIT_WORDS[d.unit]
    return f"{d.amount} {one if d.amount == 1 else many}"


def who_words(cond: AppliesTo) -> str:
    """The children a rule applies to, in words."""
    who = _either([f"{STATUS_WORDS[s]} ({s})" for s in cond.status]) if cond.status else "every child"
    parts: list[str] = []
    if cond.placement_type:
        parts.append("placed " + _either([PLACEMENT_WORDS[p] for p in cond.placement_type])
                     + " (or with no placement type recorded)")
    if cond.placement_long_term is True:
        parts.append("in a placement formally agreed as permanent (children.csv placement_long_term: yes)")
    elif cond.placement_long_term is False:
        parts.append("not in a placement formally agreed as permanent")
    if cond.cp_category:
        parts.append("whose plan category is " + _either([CATEGORY_WORDS[c] for c in cond.cp_category])
                     + " (or is not recorded)")
    if cond.age_min is not None and cond.age_max is not None:
        parts.append(f"aged {cond.age_min} to {cond.age_max} (completed years, judged on each date)")
    elif cond.age_min is not None:
        parts.append(f"aged {cond.age_min} or over (judged on each date)")
    elif cond.age_max is not None:
        parts.append(f"aged {cond.age_max} or under (judged on each date)")
    if cond.unborn is True:
        parts.append("unborn")
    elif cond.unborn is False:
        parts.append("born")
    if cond.visit_reduction_agreed is True:
        parts.append("with the reduction in visits agreed as the document requires "
                     "(children.csv visit_reduction_agreed: yes)")
    elif cond.visit_reduction_agreed is False:
        parts.append("without an agreed reduction in visits (children.csv visit_reduction_agreed: no)")
    return who + (", " + ", ".join(parts) if parts else "")


def _count(requirement: str, n: int) -> str:
    one, many = OCCURRENCE.get(requirement, ("meeting", "meetings"))
    return f"{n} {one if n == 1 else many}"


def until_words(phase: Phase, requirement: str) -> str:
    """When a phase ends, in words (the earliest of its conditions)."""
    if phase.until is None:
        return "from then on"
    ends: list[str] = []
    if phase.until.after is not None:
        ends.append(f"{duration_words(phase.until.after)} after the clock starts")
    if phase.until.event == "first_review":
        ends.append("the first review held on or after the clock starts (children.csv first_review_date, "
                    "or a held review in meetings.csv)")
    elif phase.until.event == "assessment_completed":
        ends.append("the assessment is completed (a completion on or after the clock starts)")
    if phase.until.occurrences is not None:
        n = phase.until.occurrences
        done = "held" if requirement in MEETING_REQUIREMENTS else "made"
        ends.append(f"the first {_count(requirement, 1)[2:]} is {done}" if n == 1
                    else f"{_count(requirement, n)} have been {done} since the clock started")
    return "until " + (ends[0] if len(ends) == 1 else "the earliest of: " + "; ".join(ends))


def phase_words(phase: Phase, requirement: str) -> str:
    if phase.interval is None:
        cadence = "nothing further is required by this rule"
    elif phase.interval.amount == 0:
        cadence = "on the same day"
    elif phase.until is not None and phase.until.occurrences is not None:
        cadence = f"within {duration_words(phase.interval)}"
    else:
        every = duration_words(phase.interval)
        cadence = f"at least every {every[2:] if every.startswith('1 ') else every}"
    label = f"{phase.label}: " if phase.label else ""
    return f"{label}{cadence}, {until_words(phase, requirement)}"


def citation_words(c: Citation, std: Standard) -> str:
    """'"section": "quote"' (the document is named once, at the top), or another file's name first."""
    where = "" if c.file in (None, std.source.file) else f"{c.file}, "
    return f'{where}"{c.section}": "{c.quote}"'


def _wrap(text: str, indent: str, first: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent + first, break_on_hyphens=False,
                         subsequent_indent=indent + " " * len(first)) or [indent + first]


def rule_lines(rule: Rule, std: Standard) -> list[str]:
    level = ("statutory minimum" if rule.level == "statutory" else
             "the authority's own good practice (weighted as statutory where no statutory rule for the "
             "same requirement applies to the child)")
    out = _wrap(f"For {who_words(rule.applies_to)}.", "  ", "- ")
    out += _wrap(f"Rule [{rule.id}], level: {level}.", "    ")
    if rule.on_every_visit:
        what = {"seen_alone": "The child is seen alone", "bedroom": "The bedroom is seen"}[rule.requirement]
        extra = (" unless children.csv seen_alone_exempt gives a reason or the child is unborn"
                 if rule.requirement == "seen_alone" else "")
        out += _wrap(f"{what} on every visit{extra}.", "    ")
    else:
        starts = ", or if there is none, ".join(TRIGGER_WORDS[t] for t in rule.triggers)
        out += _wrap(f"clock starts: {starts}.", "    ")
        for i, phase in enumerate(rule.phases, 1):
            out += _wrap(phase_words(phase, rule.requirement) + ".", "    ", f"{i}. ")
    out += _wrap(citation_words(rule.citation, std), "    ", "source: ")
    for c in rule.also:
        out += _wrap(citation_words(c, std), "    ", "also: ")
    if rule.note:
        out += _wrap(" ".join(rule.note.split()), "    ", "reading: ")
    return out


def standard_lines(std: Standard) -> list[str]:
    """One authority's standard, in plain English."""
    out = [f"{std.authority}: {std.source.title}",
           "Every quotation below is from this document, under the section heading given.", ""]
    out += _wrap("Each interval is counted from the last visit or meeting that meets the rule, or from the "
                 "clock's start when there is none; the cadence in force the day after the last one decides "
                 "the next due date. Where several rules apply to a child, the earliest due date wins.", "")
    if std.status_start:
        out += ["", "What the status start date (children.csv status_start_date) means here:"]
        for status, meaning in std.status_start.items():
            out += _wrap(f"{STATUS_WORDS.get(status, status)} ({status}): {meaning}", "  ", "- ")
    if std.notes:
        out += ["", "How this document is read:"]
        for note in std.notes:
            out += _wrap(" ".join(note.split()), "  ", "- ")
    for requirement in REQUIREMENTS:
        rules = [r for r in std.rules if r.requirement == requirement]
        if not rules:
            continue
        out += ["", REQUIREMENT_HEADINGS[requirement]]
        for rule in rules:
            out += rule_lines(rule, std)
    if std.silent:
        out += ["", "Not covered by this document (nothing is borrowed from other authorities):"]
        for sil in std.silent:
            heading = REQUIREMENT_HEADINGS.get(sil.requirement, sil.requirement).split(" (")[0].lower()
            who = _either([STATUS_WORDS.get(s, s) for s in sil.status], "and") if sil.status else "anyone"
            out += _wrap(f"{heading} for {who}: {' '.join(sil.note.split())}", "  ", "- ")
    if std.not_modelled:
        out += ["", "Timescales in the document that the input data cannot schedule:"]
        for nm in std.not_modelled:
            out += _wrap(f"{nm.what}. Why: {' '.join(nm.why.split())}", "  ", "- ")
            out += _wrap(citation_words(nm.citation, std), "    ", "source: ")
    return out


@click.command()
@click.argument("name", required=False)
def standards(name: str | None) -> None:
    """List the shipped standards, or print one authority's rules in plain English with citations."""
    if name is None:
        for key in available_standards():
            s = load_standard(key)
            click.echo(f"{key:10} {s.authority}: {s.source.title} ({len(s.rules)} rules)")
        click.echo("Show one: rota standards NAME")
        return
    click.echo("\n".join(standard_lines(load_standard_or_exit(name))))
