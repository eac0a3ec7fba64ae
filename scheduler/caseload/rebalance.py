"""`rota rebalance`: a CP-SAT proposal of the fewest reallocations that bring every worker to `ok`.

The unit of a move is a household's children held by one worker (a household moves as a
whole); unallocated children of a household form a unit too and are allocated in the same model.

Hard constraints:
- each unit ends with exactly one worker eligible for all its children (scheduler.policy.eligible;
  a unit may stay where it is), or, for unallocated children only, stays unallocated;
- at most K children change worker (allocating an unallocated child is not a reallocation);
- nobody receives a unit and ends `over` (demand hours above available hours, or points above
  capacity points, with the demand figures of `rota caseload`).

Objective, lexicographic (one CP-SAT solve per stage; each stage keeps the previous value):
1. workers still `over` + children still unallocated (the goal: every worker `ok`, which also
   removes every breach of "demand hours within available hours" that another allocation avoids);
2. children moved (fewer moves);
3. what is left over: minutes of demand above available hours, plus an hour for every point
   above capacity (fewer breaches where not everything can be fixed; never at the cost of a move);
4. unallocated children placed away from the worker who holds a sibling (same household);
5. travel minutes the demand takes (worker bases to households);
6. relationships: the days each moved child has been with their worker (children.csv
   `allocated_since`; when blank, since status_start_date), so the most recently allocated move.

A unit's demand is computed for each candidate worker exactly as `rota caseload` does (only
travel depends on the worker); the caseload tables before and after are recomputed from the
changed allocation, so they are the numbers `rota caseload` would show.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import date

from ortools.sat.python import cp_model

from ..domain import Child, Team
from ..horizon import Horizon
from ..params import SolveParams
from ..policy import eligible
from ..standards import Standard
from .demand import DemandModel
from .points import Weights, capacity_points, child_points, fixed_points
from .table import CaseloadReport, CaseloadRow, caseload_report, fmt_number

MOVE_COLUMNS = ["child_id", "household_id", "from_worker_id", "to_worker_id", "reason"]
DETERMINISTIC_PER_SECOND = SolveParams().deterministic_per_second  # as the planner (docs/benchmarks.md)
POINT_MINUTES = 60  # stage 2: one point over capacity weighs as an hour over
STAGES = ("unfixed", "moves", "excess", "apart", "travel", "relationship")


@dataclass(frozen=True)
class Unit:
    household_id: str
    from_worker_id: str | None  # None: unallocated
    children: tuple[Child, ...]


@dataclass(frozen=True)
class Move:
    child_id: str
    household_id: str
    from_worker_id: str  # "" when the child was unallocated
    to_worker_id: str
    reason: str

    def row(self) -> dict[str, str]:
        return {"child_id": self.child_id, "household_id": self.household_id,
                "from_worker_id": self.from_worker_id, "to_worker_id": self.to_worker_id, "reason": self.reason}


@dataclass(frozen=True)
class Proposal:
    moves: tuple[Move, ...]
    before: CaseloadReport
    after: CaseloadReport
    team_after: Team
    max_moves: int
    status: str  # OPTIMAL: every stage proven; FEASIBLE: some stage stopped by its time limit
    remaining: tuple[str, ...]  # what is still not fixed, in words (empty: everything fixed)
    more_moves_would_fix: int = 0  # at least this many more workers/children fixed with no limit on moves

    @property
    def fixed(self) -> bool:
        return not self.remaining

    @property
    def reallocations(self) -> int:
        return sum(1 for m in self.moves if m.from_worker_id)


def units_of(team: Team) -> list[Unit]:
    known = {w.worker_id for w in team.workers}
    groups: dict[tuple[str, str], list[Child]] = {}
    for c in team.children:
        holder = c.allocated_worker_id if c.allocated_worker_id in known else ""
        groups.setdefault((c.household_id, holder or ""), []).append(c)
    return [Unit(hid, wid or None, tuple(sorted(kids, key=lambda c: c.child_id)))
            for (hid, wid), kids in sorted(groups.items())]


def relationship_days(child: Child, on: date) -> int:
    since = child.allocated_since or child.status_start_date
    return max((on - since).days, 0)


def propose(team: Team, standard: Standard, horizon: Horizon, weights: Weights, max_moves: int = 10,
            time_limit: float = 10.0, seed: int = 0) -> Proposal:
    model = DemandModel(team, standard, horizon)
    before = caseload_report(team, standard, horizon, weights, model)
    units = units_of(team)
    assignment, status = _solve(team, model, weights, units, horizon.start, max_moves, time_limit, seed)
    team_after, after = _after(team, standard, horizon, weights, units, assignment)
    more = 0
    allocated = sum(1 for c in team.children if c.allocated_worker_id)
    if _unfixed_count(after) and max_moves < allocated:
        # would more moves fix more? (tells the supervisor whether raising --max-moves helps; a
        # short search: what it finds is a lower bound)
        unlimited, _ = _solve(team, model, weights, units, horizon.start, len(team.children), time_limit / 4,
                              seed, stages=1)
        more = _unfixed_count(after) - _unfixed_count(_after(team, standard, horizon, weights, units, unlimited)[1])
    moves = _moves(units, assignment, before, after, horizon.start)
    return Proposal(tuple(moves), before, after, team_after, max_moves, status,
                    _remaining(after, units, assignment), max(more, 0))


def _after(team: Team, standard: Standard, horizon: Horizon, weights: Weights, units: list[Unit],
           assignment: dict[Unit, str | None]) -> tuple[Team, CaseloadReport]:
    t = _reallocate(team, units, assignment, horizon.start)
    return t, caseload_report(t, standard, horizon, weights, DemandModel(t, standard, horizon))


def _unfixed_count(report: CaseloadReport) -> int:
    return len(report.over) + len(report.unallocated)


def _reallocate(team: Team, units: list[Unit], assignment: dict[Unit, str | None], on: date) -> Team:
    """The team with the proposed allocation, in memory (allocated_since = the plan's start)."""
    new_holder: dict[str, str] = {}
    for u in units:
        to = assignment[u]
        if to is not None and to != u.from_worker_id:
            for c in u.children:
                new_holder[c.child_id] = to
    children = tuple(replace(c, allocated_worker_id=new_holder[c.child_id], allocated_since=on)
                     if c.child_id in new_holder else c for c in team.children)
    return replace(team, children=children)


def _solve(team: Team, model: DemandModel, weights: Weights, units: list[Unit], on: date, max_moves: int,
           time_limit: float, seed: int, stages: int = len(STAGES)) -> tuple[dict[Unit, str | None], str]:
    m = cp_model.CpModel()
    workers = list(team.workers)
    x: dict[tuple[int, str], cp_model.IntVar] = {}
    left: dict[int, cp_model.IntVar] = {}
    demand: dict[tuple[int, str], int] = {}
    travel: dict[tuple[int, str], int] = {}
    points = {i: round(10 * sum(child_points(c, weights) for c in u.children)) for i, u in enumerate(units)}
    holder_of_sibling: dict[str, set[str]] = {}
    for u in units:
        if u.from_worker_id:
            holder_of_sibling.setdefault(u.household_id, set()).add(u.from_worker_id)
    for i, u in enumerate(units):
        occ = model.occurrences(u.children)
        for w in workers:
            stays = w.worker_id == u.from_worker_id
            if not stays and not all(eligible(w, c) for c in u.children):
                continue
            d = occ.demand(model.travel_each_way(w, u.children[0]))
            demand[(i, w.worker_id)], travel[(i, w.worker_id)] = d.minutes, d.travel_minutes
            x[(i, w.worker_id)] = m.new_bool_var(f"x[{u.household_id},{u.from_worker_id},{w.worker_id}]")
        options = [v for (j, _), v in x.items() if j == i]
        if u.from_worker_id is None:
            left[i] = m.new_bool_var(f"left[{u.household_id}]")
            options.append(left[i])
        m.add_exactly_one(options)

    moved = [len(u.children) * (1 - x[(i, u.from_worker_id)]) for i, u in enumerate(units) if u.from_worker_id]
    m.add(sum(moved) <= max_moves)

    over: dict[str, cp_model.IntVar] = {}
    excess: list[cp_model.LinearExprT] = []
    big = sum(demand.values()) + 10 * sum(points.values()) + 1
    for w in workers:
        mine = [(i, x[(i, w.worker_id)]) for i in range(len(units)) if (i, w.worker_id) in x]
        load = sum(demand[(i, w.worker_id)] * v for i, v in mine)
        pts = round(10 * fixed_points(w, weights)) + sum(points[i] * v for i, v in mine)
        avail = model.available_minutes(w)
        cap = round(10 * capacity_points(w, weights))
        over[w.worker_id] = o = m.new_bool_var(f"over[{w.worker_id}]")
        m.add(load <= avail + big * o)
        m.add(pts <= cap + big * o)
        for i, v in mine:
            if units[i].from_worker_id != w.worker_id:
                m.add_implication(v, o.Not())  # nobody is moved onto a worker who is then over
        ex_h = m.new_int_var(0, big, f"excess_minutes[{w.worker_id}]")
        ex_p = m.new_int_var(0, big, f"excess_points10[{w.worker_id}]")
        m.add(ex_h >= load - avail)
        m.add(ex_p >= pts - cap)
        excess.append(ex_h + POINT_MINUTES // 10 * ex_p)  # ex_p is in tenths of a point

    apart = []
    for i, u in enumerate(units):
        if u.from_worker_id is None:
            siblings = holder_of_sibling.get(u.household_id, set())
            if siblings and any((i, s) in x for s in siblings):
                apart.append(1 - sum(x[(i, s)] for s in siblings if (i, s) in x))
    objectives: list[cp_model.LinearExprT] = [
        sum(over.values()) + sum(len(units[i].children) * v for i, v in left.items()),
        sum(moved) if moved else 0,
        sum(excess),
        sum(apart) if apart else 0,
        sum(travel[k] * v for k, v in x.items()),
        sum(sum(relationship_days(c, on) for c in u.children) * (1 - x[(i, u.from_worker_id)])
            for i, u in enumerate(units) if u.from_worker_id),
    ]
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = 1  # deterministic: the same team gives the same proposal
    status_all = "OPTIMAL"
    deadline = time.monotonic() + time_limit
    # the status quo (everyone stays, unallocated children wait) is always a solution: start there
    hint: dict[cp_model.IntVar, int] = {v: int(units[i].from_worker_id == w) for (i, w), v in x.items()}
    hint.update({v: 1 for v in left.values()})
    for objective in objectives[:stages]:
        m.minimize(objective)
        m.clear_hints()
        for var, val in hint.items():
            m.add_hint(var, val)
        # a fixed deterministic budget per stage makes the proposal repeatable; the wall clock is
        # only the hard stop
        solver.parameters.max_deterministic_time = time_limit * DETERMINISTIC_PER_SECOND / stages
        solver.parameters.max_time_in_seconds = max(deadline - time.monotonic(), 0.5)
        status = solver.solve(m)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise RuntimeError(f"rebalance: the allocation model has no solution ({solver.status_name(status)})")
        if status != cp_model.OPTIMAL:
            status_all = "FEASIBLE"
        best = round(solver.objective_value)
        hint = {v: solver.value(v) for v in [*x.values(), *left.values()]}
        m.add(objective <= best)
    assignment: dict[Unit, str | None] = {}
    for i, u in enumerate(units):
        assignment[u] = next((w for (j, w), v in x.items() if j == i and hint[v]), None)
    return assignment, status_all


def _moves(units: list[Unit], assignment: dict[Unit, str | None], before: CaseloadReport,
           after: CaseloadReport, on: date) -> list[Move]:
    out = []
    for u in units:
        to = assignment[u]
        if to is None or to == u.from_worker_id:
            continue
        dest = after.row_of(to)
        target = (f"to {to}: eligible ({dest.worker.role.replace('_', ' ')}); with every proposed move "
                  f"{dest.utilisation:.2f} of available hours, {fmt_number(dest.points)} of "
                  f"{fmt_number(dest.capacity_points)} points")
        for c in u.children:
            if u.from_worker_id is None:
                origin = (f"unallocated {c.status} child (status since {c.status_start_date.isoformat()}, "
                          f"{(on - c.status_start_date).days} days)")
            else:
                src = before.row_of(u.from_worker_id)
                state = f"over: {src.why()}" if src.status == "over" else "ok; makes room for another move"
                since = c.allocated_since.isoformat() if c.allocated_since else "unknown date"
                origin = f"{u.from_worker_id} {state}; with {u.from_worker_id} since {since}"
                if len(u.children) > 1:
                    origin += f"; household {u.household_id} moves as a whole ({len(u.children)} children)"
            out.append(Move(c.child_id, u.household_id, u.from_worker_id or "", to, f"{origin}; {target}"))
    return out


def _remaining(after: CaseloadReport, units: list[Unit], assignment: dict[Unit, str | None]) -> tuple[str, ...]:
    out = [f"{r.worker_id} still over: {r.why()}" for r in after.over]
    for u in units:
        if u.from_worker_id is None and assignment[u] is None:
            ids = " ".join(c.child_id for c in u.children)
            out.append(f"household {u.household_id} ({ids}) still unallocated: no eligible worker can take it "
                       "without becoming over")
    return tuple(out)


def caseload_change(before: CaseloadRow, after: CaseloadRow) -> dict[str, str]:
    """One worker's figures before and after, for the terminal and rebalance.txt."""
    b, a = before.row(), after.row()
    return {"worker_id": before.worker_id, "children": f"{b['children']} -> {a['children']}",
            "points": f"{b['points']} -> {a['points']} / {a['capacity_points']}",
            "hours": f"{b['demand_hours']} -> {a['demand_hours']} / {a['available_hours']}",
            "utilisation": f"{b['utilisation']} -> {a['utilisation']}",
            "status": f"{b['status']} -> {a['status']}"}


__all__ = ["MOVE_COLUMNS", "Move", "Proposal", "Unit", "caseload_change", "propose", "units_of"]
