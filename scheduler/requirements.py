"""Requirements from the standards: which rules apply to a child on a date, when their clocks
start and when their phases end, and when each child's next visit or meeting is due.

Pure functions, and the one home of these definitions: `rota due`, the CP-SAT model
(scheduler.model.problem) and the independent verifier all read them.

Semantics (issue #2, made safe by issue #8):
- A rule applies to a child on a date when every condition of its `applies_to` holds on that
  date (ages are completed years on that date, so a birthday inside a plan changes what applies
  from that day on). A looked-after child whose placement type is not recorded is treated as in
  every placement type (the strictest looked-after rules apply; `rota check` warns); likewise a
  child on a child protection plan whose category is not recorded is treated as in every
  category (e.g. Dorset's bedroom-on-every-visit rule for neglect applies).
- A rule's clock starts at its trigger: the first of its listed triggers the child has a date
  for. Occurrences (visits, held meetings) on or after the start count. A rule that starts to
  apply on a birthday is due on that birthday at the latest (not before it applies); a due date
  after the last day a rule applies is not required.
- An event that ends a phase (`until: {event: first_review}`) is the first such event on or
  after the clock's start: a first review recorded in children.csv, or a held review meeting in
  meetings.csv, whichever is earlier; a review before the trigger (e.g. before the current
  placement) never ends a phase.
- The reference point R is the last occurrence, or the start when there is none. The phase in
  force is the first whose `until` has not been reached on day D, where D = R + 1 day after an
  occurrence, or D = the start when there is none ("the cadence in force the day after the last
  occurrence governs the next due date"). due_by = R + the phase's interval (inclusive: the
  latest compliant day).
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from .calendar import WorkingCalendar, add_months
from .domain import Child, Team
from .policy import severity as status_severity
from .standards import OCCURRENCE_SOURCE, PLANNED_REQUIREMENTS, REVIEW_MEETING, AppliesTo, Phase, Rule, Standard

# ------------------------------------------------------------------ who is exempt, what applies

def cannot_be_seen_alone(child: Child) -> bool:
    """A recorded reason not to see the child alone (children.csv seen_alone_exempt), or unborn."""
    return bool(child.seen_alone_exempt) or child.date_of_birth is None


def placement_unknown(child: Child) -> bool:
    """A looked-after child with no placement type recorded: every placement type's rules apply."""
    return child.status == "cic" and child.placement_type is None


def category_unknown(child: Child) -> bool:
    """A child on a child protection plan with no category recorded: every category's rules apply."""
    return child.status == "cp" and child.cp_category is None


def matches(cond: AppliesTo, child: Child, on: date) -> bool:
    """Does every condition hold for the child on `on`?"""
    if cond.placement_type and placement_unknown(child):
        cond = cond.model_copy(update={"placement_type": ()})  # the stricter reading: any placement
    if cond.cp_category and category_unknown(child):
        cond = cond.model_copy(update={"cp_category": ()})  # the stricter reading: any category
    return cond.matches(child, on)


def rules_for(standard: Standard, child: Child, requirement: str, on: date) -> list[Rule]:
    """The standard's rules for one requirement whose conditions hold for the child on `on` (as
    the engine reads them, e.g. an unknown placement type is any type)."""
    return [r for r in standard.rules if r.requirement == requirement and matches(r.applies_to, child, on)]


def applies(rule: Rule, child: Child, on: date) -> bool:
    if not matches(rule.applies_to, child, on):
        return False
    return not (rule.requirement == "seen_alone" and cannot_be_seen_alone(child))


def applies_between(rule: Rule, child: Child, first: date, last: date) -> bool:
    """Does the rule apply to the child on some day of [first, last]?"""
    span = age_span(rule.applies_to, child)
    if span is None:
        return applies(rule, child, first)
    lo, hi = span
    day = max(first, lo) if lo else first
    return day <= last and (hi is None or day <= hi) and applies(rule, child, day)


def planned_rule(rule: Rule, child: Child, first: date, last: date) -> bool:
    """Is this a rule the rota plans for the child in [first, last]: a visit or meeting with a
    cadence (supervision is reported by `rota due`, not planned as a child activity) that applies
    on some day of it? The model's cadences (Problem.cadences) are these rules."""
    return rule.requirement in PLANNED_REQUIREMENTS and not rule.on_every_visit \
        and applies_between(rule, child, first, last)


def planned_rules_apply(standard: Standard, child: Child, first: date, last: date) -> bool:
    """Does a rule the rota plans apply to the child on some day of [first, last]?"""
    return any(planned_rule(r, child, first, last) for r in standard.rules)


def nothing_planned(team: Team, standard: Standard, first: date, last: date) -> list[str]:
    """The ids of the children for whom the standard requires no visit (nor any meeting the rota
    plans) in [first, last], e.g. a privately fostered child under a standard without private
    fostering rules: the rota schedules them nothing, so someone must plan their visits by hand."""
    return sorted(c.child_id for c in team.children if not planned_rules_apply(standard, c, first, last))


