"""What a constraint family gives back: its share of the objective, and the soft windows it made.

Objective terms are grouped by priority name ("breach", "late", "change", "cover", "travel",
"buffer", "fair"); the solver minimises them lexicographically (scheduler.model.solve).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

from .problem import Cadence

Lit = cp_model.IntVar
Term = tuple[int, Lit]  # (coefficient, variable)


@dataclass
class Window:
    """A soft cadence window: `var` = 1 means the occurrence due by `due` is not planned in time."""

    cadence: Cadence
    due: date
    var: Lit
    forced: bool = False  # due before the plan starts (or no working day in its window)
    window: list[Lit] = field(default_factory=list)  # occurrence literals that would meet it
    conds: list[Lit] = field(default_factory=list)  # literals under which the window applies
    after: date | None = None  # the planned occurrence day it follows (None: the history anchor)

    @property
    def key(self) -> tuple[str, str, date]:
        return (self.cadence.child.child_id, self.cadence.requirement, self.due)


@dataclass
class Share:
    terms: dict[str, list[Term]] = field(default_factory=dict)
    windows: list[Window] = field(default_factory=list)
    # objective-only literals: (var, conds, window) with var forced to 1 exactly when all conds
    # hold and no window literal does; used to tighten a hint between lexicographic stages
    derived: list[tuple[Lit, list[Lit], list[Lit]]] = field(default_factory=list)
    # a first solution to start the first stage from (variable, value): a re-plan's previous plan
    hint: list[tuple[Lit, int]] = field(default_factory=list)
    # terms the first stage minimises after breaches (each breach unit outweighs all of them)
    tiebreak: list[Term] = field(default_factory=list)
    # breach cost no plan can avoid (windows due before the plan, or with no working day): a plan
    # costing no more has its fewest breaches proven without a search
    fixed_cost: int = 0

    def term(self, name: str, coef: int, var: Lit) -> None:
        self.terms.setdefault(name, []).append((coef, var))

    def merge(self, other: Share) -> None:
        for name, terms in other.terms.items():
            self.terms.setdefault(name, []).extend(terms)
        self.windows.extend(other.windows)
        self.derived.extend(other.derived)
        self.hint.extend(other.hint)
        self.tiebreak.extend(other.tiebreak)
        self.fixed_cost += other.fixed_cost
