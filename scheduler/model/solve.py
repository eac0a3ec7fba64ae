"""Solving: lexicographic, deterministic.

Stage 1 minimises severity-weighted breaches (its optimality is what "proven unavoidable"
rests on); stage 2 fixes that value and, hinted with stage 1's solution, minimises days late,
cover, travel, buffer and spread. Determinism: interleaved search (several strategies and LNS
on one thread, reproducible) limited by CP-SAT's deterministic time; a wall-clock limit would
make the result depend on machine load, so it only backs up --time-limit (the summary says when
it, rather than the deterministic budget, ended a stage).
"""
from __future__ import annotations

import time as _time
from dataclasses import dataclass, field
from typing import Callable

from ortools.sat.python import cp_model

from .build import STAGE2_WEIGHTS, build, objective
from .context import Context
from .demand import Problem

STATUS = {cp_model.OPTIMAL: "OPTIMAL", cp_model.FEASIBLE: "FEASIBLE",
          cp_model.INFEASIBLE: "INFEASIBLE", cp_model.MODEL_INVALID: "MODEL_INVALID",
          cp_model.UNKNOWN: "UNKNOWN"}
STAGE1_SHARE = 0.4


@dataclass
class Solved:
    ctx: Context
    values: dict[int, int]  # variable index -> value
    status: str  # of the breach stage
    final_status: str  # of the last stage that produced the values
    breach_cost: int | None
    breaches_optimal: bool
    seconds: float
    stats: dict[str, float] = field(default_factory=dict)

    def value(self, var) -> int:
        return self.values.get(var.Index(), 0)


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Callable[[str, float, float], None] | None, stage: str, t0: float):
        super().__init__()
        self._report, self._stage, self._t0 = report, stage, t0

    def on_solution_callback(self) -> None:
        if self._report:
            self._report(self._stage, _time.monotonic() - self._t0, self.ObjectiveValue())


# CP-SAT's deterministic time runs at roughly 0.3-0.5 of wall time on this 2-core machine
# (docs/benchmarks.md). Budgets are set in deterministic time so the same inputs give the same
# rota; the wall-clock limit is the hard stop that keeps --time-limit honest.
DETERMINISTIC_PER_SECOND = 0.5
SEARCH_WORKERS = 4  # interleaved on one thread: deterministic, and it runs LNS (1 worker does not)


def _solver(wall_budget: float, seed: int) -> cp_model.CpSolver:
    s = cp_model.CpSolver()
    s.parameters.num_workers = SEARCH_WORKERS
    s.parameters.interleave_search = True
    s.parameters.random_seed = seed
    s.parameters.max_deterministic_time = max(wall_budget * DETERMINISTIC_PER_SECOND, 0.2)
    s.parameters.max_time_in_seconds = max(wall_budget, 0.5)
    return s


def solve(pb: Problem, time_limit: float = 60.0, seed: int = 0,
          progress: Callable[[str, float, float], None] | None = None) -> Solved:
    t0 = _time.monotonic()
    ctx = build(pb)
    m = ctx.model
    breach_obj = objective(ctx, ("breach",))
    m.Minimize(breach_obj)
    s1 = _solver(time_limit * STAGE1_SHARE, seed)
    st1 = s1.Solve(m, _Progress(progress, "breaches", t0))
    stats = {"build_and_stage1_seconds": round(_time.monotonic() - t0, 2),
             "variables": len(m.Proto().variables), "constraints": len(m.Proto().constraints)}
    if st1 not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Solved(ctx, {}, STATUS[st1], STATUS[st1], None, False, _time.monotonic() - t0, stats)
    values = _values(m, s1)
    best = int(round(s1.ObjectiveValue()))
    optimal = st1 == cp_model.OPTIMAL

    # stage 2: keep the breach cost, improve everything else
    m.Add(breach_obj <= best)
    m.ClearHints()
    for i, v in values.items():
        m.Proto().solution_hint.vars.append(i)
        m.Proto().solution_hint.values.append(v)
    m.Minimize(objective(ctx, tuple(STAGE2_WEIGHTS), STAGE2_WEIGHTS))
    s2 = _solver(time_limit * (1 - STAGE1_SHARE), seed)
    s2.parameters.max_time_in_seconds = max(time_limit - (_time.monotonic() - t0), 0.5)
    st2 = s2.Solve(m, _Progress(progress, "preferences", t0))
    final = STATUS[st1]
    if st2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = _values(m, s2)
        final = STATUS[st2]
    stats["stage2_status"] = final
    wall_hit = any(x.ResponseProto().deterministic_time < x.parameters.max_deterministic_time * 0.999
                   and x.ResponseProto().status not in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
                   for x in (s1, s2))
    stats["deterministic"] = not wall_hit
    return Solved(ctx, values, STATUS[st1], final, best, optimal, _time.monotonic() - t0, stats)


def _values(m: cp_model.CpModel, s: cp_model.CpSolver) -> dict[int, int]:
    return dict(enumerate(s.ResponseProto().solution))
