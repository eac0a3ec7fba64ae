"""Postcodes instead of coordinates: lat/lon (base_lat/base_lon) may be left blank, or left out,
when a postcode (base_postcode) is given; the place comes from the postcode lookup."""
from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.loading import load_team
from scheduler.postcodes import MappingLookup
from tests.inputs.helpers import FILES, ON, assert_private, errors, make_team, only_error, set_cell, where

LOOKUP = MappingLookup({"SN1 1AA": (51.5601, -1.7802), "SN2 2BB": (51.58, -1.79), "SN3 3CC": (51.57, -1.74),
                        "SN5 7EX": (51.56, -1.83)})


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return make_team(tmp_path / "team")


def _drop(folder: Path, file: str, *columns: str) -> None:
    lines = (folder / file).read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    keep = [i for i, h in enumerate(header) if h not in columns]
    (folder / file).write_text("\n".join(",".join(line.split(",")[i] for i in keep) for line in lines) + "\n",
                               encoding="utf-8")


def test_children_located_from_postcodes_without_lat_lon_columns(team: Path) -> None:
    _drop(team, "children.csv", "lat", "lon")
    team_obj = load_team(team, ON, LOOKUP)
    c1, c3 = team_obj.child("C1"), team_obj.child("C3")
    assert (c1.lat, c1.lon, c1.postcode) == (51.5601, -1.7802, "SN1 1AA")
    assert (c3.lat, c3.lon) == (51.58, -1.79)


def test_blank_lat_lon_on_one_row_uses_its_postcode_normalised(team: Path) -> None:
    set_cell(team, "children.csv", 5, "lat", "")
    set_cell(team, "children.csv", 5, "lon", "")
    set_cell(team, "children.csv", 5, "postcode", "sn33cc")
    c4 = load_team(team, ON, LOOKUP).child("C4")
    assert (c4.lat, c4.lon, c4.postcode) == (51.57, -1.74, "SN3 3CC")


def test_given_lat_lon_win_and_postcode_is_normalised(team: Path) -> None:
    set_cell(team, "children.csv", 5, "postcode", " sn3  3cc ")
    c4 = load_team(team, ON, LOOKUP).child("C4")
    assert (c4.lat, c4.lon, c4.postcode) == (51.52, -1.75, "SN3 3CC")


def test_unknown_postcode_is_an_error_with_the_fix(team: Path) -> None:
    _drop(team, "children.csv", "lat", "lon")
    set_cell(team, "children.csv", 3, "postcode", "SN9 9ZZ")
    p = only_error(team, LOOKUP)
    assert where(p) == ("children.csv", 3, "postcode")
    assert p.message.startswith("the postcode is not in the offline postcode list (mistyped, new or retired?)")
    assert "lat and lon" in p.message
    assert "SN9 9ZZ" not in p.message
    assert_private(str(p))


def test_northern_ireland_postcode_needs_lat_lon(team: Path) -> None:
    set_cell(team, "children.csv", 5, "lat", "")
    set_cell(team, "children.csv", 5, "lon", "")
    set_cell(team, "children.csv", 5, "postcode", "bt1 1aa")
    p = only_error(team, LOOKUP)
    assert where(p) == ("children.csv", 5, "postcode")
    assert p.message.startswith("the postcode is in Northern Ireland, which the offline postcode list")
    assert "expected the location in lat and lon" in p.message


def test_no_lat_lon_and_no_postcode(team: Path) -> None:
    set_cell(team, "children.csv", 5, "lat", "")
    set_cell(team, "children.csv", 5, "lon", "")
    set_cell(team, "children.csv", 5, "postcode", "")
    p = only_error(team, LOOKUP)
    assert where(p) == ("children.csv", 5, "lat") and "give the postcode" in p.message


def test_only_one_of_lat_lon(team: Path) -> None:
    set_cell(team, "children.csv", 5, "lon", "")
    assert where(only_error(team, LOOKUP)) == ("children.csv", 5, "lon")


def test_not_a_postcode(team: Path) -> None:
    set_cell(team, "children.csv", 2, "postcode", "NOT A CODE")
    p = only_error(team, LOOKUP)
    assert where(p) == ("children.csv", 2, "postcode")
    assert p.message.startswith("the postcode is not a UK postcode; expected")
    assert "NOT A CODE" not in str(p)


def test_households_compare_looked_up_places(team: Path) -> None:
    # C1 and C2 share H1 but their postcodes are different places
    _drop(team, "children.csv", "lat", "lon")
    set_cell(team, "children.csv", 3, "postcode", "SN5 7EX")
    p = only_error(team, LOOKUP)
    assert where(p) == ("children.csv", 3, "postcode") and "a household is one place" in p.message
    assert "at a different place (postcodes differ)" in p.message


def test_worker_base_from_base_postcode(team: Path) -> None:
    lines = FILES["workers.csv"].splitlines()
    lines = [lines[0] + ",base_postcode", lines[1].replace("51.5558,-1.7797", ",") + ",sn11aa", lines[2] + ","]
    (team / "workers.csv").write_text("\n".join(lines) + "\n")
    w1 = load_team(team, ON, LOOKUP).worker("W1")
    assert (w1.base_lat, w1.base_lon, w1.base_postcode) == (51.5601, -1.7802, "SN1 1AA")


def test_worker_base_unknown_postcode(team: Path) -> None:
    lines = FILES["workers.csv"].splitlines()
    lines = [lines[0] + ",base_postcode", lines[1].replace("51.5558,-1.7797", ",") + ",BT1 1AA", lines[2] + ","]
    (team / "workers.csv").write_text("\n".join(lines) + "\n")
    p = only_error(team, LOOKUP)
    assert where(p) == ("workers.csv", 2, "base_postcode") and "base_lat and base_lon" in p.message


def test_default_lookup_is_the_offline_postcode_list(team: Path) -> None:
    # SN1 1AE is in central Swindon (about 51.565 N, 1.783 W) in Ordnance Survey Code-Point Open
    set_cell(team, "children.csv", 5, "lat", "")
    set_cell(team, "children.csv", 5, "lon", "")
    set_cell(team, "children.csv", 5, "postcode", "sn1 1ae")
    c4 = load_team(team, ON).child("C4")
    assert abs(c4.lat - 51.565) < 0.01 and abs(c4.lon + 1.783) < 0.01
    set_cell(team, "children.csv", 5, "postcode", "SN1 1ZZ")  # a real area, no such unit
    assert [where(p) for p in errors(team)] == [("children.csv", 5, "postcode")]
