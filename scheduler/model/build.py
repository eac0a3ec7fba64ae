"""Model building: a Problem -> a CP-SAT model with its variables (no solving here)."""
from __future__ import annotations

from collections.abc import Mapping

from ortools.sat.python import cp_model

from .context import Context
from .demand import Problem
from .families import FAMILIES


def build(pb: Problem, diagnostic: bool = False) -> Context:
    ctx = Context(cp_model.CpModel(), pb, diagnostic=diagnostic)
    for family in FAMILIES:
        family.add(ctx)
    return ctx


def objective(ctx: Context, names: tuple[str, ...], weights: Mapping[str, int] | None = None):
    weights = weights or {n: 1 for n in names}
    return sum(weights[n] * coef * var for n in names for coef, var in ctx.terms.get(n, []))
