"""Solving: lexicographic, deterministic, and checked against real routes.

Stage 1 minimises severity-weighted breaches (its proven optimum is what "proven unavoidable"
rests on); stage 2 keeps that value and, hinted with stage 1's solution, minimises days late,
cover, travel, buffer and spread. Each stage's solution is checked day by day with exact routes
(scheduler.routes): the model's time rules are a relaxation of the verifier's, so a day that
does not fit is cut off (a valid cut: no order of those stops fits) and the stage solved again
from the repaired solution, a few times with a small budget each; whatever still does not fit
after that is dropped from the solution (repair), which never makes a day not fit.

Determinism: interleaved search on one thread, limited by CP-SAT's deterministic time; the
wall clock only backs up --time-limit (the summary says when it, rather than the deterministic
budget, ended a stage).
"""
from __future__ import annotations

import ctypes
import time as _time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from ortools.sat.python import cp_model

from ..clock import minutes_of
from ..params import SolveParams
from ..policy import MEETING_ACTIVITY
from ..progress import ProgressEvent, ProgressFn
from ..routes import Stop as RouteStop
from ..routes import fits, minimal_misfit
from ..solution import PlannedActivity
from .build import Built, build
from .families.continuity import Described, described_stops, keeps_times, kept_variables
from .problem import Cadence, Problem
from .share import Lit
from .variables import Load, Variables, making

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
    breach_bound: int | None = None  # a proven lower bound on the breach cost of any valid rota

    def value(self, var: Lit) -> int:
        return self.values.get(var.index, 0)


