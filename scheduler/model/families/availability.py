"""Workers' time: working days and hours, absences, bank holidays, daily visit limit.

A relaxation of the verifier's timed routes, never stricter (issue 10: a breach is proven
unavoidable only against every rota the verifier accepts). For each worker-day:
- everything planned, plus a lower bound on the day's travel, fits in the working hours; the
  bound is the larger of the farthest stop from base (every route reaches it) and the sum, over
  the places visited, of the shortest way into each (from base or from another place the worker
  could visit that day) - once per place, however many stops are made there (_travel_rows);
- after-school visits (from 15:30) fit between 15:30 and the end of the day, school visits
  between 08:45 and 15:15, each with the shortest way into it (all but the first of them are
  reached within the window);
- no more visits than the worker's daily limit.
What the relaxation lets through is checked exactly by scheduler.routes after solving, and a
day that does not fit is cut off (scheduler.model.solve). Weekends and bank holidays are not in
the horizon's days at all, and outside diagnosis no variable exists for a worker who is away; in
diagnosis each reason a worker is away is a fact that can be switched off.
"""
from __future__ import annotations

from datetime import date

from ortools.sat.python import cp_model

from ...clock import minutes_of
from ...domain import WEEKDAYS, Worker
from ...policy import SCHOOL_START
from ...routes import Stop as RouteStop
from ..problem import Problem
from ..share import Lit, Share
from ..variables import AFTER_SCHOOL_WINDOW, SCHOOL_WINDOW, Fact, Load, Variables
from .continuity import RETIMED, Described, described_stops, kept_variables, route_keeping_times


def add(m: cp_model.CpModel, pb: Problem, v: Variables) -> Share:
    workers = {w.worker_id: w for w in pb.team.workers}
    # a re-plan: the previous plan's stops, kept exactly, fit a real route on their day (the
    # verifier checked that plan), and so does any part of them - the planning margin applies to
    # a day only when something new joins it, so a day the margin never planned can still be kept.
    # A plan: the same for the days of the plan the search starts from (the hand method's, routed)
    kept = {k.exact.index for k in kept_variables(pb, v) if k.exact is not None} if pb.previous else set()
    described = described_stops(pb, v) if pb.previous else {}
    previous = kept | v.start
    share = Share()
    for (wid, di), loads in sorted(v.loads.items(), key=lambda kv: kv[0]):
        w, day = workers[wid], pb.days[di]
        if v.diagnostic:
            _unavailability(m, pb, v, w, di, [load.var for load in loads])
        cap_lit = v.fact(Fact("capacity", wid, (day,)))
        for c in _day_rules(m, pb, w, di, loads):
            if cap_lit is not None:
                c.only_enforce_if(cap_lit)
        if v.diagnostic:
            continue
        enforce: list[cp_model.LiteralT] = [v.plan_mode]
        fresh: cp_model.IntVar | None = None
        begin: int | None = None
        if any(load.var.index in previous for load in loads):
            new = [load.var for load in loads if load.var.index not in previous]
            if not new:
                continue
            fresh = m.new_bool_var(f"fresh[{wid},{day}]")
            m.add_bool_or(new).only_enforce_if(fresh)
            for x in new:
                m.add_implication(x, fresh)
            enforce.append(fresh)
            begin = _after_route(pb, w, di, [load for load in loads if load.var.index in kept], described)
            if begin is not None:
                # a re-plan may also add stops to a kept day as star trips after the day's kept
                # route (a colleague covering after their own visits), or plan the day afresh
                tail = m.new_bool_var(f"tail[{wid},{day}]")
                enforce.append(~tail)
                # planned afresh around its published stops, the day may move their times (the rota
                # keeps them where the new route allows): priced as a retime ("afresh", weighed as
                # a change), so that it is done only to see a child or keep a booking, never for
                # free (the replayed README's Wednesday moved a published visit of the frozen week to
                # fit in a new child's core group that had room on later days). Only the planning
                # margins give it a value (tail means something with plan_mode on): the searches
                # see it, the post-passes' comparisons (solve._later) leave it out
                afresh = m.new_bool_var(f"afresh[{wid},{day}]")
                m.add_bool_or([~fresh, tail, afresh])
                share.term("afresh", RETIMED, afresh)
                share.tiebreak.append((RETIMED, afresh))
                added = [load for load in loads if load.var.index not in previous]
                for row, rhs in tail_rows(pb, w, day, added, begin):
                    if row:
                        m.add(sum(coef * load.var for load, coef in row) <= rhs).only_enforce_if([v.plan_mode, tail])
        if fresh is not None and begin is None and pb.params.plan_margin == "star":
            # the margin on a day with given stops, as a linear row with the least big-M: over by at
            # most what the given stops alone exceed it by while fresh is off (so a given day may
            # stay as it was), within it once fresh is on. The same rule as enforcing the rows only
            # if fresh, with a far stronger linear relaxation: on generated 10 / 200 teams the later
            # stage then ends within its gap (knowsley 18.8 -> 6.5 s) and swindon's plan kept 13
            # cover visits instead of 33
            for row, rhs in star_rows(pb, w, day, loads):
                if row:
                    excess = max(0, sum(coef for load, coef in row if load.var.index in previous) - rhs)
                    m.add(sum(coef * load.var for load, coef in row) + excess * fresh <= rhs + excess
                          ).only_enforce_if(v.plan_mode)
            continue
        for c in _plan_margin(m, pb, w, di, loads):
            c.only_enforce_if(enforce)
    return share


