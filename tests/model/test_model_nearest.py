"""Problem.nearest_into: the shortest way into a household from another of a day's places, from
a list made once per household - the same value as the plain minimum it replaced."""
from __future__ import annotations

import random
from datetime import date

from scheduler.demo import generate_team
from scheduler.model.problem import Problem
from tests.model.teams import CAL, CP_10WD, standard


def test_nearest_into_is_the_plain_minimum_over_the_days_places():
    start = date(2026, 11, 30)
    pb = Problem(generate_team(3, 40, seed=7, start=start), standard(CP_10WD), CAL, start, date(2026, 12, 11))
    homes = sorted(pb.households)
    rng = random.Random(1)
    for _ in range(200):
        places = set(rng.sample(homes, rng.randint(1, len(homes))))
        for h in places:
            others = [pb.between(o, h) for o in places if o != h]
            assert pb.nearest_into(h, places) == (min(others) if others else None)
