"""History that does not reach back (issue 8, item 9).

A count-based phase ("the same day, then within 5 working days, then 6 weekly") is chosen by
how many visits or meetings have happened since the rule's trigger. When the trigger is before
the earliest record the history holds for that child, the export may have been cut off: the
visits before it are unknown, so the engine counts too few and may think the child is still in
an early phase (and show a due date that is too early). The due date stays the stricter one, and
this module says so, naming the child and the rule, for `rota check --standard`, `rota due` and
`rota plan`.

The history's reach for a child is its earliest visit or held meeting; a child with no record at
all is judged against the earliest record of the whole export (with an empty history, against
the reference date). Only rules whose count-based phases have not been completed on record are
reported: once enough occurrences are on record, earlier ones cannot change the phase.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .calendar import WorkingCalendar
from .domain import Child, Team
from .requirements import applies_between, make_clock, occurrence_dates, raw_trigger, review_dates
from .standards import OCCURRENCE_SOURCE, Phase, Rule, Standard
from .textsafe import terminal_safe

TRIGGER_WORDS = {
    "status_start": "status start",
    "placement_start": "placement start",
    "first_review": "first review",
    "assessment_completed": "assessment completed",
    "date_of_birth": "date of birth",
}


@dataclass(frozen=True)
class HistoryGap:
    """One rule whose count-based phases start before the child's history does."""

    child_id: str
    rule: Rule
    trigger: str  # the trigger that started the clock
    start: date  # the clock's start
    earliest: date | None  # earliest record held for the child (None: none at all)
    reach: date  # the date the history is taken to reach back to
    counted: int  # occurrences on record since the start
    needed: int  # occurrences that complete the count-based phases

    @property
    def file(self) -> str:
        return "visits.csv" if OCCURRENCE_SOURCE[self.rule.requirement][0] == "visit" else "meetings.csv"

    def message(self) -> str:
        cid = terminal_safe(self.child_id)
        one, many = ("visit", "visits") if self.file == "visits.csv" else ("meeting", "meetings")
        held = (f"the earliest record held for {cid} is {self.earliest.isoformat()}" if self.earliest
                else f"no record is held for {cid} and the export's earliest record is {self.reach.isoformat()}")
        phases = ", ".join(f'"{p.label}"' for p in count_phases(self.rule) if p.label) or "its first phases"
        on_record = (f"The {one} that ends {phases} is not on record, so the due date assumes it never "
                     "happened" if self.needed == 1 else
                     f"{self.counted} of the {self.needed} {many} that end {phases} "
                     f"{'is' if self.counted == 1 else 'are'} on record, so the due date assumes no others "
                     "happened")
        return (f"{self.file}: child {cid}: rule {self.rule.id} counts {many} from its trigger "
                f"({TRIGGER_WORDS[self.trigger]} {self.start.isoformat()}), but {held}: the export may not "
                f"reach back far enough. {on_record} (the stricter reading); expected the history back to "
                f"{self.start.isoformat()}, or check the child's record by hand")


def count_phases(rule: Rule) -> list[Phase]:
    """The rule's phases that end after a number of occurrences."""
    return [p for p in rule.phases if p.until is not None and p.until.occurrences is not None]


def _trigger_used(team: Team, child: Child, rule: Rule) -> str:
    reviews = review_dates(team, child)
    for name in rule.triggers:
        if raw_trigger(child, name, reviews) is not None:
            return name
    return rule.triggers[0]


def _records(team: Team, on: date) -> dict[str, date]:
    """Earliest visit or held meeting per child, up to `on`."""
    first: dict[str, date] = {}
    for cid, day in [(v.child_id, v.date) for v in team.visits] + [
            (m.child_id, m.date) for m in team.meetings if m.status == "held"]:
        if day <= on and (cid not in first or day < first[cid]):
            first[cid] = day
    return first


def history_gaps(team: Team, standard: Standard, cal: WorkingCalendar, on: date,
                 last: date | None = None) -> list[HistoryGap]:
    """Count-based rules whose trigger is before the history held for the child, for every rule
    that applies on `on` (or on some day of [on, last], e.g. a plan's horizon)."""
    earliest = _records(team, on)
    export_reach = min(earliest.values(), default=on)
    gaps: list[HistoryGap] = []
    for child in sorted(team.children, key=lambda c: c.child_id):
        for rule in standard.rules:
            phases = count_phases(rule)
            if rule.on_every_visit or not phases or not applies_between(rule, child, on, last or on):
                continue
            clock = make_clock(child, rule, cal, team)
            if clock is None:
                continue
            reach = earliest.get(child.child_id, export_reach)
            if clock.start >= reach:
                continue
            needed = max(p.until.occurrences for p in phases if p.until and p.until.occurrences)
            counted = sum(1 for d in occurrence_dates(team, child.child_id, rule.requirement, on)
                          if d >= clock.start)
            if counted >= needed:
                continue  # enough on record: earlier occurrences cannot change the phase
            gaps.append(HistoryGap(child.child_id, rule, _trigger_used(team, child, rule),
                                   clock.start, earliest.get(child.child_id), reach, counted, needed))
    return gaps


def history_warnings(team: Team, standard: Standard, cal: WorkingCalendar, on: date,
                     last: date | None = None) -> list[str]:
    """The warnings as lines (no personal details: child references and dates only)."""
    return [g.message() for g in history_gaps(team, standard, cal, on, last)]
