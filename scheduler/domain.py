"""Validated domain objects: what a team folder means once it has been checked.

Everything here is immutable and free of I/O. `scheduler.loading` turns files into
these; everything downstream (requirements, model, verifier, outputs) reads only these.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

ROLES = ("social_worker", "personal_adviser", "early_help_practitioner", "team_manager")
STATUSES = ("early_help", "cin", "s47", "cp", "cic", "care_leaver", "private_fostering")
PLACEMENT_TYPES = (
    "foster", "residential", "connected_person", "parent_ico", "parent_care_order",
    "adoption", "other_setting", "short_breaks",
)
CP_CATEGORIES = ("neglect", "physical", "emotional", "sexual", "multiple")
MEETING_TYPES = (
    "strategy", "icpc", "core_group", "rcpc", "cin_review", "cic_review", "pathway_review", "pep",
    # extension: case supervision is recorded as a meeting so its cadence can be tracked
    "supervision",
)
MEETING_STATES = ("held", "booked")
ABSENCE_KINDS = ("leave", "sickness", "training", "court", "other")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Worker:
    worker_id: str
    name: str
    role: str
    base_lat: float
    base_lon: float
    qualified: bool = True
    working_days: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday=0, as date.weekday()
    day_start: time = time(9, 0)
    day_end: time = time(17, 0)
    max_visits_per_day: int = 4
    fte: float = 1.0  # full-time equivalent, 0 < fte <= 1 (caseload points are pro-rated)
    newly_qualified: bool = False  # in the assessed and supported year (ASYE): a reduced caseload
    # the base's postcode (normalised), when given; base_lat/base_lon are what the planner uses
    base_postcode: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Child:
    child_id: str
    status: str
    status_start_date: date
    lat: float
    lon: float
    household_id: str = ""  # loader fills with child_id when blank
    allocated_worker_id: str | None = None
    date_of_birth: date | None = None  # None = unborn
    placement_type: str | None = None
    placement_start_date: date | None = None
    placement_long_term: bool = False
    first_review_date: date | None = None
    assessment_completed_date: date | None = None
    cp_category: str | None = None
    seen_alone_exempt: str | None = None
    # a senior manager / ADM agreed a less frequent visiting cadence where the standard allows
    # one only with such an agreement; without it the stricter cadence applies
    visit_reduction_agreed: bool = False
    allocated_since: date | None = None  # when the allocated worker took the case
    # personal details: only for documents a worker needs; never logs, maps or calendars
    name: str | None = field(default=None, repr=False, compare=False)
    address: str | None = field(default=None, repr=False, compare=False)
    postcode: str | None = field(default=None, repr=False, compare=False)

    def age_years(self, on: date) -> int | None:
        """Completed years on `on`; None for an unborn child."""
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        years = on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
        return max(years, 0)


@dataclass(frozen=True)
class Visit:
    child_id: str
    date: date
    worker_id: str
    seen_alone: bool
    bedroom_seen: bool


@dataclass(frozen=True)
class Meeting:
    child_id: str
    meeting_type: str
    date: date
    status: str  # held | booked


@dataclass(frozen=True)
class Absence:
    worker_id: str
    start_date: date
    end_date: date  # inclusive
    kind: str

    def covers(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date


@dataclass(frozen=True)
class Team:
    workers: tuple[Worker, ...]
    children: tuple[Child, ...]
    visits: tuple[Visit, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    absences: tuple[Absence, ...] = ()
    source: str = ""  # folder the team was read from

    def worker(self, worker_id: str) -> Worker:
        for w in self.workers:
            if w.worker_id == worker_id:
                return w
        raise KeyError(worker_id)

    def child(self, child_id: str) -> Child:
        for c in self.children:
            if c.child_id == child_id:
                return c
        raise KeyError(child_id)
