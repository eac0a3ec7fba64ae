"""rota.xlsx: one sheet per worker (their activities in time order) plus a Breaches sheet.

Dates and times are real Excel dates/times (sortable, filterable) with explicit formats.
Children appear by reference only unless show_child_names=True adds a names column.
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..domain import Team
from ..solution import PlanResult
from .atomic import write_bytes_atomic
from .common import activity_label, by_worker, child_label, signoff_text, where_label

DATE_FORMAT = "dd/mm/yyyy"
TIME_FORMAT = "hh:mm"
BREACHES_SHEET = "Breaches"
_HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")


def sheet_title(worker_id: str, taken: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\ , unique ignoring case."""
    base = re.sub(r"[\[\]:*?/\\]", "_", worker_id)[:31] or "worker"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f"~{n}"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def _display_width(value: Any, fmt: str) -> int:
    if isinstance(value, (date, datetime)):
        return len(fmt)
    if isinstance(value, time):
        return 5
    return len(str(value)) if value is not None else 0


def _fill_sheet(ws: Worksheet, headers: list[str], rows: list[list[Any]], formats: dict[int, str],
                max_width: int = 60) -> None:
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for row in rows:
        ws.append(row)
    widths = [len(h) for h in headers]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text from input files is never a formula
            if c in formats and value is not None:
                cell.number_format = formats[c]
            if isinstance(value, str) and len(value) > max_width:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[c - 1] = max(widths[c - 1], _display_width(value, formats.get(c, "")))
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(width + 2, max_width)
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions


def build_workbook(result: PlanResult, team: Team, signoffs: dict[str, str] | None = None,
                   show_child_names: bool = False) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    taken = {BREACHES_SHEET.lower()}
    headers = ["Date", "Day", "Start", "End", "Activity", "Household", "Children", "Seen alone",
               "Bedroom check", "Travel (min)", "Cover", "Location"]
    if show_child_names:
        headers.append("Child names")
    formats = {1: DATE_FORMAT, 3: TIME_FORMAT, 4: TIME_FORMAT}
    for wid, acts in by_worker(result, team).items():
        ws = wb.create_sheet(sheet_title(wid, taken))
        rows = []
        for a in acts:
            row: list[Any] = [a.date, f"{a.date:%a}", a.start, a.end, activity_label(a.activity),
                              a.household_id, " ".join(a.child_ids), " ".join(a.seen_alone_child_ids),
                              " ".join(a.bedroom_child_ids), a.travel_minutes, "yes" if a.cover else "no",
                              where_label(a).removeprefix("at ") or "home"]
            if show_child_names:
                row.append(", ".join(child_label(team, c, True) for c in a.child_ids))
            rows.append(row)
        _fill_sheet(ws, headers, rows, formats)
    ws = wb.create_sheet(BREACHES_SHEET)
    b_headers = ["Breach ID", "Child", "Requirement", "Due by", "Planned date", "Days late", "Severity",
                 "Level", "Reason", "Proven unavoidable", "Sign-off"]
    b_rows = []
    for b in sorted(result.breaches, key=lambda b: (-b.severity, b.due_by, b.child_id, b.requirement)):
        b_rows.append([b.breach_id, child_label(team, b.child_id, show_child_names), b.requirement,
                       b.due_by, b.planned_date, b.days_late, b.severity, b.level, b.reason,
                       "yes" if b.proven_unavoidable else "no", signoff_text(signoffs, b.breach_id)])
    _fill_sheet(ws, b_headers, b_rows, {4: DATE_FORMAT, 5: DATE_FORMAT})
    return wb


def write_xlsx(path: Path, result: PlanResult, team: Team, signoffs: dict[str, str] | None = None,
               show_child_names: bool = False, stamp: datetime | None = None) -> Path:
    wb = build_workbook(result, team, signoffs, show_child_names)
    if stamp is not None:  # same plan, same bytes: no wall-clock times inside the file
        wb.properties.created = wb.properties.modified = stamp.replace(tzinfo=None)
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    return write_bytes_atomic(path, _fixed_zip_times(data, stamp) if stamp is not None else data)


def _fixed_zip_times(data: bytes, stamp: datetime) -> bytes:
    """Rewrite the xlsx (a zip) with every entry dated `stamp` instead of the time of writing."""
    out = io.BytesIO()
    when = stamp.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=when)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the clock on save
                iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", lambda m, iso=iso: m.group(1) + iso, content)
            dst.writestr(fixed, content)
    return out.getvalue()
