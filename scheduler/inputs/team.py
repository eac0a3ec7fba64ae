"""A team folder -> a validated `Team`, or every problem found (never half-read)."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from ..domain import ROLES, STATUSES, Absence, Child, Meeting, Team, Visit, Worker
from ..postcodes import PostcodeLookup
from .checks import LOCATED, Record, check
from .privacy import Quoter
from .problems import Bad, InputErrors, Problem, Warned
from .reading import Table, find, read_table
from .specs import CHILDREN, ID_COLUMN, SPECS, WORKERS, Col, FileSpec


def _parse_cell(table: Table, col: Col, quoter: Quoter, row: int, text: str,
                errors: list[Problem], warnings: list[Problem]) -> Any:
    """The cell's value, or Ellipsis when it cannot be read (the problem is recorded)."""
    column = col.name
    try:
        value = col.parse(text)
    except Bad as e:
        shown = "the value" if col.personal else quoter.show(col.kind, text)
        expected = e.expected
        if e.placeholder:
            expected += ("; this column needs the real date" if col.required
                         else "; leave the cell blank when there is no date")
        errors.append(Problem(table.file, row, column, f"{shown} {e.what}; {expected}"))
        return ...
    if isinstance(value, Warned):
        warnings.append(Problem(table.file, row, column, value.message))
        return value.value
    return value


def parse_rows(table: Table, spec: FileSpec, quoter: Quoter, lookup: PostcodeLookup | None,
               errors: list[Problem], warnings: list[Problem]) -> list[Record]:
    located = spec.located_by or ("", "", "")
    records: list[Record] = []
    for row, cells in table.rows:
        values: dict[str, Any] = {}
        for col in spec.columns:
            if col.name in table.unusable or col.name == located[2]:
                continue
            if not table.has(col.name):
                if not col.required:
                    values[col.name] = col.default
                continue  # a missing required column is reported once, for the file
            text = cells[col.name]
            if not text:
                if not col.required:
                    values[col.name] = col.default
                elif col.name not in located:
                    errors.append(Problem(table.file, row, col.name, "is blank; a value is required"))
                continue
            value = _parse_cell(table, col, quoter, row, text, errors, warnings)
            if value is not ...:
                values[col.name] = value
        if spec.located_by:
            _locate(table, spec.located_by, row, cells, values, lookup, errors)
        records.append((row, values))
    return records


def _locate(table: Table, columns: tuple[str, str, str], row: int, cells: dict[str, str],
            values: dict[str, Any], lookup: PostcodeLookup | None, errors: list[Problem]) -> None:
    """lat/lon as given, or looked up from the postcode when both are blank; the postcode normalised."""
    from ..postcodes import NOT_IN_GREAT_BRITAIN, PostcodeDataMissing, area, default_lookup, normalise

    lat, lon, postcode = columns
    given = {c: bool(cells.get(c)) for c in (lat, lon)}
    text = cells.get(postcode, "") if table.has(postcode) else ""
    normal = normalise(text) if text else None
    if postcode not in table.unusable:
        values[postcode] = normal
    if text and normal is None:
        errors.append(Problem(table.file, row, postcode, "the postcode is not a UK postcode; expected a UK postcode "
                              "such as SN1 2AB (spaces and case do not matter)"))
    if given[lat] and given[lon]:
        return
    if table.has(lat) != table.has(lon) or (not table.has(postcode) and not table.has(lat)):
        return  # the missing columns are reported once, for the file
    if given[lat] != given[lon]:
        blank = lon if given[lat] else lat
        errors.append(Problem(table.file, row, blank, f"is blank but {lat if blank == lon else lon} is given; "
                              f"expected both {lat} and {lon}, or both blank and a {postcode} to look them up"))
        return
    if not text:
        errors.append(Problem(table.file, row, lat, f"is blank; a value is required (or leave {lat} and {lon} "
                              f"blank and give the {postcode}, to look the location up)"))
        return
    if normal is None:
        return  # reported above
    try:
        found = (lookup or default_lookup()).locate(normal)
    except Exception as e:  # the offline list missing or unreadable: say so, never a traceback
        detail = str(e) if isinstance(e, PostcodeDataMissing) else type(e).__name__  # never the postcode
        errors.append(Problem(table.file, row, postcode, f"the postcode cannot be looked up ({detail}); expected "
                              f"{lat} and {lon} given in the file, or the offline postcode list installed"))
        return
    if found is None:
        where = NOT_IN_GREAT_BRITAIN.get(area(normal))
        errors.append(Problem(table.file, row, postcode,
                              f"the postcode is in {where}, which the offline postcode list (Great Britain only) "
                              f"does not cover; expected the location in {lat} and {lon} for this row" if where else
                              "the postcode is not in the offline postcode list (mistyped, new or retired?); expected "
                              f"a current postcode, or the location in {lat} and {lon} for this row"))
        return
    values[lat], values[lon] = found
    values[LOCATED] = True


def _fields(spec: FileSpec, v: dict[str, Any]) -> dict[str, Any]:
    return {c.name: v[c.name] for c in spec.columns}


def _child(v: dict[str, Any]) -> Child:
    v = _fields(CHILDREN, v)
    v["household_id"] = v["household_id"] or v["child_id"]
    if v["status"] != "cic":
        v["placement_type"] = None
    if v["status"] != "cp":
        v["cp_category"] = None
    return Child(**v)


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    """File by file (workers, children, visits, meetings, absences), then by row; stable otherwise."""
    order = {name: i for i, spec in enumerate(SPECS) for name in (spec.csv, f"{spec.stem}.xlsx")}
    return sorted(problems, key=lambda p: (order.get(p.file, -1), p.row or 0))


