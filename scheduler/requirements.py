"""Requirements from the standards: when is each child's next visit / meeting due? (pure functions)

Semantics (issue #2):
- Each rule has a trigger date (e.g. placement start) and ordered phases. Occurrences
  (visits, held meetings) on or after the trigger count.
- The reference point R is the last occurrence, or the trigger when there is none.
- The phase in force is the first whose `until` has not been reached on day D, where
  D = R + 1 day after an occurrence, or D = the trigger when there is none
  ("the cadence in force the day after the last occurrence governs the next due date";
  "with no occurrence since the trigger, due_by counts from the trigger").
- due_by = R + the phase's interval (inclusive: the latest compliant day).
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta

from .calendar import WorkingCalendar
from .domain import Child, Team
from .standards import OCCURRENCE_SOURCE, Phase, Rule, Standard


def trigger_date(child: Child, rule: Rule) -> date | None:
    """The date a rule's clock starts; None when the event has not happened (or is unknown)."""
    if rule.trigger == "status_start":
        return child.status_start_date
    if rule.trigger == "placement_start":
        return child.placement_start_date or child.status_start_date
    if rule.trigger == "first_review":
        return child.first_review_date
    if rule.trigger == "assessment_completed":
        return child.assessment_completed_date
    if rule.trigger == "date_of_birth":
        return child.date_of_birth
    raise ValueError(rule.trigger)


def event_date(child: Child, event: str) -> date | None:
    return {"first_review": child.first_review_date,
            "assessment_completed": child.assessment_completed_date}[event]


def phase_in_force(child: Child, rule: Rule, trigger: date, day: date, count: int,
                   cal: WorkingCalendar) -> Phase | None:
    """The phase governing `day`, given `count` occurrences since the trigger."""
    for phase in rule.phases:
        until = phase.until
        if until is None:
            return phase
        ended = False
        if until.after is not None and day >= cal.add(trigger, until.after):
            ended = True
        if until.event is not None:
            when = event_date(child, until.event)
            if when is not None and day > when:
                ended = True
        if until.occurrences is not None and count >= until.occurrences:
            ended = True
        if not ended:
            return phase
    return None


def due_after(child: Child, rule: Rule, trigger: date, last: date | None, count: int,
              cal: WorkingCalendar) -> date | None:
    """Latest compliant date of the next occurrence, given the last one (None: none since trigger)."""
    reference = last if last is not None else trigger
    day = last + timedelta(days=1) if last is not None else trigger
    phase = phase_in_force(child, rule, trigger, day, count, cal)
    if phase is None or phase.interval is None:
        return None
    return cal.add(reference, phase.interval)


def occurrence_dates(team: Team, child_id: str, requirement: str, on: date | None = None) -> list[date]:
    """Sorted dates of recorded occurrences of `requirement` for a child (up to `on`, inclusive)."""
    kind, detail = OCCURRENCE_SOURCE[requirement]
    if kind == "visit":
        dates = [v.date for v in team.visits if v.child_id == child_id
                 and (detail is None or getattr(v, detail))]
    else:
        dates = [m.date for m in team.meetings if m.child_id == child_id
                 and m.meeting_type == detail and m.status == "held"]
    return sorted(d for d in dates if on is None or d <= on)


def next_due(child: Child, rule: Rule, occurrences: list[date], cal: WorkingCalendar) -> tuple[date | None, date | None]:
    """(due_by, last_done) for a cadence rule, from sorted occurrence dates."""
    trigger = trigger_date(child, rule)
    if trigger is None:
        return None, occurrences[-1] if occurrences else None
    since = occurrences[bisect_left(occurrences, trigger):]
    last = since[-1] if since else None
    due = due_after(child, rule, trigger, last, len(since), cal)
    return due, (occurrences[-1] if occurrences else None)


@dataclass(frozen=True)
class Due:
    child_id: str
    requirement: str
    due_by: date | None
    last_done: date | None
    rule: Rule


def child_dues(team: Team, child: Child, standard: Standard, cal: WorkingCalendar, on: date) -> list[Due]:
    """Every applicable rule's next due date for one child (all levels)."""
    out: list[Due] = []
    visit_due: date | None = None
    exempt = bool(child.seen_alone_exempt) or child.date_of_birth is None
    cadence = [r for r in standard.rules if not r.on_every_visit and r.applies_to.matches(child, on)
               and not (r.requirement == "seen_alone" and exempt)]  # as the planner and verifier
    for rule in cadence:
        occ = occurrence_dates(team, child.child_id, rule.requirement, on)
        due, last = next_due(child, rule, occ, cal)
        out.append(Due(child.child_id, rule.requirement, due, last, rule))
        if rule.requirement == "visit" and due is not None:
            visit_due = due if visit_due is None else min(visit_due, due)
    for rule in standard.rules:
        if not rule.on_every_visit or not rule.applies_to.matches(child, on):
            continue
        if rule.requirement == "seen_alone" and exempt:
            continue  # exempt (recorded reason) or unborn: cannot be seen alone
        occ = occurrence_dates(team, child.child_id, rule.requirement, on)
        out.append(Due(child.child_id, rule.requirement, visit_due, occ[-1] if occ else None, rule))
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
