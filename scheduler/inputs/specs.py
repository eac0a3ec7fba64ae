"""The five files of a team folder, each a declarative list of columns (name, parser, required,
default, how a value may be quoted in a message)."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from typing import Any

from ..domain import (
    ABSENCE_KINDS,
    CP_CATEGORIES,
    MEETING_STATES,
    MEETING_TYPES,
    PLACEMENT_TYPES,
    ROLES,
    STATUSES,
)
from .cells import (
    code,
    coordinate,
    parse_bool,
    parse_date,
    parse_exemption,
    parse_fte,
    parse_id,
    parse_text,
    parse_time,
    parse_visits_per_day,
    parse_working_days,
)

UK_LAT = (49.8, 60.9)
UK_LON = (-8.7, 1.8)


@dataclass(frozen=True)
class Col:
    name: str
    parse: Callable[[str], Any] = parse_text
    required: bool = True
    default: Any = None  # value of a blank cell / missing column when optional
    kind: str = "text"  # how a value may be quoted in a message (privacy.Quoter); text: never
    personal: bool = False  # a personal detail: never quoted, and its words are never quoted elsewhere


@dataclass(frozen=True)
class FileSpec:
    stem: str
    required: bool
    columns: tuple[Col, ...]
    # columns that may be left out when another column gives the same thing (lat/lon from a postcode)
    located_by: tuple[str, str, str] | None = None  # (lat column, lon column, postcode column)

    @property
    def csv(self) -> str:
        return f"{self.stem}.csv"

    def column(self, name: str) -> Col:
        return next(c for c in self.columns if c.name == name)


def header_key(name: str) -> str:
    """How column names are compared: case, spaces, hyphens and underscores do not matter."""
    return re.sub(r"[\s_-]+", "", name).casefold()


# other names people give a column (compared by header_key)
ALIASES = {"latitude": "lat", "longitude": "lon", "dob": "date_of_birth",
           "baselatitude": "base_lat", "baselongitude": "base_lon"}

LAT = coordinate("latitude", UK_LAT)
LON = coordinate("longitude", UK_LON)


def _id(name: str, required: bool = True, default: Any = None) -> Col:
    return Col(name, parse_id, required, default, kind="id")


def _date(name: str, required: bool = False, personal: bool = False) -> Col:
    return Col(name, parse_date, required, kind="date", personal=personal)


def _code(name: str, kind: str, codes: tuple[str, ...], required: bool = True) -> Col:
    return Col(name, code(kind, codes), required, kind="code")


def _bool(name: str, required: bool = False, default: bool = False) -> Col:
    return Col(name, parse_bool, required, default, kind="bool")


WORKERS = FileSpec("workers", True, (
    _id("worker_id"), Col("name", personal=True), _code("role", "role", ROLES),
    Col("base_lat", LAT, kind="number"), Col("base_lon", LON, kind="number"),
    _bool("qualified", default=True),
    Col("working_days", parse_working_days, False, (0, 1, 2, 3, 4), kind="days"),
    Col("day_start", parse_time, False, time(9, 0), kind="time"),
    Col("day_end", parse_time, False, time(17, 0), kind="time"),
    Col("max_visits_per_day", parse_visits_per_day, False, 4, kind="number"),
    Col("fte", parse_fte, False, 1.0, kind="number"),
    _bool("newly_qualified"),
    Col("base_postcode", required=False),  # parsed with the lookup (see reading.locate)
), located_by=("base_lat", "base_lon", "base_postcode"))
CHILDREN = FileSpec("children", True, (
    _id("child_id"), _code("status", "status", STATUSES), _date("status_start_date", required=True),
    Col("lat", LAT, personal=True), Col("lon", LON, personal=True),
    _id("household_id", required=False, default=""),
    _id("allocated_worker_id", required=False),
    _date("date_of_birth", personal=True),
    _code("placement_type", "placement_type", PLACEMENT_TYPES, required=False),
    _date("placement_start_date"),
    _bool("placement_long_term"),
    _date("first_review_date"),
    _date("assessment_completed_date"),
    _code("cp_category", "cp_category", CP_CATEGORIES, required=False),
    Col("seen_alone_exempt", parse_exemption, required=False),
    _bool("visit_reduction_agreed"),
    _date("allocated_since"),
    Col("name", required=False, personal=True),
    Col("address", required=False, personal=True),
    Col("postcode", required=False, personal=True),  # parsed with the lookup (see reading.locate)
), located_by=("lat", "lon", "postcode"))
VISITS = FileSpec("visits", False, (
    _id("child_id"), _date("date", required=True), _id("worker_id"),
    _bool("seen_alone", required=True), _bool("bedroom_seen", required=True),
))
MEETINGS = FileSpec("meetings", False, (
    _id("child_id"), _code("meeting_type", "meeting_type", MEETING_TYPES), _date("date", required=True),
    _code("status", "meeting status", MEETING_STATES),
))
ABSENCES = FileSpec("absences", False, (
    _id("worker_id"), _date("start_date", required=True), _date("end_date", required=True),
    _code("kind", "absence kind", ABSENCE_KINDS),
))
SPECS = (WORKERS, CHILDREN, VISITS, MEETINGS, ABSENCES)
ID_COLUMN = {spec.stem: spec.columns[0].name for spec in SPECS if spec.required}
