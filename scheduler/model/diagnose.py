"""Why a breach is unavoidable, found from the model itself.

A separate feasibility-only model (no objective, so CP-SAT minimises the core) is built with
every worker on every day, and each fact of the team's situation behind its own assumption
literal: each absence, each worker's working pattern, each worker-day's capacity. All other
windows keep the breaches the plan already has; the breach in question is forbidden. If that is
infeasible, `SufficientAssumptionsForInfeasibility` names the facts that force the breach.
"""
from __future__ import annotations

import time
from datetime import date, timedelta

from ortools.sat.python import cp_model

from ..solution import Breach
from .build import Built, build
from .extract import missed
from .problem import Problem
from .share import Lit, Window
from .solve import Solved
from .variables import Fact, Variables

Key = tuple[str, str, date]


def _key(bv: Window) -> Key:
    return (bv.cadence.child.child_id, bv.cadence.requirement, bv.due)


def _dates(days: list[date]) -> str:
    days = sorted(set(days))
    if not days:
        return ""
    runs, start, prev = [], days[0], days[0]
    ends: list[date | None] = [*days[1:], None]
    for d in ends:
        if d is not None and (d - prev).days <= 3 and all(
                (prev + timedelta(days=k)).weekday() >= 5 for k in range(1, (d - prev).days)):
            prev = d
            continue
        runs.append(f"{start:%a %d %b}" if start == prev else f"{start:%d %b}-{prev:%d %b}")
        if d is not None:
            start = prev = d
    return ", ".join(runs)


def worker_label(pb: Problem, worker_id: str, child=None) -> str:
    w = pb.team.worker(worker_id)
    allocated = " (allocated worker)" if child is not None and child.allocated_worker_id == worker_id else ""
    return f"{w.worker_id} {w.name}{allocated}"


def describe(pb: Problem, bv: Window, facts: list[Fact]) -> str:
    """The facts of a core in words a team manager understands."""
    child = bv.cadence.child
    parts: list[str] = []
    for f in sorted(facts, key=lambda f: (f.kind, f.worker_id, f.days)):
        if f.kind == "absence":
            parts.append(f"{worker_label(pb, f.worker_id, child)} on {f.detail} {f.days[0]:%d %b}-{f.days[1]:%d %b}")
        elif f.kind == "pattern":
            parts.append(f"{worker_label(pb, f.worker_id, child)} {f.detail}")
    full: dict[str, list[date]] = {}
    for f in facts:
        if f.kind == "capacity":
            full.setdefault(f.worker_id, []).extend(f.days)
    for wid, days in sorted(full.items()):
        parts.append(f"{worker_label(pb, wid, child)} fully booked (hours or daily visit limit) on {_dates(days)}")
    holidays = [d for d in _window_days(pb, bv) if pb.cal.is_bank_holiday(d)]
    if holidays:
        parts.append("bank holiday " + ", ".join(f"{d:%a %d %b}" for d in holidays))
    eligible = [w.worker_id for w in pb.eligible_workers(child)]
    if not eligible:
        return f"no worker in the team may do this (needs a {_role_needed(child)})"
    if not parts:
        return "its window has no working day on which an eligible worker can be scheduled"
    return "; ".join(parts)


def _role_needed(child) -> str:
    from ..policy import ELIGIBLE_ROLE, NEEDS_QUALIFIED
    role = ELIGIBLE_ROLE[child.status].replace("_", " ")
    return f"qualified {role}" if child.status in NEEDS_QUALIFIED else role


def _window_days(pb: Problem, bv: Window) -> list[date]:
    first = bv.after + timedelta(days=1) if bv.after is not None else pb.start
    return [first + timedelta(days=k) for k in range(max((bv.due - first).days + 1, 0))]


def forced_reason(pb: Problem, bv: Window, planned: date | None) -> str:
    cd = bv.cadence
    last = cd.history[-1] if cd.history else None
    since = f"last on {last:%d %b %Y}" if last else f"none recorded since {cd.trigger:%d %b %Y}"
    text = f"due {bv.due:%d %b %Y}, before the plan starts on {pb.start:%d %b %Y} ({since})"
    if bv.due >= pb.start:
        text = f"no working day between {pb.start:%d %b} and the due date {bv.due:%d %b %Y}"
    return text + (f"; first planned {planned:%d %b %Y}" if planned else "; not planned in this horizon")


