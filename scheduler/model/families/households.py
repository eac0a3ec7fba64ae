"""Households (issue #3): siblings in one household are seen together, in one home visit.

A child is seen by at most one visit a day (a second would add nothing; the verifier refuses it
too). What a visit sees, and how long it takes, is fixed when the variables are created
(scheduler.model.variables: a home visit sees every child the worker may see who is at home;
school-age children are at school in school hours; each child seen alone adds time). Two
visits to one household on one day are possible when they see different children (e.g. a
personal adviser for a care leaver and a social worker for a younger sibling).
"""
from __future__ import annotations

from ortools.sat.python import cp_model

from ..problem import Problem
from ..share import Share
from ..variables import Variables


def add(m: cp_model.CpModel, pb: Problem, v: Variables) -> Share:
    for lits in v.child_visits.values():
        if len(lits) > 1:
            m.add_at_most_one(lits)
    return Share()
