"""Preferences family: cover and travel are priced per visit."""
from __future__ import annotations

from datetime import date

from scheduler.model.families import preferences
from tests.model.families.harness import built, day_index, problem
from tests.model.teams import CP_10WD, child, standard, team, worker

MON = date(2026, 11, 30)
UNDER_FIVE = date(2023, 1, 1)


def test_a_visit_by_a_colleague_is_cover_and_the_allocated_worker_is_not():
    t = team([worker("W1"), worker("W2")], [child("C1", dob=UNDER_FIVE, allocated="W1")])
    pb = problem(t, standard(CP_10WD))
    b = built(pb, [preferences])
    di = day_index(pb, MON)
    cover = {x.name for _, x in b.share.terms["cover"]}
    assert b.v.home[("C1", di, "W2", "day")].name in cover
    assert b.v.home[("C1", di, "W1", "day")].name not in cover


def test_travel_is_priced_at_the_base_distance():
    far = worker("W1", base_lat=51.6558)  # 0.1 degree (~11.1 km) north of the homes
    t = team([far], [child("C1", dob=UNDER_FIVE)])
    pb = problem(t, standard(CP_10WD))
    b = built(pb, [preferences])
    di = day_index(pb, MON)
    x = b.v.home[("C1", di, "W1", "day")]
    (coef,) = [c for c, v in b.share.terms["travel"] if v.name == x.name]
    assert coef == pb.base_minutes(far, "C1") > 0
