"""Small hand-checkable teams and inline standards for the model tests.

Every builder has defaults that make a "comfortable" case (one qualified social worker based
next to the children, a school-age child) so each test states only what it is about.

Calendar used throughout (England): START = Mon 30 Nov 2026. Bank holidays in the usual
5-week horizon: Fri 25 Dec, Mon 28 Dec (Boxing Day observed; 26 Dec is a Saturday), Fri 1 Jan 2027.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from scheduler.calendar import WorkingCalendar
from scheduler.domain import Absence, Child, Meeting, Team, Visit, Worker
from scheduler.horizon import Horizon
from scheduler.params import SolveParams
from scheduler.plan import plan
from scheduler.solution import Breach, PlannedActivity, PlanResult
from scheduler.standards import Standard
from scheduler.verifier import Violation
from scheduler.verifier import unexplained as verifier_unexplained

START = date(2026, 11, 30)  # a Monday
CAL = WorkingCalendar("england")
BANK_HOLIDAYS = (date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1))
BASE = (51.5558, -1.7797)  # Swindon; children a few hundred metres away keep travel tiny
TIME_LIMIT = 10.0

CITE = {"section": "test", "quote": "test"}


# ------------------------------------------------------------------ domain objects

def worker(worker_id: str = "W1", role: str = "social_worker", qualified: bool = True,
           **kw: Any) -> Worker:
    return Worker(worker_id=worker_id, name=f"Worker {worker_id}", role=role,
                  base_lat=kw.pop("base_lat", BASE[0]), base_lon=kw.pop("base_lon", BASE[1]),
                  qualified=qualified, **kw)


def child(child_id: str, status: str = "cp", allocated: str | None = "W1",
          status_start: date = date(2026, 6, 1), dob: date | None = date(2016, 3, 1),
          household: str | None = None, offset: int = 1, **kw: Any) -> Child:
    """`offset` moves the home ~300 m per step away from the base (distinct, nearby homes)."""
    return Child(child_id=child_id, status=status, status_start_date=status_start,
                 lat=BASE[0] + 0.003 * offset, lon=BASE[1], household_id=household or child_id,
                 allocated_worker_id=allocated, date_of_birth=dob, **kw)


def visit(child_id: str, day: date, worker_id: str = "W1", alone: bool = True,
          bedroom: bool = True) -> Visit:
    return Visit(child_id=child_id, date=day, worker_id=worker_id, seen_alone=alone, bedroom_seen=bedroom)


def team(workers: Iterable[Worker], children: Iterable[Child], visits: Iterable[Visit] = (),
         meetings: Iterable[Meeting] = (), absences: Iterable[Absence] = ()) -> Team:
    return Team(tuple(workers), tuple(children), tuple(visits), tuple(meetings), tuple(absences),
                source="test")


def leave(worker_id: str, first: date, last: date, kind: str = "leave") -> Absence:
    return Absence(worker_id=worker_id, start_date=first, end_date=last, kind=kind)


# ------------------------------------------------------------------ standards

def rule(rule_id: str, requirement: str, phases: list[dict] | None = None, **kw: Any) -> dict:
    """A rule as the YAML would give it; `statuses` is shorthand for applies_to.status."""
    statuses = kw.pop("statuses", None)
    out: dict[str, Any] = {"id": rule_id, "requirement": requirement, "citation": CITE, **kw}
    if statuses is not None:
        out.setdefault("applies_to", {})["status"] = list(statuses)
    if phases is not None:
        out["phases"] = phases
    return out


def every(interval: dict, **until: Any) -> dict:
    """One phase: `every({'working_days': 10})`, `every({'weeks': 1}, after={'weeks': 4})`."""
    phase: dict[str, Any] = {"interval": interval}
    if until:
        phase["until"] = until
    return phase


def standard(*rules: dict) -> Standard:
    return Standard.model_validate({"key": "test", "authority": "Test Council",
                                    "source": {"file": "test.txt", "title": "test"}, "rules": list(rules)})


CP_10WD = rule("t.cp.visit", "visit", [every({"working_days": 10})], statuses=["cp"])


# ------------------------------------------------------------------ running and reading a plan

def plan_team(t: Team, std: Standard, start: date = START, weeks: int = 5, time_limit: float = TIME_LIMIT,
              **params: Any) -> tuple[PlanResult, list[Violation]]:
    """plan() over `weeks` weeks from `start` (England), returning the result and its violations."""
    result = plan(t, std, Horizon(start, weeks), SolveParams(time_limit=time_limit, **params))
    return result, result.violations


def run(t: Team, std: Standard, weeks: int = 5, start: date = START,
        time_limit: float = TIME_LIMIT) -> tuple[PlanResult, list[Violation]]:
    result, violations = plan_team(t, std, start, weeks=weeks, time_limit=time_limit)
    assert result.status in ("OPTIMAL", "FEASIBLE"), result.status
    return result, violations


def unexplained(result: PlanResult, violations: list[Violation]) -> list[Violation]:
    """Violations the breach register does not account for (must always be empty)."""
    return verifier_unexplained(result.breaches, violations)


def visits_of(result: PlanResult, child_id: str) -> list[PlannedActivity]:
    return sorted((a for a in result.activities if a.activity == "visit" and child_id in a.child_ids),
                  key=lambda a: (a.date, a.start))


def visit_dates(result: PlanResult, child_id: str) -> list[date]:
    return [a.date for a in visits_of(result, child_id)]


def breaches_of(result: PlanResult, child_id: str, requirement: str | None = None) -> list[Breach]:
    return [b for b in result.breaches
            if b.child_id == child_id and (requirement is None or b.requirement == requirement)]


def wd_gap(a: date, b: date) -> int:
    """Working days from a to b: b is the nth working day after a."""
    return CAL.working_days_between(a, b)


def horizon_end(weeks: int, start: date = START) -> date:
    return start + timedelta(days=7 * weeks - 1)


def assert_working_days_only(result: PlanResult) -> None:
    for a in result.activities:
        assert a.date.weekday() < 5, f"{a} on a weekend"
        assert a.date not in BANK_HOLIDAYS, f"{a} on a bank holiday"
        assert result.start <= a.date <= result.end
