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
    # decision variables the planning model may not rule out by its cover pool (Problem.plan_pool):
    # the plan the search starts from (Variables.start) and, in a re-plan, the previous plan's
    # frozen activities - required, whoever held them
    protected: frozenset[int] = frozenset()

    @property
    def windows(self) -> list[Window]:
        return self.share.windows

    def tight_breaches(self, solution: Sequence[int]) -> int:
        """The breach cost of a solution (a value per variable index) with each objective-only
        literal at the least value its decisions allow (Share.derived): the search may leave a
        breach literal at 1 although its window is met, so its objective can overstate this."""
        if not hasattr(self, "_breach_terms"):
            derived = {var.index: ([c.index for c in conds], [w.index for w in window])
                       for var, conds, window in self.share.derived}
            self._breach_terms = [(coef, var.index, derived.get(var.index))
                                  for coef, var in self.share.terms.get("breach", [])]
        total = 0
        for coef, i, rule in self._breach_terms:
            if not solution[i]:
                continue
            if rule is not None and not (all(solution[c] for c in rule[0]) and not any(solution[w] for w in rule[1])):
                continue  # paid for nothing: its window is met (or it does not apply)
            total += coef
        return total

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
    protected = set(v.start)
    if pb.previous and not diagnostic:
        from .families.continuity import frozen, kept_variables

        protected |= {x.index for x in frozen(pb, v, kept_variables(pb, v))}
    return Built(m, pb, v, share, frozenset(protected))
