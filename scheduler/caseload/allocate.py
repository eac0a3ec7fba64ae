"""`rota allocate`: who should take a new child? Eligible workers ranked for each new child.

Ranking, for each new child (new siblings in the file, same household_id, are placed together):
1. a worker who holds a sibling (an allocated child with the same household_id or the same
   home coordinates), when eligible and not `over` after taking the child: relationships and
   one visit for the household;
2. then the lightest load after taking the child: the larger of points / capacity points and
   demand hours / available hours (the figures of `rota caseload`, recomputed with the child);
3. then the shorter travel from the worker's base; then worker_id.
Workers who are not eligible (scheduler.policy.eligible) or would be `over` after taking the
child are left out, each with the reason.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..domain import Child, Team, Worker
from ..horizon import Horizon
from ..inputs import load_children_file
from ..inputs.problems import Problem
from ..policy import ELIGIBLE_ROLE, NEEDS_QUALIFIED, eligible
from ..standards import Standard
from .demand import DemandModel
from .points import Weights
from .table import CaseloadRow, fmt_number, worker_row

ALLOCATE_COLUMNS = ["child_id", "rank", "worker_id", "points_after", "utilisation_after",
                    "travel_minutes_from_base", "reason"]


@dataclass(frozen=True)
class Ranked:
    child_id: str
    rank: int
    worker_id: str
    points_after: float
    utilisation_after: float
    travel_minutes_from_base: int
    reason: str

    def row(self) -> dict[str, str]:
        return {"child_id": self.child_id, "rank": str(self.rank), "worker_id": self.worker_id,
                "points_after": fmt_number(self.points_after),
                "utilisation_after": f"{self.utilisation_after:.2f}",
                "travel_minutes_from_base": str(self.travel_minutes_from_base), "reason": self.reason}


@dataclass(frozen=True)
class LeftOut:
    child_id: str
    worker_id: str
    reason: str

    def line(self) -> str:
        return f"{self.child_id}: {self.worker_id} left out: {self.reason}"


@dataclass(frozen=True)
class Allocation:
    rows: tuple[Ranked, ...]
    left_out: tuple[LeftOut, ...]


def load_new_children(path: Path | str, team: Team, on: date) -> tuple[list[Child], list[Problem]]:
    """New children from a file with children.csv's columns, read with the loader's rules;
    raises InputErrors (file:row: column: problem) like `load_team`."""
    return load_children_file(path, team, on)


def _siblings(team: Team, child: Child) -> list[Child]:
    return [c for c in team.children if c.allocated_worker_id
            and (c.household_id == child.household_id or (c.lat, c.lon) == (child.lat, child.lon))]


def _why_not_eligible(worker: Worker, child: Child) -> str:
    needs = ELIGIBLE_ROLE[child.status].replace("_", " ")
    if child.status in NEEDS_QUALIFIED:
        needs = "qualified " + needs
    what = worker.role.replace("_", " ") + ("" if worker.qualified else ", not qualified")
    return f"not eligible ({what}); a {child.status} child needs a {needs}"


def _load(row: CaseloadRow) -> float:
    by_points = row.points / row.capacity_points if row.capacity_points else math.inf
    return max(by_points, row.utilisation)


def rank_workers(team: Team, new: list[Child], standard: Standard, horizon: Horizon, weights: Weights,
                 top: int | None = None) -> Allocation:
    everyone = replace(team, children=team.children + tuple(new))
    model = DemandModel(everyone, standard, horizon)  # demand does not depend on who holds a child
    held: dict[str, list[Child]] = {w.worker_id: [] for w in team.workers}
    for c in team.children:
        if c.allocated_worker_id in held:
            held[c.allocated_worker_id].append(c)
    # new siblings go together: same household_id and the same kind of worker
    groups: dict[tuple[str, str, bool], list[Child]] = {}
    for c in new:
        key = (c.household_id, ELIGIBLE_ROLE[c.status], c.status in NEEDS_QUALIFIED)
        groups.setdefault(key, []).append(c)
    rows: list[Ranked] = []
    left: list[LeftOut] = []
    for kids in groups.values():
        sibling_holders: dict[str, list[str]] = {}
        for k in kids:
            for s in _siblings(team, k):
                assert s.allocated_worker_id is not None
                sibling_holders.setdefault(s.allocated_worker_id, []).append(s.child_id)
        options: list[tuple[tuple[int, float, int, str], Worker, CaseloadRow, int]] = []
        for w in team.workers:
            bad = next((k for k in kids if not eligible(w, k)), None)
            if bad is not None:
                left += [LeftOut(k.child_id, w.worker_id, _why_not_eligible(w, bad)) for k in kids]
                continue
            after = worker_row(model, w, held[w.worker_id] + kids, weights)
            if after.status == "over":
                holds = sibling_holders.get(w.worker_id)
                note = f" (holds sibling(s) {' '.join(sorted(holds))})" if holds else ""
                left += [LeftOut(k.child_id, w.worker_id, f"would be over after taking "
                                 f"{'them' if len(kids) > 1 else 'the child'}: {after.why()}{note}") for k in kids]
                continue
            travel = model.travel_each_way(w, kids[0])
            sibling = w.worker_id in sibling_holders
            options.append(((0 if sibling else 1, round(_load(after), 4), travel, w.worker_id), w, after, travel))
        options.sort(key=lambda o: o[0])
        for rank, (_, w, after, travel) in enumerate(options[:top] if top else options, start=1):
            reason = (f"holds sibling(s) {' '.join(sorted(sibling_holders[w.worker_id]))}; "
                      if w.worker_id in sibling_holders else "")
            reason += (f"after: {fmt_number(after.points)} of {fmt_number(after.capacity_points)} points, "
                       f"{after.utilisation:.2f} of available hours ({after.demand_hours:.2f} of "
                       f"{after.available_hours:.2f} h); {travel} min from base")
            if len(kids) > 1:
                reason += f"; with new sibling(s) {' '.join(k.child_id for k in kids)}"
            for k in kids:
                rows.append(Ranked(k.child_id, rank, w.worker_id, after.points, after.utilisation, travel, reason))
    rows.sort(key=lambda r: (r.child_id, r.rank))
    left.sort(key=lambda x: (x.child_id, x.worker_id))
    return Allocation(tuple(rows), tuple(left))
