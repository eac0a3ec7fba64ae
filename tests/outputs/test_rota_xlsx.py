"""rota.xlsx: a sheet per worker plus Breaches, real dates/times, sensible widths."""
from __future__ import annotations

from datetime import datetime, time

from openpyxl import load_workbook

from scheduler.outputs.xlsx import sheet_title, write_xlsx


def _load(tmp_path, result, team, **kw):
    path = write_xlsx(tmp_path / "rota.xlsx", result, team, **kw)
    return load_workbook(path)


def test_sheets(tmp_path, result, team):
    wb = _load(tmp_path, result, team)
    assert wb.sheetnames == ["W1", "W2", "W3", "Breaches"]


def test_worker_sheet_rows_dates_and_times(tmp_path, result, team):
    ws = _load(tmp_path, result, team)["W1"]
    header = [c.value for c in ws[1]]
    assert header[:5] == ["Date", "Day", "Start", "End", "Activity"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4  # W1 has four activities
    first = rows[0]
    assert first[0] == datetime(2025, 3, 24) and first[2] == time(9, 30) and first[3] == time(10, 30)
    assert first[4:11] == ("Visit", "H1", "C1 C2", "C1", "C1 C2", 12, "no")
    assert [r[0].date() for r in rows] == sorted(r[0].date() for r in rows)
    assert ws["A2"].number_format == "dd/mm/yyyy" and ws["C2"].number_format == "hh:mm"
    assert ws.freeze_panes == "A2"
    # widths fit the content: the Children column is wider than the narrow Day column
    assert ws.column_dimensions["A"].width >= 10
    assert ws.column_dimensions["G"].width >= len("Children") + 2


def test_empty_worker_sheet_has_header_only(tmp_path, result, team):
    ws = _load(tmp_path, result, team)["W3"]
    assert ws.max_row == 1 and ws["A1"].value == "Date"


def test_breaches_sheet(tmp_path, result, team):
    first, second = result.breaches
    ws = _load(tmp_path, result, team, signoffs={second.breach_id: "signed off by Pat on 2025-03-20"})["Breaches"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {first.breach_id, second.breach_id}
    row = rows[second.breach_id]  # severity 9 sorts first
    assert next(iter(ws.iter_rows(min_row=2, values_only=True)))[0] == second.breach_id
    assert row[1:4] == ("C4", "cp_review", datetime(2025, 4, 2))
    assert row[4] is None  # no planned date
    assert row[-1] == "signed off by Pat on 2025-03-20"
    assert rows[first.breach_id][-1] == "not signed off"
    assert ws["D2"].number_format == "dd/mm/yyyy"


def test_names_opt_in(tmp_path, result, team):
    def cells(wb):
        return " ".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row)

    assert "Zebedee" not in cells(_load(tmp_path, result, team))
    opted = _load(tmp_path, result, team, show_child_names=True)
    assert opted["W1"]["L1"].value == "Location" and opted["W1"]["L2"].value == "home"
    assert opted["W1"]["M1"].value == "Child names"
    assert opted["W1"]["M2"].value == "C1 (Alice Zebedee), C2 (Bobby Zebedee)"


def test_sheet_title_rules():
    taken = {"breaches"}
    assert sheet_title("a/b:c", taken) == "a_b_c"
    assert sheet_title("Breaches", taken) == "Breaches~2"
    long = "x" * 40
    assert sheet_title(long, taken) == "x" * 31
    assert sheet_title(long, taken) == "x" * 29 + "~2"


def test_text_starting_with_equals_stays_text(tmp_path, result, team):
    import dataclasses
    result.breaches[0] = dataclasses.replace(result.breaches[0], reason='=HYPERLINK("http://x","y")')
    path = write_xlsx(tmp_path / "rota.xlsx", result, team)
    ws = load_workbook(path)["Breaches"]
    cell = next(c for row in ws.iter_rows(min_row=2) for c in row if c.value == '=HYPERLINK("http://x","y")')
    assert cell.data_type == "s"
