"""Identifiers: 1-64 printable characters, no formula start, distinct as file names."""
from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.loading import load_team
from tests.inputs.helpers import ON, errors, make_team, only_error, set_cell, where


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return make_team(tmp_path / "team")


@pytest.mark.parametrize("value, what", [
    ("W\x001", "control or invisible character (U+0000)"),
    ("W\n1", "control or invisible character (U+000A)"),
    ("W\x0b1", "control or invisible character (U+000B)"),
    ("W\x1b[31m1", "control or invisible character (U+001B)"),
    ("W\u202e1", "control or invisible character (U+202E)"),  # right-to-left override
    ("W" * 65, "65 characters long"),
    ("W" * 260, "260 characters long"),
    ('=HYPERLINK("http://x","y")', "starts with '='"),
    ("+1", "starts with '+'"),
    ("-1", "starts with '-'"),
    ("@SUM(1)", "starts with '@'"),
])
def test_bad_worker_id(team: Path, value: str, what: str) -> None:
    set_cell(team, "workers.csv", 3, "worker_id", value)
    found = errors(team)
    assert where(found[0]) == ("workers.csv", 3, "worker_id") and what in found[0].message
    assert "expected an id of 1-64" in found[0].message
    assert value not in str(found[0])  # never echoed: it could be a terminal escape or a formula


@pytest.mark.parametrize("file, row, column", [("children.csv", 2, "child_id"), ("children.csv", 4, "household_id"),
                                               ("children.csv", 3, "allocated_worker_id"),
                                               ("visits.csv", 2, "worker_id"), ("meetings.csv", 3, "child_id"),
                                               ("absences.csv", 2, "worker_id")])
def test_every_id_column_is_checked(team: Path, file: str, row: int, column: str) -> None:
    set_cell(team, file, row, column, "=1+1")
    assert where(errors(team)[0]) == (file, row, column)


def test_64_characters_and_punctuation_are_fine(team: Path) -> None:
    for file, column in (("workers.csv", "worker_id"), ("children.csv", "allocated_worker_id"),
                         ("visits.csv", "worker_id")):
        for row in (2, 3, 4) if file == "children.csv" else (2, 3, 4) if file == "visits.csv" else (2,):
            set_cell(team, file, row, column, "W" * 62 + "/1")
    set_cell(team, "absences.csv", 2, "worker_id", "W" * 62 + "/1")
    set_cell(team, "children.csv", 2, "child_id", "C[/]1")
    set_cell(team, "visits.csv", 2, "child_id", "C[/]1")
    set_cell(team, "meetings.csv", 2, "child_id", "C[/]1")
    set_cell(team, "meetings.csv", 3, "child_id", "C[/]1")
    team_obj = load_team(team, ON)
    assert team_obj.worker("W" * 62 + "/1") and team_obj.child("C[/]1")


@pytest.mark.parametrize("first, second", [("W_1", "W 1"), ("W_1", "W/1"), ("W_1", "w_1"), ("W_1", "W.1"),
                                           ("W1", "w1")])
def test_worker_ids_that_share_a_file_name_are_refused(team: Path, first: str, second: str) -> None:
    # "W 02", "W_02" and "W/02" all became calendars/W_02.ics and lost events
    set_cell(team, "workers.csv", 2, "worker_id", first)
    set_cell(team, "workers.csv", 3, "worker_id", second)
    p = next(p for p in errors(team) if p.file == "workers.csv")
    assert where(p) == ("workers.csv", 3, "worker_id")
    assert "on row 2 differ only in case, spaces or punctuation" in p.message


def test_worker_id_differing_only_by_hyphen_is_distinct(team: Path) -> None:
    # '-' is kept in file names, so W-1 and W_1 are two files
    set_cell(team, "workers.csv", 2, "worker_id", "W_1")
    set_cell(team, "workers.csv", 3, "worker_id", "W-1")
    assert not [p for p in errors(team) if p.file == "workers.csv"]


def test_household_ids_that_share_a_file_name_are_refused(team: Path) -> None:
    set_cell(team, "children.csv", 5, "household_id", "h1")
    set_cell(team, "children.csv", 5, "lat", "51.55")
    set_cell(team, "children.csv", 5, "lon", "-1.78")
    p = only_error(team)
    assert where(p) == ("children.csv", 5, "household_id") and "'h1'" in p.message and "row 2" in p.message


def test_reserved_windows_name_is_accepted(team: Path) -> None:
    # CON is only a problem as a file name; the writers' file_stem makes it CON_
    for row in (2,):
        set_cell(team, "workers.csv", row, "worker_id", "CON")
    for row in (2, 3, 4):
        set_cell(team, "children.csv", row, "allocated_worker_id", "CON")
    for row in (2, 3, 4):
        set_cell(team, "visits.csv", row, "worker_id", "CON")
    set_cell(team, "absences.csv", 2, "worker_id", "CON")
    assert load_team(team, ON).worker("CON").role == "social_worker"
