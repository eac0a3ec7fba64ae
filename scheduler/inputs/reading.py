"""Reading one file of a team folder into a `Table`: the header matched to the spec's columns
and every data row as {column: stripped text}, each with the row number a spreadsheet shows.

CSV is read with the standard library's `csv` module (strict about quotes), record by record, so
every problem names its row; .xlsx with pandas (openpyxl engine). Rows whose cells do not line up with the
header (fewer or more cells) are reported, never padded or cut: a shifted row would put one
column's value under another column's name.
"""
from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from openpyxl.utils.cell import get_column_letter

from .cells import decimal, parse_date
from .privacy import Quoter
from .problems import Bad, Problem
from .specs import ALIASES, FileSpec, header_key

Record = tuple[int, list[str]]  # (spreadsheet row number, cells as text)


@dataclass
class Table:
    file: str  # name shown in messages, e.g. children.csv
    columns: dict[str, int]  # spec column -> position in the row (only columns found once)
    rows: list[tuple[int, dict[str, str]]]  # (row number, spec column -> stripped text)
    unusable: set[str] = field(default_factory=set)  # spec columns given twice: neither is read
    header: list[str] = field(default_factory=list)  # as written
    # positions of personal columns (duplicates too), and whether their words are personal
    personal: list[tuple[int, bool]] = field(default_factory=list)
    incomplete: bool = False  # some rows could not be read: ids from this file are not all known
    plain: set[int] = field(default_factory=set)  # positions of other columns whose names may be repeated

    def has(self, column: str) -> bool:
        return column in self.columns


def find(folder: Path, spec: FileSpec) -> tuple[Path | None, Problem | None]:
    """The spec's file in the folder (file names matched case-insensitively)."""
    names = (f"{spec.stem}.csv", f"{spec.stem}.xlsx")
    found = sorted(p for p in folder.iterdir() if p.is_file() and p.name.lower() in names)
    if len(found) > 1:
        return None, Problem(spec.csv, None, None,
                             f"{' and '.join(p.name for p in found)} all exist, so it is ambiguous which to read; "
                             "expected only one of them (delete or rename the others)"
                             if len(found) > 2 else
                             f"both {found[0].name} and {found[1].name} exist, so it is ambiguous which to "
                             "read; expected only one of them (delete or rename the other)")
    if found:
        return found[0], None
    if spec.required:
        return None, Problem(spec.csv, None, None,
                             f"missing file; expected {spec.stem}.csv or {spec.stem}.xlsx in the team folder")
    return None, None


# ---------------------------------------------------------------- CSV

def _lines(text: str) -> list[str]:
    """Physical lines as the csv module sees them (\\n, \\r\\n or \\r, endings kept)."""
    return list(io.StringIO(text, newline=""))


def _cells_loosely(lines: list[str]) -> list[str]:
    """The cells of the first record in `lines`, read without strictness (for locating errors)."""
    return next(csv.reader(iter(lines)), [])


def _bad_cell_index(raw: str) -> int:
    """Which cell (0-based) of a record that strict reading refuses holds the fault: the first
    prefix of the record that strict reading refuses outright (not merely for ending inside a
    quoted cell) ends inside it; with no such prefix (a quote never closed) it is the last cell."""
    def refused(n: int) -> bool:
        try:
            list(csv.reader(iter(_lines(raw[:n])), strict=True))
        except csv.Error as e:
            return "unexpected end of data" not in str(e)
        return False
    if not refused(len(raw)):
        return len(_cells_loosely(_lines(raw))) - 1
    lo, hi = 0, len(raw)  # refused(hi) holds; find the least such prefix
    while lo + 1 < hi:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if refused(mid) else (mid, hi)
    return max(len(_cells_loosely(_lines(raw[:hi]))) - 1, 0)


FIELD_LIMIT = csv.field_size_limit()  # the most characters the csv module reads into one cell


@contextmanager
def _no_field_limit() -> Iterator[None]:
    """The csv module without its cell-length limit (only to locate a fault in one record)."""
    old = csv.field_size_limit(2**31 - 1)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _overlong_cell(raw: str) -> int | None:
    """Which cell (0-based) of a well-formed record is longer than the csv module's limit; None
    when the record is not well formed even without the limit (a quote never closed)."""
    with _no_field_limit():
        try:
            rows = list(csv.reader(iter(_lines(raw)), strict=True))
        except csv.Error:
            return None
    return next((i for cells in rows[:1] for i, c in enumerate(cells) if len(c) > FIELD_LIMIT), None)


