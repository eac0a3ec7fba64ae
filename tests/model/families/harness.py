"""Build a model from the variable container and chosen families only, then ask CP-SAT whether
some assignment is possible: each family's rule tested on its own."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from types import ModuleType

from ortools.sat.python import cp_model

from scheduler.calendar import WorkingCalendar
from scheduler.domain import Team
from scheduler.model.build import Built, build
from scheduler.model.problem import Problem
from scheduler.standards import Standard
from tests.model.teams import START

CAL = WorkingCalendar("england")


def problem(team: Team, std: Standard, start: date = START, end: date = date(2026, 12, 11)) -> Problem:
    return Problem(team, std, CAL, start, end)


def built(pb: Problem, families: Sequence[ModuleType]) -> Built:
    return build(pb, families=families)


def feasible(b: Built, true: Sequence[cp_model.IntVar] = (), false: Sequence[cp_model.IntVar] = ()) -> bool:
    """Is there an assignment with the given literals fixed?"""
    m = b.model.clone()
    for x in true:
        m.add(m.get_bool_var_from_proto_index(x.index) == 1)
    for x in false:
        m.add(m.get_bool_var_from_proto_index(x.index) == 0)
    s = cp_model.CpSolver()
    s.parameters.num_workers = 1
    s.parameters.max_time_in_seconds = 10
    return s.solve(m) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def day_index(pb: Problem, d: date) -> int:
    return pb.days.index(d)