class _Progress(cp_model.CpSolverSolutionCallback):
    """Reports each better solution: stage, elapsed seconds, objective, bound, windows missed.

    It also ends the search when the solution is good enough, and proven so:
    - with `scale` > 1 (the fewest-breaches stage: breaches x scale + tie-breaks worth less than
      one breach) and `enough`: once the breach part is proven - the bound, or the known floor
      (`floor`: what the calendar alone forbids), rules out one breach fewer - and the
      tie-break (cover visits) is no more than `enough` (`scale`: any; or the hand method's
      cover, SolveParams.breach_stage_cover_no_worse), rather than spending the budget proving
      the tie-break (the demo team: breaches proven at 1.9 units, the tie-break at 5.4);
    - with `gap`: once the objective is within that fraction of the bound.
    Checked at each new solution, a point of the search that depends only on the deterministic
    work done, so the rota stays the same on a busy machine."""

    def __init__(self, report: ProgressFn | None, stage: str, t0: float, built: Built, scale: int = 1,
                 gap: float = 0.0, enough: int | None = None, floor: int = 0):
        super().__init__()
        self._report, self._stage, self._t0, self._built = report, stage, t0, built
        self._scale = scale  # the first stage weighs breaches by it (tie-breaks below one breach)
        self._gap = gap  # end once the best objective is within this fraction of the bound
        self._enough = enough  # with scale: a tie-break value low enough to end on once breaches are proven
        # with scale: a known lower bound on the breaches (what the calendar alone forbids,
        # Share.fixed_cost) - reached, they are proven whatever the search's own bound says
        self._floor = floor
        self.first: float | None = None  # seconds from the plan's start to the first solution
        self._best: int | None = None  # the best objective found so far
        self.ended_itself = False  # the search ended itself: good enough, proven

    def _proven(self, bound: float) -> bool:
        if self._best is None:
            return False
        if self._scale > 1:
            # objective = breaches x scale + tie-break (0 <= tie-break < scale): breaches >= ceil(bound / scale)
            lower = max(-(-round(bound) // self._scale), self._floor)
            if self._enough is None or self._best % self._scale > self._enough:
                return False
            if lower >= self._best // self._scale:
                return True
            # the objective may count a breach whose window is met (objective-only literals are
            # left loose by the search): the solution's tight breach cost may be proven already
            return self._built is not None and lower >= self._built.tight_breaches(self.response_proto.solution)
        return self._gap > 0 and self._best - bound <= self._gap * abs(self._best)

    def on_solution_callback(self) -> None:
        if self.first is None:
            self.first = _time.monotonic() - self._t0
        self._best = round(self.objective_value)
        # not on a solution found before the search (CP-SAT 9.15 aborts, "solution->size() ==
        # postsolve_mapping.size()"): on a tiny model's presolve (under 0.01 units of work, seen
        # on a 2-worker test team), or the hint completed (the demo team's, when the hint already
        # met the fewest breaches)
        if self.deterministic_time >= 0.01 and not self.response_proto.solution_info.startswith("complete_hint") \
                and self._proven(self.best_objective_bound):
            self.ended_itself = True
            self.stop_search()
        self._report_solution()

    def _report_solution(self) -> None:
        if not self._report:
            return
        missed = {w.key for w in self._built.windows
                  if all(self.value(c) for c in w.conds) and not any(self.value(o) for o in w.window)}
        # every objective term is non-negative, and the fewest-breaches stage's breaches are at least
        # what the calendar forbids: a bound CP-SAT reports below that says nothing a reader can use
        # (the progress line showed "best 384 bound -258")
        bound = max(self.best_objective_bound // self._scale, self._floor if self._scale > 1 else 0)
        self._report(ProgressEvent("solving", _time.monotonic() - self._t0, self._stage,
                                   self.objective_value // self._scale, bound, len(missed)))


@dataclass
class _Clock:
    """The deterministic work budget and the wall-clock deadline shared by every solve."""

    work: float
    deadline: float
    spent: float = 0.0
    wall_cut: bool = False  # the wall clock, not the deterministic budget, ended a solve
    first: dict[str, float | None] = field(default_factory=dict)  # stage -> seconds to its first solution
    ignore: tuple[str, ...] = ()  # CP-SAT subsolvers left out (SolveParams.ignore_subsolvers)
    probing: int | None = None  # CP-SAT's presolve probing level (SolveParams.probing_level)

    def left(self) -> float:
        return max(self.work - self.spent, 0.0)

    def solver(self, work: float, seed: int, workers: int, presolve: int | None = None) -> cp_model.CpSolver:
        """A solver for one solve; `presolve`: CP-SAT's presolve passes (None: its default)."""
        s = cp_model.CpSolver()
        # interleaved on one search thread: deterministic, and it runs LNS (1 worker does not)
        s.parameters.num_workers = workers
        s.parameters.interleave_search = True
        s.parameters.random_seed = seed
        s.parameters.max_deterministic_time = max(work, 0.05)
        s.parameters.max_time_in_seconds = max(self.deadline - _time.monotonic(), 0.5)
        s.parameters.ignore_subsolvers.extend(self.ignore)
        if self.probing is not None:
            s.parameters.cp_model_probing_level = self.probing
        if presolve is not None:
            s.parameters.max_presolve_iterations = presolve
        return s

    def account(self, s: cp_model.CpSolver, status: cp_model.CpSolverStatus, stopped: bool = False) -> None:
        """Count the work a solve used; `stopped`: it ended itself (the breach part proven)."""
        used = s.response_proto.deterministic_time
        self.spent += used
        if status not in (cp_model.OPTIMAL, cp_model.INFEASIBLE) and not stopped \
                and used < s.parameters.max_deterministic_time * 0.999:
            self.wall_cut = True


@dataclass
class _Stage:
    status: cp_model.CpSolverStatus
    values: dict[int, int]
    objective: int
    bound: int
    repaired: bool  # stops were dropped after the route rounds: not the solver's optimum any more
    rounds: int
    cuts: int


def _stages(params: SolveParams) -> tuple[tuple[str, tuple[str, ...], int], ...]:
    """(name, objective terms, search workers) for each lexicographic stage."""
    return (
        ("breaches", ("breach",), params.breach_stage_workers),
        # one stage for the rest: a third stage's presolve alone used up its share in every benchmark
        ("days late, cover, travel", ("change", "afresh", "late", "added", "cover", "travel", "buffer", "fair"),
         params.later_stage_workers),
    )


_M_ARENA_MAX = -8  # glibc's mallopt option (malloc.h)


def one_malloc_arena() -> None:
    """Ask glibc for one heap ("arena") for every thread of this process. By default each CP-SAT
    search thread gets its own and keeps what a solve frees there, so the next solve's presolve
    and subsolvers grow the process further: measured on a generated 10 / 200 team over 12 weeks
    (swindon), peak memory 2,201 MB with the default and 1,908 MB with one arena, the same rota in
    the same time (docs/benchmarks.md). Elsewhere than glibc (no libc.so.6) nothing is set."""
    try:
        ctypes.CDLL("libc.so.6").mallopt(_M_ARENA_MAX, 1)
    except (OSError, AttributeError):
        pass


def solve(pb: Problem, time_limit: float, progress: ProgressFn | None = None, t0: float | None = None) -> Solved:
    """Lexicographic solve within `time_limit` wall seconds and pb.params' deterministic work
    budget; the result depends only on that budget, the inputs and the seed, unless the wall
    clock runs out first."""
    t0 = _time.monotonic() if t0 is None else t0
    one_malloc_arena()  # before CP-SAT starts its threads
    params = pb.params
    if progress:
        progress(ProgressEvent("building", _time.monotonic() - t0, detail=(
            f"{len(pb.team.children)} children, {len(pb.team.workers)} workers, {len(pb.days)} working days")))
    built = build(pb)
    m = built.model
    stats: dict[str, object] = {"variables": len(m.proto.variables), "constraints": len(m.proto.constraints),
                                "build_seconds": round(_time.monotonic() - t0, 2)}
    clock = _Clock(params.work_budget, t0 + time_limit, ignore=params.ignore_subsolvers,
                   probing=params.probing_level)
    values: dict[int, int] = {}
    first_status, final, best_breach, optimal, bound = "UNKNOWN", "UNKNOWN", None, False, None
    relaxed = False  # the plan came from the proving stage: later stages without planning margins
    _plan_mode(built, True)  # planning margins on; off only to prove the breach bound
    # the hand method's plan (earliest deadline first), whole and completed: a rota the verifier
    # accepts (None for a re-plan). The plan never misses more; and the fewest-breaches stage may
    # end as soon as its breach count is proven with no more cover visits than this plan has
    hand = _whole_start_plan(built, clock)
    for k, (name, terms, workers) in enumerate(_stages(params)):
        if k and clock.deadline - _time.monotonic() < 1.0:
            clock.wall_cut = True
            break  # out of time: keep the previous stage's solution
        # stage 1 gets its share of the budget; later stages what is left, up to their cap
        work = clock.left() * params.breach_stage_share if k == 0 else min(clock.left(), params.later_stage_work)
        breach = built.objective(("breach",))
        scale = 1
        obj: cp_model.LinearExprT
        if k == 0:
            # fewest breaches first; among plans with as few, the fewest changes to a previous plan
            # (a re-plan's tie-break) and cover visits (a worker's own children are theirs to see),
            # all together weighing less than one breach. The proof of the fewest breaches is the
            # bound below.
            tie = built.share.tiebreak
            cover = built.share.terms.get("cover", []) if params.stage1_cover_tiebreak else []
            scale = 1 + len(cover) + sum(abs(c) for c, _ in tie)
            obj = cp_model.LinearExpr.weighted_sum([breach, *(x for _, x in cover), *(x for _, x in tie)],
                                                   [scale, *(1 for _ in cover), *(c for c, _ in tie)])
        else:
            obj = built.objective(terms, dict(params.stage2_weights))
        m.minimize(obj)
        if progress:
            progress(ProgressEvent("solving", _time.monotonic() - t0, name))
        before = clock.spent
        if k == 0 and hand is not None and _value(built, "breach", hand) <= built.share.fixed_cost:
            # the hand method's plan misses only what the calendar alone forbids (windows due
            # before the plan): its breaches are the fewest, proven without a search
            stage = _Stage(cp_model.OPTIMAL, hand, 0, 0, False, 0, 0)
        else:
            stage = _solve_stage(built, obj, values or hand or _first_hint(built), work, clock, workers, name,
                                 progress, t0, scale, gap=params.later_stage_gap if k else 0.0,
                                 reserve=params.route_reserve if relaxed else 0.0,
                                 enough=None if k or hand is None else
                                 _value(built, "cover", hand) if params.breach_stage_cover_no_worse else scale,
                                 presolve=params.later_presolve_iterations if k else params.breach_presolve_iterations)
        stats[f"work {name}"] = round(clock.spent - before, 2)
        stats[f"stage {name}"] = (f"{STATUS[stage.status]} {stage.objective if stage.status in SOLVED else ''}"
                                  + (" repaired" if stage.repaired else ""))
        if k == 0 and stage.values is hand:
            stats[f"stage {name}"] = "the hand method's plan: it misses only what the calendar forbids"
        stats[f"route rounds {name}"] = f"{stage.rounds} ({stage.cuts} cuts)"
        if stage.status not in SOLVED:
            if k == 0:
                return Solved(built, {}, STATUS[stage.status], STATUS[stage.status], None, False,
                              _time.monotonic() - t0, stats)
            final = "FEASIBLE"  # the previous stage's solution, not proven best for this one
            break
        values = _tighten(built, stage.values)
        if k == 0:
            best_breach = _value(built, "breach", values)
            # never fewer children seen than by hand: the search starts from the hand method's plan
            # cut to the planning margins; whole, that plan is a rota the verifier accepts, and if
            # it has fewer breaches it is the plan (the later stage then without the margins)
            if hand is not None and _value(built, "breach", hand) < best_breach:
                values, relaxed = _tighten(built, hand), True
                stats["breaches found by the hand method"] = best_breach - _value(built, "breach", values)
                best_breach = _value(built, "breach", values)
            before = clock.spent
            bound, better = _breach_bound(built, values, best_breach, clock, workers, progress, t0)
            stats["work breach bound"] = round(clock.spent - before, 2)
            stats["breach bound"] = bound
            if better is not None:
                # the proof's own search found a rota with fewer breaches whose every day fits a
                # real route: it is the plan now, and the later stage works without the planning
                # margins (the route rounds check its days) so as not to give it back
                values, relaxed = _tighten(built, better), True
                stats["breaches found by the proof"] = best_breach - _value(built, "breach", values)
                best_breach = _value(built, "breach", values)
            if relaxed:
                # no planning margins (the route rounds check the days instead), and cover only
                # from the plan pool or where the plan already has it: a smaller search that
                # keeps the plan it starts from
                _plan_mode(built, False, keep=values)
            optimal = bound is not None and best_breach <= bound
            stats["seconds to proof"] = round(_time.monotonic() - t0, 1) if optimal else None
            first_status = "OPTIMAL" if optimal else "FEASIBLE"
            m.add(breach <= best_breach)  # later stages may not give this back
        final = STATUS[stage.status] if not stage.repaired else "FEASIBLE"
    if relaxed:
        _plan_mode(built, True)
    if values:
        values, swapped = own_worker_swaps(built, values, clock)
        if swapped:
            stats["cover given back to the child's own worker"] = swapped
        values, moved = own_worker_other_day(built, values, clock)
        if moved:
            stats["cover given back on another day"] = moved
    if values:
        # in a re-plan too: a move is kept only when the later stage's objective, which prices
        # every change to the previous plan, falls
        values, sooner = overdue_sooner(built, values, clock)
        if sooner:
            stats["overdue children seen sooner"] = sooner
    values, total = fill_until_none_unseen(built, values, clock)
    if total:
        stats["overdue filled"] = total
    if values and pb.previous:
        values, dropped = drop_unneeded(built, values, clock)
        if dropped:
            stats["additions nothing needed, dropped"] = dropped
    if values:
        stats["later objective, final"] = _later(built, values)  # after the post-passes
    for name, at in clock.first.items():
        stats[f"first solution {name}"] = None if at is None else round(at, 1)
    stats["deterministic"] = not clock.wall_cut
    stats["work_spent"] = round(clock.spent, 2)
    return Solved(built, values, first_status, final, best_breach, optimal, _time.monotonic() - t0, stats, bound)


def fill_until_none_unseen(built: Built, values: dict[int, int], clock: _Clock) -> tuple[dict[int, int], int]:
    """fill_unseen, then the rest of the solution completed, again and again: an occurrence filled
    in starts a new interval, which may itself go unmet (each round adds occurrences, so it ends;
    at most params.fill_rounds rounds). Returns the solution and how many occurrences were added."""
    total = 0
    for _ in range(built.pb.params.fill_rounds):
        filled, added = fill_unseen(built, values)
        if not added:
            break
        completed = _repair(built, filled, clock)
        if completed is None:
            # together they do not complete (a rule the day-by-day check does not see): each on
            # its own, so one such addition does not cost the others their fill-in
            completed, added = _fill_one_at_a_time(built, values, filled, clock)
            if completed is None:
                break
        values = _tighten(built, completed[0])
        total += added
    return values, total


def _fill_one_at_a_time(built: Built, values: dict[int, int], filled: dict[int, int],
                        clock: _Clock) -> tuple[tuple[dict[int, int], int] | None, int]:
    """fill_unseen's additions (in `filled`, not in `values`) tried one by one, in variable order,
    each kept when the solution with it still completes (at most params.sooner_tries tries).
    Returns the last completed solution (None: none did) and how many additions it has."""
    chosen = {x.index: values.get(x.index, 0) for x in decisions(built)}
    completed, kept = None, 0
    for i in sorted(i for i, val in filled.items() if val and not chosen.get(i))[:built.pb.params.sooner_tries]:
        trial = {**chosen, i: 1}
        done = _repair(built, trial, clock)
        if done is not None:
            chosen, completed, kept = trial, done, kept + 1
    return completed, kept


def fill_unseen(built: Built, values: dict[int, int]) -> tuple[dict[int, int], int]:
    """Overdue children first, made certain: every requirement missed and not met again in the
    rest of the horizon gets an occurrence on the earliest working day on which an eligible worker
    (the allocated worker first) has room for it - the exact route fits, the daily visit limit
    holds and no child it sees is seen twice that day. Returns the decisions with the additions
    and how many were added."""
    pb, v = built.pb, built.v
    chosen = {x.index: values.get(x.index, 0) for x in decisions(built)}
    added = 0
    seen_by = _seen_by(v)
    meeting_of = {x.index: (cid, act, di) for (cid, act, di, _w), x in v.meet.items()}
    where = _stops(v)
    workers = {w.worker_id: w for w in pb.team.workers}
    todo = sorted((w for w in built.windows if all(values.get(c.index) for c in w.conds)
                   and not any(values.get(o.index) for o in w.window)),
                  key=lambda w: (-w.cadence.sev, w.due, w.key))
    for w in todo:
        cd = w.cadence
        first = w.after + timedelta(days=1) if w.after is not None else pb.start
        days = [di for di, d in enumerate(pb.days) if d >= first]
        if any(chosen.get(x.index) for di in days for x in _makers(v, cd, di)):
            continue  # met later in the horizon (late): not unseen
        # still due: the latest day in time, which leaves the next interval the most room; then
        # (or when already overdue) the earliest day after the due date
        days = ([di for di in reversed(days) if pb.days[di] <= w.due]
                + [di for di in days if pb.days[di] > w.due])
        rank = {wk.worker_id: k for k, wk in enumerate(pb.candidates(cd.child))}
        placed = False
        for di in days:
            for x in sorted(_makers(v, cd, di), key=lambda x: (rank.get(where[x.index][0], 99), x.index)):
                wid, _, load = where[x.index]
                if any(chosen.get(o.index) for c in seen_by.get(x.index, []) for o in v.child_visits[(c, di)]):
                    continue  # a child it sees is already seen that day
                if x.index in meeting_of and any(chosen.get(o.index) for o in v.meetings_by_day[meeting_of[x.index]]):
                    continue  # the meeting is already held that day
                day_loads = [ld for ld in v.loads[(wid, di)] if chosen.get(ld.var.index)] + [load]
                if pb.day_fits(workers[wid], day_loads):
                    chosen[x.index] = 1
                    added += 1
                    placed = True
                    break
            if placed:
                break
    return chosen, added


def _makers(v: Variables, cd: Cadence, di: int) -> list[Lit]:
    """The decision variables that would be an occurrence of the cadence's requirement on day di."""
    cid = cd.child.child_id
    if cd.requirement in ("visit", "seen_alone"):
        return list(v.child_visits.get((cid, di), []))
    if cd.requirement == "bedroom":
        homes = {x.index for (hid, d, _w, _k), x in v.home.items() if d == di and hid == cd.child.household_id}
        return [x for x in v.child_visits.get((cid, di), []) if x.index in homes]
    act = MEETING_ACTIVITY[cd.requirement]
    return list(v.meetings_by_day.get((cid, act, di), []))


def _value(built: Built, name: str, values: dict[int, int]) -> int:
    return sum(coef * values.get(var.index, 0) for coef, var in built.share.terms.get(name, []))


# objective terms only the planning margins give a value to (plan_mode on): a solution completed
# with the margins off (the post-passes' _repair, _improve) has them at 0, so comparing a
# searched solution with a completed one on them would credit the post-pass for nothing
PLANNING_ONLY = ("afresh",)


def _later(built: Built, values: dict[int, int]) -> int:
    """The later stage's objective (days late, changes, cover, travel..., with its weights), as
    the post-passes compare solutions: without the PLANNING_ONLY terms."""
    return sum(weight * _value(built, name, values) for name, weight in built.pb.params.stage2_weights
               if name not in PLANNING_ONLY)


def _first_hint(built: Built) -> dict[int, int]:
    """Where the first stage starts: a re-plan from the previous plan (Share.hint); a plan from the
    plan it was given to start from (Problem.start_from: the earliest-deadline-first plan, a natural
    one with the children's own workers); otherwise no cover, the rest left to the solver."""
    if built.share.hint:
        return {x.index: val for x, val in built.share.hint}
    if built.pb.start_from:
        # whole: the planning margins leave the start plan's days be (Variables.start)
        return hint_from(built, built.pb.start_from)
    cover = {x.index for _, x in built.share.terms.get("cover", [])}
    return {x.index: 0 for x in decisions(built) if x.index in cover}


def _whole_start_plan(built: Built, clock: _Clock) -> dict[int, int] | None:
    """The plan the search started from (Problem.start_from: the earliest-deadline-first plan), as
    it is - every worker, no planning margin - completed into a solution; None for a re-plan, when
    there is none, or when it cannot be completed."""
    pb = built.pb
    if pb.previous or not pb.start_from:
        return None
    done = _repair(built, hint_from(built, pb.start_from), clock)
    fitting = None if done is None else _fitting(built, done[0], clock)
    return None if fitting is None else _tighten(built, fitting)


def _fitting(built: Built, values: dict[int, int], clock: _Clock) -> dict[int, int] | None:
    """A complete solution whose every worker-day fits a real route (scheduler.routes): as it
    is, or with the stops that do not fit moved to a colleague's day or dropped (reinsert) and
    the rest completed; None when that cannot be completed. Checked with the same routes the
    rota is written from, so a solution kept from outside the search never gives a day that
    does not fit."""
    cuts, dropped = misfits(built, values)
    if not cuts:
        return values
    repaired = _repair(built, reinsert(built, {x.index: values.get(x.index, 0) for x in decisions(built)}, dropped),
                       clock)
    if repaired is None or misfits(built, repaired[0])[0]:
        return None
    return repaired[0]


def hint_from(built: Built, acts: Sequence[PlannedActivity]) -> dict[int, int]:
    """The decision variables that would make the given activities (every other one 0)."""
    chosen = making(built.pb, built.v, acts)
    return {x.index: int(x.index in chosen) for x in decisions(built)}


def _plan_mode(built: Built, on: bool, keep: dict[int, int] | None = None) -> None:
    """Planning or proving: fix the planning-margins switch, and in planning rule out cover by a
    worker outside the child's plan pool (Problem.plan_pool) - both through variable domains, so
    the model keeps one shape and presolve drops what is fixed. With `keep` (margins off): cover
    outside the pool ruled out too, except where `keep` has it. Cover in the plan the search
    starts from, or in a re-plan's previous plan (Built.protected), is never ruled out."""
    _set_mode(built.model.proto, built, on, keep)


def _set_mode(proto: Any, built: Built, on: bool, keep: dict[int, int] | None = None) -> None:
    domain = proto.variables[built.v.plan_mode.index].domain
    domain[0] = domain[1] = int(on)
    protected = built.protected
    for (wid, _di), loads in built.v.loads.items():
        for load in loads:
            if wid not in load.pool:
                # the start plan's own cover, and a previous plan's, stay possible (Built.protected)
                allowed = (not on and (keep is None or bool(keep.get(load.var.index)))) or load.var.index in protected
                proto.variables[load.var.index].domain[1] = int(allowed)


def _breach_bound(built: Built, hint: dict[int, int], planned: int, clock: _Clock,
                  workers: int, progress: ProgressFn | None, t0: float) -> tuple[int | None, dict[int, int] | None]:
    """A lower bound on the breach cost of every rota the verifier accepts: the fewest breaches
    solved for with the planning margins off and every eligible worker free to cover (the model is
    then a relaxation of the verifier's rules), starting from the plan. Equal to the plan's cost:
    every breach is proven unavoidable.
    Also a better plan when this search finds one: a solution with fewer breaches than `planned`
    whose days all fit a real route (or do once the stops that do not fit are moved or dropped,
    scheduler.model.solve.reinsert) is a rota the verifier accepts - not for a re-plan, whose
    plan must keep to the previous one (the continuity tie-break is not in this objective)."""
    m, params = built.model, built.pb.params
    if planned <= built.share.fixed_cost:
        return planned, None  # nothing the plan misses could have been met: no search needed
    m.minimize(built.objective(("breach",)))
    _plan_mode(built, False)
    try:
        _hint(m, hint)
        work = clock.left() * 0.5
        s = clock.solver(work, params.seed, workers, params.breach_presolve_iterations)
        st = s.solve(m, _Progress(progress, "proving the fewest breaches", t0, built))
        clock.account(s, st)
        if st not in SOLVED:
            return None, None
        bound = round(s.best_objective_bound)
        solution = dict(enumerate(s.response_proto.solution))
        if _value(built, "breach", solution) >= planned or built.pb.previous:
            return bound, None
        found = _fitting(built, solution, clock)
        return bound, (found if found is not None and _value(built, "breach", found) < planned else None)
    finally:
        _plan_mode(built, True)


def _solve_stage(built: Built, obj: cp_model.LinearExprT, hint: dict[int, int], work: float, clock: _Clock,
                 workers: int, name: str, progress: ProgressFn | None, t0: float, scale: int = 1,
                 gap: float = 0.0, reserve: float = 0.0, enough: int | None = None,
                 presolve: int | None = None) -> _Stage:
    """One lexicographic stage: solved, then its days checked against real routes (cuts and a
    few short solves from the repaired solution). `reserve`: the share of `work` kept for those
    rounds (a stage without planning margins needs them)."""
    m, params = built.model, built.pb.params
    _hint(m, hint)
    s = clock.solver(work * (1 - reserve), params.seed, workers, presolve)
    watch = _Progress(progress, name, t0, built, scale, gap, enough, built.share.fixed_cost)
    st = s.solve(m, watch)
    clock.account(s, st, watch.ended_itself)
    clock.first.setdefault(name, watch.first)
    if st not in SOLVED:
        return _Stage(st, {}, 0, 0, False, 0, 0)
    bound = round(s.best_objective_bound)
    values = dict(enumerate(s.response_proto.solution))
    objective = round(s.objective_value)
    rounds = cuts_added = 0
    stage_left = max(work - s.response_proto.deterministic_time, 0.0)
    while True:
        cuts, dropped = misfits(built, values)
        if not cuts:
            return _Stage(st, values, objective, bound, False, rounds, cuts_added)
        if rounds >= params.route_rounds or min(stage_left, clock.left()) < 0.05 \
                or clock.deadline - _time.monotonic() < 1.0:
            break
        rounds += 1
        cuts_added += len(cuts)
        # the same decisions, less the stops that made a day not fit, each moved to a colleague's
        # day where it fits if there is one: a complete solution that respects the cuts
        repaired = _repair(built, reinsert(built, {x.index: values.get(x.index, 0) for x in decisions(built)},
                                           dropped), clock)
        for lits in cuts:
            m.add_bool_or([~x for x in lits])
        if repaired is not None:
            values, objective = repaired
            st = cp_model.FEASIBLE
            _hint(m, values)  # the solver starts from it and improves on it
        else:
            # dropping the stops would lose a breach the stage must keep: solve again with the
            # cuts, from where the stage started (its days fit, so it respects every cut) - a
            # stage without planning margins found nothing that fits otherwise (the replayed
            # README's Wednesday whole plan kept the proof's plan, overdue children late)
            _hint(m, hint)
        s = clock.solver(min(stage_left, clock.left(), params.route_round_work), params.seed, workers, presolve)
        watch = _Progress(progress, name, t0, built, scale, gap, enough, built.share.fixed_cost)
        st2 = s.solve(m, watch)
        clock.account(s, st2, watch.ended_itself)
        stage_left = max(stage_left - s.response_proto.deterministic_time, 0.0)
        if st2 not in SOLVED:
            if repaired is None:
                break  # nothing that respects the cuts: the stage's start stands
            continue  # nothing better found: the repaired solution stands (checked again above)
        st = st2
        values = dict(enumerate(s.response_proto.solution))
        objective = round(s.objective_value)
        bound = max(bound, round(s.best_objective_bound))  # every bound found is valid
    # repair: move or drop the stops that do not fit; the solver fills in the rest, decisions fixed
    repaired = _repair(built, reinsert(built, {x.index: values.get(x.index, 0) for x in decisions(built)}, dropped),
                       clock)
    if repaired is None:
        return _Stage(cp_model.UNKNOWN, {}, 0, bound, True, rounds, cuts_added)
    rep_values, rep_objective = repaired
    return _Stage(cp_model.FEASIBLE, rep_values, rep_objective, bound, True, rounds, cuts_added)


def _repair(built: Built, chosen: dict[int, int], clock: _Clock) -> tuple[dict[int, int], int] | None:
    """The solution with every decision fixed as `chosen`; the rest (windows met, booked meetings
    missed) solved for. Every day of `chosen` has been checked against the exact route, so the
    planning margins are off (a day that fits satisfies the relaxed rules)."""
    m = built.model.clone()
    _set_mode(m.proto, built, False)
    _fix(m, (x.index for x in decisions(built)), chosen)
    m.clear_hints()
    s = clock.solver(built.pb.params.repair_work, built.pb.params.seed, 1, built.pb.params.fixed_presolve_iterations)
    st = s.solve(m)
    clock.account(s, st)
    if st not in SOLVED:
        return None
    return dict(enumerate(s.response_proto.solution)), round(s.objective_value)


def _fix(m: cp_model.CpModel, indices: Iterable[int], values: dict[int, int]) -> None:
    """Fix each of these variables to its value (0 when absent) through its domain: the same as an
    equality constraint each, without building thousands of constraints in Python."""
    variables = m.proto.variables
    for i in indices:
        val = values.get(i, 0)
        domain = variables[i].domain
        if len(domain) == 2 and domain[0] <= val <= domain[1]:
            domain[0] = domain[1] = val
        else:  # outside its domain (infeasible, as the constraint would be), or a domain in parts
            m.add(m.get_bool_var_from_proto_index(i) == val)


def _hint(m: cp_model.CpModel, values: dict[int, int]) -> None:
    m.clear_hints()
    if values:
        hint = m.proto.solution_hint
        hint.vars.extend(values.keys())
        hint.values.extend(values.values())


def _stops(v: Variables) -> dict[int, tuple[str, int, Load]]:
    """Decision variable index -> (worker, day index, the stop it makes): for the post-passes."""
    return {load.var.index: (wid, di, load) for (wid, di), loads in v.loads.items() for load in loads}


def _seen_by(v: Variables) -> dict[int, list[str]]:
    """Decision variable index -> the children a visit by it sees."""
    out: dict[int, list[str]] = {}
    for (cid, _day), xs in v.child_visits.items():
        for x in xs:
            out.setdefault(x.index, []).append(cid)
    return out


def decisions(built: Built) -> list[Lit]:
    """The decision variables: who visits or meets whom, where and when."""
    v = built.v
    return [*v.home.values(), *v.school.values(), *v.meet.values()]


def misfits(built: Built, values: dict[int, int]) -> tuple[list[list[Lit]], set[int]]:
    """For each planned worker-day whose stops fit no route: the smallest set of its stops that
    still does not fit (by deletion), a cut the model must respect; and the stops to drop so that
    every day fits (variable indices), to repair the solution."""
    pb = built.pb
    workers = {w.worker_id: w for w in pb.team.workers}
    cuts: list[list[Lit]] = []
    dropped: set[int] = set()
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
        first = True
        while stops and not fits(*args, stops, pb.travel.minutes):
            core = minimal_misfit(*args, stops, pb.travel.minutes)
            if first:
                cuts.append([chosen[int(st.key)].var for st in core])  # type: ignore[call-overload]
                first = False
            # the longest stop, one from a plan given to the model (a frozen one is required) last
            worst = max(core, key=lambda st: (chosen[int(st.key)].var.index not in built.protected,  # type: ignore[call-overload]
                                              st.minutes, int(st.key)))  # type: ignore[call-overload]
            dropped.add(chosen[int(worst.key)].var.index)  # type: ignore[call-overload]
            stops.remove(worst)
    return cuts, dropped


def reinsert(built: Built, chosen: dict[int, int], dropped: set[int]) -> dict[int, int]:
    """Decisions with each dropped stop taken out and, where possible, the same visit or meeting
    given to another worker (the allocated worker first, then the nearest) on the same day, if it
    fits that worker's day (exact route, daily visit limit) and sees no child already seen that day."""
    pb, v = built.pb, built.v
    out = dict(chosen)
    for i in dropped:
        out[i] = 0
    where = _stops(v)
    seen_by = _seen_by(v)
    alternatives = _alternatives(built)
    workers = {w.worker_id: w for w in pb.team.workers}
    for i in sorted(dropped):
        for alt in alternatives.get(i, []):
            wid, di, stop = where[alt.index]
            if any(out.get(o.index) for cid in seen_by.get(alt.index, []) for o in v.child_visits[(cid, di)]):
                continue  # a child it sees is already seen that day
            day_loads = [load for load in v.loads[(wid, di)] if out.get(load.var.index)] + [stop]
            if pb.day_fits(workers[wid], day_loads):
                out[alt.index] = 1
                break
    return out


def own_worker_swaps(built: Built, values: dict[int, int], clock: _Clock) -> tuple[dict[int, int], int]:
    """Each cover visit or meeting handed to a worker for whom it is not cover (the child's own
    worker first) on the same day, where that day still fits a real route and the daily limit:
    the same children seen on the same days, so no window changes - fewer cover visits for
    nothing. A plan kept from outside the search (the hand method's, the proof's) or a later
    stage cut short can carry cover visits nobody needed. In a re-plan only what it adds is
    handed over, only where both workers' days keep every published start time they kept
    (continuity.route_keeping_times, as the rota's times are written), and only when the later
    stage's objective, which prices lost and retimed activities, falls. Returns the completed
    solution and how many were handed back (the solution unchanged when none was, or it cannot
    be completed)."""
    pb, v = built.pb, built.v
    cover = {x.index for _, x in built.share.terms.get("cover", [])}
    told = _told(built)  # a re-plan: only what it adds
    described = described_stops(built.pb, built.v) if pb.previous else {}
    chosen = {x.index: values.get(x.index, 0) for x in decisions(built)}
    where = _stops(v)
    kind_of = {x.index: kind for (_h, _d, _w, kind), x in v.home.items()}
    workers = {w.worker_id: w for w in pb.team.workers}
    alternatives = _alternatives(built)
    swapped = 0
    for i in sorted(i for i, val in chosen.items() if val and i in cover and i not in told):
        for alt in alternatives.get(i, []):
            if alt.index in cover or kind_of.get(alt.index) != kind_of.get(i) or alt.index not in where \
                    or alt.index in told:
                continue  # still cover, a different kind of visit (other children at home), or already told
            wid, di, stop = where[alt.index]
            day = [ld for ld in v.loads[(wid, di)] if chosen.get(ld.var.index)] + [stop]
            if not pb.day_fits(workers[wid], day):
                continue
            if pb.previous:
                giver, gdi, _ = where[i]
                gday = [ld for ld in v.loads[(giver, gdi)] if chosen.get(ld.var.index)]
                if not (_keeps_times(built, described, wid, di, day[:-1], day)
                        and _keeps_times(built, described, giver, gdi, gday, [ld for ld in gday if ld.var.index != i])):
                    continue
            chosen[i], chosen[alt.index] = 0, 1
            swapped += 1
            break
    if not swapped:
        return values, 0
    done = _repair(built, chosen, clock)
    if done is None or _value(built, "breach", done[0]) > _value(built, "breach", values):
        return values, 0
    out = _tighten(built, done[0])
    if pb.previous and (_later(built, out) >= _later(built, values) or not _times_kept(built, described, values, out)):
        return values, 0
    return out, swapped


def _told(built: Built) -> set[int]:
    """A re-plan: the decision variables that would keep a previous activity (continuity's groups) -
    what people were told, cover or not; the post-passes hand over only what the re-plan adds."""
    return {x.index for k in kept_variables(built.pb, built.v) for x in k.group} if built.pb.previous else set()


def _keeps_times(built: Built, described: dict[int, Described], wid: str, di: int, before: list[Load],
                 after: list[Load]) -> bool:
    """A re-plan: continuity.keeps_times for a worker-day's stops (decision variables)."""
    pb = built.pb

    def stops(loads: list[Load]) -> list[RouteStop]:
        return [RouteStop(ld.var.index, pb.location(ld.household_id), ld.minutes, *ld.window) for ld in loads]

    return keeps_times(pb, pb.team.worker(wid), pb.days[di], stops(before), [described[ld.var.index] for ld in before],
                       stops(after), [described[ld.var.index] for ld in after])


def _times_kept(built: Built, described: dict[int, Described], before: dict[int, int], after: dict[int, int]) -> bool:
    """A re-plan: _keeps_times on every worker-day that differs between two solutions (a post-pass
    may change several days at once; each change was checked alone)."""
    for (wid, di), loads in built.v.loads.items():
        old = [ld for ld in loads if before.get(ld.var.index)]
        new = [ld for ld in loads if after.get(ld.var.index)]
        if [ld.var.index for ld in old] != [ld.var.index for ld in new] \
                and not _keeps_times(built, described, wid, di, old, new):
            return False
    return True


def own_worker_other_day(built: Built, values: dict[int, int], clock: _Clock) -> tuple[dict[int, int], int]:
    """Cover handed back to the child's own worker (or another worker for whom it is not cover)
    on another day, up to SolveParams.cover_days_apart working days away, where that worker's day
    takes it (exact route, daily limit) - after own_worker_swaps, which tries the same day. One
    solve chooses among them: every other decision fixed, each cover activity kept once (as it
    is or on one of its other days), at most one stop added to a worker's day (each was checked
    against that day's route on its own), the breach cost no higher, and the later stage's
    objective minimised - where a cover visit weighs as two days late for a CP child, so a child
    is seen a day later by their own worker only when the standard allows it. A later stage run
    to its cap can leave cover the same-day swap cannot give back (generated Swindon 10 / 200:
    50 cover visits after 39 same-day swaps). In a re-plan, as own_worker_swaps: only what it
    adds, only where no published start time moves, and never onto a frozen day. Returns the
    solution and how many were moved."""
    pb, v, params = built.pb, built.v, built.pb.params
    cover = {x.index for _, x in built.share.terms.get("cover", [])}
    told = _told(built)  # a re-plan: what people were told is not handed over (own_worker_swaps)
    described = described_stops(built.pb, built.v) if pb.previous else {}
    where = _stops(v)
    seen_by = _seen_by(v)
    workers = {w.worker_id: w for w in pb.team.workers}
    same: dict[tuple[str, ...], list[tuple[int, str, Lit]]] = {}  # the same activity, any day or worker
    for (hid, di, wid, kind), x in v.home.items():
        same.setdefault(("home", hid, kind), []).append((di, wid, x))
    for (cid, di, wid), x in v.school.items():
        same.setdefault(("school", cid), []).append((di, wid, x))
    for (cid, act, di, wid), x in v.meet.items():
        same.setdefault(("meet", cid, act), []).append((di, wid, x))
    key_of = {x.index: key for key, xs in same.items() for _, _, x in xs}
    chosen = {x.index: values.get(x.index, 0) for x in decisions(built)}
    groups: list[list[int]] = []
    by_day: dict[tuple[str, int], list[int]] = {}  # worker-day -> alternatives that would join it
    taken: set[int] = set()
    for i in sorted(i for i in cover if chosen.get(i) and i in where and i in key_of and i not in told):
        di = where[i][1]
        alts = []
        for dj, w2, y in sorted(same[key_of[i]], key=lambda t: (t[0], t[1])):
            if y.index in cover or y.index in taken or chosen.get(y.index) or dj == di or y.index in told \
                    or abs(dj - di) > params.cover_days_apart:
                continue
            if any(chosen.get(o.index) for c in seen_by.get(y.index, []) for o in v.child_visits[(c, dj)]):
                continue  # a child it sees is already seen that day
            if pb.previous and pb.freeze_until is not None and pb.days[dj] <= pb.freeze_until:
                continue  # nothing is added to a frozen (published) day
            day = [ld for ld in v.loads[(w2, dj)] if chosen.get(ld.var.index)] + [where[y.index][2]]
            if pb.day_fits(workers[w2], day) and (
                    not pb.previous or _keeps_times(built, described, w2, dj, day[:-1], day)):
                alts.append(y.index)
                by_day.setdefault((w2, dj), []).append(y.index)
        if alts:
            taken.update(alts)
            groups.append([i, *alts])
    if not groups:
        return values, 0
    free = {i for g in groups for i in g}

    def one_place_each(m: cp_model.CpModel) -> None:
        lit = m.get_bool_var_from_proto_index
        for g in groups:
            m.add_exactly_one([lit(i) for i in g])  # each cover activity kept once
        for ys in by_day.values():
            if len(ys) > 1:
                m.add_at_most_one([lit(i) for i in ys])  # each alternative was checked alone on its day

    out = _improve(built, values, chosen, free, clock, one_place_each)
    if out is None or misfits(built, out)[0] or (pb.previous and not _times_kept(built, described, values, out)):
        return values, 0
    return out, sum(1 for g in groups if not out.get(g[0]))


def overdue_sooner(built: Built, values: dict[int, int], clock: _Clock) -> tuple[dict[int, int], int]:
    """Overdue children first, once more after the solve: each requirement missed by its due
    date and met late is tried on the earliest working day in between on which an eligible
    worker (the child's own first) has room - the exact route fits, the daily limit holds, the
    child not already seen that day - in place of the late occurrence. A move is kept only when
    the completed solution misses no more (breach cost) and the later stage's objective (days
    late, cover, travel, with its weights) is lower. A plan kept from outside the search (the
    proof's: fewest breaches, lateness arbitrary) or a later stage cut short can leave an
    overdue child weeks late with room earlier (the replayed README's Wednesday whole plan: C088
    on 21 Dec, C126 on 11 Dec, both with room on Thu 26 Nov). In a re-plan only onto a day that
    keeps every published start time it kept (continuity.keeps_times, as own_worker_swaps): the
    later objective does not see times moved by the rota's pinning, and the replayed README's
    Tuesday moved three published activities of a frozen day to fit a visit in. At most
    SolveParams.sooner_tries moves are tried. Returns the solution and how many were kept."""
    pb, v, params = built.pb, built.v, built.pb.params
    described = described_stops(pb, v) if pb.previous else {}
    workers = {w.worker_id: w for w in pb.team.workers}
    where = _stops(v)
    seen_by = _seen_by(v)
    kept, tries = 0, 0
    breach, cost = _value(built, "breach", values), _later(built, values)
    missed = sorted((w for w in built.windows if values.get(w.var.index)),
                    key=lambda w: (-w.cadence.sev, w.due, w.key))
    for w in missed:
        if tries >= params.sooner_tries:
            break
        cd = w.cadence
        first = max(w.after + timedelta(days=1) if w.after is not None else pb.start, pb.start)
        days = [di for di, d in enumerate(pb.days) if d >= first]
        late_at = next((di for di in days for x in _makers(v, cd, di) if values.get(x.index)), None)
        if late_at is None:
            continue  # not met at all: the fill-in's job
        old = next(x for x in _makers(v, cd, late_at) if values.get(x.index))
        rank = {wk.worker_id: k for k, wk in enumerate(pb.candidates(cd.child))}
        chosen = {x.index: values.get(x.index, 0) for x in decisions(built)}
        chosen[old.index] = 0
        new = None
        for di in (d for d in days if d < late_at):
            for x in sorted(_makers(v, cd, di), key=lambda x: (rank.get(where[x.index][0], 99), x.index)):
                wid, _, load = where[x.index]
                if any(chosen.get(o.index) for c in seen_by.get(x.index, []) for o in v.child_visits[(c, di)]):
                    continue
                day = [ld for ld in v.loads[(wid, di)] if chosen.get(ld.var.index)] + [load]
                if pb.day_fits(workers[wid], day) and \
                        (not pb.previous or _keeps_times(built, described, wid, di, day[:-1], day)):
                    new = x
                    break
            if new is not None:
                break
        if new is None:
            continue
        tries += 1
        chosen[new.index] = 1
        done = _repair(built, chosen, clock)
        if done is None:
            continue
        trial = _tighten(built, done[0])
        if _value(built, "breach", trial) <= breach and _later(built, trial) < cost:
            values, kept = trial, kept + 1
            breach, cost = _value(built, "breach", trial), _later(built, trial)
    return values, kept


def drop_unneeded(built: Built, values: dict[int, int], clock: _Clock) -> tuple[dict[int, int], int]:
    """A re-plan's additions that nothing needs, taken out: every planned activity the previous
    plan did not have ("added") may be dropped, every other decision fixed, the breach cost no
    higher, and the later stage's objective (days late, changes, additions, cover, travel)
    minimised. A later stage cut short by its budget can keep additions that see nobody sooner
    (the replayed README's Tuesday: five core groups for C124 and two visits to C066 that the
    verifier does not need, each labelled "added" in changes.csv). Dropping a stop never makes a
    day's route late, so the days still fit. Returns the solution and how many were dropped."""
    added = {x.index for _, x in built.share.terms.get("added", [])}
    free = {i for i in added if values.get(i)}
    if not free:
        return values, 0
    out = _improve(built, values, values, free, clock)
    if out is None:
        return values, 0
    return out, sum(1 for i in free if not out.get(i))


def _improve(built: Built, values: dict[int, int], chosen: dict[int, int], free: set[int], clock: _Clock,
             rules: Callable[[cp_model.CpModel], None] | None = None) -> dict[int, int] | None:
    """The best solution by the later stage's objective (days late, changes, cover, travel...) with
    every decision but `free` fixed as in `chosen`, the breach cost no higher than `values`' and
    any extra `rules`; None unless its objective is lower than `values`'. For the post-passes: one
    small solve, margins off (the caller keeps the days to real routes)."""
    params = built.pb.params
    weights = dict(params.stage2_weights)
    m = built.model.clone()
    _set_mode(m.proto, built, False)
    _fix(m, (x.index for x in decisions(built) if x.index not in free), chosen)
    if rules is not None:
        rules(m)
    m.add(built.objective(("breach",)) <= _value(built, "breach", values))
    m.minimize(built.objective(tuple(weights), weights))
    _hint(m, values)
    s = clock.solver(params.repair_work, params.seed, 1, params.fixed_presolve_iterations)
    st = s.solve(m)
    clock.account(s, st)
    if st not in SOLVED:
        return None
    out = _tighten(built, dict(enumerate(s.response_proto.solution)))
    return out if _later(built, out) < _later(built, values) else None


def _alternatives(built: Built) -> dict[int, list[Lit]]:
    """For each decision variable, the variables that would do the same on the same day by another
    worker, in order of preference (the allocated worker, then by the distance of their base)."""
    pb, v = built.pb, built.v
    rank = {}
    for c in pb.team.children:
        rank[c.child_id] = {w.worker_id: k for k, w in enumerate(pb.candidates(c))}
    out: dict[int, list[Lit]] = {}
    home_by: dict[tuple[str, int], list[tuple[str, str, Lit]]] = {}
    for (hid, di, wid, kind), x in v.home.items():
        home_by.setdefault((hid, di), []).append((wid, kind, x))
    for (hid, di, wid, kind), x in v.home.items():
        lead = pb.households[hid][0].child_id
        others = [(rank[lead].get(w2, 99), k2 != kind, w2, y) for w2, k2, y in home_by[(hid, di)] if w2 != wid]
        out[x.index] = [y for *_, y in sorted(others, key=lambda t: t[:3])]
    school_by: dict[tuple[str, int], list[tuple[str, Lit]]] = {}
    for (cid, di, wid), x in v.school.items():
        school_by.setdefault((cid, di), []).append((wid, x))
    for (cid, di, wid), x in v.school.items():
        others2 = [(rank[cid].get(w2, 99), w2, y) for w2, y in school_by[(cid, di)] if w2 != wid]
        out[x.index] = [y for *_, y in sorted(others2, key=lambda t: t[:2])]
    meet_by: dict[tuple[str, str, int], list[tuple[str, Lit]]] = {}
    for (cid, act, di, wid), x in v.meet.items():
        meet_by.setdefault((cid, act, di), []).append((wid, x))
    for (cid, act, di, wid), x in v.meet.items():
        others3 = [(rank[cid].get(w2, 99), w2, y) for w2, y in meet_by[(cid, act, di)] if w2 != wid]
        out[x.index] = [y for *_, y in sorted(others3, key=lambda t: t[:2])]
    return out


def _tighten(built: Built, values: dict[int, int]) -> dict[int, int]:
    """Set each objective-only literal to the least value the decisions allow (a better hint)."""
    out = dict(values)
    for var, conds, window in built.share.derived:
        out[var.index] = int(all(out[c.index] for c in conds) and not any(out[w.index] for w in window))
    return out
