""".xlsx rows as read by pandas: spreadsheet row numbers, cells as the text a CSV would hold,
trailing blanks dropped; error cells (#N/A) keep their text (read with openpyxl) and are reported."""
from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest

from scheduler.inputs.reading import read_xlsx_records
from tests.inputs.helpers import FILES, assert_private, make_team, only_error, where


def _book(path: Path, cells: dict[str, object]) -> Path:
    wb = openpyxl.Workbook()
    for ref, value in cells.items():
        wb.active[ref] = value
    wb.create_sheet("second").append(["never", "read"])
    wb.save(path)
    return path


def test_row_numbers_count_leading_blank_rows_and_gaps(tmp_path: Path) -> None:
    # header in row 3 (rows 1-2 blank), data in row 5 (row 4 blank), starting in column B
    book = _book(tmp_path / "t.xlsx", {"B3": "child_id", "C3": "date", "B5": "C1", "C5": date(2026, 11, 20)})
    records = list(read_xlsx_records(book))
    assert records == [(1, []), (2, []), (3, ["", "child_id", "date"]), (4, []), (5, ["", "C1", "2026-11-20"])]


def test_typed_cells_as_text_and_text_kept_as_written(tmp_path: Path) -> None:
    book = _book(tmp_path / "t.xlsx", {
        "A1": True, "B1": 4.0, "C1": 2.5, "D1": datetime(2026, 11, 20, 0, 0), "E1": datetime(2026, 11, 20, 9, 30),
        "F1": time(9, 30), "G1": "007", "H1": "NA", "I1": "nan", "J1": "  x  ", "K1": " ", "L1": None,
    })
    # "NA"/"nan" are text, not missing values (keep_default_na=False); "007" is not a number (dtype=object)
    assert list(read_xlsx_records(book)) == [
        (1, ["yes", "4", "2.5", "2026-11-20", "2026-11-20 09:30:00", "09:30", "007", "NA", "nan", "  x  "])]


def test_error_cells_keep_their_text(tmp_path: Path) -> None:
    # pandas reads error cells as NaN; their text comes from openpyxl so they are never blank
    book = _book(tmp_path / "t.xlsx", {"A1": "child_id", "B1": "date", "A2": "C1", "B2": "#N/A", "C4": "#DIV/0!"})
    assert list(read_xlsx_records(book)) == [(1, ["child_id", "date"]), (2, ["C1", "#N/A"]), (3, []),
                                             (4, ["", "", "#DIV/0!"])]


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return make_team(tmp_path / "team")


def test_an_error_cell_is_reported_on_its_row(team: Path) -> None:
    (team / "visits.csv").unlink()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["child_id", "date", "worker_id", "seen_alone", "bedroom_seen"])
    ws.append(["C1", "2026-11-20", "W1", "yes", "no"])
    ws.append(["C1", "#N/A", "W1", "yes", "no"])  # a lookup formula that found nothing
    wb.save(team / "visits.xlsx")
    p = only_error(team)
    assert where(p) == ("visits.xlsx", 3, "date") and "not a date" in p.message  # reported, never read as blank


def test_a_formula_without_a_saved_value_is_an_error_not_a_blank(team: Path) -> None:
    # openpyxl saves formulas without calculating them, as scripts and some exporters do: read with
    # the saved values the cell is blank, which would silently make C2 (row 3) unallocated
    (team / "children.csv").unlink()
    rows = [line.split(",") for line in FILES["children.csv"].splitlines()]
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    col = rows[0].index("allocated_worker_id") + 1
    ws.cell(row=3, column=col, value="=B2")
    ws.cell(row=4, column=col, value="W1")  # plain values and a formula's neighbours are read as ever
    wb.save(team / "children.xlsx")
    p = only_error(team)
    assert where(p) == ("children.xlsx", 3, "allocated_worker_id")
    assert p.message == ("is a formula without a saved value (it reads as blank): open the file in Excel and save "
                         "it, or paste values; expected the value itself")
    assert_private(str(p))


def test_a_formula_with_its_saved_value_is_read_as_that_value(tmp_path: Path) -> None:
    # a formula whose value Excel saved (here written into the file as Excel would) is not an error
    from scheduler.inputs.reading import formulas_without_values

    book = _book(tmp_path / "t.xlsx", {"A1": "child_id", "B1": "n", "A2": "C1", "B2": "=1+1"})
    assert formulas_without_values(book, [(1, ["child_id", "n"]), (2, ["C1", "2"])]) == []
    assert formulas_without_values(book, [(1, ["child_id", "n"]), (2, ["C1", ""])]) == [(2, 1)]
