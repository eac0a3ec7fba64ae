"""Rules about children: a household is one place; looked-after children without a placement
type or aged 18+; what seen_alone_exempt may say."""
from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.loading import load_team, load_team_with_warnings
from tests.inputs.helpers import ON, make_team, only_error, rota, set_cell, warnings_of, where


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return make_team(tmp_path / "team")


def test_household_at_two_places_is_an_error(team: Path) -> None:
    # C1 (row 2) and C2 (row 3) share H1; C2 moved 0.01 degrees north
    set_cell(team, "children.csv", 3, "lat", "51.56")
    p = only_error(team)
    assert where(p) == ("children.csv", 3, "lat")
    assert "household 'H1' with the child on row 2" in p.message and "a household is one place" in p.message
    assert "51.5" not in p.message  # a child's location is personal


def test_household_at_two_places_by_longitude(team: Path) -> None:
    set_cell(team, "children.csv", 3, "lon", "-1.79")
    p = only_error(team)
    assert where(p) == ("children.csv", 3, "lon")
    assert "at a different place (lon differs)" in p.message


def test_household_at_two_places_by_both(team: Path) -> None:
    set_cell(team, "children.csv", 3, "lat", "51.56")
    set_cell(team, "children.csv", 3, "lon", "-1.79")
    assert "at a different place (lat and lon differ)" in only_error(team).message


def test_same_place_written_differently_is_one_place(team: Path) -> None:
    set_cell(team, "children.csv", 3, "lat", "51.550")
    assert len(load_team(team, ON).children) == 4


def test_cic_child_without_placement_type_is_a_warning_naming_the_rule(team: Path) -> None:
    set_cell(team, "children.csv", 4, "placement_type", "")
    (w,) = warnings_of(team)
    assert str(w).startswith("children.csv:4: placement_type: ")
    assert "the strictest looked-after visit rules of the standard apply" in w.message
    result = rota("check", str(team), "--on", ON.isoformat())
    assert result.exit_code == 0 and "warning: children.csv:4: placement_type:" in result.output


@pytest.mark.parametrize("dob, warned", [
    ("2008-11-30", True),   # 18 on 30 Nov 2026 exactly
    ("2008-12-01", False),  # 18 tomorrow: still 17 on the reference date
    ("2001-01-01", True),   # 25
])
def test_looked_after_at_18_or_over_is_a_warning(team: Path, dob: str, warned: bool) -> None:
    set_cell(team, "children.csv", 4, "date_of_birth", dob)
    found = [w for w in warnings_of(team) if w.column == "status"]
    assert bool(found) == warned
    if warned:
        assert where(found[0]) == ("children.csv", 4, "status") and "a care leaver now?" in found[0].message
        assert dob not in found[0].message


@pytest.mark.parametrize("value", ["@SUM(1)", "=1", "+x", "-", "-none"])
def test_exemption_that_starts_like_a_formula_is_an_error(team: Path, value: str) -> None:
    set_cell(team, "children.csv", 4, "seen_alone_exempt", value)
    p = only_error(team)
    assert where(p) == ("children.csv", 4, "seen_alone_exempt") and "formula" in p.message


@pytest.mark.parametrize("value", ["no", "No", "FALSE", "0", "n/a", "N/A", "none", "None.", "nil", "null",
                                   "not exempt", "yes", "Y", "1", "x", "?"])
def test_exemption_that_gives_no_reason_does_not_exempt(team: Path, value: str) -> None:
    # "no" used to exempt the child (any text did): it is read as blank - must be seen alone
    set_cell(team, "children.csv", 4, "seen_alone_exempt", value)
    team_obj, found = load_team_with_warnings(team, ON)
    assert team_obj.child("C3").seen_alone_exempt is None
    (w,) = found
    assert where(w) == ("children.csv", 4, "seen_alone_exempt") and "NOT treated as exempt" in w.message


@pytest.mark.parametrize("value", ["non-verbal", "Declines to be seen alone; agreed with TM", "no speech (ASD)"])
def test_exemption_with_a_reason_exempts(team: Path, value: str) -> None:
    set_cell(team, "children.csv", 4, "seen_alone_exempt", value)
    team_obj, found = load_team_with_warnings(team, ON)
    assert team_obj.child("C3").seen_alone_exempt == value and found == []


def test_a_child_allocated_to_a_worker_who_may_not_visit_them_is_a_warning(team: Path) -> None:
    # W3 is the team manager; C1 (cp, row 2) is allocated to W2, a personal adviser; C3 (cic,
    # row 4) to W3. C4 (care leaver, row 5) with W2 and C2 (cp) with W1, a qualified social
    # worker, are as policy.eligible allows.
    with (team / "workers.csv").open("a", encoding="utf-8") as f:
        f.write("W3,Cy Test,team_manager,51.56,-1.78,yes,Mon-Fri,09:00,17:00,4\n")
    set_cell(team, "children.csv", 2, "allocated_worker_id", "W2")
    set_cell(team, "children.csv", 4, "allocated_worker_id", "W3")
    pa, manager = warnings_of(team)
    assert where(pa) == ("children.csv", 2, "allocated_worker_id")
    assert "'W2' (workers.csv) is a personal adviser" in pa.message
    assert "a cp child's visits need a qualified social worker" in pa.message
    assert "every visit for this child will be cover" in pa.message
    assert where(manager) == ("children.csv", 4, "allocated_worker_id")
    assert "'W3' (workers.csv) is a team manager, and team managers do not visit" in manager.message
    result = rota("check", str(team), "--on", ON.isoformat())
    assert result.exit_code == 0, result.output
    assert "children.csv:2: allocated_worker_id: the worker 'W2'" in result.output
    assert "Ann Example" not in result.output and "Cal Example" not in result.output


def test_an_unqualified_social_worker_for_a_cp_child_is_a_warning(team: Path) -> None:
    set_cell(team, "workers.csv", 2, "qualified", "no")  # W1: C1, C2 (cp) and C3 (cic)
    found = warnings_of(team)
    assert [where(w) for w in found] == [("children.csv", r, "allocated_worker_id") for r in (2, 3, 4)]
    assert "'W1' (workers.csv) is not qualified (qualified: no), and a cp child's visits need a qualified " \
           "social worker" in found[0].message
    assert "a cic child's visits" in found[2].message
