"""Continuity (issue 11 item 4): a re-plan changes as little as possible of what people were told.

Active only when the Problem carries a previous plan (pb.previous, from `rota plan --previous`).
Each previous activity from the plan's first day on is matched to the decision variables that
would do it again - its *group*: the same worker on the same day, a home visit of either kind
or a school visit for the same children, or the same meeting - and, in the group, its *exact*
variable (the same kind and place, so the same time slot). Costs, objective name "change"
(stage 2, weighted above everything else there; breaches stay the first stage, so a change that
avoids a breach is always made):
- LOST for each previous activity none of whose group is planned: it is removed, moved to
  another day or given to another worker;
- RETIMED for each planned variable of a group other than the exact one (same worker and day,
  another time slot or place);
and, objective name "added" (stage 2, below days late and above cover and travel), ADDED for each
planned activity that is in no previous activity's group, on a day the previous plan covered
(after its last day nothing had been planned, so nothing changes there). A move or a
reassignment (lost + added) costs more than a retime. An addition weighs less than a child seen
later, so an overdue child whose visit was lost is still seen as soon as possible; it weighs more
than cover or travel, so nothing is added for their sake. A previous activity whose
group does not exist (the worker is away, not working that day or gone, the child left the team,
the meeting is no longer due) cannot be kept: every plan pays for it alike, so it costs nothing.

Frozen activities (on or before pb.freeze_until) keep their exact variable, as a hard
constraint. Hard is safe with the solver's route cuts (scheduler.model.solve.misfits): each
worker-day's frozen activities are first checked together against the exact route
(scheduler.routes), the daily visit limit and one visit per child a day; a day that fails keeps
its activities soft ("unless impossible"). A cut is a smallest set of a day's planned stops that
fits no route; the frozen stops alone fit, and so does any subset of them (with waiting
allowed and travel times obeying the triangle inequality, dropping a stop never makes a route
late), so every cut holds a stop that is not frozen and the model stays feasible.

Every one of these costs is also the first stage's tie-break (Share.tiebreak: all together below
one breach unit), so the fewest-breaches stage already keeps what it can and the second stage
starts close to its answer; the previous plan (what can be kept of it, repaired greedily) is the
first stage's starting solution.
Times: scheduler.model.extract keeps a kept activity's previous start where the new day's
route allows (`previous_windows`).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from ...clock import minutes_of
from ...domain import Worker
from ...policy import AFTER_SCHOOL
from ...routes import Stop as RouteStop
from ...routes import Timed, route
from ...solution import PlannedActivity
from ..problem import VISIT_KINDS, Problem
from ..share import Lit, Share
from ..variables import Load, Variables

if TYPE_CHECKING:
    pass

LOST = 2  # "change": a previous activity that is no longer on its worker's day
RETIMED = 1  # "change": the same worker and day, another time slot or place
ADDED = 1  # "added": an activity on a day the previous plan covered that it did not have


@dataclass(frozen=True)
class Kept:
    """A previous activity of the horizon and the variables that would keep it."""

    act: PlannedActivity
    di: int
    group: tuple[Lit, ...]  # same worker, same day, same activity (any slot or place)
    exact: Lit | None  # same slot and place too (None: no variable sees exactly its children)


def in_horizon(pb: Problem) -> list[PlannedActivity]:
    """The previous activities from the plan's first day to its last (the rest is history)."""
    return sorted((a for a in pb.previous if pb.start <= a.date <= pb.end),
                  key=lambda a: (a.date, a.worker_id, a.start, a.household_id, a.activity))


def previous_span(pb: Problem) -> tuple[date, date] | None:
    """The days the previous plan covered."""
    if pb.previous_span is not None:
        return pb.previous_span
    if not pb.previous:
        return None
    return (min(a.date for a in pb.previous), max(a.date for a in pb.previous))


def kept_variables(pb: Problem, v: Variables) -> list[Kept]:
    """Each previous activity in the horizon with its group and exact variable."""
    day_index = {d: i for i, d in enumerate(pb.days)}
    out = []
    for a in in_horizon(pb):
        di = day_index.get(a.date)
        if di is None:
            continue  # not a working day any more (a bank holiday of another region)
        group: list[Lit] = []
        exact: Lit | None = None
        if a.activity == "visit":
            for kind in VISIT_KINDS:
                x = v.home.get((a.household_id, di, a.worker_id, kind))
                if x is None:
                    continue
                group.append(x)
                seen = {c.child_id for c in pb.visit_children(a.household_id, pb.team.worker(a.worker_id),
                                                               a.date, kind)}
                if a.location == "home" and seen == set(a.child_ids):
                    exact = x
            for cid in a.child_ids:
                x = v.school.get((cid, di, a.worker_id))
                if x is None:
                    continue
                group.append(x)
                if a.location == "school" and a.child_ids == (cid,):
                    exact = x
        else:
            for cid in a.child_ids:
                x = v.meet.get((cid, a.activity, di, a.worker_id))
                if x is not None:
                    group.append(x)
                    exact = x
        if group:
            out.append(Kept(a, di, tuple(group), exact))
    return out


