"""Soft preferences after compliance (issue #3 objective order): fewest cover visits, least
travel, fairest spread of work across the team. Breaches, lateness and buffers are priced by the
cadence family."""
from __future__ import annotations

from ortools.sat.python import cp_model

from ..problem import Problem
from ..share import Share
from ..variables import Variables


def add(m: cp_model.CpModel, pb: Problem, v: Variables) -> Share:
    share = Share()
    children = {c.child_id: c for c in pb.team.children}
    # cover: the worker is not the allocated worker of a child seen
    for (hid, di, wid, kind), x in v.home.items():
        kids = pb.visit_children(hid, pb.team.worker(wid), pb.days[di], kind)
        if any(c.allocated_worker_id != wid for c in kids):
            share.term("cover", 1, x)
        share.term("travel", pb.base_minutes(pb.team.worker(wid), hid), x)
    for (cid, _di, wid), x in v.school.items():
        if children[cid].allocated_worker_id != wid:
            share.term("cover", 1, x)
        share.term("travel", pb.base_minutes(pb.team.worker(wid), children[cid].household_id), x)
    for (cid, _act, _di, wid), x in v.meet.items():
        if children[cid].allocated_worker_id != wid:
            share.term("cover", 1, x)
        share.term("travel", pb.base_minutes(pb.team.worker(wid), children[cid].household_id), x)
    # fairness: the busiest worker's load (per working day available) is kept down
    loads = []
    for w in pb.team.workers:
        entries = [(load.minutes + 2 * pb.base_minutes(w, load.household_id), load.var)
                   for (wid, _), ls in v.loads.items() if wid == w.worker_id for load in ls]
        if not entries:
            continue
        total = m.new_int_var(0, 10**6, f"load[{w.worker_id}]")
        m.add(total == sum((mn // pb.params.fairness_unit_minutes) * x for mn, x in entries))
        loads.append(total)
    if loads:
        peak = m.new_int_var(0, 10**6, "peak_load")
        m.add_max_equality(peak, loads)
        share.term("fair", 1, peak)
    return share
