"""Dates 1900-2100 in ASCII digits; numbers in ASCII digits and plain decimals."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from scheduler.loading import load_team
from tests.inputs.helpers import ON, errors, make_team, only_error, set_cell, warnings_of, where


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return make_team(tmp_path / "team")


@pytest.mark.parametrize("column", ["placement_start_date", "assessment_completed_date", "first_review_date",
                                    "date_of_birth"])
def test_no_date_placeholder_in_an_optional_column(team: Path, column: str) -> None:
    # 9999-12-31 ("no date" in many case systems) overflowed date arithmetic in rota due and rota plan
    set_cell(team, "children.csv", 4, column, "9999-12-31")
    p = only_error(team)
    assert where(p) == ("children.csv", 4, column)
    assert "looks like a 'no date' placeholder" in p.message and "leave the cell blank" in p.message


def test_no_date_placeholder_in_a_required_column(team: Path) -> None:
    set_cell(team, "children.csv", 4, "status_start_date", "31/12/9999")
    p = only_error(team)
    assert where(p) == ("children.csv", 4, "status_start_date")
    assert "'31/12/9999' has the year 9999, which looks like a 'no date' placeholder" in p.message
    assert "this column needs the real date" in p.message


@pytest.mark.parametrize("value, what", [("0001-01-01", "year 1, outside 1900-2100"),
                                         ("1899-12-31", "year 1899, outside 1900-2100"),
                                         ("2101-01-01", "year 2101, outside 1900-2100")])
def test_years_outside_1900_to_2100(team: Path, value: str, what: str) -> None:
    set_cell(team, "absences.csv", 2, "end_date", value)
    p = errors(team)[0]
    assert where(p) == ("absences.csv", 2, "end_date") and what in p.message


def test_the_ends_of_the_range_are_dates(team: Path) -> None:
    set_cell(team, "absences.csv", 2, "end_date", "2100-12-31")
    assert load_team(team, ON).absences[0].end_date == date(2100, 12, 31)


def test_a_date_in_1900_is_read_with_a_warning(team: Path) -> None:
    # 1900-01-01 is Excel's day one and a common "no date" stand-in: kept, but questioned
    set_cell(team, "children.csv", 3, "assessment_completed_date", "1900-01-01")
    (w,) = warnings_of(team)
    assert where(w) == ("children.csv", 3, "assessment_completed_date") and "placeholder" in w.message
    assert load_team(team, ON).child("C2").assessment_completed_date == date(1900, 1, 1)


@pytest.mark.parametrize("value", ["٢٠٢٦-١١-٠١", "۲۰۲۶-۱۱-۰۱", "２０２６-１１-０１", "2026-11-0\u0661"])
def test_non_ascii_digits_in_dates(team: Path, value: str) -> None:
    # int() reads Arabic-Indic and full-width digits: such a date used to be accepted
    set_cell(team, "visits.csv", 2, "date", value)
    p = only_error(team)
    assert where(p) == ("visits.csv", 2, "date")
    assert "not the ASCII digits 0-9" in p.message and value not in p.message


@pytest.mark.parametrize("file, column, value", [("workers.csv", "base_lat", "５１.５"),
                                                 ("workers.csv", "max_visits_per_day", "٤"),
                                                 ("workers.csv", "day_start", "０９:００")])
def test_non_ascii_digits_in_numbers_and_times(team: Path, file: str, column: str, value: str) -> None:
    set_cell(team, file, 2, column, value)
    p = only_error(team)
    assert where(p) == (file, 2, column) and "not the ASCII digits 0-9" in p.message


@pytest.mark.parametrize("value", ["nan", "inf", "5e1", "51_5"])
def test_coordinates_are_plain_decimals(team: Path, value: str) -> None:
    # float() reads all of these
    set_cell(team, "workers.csv", 2, "base_lat", value)
    assert where(only_error(team)) == ("workers.csv", 2, "base_lat")


@pytest.mark.parametrize("value", ["21", "99999999999999999999"])
def test_max_visits_per_day_is_bounded(team: Path, value: str) -> None:
    set_cell(team, "workers.csv", 2, "max_visits_per_day", value)
    assert "from 1 to 20" in only_error(team).message


@pytest.mark.parametrize("value, fte", [("0.6", 0.6), ("1", 1.0)])
def test_fte_and_newly_qualified(team: Path, value: str, fte: float) -> None:
    rows = (team / "workers.csv").read_text().splitlines()
    rows = [rows[0] + ",fte,newly_qualified", rows[1] + f",{value},yes", rows[2] + ",,"]
    (team / "workers.csv").write_text("\n".join(rows) + "\n")
    t = load_team(team, ON)
    assert (t.worker("W1").fte, t.worker("W1").newly_qualified) == (fte, True)
    assert (t.worker("W2").fte, t.worker("W2").newly_qualified) == (1.0, False)  # blank: the defaults


@pytest.mark.parametrize("value", ["0", "1.2", "60%"])
def test_fte_out_of_range(team: Path, value: str) -> None:
    rows = (team / "workers.csv").read_text().splitlines()
    (team / "workers.csv").write_text("\n".join([rows[0] + ",fte", rows[1] + f",{value}", rows[2] + ","]) + "\n")
    assert where(only_error(team)) == ("workers.csv", 2, "fte")


def test_visit_reduction_agreed_and_allocated_since(team: Path) -> None:
    rows = (team / "children.csv").read_text().splitlines()
    rows = [rows[0] + ",visit_reduction_agreed,allocated_since", rows[1] + ",yes,2026-10-02",
            *(r + ",," for r in rows[2:])]
    (team / "children.csv").write_text("\n".join(rows) + "\n")
    c1, c2 = load_team(team, ON).child("C1"), load_team(team, ON).child("C2")
    assert (c1.visit_reduction_agreed, c1.allocated_since) == (True, date(2026, 10, 2))
    assert (c2.visit_reduction_agreed, c2.allocated_since) == (False, None)


@pytest.mark.parametrize("value", ["2026-11-20 00:00:00", "2026-11-20 00:00", "2026-11-20T00:00:00",
                                   "20/11/2026 00:00:00"])
def test_a_date_with_a_midnight_time_is_that_date(team: Path, value: str) -> None:
    # a usual export of a date column: visits.csv row 2 (C1's visit on 20 Nov 2026)
    set_cell(team, "visits.csv", 2, "date", value)
    assert load_team(team, ON).visits[0].date == date(2026, 11, 20)


@pytest.mark.parametrize("value", ["2026-11-20 09:30", "2026-11-20 00:00:01", "2026-11-20 12:00:00"])
def test_a_date_with_another_time_is_an_error_saying_so(team: Path, value: str) -> None:
    set_cell(team, "visits.csv", 2, "date", value)
    p = only_error(team)
    assert where(p) == ("visits.csv", 2, "date")
    assert "has a time of day after the date" in p.message and "expected a date without a time" in p.message
