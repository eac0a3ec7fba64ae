"""Issue 9's findings, each with its input, on a copy of the demo team: what `rota check` used to
accept and then crash on (or silently change the meaning of) is now refused, warned about, or
handled by what comes after."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.inputs.helpers import rota, rows_of, set_cell, write_rows

DEMO = Path(__file__).resolve().parents[2] / "inputs" / "demo"
ON = "2026-11-23"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DEMO, tmp_path / "demo"))


def row_of(folder: Path, file: str, column: str, value: str) -> int:
    rows = rows_of(folder, file)
    return next(i for i, r in enumerate(rows) if r[rows[0].index(column)] == value) + 1


def check(folder: Path) -> tuple[int, list[str]]:
    result = rota("check", str(folder), "--on", ON)
    return result.exit_code, result.output.splitlines()


def first_cic(folder: Path) -> int:
    return row_of(folder, "children.csv", "status", "cic")


# ---------------------------------------------------------------- accepted, then a traceback

@pytest.mark.parametrize("column", ["status_start_date", "assessment_completed_date", "placement_start_date"])
def test_9999_12_31_is_refused_not_an_overflow(demo: Path, column: str) -> None:
    row = first_cic(demo)
    set_cell(demo, "children.csv", row, column, "9999-12-31")
    code, lines = check(demo)
    assert code == 2
    assert lines[0].startswith(f"children.csv:{row}: {column}: '9999-12-31' has the year 9999, which looks like "
                               "a 'no date' placeholder")


def test_nul_in_a_household_id_is_refused(demo: Path) -> None:
    set_cell(demo, "children.csv", 3, "household_id", "H\x00002")
    code, lines = check(demo)
    assert code == 2 and lines[0].startswith("children.csv:3: household_id: the value contains a control")


def test_newline_in_a_worker_id_is_refused(demo: Path) -> None:
    # it ended in an icalendar assertion (or, optimised, an injected ATTENDEE line)
    set_cell(demo, "workers.csv", 3, "worker_id", "W02\nATTENDEE:mailto:x@evil.test")
    code, lines = check(demo)
    assert code == 2 and lines[0].startswith("workers.csv:3: worker_id: the value contains a control")
    assert not any("evil" in line for line in lines)


def test_worker_id_of_260_characters_is_refused(demo: Path) -> None:
    set_cell(demo, "workers.csv", 3, "worker_id", "W" * 260)
    code, lines = check(demo)
    assert code == 2 and lines[0].startswith("workers.csv:3: worker_id: the value is 260 characters long")


def test_child_id_with_markup_is_accepted_and_shown_as_written_by_due(demo: Path) -> None:
    # C[/]1 raised rich.errors.MarkupError in rota due; it is a valid id (printable, short)
    for file in ("children.csv", "visits.csv", "meetings.csv"):
        rows = rows_of(demo, file)
        write_rows(demo, file, [[("C[/]1" if cell == "C001" else cell) for cell in r] for r in rows])
    assert check(demo)[0] == 0
    result = rota("due", str(demo), "--standard", "swindon", "--on", ON)
    assert result.exit_code == 0 and "│ C[/]1" in result.output


# ---------------------------------------------------------------- accepted silently, meaning changed

def test_last_row_cut_short_is_refused(demo: Path) -> None:
    # cutting the last row of children.csv part-way made its child "unborn", unallocated or moved
    text = (demo / "children.csv").read_text(encoding="utf-8")
    last = text.rstrip("\n").rsplit("\n", 1)[1]
    (demo / "children.csv").write_text(text[: len(text) - len(last) - 1 + len(last) // 2], encoding="utf-8")
    code, lines = check(demo)
    assert code == 2 and lines[0].startswith("children.csv:136: ") and "have no cell: " in lines[0]


def test_blank_duplicate_column_is_refused(demo: Path) -> None:
    rows = rows_of(demo, "children.csv")
    write_rows(demo, "children.csv", [rows[0] + ["DATE_OF_BIRTH"]] + [r + [""] for r in rows[1:]])
    code, lines = check(demo)
    assert code == 2 and lines[0].startswith("children.csv:1: date_of_birth: is given 2 times, as "
                                             "'date_of_birth' (column H) and 'DATE_OF_BIRTH' (column U)")


def test_misspelled_allocated_worker_header_is_warned(demo: Path) -> None:
    rows = rows_of(demo, "children.csv")
    rows[0][rows[0].index("allocated_worker_id")] = "allocated_worker_i"
    write_rows(demo, "children.csv", rows)
    code, lines = check(demo)
    assert code == 0
    assert "warning: children.csv:1: allocated_worker_i: is not a column rota reads, so it is ignored; did you " \
           "mean allocated_worker_id? (expected the column name allocated_worker_id)" in lines


def test_household_at_two_places_is_refused(demo: Path) -> None:
    # C004 and C005 share H004 (rows 5 and 6)
    set_cell(demo, "children.csv", 6, "lat", "51.6")
    code, lines = check(demo)
    assert code == 2 and lines[0].startswith("children.csv:6: lat: the child lives in household 'H004' with the "
                                             "child on row 5, but at a different place")


@pytest.mark.parametrize("value, what, code", [("0001-01-01", "has the year 1, outside 1900-2100", 2),
                                               ("9999-12-31", "looks like a 'no date' placeholder", 2),
                                               ("1900-01-01", "is in 1900, a year spreadsheets and case systems "
                                                              "use as a 'no date' placeholder", 0)])
def test_dates_in_years_0001_1900_9999(demo: Path, value: str, what: str, code: int) -> None:
    set_cell(demo, "children.csv", 2, "status_start_date", value)
    exit_code, lines = check(demo)
    assert exit_code == code and any(line.startswith(("children.csv:2: status_start_date: ",
                                                      "warning: children.csv:2: status_start_date: "))
                                     and what in line for line in lines), lines


@pytest.mark.parametrize("value", ["٢٠٢٦-٠٧-٢١", "２０２６-０７-２１"])
def test_arabic_indic_and_full_width_digits_are_refused(demo: Path, value: str) -> None:
    set_cell(demo, "children.csv", 2, "status_start_date", value)
    code, lines = check(demo)
    assert code == 2 and lines[0] == (
        "children.csv:2: status_start_date: the value contains digits that are not the ASCII digits 0-9 (e.g. "
        "Arabic-Indic or full-width digits); expected a date as YYYY-MM-DD (2026-11-30) or DD/MM/YYYY (30/11/2026)")


def test_formula_in_seen_alone_exempt_is_refused(demo: Path) -> None:
    # any text exempted a child, '@SUM(1)' included
    set_cell(demo, "children.csv", 2, "seen_alone_exempt", "@SUM(1)")
    code, lines = check(demo)
    assert code == 2 and lines[0].startswith("children.csv:2: seen_alone_exempt: the value starts with '@'")
