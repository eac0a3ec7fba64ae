"""From solver values to a timed rota: each worker-day's stops in their best order (exact, by
scheduler.routes: least travel among the orders that fit the day and every stop's time window),
with the reason for every cover visit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..clock import at_minutes
from ..domain import Child, Worker
from ..policy import MEETING_MINUTES, eligible, visit_minutes
from ..routes import Stop as RouteStop
from ..routes import Timed
from ..solution import PlannedActivity
from .families import continuity
from .problem import Problem
from .share import Window
from .solve import Solved
from .variables import AFTER_SCHOOL_WINDOW, ANY_TIME, SCHOOL_WINDOW


@dataclass(frozen=True)
class Stop:
    kind: str  # home | school | meeting
    household_id: str
    activity: str
    children: tuple[Child, ...]
    alone: tuple[str, ...]
    bedroom: tuple[str, ...]
    minutes: int
    window: tuple[int, int]


def stops_for(solved: Solved, pb: Problem) -> dict[tuple[str, int], list[Stop]]:
    xs = solved.built.v
    out: dict[tuple[str, int], list[Stop]] = {}
    children = {c.child_id: c for c in pb.team.children}
    for (hid, di, wid, kind), x in sorted(xs.home.items()):
        if not solved.value(x):
            continue
        day = pb.days[di]
        kids = pb.visit_children(hid, pb.team.worker(wid), day, kind)
        alone = tuple(c.child_id for c in kids if pb.needs_alone(c, day))
        bedroom = tuple(c.child_id for c in kids if pb.has_bedroom_rule(c, day))
        window = AFTER_SCHOOL_WINDOW if kind == "after_school" else ANY_TIME
        out.setdefault((wid, di), []).append(Stop(
            "home", hid, "visit", kids, alone, bedroom, visit_minutes(len(kids), len(alone)), window))
    for (cid, di, wid), x in sorted(xs.school.items()):
        if not solved.value(x):
            continue
        c = children[cid]
        alone = (cid,) if pb.needs_alone(c, pb.days[di]) else ()
        out.setdefault((wid, di), []).append(Stop(
            "school", c.household_id, "visit", (c,), alone, (), visit_minutes(1, len(alone)), SCHOOL_WINDOW))
    for (cid, act, di, wid), x in sorted(xs.meet.items()):
        if not solved.value(x):
            continue
        c = children[cid]
        out.setdefault((wid, di), []).append(Stop(
            "meeting", c.household_id, act, (c,), (), (), MEETING_MINUTES[act], ANY_TIME))
    return out


def activities(solved: Solved, pb: Problem) -> list[PlannedActivity]:
    out: list[PlannedActivity] = []
    all_stops = stops_for(solved, pb)
    by_day = {(wid, pb.days[di]): stops for (wid, di), stops in all_stops.items()}
    for (wid, di), stops in sorted(all_stops.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        w: Worker = pb.team.worker(wid)
        day = pb.days[di]
        timed = _route(pb, w, day, stops)
        if timed is None:  # the solver's route cuts make this unreachable; never write a day that does not fit
            raise RuntimeError(f"worker {wid} on {day}: the planned stops do not fit the day")
        for t in timed:
            s = stops[int(t.stop.key)]  # type: ignore[call-overload]
            cover = any(c.allocated_worker_id != wid for c in s.children)
            out.append(PlannedActivity(
                date=day, start=at_minutes(t.start), end=at_minutes(t.end), worker_id=wid, activity=s.activity,
                household_id=s.household_id, child_ids=tuple(c.child_id for c in s.children),
                seen_alone_child_ids=s.alone, bedroom_child_ids=s.bedroom, travel_minutes=t.travel,
                cover=cover, location="school" if s.kind == "school" else "home",
                cover_reason=cover_reason(pb, w, s, day, by_day) if cover else ""))
    out.sort(key=lambda a: (a.date, a.worker_id, a.start))
    return out


def _route(pb: Problem, w: Worker, day: date, stops: list[Stop]) -> list[Timed] | None:
    """The day's best route; in a re-plan, keeping as many of the previous plan's start times as
    the day allows (continuity.route_keeping_times)."""
    return continuity.route_keeping_times(pb, w, day, _route_stops(pb, stops), [_described(s) for s in stops])[0]


def _route_stops(pb: Problem, stops: list[Stop]) -> list[RouteStop]:
    return [RouteStop(i, pb.location(s.household_id), s.minutes, *s.window) for i, s in enumerate(stops)]


def _described(s: Stop) -> continuity.Described:
    """The stop as the previous plan's activities are matched (continuity.previous_windows)."""
    return (s.household_id, s.activity, "school" if s.kind == "school" else "home",
            tuple(c.child_id for c in s.children), s.minutes)


def cover_reason(pb: Problem, w: Worker, stop: Stop, day: date,
                 by_day: dict[tuple[str, date], list[Stop]]) -> str:
    """Why a colleague, not the allocated worker, does this (for every child it is cover for).
    "Full" only when it is: the allocated worker's planned day with this stop added fits no real
    route or passes their daily visit limit."""
    reasons = []
    workers = {x.worker_id: x for x in pb.team.workers}
    for c in stop.children:
        if c.allocated_worker_id == w.worker_id:
            continue
        alloc = workers.get(c.allocated_worker_id or "")
        if alloc is None:
            reasons.append(f"{c.child_id}: no allocated worker")
        elif not eligible(alloc, c):
            reasons.append(f"{c.child_id}: the allocated worker {alloc.worker_id} may not do it (role)")
        elif day.weekday() not in alloc.working_days:
            reasons.append(f"{c.child_id}: {alloc.worker_id} does not work on {day:%A}s")
        elif any(a.worker_id == alloc.worker_id and a.covers(day) for a in pb.team.absences):
            kind = next(a.kind for a in pb.team.absences if a.worker_id == alloc.worker_id and a.covers(day))
            reasons.append(f"{c.child_id}: {alloc.worker_id} is away ({kind})")
        elif not pb.day_fits(alloc, [*by_day.get((alloc.worker_id, day), []), stop]):
            reasons.append(f"{c.child_id}: {alloc.worker_id}'s day is full")
        elif pb.previous and not continuity.keeps_times(
                pb, alloc, day, _route_stops(pb, own := by_day.get((alloc.worker_id, day), [])),
                [_described(s) for s in own], _route_stops(pb, [*own, stop]), [_described(s) for s in [*own, stop]]):
            reasons.append(f"{c.child_id}: {alloc.worker_id}'s day takes it only by moving times already "
                           "published for that day")
        elif any(a.worker_id == w.worker_id and a.date == day and a.activity == stop.activity
                 and c.child_id in a.child_ids for a in pb.previous):
            reasons.append(f"{c.child_id}: published as {w.worker_id}'s in the previous plan, kept")
        else:
            reasons.append(f"{c.child_id}: {alloc.worker_id} had room that day too (the planner found no "
                           "better plan within its work budget)")
    return "; ".join(reasons)


def missed(solved: Solved, bv: Window) -> bool:
    """Re-read from the values whether a window really is missed (not just its literal set)."""
    if not all(solved.value(c) for c in bv.conds):
        return False
    return not any(solved.value(o) for o in bv.window)
