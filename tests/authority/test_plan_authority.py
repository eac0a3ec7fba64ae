"""rota plan-authority on a tiny authority (tests/authority/conftest.py): the same files as
`rota plan` per team, a broken team reported while the others are planned, the summary's
figures agreeing with each team's own outputs, and no child details in the summary."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest

from scheduler.authority.jobs import ray_runtime_env
from scheduler.authority.run import AuthorityOptions, plan_authority
from scheduler.authority.summary import CSV_COLUMNS, EXTRA_COLUMNS, TOTAL
from scheduler.horizon import Horizon
from scheduler.outputs.mapping import external_references
from scheduler.params import SolveParams
from tests.authority.support import GOOD, PLAN_OPTIONS, START, Planned, files_of, run_cli


def summary(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "authority.csv", dtype=str, keep_default_na=False)


def test_each_team_gets_exactly_the_files_rota_plan_writes(planned: Planned, tmp_path: Path) -> None:
    for team in GOOD:
        single = tmp_path / team
        result = run_cli("plan", str(planned.auth / team), *PLAN_OPTIONS, "--quiet", "--out", str(single))
        assert result.exit_code == 0, result.output
        ours, theirs = files_of(planned.out / team), files_of(single)
        assert sorted(ours) == sorted(theirs)  # nothing left out, nothing extra
        assert "manifest.json" in ours and "rota.csv" in ours and "rota.xlsx" in ours
        different = [name for name in ours if ours[name] != theirs[name]]
        assert different == [], f"{team}: {different}"


def test_a_broken_team_is_reported_and_the_others_planned(planned: Planned) -> None:
    r = planned.result
    assert r.exit_code == 2  # the largest failed team's code: an input problem
    # the problem as `rota check` words it, with the team in front (a path under AUTH_DIR)
    assert "broken/workers.csv:2: role: 'wizard' is an unknown role code" in r.stderr
    assert not (planned.out / "broken" / "manifest.json").exists()  # nothing written for it
    df = summary(planned.out).set_index("team_id")
    assert df.loc["broken", "status"].startswith("failed: invalid input: workers.csv:2: role:")
    assert df.loc["broken", "risk"] == "failed"
    for team in GOOD:
        assert df.loc[team, "status"] in ("ok", "breaches")
        assert (planned.out / team / "manifest.json").exists()


def test_summary_columns_order_and_totals(planned: Planned) -> None:
    df = summary(planned.out)
    assert list(df.columns) == CSV_COLUMNS + EXTRA_COLUMNS
    assert list(df["team_id"]) [:1] == ["broken"]  # no trustworthy plan: first
    assert df["team_id"].iloc[-1] == TOTAL
    teams = df[df["team_id"] != TOTAL]
    assert sorted(teams["team_id"]) == sorted([*GOOD, "broken"])
    scores = [int(s) for s in teams["risk_score"].iloc[1:]]
    assert scores == sorted(scores, reverse=True)  # then by risk, highest first
    ok = teams[teams["team_id"] != "broken"]
    for col in ("children", "workers", "breaches_proven", "breaches_not_proven", "overdue_children"):
        # the broken team's children and workers are unknown (not read): totals are the others'
        assert int(df[col].iloc[-1]) == sum(int(v) for v in ok[col]), col
    for _, row in ok.iterrows():
        expected = 3 * int(row.overdue_children) + 2 * int(row.breaches_not_proven) + int(row.breaches_proven)
        assert int(row.risk_score) == expected
    due, met = sum(int(v) for v in ok["due_in_plan"]), sum(int(v) for v in ok["met_in_plan"])
    assert df["compliance"].iloc[-1] == f"{100.0 * met / due:.1f}"


def _team_children(folder: Path) -> int:
    with (folder / "children.csv").open(encoding="utf-8") as f:
        return sum(1 for _ in csv.DictReader(f))


def test_figures_agree_with_each_teams_own_outputs(planned: Planned) -> None:
    df = summary(planned.out).set_index("team_id")
    for team in GOOD:
        row = df.loc[team]
        assert int(row.children) == _team_children(planned.auth / team)
        breaches = list(csv.DictReader((planned.out / team / "breaches.csv").open(encoding="utf-8")))
        assert int(row.breaches_proven) == sum(b["proven_unavoidable"] == "yes" for b in breaches)
        assert int(row.breaches_not_proven) == sum(b["proven_unavoidable"] == "no" for b in breaches)
        assert int(row.breaches_signed_off) == sum(b["sign_off"] != "not signed off" for b in breaches) == 0
        # children overdue when the plan starts (Mon 23 Nov): among those with a breach due before it
        overdue = {b["child_id"] for b in breaches if b["due_by"] < "2026-11-23"}
        assert int(row.overdue_children) <= len(overdue)
        page = (planned.out / team / "rota.html").read_text(encoding="utf-8")
        within = re.search(r'id="compliance-within">([\d.]+)%', page)
        at_start = re.search(r'id="overdue-at-start">(\d+)<', page)
        assert within and at_start
        assert row.compliance == within.group(1)
        assert int(row.overdue_requirements) == int(at_start.group(1))
        # utilisation: the mean of `rota caseload`'s per-worker figures for the same horizon
        caseload = run_cli("caseload", str(planned.auth / team), "--standard", "devon", "--start", "2026-11-23",
                           "--weeks", "1", "--format", "csv")
        per_worker = pd.read_csv(io.StringIO(caseload.stdout))["utilisation"]
        assert float(row.utilisation) == round(per_worker.mean(), 2)


def test_summary_has_no_child_details_and_works_offline(planned: Planned) -> None:
    page = (planned.out / "authority.html").read_text(encoding="utf-8")
    text = page + (planned.out / "authority.csv").read_text(encoding="utf-8")
    for team in GOOD:
        assert f'data-team="{team}"' in page
        with (planned.auth / team / "children.csv").open(encoding="utf-8") as f:
            for child in csv.DictReader(f):
                assert child["name"] not in text
                assert child["address"] not in text
                assert child["postcode"] not in text
                assert re.search(rf"\b{child['child_id']}\b", text) is None
                assert f"{float(child['lat']):.5f}" not in text  # no household point on the map
    assert external_references(page) == []
    assert 'class="folium-map"' in page and "L.circle(" in page


def test_progress_lines_when_not_a_terminal(planned: Planned) -> None:
    lines = [line for line in planned.result.stderr.splitlines() if line.startswith("[")]
    assert len(lines) == 4  # one per team as it ends
    assert lines[-1].endswith("elapsed")  # the last: nothing left to estimate
    assert "4/4 done, 0 running, 1 failed" in lines[-1]


def test_the_ray_path_writes_the_same_files(planned: Planned, tmp_path: Path) -> None:
    """The same teams as Ray tasks on a local Ray with 2 CPUs, the driver's code shipped to the
    workers: the same files as the process pool (and so as `rota plan`)."""
    ray = pytest.importorskip("ray")
    options = AuthorityOptions("devon", Horizon(START, 1), SolveParams(time_limit=60.0, work_limit=2.0), ray="auto")
    ray.init(num_cpus=2, runtime_env=ray_runtime_env(), include_dashboard=False, log_to_driver=False)
    try:
        run = plan_authority(planned.auth, tmp_path / "ray", options)
    finally:
        ray.shutdown()
    assert run.exit_code == 2
    assert [t.team_id for t in run.failed] == ["broken"]
    for team in GOOD:
        assert run.results[team].host  # planned by a Ray worker, which said where
        assert files_of(tmp_path / "ray" / team) == files_of(planned.out / team)
    ours = summary(tmp_path / "ray").drop(columns=["plan_seconds"])
    pool = summary(planned.out).drop(columns=["plan_seconds"])
    assert ours.equals(pool)