def nothing_planned_note(child_ids: list[str], standard: Standard) -> str:
    """What to tell the team about those children (by id only: never a name)."""
    many = len(child_ids) != 1
    return (f"{len(child_ids)} {'children have' if many else 'child has'} no visiting requirement in the "
            f"{standard.key} standards, so the rota plans nothing for {'them' if many else 'it'}: "
            f"{', '.join(child_ids)} - plan {'their' if many else 'the'} visits by hand "
            "(e.g. private fostering regulations)")


def age_span(cond: AppliesTo, child: Child) -> tuple[date | None, date | None] | None:
    """(first, last) day an age condition holds for a child with a date of birth (None: no age
    condition, or an unborn child whose age conditions do not move)."""
    dob = child.date_of_birth
    if dob is None or (cond.age_min is None and cond.age_max is None):
        return None
    first = birthday(dob, cond.age_min) if cond.age_min is not None else None
    last = birthday(dob, cond.age_max + 1) - timedelta(days=1) if cond.age_max is not None else None
    return first, last


def birthday(dob: date, years: int) -> date:
    """The day a child born on `dob` completes `years` years (29 Feb -> 28 Feb in other years)."""
    return add_months(dob, 12 * years)


def cadence_rules(standard: Standard, child: Child, on: date, planned_only: bool = False) -> list[Rule]:
    """Rules with a cadence (not every-visit rules) that apply to the child on `on`."""
    return [r for r in standard.rules if not r.on_every_visit and applies(r, child, on)
            and (not planned_only or r.requirement in PLANNED_REQUIREMENTS)]


def every_visit_rules(standard: Standard, child: Child, on: date, requirement: str | None = None) -> list[Rule]:
    """Rules requiring something at every visit (seen alone, bedroom) that apply on `on`."""
    return [r for r in standard.rules if r.on_every_visit and applies(r, child, on)
            and (requirement is None or r.requirement == requirement)]


def needs_alone(standard: Standard, child: Child, day: date) -> bool:
    """Must a visit on `day` see the child alone? Yes unless exempt or unborn, when a rule requires
    it at every visit or a seen-alone cadence applies (the planner makes every such visit one where
    the child is seen alone, so the cadence is met by any visit)."""
    if cannot_be_seen_alone(child):
        return False
    return any(r.requirement == "seen_alone" and applies(r, child, day) for r in standard.rules)


def effective_level(standard: Standard, child: Child, rule: Rule, on: date) -> str:
    """A local rule counts as less severe only where a statutory rule for the same requirement
    also applies to the child; a document's only level is its minimum (e.g. Devon's CP visits,
    whose statutory column says "None in place")."""
    if rule.level == "statutory":
        return "statutory"
    others = [r for r in standard.rules if r.requirement == rule.requirement and r.level == "statutory"
              and r.on_every_visit == rule.on_every_visit and applies(r, child, on)]
    return "local" if others else "statutory"


def rule_severity(standard: Standard, child: Child, rule: Rule, on: date) -> int:
    return status_severity(child, effective_level(standard, child, rule, on))


# ------------------------------------------------------------------ occurrences

def occurrence_dates(team: Team, child_id: str, requirement: str, on: date | None = None) -> list[date]:
    """Sorted dates of recorded occurrences of `requirement` for a child (up to `on`, inclusive):
    visits (with the seen-alone / bedroom flag where the requirement needs it) and held meetings."""
    kind, detail = OCCURRENCE_SOURCE[requirement]
    if kind == "visit":
        dates = [v.date for v in team.visits if v.child_id == child_id
                 and (detail is None or getattr(v, detail))]
    else:
        dates = [m.date for m in team.meetings if m.child_id == child_id
                 and m.meeting_type == detail and m.status == "held"]
    return sorted(d for d in dates if on is None or d <= on)


def review_dates(team: Team, child: Child) -> list[date]:
    """Held review meetings of the child's status (cic_review for looked-after children, rcpc for
    child protection, cin_review for children in need)."""
    kind = REVIEW_MEETING.get(child.status)
    if kind is None:
        return []
    return sorted(m.date for m in team.meetings
                  if m.child_id == child.child_id and m.meeting_type == kind and m.status == "held")


# ------------------------------------------------------------------ clocks

def _first_on_or_after(dates: list[date | None], start: date) -> date | None:
    found = [d for d in dates if d is not None and d >= start]
    return min(found) if found else None


def raw_trigger(child: Child, trigger: str, reviews: list[date]) -> date | None:
    """The date of one trigger for the child (None: it has not happened, or is unknown)."""
    if trigger == "status_start":
        return child.status_start_date
    if trigger == "placement_start":
        # no placement start recorded: the status start (earlier, so the stricter clock)
        return child.placement_start_date or child.status_start_date
    if trigger == "first_review":
        return _first_on_or_after([child.first_review_date, *reviews], child.status_start_date)
    if trigger == "assessment_completed":
        return child.assessment_completed_date
    if trigger == "date_of_birth":
        return child.date_of_birth
    raise ValueError(trigger)


