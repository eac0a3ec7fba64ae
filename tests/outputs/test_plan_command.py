"""`rota plan` end to end on a small generated team: never a false all-clear (exit 4, nothing
written, the previous set untouched), a manifest of what the plan was made from, safe CSV cells,
progress lines that are plain when not a terminal, and something on screen at once."""
from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduler.cli import main
from scheduler.demo import generate_team, write_team
from scheduler.solution import BREACH_COLUMNS, ROTA_COLUMNS, PlanResult
from scheduler.writing import write_plan
from tests.outputs.conftest import make_result, make_team

ROOT = Path(__file__).resolve().parents[2]
ARGS = ["--standard", "dorset", "--start", "2026-11-30", "--weeks", "1", "--time-limit", "20",
        "--work-limit", "2", "--seed", "3"]


@pytest.fixture(scope="module")
def team_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("team") / "team"
    write_team(generate_team(3, 8, seed=1, start=date(2026, 11, 30)), folder)
    return folder


@pytest.fixture(scope="module")
def planned(team_folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("planned") / "out"
    run = CliRunner().invoke(main, ["plan", str(team_folder), *ARGS, "--out", str(out)])
    assert run.exit_code == 0, run.output
    return out, run


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _nothing_found(status: str, requirements: int = 12):
    def fake_plan(team, standard, horizon, params=None, progress=None) -> PlanResult:
        return PlanResult(activities=[], breaches=[], status=status, solve_seconds=1.0, start=horizon.start,
                          end=horizon.end, standard_key=standard.key, requirements_total=requirements)
    return fake_plan


@pytest.mark.parametrize("status", ["UNKNOWN", "INFEASIBLE", "FEASIBLE"])
def test_no_plan_writes_nothing_and_keeps_the_old_set(team_folder, tmp_path, monkeypatch, status):
    """With no solution in time (or an empty rota while 12 requirements are due and no breach
    explains them), rota plan exits 4, says what to do, and leaves the previous outputs as they were."""
    out = tmp_path / "out"
    write_plan(make_result(), make_team(), out, {}, datetime(2025, 3, 20, tzinfo=UTC))
    (out / "notes.txt").write_text("mine")
    before = _snapshot(out)
    import scheduler.plan

    monkeypatch.setattr(scheduler.plan, "plan", _nothing_found(status))
    run = CliRunner().invoke(main, ["plan", str(team_folder), *ARGS, "--out", str(out), "--quiet"])
    assert run.exit_code == 4, run.output
    assert "No plan" in run.output and "--time-limit" in run.output and "untouched" in run.output
    assert "compliance" not in run.output and "100.0%" not in run.output
    assert _snapshot(out) == before
    assert not [p for p in tmp_path.iterdir() if ".rota-tmp-" in p.name]


def test_no_plan_into_a_new_folder_creates_nothing(team_folder, tmp_path, monkeypatch):
    import scheduler.plan

    monkeypatch.setattr(scheduler.plan, "plan", _nothing_found("UNKNOWN"))
    run = CliRunner().invoke(main, ["plan", str(team_folder), *ARGS, "--out", str(tmp_path / "new"), "--quiet"])
    assert run.exit_code == 4
    assert list(tmp_path.iterdir()) == []
    # there were no previous outputs to keep: it must not say there were
    assert f"Nothing was written to {tmp_path / 'new'}/." in run.output and "untouched" not in run.output


@pytest.mark.parametrize("previous", [True, False], ids=["previous-set", "new-folder"])
def test_a_folder_that_cannot_be_written_mentions_previous_outputs_only_if_any(team_folder, tmp_path, monkeypatch,
                                                                               previous):
    """Exit 5: 'the previous outputs are untouched' only when OUTDIR holds a set; else 'nothing was
    written' (e.g. --out /proc/rota, where there never was anything)."""
    out = tmp_path / "out"
    if previous:
        write_plan(make_result(), make_team(), out, {}, datetime(2025, 3, 20, tzinfo=UTC))
    from scheduler.outputs import outset

    def refuse(outdir: Path) -> Path:
        raise PermissionError(13, "Permission denied", str(outdir.parent))
    monkeypatch.setattr(outset, "new_staging", refuse)
    run = CliRunner().invoke(main, ["plan", str(team_folder), *ARGS, "--method", "edf", "--out", str(out),
                                    "--quiet"])
    assert run.exit_code == 5, run.output
    assert f"Could not write the outputs to {out}/: Permission denied." in run.output
    if previous:
        assert f"The previous outputs in {out}/ are untouched; check the folder" in run.output
    else:
        assert "untouched" not in run.output and "Nothing was written; check the folder" in run.output
        assert not out.exists()


def test_manifest_records_what_the_plan_was_made_from(planned, team_folder):
    out, _ = planned
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["team_folder"] == str(team_folder.resolve())
    assert (manifest["standard"], manifest["start"], manifest["end"], manifest["weeks"], manifest["seed"]) == (
        "dorset", "2026-11-30", "2026-12-06", 1, 3)  # 30 Nov + 7 x 1 - 1 days = Sun 6 Dec
    inputs = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in team_folder.iterdir() if p.is_file()}
    assert manifest["inputs"] == inputs and "workers.csv" in inputs
    assert "signoff_db" in manifest and manifest["signoff_chain_head"] is None  # nothing signed yet
    for rel, digest in manifest["files"].items():
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == digest
    assert {"rota.csv", "breaches.csv", "rota.html", "rota.xlsx", "map.html"} <= set(manifest["files"])


