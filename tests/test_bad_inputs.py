"""Bad input: every problem is reported as file:row: column: message, all at once, never a traceback.

Each test copies a small valid team (tests/test_loading.FILES), breaks one thing and checks the
exact problem reported. Rows are spreadsheet rows: header = 1, first data row = 2.
"""
from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from scheduler.loading import InputErrors, Problem, load_team, load_team_with_warnings

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
PERSONAL = ("Ann Example", "Ben Example", "1 Test Street", "SN1 1AA")


@pytest.fixture
def team(tmp_path: Path) -> Path:
    folder = tmp_path / "team"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def set_cell(folder: Path, file: str, row: int, column: str, value: str) -> None:
    """Change one cell; `row` is the spreadsheet row (header = 1)."""
    rows = list(csv.reader((folder / file).read_text(encoding="utf-8").splitlines()))
    rows[row - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (folder / file).write_text(out.getvalue(), encoding="utf-8")


def drop_column(folder: Path, file: str, column: str) -> None:
    rows = list(csv.reader((folder / file).read_text(encoding="utf-8").splitlines()))
    i = rows[0].index(column)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:i] + r[i + 1:] for r in rows])
    (folder / file).write_text(out.getvalue(), encoding="utf-8")


def problems(folder: Path, on: date = ON) -> list[Problem]:
    with pytest.raises(InputErrors) as exc:
        load_team(folder, on)
    assert exc.value.problems, "InputErrors without problems"
    return exc.value.problems


def only(folder: Path, on: date = ON) -> Problem:
    found = problems(folder, on)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def assert_problem(p: Problem, file: str, row: int | None, column: str | None, *fragments: str) -> None:
    assert (p.file, p.row, p.column) == (file, row, column), str(p)
    for fragment in fragments:
        assert fragment in p.message, f"{fragment!r} not in {str(p)!r}"


# ---------------------------------------------------------------- Problem formatting

def test_problem_str_omits_missing_parts() -> None:
    assert str(Problem("children.csv", None, None, "missing column 'lat'")) == "children.csv: missing column 'lat'"
    assert str(Problem("visits.csv", 3, "date", "bad")) == "visits.csv:3: date: bad"
    assert str(Problem("visits.csv", 3, None, "bad")) == "visits.csv:3: bad"


def test_the_small_team_is_valid(team: Path) -> None:
    assert len(load_team(team, ON).children) == 4


# ---------------------------------------------------------------- files

def test_missing_required_file(team: Path) -> None:
    (team / "children.csv").unlink()
    assert_problem(only(team), "children.csv", None, None, "missing file", "children.csv or children.xlsx")


def test_missing_folder(tmp_path: Path) -> None:
    p = only(tmp_path / "nowhere")
    assert p.file == str(tmp_path / "nowhere") and "not found" in p.message


def test_missing_column(team: Path) -> None:
    drop_column(team, "children.csv", "lat")
    p = only(team)
    assert str(p) == "children.csv: missing column 'lat'"


def test_missing_column_in_optional_file(team: Path) -> None:
    drop_column(team, "visits.csv", "seen_alone")
    assert str(only(team)) == "visits.csv: missing column 'seen_alone'"


@pytest.mark.parametrize("file", ["workers.csv", "visits.csv"])
def test_empty_file(team: Path, file: str) -> None:
    (team / file).write_bytes(b"")
    assert_problem(only(team), file, None, None, "file is empty", "header row")


def test_whitespace_only_file_is_empty(team: Path) -> None:
    (team / "absences.csv").write_text("\n  \n")
    assert_problem(only(team), "absences.csv", None, None, "file is empty")


def test_header_only_required_file(team: Path) -> None:
    (team / "workers.csv").write_text(FILES["workers.csv"].splitlines()[0] + "\n")
    found = problems(team)
    assert_problem(found[0], "workers.csv", None, None, "no rows", "at least one worker")
    # the children's allocated workers are now unknown too: reported, not a crash
    assert {(p.file, p.column) for p in found[1:]} == {("children.csv", "allocated_worker_id"),
                                                        ("visits.csv", "worker_id"), ("absences.csv", "worker_id")}


def test_header_only_optional_file_is_fine(team: Path) -> None:
    (team / "visits.csv").write_text("child_id,date,worker_id,seen_alone,bedroom_seen\n")
    assert load_team(team, ON).visits == ()


