"""Workers' time: working days and hours, absences, bank holidays, daily visit limit.

Each worker-day has two segments: am (day start to 15:15, school hours) and pm (15:30 to day
end). Everything planned in a segment, with a travel allowance of twice the distance from the
worker's base (an upper bound on the real route, so the timed route always fits), must fit in
it. Weekends and bank holidays are not in the horizon's days at all, and outside diagnosis no
variable exists for a worker who is away; in diagnosis each reason a worker is away is a fact
that can be switched off.
"""
from __future__ import annotations

from ortools.sat.python import cp_model

from ...clock import minutes_between
from ...domain import WEEKDAYS, Worker
from ...policy import AFTER_SCHOOL, SCHOOL_END
from ..problem import Problem
from ..share import Lit, Share
from ..variables import Fact, Variables


def segment_minutes(worker: Worker) -> dict[str, int]:
    am_end = min(worker.day_end, SCHOOL_END)
    return {"am": minutes_between(worker.day_start, am_end),
            "pm": minutes_between(max(worker.day_start, AFTER_SCHOOL), worker.day_end)}


def add(m: cp_model.CpModel, pb: Problem, v: Variables) -> Share:
    workers = {w.worker_id: w for w in pb.team.workers}
    for (wid, di), loads in sorted(v.loads.items(), key=lambda kv: kv[0]):
        w, day = workers[wid], pb.days[di]
        if v.diagnostic:
            _unavailability(m, pb, v, w, di, [load.var for load in loads])
        cap_lit = v.fact(Fact("capacity", wid, (day,)))
        cap = segment_minutes(w)
        for seg in ("am", "pm"):
            used = [(load.minutes, load.var) for load in loads if load.segment == seg]
            if used:
                c = m.add(sum(mn * x for mn, x in used) <= cap[seg])
                if cap_lit is not None:
                    c.only_enforce_if(cap_lit)
        visits = [load.var for load in loads if load.kind in ("home", "school")]
        if len(visits) > w.max_visits_per_day:
            c = m.add(sum(visits) <= w.max_visits_per_day)
            if cap_lit is not None:
                c.only_enforce_if(cap_lit)
    return Share()


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