@dataclass(frozen=True)
class CsvFault:
    row: int
    line: int  # physical line where the record starts (differs from row after multi-line cells)
    cell: int  # 0-based cell index where the fault is
    kind: str  # unclosed | after_quote | too_long | runaway (an open quote past the limit) | other


def read_csv_records(text: str) -> tuple[list[Record], list[CsvFault]]:
    lines = _lines(text)
    reader = csv.reader(iter(lines), strict=True)
    records: list[Record] = []
    faults: list[CsvFault] = []
    row = 0
    while True:
        first = reader.line_num
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            row += 1
            raw = "".join(lines[first:reader.line_num])
            message = str(e)
            if "field limit" in message:
                # a cell too long to read: a long value, or a quote never closed that swallowed the
                # lines after it (locating it must not hit the limit again)
                overlong = _overlong_cell(raw)
                with _no_field_limit():
                    cell = overlong if overlong is not None else _bad_cell_index(raw)
                faults.append(CsvFault(row, first + 1, cell, "too_long" if overlong is not None else "runaway"))
            else:
                kind = ("unclosed" if "unexpected end of data" in message else
                        "after_quote" if "expected after" in message else "other")
                faults.append(CsvFault(row, first + 1, _bad_cell_index(raw), kind))
            if reader.line_num >= len(lines):
                break
            continue
        row += 1
        records.append((row, cells))
    return records, faults


def _csv_fault_message(fault: CsvFault) -> str:
    line = f" (line {fault.line} of the file)" if fault.line != fault.row else ""
    if fault.kind == "unclosed":
        return (f"a double quote opens this cell{line} and is never closed, so the rest of the file runs "
                "into it; expected a closing quote (\"), or no quotes around the cell")
    if fault.kind == "after_quote":
        return (f"this cell{line} has text after its closing double quote; expected a cell wholly inside "
                "double quotes (a quote inside it written twice: \"\") or with no quotes at all")
    if fault.kind == "too_long":
        return (f"this cell{line} is too long: it holds more than {FIELD_LIMIT:,} characters, the most a CSV "
                "cell may hold; expected a much shorter value (was text pasted into the wrong cell?)")
    if fault.kind == "runaway":
        return (f"this cell{line} is longer than the CSV reader allows (probably a double quote that is never "
                "closed); expected a closing quote, or no quotes around the cell")
    return f"this row{line} cannot be read as CSV; expected one cell per column, separated by commas"


def decode(raw: bytes, name: str, spec: FileSpec) -> tuple[str | None, Problem | None]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem(name, None, None, "file is UTF-16 encoded, not UTF-8; expected UTF-8 "
                             "(in Excel: Save As 'CSV UTF-8 (Comma delimited)')")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as e:
        # where: the row and cell holding the first byte that is not UTF-8
        before = raw[:e.start].decode("utf-8-sig")
        text = raw.decode("utf-8-sig", errors="replace")
        done = list(csv.reader(iter(_lines(before))))  # loosely: only to count rows and cells
        if not done or before.endswith(("\n", "\r")):
            row, cell = len(done) + 1, 0
        else:
            row, cell = len(done), max(len(done[-1]) - 1, 0)
        header_records, _ = read_csv_records(text)
        header = next((cells for _, cells in header_records if any(c.strip() for c in cells)), [])
        column = _column_name(spec, header, cell) if row > 1 else f"column {get_column_letter(cell + 1)}"
        return None, Problem(name, row, column,
                             f"file is not UTF-8 encoded (byte 0x{raw[e.start]:02x} in this cell is not valid "
                             "UTF-8; the file was probably saved as Windows-1252/Latin-1); expected UTF-8 "
                             "(in Excel: Save As 'CSV UTF-8 (Comma delimited)')")


def _column_name(spec: FileSpec, header: list[str], index: int) -> str:
    """A column for messages: the spec's name when the header there names one, else its letter
    (a header cell as written might be anything, a child's name included)."""
    if index < len(header):
        known = {header_key(c.name): c.name for c in spec.columns} | ALIASES
        found = known.get(header_key(header[index]))
        if found is not None:
            return found
    return f"column {get_column_letter(index + 1)}"