def test_not_utf8_is_reported_with_its_row(team: Path) -> None:
    text = FILES["children.csv"].replace("Ben Example", "Zoë Example")
    (team / "children.csv").write_bytes(text.encode("cp1252"))
    p = only(team)
    assert_problem(p, "children.csv", 3, "name", "not UTF-8", "CSV UTF-8")
    assert "Zo" not in str(p)


def test_utf16_is_reported(team: Path) -> None:
    (team / "visits.csv").write_bytes(FILES["visits.csv"].encode("utf-16"))
    assert_problem(only(team), "visits.csv", None, None, "UTF-16", "UTF-8")


def test_csv_and_xlsx_both_present_is_ambiguous(team: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["worker_id", "start_date", "end_date", "kind"])
    wb.save(team / "absences.xlsx")
    assert_problem(only(team), "absences.csv", None, None, "absences.csv and absences.xlsx", "ambiguous")


def test_file_that_is_not_really_xlsx(team: Path) -> None:
    (team / "meetings.csv").unlink()
    (team / "meetings.xlsx").write_text("this is not a workbook")
    assert_problem(only(team), "meetings.xlsx", None, None, "cannot be read as an Excel workbook")


def test_xlsx_problems_use_spreadsheet_rows(team: Path) -> None:
    (team / "visits.csv").unlink()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["child_id", "date", "worker_id", "seen_alone", "bedroom_seen"])
    ws.append(["C1", "2026-11-20", "W1", "yes", "no"])
    ws.append([None, None, None, None, None])  # a blank row still counts as a row
    ws.append(["C1", "2026-11-21", "W1", "maybe", "no"])
    wb.save(team / "visits.xlsx")
    assert_problem(only(team), "visits.xlsx", 4, "seen_alone", "'maybe'", "yes or no")


def test_first_row_with_more_cells_than_header(team: Path) -> None:
    (team / "visits.csv").write_text(FILES["visits.csv"].replace("W1,yes,yes", "W1,yes,yes,extra"))
    assert_problem(only(team), "visits.csv", 2, "bedroom_seen", "6 cells but the header has 5 columns",
                   "after the last column", "double quotes")


def test_row_with_more_cells_than_header(team: Path) -> None:
    (team / "visits.csv").write_text(FILES["visits.csv"] + "C1,2026-11-21,W1,yes,no,extra\n")
    assert_problem(only(team), "visits.csv", 5, "bedroom_seen", "6 cells but the header has 5 columns")


# ---------------------------------------------------------------- cells

def test_blank_required_cell(team: Path) -> None:
    set_cell(team, "visits.csv", 3, "worker_id", "")
    assert_problem(only(team), "visits.csv", 3, "worker_id", "blank", "required")


@pytest.mark.parametrize("value, what", [("2026-13-01", "not a real calendar date"),
                                         ("31/02/2026", "not a real calendar date"),
                                         ("20/11/26", "is not a date")])
def test_bad_date(team: Path, value: str, what: str) -> None:
    set_cell(team, "visits.csv", 3, "date", value)
    assert_problem(only(team), "visits.csv", 3, "date", repr(value), what, "YYYY-MM-DD", "DD/MM/YYYY")


def test_bad_date_in_words_is_not_quoted(team: Path) -> None:
    # only digits and separators are quoted from a date column: words might be a shifted name
    set_cell(team, "visits.csv", 3, "date", "Nov 20 2026")
    assert_problem(only(team), "visits.csv", 3, "date", "the value is not a date", "YYYY-MM-DD")


def test_blank_rows_still_count_for_row_numbers(team: Path) -> None:
    (team / "visits.csv").write_text(FILES["visits.csv"].replace("C2,2026-11-20", "\nC2,2026-11-99"))
    assert_problem(only(team), "visits.csv", 4, "date", "'2026-11-99'")


@pytest.mark.parametrize("file, row, column, value", [
    ("workers.csv", 2, "role", "social worker"),
    ("children.csv", 3, "status", "CPP"),
    ("children.csv", 4, "placement_type", "kinship"),
    ("children.csv", 2, "cp_category", "abuse"),
    ("meetings.csv", 3, "meeting_type", "lac_review"),
    ("meetings.csv", 2, "status", "done"),
    ("absences.csv", 2, "kind", "holiday"),
])
def test_unknown_code(team: Path, file: str, row: int, column: str, value: str) -> None:
    set_cell(team, file, row, column, value)
    assert_problem(only(team), file, row, column, repr(value), "unknown", "expected one of")


