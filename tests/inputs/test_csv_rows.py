"""Reading rows: every problem names its row (and the cell's column); nothing is padded or cut."""
from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.loading import load_team
from tests.inputs.helpers import FILES, ON, assert_private, errors, make_team, only_error, rota, where


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return make_team(tmp_path / "team")


def test_unclosed_quote_names_its_row_and_column(team: Path) -> None:
    # row 4 (C3): the quote opened in the status cell is never closed, so the rest of the file runs into it
    (team / "children.csv").write_text(FILES["children.csv"].replace("C3,cic,", 'C3,"cic,'), encoding="utf-8")
    p = only_error(team)
    assert where(p) == ("children.csv", 4, "status")
    assert "never closed" in p.message and "closing quote" in p.message
    assert_private(str(p))


def test_text_after_a_closing_quote_names_row_and_column(team: Path) -> None:
    (team / "visits.csv").write_text(FILES["visits.csv"].replace("C2,2026-11-20,W1", 'C2,"2026-11-20"x,W1'))
    p = only_error(team)
    assert where(p) == ("visits.csv", 3, "date")
    assert "after its closing double quote" in p.message


def test_quoted_cells_across_lines_keep_spreadsheet_rows(team: Path) -> None:
    # a legitimate multi-line address on row 2 makes row 3 start on line 4 of the file;
    # then row 4 (C3) has an unclosed quote in its status cell: row 4, line 5
    text = FILES["children.csv"].replace("1 Test Street,SN1 1AA\nC2", '"1 Test\nStreet",SN1 1AA\nC2', 1)
    (team / "children.csv").write_text(text.replace("C3,cic,", 'C3,"cic,'), encoding="utf-8")
    p = only_error(team)
    assert where(p) == ("children.csv", 4, "status") and "line 5 of the file" in p.message


def test_quoted_multi_line_cell_is_read(team: Path) -> None:
    text = FILES["children.csv"].replace("1 Test Street,SN1 1AA\nC2", '"1 Test\nStreet",SN1 1AA\nC2', 1)
    (team / "children.csv").write_text(text, encoding="utf-8")
    assert load_team(team, ON).child("C1").address == "1 Test\nStreet"


def test_short_row_is_an_error_naming_the_missing_columns(team: Path) -> None:
    # the last row cut after its date of birth: 8 of 18 cells; before, the blanks meant "no placement" etc.
    lines = FILES["children.csv"].splitlines()
    lines[-1] = "C4,care_leaver,2024-03-03,51.52,-1.75,,W2,2006-03-03"
    (team / "children.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    p = only_error(team)
    assert where(p) == ("children.csv", 5, "placement_type")
    assert "8 cells but the header has 18 columns" in p.message
    assert "placement_type, placement_start_date" in p.message and "postcode" in p.message


def test_short_row_does_not_cascade_into_unknown_ids(team: Path) -> None:
    # C4's row is unreadable, so visits of C4 are not reported as "not in children.csv" as well
    lines = FILES["children.csv"].splitlines()
    lines[-1] = lines[-1][:20]
    (team / "children.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (team / "visits.csv").write_text(FILES["visits.csv"] + "C4,2026-11-03,W2,yes,no\n")
    assert [where(p)[:2] for p in errors(team)] == [("children.csv", 5)]


def test_long_row_names_the_last_column(team: Path) -> None:
    (team / "visits.csv").write_text(FILES["visits.csv"].replace("C2,2026-11-20,W1,yes,no",
                                                                 "C2,2026-11-20,W1,yes,no,extra"))
    p = only_error(team)
    assert where(p) == ("visits.csv", 3, "bedroom_seen") and "1 cell(s) after the last column" in p.message


def test_trailing_empty_cells_are_not_a_long_row(team: Path) -> None:
    # some exports end every row with a comma: nothing is lost, nothing shifts
    text = "\n".join(line + ",," for line in FILES["visits.csv"].splitlines()[1:])
    (team / "visits.csv").write_text(FILES["visits.csv"].splitlines()[0] + "\n" + text + "\n")
    assert len(load_team(team, ON).visits) == 3


def test_every_row_short_by_the_header_is_one_problem(team: Path) -> None:
    lines = FILES["visits.csv"].splitlines()
    (team / "visits.csv").write_text("\n".join([lines[0] + ",notes", *lines[1:]]) + "\n")
    p = only_error(team)
    assert where(p) == ("visits.csv", 1, "notes")
    assert "the header has 6 columns but 3 of the 3 rows have 5 cells" in p.message


def test_missing_header_row_is_one_file_level_problem_without_personal_details(team: Path) -> None:
    (team / "children.csv").write_text("\n".join(FILES["children.csv"].splitlines()[1:]) + "\n")
    p = only_error(team)
    assert where(p) == ("children.csv", None, None) and "holds values, not column names" in p.message
    assert_private(str(p))


def test_blank_first_lines_move_the_header_down(team: Path) -> None:
    (team / "visits.csv").write_text("\n\n" + FILES["visits.csv"].replace("C2,2026-11-20", "C2,2026-11-99"))
    assert where(only_error(team)) == ("visits.csv", 5, "date")  # header on row 3: C2 is row 5


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_line_endings(team: Path, newline: str) -> None:
    (team / "visits.csv").write_bytes(FILES["visits.csv"].replace("\n", newline).encode())
    assert len(load_team(team, ON).visits) == 3


def test_not_utf8_names_the_cell(team: Path) -> None:
    text = FILES["children.csv"].replace("Ben Example", "Zoë Example")
    (team / "children.csv").write_bytes(text.encode("cp1252"))
    p = only_error(team)
    assert where(p) == ("children.csv", 3, "name") and "not UTF-8" in p.message
    assert "Zo" not in str(p)


def test_a_cell_past_the_csv_field_limit_is_reported_not_a_traceback(team: Path) -> None:
    # row 3 (C2): a name of 140,000 characters, more than Python's csv module reads into one cell
    # (131,072); the cells after it (address, postcode) are fine
    long_name = "Ben" * 46_667
    (team / "children.csv").write_text(FILES["children.csv"].replace("Ben Example", long_name), encoding="utf-8")
    p = only_error(team)
    assert where(p) == ("children.csv", 3, "name")
    assert "too long" in p.message and "131,072 characters" in p.message
    assert "Ben" not in p.message
    result = rota("check", str(team), "--on", ON.isoformat())
    assert result.exit_code == 2, result.output
    assert "children.csv:3: name: this cell is too long" in result.output
    assert "Traceback" not in result.output and "Ben" not in result.output


def test_a_quote_never_closed_past_the_field_limit_names_its_cell(team: Path) -> None:
    # row 4 (C3): the quote opened in the status cell is never closed, and 150,000 characters of
    # later rows run into it: the cell passes the csv module's limit before the file ends
    later = "".join(f"C{i},cin,2026-10-01,51.55,-1.78,,W1,2015-05-05,,,,,,,,N{i},1 Street,SN1 1AA\n"
                    for i in range(10, 2_500))
    text = FILES["children.csv"].replace("C3,cic,", 'C3,"cic,') + later
    (team / "children.csv").write_text(text, encoding="utf-8")
    found = errors(team)
    assert where(found[0]) == ("children.csv", 4, "status")
    assert "never closed" in found[0].message
