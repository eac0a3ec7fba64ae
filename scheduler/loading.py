"""Read a team folder into validated domain objects: see `scheduler.inputs` (kept so that
`from scheduler.loading import ...` keeps working)."""
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

__all__ = [
    "SPECS",
    "UK_LAT",
    "UK_LON",
    "InputErrors",
    "Problem",
    "check_summary",
    "load_team",
    "load_team_with_warnings",
]