def test_unknown_code_lists_the_valid_codes(team: Path) -> None:
    set_cell(team, "children.csv", 3, "status", "lac")
    assert "early_help, cin, s47, cp, cic, care_leaver, private_fostering" in only(team).message


def test_meeting_type_supervision_extension_is_accepted(team: Path) -> None:
    set_cell(team, "meetings.csv", 3, "meeting_type", "supervision")
    assert load_team(team, ON).meetings[1].meeting_type == "supervision"


@pytest.mark.parametrize("file, row, column, value", [
    ("visits.csv", 2, "seen_alone", "Y"),
    ("visits.csv", 4, "bedroom_seen", "true"),
    ("workers.csv", 3, "qualified", "maybe"),
    ("children.csv", 4, "placement_long_term", "1"),
])
def test_boolean_not_yes_no(team: Path, file: str, row: int, column: str, value: str) -> None:
    set_cell(team, file, row, column, value)
    assert_problem(only(team), file, row, column, repr(value), "yes or no")


@pytest.mark.parametrize("value", ["9am", "25:00", "09:60", "0900"])
def test_bad_time(team: Path, value: str) -> None:
    set_cell(team, "workers.csv", 2, "day_start", value)
    assert_problem(only(team), "workers.csv", 2, "day_start", repr(value), "HH:MM")


@pytest.mark.parametrize("end", ["08:00", "09:00"])
def test_day_end_must_be_after_day_start(team: Path, end: str) -> None:
    set_cell(team, "workers.csv", 2, "day_end", end)
    assert_problem(only(team), "workers.csv", 2, "day_end", f"({end})", "day_start (09:00)",
                   "expected day_end after day_start")


@pytest.mark.parametrize("value", ["0", "-1", "2.5", "four"])
def test_max_visits_per_day_positive_whole_number(team: Path, value: str) -> None:
    set_cell(team, "workers.csv", 3, "max_visits_per_day", value)
    assert_problem(only(team), "workers.csv", 3, "max_visits_per_day", repr(value), "whole number")


@pytest.mark.parametrize("value", ["Mon Tues", "Mon Funday", "1 2 3", "M T W"])
def test_working_days_codes(team: Path, value: str) -> None:
    set_cell(team, "workers.csv", 3, "working_days", value)
    assert_problem(only(team), "workers.csv", 3, "working_days", "unknown day", "Mon Tue Wed Thu Fri Sat Sun")


def test_working_days_separators_full_names_and_ranges_accepted(team: Path) -> None:
    set_cell(team, "workers.csv", 3, "working_days", "monday, Wed;FRI")
    assert load_team(team, ON).worker("W2").working_days == (0, 2, 4)
    set_cell(team, "workers.csv", 3, "working_days", "Tue-Thu Sat")
    assert load_team(team, ON).worker("W2").working_days == (1, 2, 3, 5)


def test_working_days_backwards_range(team: Path) -> None:
    set_cell(team, "workers.csv", 3, "working_days", "Fri-Mon")
    assert_problem(only(team), "workers.csv", 3, "working_days", "'Fri-Mon'", "backwards")


def test_missing_id_column_does_not_cascade(team: Path) -> None:
    drop_column(team, "workers.csv", "worker_id")
    assert str(only(team)) == "workers.csv: missing column 'worker_id'"


@pytest.mark.parametrize("column, value, what", [("lat", "48.0", "outside the UK"),
                                                 ("lon", "2.5", "outside the UK"),
                                                 ("lat", "-1.78", "outside the UK"),
                                                 ("lat", "fifty one", "not a number")])
def test_child_location_outside_uk_without_echoing_it(team: Path, column: str, value: str, what: str) -> None:
    set_cell(team, "children.csv", 3, column, value)
    p = only(team)
    assert_problem(p, "children.csv", 3, column, what, "49.8" if column == "lat" else "-8.7")
    assert value not in str(p)  # a child's location is personal: row and column only


def test_worker_base_outside_uk(team: Path) -> None:
    set_cell(team, "workers.csv", 2, "base_lon", "-9.5")
    assert_problem(only(team), "workers.csv", 2, "base_lon", "'-9.5'", "outside the UK", "-8.7 and 1.8")