def _after_route(pb: Problem, w: Worker, di: int, kept: list[Load], described: dict[int, Described]) -> int | None:
    """When the worker is back at their hub (minutes since midnight) after the day's kept stops at
    their published start times where the day allows (continuity.route_keeping_times, as the rota
    writes them); None when there are none or they fit no route. Any part of them fits that
    route's order and times too (travel obeys the triangle inequality and waiting is allowed), so
    stops added after it fit whichever of them stay, and nothing published is moved for them."""
    if not kept:
        return None
    stops = [RouteStop(k, pb.location(load.household_id), load.minutes, *load.window) for k, load in enumerate(kept)]
    timed, _ = route_keeping_times(pb, w, pb.days[di], stops, [described[load.var.index] for load in kept])
    if timed is None:
        return None
    last = timed[-1]
    return last.end + pb.travel.minutes(last.stop.location, pb.hub(w, pb.days[di]))


def tail_rows(pb: Problem, w: Worker, day: date, loads: list[Load],
              begin: int) -> list[tuple[list[tuple[Load, int]], int]]:
    """The planning margin for stops added after a kept route (star_rows' rows from `begin`, when
    the worker is back at the hub): star trips from the hub - school visits first, between 08:45
    and 15:15, then the rest, after-school visits from 15:30."""
    end = minutes_of(w.day_end)
    hub = pb.hub(w, day)
    school_open = minutes_of(SCHOOL_START)

    def cost(load: Load) -> int:
        return load.minutes + 2 * pb.travel.minutes(hub, pb.location(load.household_id))

    pm = [(load, cost(load)) for load in loads if load.window == AFTER_SCHOOL_WINDOW]
    school = [(load, cost(load)) for load in loads if load.window == SCHOOL_WINDOW]
    return [([(load, cost(load)) for load in loads], end - max(begin, school_open)),
            (pm, end - max(AFTER_SCHOOL_WINDOW[0], begin)),
            (school, SCHOOL_WINDOW[1] - max(begin, school_open))]


