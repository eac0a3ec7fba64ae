"""`rota allocate`: a sibling's eligible worker first; ineligible and over workers left out."""
from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from scheduler.caseload.allocate import rank_workers
from scheduler.caseload.points import load_weights
from scheduler.cli import main
from scheduler.horizon import Horizon
from tests.caseload.helpers import CHILD_COLUMNS, STANDARD, STANDARD_YAML, START, child_row, write_team
from tests.model.teams import BASE, child, team, worker

HORIZON = Horizon(START, 4)


def allocation_team():
    """W1: no cases, base next to the new child's home (lightest load and nearest).
    W2: holds S1, who lives in household H1 with the new child N1; W2's base is 6 km away.
    W3: a personal adviser; W4: an unqualified social worker;
    W5: a qualified social worker already at 15 + 11 x 8 = 103 points (over)."""
    far = {"base_lat": BASE[0] + 0.06, "base_lon": BASE[1]}
    return team(
        [worker("W1"), worker("W2", **far), worker("W3", role="personal_adviser", qualified=False),
         worker("W4", qualified=False), worker("W5")],
        [child("S1", "cin", allocated="W2", household="H1", offset=2)]
        + [child(f"K{i:02d}", "cp", allocated="W5", offset=3) for i in range(11)])


def new_child(**kw):
    return child("N1", "cp", allocated=None, household="H1", offset=2, status_start=date(2026, 11, 27), **kw)


def test_sibling_worker_first_ineligible_and_over_left_out():
    result = rank_workers(allocation_team(), [new_child()], STANDARD, HORIZON, load_weights())
    ranked = [(r.rank, r.worker_id) for r in result.rows]
    # W2 holds N1's sibling S1: first although W1 is lighter and nearer
    assert ranked == [(1, "W2"), (2, "W1")]
    first = result.rows[0]
    # W2 after: 15 + S1 cin 5 + N1 cp 8 = 28 points
    assert first.points_after == 28 and "holds sibling(s) S1" in first.reason
    # travel: W2's base is 0.06 deg north of the base, the home 0.006 deg: 0.054 deg = 6.00 km x 1.3
    # = 7.81 km at 30 km/h = 15.6 -> 16 min
    assert first.travel_minutes_from_base == 16
    left = {x.worker_id: x.reason for x in result.left_out}
    assert set(left) == {"W3", "W4", "W5"}
    assert left["W3"].startswith("not eligible (personal adviser")
    assert left["W4"] == "not eligible (social worker, not qualified); a cp child needs a qualified social worker"
    # W5: 103 + 8 = 111 points
    assert left["W5"] == "would be over after taking the child: 111 of 100 points"


def test_same_coordinates_count_as_a_sibling_and_an_over_sibling_worker_is_not_first():
    # N1 has its own household id but lives at S1's address: still W2 first
    result = rank_workers(allocation_team(), [child("N1", "cp", allocated=None, offset=2)], STANDARD, HORIZON,
                          load_weights())
    assert result.rows[0].worker_id == "W2"
    # a sibling of W5's children (K00's household and address): W5 would be over, so left out
    result = rank_workers(allocation_team(), [child("N2", "cp", allocated=None, household="K00", offset=3)],
                          STANDARD, HORIZON, load_weights())
    assert "W5" not in [r.worker_id for r in result.rows] and result.rows[0].worker_id == "W1"
    left = {x.worker_id: x.reason for x in result.left_out}
    # (all of W5's children live at the same address here, so each counts as N2's sibling)
    siblings = " ".join(f"K{i:02d}" for i in range(11))
    assert left["W5"] == f"would be over after taking the child: 111 of 100 points (holds sibling(s) {siblings})"


def test_utilisation_after_counts_the_childs_visits():
    result = rank_workers(allocation_team(), [new_child()], STANDARD, HORIZON, load_weights())
    w1 = next(r for r in result.rows if r.worker_id == "W1")
    # N1 (cp from Fri 27 Nov, no history) for W1 (base 0.006 deg = 0.67 km away: 0.87 km road -> 2 min):
    # visits due 10 WD after 27 Nov = 30 Nov,1,2,3,4,7,8,9,10,11 -> Fri 11 Dec, then 14..24 Dec = 9 WD,
    # 29 Dec the 10th (after the horizon): 1 visit x 55 min; core group due 27 Nov + 4 weeks = Fri 25 Dec
    # (bank holiday) -> held Thu 24 Dec: 90 min; travel 2 stops x 2 x 2 = 8 -> 153 min
    # of 19 x 480 = 9120 min: 0.017
    assert (w1.points_after, w1.utilisation_after, w1.travel_minutes_from_base) == (23, 0.02, 2)


def test_command_reads_the_file_with_the_loader_rules(tmp_path):
    folder = write_team(tmp_path / "team", allocation_team())
    (tmp_path / "std.yaml").write_text(STANDARD_YAML)
    new = tmp_path / "new.csv"
    new.write_text(",".join(CHILD_COLUMNS) + "\n" + child_row(new_child()) + "\n")
    run = CliRunner().invoke(main, ["allocate", str(folder), "--standard", str(tmp_path / "std.yaml"),
                                    "--start", "2026-11-30", "--child-file", str(new), "--format", "csv"])
    assert run.exit_code == 0, run.output
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert list(rows[0]) == ["child_id", "rank", "worker_id", "points_after", "utilisation_after",
                             "travel_minutes_from_base", "reason"]
    assert [(r["child_id"], r["rank"], r["worker_id"]) for r in rows] == [("N1", "1", "W2"), ("N1", "2", "W1")]
    assert "W3 left out: not eligible" in run.stderr
    run = CliRunner().invoke(main, ["allocate", str(folder), "--standard", str(tmp_path / "std.yaml"),
                                    "--start", "2026-11-30", "--child-file", str(new), "--top", "1"])
    assert run.exit_code == 0 and "Left out:" in run.stdout and "W1" not in run.stdout.split("Left out:")[0]


def test_bad_child_file_is_reported_as_file_row_column(tmp_path: Path):
    folder = write_team(tmp_path / "team", allocation_team())
    (tmp_path / "std.yaml").write_text(STANDARD_YAML)
    new = tmp_path / "new.csv"
    new.write_text("child_id,status,status_start_date,lat,lon\nN1,cp,31/02/2026,51.56,-1.78\n"
                   "S1,cin,2026-11-01,51.56,-1.78\n")
    run = CliRunner().invoke(main, ["allocate", str(folder), "--standard", str(tmp_path / "std.yaml"),
                                    "--start", "2026-11-30", "--child-file", str(new)])
    assert run.exit_code == 2
    assert "new.csv:2: status_start_date: '31/02/2026' is not a real calendar date" in run.stderr
    assert "new.csv:3: child_id: 'S1' is already in the team's children" in run.stderr
