"""Small helpers shared by the output writers (grouping, labels, privacy-safe child labels)."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from ..domain import Team
from ..signoff import NOT_SIGNED_OFF  # one wording everywhere
from ..solution import PlannedActivity, PlanResult

_ACTIVITY_LABELS = {
    "visit": "Visit",
    "strategy": "Strategy meeting",
    "icpc": "ICPC",
    "core_group": "Core group",
    "rcpc": "RCPC",
    "cin_review": "CIN review",
    "cic_review": "CiC review",
    "pathway_review": "Pathway review",
    "pep": "PEP",
    "supervision": "Supervision",
}


def activity_label(activity: str) -> str:
    return _ACTIVITY_LABELS.get(activity, activity.replace("_", " ").capitalize())


def where_label(act: PlannedActivity) -> str:
    """'at school' for a school visit, '' at home (the default; field added with school visits)."""
    location = getattr(act, "location", "home") or "home"
    return "" if location == "home" else f"at {location}"


def worker_ids(result: PlanResult, team: Team) -> list[str]:
    """Every team worker (team order), then any worker only the plan mentions (sorted)."""
    ids = [w.worker_id for w in team.workers]
    extra = sorted({a.worker_id for a in result.activities} - set(ids))
    return ids + extra


def by_worker(result: PlanResult, team: Team) -> dict[str, list[PlannedActivity]]:
    """Activities per worker in time order; every worker has an entry (maybe empty)."""
    grouped: dict[str, list[PlannedActivity]] = {wid: [] for wid in worker_ids(result, team)}
    for act in result.activities:
        grouped[act.worker_id].append(act)
    for acts in grouped.values():
        acts.sort(key=lambda a: (a.date, a.start, a.end, a.household_id))
    return grouped


def week_starts(start: date, end: date) -> list[date]:
    """Mondays of the weeks that touch [start, end] (inclusive)."""
    monday = start - timedelta(days=start.weekday())
    weeks = []
    while monday <= end:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def child_label(team: Team, child_id: str, show_names: bool = False) -> str:
    """The child reference; with the opt-in, 'REF (Name)' where a name is known."""
    if show_names:
        try:
            name = team.child(child_id).name
        except KeyError:
            name = None
        if name:
            return f"{child_id} ({name})"
    return child_id


def household_point(team: Team, act: PlannedActivity) -> tuple[float, float] | None:
    """Where an activity happens: its household (children of a household share coordinates)."""
    for cid in act.child_ids:
        try:
            child = team.child(cid)
        except KeyError:
            continue
        return (child.lat, child.lon)
    for child in team.children:
        if child.household_id == act.household_id:
            return (child.lat, child.lon)
    return None


def signoff_text(signoffs: dict[str, str] | None, breach_id: str) -> str:
    return (signoffs or {}).get(breach_id, NOT_SIGNED_OFF)


def safe_filename(worker_id: str) -> str:
    """A worker id as a file name: no path separators or odd characters."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", worker_id).lstrip(".")
    return cleaned or "_"


@dataclass(frozen=True)
class WorkerTotals:
    visits: int
    meetings: int
    travel_minutes: int
    cover: int
    days_out: int  # days with at least one activity


def worker_totals(result: PlanResult, team: Team) -> dict[str, WorkerTotals]:
    totals: dict[str, WorkerTotals] = {}
    for wid, acts in by_worker(result, team).items():
        totals[wid] = WorkerTotals(
            visits=sum(1 for a in acts if a.activity == "visit"),
            meetings=sum(1 for a in acts if a.activity != "visit"),
            travel_minutes=sum(a.travel_minutes for a in acts),
            cover=sum(1 for a in acts if a.cover),
            days_out=len({a.date for a in acts}),
        )
    return totals


def day_groups(acts: list[PlannedActivity]) -> dict[date, list[PlannedActivity]]:
    days: dict[date, list[PlannedActivity]] = defaultdict(list)
    for a in acts:
        days[a.date].append(a)
    return dict(days)
