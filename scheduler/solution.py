"""What a plan is: planned activities and breaches (the contract of rota.csv / breaches.csv)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .verifier import Violation

ROTA_COLUMNS = ["date", "start", "end", "worker_id", "activity", "household_id", "child_ids",
                "seen_alone_child_ids", "bedroom_child_ids", "travel_minutes", "cover", "location",
                "cover_reason"]
BREACH_COLUMNS = ["breach_id", "child_id", "requirement", "due_by", "planned_date", "days_late",
                  "severity", "reason", "proven_unavoidable"]


@dataclass(frozen=True)
class PlannedActivity:
    date: date
    start: time
    end: time
    worker_id: str
    activity: str  # "visit" or a meeting type
    household_id: str
    child_ids: tuple[str, ...]
    seen_alone_child_ids: tuple[str, ...] = ()
    bedroom_child_ids: tuple[str, ...] = ()
    travel_minutes: int = 0  # travel to this stop from the previous one (or the worker's base)
    cover: bool = False  # the worker is not the allocated worker
    location: str = "home"  # home | school (extension column: where the visit takes place)
    cover_reason: str = ""  # why not the allocated worker (absent, fully booked, not eligible...)

    def row(self) -> dict[str, str]:
        return {
            "date": self.date.isoformat(),
            "start": self.start.strftime("%H:%M"),
            "end": self.end.strftime("%H:%M"),
            "worker_id": self.worker_id,
            "activity": self.activity,
            "household_id": self.household_id,
            "child_ids": " ".join(self.child_ids),
            "seen_alone_child_ids": " ".join(self.seen_alone_child_ids),
            "bedroom_child_ids": " ".join(self.bedroom_child_ids),
            "travel_minutes": str(self.travel_minutes),
            "cover": "yes" if self.cover else "no",
            "location": self.location,
            "cover_reason": self.cover_reason,
        }


def breach_id(child_id: str, requirement: str, due_by: date) -> str:
    """Stable across re-runs: derived from child, requirement and due date only."""
    digest = hashlib.sha256(f"{child_id}|{requirement}|{due_by.isoformat()}".encode()).hexdigest()
    return f"B-{digest[:10]}"


@dataclass(frozen=True)
class Breach:
    child_id: str
    requirement: str
    due_by: date
    planned_date: date | None
    days_late: int  # calendar days after due_by of the planned date (or of the horizon end if none)
    severity: int  # higher = more serious
    reason: str
    proven_unavoidable: bool
    level: str = "statutory"
    rule_id: str = ""

    @property
    def breach_id(self) -> str:
        return breach_id(self.child_id, self.requirement, self.due_by)

    def row(self) -> dict[str, str]:
        return {
            "breach_id": self.breach_id,
            "child_id": self.child_id,
            "requirement": self.requirement,
            "due_by": self.due_by.isoformat(),
            "planned_date": self.planned_date.isoformat() if self.planned_date else "",
            "days_late": str(self.days_late),
            "severity": str(self.severity),
            "reason": self.reason,
            "proven_unavoidable": "yes" if self.proven_unavoidable else "no",
        }


@dataclass
class PlanResult:
    activities: list[PlannedActivity]
    breaches: list[Breach]
    status: str  # OPTIMAL | FEASIBLE | INFEASIBLE | UNKNOWN
    solve_seconds: float
    start: date
    end: date  # last day of the horizon, inclusive
    standard_key: str
    requirements_total: int = 0  # requirement occurrences due in the horizon (for compliance %)
    breaches_proven_optimal: bool = False
    stats: dict[str, object] = field(default_factory=dict)
    violations: list[Violation] = field(default_factory=list)  # the independent verifier's findings

    @property
    def unexplained(self) -> list[Violation]:
        """Verifier findings the breach register does not account for (must be empty)."""
        from .verifier import unexplained

        return unexplained(self.breaches, self.violations)

    @property
    def compliance_percent(self) -> float:
        if self.requirements_total == 0:
            return 100.0
        met = self.requirements_total - len([b for b in self.breaches if b.level == "statutory"])
        return round(100.0 * max(met, 0) / self.requirements_total, 1)