def _day_rules(m: cp_model.CpModel, pb: Problem, w: Worker, di: int, loads: list[Load]) -> list[cp_model.Constraint]:
    start, end = minutes_of(w.day_start), minutes_of(w.day_end)
    base = {load.household_id: pb.base_minutes(w, load.household_id) for load in loads}
    places = sorted(base)
    present = set(places)
    into = {h: min(base[h], near) if (near := pb.nearest_into(h, present)) is not None else base[h]
            for h in places}
    out: list[cp_model.Constraint] = []
    busy = cp_model.LinearExpr.weighted_sum([load.var for load in loads], [load.minutes for load in loads])
    if any(base.values()):
        tv = m.new_int_var(0, end - start, f"travel_lb[{w.worker_id},{pb.days[di]}]")
        for load in loads:
            if base[load.household_id]:
                out.append(m.add(tv >= base[load.household_id] * load.var))
        if any(into.values()):
            for row in _travel_rows(into, loads):
                out.append(m.add(tv >= sum(minutes * load.var for load, minutes in row)))
        out.append(m.add(busy + tv <= end - start))
    else:
        out.append(m.add(busy <= end - start))
    for window in (AFTER_SCHOOL_WINDOW, SCHOOL_WINDOW):
        inside = [load for load in loads if load.window == window]
        room = min(end, window[1]) - max(start, window[0])
        if inside:
            # each stop in the window after the first is reached from another place, inside it -
            # or from the same place, for nothing (siblings' school visits)
            step = 0 if _together(inside) else min(into[load.household_id] for load in inside)
            out.append(m.add(sum((load.minutes + step) * load.var for load in inside) <= max(room, 0) + step))
    visits = [load.var for load in loads if load.kind in ("home", "school")]
    if len(visits) > w.max_visits_per_day:
        out.append(m.add(sum(visits) <= w.max_visits_per_day))
    return out


def _together(loads: list[Load]) -> set[str]:
    """The places where two of these stops may be made the same day: a home visit and a meeting
    at one home, two meetings, siblings' school visits. Two home visits to one household never
    are (each sees a child the other sees, and a child is seen once a day: households family)."""
    kinds: dict[str, list[str]] = {}
    for load in loads:
        kinds.setdefault(load.household_id, []).append(load.kind)
    return {h for h, ks in kinds.items() if len(ks) > 1 and any(k != "home" for k in ks)}


def _travel_rows(into: dict[str, int], loads: list[Load]) -> list[list[tuple[Load, int]]]:
    """Lower bounds on the day's travel, as rows of (stop, minutes): the way into each place from
    the nearest other, counted once however many stops are made there (issue 10: counted per stop,
    a home visit and a meeting at the same home - or siblings' school visits - made a day the
    verifier accepts impossible in the model, and an overdue child's fill-in with it). Where two
    stops at a place may be made together, a row counts one class of them of which at most one is
    made: the home visits (two never are: each sees a child the other sees), else one other stop.
    Three rows - the home visits first, then the first and then the second other stop - are each
    valid; the solver holds the largest. No variable is added: a place literal per worker-day made
    the 12-week model 16% larger for the same plans (docs/benchmarks.md)."""
    shared = _together(loads)
    by_place: dict[str, list[Load]] = {}
    for load in loads:
        by_place.setdefault(load.household_id, []).append(load)
    rows: list[list[tuple[Load, int]]] = []
    seen: set[tuple[int, ...]] = set()
    for rank in range(3):
        row: list[tuple[Load, int]] = []
        for h, group in by_place.items():
            homes = [ld for ld in group if ld.kind == "home"]
            others = [ld for ld in group if ld.kind != "home"]
            if h not in shared:
                counted = group
            elif rank == 0:
                counted = homes or others[:1]
            else:
                counted = others[rank - 1:rank] or homes
            row.extend((ld, into[h]) for ld in counted if into[h])
        key = tuple(load.var.index for load, _ in row)
        if row and key not in seen:  # (a day with no shared place has one row)
            seen.add(key)
            rows.append(row)
    return rows


def _plan_margin(m: cp_model.CpModel, pb: Problem, w: Worker, di: int,
                 loads: list[Load]) -> list[cp_model.Constraint]:
    """Stricter than the verifier, on while planning only (never in the stage that proves the
    fewest breaches): the day must fit as star trips from a hub (star_rows). Any real route is no
    longer than that (triangle inequality), so a planned day always has a route that fits; the
    exact route found later is shorter and leaves room the overdue-first pass can use."""
    if pb.params.plan_margin == "legs":
        return _leg_margin(m, pb, w, di, loads)
    return [m.add(sum(coef * load.var for load, coef in row) <= rhs)
            for row, rhs in star_rows(pb, w, pb.days[di], loads) if row]


