"""Meetings: core groups, review conferences, CIN/CIC/pathway reviews and PEPs.

Cadence meetings due in the horizon are planned in their windows (the windows themselves are the
cadence family's); they take the allocated worker's time (or a nearby eligible colleague's, as
cover). Meetings booked in meetings.csv are fixed on their date.
"""
from __future__ import annotations

from ...policy import BOOKED_MISSED_SEVERITY, MEETING_ACTIVITY, MEETING_MINUTES
from ..context import Context


def add(ctx: Context) -> None:
    m, pb = ctx.model, ctx.pb
    wanted: set[tuple[str, str]] = set()  # (child, activity) with a cadence that may fall due
    for cd in pb.cadences:
        act = MEETING_ACTIVITY.get(cd.requirement)
        if act is None or cd.requirement in ("visit", "seen_alone", "bedroom"):
            continue
        due0 = cd.due(cd.history[-1] if cd.history else None, len(cd.history))
        if due0 is not None and due0 <= pb.end:
            wanted.add((cd.child.child_id, act))
    booked: dict[tuple[str, str], set[int]] = {}
    day_index = {d: i for i, d in enumerate(pb.days)}
    for mt in pb.team.meetings:
        # supervision is between worker and manager, not a child activity: not planned here
        if mt.status == "booked" and mt.date in day_index and mt.meeting_type != "supervision":
            booked.setdefault((mt.child_id, mt.meeting_type), set()).add(day_index[mt.date])
    children = {c.child_id: c for c in pb.team.children}
    for cid, act in sorted(wanted | set(booked)):
        child = children[cid]
        hid = child.household_id
        fixed = booked.get((cid, act), set())
        for di, day in enumerate(pb.days):
            if (cid, act) not in wanted and di not in fixed:
                continue
            vs = []
            # planned meetings go in school hours; a booked one may also be after school
            segments = ("am", "pm") if di in fixed else ("am",)
            for w in pb.candidates(child):
                if not (ctx.diagnostic or pb.available(w, day)):
                    continue
                for seg in segments:
                    v = m.NewBoolVar(f"meet[{cid},{act},{day},{w.worker_id},{seg}]")
                    ctx.meet[(cid, act, di, w.worker_id, seg)] = v
                    ctx.register(v, w.worker_id, di, "meeting", seg,
                                 MEETING_MINUTES[act] + 2 * pb.base_minutes(w, hid))
                    vs.append(v)
            if di in fixed:
                # booked: it happens that day, with whoever can attend; if nobody can fit it in,
                # that is a breach of its own (a plan is still produced)
                missed = m.NewBoolVar(f"booked_missed[{cid},{act},{day}]")
                m.AddExactlyOne(vs + [missed])
                ctx.booked_missed.append((cid, act, day, missed))
                ctx.term("breach", BOOKED_MISSED_SEVERITY, missed)
            elif len(vs) > 1:
                m.AddAtMostOne(vs)
            if vs:
                held = m.NewBoolVar(f"met[{cid},{act},{day}]")
                m.AddBoolOr(vs).OnlyEnforceIf(held)
                for v in vs:
                    m.AddImplication(v, held)
                ctx.met[(cid, act, di)] = held