def _hinted(k: Kept) -> Lit:
    """The variable a previous activity most likely is again (for the starting solution)."""
    if k.exact is not None:
        return k.exact
    late = k.act.start >= AFTER_SCHOOL
    return next((x for x in k.group if x.name.endswith(",after_school]") == late), k.group[0])


def add(m: cp_model.CpModel, pb: Problem, v: Variables) -> Share:
    share = Share()
    if not pb.previous or v.diagnostic:
        return share  # (diagnosis asks what any plan could do: no preference for the previous one)
    kept = kept_variables(pb, v)
    in_group: set[int] = set()
    for k in kept:
        in_group.update(x.index for x in k.group)
        a = k.act
        lost = m.new_bool_var(f"lost[{a.worker_id},{a.date},{a.household_id},{a.activity},"
                              f"{'+'.join(a.child_ids)},{a.start:%H%M}]")
        m.add_bool_or([*k.group, lost])
        share.derived.append((lost, [], list(k.group)))
        share.term("change", LOST, lost)
        share.tiebreak.append((LOST, lost))
        for x in k.group:
            if x is not k.exact:
                share.term("change", RETIMED, x)
                share.tiebreak.append((RETIMED, x))
    span = previous_span(pb)
    if span is not None:
        for x, di in _decisions(v):
            if x.index not in in_group and span[0] <= pb.days[di] <= span[1]:
                share.term("added", ADDED, x)
                share.tiebreak.append((ADDED, x))
    for x in frozen(pb, v, kept):
        m.add(x == 1)
    for cut in _kept_day_cuts(pb, v, kept):
        m.add_bool_or([~x for x in cut])
    hinted = {_hinted(k).index for k in kept}
    hinted |= _repair(pb, v, kept, hinted)
    share.hint.extend((x, int(x.index in hinted)) for x, _ in _decisions(v))
    return share


def _kept_day_cuts(pb: Problem, v: Variables, kept: list[Kept]) -> list[list[Lit]]:
    """Route cuts known before solving: a stop that does not fit a worker-day together with the
    day's previous stops (kept exactly) may not join them all. They are the cuts the solver would
    otherwise find one round at a time (scheduler.model.solve.misfits), each round a new solve;
    valid in any plan, as the stops together fit no route."""
    exact = {k.exact.index for k in kept if k.exact is not None}
    out = []
    for (wid, _di), loads in sorted(v.loads.items(), key=lambda kv: kv[0]):
        base = [load for load in loads if load.var.index in exact]
        if not base:
            continue
        w = pb.team.worker(wid)
        order = _best_order(pb, w, base)
        for load in loads:
            if load.var.index in exact:
                continue
            # inserting the stop somewhere in the day's best order shows most fits at once; only
            # when that fails does the exact check (any order) decide
            if not (order is not None and _inserts(pb, w, order, load)) and not pb.day_fits(w, [*base, load]):
                out.append([*(b.var for b in base), load.var])
    return out


def _best_order(pb: Problem, w: Worker, loads: list[Load]) -> list[Load] | None:
    stops = [RouteStop(i, pb.location(load.household_id), load.minutes, *load.window) for i, load in enumerate(loads)]
    timed = route((w.base_lat, w.base_lon), minutes_of(w.day_start), minutes_of(w.day_end), stops, pb.travel.minutes)
    return None if timed is None else [loads[int(t.stop.key)] for t in timed]  # type: ignore[call-overload]


def _inserts(pb: Problem, w: Worker, order: list[Load], load: Load) -> bool:
    """Does `load` fit into the day at some place of `order`, the others kept in that order
    (and within the daily visit limit)?"""
    if load.kind != "meeting" and sum(1 for x in order if x.kind != "meeting") + 1 > w.max_visits_per_day:
        return False
    start, end = minutes_of(w.day_start), minutes_of(w.day_end)
    home = (w.base_lat, w.base_lon)
    for pos in range(len(order) + 1):
        seq = [*order[:pos], load, *order[pos:]]
        t, here, ok = start, home, True
        for x in seq:
            there = pb.location(x.household_id)
            t = max(t + pb.travel.minutes(here, there), x.window[0]) + x.minutes
            if t > min(x.window[1], end):
                ok = False
                break
            here = there
        if ok:
            return True
    return False