def star_rows(pb: Problem, w: Worker, day: date, loads: list[Load]) -> list[tuple[list[tuple[Load, int]], int]]:
    """The planning margin as rows (stops with their minutes, the minutes available): base to the
    hub once, then from the hub to each stop and back (its duration and twice its distance from
    the hub) - all within the day, school visits between 08:45 and 15:15, after-school visits
    from 15:30. The hub is the worker's base or the home nearest their caseload (Problem.hub)."""
    start, end = minutes_of(w.day_start), minutes_of(w.day_end)
    hub = pb.hub(w, day)
    to_hub = pb.travel.minutes((w.base_lat, w.base_lon), hub)
    school_open = minutes_of(SCHOOL_START)

    def cost(load: Load) -> int:
        return load.minutes + 2 * pb.travel.minutes(hub, pb.location(load.household_id))

    pm = [(load, cost(load)) for load in loads if load.window == AFTER_SCHOOL_WINDOW]
    school = [(load, cost(load)) for load in loads if load.window == SCHOOL_WINDOW]
    return [([(load, cost(load)) for load in loads], end - max(start, school_open - to_hub) - to_hub),
            (pm, max(end - max(AFTER_SCHOOL_WINDOW[0], start), 0)),
            (school, max(SCHOOL_WINDOW[1] - max(start + to_hub, school_open), 0))]


def _leg_margin(m: cp_model.CpModel, pb: Problem, w: Worker, di: int,
                loads: list[Load]) -> list[cp_model.Constraint]:
    """A looser planning margin (SolveParams.plan_margin = "legs"): each stop charged the way in from
    its k-th nearest possible place; not an upper bound on a route, so the route cuts catch the rest."""
    start, end = minutes_of(w.day_start), minutes_of(w.day_end)
    k = pb.params.plan_leg_rank
    places = sorted({load.household_id for load in loads})
    base = {h: pb.base_minutes(w, h) for h in places}
    leg = {}
    for h in places:
        ways = sorted([base[h]] + [pb.between(o, h) for o in places if o != h])
        leg[h] = ways[min(k, len(ways)) - 1]
    tp = m.new_int_var(0, end - start, f"travel_plan[{w.worker_id},{pb.days[di]}]")
    out = [m.add(tp >= sum(leg[load.household_id] * load.var for load in loads))]
    for load in loads:
        if base[load.household_id]:
            out.append(m.add(tp >= base[load.household_id] * load.var))
    out.append(m.add(sum(load.minutes * load.var for load in loads) + tp <= end - start))
    for window in (AFTER_SCHOOL_WINDOW, SCHOOL_WINDOW):
        inside = [load for load in loads if load.window == window]
        room = min(end, window[1]) - max(start, window[0])
        if len(inside) > 1:
            first = max(leg[load.household_id] for load in inside)
            out.append(m.add(sum((load.minutes + leg[load.household_id]) * load.var for load in inside)
                             <= max(room, 0) + first))
    return out


def _unavailability(m: cp_model.CpModel, pb: Problem, v: Variables, w: Worker, di: int, xs: list[Lit]) -> None:
    """Diagnosis: each reason a worker is away that day is its own switchable fact."""
    day = pb.days[di]
    reasons = []
    if day.weekday() not in w.working_days:
        pattern = " ".join(WEEKDAYS[i] for i in w.working_days)
        reasons.append(Fact("pattern", w.worker_id, (), f"works {pattern} only"))
    for a in pb.team.absences:
        if a.worker_id == w.worker_id and a.covers(day):
            reasons.append(Fact("absence", w.worker_id, (a.start_date, a.end_date), a.kind))
    for f in reasons:
        lit = v.fact(f)
        assert lit is not None  # diagnosis only
        for x in xs:
            m.add_implication(lit, ~x)
