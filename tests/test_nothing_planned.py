"""Children the chosen standard requires nothing for (no visit, no meeting the rota plans) are
named by id, never silently left out: `rota check --standard` warns, and `rota plan` says so in
its summary and in rota.html. On the small input team (tests/inputs/helpers) with C4 (row 5)
made a privately fostered child: Swindon's document does not cover private fostering (its
`silent` list says so), Dorset's does."""
from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.loading import load_team
from scheduler.requirements import nothing_planned
from scheduler.standards import load_standard
from tests.inputs.helpers import ON, PERSONAL, make_team, rota, set_cell

NOTE = ("1 child has no visiting requirement in the swindon standards, so the rota plans nothing for it: C4 "
        "- plan the visits by hand (e.g. private fostering regulations)")


@pytest.fixture
def team(tmp_path: Path) -> Path:
    folder = make_team(tmp_path / "team")
    set_cell(folder, "children.csv", 5, "status", "private_fostering")
    set_cell(folder, "children.csv", 5, "allocated_worker_id", "W1")  # a qualified social worker
    return folder


def test_the_children_are_those_no_planned_rule_applies_to(team: Path) -> None:
    loaded = load_team(team, ON)
    assert nothing_planned(loaded, load_standard("swindon"), ON, ON) == ["C4"]
    assert nothing_planned(loaded, load_standard("dorset"), ON, ON) == []


def test_check_with_a_standard_warns_by_id(team: Path) -> None:
    result = rota("check", str(team), "--on", ON.isoformat(), "--standard", "swindon")
    assert result.exit_code == 0, result.output
    assert f"warning: {NOTE}" in result.output
    assert not [p for p in PERSONAL if p in result.output]
    quiet = rota("check", str(team), "--on", ON.isoformat(), "--standard", "dorset")
    assert quiet.exit_code == 0 and "no visiting requirement" not in quiet.output


def test_plan_names_them_in_the_summary_and_the_rota_page(team: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = rota("plan", str(team), "--standard", "swindon", "--start", ON.isoformat(), "--weeks", "1",
                  "--method", "edf", "--quiet", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"  not planned: {NOTE}" in result.output
    page = (out / "rota.html").read_text(encoding="utf-8")
    assert f"Not planned: {NOTE}" in page
    assert "C4" not in (out / "rota.csv").read_text(encoding="utf-8")  # indeed nothing planned for C4
