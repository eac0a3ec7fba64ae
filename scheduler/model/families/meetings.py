"""Meetings: core groups, review conferences, CIN/CIC/pathway reviews and PEPs.

A cadence meeting is held at most once a day (its windows are the cadence family's). A meeting
booked in meetings.csv happens on its date with whoever can attend; if nobody can fit it in,
that is a breach of its own (policy.BOOKED_MISSED_SEVERITY) and a plan is still produced.
"""
from __future__ import annotations

from ortools.sat.python import cp_model

from ...policy import BOOKED_MISSED_SEVERITY
from ..problem import Problem
from ..share import Share
from ..variables import Variables


def add(m: cp_model.CpModel, pb: Problem, v: Variables) -> Share:
    share = Share()
    missed = {(cid, act, day): x for cid, act, day, x in v.booked_missed}
    for (cid, act, di), xs in v.meetings_by_day.items():
        booked_miss = missed.get((cid, act, pb.days[di]))
        if booked_miss is not None:
            m.add_exactly_one(xs + [booked_miss])
            share.term("breach", BOOKED_MISSED_SEVERITY, booked_miss)
            # and as late as a missed window never met (every lateness tier): otherwise the later
            # stage, which may re-spend the breach total, swaps a booked meeting for a late visit
            share.term("late", BOOKED_MISSED_SEVERITY * max(pb.params.late_tiers_days), booked_miss)
        elif len(xs) > 1:
            m.add_at_most_one(xs)
    return share
