"""The variable container shared by the constraint families (one CP-SAT model per context)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

from .demand import Cadence, Problem


@dataclass(frozen=True)
class Fact:
    """A named fact of the team's situation, switchable by an assumption literal in diagnosis."""

    kind: str  # absence | pattern | capacity
    worker_id: str
    days: tuple[date, ...]
    detail: str = ""


@dataclass
class BreachVar:
    """A soft window: `var` = 1 means the occurrence due by `due` is not planned in time."""

    cadence: Cadence
    due: date
    var: cp_model.IntVar
    forced: bool = False  # due before the plan starts (or no working day in its window)
    window: list = field(default_factory=list)  # occurrence literals that would meet it
    conds: list = field(default_factory=list)  # literals under which the window applies
    after: object = None  # the planned occurrence day it follows (None: the history anchor)


@dataclass
class Context:
    model: cp_model.CpModel
    pb: Problem
    diagnostic: bool = False
    # decision variables
    home: dict[tuple[str, int, str, str], cp_model.IntVar] = field(default_factory=dict)  # (household, day, worker, seg)
    school: dict[tuple[str, int, str], cp_model.IntVar] = field(default_factory=dict)  # (child, day, worker)
    meet: dict[tuple[str, str, int, str, str], cp_model.IntVar] = field(default_factory=dict)  # (child, activity, day, worker, seg)
    # derived occurrence indicators
    seen: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)  # child seen (any visit)
    at_home: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)  # home visit (bedroom)
    met: dict[tuple[str, str, int], cp_model.IntVar] = field(default_factory=dict)  # meeting held
    breaches: list[BreachVar] = field(default_factory=list)
    # booked meetings that could not be fitted: (child_id, activity, day, literal)
    booked_missed: list[tuple[str, str, date, cp_model.IntVar]] = field(default_factory=list)
    # objective terms by priority name
    terms: dict[str, list[tuple[int, cp_model.IntVar]]] = field(default_factory=dict)
    # diagnosis: assumption literal -> fact
    facts: dict[int, Fact] = field(default_factory=dict)
    fact_lits: dict[Fact, cp_model.IntVar] = field(default_factory=dict)
    # objective-only literals: (var, conds, window) with var forced to 1 exactly when all conds
    # hold and no window literal does; used to tighten a hint between lexicographic stages
    derived: list[tuple[cp_model.IntVar, list, list]] = field(default_factory=list)
    # index: (worker, day index) -> [(var, kind, segment, minutes)]
    by_worker_day: dict[tuple[str, int], list[tuple[cp_model.IntVar, str, str, int]]] = field(default_factory=dict)

    def term(self, name: str, coef: int, var: cp_model.IntVar) -> None:
        self.terms.setdefault(name, []).append((coef, var))

    def fact(self, f: Fact) -> cp_model.IntVar | None:
        """The literal that switches a fact on (diagnosis only; None = always enforced)."""
        if not self.diagnostic:
            return None
        lit = self.fact_lits.get(f)
        if lit is None:
            lit = self.model.NewBoolVar(f"fact:{f.kind}:{f.worker_id}:{f.days[0] if f.days else ''}")
            self.fact_lits[f] = lit
            self.facts[lit.Index()] = f
        return lit

    def register(self, var: cp_model.IntVar, worker_id: str, di: int, kind: str, segment: str,
                 minutes: int) -> None:
        """Record that `var` takes `minutes` (incl. travel allowance) of a worker's day segment."""
        self.by_worker_day.setdefault((worker_id, di), []).append((var, kind, segment, minutes))
