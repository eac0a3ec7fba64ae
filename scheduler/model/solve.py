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

from ortools.sat.python import cp_model

from ..clock import minutes_of
from ..params import SolveParams
from ..progress import ProgressEvent, ProgressFn
from ..routes import Stop as RouteStop
from ..routes import fits, minimal_misfit
from .build import Built, build
from .problem import Problem
from .share import Lit

STATUS = {cp_model.OPTIMAL: "OPTIMAL", cp_model.FEASIBLE: "FEASIBLE",
          cp_model.INFEASIBLE: "INFEASIBLE", cp_model.MODEL_INVALID: "MODEL_INVALID",
          cp_model.UNKNOWN: "UNKNOWN"}
SOLVED = (cp_model.OPTIMAL, cp_model.FEASIBLE)


@dataclass
class Solved:
    built: Built
    values: dict[int, int]  # variable index -> value
    status: str  # of the breach stage
    final_status: str  # of the last stage that produced the values
    breach_cost: int | None
    breaches_optimal: bool
    seconds: float
    stats: dict[str, object] = field(default_factory=dict)

    def value(self, var: Lit) -> int:
        return self.values.get(var.index, 0)


class _Progress(cp_model.CpSolverSolutionCallback):
    """Reports each better solution: stage, elapsed seconds, objective, bound, windows missed."""

    def __init__(self, report: ProgressFn | None, stage: str, t0: float, built: Built, scale: int = 1):
        super().__init__()
        self._report, self._stage, self._t0, self._built, self._scale = report, stage, t0, built, scale

    def on_solution_callback(self) -> None:
        if not self._report:
            return
        missed = {w.key for w in self._built.windows
                  if all(self.value(c) for c in w.conds) and not any(self.value(o) for o in w.window)}
        self._report(ProgressEvent("solving", _time.monotonic() - self._t0, self._stage,
                                   self.objective_value // self._scale, self.best_objective_bound // self._scale,
                                   len(missed)))


def _solver(work: float, seed: int, workers: int) -> cp_model.CpSolver:
    s = cp_model.CpSolver()
    # interleaved on one search thread: deterministic, and it runs LNS (1 worker does not)
    s.parameters.num_workers = workers
    s.parameters.interleave_search = True
    s.parameters.random_seed = seed
    s.parameters.max_deterministic_time = max(work, 0.2)
    return s


# Lexicographic stages: (name, objective terms, share of the work still unspent, search workers).
# Each stage keeps the previous stages' values (as constraints) and starts from their solution (as
# a hint); work a stage does not need (it proved optimality early) passes on to the next.
def _stages(params: SolveParams) -> tuple[tuple[str, tuple[str, ...], float, int], ...]:
    return (
        ("breaches", ("breach",), params.breach_stage_share, params.breach_stage_workers),
        # one stage for the rest: a third stage's presolve alone used up its share in every benchmark
        ("days late, cover, travel", ("change", "late", "added", "cover", "travel", "buffer", "fair"), 1.0,
         params.later_stage_workers),
    )


