"""Read a team folder (CSV or .xlsx files) into validated domain objects.

`load_team(folder, on)` returns a `Team` or raises `InputErrors` listing every problem found,
each as `file:row: column: what is wrong; what is expected`. Nothing is returned half-read.
Row numbers are what a spreadsheet user sees: the header is row 1, the first data row is row 2.

Each file is described by a small declarative column spec (name, required, parser); the
parsers turn one cell's text into a value or raise `Bad`. Checks that need several cells or
files (duplicate ids, unknown ids, end before start, dates after the reference date) run
once every file has been parsed.

Errors versus warnings (documented in inputs/README.md):
- a `booked` meeting dated before the reference date, a `status_start_date` after it,
  `placement_type` (or its placement columns) given for a child whose status is not `cic`,
  `cp_category` given for a child whose status is not `cp`: warnings; the stray placement /
  category value is ignored (the child is loaded without it). Everything else is an error.

Privacy: values from personal columns (children's name, address, postcode, date_of_birth,
lat, lon) are never quoted in a message; the row and column say where the problem is.
"""
from __future__ import annotations

import io
import re
import warnings as _warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pandas as pd

from .domain import (
    ABSENCE_KINDS,
    CP_CATEGORIES,
    MEETING_STATES,
    MEETING_TYPES,
    PLACEMENT_TYPES,
    ROLES,
    STATUSES,
    WEEKDAYS,
    Absence,
    Child,
    Meeting,
    Team,
    Visit,
    Worker,
)

UK_LAT = (49.8, 60.9)
UK_LON = (-8.7, 1.8)


# ---------------------------------------------------------------- problems

@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        parts = [where] + ([self.column] if self.column else []) + [self.message]
        return ": ".join(parts)


