"""`rota rebalance`: the fewest reallocations that bring every worker to ok, households whole."""
from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from scheduler.caseload.points import load_weights
from scheduler.caseload.rebalance import propose
from scheduler.cli import main
from scheduler.horizon import Horizon
from tests.caseload.helpers import STANDARD, STANDARD_YAML, START, write_team
from tests.model.teams import BASE, child, team, worker

HORIZON = Horizon(START, 4)
WEIGHTS_YAML = "full_time_points: 34\nextra_responsibilities: {W1: 7}\n"


def over_team():
    """W1 is over by points; only moving household HA (two cp children) as a whole fixes it.

    Points (capacity 34, stable 15, cp 8, cin 5; W1 has 7 for an extra responsibility):
      W1 = 15 + 7 + A1 8 + A2 8 + C1 5 = 43 > 34: over
      moving C1 alone: 38, still over; moving A2 alone: 35, still over - and it would split HA
      moving HA (A1 + A2): 27 -> ok; W2 receives it: 15 + 16 = 31 <= 34 -> ok
    U1 (cp, unallocated, 8 points) cannot go to W1 (27 + 8 = 35) nor, once W2 has HA, to W2
    (31 + 8 = 39): it goes to W4 (15 + 8 = 23). W3 is a personal adviser: never eligible.
    W2's base is by HA and W4's by U1, so travel settles which of W2/W4 takes which.
    """
    near_ha = {"base_lat": BASE[0] + 0.003 * 1, "base_lon": BASE[1]}
    near_u1 = {"base_lat": BASE[0] + 0.003 * 20, "base_lon": BASE[1]}
    return team(
        [worker("W1"), worker("W2", **near_ha), worker("W3", role="personal_adviser", qualified=False),
         worker("W4", **near_u1)],
        [child("A1", "cp", household="HA", offset=1, allocated_since=date(2026, 11, 1)),
         child("A2", "cp", household="HA", offset=1, allocated_since=date(2026, 11, 1)),
         child("C1", "cin", offset=5, allocated_since=date(2026, 11, 20)),
         child("U1", "cp", allocated=None, offset=20, status_start=date(2026, 11, 16))])


def weights(tmp_path: Path):
    f = tmp_path / "weights.yaml"
    f.write_text(WEIGHTS_YAML)
    return load_weights(f)


def test_fewest_moves_fix_the_over_worker_and_never_split_a_household(tmp_path):
    p = propose(over_team(), STANDARD, HORIZON, weights(tmp_path), max_moves=10, time_limit=5)
    assert p.before.row_of("W1").status == "over" and p.before.row_of("W1").points == 43
    moved = {m.child_id: (m.from_worker_id, m.to_worker_id) for m in p.moves}
    # two reallocations (the household HA, whole) and the unallocated cp child allocated
    assert moved == {"A1": ("W1", "W2"), "A2": ("W1", "W2"), "U1": ("", "W4")}
    assert p.reallocations == 2 and p.fixed and p.status == "OPTIMAL"
    assert all(r.status == "ok" for r in p.after.rows)
    assert [p.after.row_of(w).points for w in ("W1", "W2", "W3", "W4")] == [15 + 7 + 5, 15 + 16, 15, 15 + 8]
    assert "W1 over: 43 of 34 points" in next(m.reason for m in p.moves if m.child_id == "A1")
    assert "household HA moves as a whole" in next(m.reason for m in p.moves if m.child_id == "A2")
    assert next(m.reason for m in p.moves if m.child_id == "U1").startswith("unallocated cp child")


def test_when_k_moves_cannot_fix_it_says_what_remains(tmp_path):
    # one reallocation: HA (two children) cannot move, and no single move brings W1 to ok (C1 would
    # leave 38 of 34), so no child is moved for nothing; U1 is still allocated (not a reallocation)
    p = propose(over_team(), STANDARD, HORIZON, weights(tmp_path), max_moves=1, time_limit=5)
    assert [(m.child_id, m.from_worker_id) for m in p.moves] == [("U1", "")] and p.reallocations == 0
    assert not p.fixed and p.remaining == ("W1 still over: 43 of 34 points",)
    assert p.more_moves_would_fix == 1  # with two moves (HA) W1 is ok
    assert p.after.row_of(p.moves[0].to_worker_id).status == "ok"  # nobody moved onto an over worker


