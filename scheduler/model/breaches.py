"""Breaches from a solved model: which windows are missed, when the child is next planned."""
from __future__ import annotations

from datetime import date, timedelta

from ..solution import Breach
from .extract import missed
from .families.cadence import occurrence
from .problem import Problem
from .share import Window
from .solve import Solved


def planned_after(solved: Solved, pb: Problem, bv: Window) -> date | None:
    """The first planned occurrence after the window opened (after its anchor occurrence)."""
    after = bv.after if bv.after is not None else pb.start - timedelta(days=1)
    for di, d in enumerate(pb.days):
        if d <= after:
            continue
        o = occurrence(solved.built.v, bv.cadence, di)
        if o is not None and solved.value(o):
            return d
    return None


def active_windows(solved: Solved) -> set[tuple[str, str, date, str]]:
    """(child, requirement, due, level) of every window that applies in the plan."""
    return {(bv.cadence.child.child_id, bv.cadence.requirement, bv.due, bv.cadence.level)
            for bv in solved.built.windows if all(solved.value(c) for c in bv.conds)}


def missed_windows(solved: Solved, pb: Problem) -> list[tuple[Window, Breach]]:
    """One Breach per (child, requirement, due_by), most severe rule first; reasons filled later."""
    found: dict[tuple[str, str, date], tuple[Window, Breach]] = {}
    for bv in solved.built.windows:
        if not missed(solved, bv):
            continue
        cd = bv.cadence
        planned = planned_after(solved, pb, bv)
        late = (planned - bv.due).days if planned else (pb.end - bv.due).days + 1
        br = Breach(child_id=cd.child.child_id, requirement=cd.requirement, due_by=bv.due,
                    planned_date=planned, days_late=late, severity=cd.sev, reason="",
                    proven_unavoidable=False, level=cd.level, rule_id=cd.rule.id)
        key = (br.child_id, br.requirement, br.due_by)
        if key not in found or found[key][1].severity < br.severity:
            found[key] = (bv, br)
    return sorted(found.values(), key=lambda t: (-t[1].severity, t[1].due_by, t[1].child_id, t[1].requirement))