def load_team_with_warnings(folder: Path | str, on: date,
                            lookup: PostcodeLookup | None = None) -> tuple[Team, list[Problem]]:
    """Like `load_team`, also returning the warnings (suspicious but loadable input).
    `lookup` finds places from postcodes (default: the offline Code-Point Open list)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputErrors([Problem(str(folder), None, None,
                                   "team folder not found; expected a folder holding workers.csv and children.csv")])
    errors: list[Problem] = []
    warnings: list[Problem] = []
    quoter = Quoter()
    tables: list[tuple[FileSpec, Table]] = []
    for spec in SPECS:  # every file read first: personal cells anywhere are known before any message
        path, problem = find(folder, spec)
        if problem:
            errors.append(problem)
        if path is None:
            continue
        table, problems, header_warnings = read_table(path, spec, quoter)
        errors += problems
        warnings += header_warnings
        if table is not None:
            tables.append((spec, table))
    parsed: dict[str, tuple[str, list[Record]]] = {}
    incomplete = {spec.stem for spec, table in tables if table.incomplete}
    for spec, table in tables:
        records = parse_rows(table, spec, quoter, lookup, errors, warnings)
        if spec.required and not records and not any(p.file == table.file and p.row for p in errors):
            errors.append(Problem(table.file, None, None, f"has a header but no rows; expected at least one "
                                  f"{spec.stem[:-1] if spec.stem != 'children' else 'child'}"))
        if spec.stem in ID_COLUMN and not table.has(ID_COLUMN[spec.stem]):
            continue  # without its id column a file cannot vouch for ids: skip checks that refer to it
        parsed[spec.stem] = (table.file, records)
    checks = check(on, quoter, parsed, incomplete)
    warnings += checks.warnings + _no_history(parsed)
    if errors or checks.errors:
        raise InputErrors(_in_file_order(errors + checks.errors), _in_file_order(warnings))

    def rows(stem: str) -> list[dict[str, Any]]:
        return [v for _, v in parsed.get(stem, ("", []))[1]]
    team = Team(
        workers=tuple(Worker(**_fields(WORKERS, v)) for v in rows("workers")),
        children=tuple(_child(v) for v in rows("children")),
        visits=tuple(Visit(**v) for v in rows("visits")),
        meetings=tuple(Meeting(**v) for v in rows("meetings")),
        absences=tuple(Absence(**v) for v in rows("absences")),
        source=str(folder),
    )
    return team, _in_file_order(warnings)


def _no_history(parsed: dict[str, tuple[str, list[Record]]]) -> list[Problem]:
    """One warning for a history file that holds nothing for a team with children (missing, or a
    header only): every requirement of that kind then counts as never met - the stricter reading,
    and the plan sees everyone at once - which is right only if nothing was ever recorded."""
    if not parsed.get("children", ("", []))[1]:
        return []
    out = []
    for stem, what in (("visits", "visit"), ("meetings", "meeting")):
        if not parsed.get(stem, ("", []))[1]:
            out.append(Problem(f"{stem}.csv", None, None,
                               f"no {what} is on record for any child (the file is missing or empty): every "
                               f"{what} requirement counts as never met, so every child is due at once (the "
                               f"stricter reading); expected the case system's {what} history"))
    return out


def load_children_file(path: Path | str, team: Team, on: date,
                       lookup: PostcodeLookup | None = None) -> tuple[list[Child], list[Problem]]:
    """Children from a file with children.csv's columns (e.g. new referrals), read and checked
    with the same rules as a team folder's children.csv against `team`'s workers; raises
    InputErrors listing every problem. Returns the children and the warnings."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise InputErrors([Problem(name, None, None, "file not found; expected a CSV or .xlsx file with the "
                                                     "columns of children.csv")])
    quoter = Quoter()
    table, errors, warnings = read_table(path, CHILDREN, quoter)
    errors = [replace(p, file=name) for p in errors]  # messages name the file given
    warnings = [replace(p, file=name) for p in warnings]
    records: list[Record] = []
    if table is not None:
        table.file = name
        records = parse_rows(table, CHILDREN, quoter, lookup, errors, warnings)
    if not errors and not records:
        errors.append(Problem(name, None, None, "has a header but no rows; expected at least one child"))
    workers: list[Record] = [(0, {"worker_id": w.worker_id}) for w in team.workers]
    checks = check(on, quoter, {"workers": ("workers.csv", workers), "children": (name, records)}, set())
    known = {c.child_id for c in team.children}
    for row, v in records:
        if v.get("child_id") in known:
            errors.append(Problem(name, row, "child_id", f"{v['child_id']!r} is already in the team's "
                                  "children; expected a child who is not in the team yet"))
    errors += checks.errors
    if errors:
        raise InputErrors(sorted(errors, key=lambda p: p.row or 0), warnings + checks.warnings)
    return [_child(v) for _, v in records], warnings + checks.warnings


def load_team(folder: Path | str, on: date, lookup: PostcodeLookup | None = None) -> Team:
    """Read and validate a team folder; `on` is the reference date (e.g. `rota check --on`).

    Raises InputErrors listing every problem (its `.warnings` hold the warnings too).
    """
    return load_team_with_warnings(folder, on, lookup)[0]


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
