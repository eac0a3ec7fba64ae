"""Soft preferences after compliance (issue #3 objective order): fewest cover visits, least
travel, fairest spread of work across the team. Breaches, lateness and buffers are priced by the
cadence family."""
from __future__ import annotations

from ..context import Context


def add(ctx: Context) -> None:
    m, pb = ctx.model, ctx.pb
    children = {c.child_id: c for c in pb.team.children}
    # cover: the worker is not the allocated worker of a child seen
    for (hid, di, wid, seg), v in ctx.home.items():
        kids = pb.visit_children(hid, pb.team.worker(wid), pb.days[di], seg)
        if any(c.allocated_worker_id != wid for c in kids):
            ctx.term("cover", 1, v)
        ctx.term("travel", pb.base_minutes(pb.team.worker(wid), hid), v)
    for (cid, di, wid), v in ctx.school.items():
        if children[cid].allocated_worker_id != wid:
            ctx.term("cover", 1, v)
        ctx.term("travel", pb.base_minutes(pb.team.worker(wid), children[cid].household_id), v)
    for (cid, act, di, wid, _seg), v in ctx.meet.items():
        if children[cid].allocated_worker_id != wid:
            ctx.term("cover", 1, v)
        ctx.term("travel", pb.base_minutes(pb.team.worker(wid), children[cid].household_id), v)
    # fairness: the busiest worker's load (per working day available) is kept down
    loads = []
    for w in pb.team.workers:
        entries = [(mn, v) for (wid, _), es in ctx.by_worker_day.items() if wid == w.worker_id
                   for v, _, _, mn in es]
        if not entries:
            continue
        load = m.NewIntVar(0, 10**6, f"load[{w.worker_id}]")
        m.Add(load == sum((mn // pb.params.fairness_unit_minutes) * v for mn, v in entries))
        loads.append(load)
    if loads:
        peak = m.NewIntVar(0, 10**6, "peak_load")
        m.AddMaxEquality(peak, loads)
        ctx.term("fair", 1, peak)
