"""rota.html (the team's page) and workers/<id>.html (each worker's own printable page), rendered
with Jinja2 templates (scheduler/outputs/templates, autoescape on): self-contained, no scripts,
no external resources; they open from disk and print.

rota.html: plan status and the verifier's verdict, compliance split into "already overdue when
the plan starts" and "due within the plan", per-worker totals, a team-by-day grid (who is out
where on Tuesday), activities at one household on one day with the reason, the breach register
with sign-off state, and a week grid per worker (printing one worker-week per page). Children
by reference only: it is a team document.

workers/<id>.html: one worker's days. By reference and postcode district unless
worker_details=True, which adds the children's names and the address (that worker's page only).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..domain import Team, Worker
from ..solution import Breach, PlannedActivity, PlanResult
from .common import (
    COVER_NOTE,
    DAYS_LATE_NOTE,
    DAYS_OUT_NOTE,
    NOT_SIGNED_OFF,
    SEVERITY_NOTE,
    TRAVEL_NOTE,
    activity_label,
    by_worker,
    compliance,
    cover_reason,
    day_groups,
    district_of,
    fmt_day,
    fmt_long,
    hours,
    household_children,
    plan_days,
    plan_status,
    same_household_days,
    same_household_note,
    signoff_text,
    status_detail,
    status_text,
    verdict_text,
    week_starts,
    where_label,
    worker_totals,
)

if TYPE_CHECKING:
    from ..caseload.table import CaseloadReport


@cache
def environment() -> Environment:
    """Autoescape everywhere: every value from the inputs is text, never markup."""
    return Environment(loader=PackageLoader("scheduler.outputs", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


@dataclass(frozen=True)
class Notes:
    severity: str = SEVERITY_NOTE
    days_late: str = DAYS_LATE_NOTE
    cover: str = COVER_NOTE
    days_out: str = DAYS_OUT_NOTE
    travel: str = TRAVEL_NOTE


@dataclass
class ActivityView:
    act: PlannedActivity
    label: str
    time: str
    kind: str  # visit | meeting
    children: str
    seen_alone: str
    bedroom: str
    cover_reason: str
    same_household: str  # why several activities at this household today ('' when alone)
    place: str = ""  # worker's page: address (opt-in) or postcode district
    names: str = ""  # worker's page, opt-in


@dataclass
class DayCell:
    day: date
    note: str  # leave, not working, outside plan...
    items: list[ActivityView] = field(default_factory=list)


def _day_note(worker: Worker | None, team: Team, day: date, result: PlanResult) -> str:
    """Why a day has no work: outside the plan, an absence or a non-working day."""
    if day < result.start or day > result.end:
        return "outside plan"
    for absence in team.absences:
        if worker is not None and absence.worker_id == worker.worker_id and absence.covers(day):
            return absence.kind
    if worker is not None and day.weekday() not in worker.working_days:
        return "not working"
    return ""


def _view(act: PlannedActivity, team: Team, same: dict[tuple[date, str], str],
          details: bool | None = None) -> ActivityView:
    """details: None on team pages; False/True on a worker's own page (district / address)."""
    where = where_label(act)
    view = ActivityView(
        act=act, label=" ".join(filter(None, [activity_label(act.activity), where])),
        time=f"{act.start:%H:%M}–{act.end:%H:%M}", kind="visit" if act.activity == "visit" else "meeting",
        children=", ".join(act.child_ids), seen_alone=", ".join(act.seen_alone_child_ids),
        bedroom=", ".join(act.bedroom_child_ids), cover_reason=cover_reason(act),
        same_household=same.get((act.date, act.household_id), ""))
    if details is not None:
        district = district_of(team, act)
        view.place = district or "district not known"
        if act.location != "home":
            view.place = act.location
        elif details:
            homes = [", ".join(filter(None, [c.address, c.postcode])) for c in household_children(team, act)]
            view.place = next((h for h in homes if h), view.place)
        if details:
            view.names = ", ".join(f"{c.child_id} {c.name}" for c in household_children(team, act) if c.name)
    return view


def _same_household_map(result: PlanResult) -> dict[tuple[date, str], str]:
    return {(g.day, g.household_id): same_household_note(g) for g in same_household_days(result)}


def _worker_weeks(wid: str, worker: Worker | None, acts: list[PlannedActivity], team: Team,
                  result: PlanResult, same: dict[tuple[date, str], str]) -> list[dict[str, Any]]:
    weeks = []
    working = worker.working_days if worker is not None else (0, 1, 2, 3, 4)
    for monday in week_starts(result.start, result.end):
        week_acts = [a for a in acts if monday <= a.date < monday + timedelta(days=7)]
        todays = day_groups(week_acts)
        days = [monday + timedelta(days=i) for i in range(7)]
        # weekends only when the worker works them or something is planned on them
        days = [d for d in days if d.weekday() < 5 or d.weekday() in working or d in todays]
        cells = [DayCell(d, _day_note(worker, team, d, result), [_view(a, team, same) for a in todays.get(d, [])])
                 for d in days]
        depth = max((len(c.items) for c in cells), default=0)
        weeks.append({"monday": monday, "cells": cells, "depth": depth,
                      "travel": [sum(a.travel_minutes for a in todays.get(d, [])) if d in todays else None
                                 for d in days]})
    return weeks


