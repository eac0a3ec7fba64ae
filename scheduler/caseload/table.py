"""The caseload table: one row per worker (points and hours) and the unallocated children.

`caseload_report(team, standard, horizon, weights)` is pure: `rota caseload`, `rota rebalance`
and rota.html all show its rows, so their numbers are the same.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..domain import Child, Team, Worker
from ..horizon import Horizon
from ..policy import ELIGIBLE_ROLE, STATUS_SEVERITY
from ..standards import Standard
from .demand import Demand, DemandModel
from .points import Weights, capacity_points, worker_points

CASELOAD_COLUMNS = ["worker_id", "role", "children", "cp", "cin", "cic", "care_leaver", "other", "points",
                    "capacity_points", "demand_hours", "available_hours", "utilisation", "status"]
# extension columns (after the contract's): what the demand hours are made of
EXTRA_COLUMNS = ["visits", "meetings", "travel_hours", "fte", "newly_qualified"]
UNALLOCATED_COLUMNS = ["child_id", "household_id", "status", "status_start_date", "days_since_start",
                       "eligible_role"]
COUNTED = ("cp", "cin", "cic", "care_leaver")  # every other status counts under `other`


def hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def fmt_number(value: float) -> str:
    """57 rather than 57.0; 57.5 as it is."""
    return f"{value:g}" if value == round(value, 2) else f"{value:.2f}"


@dataclass(frozen=True)
class CaseloadRow:
    worker: Worker
    children: tuple[Child, ...]
    points: float
    capacity_points: float
    demand: Demand
    available_minutes: int

    @property
    def worker_id(self) -> str:
        return self.worker.worker_id

    def count(self, status: str) -> int:
        if status == "other":
            return sum(1 for c in self.children if c.status not in COUNTED)
        return sum(1 for c in self.children if c.status == status)

    @property
    def demand_hours(self) -> float:
        return hours(self.demand.minutes)

    @property
    def available_hours(self) -> float:
        return hours(self.available_minutes)

    @property
    def utilisation(self) -> float:
        """demand / available (1.00 = every plannable minute); work but no time at all: inf."""
        if self.available_minutes == 0:
            return 0.0 if self.demand.minutes == 0 else math.inf
        return round(self.demand.minutes / self.available_minutes, 2)

    @property
    def over_hours(self) -> bool:
        return self.demand.minutes > self.available_minutes

    @property
    def over_points(self) -> bool:
        return self.points > self.capacity_points

    @property
    def status(self) -> str:
        return "over" if self.over_hours or self.over_points else "ok"

    def why(self) -> str:
        """Why `over`, in words (ids and figures only)."""
        parts = []
        if self.over_hours:
            parts.append(f"{fmt_number(self.demand_hours)} h demanded of {fmt_number(self.available_hours)} h "
                         "available")
        if self.over_points:
            parts.append(f"{fmt_number(self.points)} of {fmt_number(self.capacity_points)} points")
        return "; ".join(parts)

    def row(self) -> dict[str, str]:
        return {
            "worker_id": self.worker_id, "role": self.worker.role, "children": str(len(self.children)),
            **{s: str(self.count(s)) for s in (*COUNTED, "other")},
            "points": fmt_number(self.points), "capacity_points": fmt_number(self.capacity_points),
            "demand_hours": f"{self.demand_hours:.2f}", "available_hours": f"{self.available_hours:.2f}",
            "utilisation": f"{self.utilisation:.2f}", "status": self.status,
            "visits": str(self.demand.visits), "meetings": str(self.demand.meetings),
            "travel_hours": f"{hours(self.demand.travel_minutes):.2f}", "fte": fmt_number(self.worker.fte),
            "newly_qualified": "yes" if self.worker.newly_qualified else "no",
        }


@dataclass(frozen=True)
class Unallocated:
    child: Child
    on: date

    def row(self) -> dict[str, str]:
        c = self.child
        return {"child_id": c.child_id, "household_id": c.household_id, "status": c.status,
                "status_start_date": c.status_start_date.isoformat(),
                "days_since_start": str((self.on - c.status_start_date).days),
                "eligible_role": ELIGIBLE_ROLE[c.status]}


@dataclass(frozen=True)
class CaseloadReport:
    horizon: Horizon
    standard_key: str
    rows: tuple[CaseloadRow, ...]
    unallocated: tuple[Unallocated, ...]
    warnings: tuple[str, ...] = ()

    @property
    def over(self) -> list[CaseloadRow]:
        return [r for r in self.rows if r.status == "over"]

    def row_of(self, worker_id: str) -> CaseloadRow:
        return next(r for r in self.rows if r.worker_id == worker_id)


def worker_row(model: DemandModel, worker: Worker, children: Iterable[Child], weights: Weights) -> CaseloadRow:
    kids = tuple(sorted(children, key=lambda c: c.child_id))
    return CaseloadRow(worker, kids, worker_points(worker, kids, weights), capacity_points(worker, weights),
                       model.worker_demand(worker, kids), model.available_minutes(worker))


def unallocated_children(team: Team, on: date) -> tuple[Unallocated, ...]:
    """Unallocated children grouped by status (most serious first), oldest first within each."""
    known = {w.worker_id for w in team.workers}
    kids = [c for c in team.children if not c.allocated_worker_id or c.allocated_worker_id not in known]
    kids.sort(key=lambda c: (-STATUS_SEVERITY[c.status], c.status, c.status_start_date, c.child_id))
    return tuple(Unallocated(c, on) for c in kids)


def caseload_report(team: Team, standard: Standard, horizon: Horizon, weights: Weights,
                    model: DemandModel | None = None) -> CaseloadReport:
    model = model or DemandModel(team, standard, horizon)
    held: dict[str, list[Child]] = {w.worker_id: [] for w in team.workers}
    for c in team.children:
        if c.allocated_worker_id in held:
            held[c.allocated_worker_id].append(c)
    rows = tuple(worker_row(model, w, held[w.worker_id], weights) for w in team.workers)
    known = set(held)
    warnings = tuple(f"weights: extra_responsibilities: {wid!r} is not a worker_id in workers; it is ignored"
                     for wid in sorted(weights.extra_responsibilities) if wid not in known)
    return CaseloadReport(horizon, standard.key, rows, unallocated_children(team, horizon.start), warnings)


@dataclass(frozen=True)
class RoleTotal:
    """A role's figures summed: whether any reallocation among them could bring all to `ok`."""

    role: str
    workers: int
    points: float
    capacity_points: float
    demand_minutes: int
    available_minutes: int

    @property
    def over(self) -> bool:
        return self.points > self.capacity_points or self.demand_minutes > self.available_minutes

    def line(self) -> str:
        text = (f"{self.role.replace('_', ' ')}s ({self.workers}): {fmt_number(self.points)} of "
                f"{fmt_number(self.capacity_points)} points, {hours(self.demand_minutes):.2f} of "
                f"{hours(self.available_minutes):.2f} hours")
        if self.over:
            text += " - over in total: no reallocation among them can bring every one to ok"
        return text


def role_totals(report: CaseloadReport) -> list[RoleTotal]:
    out = []
    for role in dict.fromkeys(r.worker.role for r in report.rows):
        rows = [r for r in report.rows if r.worker.role == role]
        out.append(RoleTotal(role, len(rows), round(sum(r.points for r in rows), 1),
                             round(sum(r.capacity_points for r in rows), 1),
                             sum(r.demand.minutes for r in rows), sum(r.available_minutes for r in rows)))
    return out


def report_csv(report: CaseloadReport) -> str:
    """The worker rows as CSV (contract columns first, then the extension columns)."""
    from ..textsafe import spreadsheet_safe
    from ..writing import csv_text

    rows = [{k: spreadsheet_safe(v) for k, v in r.row().items()} for r in report.rows]
    return csv_text(CASELOAD_COLUMNS + EXTRA_COLUMNS, rows)


def unallocated_csv(report: CaseloadReport) -> str:
    from ..textsafe import spreadsheet_safe
    from ..writing import csv_text

    return csv_text(UNALLOCATED_COLUMNS, [{k: spreadsheet_safe(v) for k, v in u.row().items()}
                                          for u in report.unallocated])