def _repair(pb: Problem, v: Variables, kept: list[Kept], chosen: set[int]) -> set[int]:
    """A better starting solution: each previous activity that can no longer happen as it was is
    given, greedily, to the first worker-day that can still take it - the same day first, then the
    nearest earlier day (later could miss its due date), then the nearest later one; the allocated
    worker first - where the day's stops still fit one route and the daily visit limit, and the
    child is not seen (or met) that day already. The solver improves on it; it only saves search."""
    kept_ids = {id(k.act) for k in kept}
    lost = [a for a in in_horizon(pb) if id(a) not in kept_ids]
    lost += [a for a in pb.previous if a.date < pb.start]  # history: done or not, the model decides
    if not lost:
        return set()
    load_of = {load.var.index: (wid, di, load) for (wid, di), loads in v.loads.items() for load in loads}
    day_loads: dict[tuple[str, int], list[Load]] = defaultdict(list)
    busy: set[tuple[str, ...]] = set()
    Claims = tuple[tuple[str, ...], ...]  # what a variable takes: (what, child, day) it may not share
    options: dict[tuple[str, ...], list[tuple[Lit, int, str, Claims]]] = defaultdict(list)
    for (hid, di, wid, kind), x in v.home.items():
        seen = tuple(c.child_id for c in pb.visit_children(hid, pb.team.worker(wid), pb.days[di], kind))
        claims: Claims = tuple(("visit", cid, str(di)) for cid in seen)
        options[("visit", hid)].append((x, di, wid, claims))
    for (cid, di, wid), x in v.school.items():
        hid = pb.team.child(cid).household_id
        options[("visit", hid)].append((x, di, wid, (("visit", cid, str(di)),)))
    for (cid, act, di, wid), x in v.meet.items():
        options[(act, cid)].append((x, di, wid, ((act, cid, str(di)),)))
    claims_of = {x.index: claims for opts in options.values() for x, _, _, claims in opts}
    for idx in chosen:
        if idx in load_of:
            wid, di, load = load_of[idx]
            day_loads[(wid, di)].append(load)
            busy.update(claims_of.get(idx, ()))
    allocated = {c.child_id: c.allocated_worker_id for c in pb.team.children}
    out: set[int] = set()
    for a in sorted(lost, key=lambda a: (a.date, a.worker_id, a.start)):
        key = ("visit", a.household_id) if a.activity == "visit" else (a.activity, a.child_ids[0])
        target = max(a.date, pb.start)
        ranked = []
        for x, di, wid, claims in options.get(key, []):
            day = pb.days[di]
            if a.activity == "visit" and not set(a.child_ids) & {c[1] for c in claims}:
                continue
            gap = (day - target).days
            ranked.append(((abs(gap), gap > 0, wid not in {allocated.get(c) for c in a.child_ids}, wid, di), x,
                           di, wid, claims))
        for _, x, di, wid, claims in sorted(ranked, key=lambda r: r[0]):
            if x.index in chosen or x.index in out or any(c in busy for c in claims):
                continue
            load = load_of[x.index][2]
            if pb.day_fits(pb.team.worker(wid), [*day_loads[(wid, di)], load]):
                out.add(x.index)
                day_loads[(wid, di)].append(load)
                busy.update(claims)
                break
    return out


def _decisions(v: Variables) -> list[tuple[Lit, int]]:
    """Every decision variable with its day index."""
    return ([(x, key[1]) for key, x in v.home.items()] + [(x, key[1]) for key, x in v.school.items()]
            + [(x, key[2]) for key, x in v.meet.items()])


def frozen(pb: Problem, v: Variables, kept: list[Kept]) -> list[Lit]:
    """The exact variables of the frozen activities that can all be kept: per worker-day, the
    frozen stops must fit one route and the daily visit limit, and no child may be seen twice a
    day or have one meeting twice; a worker-day or child-day that fails keeps them soft."""
    if pb.freeze_until is None:
        return []
    chosen = [k for k in kept if k.act.date <= pb.freeze_until and k.exact is not None]
    load_of = {load.var.index: load for loads in v.loads.values() for load in loads}
    # one visit a day per child, one meeting of a kind a day: frozen variables may not collide
    claims: dict[tuple[str, ...], list[Kept]] = defaultdict(list)
    for k in chosen:
        if k.act.activity == "visit":
            for cid in k.act.child_ids:
                claims[("visit", cid, str(k.di))].append(k)
        else:
            claims[(k.act.activity, k.act.child_ids[0], str(k.di))].append(k)
    clash = {id(k) for ks in claims.values() if len({x.exact.index for x in ks if x.exact is not None}) > 1
             for k in ks}
    days: dict[tuple[str, int], list[Kept]] = defaultdict(list)
    for k in chosen:
        if id(k) not in clash:
            days[(k.act.worker_id, k.di)].append(k)
    out: list[Lit] = []
    for (wid, _di), ks in sorted(days.items()):
        loads = [load_of[k.exact.index] for k in ks if k.exact is not None]
        if pb.day_fits(pb.team.worker(wid), loads):
            out += [k.exact for k in ks if k.exact is not None]
    return out


