"""rota.xlsx: a workbook that prints.

Sheets: "Team" (one row per worker per day: activities, hours, travel), "Breaches" (the
register with sign-off state), then one sheet per worker named "W02 Priya Shah" (Excel's 31
characters). Every sheet prints landscape, one page wide, with its header row repeated and the
plan's dates and status in the page header; header rows are frozen, columns sized to fit,
dates and times are real Excel dates and times.

The workbook is a team file: children by reference only, never names or addresses. Every text
cell is sanitised: no control characters (Excel refuses them), and text is stored as text, so a
cell beginning with '=' is never a formula.
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..domain import Team
from ..solution import PlanResult
from .atomic import write_bytes_atomic
from .common import (
    COVER_NOTE,
    DAYS_LATE_NOTE,
    SEVERITY_NOTE,
    activity_label,
    by_worker,
    cover_reason,
    fmt_long,
    plan_days,
    signoff_text,
    status_text,
    verdict_short,
    verdict_text,
    where_label,
)

DATE_FORMAT = "dd/mm/yyyy"
TIME_FORMAT = "hh:mm"
HOURS_FORMAT = "[h]:mm"
TEAM_SHEET = "Team"
BREACHES_SHEET = "Breaches"
_HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
_FORBIDDEN_IN_TITLE = re.compile(r"[\[\]:*?/\\]")
_MAX_WIDTH = 60


def clean_text(value: str) -> str:
    """A string Excel accepts: control characters (which openpyxl refuses) become U+FFFD."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)


