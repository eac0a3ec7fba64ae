"""Households (issue #3): siblings in one household are seen together, in one home visit.

At most one visit (home or school) per household per day, which keeps occurrences unambiguous;
what a visit sees, and how long it takes, is fixed when the variables are created
(scheduler.model.variables: school-age children are at school in school hours, each child seen
alone adds time).
"""
from __future__ import annotations

from ortools.sat.python import cp_model

from ..problem import Problem
from ..share import Share
from ..variables import Variables


def add(m: cp_model.CpModel, pb: Problem, v: Variables) -> Share:
    for lits in v.household_visits.values():
        if len(lits) > 1:
            m.add_at_most_one(lits)
    return Share()
