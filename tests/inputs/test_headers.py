"""Headers as people write them: case, spaces, hyphens and underscores do not matter; a missing
column names the closest header; a column given twice is refused; a near-miss is a warning."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from scheduler.loading import load_team
from tests.inputs.helpers import FILES, ON, errors, make_team, only_error, rota, warnings_of, where


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return make_team(tmp_path / "team")


def _header(folder: Path, file: str, new: str) -> None:
    lines = (folder / file).read_text(encoding="utf-8").splitlines()
    (folder / file).write_text("\n".join([new, *lines[1:]]) + "\n", encoding="utf-8")


def test_headers_as_people_write_them_give_the_same_team(team: Path, tmp_path: Path) -> None:
    other = make_team(tmp_path / "other")
    _header(other, "children.csv", "Child ID,Status,Status Start Date,Latitude,Longitude,Household-ID,"
            "Allocated Worker ID,DOB,Placement Type,Placement start date,PLACEMENT_LONG_TERM,First Review Date,"
            "Assessment Completed Date,CP Category,Seen Alone Exempt,Name,Address,Post Code")
    _header(other, "visits.csv", "Child ID, Date ,Worker ID,Seen-Alone,Bedroom Seen")
    assert replace(load_team(other, ON), source="") == replace(load_team(team, ON), source="")


def test_missing_column_names_the_closest_header(team: Path) -> None:
    _header(team, "visits.csv", "child_ref,date,worker_id,seen_alone,bedroom_seen")
    assert str(only_error(team)) == "visits.csv: missing column 'child_id'; did you mean 'child_ref'?"


def test_missing_column_without_a_near_header_says_just_that(team: Path) -> None:
    _header(team, "visits.csv", "notes,date,worker_id,seen_alone,bedroom_seen")
    assert str(only_error(team)) == "visits.csv: missing column 'child_id'"


def test_people_style_headers_fix_the_fourteen_missing_columns(team: Path) -> None:
    # issue 12: "Child ID" was refused with 14 "missing column" lines and no hint
    _header(team, "children.csv", FILES["children.csv"].splitlines()[0].replace("child_id", "Child ID"))
    assert load_team(team, ON).child("C1").status == "cp"


def test_duplicated_column_is_an_error_naming_both(team: Path) -> None:
    # a blank DATE_OF_BIRTH beside date_of_birth used to win silently (every child "unborn")
    lines = FILES["children.csv"].splitlines()
    (team / "children.csv").write_text("\n".join([lines[0] + ",DATE_OF_BIRTH", *(line + "," for line in lines[1:])])
                                       + "\n", encoding="utf-8")
    p = only_error(team)
    assert where(p) == ("children.csv", 1, "date_of_birth")
    assert "'date_of_birth' (column H) and 'DATE_OF_BIRTH' (column S)" in p.message


@pytest.mark.parametrize("twin", ["Worker ID", "worker-id", "WORKER_ID"])
def test_duplicate_columns_compare_ignoring_case_spaces_and_hyphens(team: Path, twin: str) -> None:
    lines = FILES["absences.csv"].splitlines()
    (team / "absences.csv").write_text(f"{lines[0]},{twin}\n{lines[1]},W2\n")
    assert where(only_error(team)) == ("absences.csv", 1, "worker_id")


def test_misspelled_optional_column_is_a_warning_with_the_right_name(team: Path) -> None:
    # allocated_worker_i made every child unallocated without a word
    _header(team, "children.csv", FILES["children.csv"].splitlines()[0].replace("allocated_worker_id",
                                                                               "allocated_worker_i"))
    (w,) = warnings_of(team)
    assert str(w) == ("children.csv:1: allocated_worker_i: is not a column rota reads, so it is ignored; "
                      "did you mean allocated_worker_id? (expected the column name allocated_worker_id)")


def test_other_extra_columns_are_silently_ignored(team: Path) -> None:
    lines = FILES["visits.csv"].splitlines()
    (team / "visits.csv").write_text("\n".join([lines[0] + ",Notes", *(line + ",x" for line in lines[1:])]) + "\n")
    assert warnings_of(team) == []


def test_cli_prints_the_header_warning_and_exits_0(team: Path) -> None:
    _header(team, "children.csv", FILES["children.csv"].splitlines()[0].replace("household_id", "household"))
    result = rota("check", str(team), "--on", ON.isoformat())
    assert result.exit_code == 0
    assert "warning: children.csv:1: household: is not a column rota reads" in result.output
    assert "did you mean household_id?" in result.output


def test_lat_may_not_be_dropped_alone(team: Path) -> None:
    lines = [",".join(c for i, c in enumerate(line.split(",")) if i != 3)  # column 3 is lat
             for line in FILES["children.csv"].splitlines()]
    (team / "children.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert [str(p) for p in errors(team)] == ["children.csv: missing column 'lat'"]


def _xlsx(path: Path, rows: list[list[object]]) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)


def test_xlsx_headers_match_the_same_way_and_duplicates_are_refused(team: Path) -> None:
    (team / "visits.csv").unlink()
    _xlsx(team / "visits.xlsx", [["Child ID", "Date", "Worker ID", "Seen Alone", "Bedroom Seen"],
                                 ["C1", "2026-11-20", "W1", True, False]])
    assert load_team(team, ON).visits[0].seen_alone is True
    _xlsx(team / "visits.xlsx", [["Child ID", "Date", "Worker ID", "Seen Alone", "Bedroom Seen", "child_id"],
                                 ["C1", "2026-11-20", "W1", True, False, "C2"]])
    assert where(only_error(team)) == ("visits.xlsx", 1, "child_id")


def test_xlsx_cell_beyond_the_header_is_a_long_row(team: Path) -> None:
    (team / "visits.csv").unlink()
    _xlsx(team / "visits.xlsx", [["child_id", "date", "worker_id", "seen_alone", "bedroom_seen"],
                                 ["C1", "2026-11-20", "W1", "yes", "no"],
                                 ["C1", "2026-11-21", "W1", "yes", None, None, "stray"]])
    p = only_error(team)
    assert where(p) == ("visits.xlsx", 3, "bedroom_seen") and "after the last column" in p.message


def test_a_semicolon_separated_file_is_one_clear_error(team: Path) -> None:
    # European Excel's "CSV" separates cells with ';': before, one "missing column" error per column
    (team / "children.csv").write_text(FILES["children.csv"].replace(",", ";"), encoding="utf-8")
    p = only_error(team)
    assert where(p) == ("children.csv", 1, None)
    assert p.message == ("the file seems to use ';' between columns, not commas; expected comma-separated CSV "
                         "(in Excel: Save As 'CSV UTF-8 (Comma delimited)')")