class InputErrors(Exception):
    """Bad input: `.problems` lists every error; `.warnings` anything merely suspicious."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None) -> None:
        self.problems = list(problems)
        self.warnings = list(warnings or [])
        super().__init__("\n".join(str(p) for p in self.problems))


class Bad(ValueError):
    """A cell that cannot be read: `what` is wrong with it, `expected` says what would do."""

    def __init__(self, what: str, expected: str) -> None:
        super().__init__(what)
        self.what = what
        self.expected = expected


# ---------------------------------------------------------------- cell parsers

def parse_text(s: str) -> str:
    return s


def parse_date(s: str) -> date:
    expected = "expected a date as YYYY-MM-DD (2026-11-30) or DD/MM/YYYY (30/11/2026)"
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", s)
        if not m:
            raise Bad("is not a date", expected)
        d, mo, y = (int(g) for g in m.groups())
    try:
        return date(y, mo, d)
    except ValueError:
        raise Bad("is not a real calendar date", expected) from None


def parse_time(s: str) -> time:
    m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::00)?", s)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise Bad("is not a time", "expected HH:MM on the 24-hour clock, e.g. 09:00 or 17:30")
    return time(int(m.group(1)), int(m.group(2)))


def parse_bool(s: str) -> bool:
    v = s.lower()
    if v in ("yes", "no"):
        return v == "yes"
    raise Bad("is not yes/no", "expected yes or no")


def parse_positive_int(s: str) -> int:
    if re.fullmatch(r"\d+", s) and int(s) > 0:
        return int(s)
    raise Bad("is not a positive whole number", "expected a whole number of 1 or more, e.g. 4")


def parse_fte(s: str) -> float:
    expected = "expected the full-time equivalent as a decimal above 0 and at most 1, e.g. 1 or 0.6"
    try:
        value = float(s)
    except ValueError:
        raise Bad("is not a number", expected) from None
    if not 0 < value <= 1:
        raise Bad("is outside 0-1", expected)
    return value


def _day(token: str) -> int:
    code = token[:3].title()
    if code not in WEEKDAYS or token.lower() not in (code.lower(), _FULL_DAY[code]):
        raise Bad("contains an unknown day", "expected day codes from Mon Tue Wed Thu Fri Sat Sun "
                                              "separated by spaces, e.g. 'Mon Tue Thu' (or a range, 'Mon-Fri')")
    return WEEKDAYS.index(code)


def parse_working_days(s: str) -> tuple[int, ...]:
    days: set[int] = set()
    for token in re.split(r"[\s,;/]+", s.strip()):
        if "-" in token:  # a range such as Mon-Fri
            first, _, last = token.partition("-")
            a, b = _day(first), _day(last)
            if b < a:
                raise Bad("has a range running backwards", "expected a range such as Mon-Fri")
            days.update(range(a, b + 1))
        elif token:
            days.add(_day(token))
    if not days:
        raise Bad("lists no days", "expected day codes such as 'Mon Tue Thu'")
    return tuple(sorted(days))


_FULL_DAY = {d: n for d, n in zip(WEEKDAYS, ("monday", "tuesday", "wednesday", "thursday",
                                             "friday", "saturday", "sunday"), strict=False)}


def coordinate(kind: str, bounds: tuple[float, float]) -> Callable[[str], float]:
    lo, hi = bounds
    expected = f"expected a decimal {kind} between {lo} and {hi} (inside the UK)"

    def parse(s: str) -> float:
        try:
            value = float(s)
        except ValueError:
            raise Bad("is not a number", expected) from None
        if not lo <= value <= hi:
            raise Bad("is outside the UK", expected)
        return value
    return parse


def code(kind: str, codes: tuple[str, ...]) -> Callable[[str], str]:
    def parse(s: str) -> str:
        v = s.lower()
        if v not in codes:
            raise Bad(f"is an unknown {kind} code", "expected one of " + ", ".join(codes))
        return v
    return parse


_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}", re.IGNORECASE)


def parse_postcode(s: str) -> str:
    if not _POSTCODE.fullmatch(s):
        raise Bad("is not a UK postcode", "expected a UK postcode such as AB12 3CD")
    return s.upper()


# ---------------------------------------------------------------- file specs

@dataclass(frozen=True)
class Col:
    name: str
    parse: Callable[[str], Any] = parse_text
    required: bool = True
    default: Any = None  # value of a blank cell / missing column when optional
    private: bool = False  # never quote the cell's value in a message


@dataclass(frozen=True)
class FileSpec:
    stem: str
    required: bool
    columns: tuple[Col, ...]

    @property
    def csv(self) -> str:
        return f"{self.stem}.csv"


LAT = coordinate("latitude", UK_LAT)
LON = coordinate("longitude", UK_LON)

WORKERS = FileSpec("workers", True, (
    Col("worker_id"), Col("name"), Col("role", code("role", ROLES)),
    Col("base_lat", LAT), Col("base_lon", LON),
    Col("qualified", parse_bool, False, True),
    Col("working_days", parse_working_days, False, (0, 1, 2, 3, 4)),
    Col("day_start", parse_time, False, time(9, 0)),
    Col("day_end", parse_time, False, time(17, 0)),
    Col("max_visits_per_day", parse_positive_int, False, 4),
    Col("fte", parse_fte, False, 1.0),
    Col("newly_qualified", parse_bool, False, False),
))
CHILDREN = FileSpec("children", True, (
    Col("child_id"), Col("status", code("status", STATUSES)), Col("status_start_date", parse_date),
    Col("lat", LAT, private=True), Col("lon", LON, private=True),
    Col("household_id", required=False, default=""),
    Col("allocated_worker_id", required=False),
    Col("date_of_birth", parse_date, False, private=True),
    Col("placement_type", code("placement_type", PLACEMENT_TYPES), False),
    Col("placement_start_date", parse_date, False),
    Col("placement_long_term", parse_bool, False, False),
    Col("first_review_date", parse_date, False),
    Col("assessment_completed_date", parse_date, False),
    Col("cp_category", code("cp_category", CP_CATEGORIES), False),
    Col("seen_alone_exempt", required=False),
    Col("visit_reduction_agreed", parse_bool, False, False),
    Col("allocated_since", parse_date, False),
    Col("name", required=False, private=True),
    Col("address", required=False, private=True),
    Col("postcode", parse_postcode, False, private=True),
))
VISITS = FileSpec("visits", False, (
    Col("child_id"), Col("date", parse_date), Col("worker_id"),
    Col("seen_alone", parse_bool), Col("bedroom_seen", parse_bool),
))
MEETINGS = FileSpec("meetings", False, (
    Col("child_id"), Col("meeting_type", code("meeting_type", MEETING_TYPES)), Col("date", parse_date),
    Col("status", code("meeting status", MEETING_STATES)),
))
ABSENCES = FileSpec("absences", False, (
    Col("worker_id"), Col("start_date", parse_date), Col("end_date", parse_date),
    Col("kind", code("absence kind", ABSENCE_KINDS)),
))
SPECS = (WORKERS, CHILDREN, VISITS, MEETINGS, ABSENCES)


# ---------------------------------------------------------------- reading raw tables

@dataclass
class Table:
    file: str  # name shown in messages, e.g. children.csv
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row number, column -> stripped text)


def _find(folder: Path, spec: FileSpec) -> tuple[Path | None, Problem | None]:
    """The spec's file in the folder (file names matched case-insensitively)."""
    found = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    csv, xlsx = found.get(f"{spec.stem}.csv"), found.get(f"{spec.stem}.xlsx")
    if csv and xlsx:
        return None, Problem(spec.csv, None, None,
                             f"both {csv.name} and {xlsx.name} exist, so it is ambiguous which to read; "
                             "expected only one of them (delete or rename the other)")
    if csv or xlsx:
        return csv or xlsx, None
    if spec.required:
        return None, Problem(spec.csv, None, None,
                             f"missing file; expected {spec.stem}.csv or {spec.stem}.xlsx in the team folder")
    return None, None


