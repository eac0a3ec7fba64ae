"""rota.xlsx: Team, Breaches and a sheet per worker named after them; prints one page wide,
landscape, header rows repeated; real dates/times; sanitised text, never a formula."""
from __future__ import annotations

import dataclasses
from datetime import datetime, time, timedelta

from openpyxl import load_workbook

from scheduler.outputs.xlsx import sheet_title, write_xlsx

SHEETS = ["Team", "Breaches", "W1 Sam Porter", "W2 Jo Reeve", "W3 Kit Lane"]


def _load(tmp_path, result, team, **kw):
    path = write_xlsx(tmp_path / "rota.xlsx", result, team, **kw)
    return load_workbook(path)


def test_sheets_named_after_workers(tmp_path, result, team):
    assert _load(tmp_path, result, team).sheetnames == SHEETS


def test_print_setup_on_every_sheet(tmp_path, result, team):
    wb = _load(tmp_path, result, team)
    for ws in wb:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True, ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, ws.title  # one page wide
        assert ws.print_title_rows == "$1:$1", ws.title  # header row on every page
        assert ws.freeze_panes == "A2", ws.title
        # the plan's dates in the page header (24 Mar - 4 Apr 2025)
        assert ws.oddHeader.center.text == "Rota Mon 24 Mar 2025 to Fri 4 Apr 2025", ws.title
        assert "Page &P of &N" in ws.oddFooter.right.text
        assert ws.oddFooter.left.text.startswith("whole plan proven optimal; verified")


def test_column_widths_fit(tmp_path, result, team):
    ws = _load(tmp_path, result, team)["W1 Sam Porter"]
    assert ws.column_dimensions["A"].width >= 10  # a date
    assert ws.column_dimensions["G"].width >= len("Children") + 2
    assert all(ws.column_dimensions[c].width <= 60 for c in "ABCDEFGHIJKLM")


def test_worker_sheet_rows_dates_and_times(tmp_path, result, team):
    ws = _load(tmp_path, result, team)["W1 Sam Porter"]
    header = [c.value for c in ws[1]]
    assert header[:5] == ["Date", "Day", "Start", "End", "Activity"] and header[-1] == "Cover reason"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4  # W1 has four activities
    first = rows[0]
    assert first[0] == datetime(2025, 3, 24) and first[2] == time(9, 30) and first[3] == time(10, 30)
    assert first[4:11] == ("Visit", "H1", "C1 C2", "C1", "C1 C2", 12, "no")
    assert [r[0].date() for r in rows] == sorted(r[0].date() for r in rows)
    assert ws["A2"].number_format == "dd/mm/yyyy" and ws["C2"].number_format == "hh:mm"


def test_cover_reason_on_cover_rows(tmp_path, result, team):
    result.activities[5] = dataclasses.replace(result.activities[5], cover_reason="W1 at capacity on 29 Mar")
    ws = _load(tmp_path, result, team)["W2 Jo Reeve"]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True)]
    covers = [(r[10], r[12]) for r in rows if r[10] == "yes"]
    assert covers == [("yes", "W1 at capacity on 29 Mar"),
                      ("yes", "not the allocated worker (no reason recorded by the planner)")]
    assert all(r[12] is None for r in rows if r[10] == "no")


def test_team_sheet_one_row_per_worker_per_day(tmp_path, result, team):
    ws = _load(tmp_path, result, team)["Team"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    # 10 weekdays 24 Mar - 4 Apr plus Sat 29 Mar (W2 works it), x 3 workers
    assert len(rows) == 11 * 3
    monday_w1 = next(r for r in rows if r[0] == datetime(2025, 3, 24) and r[2] == "W1")
    # two visits 09:30-10:30 and 11:00-12:00: 2 hours, 12 + 20 min travel
    assert monday_w1[3:10] == ("Sam Porter", 2, 2, 0, timedelta(hours=2), 32, 0)
    assert monday_w1[10] == "09:30 Visit H1 (C1 C2)\n11:00 Visit H2 (C3)"
    assert ws["H2"].number_format == "[h]:mm"
    leave = next(r for r in rows if r[0] == datetime(2025, 4, 3) and r[2] == "W1")
    assert leave[4] == 0 and leave[11] == "leave"
    saturday = [r for r in rows if r[0] == datetime(2025, 3, 29)]
    assert [(r[2], r[4], r[11]) for r in saturday] == [("W1", 0, "not working"), ("W2", 1, None),
                                                       ("W3", 0, "not working")]


def test_breaches_sheet(tmp_path, result, team):
    first, second = result.breaches
    ws = _load(tmp_path, result, team, signoffs={second.breach_id: "signed off by Pat on 2025-03-20"})["Breaches"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {first.breach_id, second.breach_id}
    row = rows[second.breach_id]  # severity 9 sorts first
    assert next(iter(ws.iter_rows(min_row=2, values_only=True)))[0] == second.breach_id
    assert row[1:4] == ("C4", "cp_review", datetime(2025, 4, 2))
    assert row[4] is None  # no planned date
    assert row[8] == "within the plan"
    assert row[-1] == "signed off by Pat on 2025-03-20"
    assert rows[first.breach_id][-1] == "not signed off"
    assert ws["D2"].number_format == "dd/mm/yyyy"
    assert "Severity" in ws["G1"].comment.text and "Days late" in ws["F1"].comment.text


def test_no_child_names_ever(tmp_path, result, team):
    wb = _load(tmp_path, result, team)
    cells = " ".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row)
    assert not [s for c in team.children for s in (c.name, c.address, c.postcode) if s in cells]


def test_sheet_title_rules():
    taken = {"team", "breaches"}
    assert sheet_title("a/b:c", taken) == "a_b_c"
    assert sheet_title("Breaches", taken) == "Breaches~2"
    long = "x" * 40
    assert sheet_title(long, taken) == "x" * 31
    assert sheet_title(long, taken) == "x" * 29 + "~2"
    assert sheet_title("W02 [lead]*?\\x\x00\x0b", taken) == "W02 _lead___\\x__".replace("\\", "_")
    assert sheet_title("'quoted'", taken) == "quoted"


def test_hostile_text_stays_text(tmp_path, result, team):
    """A formula stays text; NUL and vertical tab (which openpyxl refuses) are replaced; long
    worker names are cut to Excel's 31 characters."""
    result.breaches[0] = dataclasses.replace(result.breaches[0], reason='=HYPERLINK("http://x","y")')
    workers = list(team.workers)
    workers[0] = dataclasses.replace(workers[0], name="Sam\x00 Porter\x0b with a very long name indeed")
    result.activities[0] = dataclasses.replace(result.activities[0], household_id="H1\x00")
    wb = _load(tmp_path, result, dataclasses.replace(team, workers=tuple(workers)))
    ws = wb["Breaches"]
    cell = next(c for row in ws.iter_rows(min_row=2) for c in row if c.value == '=HYPERLINK("http://x","y")')
    assert cell.data_type == "s"
    title = wb.sheetnames[2]
    assert len(title) == 31 and title.startswith("W1 Sam_ Porter_")
    assert wb[title]["F2"].value == "H1\ufffd"


def test_hours_are_durations(tmp_path, result, team):
    ws = _load(tmp_path, result, team)["Team"]
    tuesday_w2 = next(r for r in ws.iter_rows(min_row=2, values_only=True)
                      if r[0] == datetime(2025, 4, 1) and r[2] == "W2")
    assert tuesday_w2[7] == timedelta(hours=2)  # 13:00-14:00 and 15:00-16:00
