"""Messages never quote a personal detail, even when cells have shifted; they still quote a
mistyped code or id, which is what makes them useful."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.inputs.helpers import FILES, assert_private, errors, make_team, only_error, rota, set_cell, where


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return make_team(tmp_path / "team")


def test_a_name_in_the_cp_category_column_is_not_quoted(team: Path) -> None:
    # issue 9: "children.csv:3: cp_category: 'Kai Green' is an unknown cp_category code"
    set_cell(team, "children.csv", 3, "cp_category", "Ben Example")
    p = only_error(team)
    assert str(p) == ("children.csv:3: cp_category: the value is an unknown cp_category code; "
                      "expected one of neglect, physical, emotional, sexual, multiple")


def test_swapped_column_names_do_not_leak_names(team: Path) -> None:
    # the header says cp_category where the names are (and name where the categories are)
    lines = FILES["children.csv"].splitlines()
    header = lines[0].replace("cp_category", "@@").replace(",name,", ",cp_category,").replace("@@", "name")
    (team / "children.csv").write_text("\n".join([header, *lines[1:]]) + "\n", encoding="utf-8")
    found = errors(team)
    assert [where(p) for p in found] == [("children.csv", r, "cp_category") for r in (2, 3, 4, 5)]
    assert_private("\n".join(str(p) for p in found))


@pytest.mark.parametrize("column, value", [
    ("allocated_worker_id", "SN1 1AA"),      # a postcode where an id should be
    ("allocated_worker_id", "SN11AA"),
    ("allocated_worker_id", "2015-05-05"),   # a date of birth
    ("allocated_worker_id", "51.55"),        # a latitude
    ("status", "ann"),                       # a first name, lower case
    ("status", "Test Street"),
    ("allocated_worker_id", "Ann Example"),
])
def test_shifted_personal_values_are_not_quoted(team: Path, column: str, value: str) -> None:
    set_cell(team, "children.csv", 2, column, value)
    text = "\n".join(str(p) for p in errors(team))
    assert value not in text
    assert_private(text)


def test_a_mistyped_code_is_quoted_with_the_closest_code(team: Path) -> None:
    set_cell(team, "workers.csv", 2, "role", "social worker")
    assert str(only_error(team)) == ("workers.csv:2: role: 'social worker' is an unknown role code; did you mean "
                                     "social_worker?; expected one of social_worker, personal_adviser, "
                                     "early_help_practitioner, team_manager")


def test_an_unknown_id_is_quoted(team: Path) -> None:
    set_cell(team, "visits.csv", 2, "worker_id", "W9")
    assert str(only_error(team)) == "visits.csv:2: worker_id: 'W9' is not in workers.csv; expected a worker_id " \
                                    "listed there"


def test_every_row_level_error_names_a_column(team: Path) -> None:
    # one of each kind of row problem, all at once
    (team / "visits.csv").write_text(FILES["visits.csv"] + "C1,2026-11-21,W1,yes,no,extra\nC1,2026-11-21\n")
    set_cell(team, "children.csv", 3, "status", "")
    set_cell(team, "children.csv", 4, "date_of_birth", "2027-01-01")
    set_cell(team, "workers.csv", 3, "worker_id", "W1")
    found = errors(team)
    assert len(found) >= 5
    assert all(p.column for p in found if p.row is not None), [str(p) for p in found]


def test_cli_messages_are_file_row_column_lines(team: Path) -> None:
    (team / "children.csv").write_text(FILES["children.csv"].replace("C3,cic,", 'C3,"cic,'), encoding="utf-8")
    set_cell(team, "visits.csv", 3, "seen_alone", "Ann")
    result = rota("check", str(team), "--on", "2026-11-30")
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "children.csv:4: status: a double quote opens this cell and is never closed, so the rest of the file runs "
        "into it; expected a closing quote (\"), or no quotes around the cell",
        "visits.csv:3: seen_alone: the value is not yes/no; expected yes or no",
        "2 problem(s) found; fix them and run rota check again.",
    ]
