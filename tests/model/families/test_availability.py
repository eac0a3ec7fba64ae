"""Availability family: a worker-day segment holds what fits in its minutes, and no more visits
than the worker's daily limit."""
from __future__ import annotations

from datetime import date, time

from scheduler.model.families import availability
from scheduler.policy import visit_minutes
from tests.model.families.harness import built, day_index, feasible, problem
from tests.model.teams import CP_10WD, child, standard, team, worker

MON = date(2026, 11, 30)
UNDER_FIVE = date(2023, 1, 1)  # at home in school hours: visited in the am segment


def test_two_visits_do_not_fit_an_hour():
    # 09:00-10:00 is a 60-minute am segment; one visit to an under-five seen alone takes
    # 40 + 15 = 55 minutes plus twice the travel from base (nil here: homes ~300 m away -> 1 min
    # each way, 2 x 1 = 2), i.e. 57 minutes; two take 114 > 60
    assert visit_minutes(1, 1) == 55
    w = worker("W1", day_end=time(10, 0))
    t = team([w], [child("C1", dob=UNDER_FIVE, offset=1), child("C2", dob=UNDER_FIVE, offset=2)])
    pb = problem(t, standard(CP_10WD))
    b = built(pb, [availability])
    di = day_index(pb, MON)
    one, two = b.v.home[("C1", di, "W1", "am")], b.v.home[("C2", di, "W1", "am")]
    assert feasible(b, true=[one])
    assert not feasible(b, true=[one, two])


def test_daily_visit_limit():
    w = worker("W1", max_visits_per_day=1)
    t = team([w], [child("C1", dob=UNDER_FIVE, offset=1), child("C2", dob=UNDER_FIVE, offset=2)])
    pb = problem(t, standard(CP_10WD))
    b = built(pb, [availability])
    di = day_index(pb, MON)
    assert not feasible(b, true=[b.v.home[("C1", di, "W1", "am")], b.v.home[("C2", di, "W1", "am")]])
    b_free = built(pb, [])
    assert feasible(b_free, true=[b_free.v.home[("C1", di, "W1", "am")], b_free.v.home[("C2", di, "W1", "am")]])


def test_no_variable_for_a_day_the_worker_does_not_work():
    w = worker("W1", working_days=(1, 2, 3, 4))  # not Mondays
    pb = problem(team([w], [child("C1", dob=UNDER_FIVE)]), standard(CP_10WD))
    b = built(pb, [availability])
    assert not any(di == day_index(pb, MON) for (_, di, _, _) in b.v.home)