def _household_vars(pb: Problem, v: Variables) -> dict[str, list[Lit]]:
    """Every decision variable grouped by the household it serves."""
    children = {c.child_id: c.household_id for c in pb.team.children}
    out: dict[str, list[Lit]] = {}
    for (hid, *_), x in v.home.items():
        out.setdefault(hid, []).append(x)
    for (cid, *_), x in v.school.items():
        out.setdefault(children[cid], []).append(x)
    for (cid, *_), x in v.meet.items():
        out.setdefault(children[cid], []).append(x)
    return out


def diagnose(pb: Problem, solved: Solved, targets: list[tuple[Window, Breach]],
             seconds_each: float = 2.0, max_targets: int = 40,
             deadline: float | None = None) -> dict[Key, tuple[bool, str]]:
    """For each target breach: (proven unavoidable given the rest of the plan, reason).

    Everything planned for other households is frozen as in the plan (behind one assumption
    literal per household), so the question asked is local and quick: could this child's
    window be met by any eligible worker on any day of it, and if not, which absences,
    working patterns and full worker-days stand in the way?
    """
    out: dict[Key, tuple[bool, str]] = {}
    if not targets:
        return out
    if deadline is not None and deadline - time.monotonic() < 1.0:
        return {_key(bv): (False, "not diagnosed within the time limit (raise --time-limit to explain it)")
                for bv, _ in targets}
    diag: Built = build(pb, diagnostic=True)
    m = diag.model
    main = solved.built.v
    main_value = {x.name: solved.value(x) for d in (main.home, main.school, main.meet) for x in d.values()}
    freeze: dict[str, Lit] = {}
    for hid, vars_ in sorted(_household_vars(pb, diag.v).items()):
        lit = m.new_bool_var(f"freeze:{hid}")
        for x in vars_:
            m.add_implication(lit, x if main_value.get(x.name, 0) else ~x)
        freeze[hid] = lit
    booked_main = {x.name: solved.value(x) for *_, x in main.booked_missed}
    for *_, x in diag.v.booked_missed:
        if not booked_main.get(x.name, 0):
            m.add(x == 0)  # booked meetings the plan keeps stay kept
    missed_main = {_key(bv) for bv in solved.built.windows if missed(solved, bv)}
    by_key: dict[Key, list[Window]] = {}
    for bv in diag.windows:
        by_key.setdefault(_key(bv), []).append(bv)
    wanted = {_key(bv) for bv, _ in targets[:max_targets]}
    forbid: dict[Key, Lit] = {}
    for key, bvs in by_key.items():
        if key not in missed_main:
            for bv in bvs:
                m.add(bv.var == 0)  # windows the plan meets stay met
        elif key in wanted:
            lit = m.new_bool_var(f"forbid:{key}")
            for bv in bvs:
                m.add_implication(lit, ~bv.var)
            forbid[key] = lit
    fact_lits = list(diag.v.fact_lits.values())
    for bv, _ in targets[:max_targets]:
        key = _key(bv)
        if key not in forbid or key in out:
            continue
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left < 0.5:
            out[key] = (False, "not diagnosed within the time limit (raise --time-limit to explain it)")
            continue
        own = bv.cadence.child.household_id
        m.clear_assumptions()
        m.add_assumptions(fact_lits + [forbid[key]] + [lit for h, lit in freeze.items() if h != own])
        s = cp_model.CpSolver()
        s.parameters.num_workers = 1
        s.parameters.cp_model_presolve = False  # assumptions block most of it; it only costs time
        s.parameters.max_deterministic_time = seconds_each
        s.parameters.max_time_in_seconds = 4 * seconds_each if left is None else min(4 * seconds_each, left)
        status = s.solve(m)
        if status == cp_model.INFEASIBLE:
            core = [diag.v.facts[i] for i in s.sufficient_assumptions_for_infeasibility() if i in diag.v.facts]
            out[key] = (True, describe(pb, bv, core))
        elif status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            out[key] = (False, "capacity is short in this plan; it could be met by giving up another "
                               "requirement of equal or lower severity")
        else:
            out[key] = (False, "the diagnosis ran out of time before finding the cause")
    return out