def _cell_text(value: object) -> str:
    """One spreadsheet cell as the text a CSV would hold (Excel stores typed values)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M") if value.second == 0 else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _decode(raw: bytes, name: str) -> tuple[str | None, Problem | None]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem(name, None, None, "file is UTF-16 encoded, not UTF-8; expected UTF-8 "
                             "(in Excel: Save As 'CSV UTF-8 (Comma delimited)')")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as e:
        row = raw[:e.start].count(b"\n") + 1
        byte = raw[e.start]
        return None, Problem(name, row, None,
                             f"file is not UTF-8 encoded (byte 0x{byte:02x} here is not valid UTF-8; the file "
                             "was probably saved as Windows-1252/Latin-1); expected UTF-8 "
                             "(in Excel: Save As 'CSV UTF-8 (Comma delimited)')")


def _read_frame(path: Path, name: str) -> tuple[pd.DataFrame | None, Problem | None]:
    if path.suffix.lower() == ".xlsx":
        try:
            frame = pd.read_excel(path, sheet_name=0, dtype=object, keep_default_na=False,
                                  engine="openpyxl")
        except Exception as e:  # a corrupt or non-xlsx file: report, never a traceback
            if path.stat().st_size == 0:
                return None, None
            return None, Problem(name, None, None, f"cannot be read as an Excel workbook ({type(e).__name__}); "
                                 "expected an .xlsx file saved by Excel or LibreOffice")
        return frame.map(_cell_text), None
    text, problem = _decode(path.read_bytes(), name)
    if problem:
        return None, problem
    if not text.strip():
        return None, None
    try:
        with _warnings.catch_warnings():
            _warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                                skip_blank_lines=False, index_col=False)
    except pd.errors.ParserWarning:
        return None, Problem(name, 2, None, "row has more cells than the header row; "
                             "expected one cell per column (check for unquoted commas)")
    except pd.errors.ParserError as e:
        m = re.search(r"line (\d+)", str(e))
        return None, Problem(name, int(m.group(1)) if m else None, None,
                             "row cannot be read as CSV (more cells than the header row, or an unclosed "
                             "quote); expected one cell per column")
    except pd.errors.EmptyDataError:
        return None, None
    return frame, None


def read_table(path: Path, spec: FileSpec) -> tuple[Table | None, list[Problem]]:
    name = spec.csv if path.suffix.lower() == ".csv" else f"{spec.stem}.xlsx"
    frame, problem = _read_frame(path, name)
    if problem:
        return None, [problem]
    expected_cols = ", ".join(c.name for c in spec.columns if c.required)
    if frame is None or len(frame.columns) == 0:
        return None, [Problem(name, None, None, f"file is empty; expected a header row ({expected_cols}) "
                              "followed by one row per record")]
    header = [str(c).strip().lower() for c in frame.columns]
    rows = []
    for i, values in enumerate(frame.itertuples(index=False, name=None)):
        cells = {h: str(v).strip() for h, v in zip(header, values, strict=False)}
        if any(cells.values()):  # wholly blank rows (common at the end of exports) are skipped
            rows.append((i + 2, cells))
    problems = [Problem(name, None, None, f"missing column '{c.name}'")
                for c in spec.columns if c.required and c.name not in header]
    return Table(name, header, rows), problems


# ---------------------------------------------------------------- parsing rows

Record = tuple[int, dict[str, Any]]  # (row, column -> parsed value; absent when unreadable)


def parse_rows(table: Table, spec: FileSpec) -> tuple[list[Record], list[Problem]]:
    records: list[Record] = []
    problems: list[Problem] = []
    for row, cells in table.rows:
        values: dict[str, Any] = {}
        for col in spec.columns:
            if col.name not in table.header:
                if not col.required:
                    values[col.name] = col.default
                continue
            text = cells[col.name]
            if not text:
                if col.required:
                    problems.append(Problem(table.file, row, col.name, "is blank; a value is required"))
                else:
                    values[col.name] = col.default
                continue
            try:
                values[col.name] = col.parse(text)
            except Bad as e:
                shown = "the value" if col.private else repr(text)
                problems.append(Problem(table.file, row, col.name, f"{shown} {e.what}; {e.expected}"))
        records.append((row, values))
    return records, problems


# ---------------------------------------------------------------- checks across rows and files

@dataclass
class _Checks:
    on: date
    errors: list[Problem]
    warnings: list[Problem]

    def error(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(Problem(file, row, column, message))

    def warn(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.warnings.append(Problem(file, row, column, message))

    def unique(self, file: str, records: list[Record], column: str, what: str) -> None:
        first: dict[str, int] = {}
        for row, v in records:
            key = v.get(column)
            if key is None:
                continue
            if key in first:
                self.error(file, row, column, f"duplicate {column} {key!r} (already on row {first[key]}); "
                           f"expected each {what} to appear once")
            else:
                first[key] = row

    def known(self, file: str, records: list[Record], column: str, ids: set[str], source: str,
              optional: bool = False) -> None:
        for row, v in records:
            key = v.get(column)
            if key is None or (optional and key == ""):
                continue
            if key not in ids:
                self.error(file, row, column, f"{key!r} is not in {source}; expected a {column} listed there")

    def order(self, file: str, records: list[Record], first: str, second: str, strict: bool) -> None:
        for row, v in records:
            a, b = v.get(first), v.get(second)
            if a is None or b is None:
                continue
            if b < a or (strict and b == a):
                rel = "after" if strict else "on or after"
                self.error(file, row, second, f"{second} ({_show(b)}) is {'not after' if strict else 'before'} "
                           f"{first} ({_show(a)}); expected {second} {rel} {first}")

    def not_after_on(self, file: str, records: list[Record], column: str, what: str,
                     keep: Callable[[dict[str, Any]], bool] = lambda v: True) -> None:
        for row, v in records:
            d = v.get(column)
            if d is not None and keep(v) and d > self.on:
                self.error(file, row, column, f"{what} dated {d.isoformat()} is after the reference date "
                           f"{self.on.isoformat()}; expected only {what}s that have already happened")


def _show(value: Any) -> str:
    return value.strftime("%H:%M") if isinstance(value, time) else value.isoformat()


def _check(on: date, parsed: dict[str, tuple[str, list[Record]]]) -> _Checks:
    c = _Checks(on, [], [])
    wfile, workers = parsed.get("workers", ("workers.csv", []))
    cfile, children = parsed.get("children", ("children.csv", []))
    worker_ids = {v["worker_id"] for _, v in workers if "worker_id" in v}
    child_ids = {v["child_id"] for _, v in children if "child_id" in v}
    have_workers, have_children = "workers" in parsed, "children" in parsed

    c.unique(wfile, workers, "worker_id", "worker")
    c.order(wfile, workers, "day_start", "day_end", strict=True)
    c.unique(cfile, children, "child_id", "child")
    if have_workers:
        c.known(cfile, children, "allocated_worker_id", worker_ids, wfile, optional=True)
    for row, v in children:
        status = v.get("status")
        if status is None:
            continue
        if status != "cic" and v.get("placement_type"):
            c.warn(cfile, row, "placement_type", f"given for a child whose status is {status!r}, not 'cic'; "
                   "it is ignored (expected placement_type only for cic children)")
        if status == "cic" and not v.get("placement_type"):
            c.warn(cfile, row, "placement_type", "blank for a cic child: standards set visits by placement "
                   f"type, so this child may get no visit rule; expected one of {', '.join(PLACEMENT_TYPES)}")
        if status != "cp" and v.get("cp_category"):
            c.warn(cfile, row, "cp_category", f"given for a child whose status is {status!r}, not 'cp'; "
                   "it is ignored (expected cp_category only for cp children)")
        start = v.get("status_start_date")
        if start is not None and start > on:
            c.warn(cfile, row, "status_start_date", f"{start.isoformat()} is after the reference date "
                   f"{on.isoformat()}; expected the date the current status began")
    for row, v in children:
        dob = v.get("date_of_birth")
        if dob is not None and dob > on:
            c.error(cfile, row, "date_of_birth", "is after the reference date; expected a date of birth "
                    "in the past, or blank for an unborn child")

    if "visits" in parsed:
        file, visits = parsed["visits"]
        if have_children:
            c.known(file, visits, "child_id", child_ids, cfile)
        if have_workers:
            c.known(file, visits, "worker_id", worker_ids, wfile)
        c.not_after_on(file, visits, "date", "visit")
    if "meetings" in parsed:
        file, meetings = parsed["meetings"]
        if have_children:
            c.known(file, meetings, "child_id", child_ids, cfile)
        c.not_after_on(file, meetings, "date", "held meeting", keep=lambda v: v.get("status") == "held")
        for row, v in meetings:
            d = v.get("date")
            if v.get("status") == "booked" and d is not None and d < on:
                c.warn(file, row, "status", f"meeting booked for {d.isoformat()}, before the reference date "
                       f"{on.isoformat()}; expected 'held' if it took place (a booked meeting does not count)")
            elif v.get("status") == "booked" and d is not None and d.weekday() >= 5:
                c.warn(file, row, "date", f"meeting booked for a {d:%A} ({d.isoformat()}); rotas are planned "
                       "on working days only, so it will not appear in one (expected a weekday)")
    if "absences" in parsed:
        file, absences = parsed["absences"]
        if have_workers:
            c.known(file, absences, "worker_id", worker_ids, wfile)
        c.order(file, absences, "start_date", "end_date", strict=False)
    return c


# ---------------------------------------------------------------- building the team

def _worker(v: dict[str, Any]) -> Worker:
    return Worker(**{k: v[k] for k in (c.name for c in WORKERS.columns)})


def _child(v: dict[str, Any]) -> Child:
    v = dict(v)
    v["household_id"] = v["household_id"] or v["child_id"]
    if v["status"] != "cic":
        v["placement_type"] = None
    if v["status"] != "cp":
        v["cp_category"] = None
    return Child(**{k: v[k] for k in (c.name for c in CHILDREN.columns)})


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    """File by file (workers, children, visits, meetings, absences), then by row; stable otherwise."""
    order = {name: i for i, spec in enumerate(SPECS) for name in (spec.csv, f"{spec.stem}.xlsx")}
    return sorted(problems, key=lambda p: (order.get(p.file, -1), p.row or 0))


def load_team_with_warnings(folder: Path | str, on: date) -> tuple[Team, list[Problem]]:
    """Like `load_team`, also returning the warnings (suspicious but loadable input)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputErrors([Problem(str(folder), None, None,
                                   "team folder not found; expected a folder holding workers.csv and children.csv")])
    errors: list[Problem] = []
    parsed: dict[str, tuple[str, list[Record]]] = {}
    for spec in SPECS:
        path, problem = _find(folder, spec)
        if problem:
            errors.append(problem)
        if path is None:
            continue
        table, problems = read_table(path, spec)
        errors += problems
        if table is None:
            continue
        records, problems = parse_rows(table, spec)
        errors += problems
        if spec.required and not records:
            errors.append(Problem(table.file, None, None, f"has a header but no rows; expected at least one "
                                  f"{spec.stem[:-1] if spec.stem != 'children' else 'child'}"))
        if spec.required and spec.columns[0].name not in table.header:
            continue  # without its id column a file cannot vouch for ids: skip checks that refer to it
        parsed[spec.stem] = (table.file, records)
    checks = _check(on, parsed)
    if errors or checks.errors:
        raise InputErrors(_in_file_order(errors + checks.errors), _in_file_order(checks.warnings))

    def rows(stem: str) -> list[dict[str, Any]]:
        return [v for _, v in parsed.get(stem, ("", []))[1]]
    team = Team(
        workers=tuple(_worker(v) for v in rows("workers")),
        children=tuple(_child(v) for v in rows("children")),
        visits=tuple(Visit(**v) for v in rows("visits")),
        meetings=tuple(Meeting(**v) for v in rows("meetings")),
        absences=tuple(Absence(**v) for v in rows("absences")),
        source=str(folder),
    )
    return team, checks.warnings


def load_team(folder: Path | str, on: date) -> Team:
    """Read and validate a team folder; `on` is the reference date (e.g. `rota check --on`).

    Raises InputErrors listing every problem (its `.warnings` hold the warnings too).
    """
    return load_team_with_warnings(folder, on)[0]


def check_summary(team: Team) -> str:
    """What `rota check` prints for a good folder: counts only, no personal details."""
    def breakdown(counts: Counter[str], order: tuple[str, ...]) -> str:
        return ", ".join(f"{counts[k]} {k}" for k in order if counts[k])
    roles = Counter(w.role for w in team.workers)
    statuses = Counter(c.status for c in team.children)
    unallocated = sum(1 for c in team.children if c.allocated_worker_id is None)
    households = len({c.household_id for c in team.children})
    return "\n".join([
        f"workers: {len(team.workers)} ({breakdown(roles, ROLES)})",
        f"children: {len(team.children)} ({breakdown(statuses, STATUSES)}); "
        f"{households} households; {unallocated} unallocated",
        f"visits: {len(team.visits)}",
        f"meetings: {len(team.meetings)} ({sum(m.status == 'booked' for m in team.meetings)} booked)",
        f"absences: {len(team.absences)}",
    ])


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
