"""Reading a team folder (CSV or .xlsx files) into validated domain objects: `rota check`'s gate.

`load_team(folder, on)` returns a `Team` or raises `InputErrors` listing every problem found,
each as `file:row: column: what is wrong; what is expected` (or `file: ...` for the whole file).
Nothing is returned half-read. Row numbers are what a spreadsheet user sees: the header is row
1, the first data row is row 2. Whatever this accepts, the due engine, the planner and every
writer can handle: ids are short, printable and distinct as file names; dates are 1900-2100.

- `reading`: a file -> a Table (stdlib csv / openpyxl; header matched ignoring case, spaces,
  hyphens and underscores; short and long rows refused with their row)
- `specs`: the five files' columns; `cells`: one cell's text -> a value or `Bad`
- `checks`: checks across rows and files (duplicates, unknown ids, households, warnings)
- `privacy`: when a message may quote a cell (never a personal detail, even after a shift)
- `team`: the whole folder -> Team

Errors and warnings are listed in inputs/README.md ("Errors and warnings").
"""
from __future__ import annotations

from .problems import InputErrors, Problem
from .specs import SPECS, UK_LAT, UK_LON
from .team import check_summary, load_children_file, load_team, load_team_with_warnings

__all__ = [
    "SPECS",
    "UK_LAT",
    "UK_LON",
    "InputErrors",
    "Problem",
    "check_summary",
    "load_children_file",
    "load_team",
    "load_team_with_warnings",
]
