"""The planning pipeline: team + standard -> model -> solution -> verifier -> result.

No file writing here (see scheduler/writing.py) and no command-line parsing (scheduler/cli).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from .calendar import WorkingCalendar
from .domain import Team
from .model.breaches import active_windows, missed_windows
from .model.demand import Problem
from .model.diagnose import diagnose, forced_reason
from .model.extract import activities
from .model.solve import solve
from .solution import Breach, PlanResult
from .standards import Standard
from .verifier import Violation, verify

SOLVE_SHARE = 0.85


def booked_breaches(pb: Problem, solved) -> list[Breach]:
    """Booked meetings (meetings.csv) that no eligible worker can fit into that day."""
    from .model.families.meetings import BOOKED_MISSED_SEVERITY, candidates

    out = []
    children = {c.child_id: c for c in pb.team.children}
    for cid, act, day, var in solved.ctx.booked_missed if solved.values else []:
        if not solved.value(var):
            continue
        who = ", ".join(w.worker_id for w in candidates(pb, children[cid])) or "nobody eligible"
        out.append(Breach(
            child_id=cid, requirement=act, due_by=day, planned_date=None, days_late=0,
            severity=BOOKED_MISSED_SEVERITY, level="statutory", rule_id="booked",
            reason=f"booked {act.replace('_', ' ')} on {day:%a %d %b %Y} does not fit the day of any "
                   f"worker who could attend ({who}): absent, not working, or fully booked",
            proven_unavoidable=solved.breaches_optimal))
    return out


def horizon_end(start: date, weeks: int) -> date:
    return start + timedelta(days=7 * weeks - 1)


def plan(team: Team, standard: Standard, start: date, weeks: int = 4, region: str = "england",
         time_limit: float = 60.0, seed: int = 0, diagnose_seconds: float = 2.0,
         progress: Callable[[str, float, float], None] | None = None,
         work_limit: float | None = None) -> tuple[PlanResult, list[Violation]]:
    cal = WorkingCalendar(region)
    pb = Problem(team, standard, cal, start, horizon_end(start, weeks))
    t0 = time.monotonic()
    # the solver gets most of the time limit; the breach diagnosis the rest
    solved = solve(pb, time_limit=time_limit * SOLVE_SHARE, seed=seed, progress=progress, work_limit=work_limit)
    acts = activities(solved, pb) if solved.values else []
    found = missed_windows(solved, pb) if solved.values else []
    unforced = [(bv, br) for bv, br in found if not bv.forced]
    reasons = diagnose(pb, solved, unforced, seconds_each=diagnose_seconds,
                       deadline=t0 + time_limit) if solved.breaches_optimal else {}
    breaches = []
    for bv, br in found:
        if bv.forced:
            proven, reason = True, forced_reason(pb, bv, br.planned_date)
        else:
            key = (br.child_id, br.requirement, br.due_by)
            proven, reason = reasons.get(key, (False, "not proven: the solver did not finish proving "
                                                     "the fewest breaches within the time limit"))
            proven = proven and solved.breaches_optimal
        breaches.append(replace(br, reason=reason, proven_unavoidable=proven))
    breaches += booked_breaches(pb, solved)
    statutory_windows = {w for w in active_windows(solved) if w[3] == "statutory"} if solved.values else set()
    result = PlanResult(
        activities=acts, breaches=breaches, status=solved.status, solve_seconds=round(solved.seconds, 2),
        start=start, end=pb.end, standard_key=standard.key,
        requirements_total=len(statutory_windows), breaches_proven_optimal=solved.breaches_optimal,
        stats={**solved.stats, "final_status": solved.final_status})
    violations = verify(team, standard, cal, start, pb.end, acts, pb.travel)
    return result, violations
