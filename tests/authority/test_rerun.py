"""A second run plans only what changed: unchanged teams are skipped (their files untouched, their
figures kept in the summary), a team whose input changed is planned again, --force plans all."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from scheduler.authority.run import AuthorityOptions, plan_authority
from scheduler.horizon import Horizon
from scheduler.params import SolveParams
from tests.authority.support import PLAN_OPTIONS, START, make_authority, run_cli

OPTIONS = AuthorityOptions("devon", Horizon(START, 1), SolveParams(time_limit=60.0, work_limit=2.0), jobs=2)


def stamps(out: Path, teams: list[str]) -> dict[str, int]:
    return {t: (out / t / "manifest.json").stat().st_mtime_ns for t in teams}


def test_rerun_skips_unchanged_teams_and_force_plans_them_again(tmp_path: Path) -> None:
    auth = make_authority(tmp_path, teams=2, children=10, broken=False)
    teams = sorted(p.name for p in auth.iterdir() if p.is_dir())
    assert teams == ["exeter", "exmouth"]
    out = tmp_path / "plans"
    first = plan_authority(auth, out, OPTIONS)
    assert first.exit_code == 0 and sorted(first.results) == teams
    assert first.reasons == {"exeter": "not planned before", "exmouth": "not planned before"}
    before = stamps(out, teams)
    figures = pd.read_csv(out / "authority.csv", dtype=str).set_index("team_id")

    # the same command again: nothing to plan, the files as they were, the figures kept
    result = run_cli("plan-authority", str(auth), *PLAN_OPTIONS, "--jobs", "2", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert stamps(out, teams) == before
    again = pd.read_csv(out / "authority.csv", dtype=str).set_index("team_id")
    assert list(again.loc[teams, "status"]) == ["skipped: unchanged"] * 2
    for col in ("children", "compliance", "breaches_proven", "breaches_not_proven", "utilisation", "risk_score"):
        assert list(again.loc[teams, col]) == list(figures.loc[teams, col]), col
    assert "unchanged since the last run" in result.stderr

    # a new file in exmouth's folder is a change of its inputs: exmouth only is planned again
    (auth / "exmouth" / "notes.txt").write_text("moved office on Friday\n", encoding="utf-8")
    third = plan_authority(auth, out, OPTIONS)
    assert sorted(third.results) == ["exmouth"]
    assert third.reasons == {"exmouth": "its input files changed"}
    assert stamps(out, ["exeter"]) == {"exeter": before["exeter"]}

    # a different option (another seed) is a change for every team
    fourth = plan_authority(auth, out, AuthorityOptions("devon", Horizon(START, 1),
                                                        SolveParams(time_limit=60.0, work_limit=2.0, seed=1), jobs=2))
    assert fourth.reasons == {"exeter": "options changed (seed)", "exmouth": "options changed (seed)"}

    # --force: every team planned whatever changed
    fifth = run_cli("plan-authority", str(auth), *PLAN_OPTIONS, "--seed", "1", "--force", "--jobs", "2",
                    "--out", str(out))
    assert fifth.exit_code == 0, fifth.output
    final = pd.read_csv(out / "authority.csv", dtype=str).set_index("team_id")
    assert set(final.loc[teams, "status"]) <= {"ok", "breaches"}


def test_a_changed_output_file_is_planned_again(tmp_path: Path) -> None:
    auth = make_authority(tmp_path, teams=1, children=4, broken=False)
    out = tmp_path / "plans"
    plan_authority(auth, out, OPTIONS)
    (out / "exeter" / "rota.csv").write_text("edited by hand\n", encoding="utf-8")
    again = plan_authority(auth, out, OPTIONS)
    assert again.reasons == {"exeter": "its output files changed"}
    assert (out / "exeter" / "rota.csv").read_text(encoding="utf-8").startswith("date,start,end")
