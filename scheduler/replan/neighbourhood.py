"""A re-plan's neighbourhood: which households it plans afresh (scheduler.model.Problem's
replan_open) and which breaches the previous plan, as it was meant, already had (replan_baseline).

Orchestration above the model and the verifier: it re-checks the previous plan with the
independent verifier to find what the change broke; the model's continuity family only reads the
answer (Problem fields), so the model never depends on the verifier.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date

from ..domain import Child, Meeting, Visit, Worker
from ..model.breaches import missed_windows
from ..model.families.continuity import in_horizon, previous_span
from ..model.problem import Problem
from ..model.solve import Solved
from ..policy import eligible
from ..solution import PlannedActivity
from ..verifier import Violation, verify


def prepare(pb: Problem) -> Problem:
    """The Problem with its re-plan neighbourhood worked out (unchanged for a plan)."""
    if not pb.previous or pb.params.replan_whole_team:
        return pb
    pb = replace(pb, replan_baseline=baseline(pb))
    return replace(pb, replan_open=open_households(pb))


def _still_possible(pb: Problem, a: PlannedActivity, workers: dict[str, Worker], children: dict[str, Child],
                    days: set[date]) -> bool:
    w = workers.get(a.worker_id)
    kids = [children[cid] for cid in a.child_ids if cid in children]
    return (w is not None and a.date in days and pb.available(w, a.date) and bool(kids)
            and any(eligible(w, c) for c in kids))


def open_households(pb: Problem) -> frozenset[str]:
    """The households a re-plan plans afresh: those of every child the previous plan no longer
    serves. The previous activities that can still happen (worker in the team, available and
    eligible; a working day) are re-checked by the independent verifier; a violation that the
    previous plan as it was meant does not have too (`baseline`), about a child
    (a visit or meeting now missing or late, a booked meeting not in the plan, a new child with
    something due, a household or school rule) opens that child's household, one about a
    worker-day (no longer fits, overlaps, too many visits) opens every household of that day, and
    so does an activity that can no longer happen. Every other household keeps its activities or
    drops one (which no breach ever asks for, as it can only lose a visit) - the neighbourhood that
    keeps a re-plan to seconds; SolveParams.replan_whole_team plans every household afresh."""
    workers = {w.worker_id: w for w in pb.team.workers}
    children = {c.child_id: c for c in pb.team.children}
    days = set(pb.days)
    out: set[str] = set(pb.replan_widened)
    kept = []
    for a in in_horizon(pb):
        if _still_possible(pb, a, workers, children, days):
            kept.append(a)
        else:
            out.update(children[cid].household_id for cid in a.child_ids if cid in children)
    by_day: dict[tuple[str, date], list[PlannedActivity]] = defaultdict(list)
    for a in kept:
        by_day[(a.worker_id, a.date)].append(a)
    kept = _travel_again(pb, by_day, workers)
    for viol in verify(pb.team, pb.standard, pb.cal, pb.start, pb.end, kept, pb.travel):
        if _old(pb, viol):
            continue  # the previous plan missed it too: not the change's doing
        if viol.child_id in children:
            out.add(children[viol.child_id].household_id)
        elif viol.worker_id is not None and viol.day is not None:
            out.update(children[cid].household_id for a in by_day.get((viol.worker_id, viol.day), [])
                       for cid in a.child_ids if cid in children)
    return frozenset(out)


def _vkey(viol: Violation) -> tuple[object, ...]:
    """A finding's identity: a missed window by its child, requirement and due date (not by
    when the child is seen late); anything else by everything it names."""
    if viol.kind in ("cadence", "booked"):
        return (viol.kind, viol.child_id, viol.requirement, viol.due_by)
    return (viol.kind, viol.child_id, viol.worker_id, viol.day, viol.requirement, viol.due_by)


def listed(pb: Problem, child_id: str | None, requirement: str | None, booked_on: date | None = None) -> bool:
    """Does the previous breach register list this child and requirement - for a booked meeting,
    that very booking (its date)? A meeting rebooked for another day is new: its household is
    planned afresh, as for any change in the data."""
    if booked_on is not None:
        return (child_id, requirement, booked_on) in pb.previous_breaches
    return any(c == child_id and r == requirement for c, r, _ in pb.previous_breaches)


def _old(pb: Problem, viol: Violation) -> bool:
    """A missed window or booked meeting that the previous plan, as it was meant, misses on this
    team's data too, for a child and requirement its breach register lists (so it is not a new
    child, nor a change in the data; for a booked meeting, the same booking)."""
    return (viol.kind in ("cadence", "booked")
            and listed(pb, viol.child_id, viol.requirement, viol.due_by if viol.kind == "booked" else None)
            and _vkey(viol) in pb.replan_baseline)


def baseline(pb: Problem) -> frozenset[tuple[object, ...]]:
    """The verifier's findings on the previous plan as it was meant, on this team's data: its
    activities from the plan's start on, with those before the start counted as done. A missed
    window it has too, for a child its breach register lists (a child already overdue, a breach
    it could not avoid), is not the change's doing (`_old`)."""
    history = pb.team
    recorded = {(v.child_id, v.date) for v in history.visits}
    held = {(m.child_id, m.meeting_type, m.date) for m in history.meetings if m.status == "held"}
    visits, meetings = list(history.visits), list(history.meetings)
    for a in pb.previous:
        if a.date >= pb.start:
            continue
        for cid in a.child_ids:
            if a.activity == "visit" and (cid, a.date) not in recorded:
                visits.append(Visit(cid, a.date, a.worker_id, cid in a.seen_alone_child_ids,
                                    cid in a.bedroom_child_ids))
            elif a.activity != "visit" and (cid, a.activity, a.date) not in held:
                meetings.append(Meeting(cid, a.activity, a.date, "held"))
    meant = replace(history, visits=tuple(visits), meetings=tuple(meetings))
    return frozenset(_vkey(v) for v in verify(meant, pb.standard, pb.cal, pb.start, pb.end, in_horizon(pb),
                                              pb.travel))