def test_columns_kept_and_summary_has_status_and_verdict(planned):
    out, run = planned
    with (out / "rota.csv").open(newline="") as fh:
        assert next(csv.reader(fh)) == ROTA_COLUMNS
    with (out / "breaches.csv").open(newline="") as fh:
        assert next(csv.reader(fh)) == [*BREACH_COLUMNS, "sign_off"]
    assert "plan status: " in run.output and "verifier: every rule re-checked independently" in run.output
    assert "due within the plan:" in run.output and "already overdue when the plan starts:" in run.output


def test_progress_is_plain_lines_when_not_a_terminal(planned):
    _, run = planned
    progress = [line for line in run.stderr.splitlines() if line.startswith("[")]
    assert progress[0].endswith("loading: reading team")
    assert any("building model:" in line for line in progress)
    assert any("fewest breaches" in line for line in progress)
    assert "\r" not in run.stderr and "\x1b" not in run.stderr


def test_quiet_prints_only_the_summary(team_folder, tmp_path):
    run = CliRunner().invoke(main, ["plan", str(team_folder), *ARGS, "--out", str(tmp_path / "o"), "--quiet"])
    assert run.exit_code == 0
    assert not [line for line in run.stderr.splitlines() if line.startswith("[")]
    assert run.stdout.startswith("Plan Mon 30 Nov 2026 to Sun 06 Dec 2026")


def test_csv_cells_never_formulas(tmp_path):
    """Ids beginning with = + - @ tab or CR are written with a leading apostrophe (OWASP CSV injection)."""
    result, team = make_result(), make_team()
    evil = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(1)", "\tx", "\rx"]
    result.activities = [dataclasses.replace(result.activities[0], household_id=h) for h in evil]
    result.breaches = [dataclasses.replace(result.breaches[0], child_id=c, reason=c) for c in evil]
    out = tmp_path / "out"
    write_plan(result, team, out, {}, datetime(2025, 3, 20, tzinfo=UTC))
    with (out / "rota.csv").open(newline="") as fh:
        households = [row["household_id"] for row in csv.DictReader(fh)]
    assert households == ["'" + h for h in evil]
    with (out / "breaches.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["child_id"], r["reason"]) for r in rows] == [("'" + c, "'" + c) for c in evil]
    assert all(r["breach_id"].startswith("B-") for r in rows)  # ordinary cells untouched


def test_something_on_screen_at_once(team_folder, tmp_path):
    """The first progress line comes before the model is built: well within a second on an idle
    machine (0.3 s here idle; the bound is looser because CI machines can be busy)."""
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "scheduler.cli", "plan", str(team_folder), *ARGS,
                             "--out", str(tmp_path / "o")], stderr=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, cwd=ROOT)
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()
        waited = time.monotonic() - t0
    finally:
        proc.kill()
        proc.wait()
    assert "loading" in first
    assert waited < 2.0


def test_manifest_and_page_carry_the_signoff_chain_head(team_folder, tmp_path, monkeypatch):
    """The head of the team's sign-off trail goes into manifest.json and rota.html, so a later
    `rota signoffs --verify --head` can check the trail against it."""
    import scheduler.signoff

    monkeypatch.delenv("ROTA_SIGNOFF_DB", raising=False)
    seen = []

    def head(db_path):
        seen.append(Path(db_path))
        return "ab" * 32

    monkeypatch.setattr(scheduler.signoff, "chain_head", head)
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["plan", str(team_folder), *ARGS, "--out", str(out), "--quiet"])
    assert run.exit_code == 0, run.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["signoff_db"] == str((team_folder / ".rota" / "signoffs.sqlite").resolve()) == str(seen[0])
    assert manifest["signoff_chain_head"] == "ab" * 32
    assert "chain head " + "ab" * 32 in (out / "rota.html").read_text()
