"""Round trip: generated team -> synthetic SSD extract -> `rota import ssd` -> the same team, up to
what the SSD holds (tests/importers/ssd_extract.py says what that is), and the same rota."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from scheduler.cli import main
from scheduler.demo import generate_team, write_team
from scheduler.domain import PLACEMENT_TYPES, STATUSES
from scheduler.loading import load_team
from tests.importers.ssd_extract import (
    TEAM_ID,
    office,
    one_of_each,
    place_on_postcodes,
    prepare,
    to_ssd,
    what_the_ssd_holds,
)

START = date(2026, 11, 23)  # a Monday: the plan starts here
ON = date(2026, 11, 22)  # the extract is taken the day before (history ends Friday 20 November)


def _import(team_folder: Path, ssd: Path, base: str) -> None:
    res = CliRunner().invoke(main, ["import", "ssd", str(ssd), "--out", str(team_folder), "--on", ON.isoformat(),
                                    "--team", TEAM_ID, "--base-postcode", base.replace(" ", "").lower()])
    assert res.exit_code == 0, res.output


def test_round_trip_gives_back_the_team(tmp_path: Path) -> None:
    team, postcodes = place_on_postcodes(prepare(generate_team(8, 100, 1, START)))
    covered = one_of_each(team)
    # the extract exercises every status, every placement type and long-term fostering both ways
    assert covered["status"] == set(STATUSES)
    assert {p for p, _ in covered["placement"]} == set(PLACEMENT_TYPES)
    assert {("foster", True), ("foster", False), ("connected_person", True)} <= covered["placement"]
    to_ssd(team, tmp_path / "ssd", ON, postcodes)
    _import(tmp_path / "team", tmp_path / "ssd", postcodes[office(team)])

    check = CliRunner().invoke(main, ["check", str(tmp_path / "team"), "--on", START.isoformat()])
    assert check.exit_code == 0, check.output
    got, want = load_team(tmp_path / "team", START), what_the_ssd_holds(team)
    assert got.workers == want.workers
    assert got.children == want.children
    assert got.visits == want.visits
    assert got.meetings == want.meetings
    assert got.absences == ()  # not in the SSD: the optional file is left to the team
    # personal columns are carried into the folder for the worker's own documents
    by_id = {c.child_id: c for c in got.children}
    for c in team.children:
        assert by_id[c.child_id].postcode == c.postcode and by_id[c.child_id].name == c.name


def test_imported_team_plans_the_same_rota(tmp_path: Path) -> None:
    team, postcodes = place_on_postcodes(prepare(generate_team(4, 16, 5, START)))
    to_ssd(team, tmp_path / "ssd", ON, postcodes)
    _import(tmp_path / "imported", tmp_path / "ssd", postcodes[office(team)])
    write_team(what_the_ssd_holds(team), tmp_path / "original")
    # the manager adds the optional file the SSD cannot provide
    shutil.copy(tmp_path / "original" / "absences.csv", tmp_path / "imported" / "absences.csv")

    rotas = {}
    for name in ("original", "imported"):
        res = CliRunner().invoke(main, ["plan", str(tmp_path / name), "--standard", "swindon", "--start",
                                        START.isoformat(), "--weeks", "1", "--time-limit", "30", "--work-limit", "1",
                                        "--out", str(tmp_path / f"out-{name}"), "--quiet"])
        assert res.exit_code == 0, res.output
        rotas[name] = [(tmp_path / f"out-{name}" / f).read_text() for f in ("rota.csv", "breaches.csv")]
    assert rotas["imported"] == rotas["original"]
    assert len(rotas["original"][0].splitlines()) > 1  # something was planned