def widen(pb: Problem, solved: Solved) -> frozenset[str]:
    """After a re-plan in its neighbourhood: the households to open as well, so that a breach the
    previous plan did not have can be avoided by moving what another household has on the days
    and workers that could have met it (each window's days after any freeze, the child's
    eligible workers). Only for breaches the solver proved it could not avoid in the
    neighbourhood, due within the previous plan's days; none when it would open more than
    SolveParams.replan_widen_max households."""
    span = previous_span(pb)
    if not solved.breaches_optimal or span is None:
        return frozenset()  # (a breach the solver merely did not avoid in time is no reason)
    v = solved.built.v
    planned: dict[tuple[str, int], set[str]] = defaultdict(set)
    for (wid, di), loads in v.loads.items():
        planned[(wid, di)].update(load.household_id for load in loads if solved.value(load.var))
    wanted: list[tuple[Child, list[int]]] = []
    for bv, br in missed_windows(solved, pb):
        if bv.forced or bv.due > span[1] or (listed(pb, br.child_id, br.requirement)
                                              and ("cadence", br.child_id, br.requirement, br.due_by)
                                              in pb.replan_baseline):
            continue  # (due after the previous plan's last day: it could not have met it either)
        first = bv.after
        wanted.append((bv.cadence.child, [di for di, d in enumerate(pb.days)
                                          if (first is None or d > first) and d <= bv.due]))
    children = {c.child_id: c for c in pb.team.children}
    for cid, act, day, x in v.booked_missed:
        if solved.value(x) and day <= span[1] and not (listed(pb, cid, act, day)
                                                        and ("booked", cid, act, day) in pb.replan_baseline):
            wanted.append((children[cid], [pb.days.index(day)]))
    out: set[str] = set()
    for c, dis in wanted:
        for w in pb.candidates(c):
            for di in dis:
                if pb.freeze_until is None or pb.days[di] > pb.freeze_until:  # (frozen days stay)
                    out |= planned.get((w.worker_id, di), set())
    out -= pb.replan_open or frozenset()
    # opening most of the team would make the re-plan as slow as a plan: then the breach stays
    # (listed, not proven), and a plan without --previous is the way to avoid it
    return frozenset(out) if len(out) <= pb.params.replan_widen_max else frozenset()


def _travel_again(pb: Problem, by_day: dict[tuple[str, date], list[PlannedActivity]],
                  workers: dict[str, Worker]) -> list[PlannedActivity]:
    """The kept activities with each one's travel worked out again from the stop before it that
    is still there (a stop that left the day changes the next one's journey, not its fit)."""
    out = []
    for (wid, _day), acts in sorted(by_day.items()):
        w = workers[wid]
        here = (w.base_lat, w.base_lon)
        for a in sorted(acts, key=lambda a: a.start):
            there = pb.location(a.household_id) if a.household_id in pb.households else here
            out.append(replace(a, travel_minutes=pb.travel.minutes(here, there)))
            here = there
    return out


