"""Households family: a child is seen by at most one visit a day (siblings are seen together)."""
from __future__ import annotations

from datetime import date

from scheduler.model.families import households
from tests.model.families.harness import built, day_index, feasible, problem
from tests.model.teams import CP_10WD, child, standard, team, worker

MON = date(2026, 11, 30)


def _pb():
    # two under-fives in one household (at home all day), two workers who may both visit
    kids = [child("C1", household="H1", dob=date(2023, 1, 1)), child("C2", household="H1", dob=date(2024, 1, 1))]
    # (the second worker's visit below is another daytime one)
    return problem(team([worker("W1"), worker("W2")], kids), standard(CP_10WD))


def test_two_visits_to_one_household_on_one_day_are_refused():
    pb = _pb()
    di = day_index(pb, MON)
    b = built(pb, [households])
    first, second = b.v.home[("H1", di, "W1", "day")], b.v.home[("H1", di, "W2", "day")]
    assert not feasible(b, true=[first, second])


def test_without_the_family_the_variables_alone_allow_it():
    pb = _pb()
    di = day_index(pb, MON)
    b = built(pb, [])
    assert feasible(b, true=[b.v.home[("H1", di, "W1", "day")], b.v.home[("H1", di, "W2", "day")]])


def test_a_personal_adviser_and_a_social_worker_may_visit_one_household_the_same_day():
    # a care leaver (18) and a younger CIN sibling: each needs a different role
    kids = [child("L1", status="care_leaver", household="H1", dob=date(2008, 1, 1), allocated="P1"),
            child("C2", status="cin", household="H1", dob=date(2024, 1, 1))]
    pb = problem(team([worker("W1"), worker("P1", role="personal_adviser")], kids), standard(CP_10WD))
    di = day_index(pb, MON)
    b = built(pb, [households])
    assert feasible(b, true=[b.v.home[("H1", di, "W1", "day")], b.v.home[("H1", di, "P1", "day")]])


def test_one_visit_sees_both_siblings():
    pb = _pb()
    di = day_index(pb, MON)
    b = built(pb, [households])
    x = b.v.home[("H1", di, "W1", "day")]
    # seen[child, day] is implied by the visit for both children (variables' definitions)
    for cid in ("C1", "C2"):
        assert not feasible(b, true=[x], false=[b.v.seen[(cid, di)]])
