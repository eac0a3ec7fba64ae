"""Workers' time: working days and hours, absences, bank holidays, daily visit limit.

Each worker-day has two segments: am (day start to 15:15, school hours) and pm (15:30 to day
end). Everything planned in a segment, with a travel allowance of twice the distance from the
worker's base (an upper bound on the real route, so the timed route always fits), must fit in
it. Bank holidays and weekends are not in the horizon's days at all.
"""
from __future__ import annotations

from datetime import datetime, time

from ...domain import WEEKDAYS
from ..context import Context, Fact

AM_END = time(15, 15)
PM_START = time(15, 30)


def _minutes(a: time, b: time) -> int:
    return max(0, int((datetime.combine(datetime.min, b) - datetime.combine(datetime.min, a)).total_seconds() // 60))


def segment_minutes(worker) -> dict[str, int]:
    am_end = min(worker.day_end, AM_END)
    return {"am": _minutes(worker.day_start, am_end),
            "pm": _minutes(max(worker.day_start, PM_START), worker.day_end)}


def add(ctx: Context) -> None:
    m, pb = ctx.model, ctx.pb
    workers = {w.worker_id: w for w in pb.team.workers}
    for (wid, di), entries in sorted(ctx.by_worker_day.items(), key=lambda kv: kv[0]):
        w, day = workers[wid], pb.days[di]
        if ctx.diagnostic:
            _unavailability(ctx, w, di, [e[0] for e in entries])
        cap_lit = ctx.fact(Fact("capacity", wid, (day,)))
        cap = segment_minutes(w)
        for seg in ("am", "pm"):
            load = [(minutes, v) for v, _, s, minutes in entries if s == seg]
            if load:
                c = m.Add(sum(mn * v for mn, v in load) <= cap[seg])
                if cap_lit is not None:
                    c.OnlyEnforceIf(cap_lit)
        visits = [v for v, kind, _, _ in entries if kind in ("home", "school")]
        if len(visits) > w.max_visits_per_day:
            c = m.Add(sum(visits) <= w.max_visits_per_day)
            if cap_lit is not None:
                c.OnlyEnforceIf(cap_lit)


def _unavailability(ctx: Context, w, di: int, vars_: list) -> None:
    """Diagnosis: each reason a worker is away that day is its own switchable fact."""
    day = ctx.pb.days[di]
    reasons = []
    if day.weekday() not in w.working_days:
        pattern = " ".join(WEEKDAYS[i] for i in w.working_days)
        reasons.append(Fact("pattern", w.worker_id, (), f"works {pattern} only"))
    for a in ctx.pb.team.absences:
        if a.worker_id == w.worker_id and a.covers(day):
            reasons.append(Fact("absence", w.worker_id, (a.start_date, a.end_date), a.kind))
    for f in reasons:
        lit = ctx.fact(f)
        for v in vars_:
            ctx.model.AddImplication(lit, v.Not())
