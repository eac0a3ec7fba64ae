"""Good team folders load into the expected domain objects (CSV and .xlsx alike)."""
from __future__ import annotations

import csv
import re
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest

from scheduler.domain import Team
from scheduler.loading import check_summary, load_team, load_team_with_warnings

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
C3,cic,2025-01-10,51.6,-1.7,,W1,2012-02-02,foster,2025-01-10,yes,2025-02-07,,,non-verbal,Cal Example,2 Test Road,SN2 2BB
C4,care_leaver,2024-03-03,51.52,-1.75,,W2,2006-03-03,,,,,,,,Dee Example,3 Test Lane,SN3 3CC
C5,cin,2026-09-14,51.53,-1.76,,,,,,,,2026-10-30,,,,,
""",
    "visits.csv": """\
child_id,date,worker_id,seen_alone,bedroom_seen
C1,2026-11-20,W1,yes,yes
C2,2026-11-20,W1,no,no
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


def write_folder(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def without_source(team: Team) -> Team:
    return replace(team, source="")


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "team", FILES)


def test_good_folder_loads_into_expected_objects(good: Path) -> None:
    team = load_team(good, ON)
    assert [w.worker_id for w in team.workers] == ["W1", "W2"]
    w2 = team.worker("W2")
    assert (w2.role, w2.qualified, w2.working_days, w2.day_start, w2.day_end, w2.max_visits_per_day) == \
        ("personal_adviser", False, (0, 1, 3), time(8, 30), time(16, 30), 3)
    assert (w2.base_lat, w2.base_lon) == (51.56, -1.78)
    c1, c3, c5 = team.child("C1"), team.child("C3"), team.child("C5")
    assert (c1.status, c1.status_start_date, c1.household_id, c1.allocated_worker_id, c1.cp_category) == \
        ("cp", date(2026, 10, 1), "H1", "W1", "neglect")
    assert c1.date_of_birth == date(2015, 5, 5) and c1.name == "Ann Example" and c1.postcode == "SN1 1AA"
    assert (c3.placement_type, c3.placement_start_date, c3.placement_long_term, c3.first_review_date,
            c3.seen_alone_exempt) == ("foster", date(2025, 1, 10), True, date(2025, 2, 7), "non-verbal")
    assert c5.allocated_worker_id is None and c5.date_of_birth is None  # blank = unallocated, unborn
    assert c5.assessment_completed_date == date(2026, 10, 30) and c5.name is None
    assert team.visits[1].child_id == "C2" and team.visits[1].seen_alone is False
    assert team.visits[0].bedroom_seen is True and team.visits[0].date == date(2026, 11, 20)
    assert [(m.meeting_type, m.status) for m in team.meetings] == \
        [("icpc", "held"), ("core_group", "held"), ("cic_review", "booked")]
    assert team.absences[0].end_date == date(2026, 12, 24) and team.absences[0].kind == "leave"
    assert team.source == str(good)


def test_defaults_for_blank_optional_cells_and_missing_optional_columns(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, {
        "workers.csv": "worker_id,name,role,base_lat,base_lon\nW1,A,social_worker,51.5,-1.7\n",
        "children.csv": "child_id,status,status_start_date,lat,lon,household_id,qualified\n"
                        "C1,cin,2026-01-05,51.5,-1.7,,\n",
    })
    team = load_team(folder, ON)
    w = team.workers[0]
    assert (w.qualified, w.working_days, w.day_start, w.day_end, w.max_visits_per_day) == \
        (True, (0, 1, 2, 3, 4), time(9, 0), time(17, 0), 4)
    c = team.children[0]
    assert c.household_id == "C1"  # blank household_id = the child's own id
    assert (c.allocated_worker_id, c.date_of_birth, c.placement_type, c.placement_long_term,
            c.seen_alone_exempt, c.cp_category) == (None, None, None, False, None, None)
    assert team.visits == () and team.meetings == () and team.absences == ()  # optional files absent


def test_blank_optional_worker_cells_take_defaults(good: Path) -> None:
    text = (good / "workers.csv").read_text().replace("yes,Mon Tue Wed Thu Fri,09:00,17:00,4", ",,,,")
    (good / "workers.csv").write_text(text)
    w = load_team(good, ON).worker("W1")
    assert (w.qualified, w.working_days, w.day_start, w.day_end, w.max_visits_per_day) == \
        (True, (0, 1, 2, 3, 4), time(9, 0), time(17, 0), 4)


def test_uk_dates_give_the_same_team(good: Path, tmp_path: Path) -> None:
    uk = {name: re.sub(r"(\d{4})-(\d{2})-(\d{2})", r"\3/\2/\1", text) for name, text in FILES.items()}
    assert "30/11/" not in FILES["children.csv"] and "01/10/2026" in uk["children.csv"]
    other = write_folder(tmp_path / "uk", uk)
    assert without_source(load_team(other, ON)) == without_source(load_team(good, ON))


def test_day_and_month_without_leading_zeros(tmp_path: Path) -> None:
    files = dict(FILES)
    files["absences.csv"] = "worker_id,start_date,end_date,kind\nW1,1/12/2026,2026-12-4,leave\n"
    team = load_team(write_folder(tmp_path, files), ON)
    assert (team.absences[0].start_date, team.absences[0].end_date) == (date(2026, 12, 1), date(2026, 12, 4))


