"""Every cover visit says why (issue 10 item 6): scheduler.model.extract.cover_reason calls the
allocated worker's day full only when the stop would not fit it."""
from __future__ import annotations

from datetime import date, time

from scheduler.model.extract import Stop, cover_reason
from scheduler.model.problem import Problem
from scheduler.model.variables import ANY_TIME
from tests.model.teams import CAL, CP_10WD, START, child, leave, standard, team, worker

UNDER_FIVE = date(2023, 1, 1)


def _visit(c) -> Stop:  # type: ignore[no-untyped-def]
    return Stop("home", c.household_id, "visit", (c,), (), (), 40, ANY_TIME)


def _reason(w1, absences=()):  # type: ignore[no-untyped-def]
    # C1 (W1's) is visited by W2; W1 already has a 40-minute visit to C2 that day (homes ~300 m
    # and ~600 m from the shared base: a minute or two of travel)
    c1, c2 = child("C1", dob=UNDER_FIVE, offset=1), child("C2", dob=UNDER_FIVE, offset=2)
    t = team([w1, worker("W2")], [c1, c2], absences=absences)
    pb = Problem(t, standard(CP_10WD), CAL, START, date(2026, 12, 4))
    return cover_reason(pb, t.workers[1], _visit(c1), START, {("W1", START): [_visit(c2)]})


def test_the_allocated_workers_day_is_full_only_when_the_visit_would_not_fit():
    # 09:00-10:00: 40 + 40 minutes of visits and travel do not fit 60 minutes
    assert _reason(worker("W1", day_end=time(10, 0))) == "C1: W1's day is full"
    # the daily visit limit counts too
    assert _reason(worker("W1", max_visits_per_day=1)) == "C1: W1's day is full"
    # 09:00-17:00 with one visit planned: there was room, and the reason says so
    assert _reason(worker("W1")) == ("C1: W1 had room that day too (the planner found no better plan "
                                     "within its work budget)")
    assert _reason(worker("W1"), absences=[leave("W1", START, START, "sickness")]) == "C1: W1 is away (sickness)"