def test_bad_postcode_message_has_no_personal_details(team: Path) -> None:
    set_cell(team, "children.csv", 2, "postcode", "NOT A CODE")
    p = only(team)
    assert_problem(p, "children.csv", 2, "postcode", "not a UK postcode")
    for personal in PERSONAL + ("NOT A CODE",):
        assert personal not in str(p)


def test_bad_date_of_birth_is_not_echoed(team: Path) -> None:
    set_cell(team, "children.csv", 4, "date_of_birth", "2012-02-30")
    p = only(team)
    assert_problem(p, "children.csv", 4, "date_of_birth", "not a real calendar date")
    assert "2012-02-30" not in str(p)


# ---------------------------------------------------------------- across rows and files

def test_duplicate_worker_id(team: Path) -> None:
    set_cell(team, "workers.csv", 3, "worker_id", "W1")
    found = problems(team)
    assert_problem(found[0], "workers.csv", 3, "worker_id", "duplicate worker_id 'W1'", "row 2")
    # W2 is now unknown to children and (no) others: reported as well
    assert_problem(found[1], "children.csv", 5, "allocated_worker_id", "'W2' is not in workers.csv")
    assert len(found) == 2


def test_duplicate_child_id(team: Path) -> None:
    set_cell(team, "children.csv", 5, "child_id", "C2")
    assert_problem(only(team), "children.csv", 5, "child_id", "duplicate child_id 'C2'", "already on row 3")


def test_child_allocated_to_unknown_worker(team: Path) -> None:
    set_cell(team, "children.csv", 4, "allocated_worker_id", "W9")
    assert_problem(only(team), "children.csv", 4, "allocated_worker_id", "'W9' is not in workers.csv")


@pytest.mark.parametrize("file, row, column", [("visits.csv", 3, "child_id"), ("visits.csv", 4, "worker_id"),
                                               ("meetings.csv", 4, "child_id"), ("absences.csv", 2, "worker_id")])
def test_reference_to_unknown_id(team: Path, file: str, row: int, column: str) -> None:
    set_cell(team, file, row, column, "X99")
    source = "children.csv" if column == "child_id" else "workers.csv"
    assert_problem(only(team), file, row, column, f"'X99' is not in {source}")


def test_absence_end_before_start(team: Path) -> None:
    set_cell(team, "absences.csv", 2, "end_date", "20/12/2026")
    assert_problem(only(team), "absences.csv", 2, "end_date", "(2026-12-20) is before start_date (2026-12-21)",
                   "expected end_date on or after start_date")


def test_one_day_absence_is_fine(team: Path) -> None:
    set_cell(team, "absences.csv", 2, "end_date", "2026-12-21")
    assert load_team(team, ON).absences[0].end_date == date(2026, 12, 21)


def test_visit_after_reference_date(team: Path) -> None:
    set_cell(team, "visits.csv", 4, "date", "2026-12-01")
    assert_problem(only(team), "visits.csv", 4, "date", "2026-12-01", "after the reference date 2026-11-30")


def test_reference_date_is_the_given_date_not_the_clock(team: Path) -> None:
    # the same folder is fine on 2026-11-20 (a visit on the day itself is history) ...
    assert len(load_team(team, date(2026, 11, 20)).visits) == 3
    # ... but not the day before, whatever today's date is
    found = problems(team, date(2026, 11, 19))
    assert [(p.file, p.row, p.column) for p in found] == [("visits.csv", 2, "date"), ("visits.csv", 3, "date")]
    assert "reference date 2026-11-19" in found[0].message


def test_held_meeting_after_reference_date(team: Path) -> None:
    set_cell(team, "meetings.csv", 4, "status", "held")
    assert_problem(only(team), "meetings.csv", 4, "date", "held meeting dated 2026-12-10",
                   "after the reference date 2026-11-30")


def test_booked_meeting_before_reference_date_is_a_warning(team: Path) -> None:
    set_cell(team, "meetings.csv", 3, "status", "booked")
    team_obj, warnings = load_team_with_warnings(team, ON)
    assert team_obj.meetings[1].status == "booked"
    (w,) = warnings
    assert_problem(w, "meetings.csv", 3, "status", "booked for 2026-10-15", "before the reference date")


