"""From solver values to a timed rota: order each worker-day's stops, assign times, list breaches.

Stops within a segment are ordered nearest-neighbour from the worker's base (am) and from the
last am stop (pm). The model budgets twice the base distance per stop, an upper bound on any
such route, so the timed day always fits the worker's hours.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..clock import plus
from ..domain import Child, Worker
from ..policy import AFTER_SCHOOL, MEETING_MINUTES, SCHOOL_START, visit_minutes
from ..solution import PlannedActivity
from .problem import Problem
from .share import Window
from .solve import Solved


@dataclass(frozen=True)
class Stop:
    kind: str  # home | school | meeting
    segment: str
    household_id: str
    activity: str
    children: tuple[Child, ...]
    alone: tuple[str, ...]
    bedroom: tuple[str, ...]
    minutes: int
    location: tuple[float, float]


def stops_for(solved: Solved, pb: Problem) -> dict[tuple[str, int], list[Stop]]:
    xs = solved.built.v
    out: dict[tuple[str, int], list[Stop]] = {}
    children = {c.child_id: c for c in pb.team.children}
    for (hid, di, wid, seg), x in sorted(xs.home.items()):
        if not solved.value(x):
            continue
        kids = pb.visit_children(hid, pb.team.worker(wid), pb.days[di], seg)
        alone = tuple(c.child_id for c in kids if pb.needs_alone(c, pb.days[di]))
        bedroom = tuple(c.child_id for c in kids if pb.has_bedroom_rule(c, pb.days[di]))
        out.setdefault((wid, di), []).append(Stop(
            "home", seg, hid, "visit", kids, alone, bedroom, visit_minutes(len(kids), len(alone)),
            pb.location(hid)))
    for (cid, di, wid), x in sorted(xs.school.items()):
        if not solved.value(x):
            continue
        c = children[cid]
        alone = (cid,) if pb.needs_alone(c, pb.days[di]) else ()
        out.setdefault((wid, di), []).append(Stop(
            "school", "am", c.household_id, "visit", (c,), alone, (), visit_minutes(1, len(alone)),
            pb.location(c.household_id)))
    for (cid, act, di, wid, seg), x in sorted(xs.meet.items()):
        if not solved.value(x):
            continue
        c = children[cid]
        out.setdefault((wid, di), []).append(Stop(
            "meeting", seg, c.household_id, act, (c,), (), (), MEETING_MINUTES[act],
            pb.location(c.household_id)))
    return out


def _route(stops: list[Stop], start: tuple[float, float], pb: Problem) -> list[Stop]:
    """Nearest neighbour, ties broken by household id (deterministic)."""
    left, here, order = list(stops), start, []
    while left:
        nxt = min(left, key=lambda s: (pb.travel.minutes(here, s.location), s.household_id, s.activity))
        order.append(nxt)
        left.remove(nxt)
        here = nxt.location
    return order


def activities(solved: Solved, pb: Problem) -> list[PlannedActivity]:
    out: list[PlannedActivity] = []
    for (wid, di), stops in sorted(stops_for(solved, pb).items(), key=lambda kv: (kv[0][1], kv[0][0])):
        w: Worker = pb.team.worker(wid)
        day = pb.days[di]
        base = (w.base_lat, w.base_lon)
        am = _route([s for s in stops if s.segment == "am"], base, pb)
        here = am[-1].location if am else base
        pm = _route([s for s in stops if s.segment == "pm"], here, pb)
        clock, here = w.day_start, base
        for s in am + pm:
            travel = pb.travel.minutes(here, s.location)
            begin = plus(clock, travel)
            if s.segment == "pm":
                begin = max(begin, AFTER_SCHOOL)
            if s.kind == "school":
                begin = max(begin, SCHOOL_START)
            end = plus(begin, s.minutes)
            cover = any(c.allocated_worker_id != wid for c in s.children)
            out.append(PlannedActivity(
                date=day, start=begin, end=end, worker_id=wid, activity=s.activity,
                household_id=s.household_id, child_ids=tuple(c.child_id for c in s.children),
                seen_alone_child_ids=s.alone, bedroom_child_ids=s.bedroom, travel_minutes=travel,
                cover=cover, location="school" if s.kind == "school" else "home"))
            clock, here = end, s.location
    out.sort(key=lambda a: (a.date, a.worker_id, a.start))
    return out


def missed(solved: Solved, bv: Window) -> bool:
    """Re-read from the values whether a window really is missed (not just its literal set)."""
    if not all(solved.value(c) for c in bv.conds):
        return False
    return not any(solved.value(o) for o in bv.window)