Described = tuple[str, str, str, tuple[str, ...], int]  # household, activity, location, children, minutes


def described_stops(pb: Problem, v: Variables) -> dict[int, Described]:
    """Decision variable index -> its stop as the previous plan's activities are matched
    (household, activity, location, children, minutes; previous_windows)."""
    minutes = {load.var.index: load.minutes for loads in v.loads.values() for load in loads}
    children = {c.child_id: c for c in pb.team.children}
    out: dict[int, Described] = {}
    for (hid, di, wid, kind), x in v.home.items():
        kids = pb.visit_children(hid, pb.team.worker(wid), pb.days[di], kind)
        out[x.index] = (hid, "visit", "home", tuple(c.child_id for c in kids), minutes[x.index])
    for (cid, _di, _wid), x in v.school.items():
        out[x.index] = (children[cid].household_id, "visit", "school", (cid,), minutes[x.index])
    for (cid, act, _di, _wid), x in v.meet.items():
        out[x.index] = (children[cid].household_id, act, "home", (cid,), minutes[x.index])
    return out


def route_keeping_times(pb: Problem, w: Worker, day: date, stops: list[RouteStop],
                        described: list[Described]) -> tuple[list[Timed] | None, set[int]]:
    """A worker-day's best route (scheduler.routes) keeping as many of the previous plan's start
    times as the day allows - each pinned in turn, in time order, while a route still exists - and
    the stops (indices) that keep theirs. `described`: each stop's (household, activity, location,
    children, minutes), as previous_windows reads them. How the rota's times are written."""
    args = ((w.base_lat, w.base_lon), minutes_of(w.day_start), minutes_of(w.day_end))
    best = route(*args, stops, pb.travel.minutes)
    kept: dict[int, tuple[int, int]] = {}
    for i, (start, end) in sorted(previous_windows(pb, w.worker_id, day, described).items(), key=lambda kv: kv[1]):
        if start < stops[i].earliest or end > stops[i].latest_end:
            continue  # the slot is no longer allowed (e.g. now after school only)
        trial = {**kept, i: (start, end)}
        timed = route(*args, [RouteStop(st.key, st.location, st.minutes, *trial.get(j, (st.earliest, st.latest_end)))
                              for j, st in enumerate(stops)], pb.travel.minutes)
        if timed is not None:
            kept, best = trial, timed
    return best, set(kept)


def keeps_times(pb: Problem, w: Worker, day: date, before: list[RouteStop], before_described: list[Described],
                after: list[RouteStop], after_described: list[Described]) -> bool:
    """A re-plan: whether a worker-day changed from `before` to `after` (stops matched by key) still
    writes at its previous start time every stop that `before` did and `after` still has
    (route_keeping_times), so the change retimes nothing people were told; False when `after`
    fits no route."""
    timed, now = route_keeping_times(pb, w, day, after, after_described)
    if timed is None:
        return False
    _, was = route_keeping_times(pb, w, day, before, before_described)
    return {before[i].key for i in was} & {st.key for st in after} <= {after[i].key for i in now}


def previous_windows(pb: Problem, worker_id: str, day: date, stops: list[Described]) -> dict[int, tuple[int, int]]:
    """For a worker-day's stops (household, activity, location, children, minutes), the time window
    that keeps each one's previous start (index -> (start, start + minutes)), for those the
    previous plan had on this worker's day at the same place with the same children."""
    if not pb.previous:
        return {}
    before = {(a.household_id, a.activity, a.location, a.child_ids): minutes_of(a.start)
              for a in pb.previous if a.worker_id == worker_id and a.date == day}
    out = {}
    for i, (hid, activity, location, children, minutes) in enumerate(stops):
        start = before.get((hid, activity, location, children))
        if start is not None:
            out[i] = (start, start + minutes)
    return out
