"""The planning pipeline: team + standard -> model -> solution -> verifier -> result.

`plan(team, standard, horizon, params) -> PlanResult`, in PyVRP's spirit: immutable inputs, a
frozen parameters object, one result that carries the verifier's findings. No file writing
here (scheduler/writing.py) and no command-line parsing (scheduler/cli).
"""
from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from .domain import Team
from .edf import EdfPlanner
from .horizon import Horizon
from .model.breaches import active_windows, missed_windows
from .model.diagnose import diagnose, forced_reason
from .model.extract import activities
from .model.problem import Problem
from .model.solve import Solved, solve
from .params import SolveParams
from .policy import BOOKED_MISSED_SEVERITY
from .progress import ProgressEvent, ProgressFn
from .replan import neighbourhood
from .solution import Breach, PlannedActivity, PlanResult
from .standards import Standard
from .verifier import verify

NOT_PROVEN_IN_REPLAN = ("not proven: a re-plan (--previous) re-plans only the households the change "
                        "touches and keeps the rest; plan without --previous to prove or explain it")


def booked_breaches(pb: Problem, solved: Solved) -> list[Breach]:
    """Booked meetings (meetings.csv) that no eligible worker can fit into that day."""
    out = []
    children = {c.child_id: c for c in pb.team.children}
    for cid, act, day, var in solved.built.v.booked_missed if solved.values else []:
        if not solved.value(var):
            continue
        who = ", ".join(w.worker_id for w in pb.candidates(children[cid])) or "nobody eligible"
        what = f"booked {act.replace('_', ' ')} on {day:%a %d %b %Y}"
        proven = solved.breaches_optimal and pb.replan_open is None
        # the workers' days are only claimed full when the proof considered all of them
        if proven:
            reason = (f"{what} does not fit the day of any worker who could attend ({who}): absent, "
                      "not working, or fully booked")
        elif pb.replan_open is not None:
            reason = f"{what} is not held in this re-plan; {NOT_PROVEN_IN_REPLAN}"
        else:
            reason = (f"{what} is not held in this plan; not proven: the solver did not finish proving the "
                      "fewest breaches within the time limit")
        out.append(Breach(
            child_id=cid, requirement=act, due_by=day, planned_date=None, days_late=0,
            severity=BOOKED_MISSED_SEVERITY, level="statutory", rule_id="booked",
            reason=reason, proven_unavoidable=proven))
    return out


def plan(team: Team, standard: Standard, horizon: Horizon, params: SolveParams | None = None,
         progress: ProgressFn | None = None, previous: Sequence[PlannedActivity] = (),
         freeze_until: date | None = None, previous_span: tuple[date, date] | None = None,
         previous_breaches: Iterable[tuple[str, str, date | None]] = ()) -> PlanResult:
    """Plan the horizon with CP-SAT, explain its breaches and re-check it with the verifier.
    A re-plan passes the previous plan's activities (and the days it covered): every change from
    it costs, and those up to freeze_until stay unless impossible (model.families.continuity)."""
    params = params or SolveParams()
    if previous:
        params = params.for_replan()
    # a plan starts its search from the hand method's (earliest deadline first, a second or so):
    # a natural plan, with the children's own workers, that CP-SAT then improves on
    start_from = () if previous or not params.start_from_edf else tuple(EdfPlanner(team, standard, horizon).run())
    pb = neighbourhood.prepare(Problem(
        team, standard, horizon.cal, horizon.start, horizon.end, params=params, previous=tuple(previous),
        freeze_until=freeze_until, previous_span=previous_span, previous_breaches=frozenset(previous_breaches),
        start_from=start_from))
    t0 = time.monotonic()
    # the solver gets most of the time limit; the breach diagnosis the rest
    solved = solve(pb, time_limit=params.time_limit * params.solve_share, progress=progress, t0=t0)
    if pb.replan_open is not None and solved.values:
        # a re-plan's neighbourhood left a new breach: open what stands in its way, once
        more = neighbourhood.widen(pb, solved)
        if more:
            pb = neighbourhood.prepare(replace(pb, replan_widened=pb.replan_widened | more))
            solved = solve(pb, time_limit=params.time_limit * params.solve_share, progress=progress, t0=t0)
    acts = activities(solved, pb) if solved.values else []
    found = missed_windows(solved, pb) if solved.values else []
    unforced = [(bv, br) for bv, br in found if not bv.forced]
    if progress:
        progress(ProgressEvent("diagnosing", time.monotonic() - t0, detail=f"{len(found)} breaches"))
    # a re-plan that kept most households as they were proves nothing about the whole team
    partial = pb.replan_open is not None
    reasons = diagnose(pb, solved, unforced, seconds_each=params.diagnose_seconds,
                       max_targets=params.diagnose_max_targets,
                       deadline=t0 + params.time_limit) if solved.breaches_optimal and not partial else {}
    breaches = []
    for bv, br in found:
        if bv.forced:
            proven, reason = True, forced_reason(pb, bv, br.planned_date)
        elif partial:
            proven, reason = False, NOT_PROVEN_IN_REPLAN
        else:
            key = (br.child_id, br.requirement, br.due_by)
            proven, reason = reasons.get(key, (False, "not proven: the solver did not finish proving "
                                                     "the fewest breaches within the time limit"))
            proven = proven and solved.breaches_optimal
        breaches.append(replace(br, reason=reason, proven_unavoidable=proven))
    breaches += booked_breaches(pb, solved)
    statutory_windows = {w for w in active_windows(solved) if w[3] == "statutory"} if solved.values else set()
    if progress:
        progress(ProgressEvent("verifying", time.monotonic() - t0, detail=f"{len(acts)} activities"))
    violations = verify(team, standard, horizon.cal, horizon.start, horizon.end, acts, pb.travel)
    stats: dict[str, object] = {**solved.stats, "final_status": solved.final_status}
    status = solved.status
    if partial:  # optimal among the plans that keep the other households: not for the whole team
        assert pb.replan_open is not None
        stats["replan_households"] = f"{len(pb.replan_open)} of {len(pb.households)}"
        status = "FEASIBLE" if status == "OPTIMAL" else status
    return PlanResult(
        activities=acts, breaches=breaches, status=status, solve_seconds=round(solved.seconds, 2),
        start=horizon.start, end=horizon.end, standard_key=standard.key,
        requirements_total=len(statutory_windows),
        breaches_proven_optimal=solved.breaches_optimal and not partial, stats=stats, violations=violations)