def sheet_title(name: str, taken: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\ or control characters, not
    starting or ending with an apostrophe, unique ignoring case."""
    base = _FORBIDDEN_IN_TITLE.sub("_", clean_text(name)).replace("\ufffd", "_").strip().strip("'")
    base = base[:31].rstrip() or "worker"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f"~{n}"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def _display_width(value: Any, fmt: str) -> int:
    if isinstance(value, (date, datetime)):
        return max(len(fmt), 10)
    if isinstance(value, time):
        return 5
    return max((len(line) for line in str(value).splitlines()), default=0) if value is not None else 0


def _fill_sheet(ws: Worksheet, headers: list[str], rows: list[list[Any]], formats: dict[int, str],
                notes: dict[int, str] | None = None) -> None:
    ws.append(headers)
    for c, cell in enumerate(ws[1], start=1):
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if notes and c in notes:
            cell.comment = Comment(notes[c], "rota")
    widths = [len(h) for h in headers]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str):
                value = clean_text(value)
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text from input files is never a formula
            if c in formats and value is not None:
                cell.number_format = formats[c]
            if isinstance(value, str) and (len(value) > _MAX_WIDTH or "\n" in value):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[c - 1] = max(widths[c - 1], _display_width(value, formats.get(c, "")))
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(width + 2, _MAX_WIDTH)
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions


def _print_setup(ws: Worksheet, result: PlanResult, title: str) -> None:
    """Landscape A4, one page wide (as many pages long as needed), header row on every page,
    the plan's dates and status in the page header, page numbers in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddHeader.left.text = clean_text(title).replace("&", "&&")
    ws.oddHeader.center.text = f"Rota {fmt_long(result.start)} to {fmt_long(result.end)}"
    ws.oddHeader.right.text = f"{result.standard_key} standards"
    ws.oddFooter.left.text = clean_text(f"{status_text(result)}; {verdict_short(result)}")
    ws.oddFooter.right.text = "Page &P of &N"


def _worker_sheet_name(wid: str, team: Team) -> str:
    try:
        name = team.worker(wid).name
    except KeyError:
        name = ""
    return f"{wid} {name}".strip()


def build_workbook(result: PlanResult, team: Team, signoffs: dict[str, str] | None = None,
                   working_days: list[date] | None = None) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    taken = {TEAM_SHEET.lower(), BREACHES_SHEET.lower()}
    grouped = by_worker(result, team)
    names = {w.worker_id: w.name for w in team.workers}
    absences = {w.worker_id: [a for a in team.absences if a.worker_id == w.worker_id] for w in team.workers}
    workdays = {w.worker_id: w.working_days for w in team.workers}

    # Team: who is out where, day by day
    ws = wb.create_sheet(TEAM_SHEET)
    rows: list[list[Any]] = []
    for day in plan_days(result, working_days):
        for wid, acts in grouped.items():
            todays = [a for a in acts if a.date == day]
            note = next((a.kind for a in absences.get(wid, []) if a.covers(day)), "")
            if not note and day.weekday() not in workdays.get(wid, (0, 1, 2, 3, 4)):
                note = "not working"
            busy = sum((datetime.combine(day, a.end) - datetime.combine(day, a.start)).seconds // 60 for a in todays)
            travel = sum(a.travel_minutes for a in todays)
            listing = "\n".join(
                f"{a.start:%H:%M} {activity_label(a.activity)}{' ' + where_label(a) if where_label(a) else ''} "
                f"{a.household_id} ({' '.join(a.child_ids)}){' [cover]' if a.cover else ''}" for a in todays)
            rows.append([day, f"{day:%a}", wid, names.get(wid, ""), len(todays),
                         sum(a.activity == "visit" for a in todays), sum(a.activity != "visit" for a in todays),
                         timedelta(minutes=busy),
                         travel, sum(a.cover for a in todays), listing, note])
    _fill_sheet(ws, ["Date", "Day", "Worker", "Name", "Activities", "Visits", "Meetings", "Hours",
                     "Travel (min)", "Cover", "Where", "Note"], rows,
                {1: DATE_FORMAT, 8: HOURS_FORMAT}, {8: "Hours: time spent in visits and meetings, travel not included.",
                                                    10: COVER_NOTE})
    ws.column_dimensions["K"].width = _MAX_WIDTH
    _print_setup(ws, result, "Team by day")

    # Breaches: the register, with the sign-off state
    ws = wb.create_sheet(BREACHES_SHEET)
    b_rows = []
    for b in sorted(result.breaches, key=lambda b: (-b.severity, b.due_by, b.child_id, b.requirement)):
        b_rows.append([b.breach_id, b.child_id, b.requirement, b.due_by, b.planned_date, b.days_late, b.severity,
                       b.level, "before the plan" if b.due_by < result.start else "within the plan", b.reason,
                       "yes" if b.proven_unavoidable else "no", signoff_text(signoffs, b.breach_id)])
    _fill_sheet(ws, ["Breach ID", "Child", "Requirement", "Due by", "Planned date", "Days late", "Severity",
                     "Level", "Fell due", "Reason", "Proven unavoidable", "Sign-off"], b_rows,
                {4: DATE_FORMAT, 5: DATE_FORMAT}, {6: DAYS_LATE_NOTE, 7: SEVERITY_NOTE})
    _print_setup(ws, result, "Breach register")

    # one sheet per worker
    headers = ["Date", "Day", "Start", "End", "Activity", "Household", "Children", "Seen alone",
               "Bedroom check", "Travel (min)", "Cover", "Location", "Cover reason"]
    for wid, acts in grouped.items():
        label = _worker_sheet_name(wid, team)
        ws = wb.create_sheet(sheet_title(label, taken))
        w_rows: list[list[Any]] = []
        for a in acts:
            w_rows.append([a.date, f"{a.date:%a}", a.start, a.end, activity_label(a.activity),
                           a.household_id, " ".join(a.child_ids), " ".join(a.seen_alone_child_ids),
                           " ".join(a.bedroom_child_ids), a.travel_minutes, "yes" if a.cover else "no",
                           where_label(a).removeprefix("at ") or "home", cover_reason(a)])
        _fill_sheet(ws, headers, w_rows, {1: DATE_FORMAT, 3: TIME_FORMAT, 4: TIME_FORMAT}, {11: COVER_NOTE})
        _print_setup(ws, result, label)
    return wb


def write_xlsx(path: Path, result: PlanResult, team: Team, signoffs: dict[str, str] | None = None,
               stamp: datetime | None = None, working_days: list[date] | None = None) -> Path:
    wb = build_workbook(result, team, signoffs, working_days)
    wb.properties.title = f"Rota {result.start.isoformat()} to {result.end.isoformat()}"
    wb.properties.description = clean_text(f"{status_text(result)}; {verdict_text(result)}")
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
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + iso, content)
            dst.writestr(fixed, content)
    return out.getvalue()
