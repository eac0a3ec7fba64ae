"""Model building: a Problem -> a CP-SAT model (no solving here).

Variables first (scheduler.model.variables), then each constraint family adds its rules and
returns its share of the objective.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType

from ortools.sat.python import cp_model

from . import variables
from .families import FAMILIES
from .problem import Problem
from .share import Share, Window
from .variables import Variables


@dataclass
class Built:
    model: cp_model.CpModel
    pb: Problem
    v: Variables
    share: Share

    @property
    def windows(self) -> list[Window]:
        return self.share.windows

    def objective(self, names: tuple[str, ...], weights: Mapping[str, int] | None = None) -> cp_model.LinearExprT:
        """The weighted sum of the named objective terms (each weight 1 by default)."""
        w = weights or {n: 1 for n in names}
        return sum(w[n] * coef * var for n in names for coef, var in self.share.terms.get(n, []))


def build(pb: Problem, diagnostic: bool = False, families: Sequence[ModuleType] = FAMILIES) -> Built:
    m = cp_model.CpModel()
    v = variables.create(pb, m, diagnostic)
    share = Share()
    for family in families:
        share.merge(family.add(m, pb, v))
    return Built(m, pb, v, share)