def test_extra_columns_column_order_and_header_case_are_ignored(good: Path, tmp_path: Path) -> None:
    rows = list(csv.reader(FILES["visits.csv"].splitlines()))
    shuffled = [["Notes"] + [f" {h.upper()} " for h in reversed(rows[0])]] + \
        [[f"note {i}"] + list(reversed(r)) for i, r in enumerate(rows[1:])]
    files = dict(FILES)
    files["visits.csv"] = "\n".join(",".join(r) for r in shuffled) + "\n"
    # a notes column of their own, with a cell on every row (blank or not)
    lines = FILES["children.csv"].splitlines()
    files["children.csv"] = "\n".join([lines[0] + ",social_care_notes", lines[1] + ",see file",
                                       *(line + "," for line in lines[2:])]) + "\n"
    other = write_folder(tmp_path / "extra", files)
    assert without_source(load_team(other, ON)) == without_source(load_team(good, ON))


def test_codes_and_yes_no_are_case_insensitive_and_trimmed(good: Path) -> None:
    text = (good / "children.csv").read_text().replace("C1,cp,", "C1, CP ,").replace(",yes,", ",Yes,")
    (good / "children.csv").write_text(text)
    team = load_team(good, ON)
    assert team.child("C1").status == "cp" and team.child("C3").placement_long_term is True


def test_utf8_bom_and_blank_rows_are_accepted(good: Path) -> None:
    text = FILES["visits.csv"].replace("C2,", "\n,,,,\nC2,")
    (good / "visits.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    team = load_team(good, ON)
    assert [v.child_id for v in team.visits] == ["C1", "C2", "C3"]


def test_non_ascii_names_in_utf8_load(good: Path) -> None:
    text = FILES["children.csv"].replace("Ann Example", "Zoë Ní Bhriain")
    (good / "children.csv").write_text(text, encoding="utf-8")
    assert load_team(good, ON).child("C1").name == "Zoë Ní Bhriain"


def _typed(text: str) -> object:
    """A CSV cell as Excel would store it: dates, times and numbers as typed cells."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return datetime.fromisoformat(text)
    if re.fullmatch(r"\d{2}:\d{2}", text):
        return time.fromisoformat(text)
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    return text or None


def write_xlsx(csv_path: Path, xlsx_path: Path, typed: bool = True) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for i, row in enumerate(csv.reader(csv_path.read_text(encoding="utf-8").splitlines())):
        ws.append(row if i == 0 or not typed else [_typed(c) for c in row])
    wb.create_sheet("ignored").append(["not", "read"])
    wb.save(xlsx_path)


def test_xlsx_copy_gives_the_same_team(good: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "xlsx"
    xlsx.mkdir()
    for name in FILES:
        write_xlsx(good / name, xlsx / name.replace(".csv", ".xlsx"))
    team = load_team(xlsx, ON)
    assert without_source(team) == without_source(load_team(good, ON))
    assert team.worker("W2").day_start == time(8, 30)


def test_xlsx_with_text_cells_and_excel_booleans(good: Path) -> None:
    (good / "visits.csv").unlink()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["child_id", "date", "worker_id", "seen_alone", "bedroom_seen"])
    ws.append(["C1", "20/11/2026", "W1", True, False])  # a UK date typed as text; Excel TRUE/FALSE
    wb.save(good / "visits.xlsx")
    (visit,) = load_team(good, ON).visits
    assert (visit.date, visit.seen_alone, visit.bedroom_seen) == (date(2026, 11, 20), True, False)


def test_csv_and_xlsx_can_be_mixed_across_files(good: Path) -> None:
    write_xlsx(good / "meetings.csv", good / "meetings.xlsx")
    (good / "meetings.csv").unlink()
    assert len(load_team(good, ON).meetings) == 3


def test_good_folder_has_no_warnings(good: Path) -> None:
    assert load_team_with_warnings(good, ON)[1] == []


def test_a_missing_history_file_is_one_warning_not_silence(good: Path) -> None:
    # without visits.csv every visit requirement counts as never met (the stricter reading): the
    # plan would see every child at once, which is right only if nothing was ever recorded - said
    # once, for the file, without naming anyone
    (good / "visits.csv").unlink()
    (good / "meetings.csv").write_text("child_id,meeting_type,date,status\n", encoding="utf-8")
    warnings = load_team_with_warnings(good, ON)[1]
    assert [(w.file, w.row) for w in warnings] == [("visits.csv", None), ("meetings.csv", None)]
    assert all("is on record for any child (the file is missing or empty)" in w.message for w in warnings)


def test_check_summary_counts_without_personal_details(good: Path) -> None:
    summary = check_summary(load_team(good, ON))
    assert "workers: 2 (1 social_worker, 1 personal_adviser)" in summary
    assert "children: 5 (1 cin, 2 cp, 1 cic, 1 care_leaver); 4 households; 1 unallocated" in summary
    assert "visits: 3" in summary and "meetings: 3 (1 booked)" in summary and "absences: 1" in summary
    assert "Example" not in summary and "Test Street" not in summary


def test_cic_child_without_placement_type_is_warned(good: Path) -> None:
    children = good / "children.csv"
    lines = children.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if ",cic," in line)
    cells = lines[row].split(",")
    cells[lines[0].split(",").index("placement_type")] = ""
    lines[row] = ",".join(cells)
    children.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, warnings = load_team_with_warnings(good, ON)
    assert [(w.row, w.column) for w in warnings] == [(row + 1, "placement_type")]
    assert str(warnings[0]).startswith(f"children.csv:{row + 1}: placement_type: ")
    assert "strictest looked-after visit rules of the standard apply" in str(warnings[0])


def test_booked_meeting_at_a_weekend_is_warned(good: Path) -> None:
    meetings = good / "meetings.csv"
    # Sat 12 Dec 2026
    meetings.write_text(meetings.read_text(encoding="utf-8") + "C1,core_group,2026-12-12,booked\n",
                        encoding="utf-8")
    _, warnings = load_team_with_warnings(good, ON)
    assert [(w.file, w.column) for w in warnings] == [("meetings.csv", "date")]
    assert "Saturday" in str(warnings[0])
