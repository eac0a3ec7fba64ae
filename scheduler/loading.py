"""Read a team folder into validated domain objects: see `scheduler.inputs` (kept so that
`from scheduler.loading import ...` keeps working, cell parsers included)."""
from __future__ import annotations

from .inputs import (
    SPECS,
    UK_LAT,
    UK_LON,
    InputErrors,
    Problem,
    check_summary,
    load_team,
    load_team_with_warnings,
)
from .inputs.cells import (
    code,
    coordinate,
    parse_bool,
    parse_date,
    parse_fte,
    parse_id,
    parse_text,
    parse_time,
    parse_working_days,
)
from .inputs.problems import Bad

__all__ = [
    "SPECS",
    "UK_LAT",
    "UK_LON",
    "Bad",
    "InputErrors",
    "Problem",
    "check_summary",
    "code",
    "coordinate",
    "load_team",
    "load_team_with_warnings",
    "parse_bool",
    "parse_date",
    "parse_fte",
    "parse_id",
    "parse_text",
    "parse_time",
    "parse_working_days",
]
