"""Households family: at most one visit per household per day (siblings are seen together)."""
from __future__ import annotations

from datetime import date

from scheduler.model.families import households
from tests.model.families.harness import built, day_index, feasible, problem
from tests.model.teams import CP_10WD, child, standard, team, worker

MON = date(2026, 11, 30)


def _pb():
    # two under-fives in one household (at home all day), two workers who may both visit
    kids = [child("C1", household="H1", dob=date(2023, 1, 1)), child("C2", household="H1", dob=date(2024, 1, 1))]
    return problem(team([worker("W1"), worker("W2")], kids), standard(CP_10WD))


def test_two_visits_to_one_household_on_one_day_are_refused():
    pb = _pb()
    di = day_index(pb, MON)
    b = built(pb, [households])
    am, pm = b.v.home[("H1", di, "W1", "am")], b.v.home[("H1", di, "W2", "pm")]
    assert not feasible(b, true=[am, pm])


def test_without_the_family_the_variables_alone_allow_it():
    pb = _pb()
    di = day_index(pb, MON)
    b = built(pb, [])
    assert feasible(b, true=[b.v.home[("H1", di, "W1", "am")], b.v.home[("H1", di, "W2", "pm")]])


def test_one_visit_sees_both_siblings():
    pb = _pb()
    di = day_index(pb, MON)
    b = built(pb, [households])
    x = b.v.home[("H1", di, "W1", "am")]
    # seen[child, day] is implied by the visit for both children (variables' definitions)
    for cid in ("C1", "C2"):
        assert not feasible(b, true=[x], false=[b.v.seen[(cid, di)]])