def _team_weeks(result: PlanResult, team: Team, grouped: dict[str, list[PlannedActivity]],
                working_days: list[date] | None, same: dict[tuple[date, str], str]) -> list[dict[str, Any]]:
    """One table per week: a row per worker, a column per day of the plan."""
    workers = {w.worker_id: w for w in team.workers}
    days = plan_days(result, working_days)
    out = []
    for monday in week_starts(result.start, result.end):
        week_days = [d for d in days if monday <= d < monday + timedelta(days=7)]
        if not week_days:
            continue
        rows = []
        for wid, acts in grouped.items():
            todays = day_groups([a for a in acts if monday <= a.date < monday + timedelta(days=7)])
            rows.append({"wid": wid, "name": workers[wid].name if wid in workers else "",
                         "cells": [DayCell(d, _day_note(workers.get(wid), team, d, result),
                                           [_view(a, team, same) for a in todays.get(d, [])]) for d in week_days]})
        out.append({"monday": monday, "days": week_days, "rows": rows})
    return out


def _breach_rows(breaches: list[Breach], signoffs: dict[str, str] | None) -> list[dict[str, Any]]:
    rows = []
    for b in sorted(breaches, key=lambda b: (-b.severity, b.due_by, b.child_id, b.requirement)):
        state = signoff_text(signoffs, b.breach_id)
        rows.append({"b": b, "state": state, "signed": state != NOT_SIGNED_OFF,
                     "planned": b.planned_date.isoformat() if b.planned_date else "not planned"})
    return rows


def _base_context(result: PlanResult) -> dict[str, Any]:
    detail = status_detail(result)
    return {"result": result, "notes": Notes(), "fmt_day": fmt_day, "fmt_long": fmt_long, "hours": hours,
            "status": plan_status(result), "status_text": status_text(result) + (f" ({detail})" if detail else ""),
            "verdict": verdict_text(result), "verified": not result.unexplained}


def render_html(result: PlanResult, team: Team, signoffs: dict[str, str] | None = None,
                working_days: list[date] | None = None, chain_head: str | None = None,
                worker_pages: dict[str, str] | None = None, caseload: CaseloadReport | None = None,
                changes: dict[str, Any] | None = None, notices: tuple[str, ...] = ()) -> str:
    """rota.html as a string (pure). worker_pages: worker_id -> relative link of their own page;
    caseload: the rows of `rota caseload` for the same team, standard and horizon; changes: a
    re-plan's "what changed" per worker (scheduler.replan.Replan.html_context); notices: what the
    team must do by hand, e.g. children the standard plans nothing for (by id only)."""
    grouped = by_worker(result, team)
    workers = {w.worker_id: w for w in team.workers}
    same = _same_household_map(result)
    c = compliance(result)
    signed = sum(1 for b in result.breaches if signoff_text(signoffs, b.breach_id) != NOT_SIGNED_OFF)
    totals = worker_totals(result, team)
    sections = [{"wid": wid, "worker": workers.get(wid), "weeks": _worker_weeks(wid, workers.get(wid), acts, team,
                                                                                 result, same)}
                for wid, acts in grouped.items()]
    overdue = [b for b in result.breaches if b.due_by < result.start]
    within = [b for b in result.breaches if b.due_by >= result.start]
    return environment().get_template("rota.html.j2").render(
        **_base_context(result), team=team, compliance=c, signed=signed,
        statutory=sum(1 for b in result.breaches if b.level == "statutory"),
        totals=totals, workers=workers, sections=sections,
        team_weeks=_team_weeks(result, team, grouped, working_days, same),
        same_household=[{"group": g, "note": same_household_note(g)} for g in same_household_days(result)],
        overdue_rows=_breach_rows(overdue, signoffs), within_rows=_breach_rows(within, signoffs),
        unexplained=[str(v) for v in result.unexplained], chain_head=chain_head,
        worker_pages=worker_pages or {}, caseload=_caseload(caseload), changes=changes, notices=notices)


def _caseload(report: CaseloadReport | None) -> dict | None:
    if report is None:
        return None
    from ..caseload.html import caseload_context  # (not imported with the writers: it needs the model)
    return caseload_context(report)


def render_worker_page(result: PlanResult, team: Team, worker_id: str, worker_details: bool = False,
                       working_days: list[date] | None = None) -> str:
    """A worker's own printable page: their days, one week per printed page."""
    acts = by_worker(result, team).get(worker_id, [])
    try:
        worker: Worker | None = team.worker(worker_id)
    except KeyError:
        worker = None
    same = _same_household_map(result)
    todays = day_groups(acts)
    weeks = []
    for monday in week_starts(result.start, result.end):
        days = [d for d in plan_days(result, working_days) if monday <= d < monday + timedelta(days=7)]
        days += [d for d in todays if monday <= d < monday + timedelta(days=7) and d not in days]
        weeks.append({"monday": monday, "days": [
            DayCell(d, _day_note(worker, team, d, result),
                    [_view(a, team, same, details=worker_details) for a in todays.get(d, [])])
            for d in sorted(days)]})
    return environment().get_template("worker.html.j2").render(
        **_base_context(result), wid=worker_id, worker=worker, weeks=weeks, worker_details=worker_details,
        visits=sum(a.activity == "visit" for a in acts), meetings=sum(a.activity != "visit" for a in acts),
        travel=sum(a.travel_minutes for a in acts))
