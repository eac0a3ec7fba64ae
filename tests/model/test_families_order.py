"""Families only add constraints over variables created before them: any order, same model."""
from __future__ import annotations

import itertools
from datetime import date

import pytest

from scheduler.calendar import WorkingCalendar
from scheduler.demo import generate_team
from scheduler.model.build import build
from scheduler.model.families import FAMILIES
from scheduler.model.problem import Problem
from scheduler.standards import load_standard
from tests.model.fingerprint import fingerprint

START = date(2026, 11, 30)


@pytest.fixture(scope="module")
def problem() -> Problem:
    team = generate_team(3, 12, seed=5, start=START)
    return Problem(team, load_standard("dorset"), WorkingCalendar("england"), START, date(2026, 12, 13))


def test_every_order_of_the_families_builds_the_same_model(problem):
    reference = fingerprint(build(problem).model)
    orders = list(itertools.permutations(FAMILIES))
    for order in orders[:: max(1, len(orders) // 12)] + [tuple(reversed(FAMILIES))]:
        assert fingerprint(build(problem, families=order).model) == reference, [f.__name__ for f in order]


def test_objective_shares_do_not_depend_on_the_order(problem):
    forward = build(problem).share.terms
    backward = build(problem, families=tuple(reversed(FAMILIES))).share.terms
    assert {k: sorted((c, v.name) for c, v in ts) for k, ts in forward.items()} == \
           {k: sorted((c, v.name) for c, v in ts) for k, ts in backward.items()}