# ---------------------------------------------------------------- xlsx

def cell_text(value: object) -> str:
    """One spreadsheet cell as the text a CSV would hold (Excel stores typed values)."""
    if value is None:
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


def read_xlsx_records(path: Path) -> Iterator[Record]:
    """The first sheet's rows as (row number, cell texts), trailing blank cells dropped.

    pandas reads the sheet (header=None: the header row is found and matched by read_table;
    dtype=object and keep_default_na=False: every cell keeps the value Excel stored, so "NA",
    "nan" or "007" stay text). Row i of the frame is spreadsheet row i + 1: pandas keeps leading
    blank rows (skip_blank_lines=False for Excel) and drops only trailing blank rows, which
    read_table would skip anyway.
    """
    import pandas as pd

    frame = pd.read_excel(path, sheet_name=0, header=None, dtype=object, keep_default_na=False, engine="openpyxl")
    grid: list[list[object]] = frame.to_numpy(dtype=object).tolist()
    errors = [(r, c) for r, values in enumerate(grid) for c, v in enumerate(values) if _is_nan(v)]
    if errors:
        # pandas turns an error cell (#N/A, #DIV/0!, #REF!...) into NaN, which is neither blank nor
        # the text a CSV export would hold; openpyxl, for those cells only, gives the error's text,
        # which the column's parser then reports like any other wrong value.
        for (r, c), text in zip(errors, _error_texts(path, errors), strict=True):
            grid[r][c] = text
    for row, values in enumerate(grid, start=1):
        cells = [cell_text(v) for v in values]
        while cells and not cells[-1].strip():
            cells.pop()
        yield row, cells


def _is_nan(value: object) -> bool:
    return isinstance(value, float) and value != value


def _error_texts(path: Path, cells: list[tuple[int, int]]) -> list[str]:
    """The text of the given error cells (0-based row, column), read with openpyxl."""
    import openpyxl

    wanted = set(cells)
    found: dict[tuple[int, int], str] = {}
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # as pandas does: some writers record a wrong sheet size
        first, last = min(r for r, _ in cells), max(r for r, _ in cells)
        for r, values in enumerate(ws.iter_rows(min_row=first + 1, max_row=last + 1, values_only=True), start=first):
            for c, value in enumerate(values):
                if (r, c) in wanted:
                    found[(r, c)] = cell_text(value)
    finally:
        wb.close()
    return [found.get(cell, "#ERROR") for cell in cells]


def formulas_without_values(path: Path, records: list[Record]) -> list[tuple[int, int]]:
    """The cells (spreadsheet row, 0-based column) that hold a formula but read as blank: the
    formula's value was never saved (the file was written by a program that does not calculate,
    e.g. a script), so the value Excel would show is not in the file."""
    import openpyxl

    blank = {row: cells for row, cells in records}
    found: list[tuple[int, int]] = []
    wb = openpyxl.load_workbook(path, data_only=False)  # formulas as written, not their saved values
    try:
        for row in wb.worksheets[0].iter_rows():
            for cell in row:
                if cell.data_type != "f" or not isinstance(cell.row, int) or not isinstance(cell.column, int):
                    continue
                cells, c = blank.get(cell.row, []), cell.column - 1
                if c >= len(cells) or not cells[c].strip():
                    found.append((cell.row, c))
    finally:
        wb.close()
    return sorted(found)


FORMULA_WITHOUT_VALUE = ("is a formula without a saved value (it reads as blank): open the file in Excel and save "
                         "it, or paste values; expected the value itself")


# ---------------------------------------------------------------- the header and the rows

def _looks_like_data(header: list[str]) -> bool:
    """A first row of dates or numbers is data, not column names (the header row is missing)."""
    def is_value(text: str) -> bool:
        for parse in (parse_date, lambda s: decimal(s, "")):
            try:
                parse(text.strip())
                return True
            except Bad:
                pass
        return False
    return sum(is_value(h) for h in header if h.strip()) >= 2