@dataclass(frozen=True)
class Clock:
    """One rule's clock for one child: when it starts, when its phases end, until when it applies."""

    child: Child
    rule: Rule
    start: date  # the trigger
    events: dict[str, date | None]  # event name -> first such event on or after `start`
    since: date | None  # first day the rule applies (an age condition); None: from the start
    until: date | None  # last day the rule applies (an age limit); None: no end
    cal: WorkingCalendar = field(repr=False)

    def phase_on(self, day: date, count: int) -> Phase | None:
        """The phase governing `day`, given `count` occurrences since the start."""
        for phase in self.rule.phases:
            until = phase.until
            if until is None:
                return phase
            ended = False
            if until.after is not None and day >= self.cal.add(self.start, until.after):
                ended = True
            if until.event is not None:
                when = self.events.get(until.event)
                if when is not None and day > when:
                    ended = True
            if until.occurrences is not None and count >= until.occurrences:
                ended = True
            if not ended:
                return phase
        return None

    def due_after(self, last: date | None, count: int) -> date | None:
        """Latest compliant date of the next occurrence, given the last one (None: none since the
        start) and the number since the start; None when nothing further is required."""
        reference = last if last is not None else self.start
        day = last + timedelta(days=1) if last is not None else self.start
        phase = self.phase_on(day, count)
        if phase is None or phase.interval is None:
            return None
        due = self.cal.add(reference, phase.interval)
        if self.since is not None and due < self.since:
            due = self.since  # a rule that starts to apply on a birthday is due then at the latest
        if self.until is not None and due > self.until:
            return None  # the rule no longer applies by then (e.g. the child has turned 18)
        return due


def make_clock(child: Child, rule: Rule, cal: WorkingCalendar, records: Team | None = None) -> Clock | None:
    """The rule's clock for the child (None: none of its triggers has a date yet)."""
    reviews = review_dates(records, child) if records is not None else []
    start = None
    for trigger in rule.triggers:
        start = raw_trigger(child, trigger, reviews)
        if start is not None:
            break
    if start is None:
        return None
    since, until = age_span(rule.applies_to, child) or (None, None)
    events = {"first_review": _first_on_or_after([child.first_review_date, *reviews], start),
              "assessment_completed": _first_on_or_after([child.assessment_completed_date], start)}
    return Clock(child, rule, start, events, since, until, cal)


def trigger_date(child: Child, rule: Rule, records: Team | None = None) -> date | None:
    """When a rule's clock starts for the child (None: not yet)."""
    clock = make_clock(child, rule, WorkingCalendar(), records)
    return clock.start if clock else None


def phase_in_force(child: Child, rule: Rule, trigger: date, day: date, count: int,
                   cal: WorkingCalendar, records: Team | None = None) -> Phase | None:
    """The phase governing `day` for a clock started on `trigger`."""
    clock = make_clock(child, rule, cal, records)
    if clock is None:
        return None
    return replace(clock, start=trigger).phase_on(day, count)


def next_due(child: Child, rule: Rule, occurrences: list[date], cal: WorkingCalendar,
             records: Team | None = None) -> tuple[date | None, date | None]:
    """(due_by, last_done) for a cadence rule, from sorted occurrence dates."""
    clock = make_clock(child, rule, cal, records)
    if clock is None:
        return None, occurrences[-1] if occurrences else None
    since = occurrences[bisect_left(occurrences, clock.start):]
    last = since[-1] if since else None
    due = clock.due_after(last, len(since))
    return due, (occurrences[-1] if occurrences else None)


# ------------------------------------------------------------------ what is due for a child

@dataclass(frozen=True)
class Due:
    child_id: str
    requirement: str
    due_by: date | None
    last_done: date | None
    rule: Rule
    level: str = "statutory"  # effective level (see effective_level)


def child_dues(team: Team, child: Child, standard: Standard, cal: WorkingCalendar, on: date) -> list[Due]:
    """Every applicable rule's next due date for one child (all levels)."""
    out: list[Due] = []
    visit_due: date | None = None
    for rule in cadence_rules(standard, child, on):
        occ = occurrence_dates(team, child.child_id, rule.requirement, on)
        due, last = next_due(child, rule, occ, cal, team)
        out.append(Due(child.child_id, rule.requirement, due, last, rule, effective_level(standard, child, rule, on)))
        if rule.requirement == "visit" and due is not None:
            visit_due = due if visit_due is None else min(visit_due, due)
    for rule in every_visit_rules(standard, child, on):
        occ = occurrence_dates(team, child.child_id, rule.requirement, on)
        out.append(Due(child.child_id, rule.requirement, visit_due, occ[-1] if occ else None, rule,
                       effective_level(standard, child, rule, on)))
    return out


def strictest(dues: list[Due]) -> list[Due]:
    """One row per requirement: the earliest due date (on a tie the authority's own, local level)."""
    best: dict[str, Due] = {}
    for d in dues:
        cur = best.get(d.requirement)
        if cur is None or (d.due_by is not None and (
                cur.due_by is None or d.due_by < cur.due_by
                or (d.due_by == cur.due_by and d.rule.level == "local" and cur.rule.level != "local"))):
            best[d.requirement] = d
    return list(best.values())
