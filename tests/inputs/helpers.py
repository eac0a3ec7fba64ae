"""A small valid team folder and ways to break it, for the input tests.

Two workers; four children (C1 and C2 live together in H1; C3 is looked after, born 2 Feb
2012; C4 is a care leaver); reference date Mon 30 Nov 2026. Row numbers are spreadsheet rows:
header = 1, first data row = 2.
"""
from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from click.testing import CliRunner, Result

from scheduler.cli import main
from scheduler.loading import InputErrors, Problem, load_team_with_warnings
from scheduler.postcodes import PostcodeLookup

ON = date(2026, 11, 30)

FILES = {
    "workers.csv": """\
worker_id,name,role,base_lat,base_lon,qualified,working_days,day_start,day_end,max_visits_per_day
W1,Alex Test,social_worker,51.5558,-1.7797,yes,Mon Tue Wed Thu Fri,09:00,17:00,4
W2,Bo Test,personal_adviser,51.56,-1.78,no,Mon Tue Thu,08:30,16:30,3
""",
    "children.csv": """\
child_id,status,status_start_date,lat,lon,household_id,allocated_worker_id,date_of_birth,placement_type,\
placement_start_date,placement_long_term,first_review_date,assessment_completed_date,cp_category,\
seen_alone_exempt,name,address,postcode
C1,cp,2026-10-01,51.55,-1.78,H1,W1,2015-05-05,,,,,,neglect,,Ann Example,1 Test Street,SN1 1AA
C2,cp,2026-10-01,51.55,-1.78,H1,W1,2018-06-06,,,,,,neglect,,Ben Example,1 Test Street,SN1 1AA
C3,cic,2025-01-10,51.6,-1.7,,W1,2012-02-02,foster,2025-01-10,no,2025-02-07,,,,Cal Example,2 Test Road,SN2 2BB
C4,care_leaver,2024-03-03,51.52,-1.75,,W2,2006-03-03,,,,,,,,Dee Example,3 Test Lane,SN3 3CC
""",
    "visits.csv": """\
child_id,date,worker_id,seen_alone,bedroom_seen
C1,2026-11-20,W1,yes,yes
C2,2026-11-20,W1,yes,no
C3,2026-11-02,W1,yes,no
""",
    "meetings.csv": """\
child_id,meeting_type,date,status
C1,icpc,2026-10-01,held
C1,core_group,2026-10-15,held
C3,cic_review,2026-12-10,booked
""",
    "absences.csv": """\
worker_id,start_date,end_date,kind
W1,2026-12-21,2026-12-24,leave
""",
}
PERSONAL = ("Ann Example", "Ben Example", "Cal Example", "Dee Example", "1 Test Street", "2 Test Road",
            "3 Test Lane", "SN1 1AA", "SN2 2BB", "SN3 3CC")


def make_team(folder: Path, files: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (files or FILES).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def rows_of(folder: Path, file: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((folder / file).read_text(encoding="utf-8"), newline="")))


def write_rows(folder: Path, file: str, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (folder / file).write_text(out.getvalue(), encoding="utf-8")


def set_cell(folder: Path, file: str, row: int, column: str, value: str) -> None:
    """Change one cell; `row` is the spreadsheet row (header = 1)."""
    rows = rows_of(folder, file)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(folder, file, rows)


def errors(folder: Path, lookup: PostcodeLookup | None = None) -> list[Problem]:
    try:
        load_team_with_warnings(folder, ON, lookup)
    except InputErrors as exc:
        assert exc.problems
        return exc.problems
    raise AssertionError("the folder was accepted")


def only_error(folder: Path, lookup: PostcodeLookup | None = None) -> Problem:
    found = errors(folder, lookup)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def warnings_of(folder: Path, lookup: PostcodeLookup | None = None) -> list[Problem]:
    return load_team_with_warnings(folder, ON, lookup)[1]


def where(p: Problem) -> tuple[str, int | None, str | None]:
    return (p.file, p.row, p.column)


def rota(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def assert_private(text: str) -> None:
    leaked = [p for p in PERSONAL if p.lower() in text.lower()]
    assert not leaked, f"personal details {leaked} in {text!r}"