def read_table(path: Path, spec: FileSpec, quoter: Quoter) -> tuple[Table | None, list[Problem], list[Problem]]:
    """The file as a Table, with its errors and warnings (both about the file's shape)."""
    is_csv = path.suffix.lower() == ".csv"
    name = spec.csv if is_csv else f"{spec.stem}.xlsx"
    errors: list[Problem] = []
    formulas: list[tuple[int, int]] = []  # .xlsx cells holding a formula whose value was never saved
    if is_csv:
        text, problem = decode(path.read_bytes(), name, spec)
        if problem or text is None:
            return None, [problem] if problem else [], []
        records, faults = read_csv_records(text)
        ragged = False
    else:
        try:
            records = list(read_xlsx_records(path))
        except Exception as e:  # a corrupt or non-xlsx file: report, never a traceback
            if path.stat().st_size == 0:
                records = []
            else:
                return None, [Problem(name, None, None, f"cannot be read as an Excel workbook ({type(e).__name__}); "
                                      "expected an .xlsx file saved by Excel or LibreOffice")], []
        try:
            formulas = formulas_without_values(path, records) if records else []
        except Exception:  # pandas read it, so this is unlikely; the cells then read as blank
            formulas = []
        faults = []
        ragged = True  # a spreadsheet row has no "short rows": its empty trailing cells are blank

    def blank(cells: list[str]) -> bool:
        return not any(c.strip() for c in cells)
    header_at = next((i for i, (_, cells) in enumerate(records) if not blank(cells)), None)
    header_row, header = records[header_at] if header_at is not None else (0, [])
    broken = [f for f in faults if header_at is None or f.row <= header_row]
    if broken:  # the header itself cannot be read: only that is worth saying
        return None, [Problem(name, f.row, f"column {get_column_letter(f.cell + 1)}", _csv_fault_message(f))
                      for f in broken[:1]], []
    if header_at is None:
        required = ", ".join(c.name for c in spec.columns if c.required)
        return None, [Problem(name, None, None, f"file is empty; expected a header row ({required}) "
                              "followed by one row per record")], []
    header = [h.strip() for h in header]
    known = {header_key(c.name) for c in spec.columns} | set(ALIASES)
    if is_csv and any(sum(header_key(part) in known for part in h.split(";")) >= 2 for h in header):
        # European Excel saves "CSV" with semicolons: one error, not one per missing column
        return None, [Problem(name, header_row, None, "the file seems to use ';' between columns, not commas; "
                              "expected comma-separated CSV (in Excel: Save As 'CSV UTF-8 (Comma delimited)')")], []
    if _looks_like_data(header):
        quoter.add_personal(header)  # the first row is a record: treat all of it as personal
        if sum(header_key(h) in known for h in header) < sum(c.required for c in spec.columns) // 2:
            required = ", ".join(c.name for c in spec.columns if c.required)
            return None, [Problem(name, None, None, f"row {header_row} holds values, not column names (is the header "
                                  f"row missing?); expected the column names in row {header_row}: {required}, ...")], []
    table, errors, warnings = _match_header(name, spec, header_row, header, quoter)
    for fault in faults:
        errors.append(Problem(name, fault.row, _column_for(table, fault.cell), _csv_fault_message(fault)))
    for row, cell in formulas:
        if row > header_row:
            errors.append(Problem(name, row, _column_for(table, cell), FORMULA_WITHOUT_VALUE))

    width = len(table.header)
    named = [i for i, h in enumerate(table.header) if h]
    shapes: list[tuple[Problem, int]] = []  # rows whose cells do not line up, with their cell count
    data_rows = 0
    for row, cells in records[header_at + 1:]:
        for i, words in table.personal:
            if i < len(cells):
                quoter.add_personal([cells[i]], words)
        if blank(cells):
            continue  # wholly blank rows (common at the end of exports) are skipped
        data_rows += 1
        if not ragged and len(cells) < width and any(i >= len(cells) for i in named):
            shown = [_column_for(table, i) for i in named if i >= len(cells)]
            shapes.append((Problem(name, row, shown[0],
                                   f"row has {len(cells)} cells but the header has {width} columns, so "
                                   f"{len(shown)} column(s) have no cell: {', '.join(shown)}; expected one cell "
                                   "per column (was the row cut short, or a comma lost?)"), len(cells)))
            continue
        if any(c.strip() for c in cells[width:]):
            shapes.append((Problem(name, row, _column_for(table, width - 1),
                                   f"row has {len(cells)} cells but the header has {width} columns: "
                                   f"{len(cells) - width} cell(s) after the last column have no column name; "
                                   "expected one cell per column (a cell holding a comma must be inside "
                                   "double quotes)"), len(cells)))
            continue
        table.rows.append((row, {col: cells[i].strip() if i < len(cells) else ""
                                 for col, i in table.columns.items()}))
    by_count: dict[int, list[Problem]] = {}
    for problem, n in shapes:
        by_count.setdefault(n, []).append(problem)
    n, common = max(by_count.items(), key=lambda kv: len(kv[1]), default=(0, []))
    if len(common) >= 3 and 2 * len(common) >= data_rows:
        # most rows disagree with the header in the same way: it is the header that is off
        errors.append(Problem(name, header_row, common[0].column,
                              f"the header has {width} columns but {len(common)} of the {data_rows} rows have "
                              f"{n} cells (the first on row {common[0].row}); expected one column name per cell "
                              "(is a column name missing from the header, or one too many?)"))
        errors += [p for p, k in shapes if k != n]
    else:
        errors += [p for p, _ in shapes]
    table.incomplete = bool(shapes or faults)
    errors.sort(key=lambda p: p.row or 0)
    return table, errors, warnings