def test_future_absences_and_booked_meetings_are_normal(team: Path) -> None:
    team_obj, warnings = load_team_with_warnings(team, ON)
    assert warnings == []
    assert team_obj.absences[0].start_date > ON and team_obj.meetings[2].date > ON


def test_placement_type_for_non_cic_child_is_a_warning_and_ignored(team: Path) -> None:
    set_cell(team, "children.csv", 2, "placement_type", "foster")
    team_obj, warnings = load_team_with_warnings(team, ON)
    assert team_obj.child("C1").placement_type is None
    (w,) = warnings
    assert_problem(w, "children.csv", 2, "placement_type", "'cp'", "not 'cic'", "ignored")


def test_cp_category_for_non_cp_child_is_a_warning_and_ignored(team: Path) -> None:
    set_cell(team, "children.csv", 4, "cp_category", "neglect")
    team_obj, warnings = load_team_with_warnings(team, ON)
    assert team_obj.child("C3").cp_category is None
    assert [(w.row, w.column) for w in warnings] == [(4, "cp_category")]


def test_date_of_birth_after_reference_date(team: Path) -> None:
    set_cell(team, "children.csv", 3, "date_of_birth", "2027-01-15")
    p = only(team)
    assert_problem(p, "children.csv", 3, "date_of_birth", "after the reference date", "blank for an unborn child")
    assert "2027-01-15" not in str(p)


def test_status_start_after_reference_date_is_a_warning(team: Path) -> None:
    set_cell(team, "children.csv", 5, "status_start_date", "2026-12-05")
    _, warnings = load_team_with_warnings(team, ON)
    assert [(w.row, w.column) for w in warnings] == [(5, "status_start_date")]


# ---------------------------------------------------------------- all at once

def test_several_problems_are_all_reported(team: Path) -> None:
    (team / "absences.csv").unlink()
    drop_column(team, "meetings.csv", "status")
    set_cell(team, "workers.csv", 3, "role", "manager")
    set_cell(team, "children.csv", 2, "status_start_date", "2026/10/01")
    set_cell(team, "children.csv", 5, "lon", "7.1")
    set_cell(team, "visits.csv", 4, "date", "2026-12-24")
    set_cell(team, "visits.csv", 2, "worker_id", "W7")
    with pytest.raises(InputErrors) as exc:
        load_team(team, ON)
    found = [(p.file, p.row, p.column) for p in exc.value.problems]
    assert found == [
        ("workers.csv", 3, "role"),
        ("children.csv", 2, "status_start_date"),
        ("children.csv", 5, "lon"),
        ("visits.csv", 2, "worker_id"),
        ("visits.csv", 4, "date"),
        ("meetings.csv", None, None),
    ]
    text = str(exc.value)
    assert text.count("\n") == 5 and "meetings.csv: missing column 'status'" in text
    assert not any(personal in text for personal in PERSONAL)


# ---------------------------------------------------------------- the command line

def _main():
    cli = pytest.importorskip("scheduler.cli")
    if not hasattr(cli, "main"):
        pytest.skip("scheduler.cli.main not written yet")
    from click.testing import CliRunner
    return CliRunner(), cli.main


def test_cli_check_bad_folder_exits_2_with_every_problem(team: Path) -> None:
    runner, main = _main()
    set_cell(team, "children.csv", 4, "allocated_worker_id", "W9")
    set_cell(team, "visits.csv", 4, "date", "2026-12-01")
    result = runner.invoke(main, ["check", str(team), "--on", "2026-11-30"])
    assert result.exit_code == 2, result.output
    assert "children.csv:4: allocated_worker_id: 'W9' is not in workers.csv" in result.output
    assert "visits.csv:4: date: visit dated 2026-12-01" in result.output
    assert "Traceback" not in result.output


def test_cli_check_missing_column(team: Path) -> None:
    runner, main = _main()
    drop_column(team, "children.csv", "lat")
    result = runner.invoke(main, ["check", str(team), "--on", "2026-11-30"])
    assert result.exit_code == 2 and "children.csv: missing column 'lat'" in result.output


def test_cli_check_good_folder_exits_0(team: Path) -> None:
    runner, main = _main()
    result = runner.invoke(main, ["check", str(team), "--on", "2026-11-30"])
    assert result.exit_code == 0, result.output
    assert "children: 4" in result.output and "Ann Example" not in result.output