def test_nobody_is_moved_onto_a_worker_who_becomes_over(tmp_path):
    # the only other eligible worker already holds 15 + 2 x 8 = 31 of 34: taking C1 (5) would make 36
    t = over_team()
    t = type(t)(workers=t.workers[:1] + t.workers[1:2], children=t.children[:3]
                + (child("B1", "cp", allocated="W2"), child("B2", "cp", allocated="W2")))
    p = propose(t, STANDARD, HORIZON, weights(tmp_path), max_moves=10, time_limit=5)
    assert p.moves == () and not p.fixed and p.remaining == ("W1 still over: 43 of 34 points",)


def _digest(folder: Path) -> dict[str, str]:
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(folder.iterdir())}


def test_command_writes_moves_tables_and_the_new_plan_without_touching_inputs(tmp_path):
    folder = write_team(tmp_path / "team", over_team())
    (tmp_path / "std.yaml").write_text(STANDARD_YAML)
    (tmp_path / "weights.yaml").write_text(WEIGHTS_YAML)
    before = _digest(folder)
    out = tmp_path / "proposal"
    run = CliRunner().invoke(main, ["rebalance", str(folder), "--standard", str(tmp_path / "std.yaml"),
                                    "--start", "2026-11-30", "--weights", str(tmp_path / "weights.yaml"),
                                    "--out", str(out), "--time-limit", "10"])
    assert run.exit_code == 0, run.output
    assert _digest(folder) == before  # a proposal: the input files are never changed
    with open(out / "moves.csv", newline="", encoding="utf-8") as fh:
        moves = list(csv.DictReader(fh))
    assert list(moves[0]) == ["child_id", "household_id", "from_worker_id", "to_worker_id", "reason"]
    assert {(m["child_id"], m["household_id"], m["from_worker_id"], m["to_worker_id"]) for m in moves} == {
        ("A1", "HA", "W1", "W2"), ("A2", "HA", "W1", "W2"), ("U1", "U1", "", "W4")}
    before_rows = {r["worker_id"]: r for r in csv.DictReader((out / "caseload_before.csv").open())}
    after_rows = {r["worker_id"]: r for r in csv.DictReader((out / "caseload_after.csv").open())}
    assert (before_rows["W1"]["status"], after_rows["W1"]["status"]) == ("over", "ok")
    assert "every worker is ok" in run.output
    assert run.output.count("verifier:") == 1  # the summary's line, once
    # the plan of the new allocation: HA's visits are W2's now, not cover
    with open(out / "rota.csv", newline="", encoding="utf-8") as fh:
        rota = list(csv.DictReader(fh))
    ha = [r for r in rota if r["household_id"] == "HA"]
    assert ha and all(r["worker_id"] == "W2" and r["cover"] == "no" for r in ha)
    assert (out / "breaches.csv").exists()
    # rota.html shows the caseloads after the moves, as caseload_after.csv has them
    from tests.caseload.test_caseload_html import COLUMNS, _Cells

    parser = _Cells()
    parser.feed((out / "rota.html").read_text(encoding="utf-8"))
    assert parser.rows == {w: {c: r[c] for c in COLUMNS} for w, r in after_rows.items()}


def test_out_folder_must_not_be_the_team_folder(tmp_path):
    folder = write_team(tmp_path / "team", over_team())
    (tmp_path / "std.yaml").write_text(STANDARD_YAML)
    run = CliRunner().invoke(main, ["rebalance", str(folder), "--standard", str(tmp_path / "std.yaml"),
                                    "--start", "2026-11-30", "--out", str(folder), "--no-plan"])
    assert run.exit_code == 2 and "team folder" in run.stderr