def _column_for(table: Table, index: int) -> str:
    """The name to use in messages for the cell at `index`: the spec's name for a known column."""
    for col, i in table.columns.items():
        if i == index:
            return col
    if index in table.plain:
        return table.header[index]
    return f"column {get_column_letter(index + 1)}"


def _match_header(name: str, spec: FileSpec, header_row: int, header: list[str],
                  quoter: Quoter) -> tuple[Table, list[Problem], list[Problem]]:
    errors: list[Problem] = []
    warnings: list[Problem] = []
    by_key = {header_key(c.name): c.name for c in spec.columns}
    by_key.update({k: v for k, v in ALIASES.items() if v in by_key.values()})
    positions: dict[str, list[int]] = {}
    unknown: list[int] = []
    for i, h in enumerate(header):
        col = by_key.get(header_key(h))
        if col is None:
            if h:
                unknown.append(i)
            continue
        positions.setdefault(col, []).append(i)
    table = Table(name, {c: p[0] for c, p in positions.items() if len(p) == 1}, [], header=header)
    columns = {c.name: c for c in spec.columns}
    table.personal = [(i, columns[c].kind == "text") for c, places in positions.items() if columns[c].personal
                      for i in places]
    for col, places in positions.items():
        if len(places) > 1:
            table.unusable.add(col)
            both = " and ".join(f"{header[i]!r} (column {get_column_letter(i + 1)})" for i in places)
            errors.append(Problem(name, header_row, col,
                                  f"is given {len(places)} times, as {both} (column names are matched ignoring "
                                  "case, spaces, hyphens and underscores); expected each column once: delete or "
                                  "rename the extra one"))

    data_row = _looks_like_data(header)
    # a column name that is plain enough to repeat (never a cell that might be personal)
    plain = {i for i in unknown if re.fullmatch(r"[A-Za-z][A-Za-z0-9 _.()#/-]{0,40}", header[i])
             and not quoter.personal(header[i])} if not data_row else set()
    table.plain = plain
    absent = [c for c in spec.columns if c.name not in positions]
    suggested: set[int] = set()

    def closest(col: str, cutoff: float) -> int | None:
        keys = {header_key(header[i]): i for i in sorted(plain - suggested)}
        near = difflib.get_close_matches(header_key(col), list(keys), n=1, cutoff=cutoff)
        return keys[near[0]] if near else None

    located = spec.located_by
    for c in absent:
        if not c.required:
            continue
        if located and c.name in located[:2] and located[2] in positions and not set(located[:2]) & set(positions):
            continue  # lat and lon may be left out (both) when the postcode column is there
        near = closest(c.name, 0.6)
        hint = ""
        if near is not None:
            suggested.add(near)
            hint = f"; did you mean {header[near]!r}?"
        elif data_row:
            hint = "; the first row holds values, not column names: expected the column names in row 1"
        errors.append(Problem(name, None, None, f"missing column '{c.name}'{hint}"))
    for c in absent:
        if c.required:
            continue
        near = closest(c.name, 0.8)
        if near is not None:
            suggested.add(near)
            warnings.append(Problem(name, header_row, header[near],
                                    f"is not a column rota reads, so it is ignored; did you mean {c.name}? "
                                    f"(expected the column name {c.name})"))
    return table, errors, warnings