def solve(pb: Problem, time_limit: float, progress: ProgressFn | None = None, t0: float | None = None) -> Solved:
    """Lexicographic solve within `time_limit` wall seconds and pb.params' deterministic work
    budget; the result depends only on that budget, the inputs and the seed, unless the wall
    clock runs out first."""
    t0 = _time.monotonic() if t0 is None else t0
    params = pb.params
    if progress:
        progress(ProgressEvent("building", _time.monotonic() - t0, detail=(
            f"{len(pb.team.children)} children, {len(pb.team.workers)} workers, {len(pb.days)} working days")))
    built = build(pb)
    m = built.model
    stats: dict[str, object] = {"variables": len(m.proto.variables), "constraints": len(m.proto.constraints),
                                "build_seconds": round(_time.monotonic() - t0, 2)}
    if progress:
        progress(ProgressEvent("solving", _time.monotonic() - t0, detail=(
            f"{stats['variables']:,} variables, {stats['constraints']:,} constraints")))
    values: dict[int, int] = {}
    first_status, final, best_breach, optimal, deterministic = "UNKNOWN", "UNKNOWN", None, False, True
    spent = 0.0
    work = params.work_budget
    for k, (name, terms, share, workers) in enumerate(_stages(params)):
        obj = base = built.objective(terms, params.stage2_weights if k else None)
        # a family's tie-break (a re-plan's changes) guides the first stage, below a single breach
        # (scale > its largest total): otherwise it strays anywhere among the plans with the fewest
        # breaches and the next stage must find its way back; only the breaches are kept after it
        scale = 1 + sum(abs(c) for c, _ in built.share.tiebreak) if k == 0 and built.share.tiebreak else 1
        if scale > 1:
            tie = built.share.tiebreak
            obj = cp_model.LinearExpr.weighted_sum([base, *(x for _, x in tie)], [scale, *(c for c, _ in tie)])
        m.minimize(obj)
        if values:
            m.clear_hints()
            hint = m.proto.solution_hint
            hint.vars.extend(values.keys())
            hint.values.extend(values.values())
        elif built.share.hint:  # a re-plan starts from the previous plan
            for var, val in built.share.hint:
                m.add_hint(var, val)
        wall_left = time_limit - (_time.monotonic() - t0)
        if k and wall_left < 1.0:
            deterministic = False
            break  # out of time: keep the previous stage's solution
        s = _solver((work - spent) * share, params.seed, workers)
        if progress:
            progress(ProgressEvent("solving", _time.monotonic() - t0, name))
        s.parameters.max_time_in_seconds = max(wall_left, 1.0)
        st = s.solve(m, _Progress(progress, name, t0, built, scale))
        used = s.response_proto.deterministic_time
        spent += used
        # the model's time rules are a relaxation: check each planned day's route exactly and cut
        # off the days that do not fit, then solve again from the repaired solution
        rounds = 0
        while st in SOLVED and rounds < params.route_rounds:
            cuts = misfits(built, dict(enumerate(s.response_proto.solution)))
            if not cuts:
                break
            rounds += 1
            for lits in cuts:
                m.add_bool_or([~x for x in lits])
            m.clear_hints()
            for i, val in enumerate(s.response_proto.solution):
                m.proto.solution_hint.vars.append(i)
                m.proto.solution_hint.values.append(val)
            wall_left = time_limit - (_time.monotonic() - t0)
            s = _solver(max((work - spent) * share, 0.2), params.seed, workers)
            s.parameters.max_time_in_seconds = max(wall_left, 1.0)
            st = s.solve(m, _Progress(progress, name, t0, built, scale))
            used += s.response_proto.deterministic_time
            spent += s.response_proto.deterministic_time
            stats["route_cuts"] = int(stats.get("route_cuts", 0)) + len(cuts)  # type: ignore[call-overload]
        stats[f"route rounds {name}"] = rounds
        if st not in (cp_model.OPTIMAL, cp_model.INFEASIBLE) and used < s.parameters.max_deterministic_time * 0.999:
            deterministic = False  # the wall clock, not the deterministic budget, ended it
        stats[f"stage {name}"] = f"{STATUS[st]} {s.objective_value // scale if st in SOLVED else ''}"
        if st not in SOLVED:
            if k == 0:
                return Solved(built, {}, STATUS[st], STATUS[st], None, False, _time.monotonic() - t0, stats)
            break  # keep the previous stage's solution
        values = _tighten(built, dict(enumerate(s.response_proto.solution)))
        value = round(s.objective_value)
        if k == 0:
            first_status, best_breach, optimal = STATUS[st], value // scale, st == cp_model.OPTIMAL
        final = STATUS[st]
        m.add(base <= value // scale)  # later stages may not give this back
    stats["deterministic"] = deterministic
    stats["work_spent"] = round(spent, 2)
    return Solved(built, values, first_status, final, best_breach, optimal, _time.monotonic() - t0, stats)


def misfits(built: Built, values: dict[int, int]) -> list[list[Lit]]:
    """For each planned worker-day whose stops fit no route, the smallest set of its stops that
    still does not fit (by deletion): a cut the model must respect."""
    pb = built.pb
    workers = {w.worker_id: w for w in pb.team.workers}
    cuts = []
    for (wid, _di), loads in sorted(built.v.loads.items()):
        chosen = [load for load in loads if values.get(load.var.index)]
        if not chosen:
            continue
        w = workers[wid]
        stops = [RouteStop(k, pb.location(load.household_id), load.minutes, *load.window)
                 for k, load in enumerate(chosen)]
        args = ((w.base_lat, w.base_lon), minutes_of(w.day_start), minutes_of(w.day_end))
        if fits(*args, stops, pb.travel.minutes):
            continue
        core = minimal_misfit(*args, stops, pb.travel.minutes)
        cuts.append([chosen[int(st.key)].var for st in core])  # type: ignore[call-overload]
    return cuts


def _tighten(built: Built, values: dict[int, int]) -> dict[int, int]:
    """Set each objective-only literal to the least value the decisions allow (a better hint)."""
    out = dict(values)
    for var, conds, window in built.share.derived:
        out[var.index] = int(all(out[c.index] for c in conds) and not any(out[w.index] for w in window))
    return out
