"""The parts of an authority run that need no solver: sharing out the cores, the risk order and
totals, the progress estimate, a team's process that overruns, and the generated authority."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from scheduler.authority.display import RunState, duration
from scheduler.authority.generate import COUNTIES, layout, shares, teams_per_town
from scheduler.authority.jobs import EXIT_CRASHED, Area, Started, TeamResult, TeamTask, core_slots, run_local
from scheduler.authority.summary import TOTAL, TeamLine, csv_text, team_frame, totals
from scheduler.horizon import Horizon
from scheduler.loading import load_team_with_warnings
from scheduler.pipeline import PlanJob
from scheduler.travel import haversine_km
from tests.authority.support import START, make_authority, run_cli


def test_cores_are_shared_out_between_the_teams_planned_at_once() -> None:
    assert core_slots(2, [0, 1]) == [(0,), (1,)]  # --jobs 2 on this machine: a core each
    assert core_slots(1, [0, 1]) == [(0, 1)]
    assert core_slots(3, list(range(16))) == [(0, 1, 2, 3, 4, 5), (6, 7, 8, 9, 10), (11, 12, 13, 14, 15)]
    assert core_slots(3, [0, 1]) == [(0,), (1,), (0,)]  # more jobs than cores: shared round robin


def figures(children: int, breaches: int, proven: int, overdue: int, due: int, met: int,
            util: tuple[float | None, ...] = (0.5,)) -> dict[str, object]:
    return {"children": children, "workers": len(util), "breaches": breaches, "proven": proven, "signed_off": 0,
            "overdue_children": overdue, "overdue_at_start": overdue, "due_in_plan": due, "met_in_plan": met,
            "compliance_in_plan_percent": 100.0 if due == 0 else round(100 * met / due, 1),
            "worker_utilisation": util, "workers_over": 0}


def test_teams_sorted_by_risk_with_totals() -> None:
    teams = [
        # risk = 3 x overdue children + 2 x not proven + 1 x proven
        TeamLine("a", "planned", figures(10, breaches=2, proven=2, overdue=0, due=10, met=10)),  # 0 + 0 + 2 = 2
        TeamLine("b", "planned", figures(20, breaches=3, proven=1, overdue=2, due=20, met=18)),  # 6 + 4 + 1 = 11
        TeamLine("c", "failed", {"children": 5, "workers": 1, "worker_utilisation": [None]},
                 reason="invalid input: workers.csv:2: role: ..."),
        TeamLine("d", "skipped", figures(30, breaches=0, proven=0, overdue=0, due=10, met=10, util=(0.2, 0.4))),
        TeamLine("e", "planned", figures(8, breaches=5, proven=5, overdue=2, due=4, met=1)),  # 6 + 0 + 5 = 11
    ]
    df = team_frame(teams)
    # failed first; then by score; b and e tie at 11: lower compliance first (e 25.0% < b 90.0%)
    assert list(df["team_id"]) == ["c", "e", "b", "a", "d"]
    assert list(df["risk"]) == ["failed", "high", "high", "low", "none"]  # 2 < 11/3: low
    assert list(df["status"]) == ["failed: invalid input: workers.csv:2: role: ...", "breaches", "breaches",
                                  "breaches", "skipped: unchanged"]
    total = totals(df)
    assert total["team_id"] == TOTAL
    assert total["children"] == 10 + 20 + 5 + 30 + 8  # a failed team's count when it was read
    assert total["compliance"] == round(100 * (10 + 18 + 10 + 1) / (10 + 20 + 10 + 4), 1)  # 39 of 44: 88.6
    assert total["utilisation"] == round((0.5 + 0.5 + 0.2 + 0.4 + 0.5) / 5, 2)  # every worker with hours
    assert total["status"] == "5 teams: 0 ok, 3 breaches, 1 failed, 1 skipped"
    rows = list(csv.reader(csv_text(df).splitlines()))
    assert rows[1][:10] == ["c", "5", "1", "", "", "", "", "", "", "failed: invalid input: workers.csv:2: role: ..."]
    assert rows[-1][0] == TOTAL and rows[-1][3] == "88.6"


def test_a_worker_with_work_but_no_hours_is_left_out_of_the_total_utilisation() -> None:
    # W2 of team a is away all horizon with children allocated: utilisation infinite. It counts in
    # workers_over, not in the mean: a's mean is 0.6, the TOTAL (0.6 + 0.2) / 2 = 0.4 - never inf
    teams = [TeamLine("a", "planned", figures(10, 0, 0, 0, 10, 10, util=(0.6, float("inf")))),
             TeamLine("b", "planned", figures(10, 0, 0, 0, 10, 10, util=(0.2,)))]
    df = team_frame(teams)
    assert df.set_index("team_id").loc["a", "utilisation"] == 0.6
    assert totals(df)["utilisation"] == 0.4
    assert "inf" not in csv_text(df)


def test_csv_cells_are_safe_in_a_spreadsheet() -> None:
    df = team_frame([TeamLine("=HYPERLINK(1)", "planned", figures(1, 0, 0, 0, 1, 1)),
                     TeamLine("@team", "failed", {}, reason="x")])
    text = csv_text(df)
    assert "'=HYPERLINK(1)" in text and "'@team" in text
    assert pd.read_csv(pd.io.common.StringIO(text), dtype=str)["team_id"].str[0].isin(["'", "T"]).all()


def test_estimate_of_the_time_left() -> None:
    now = [0.0]
    state = RunState(total=5, parallel=2, clock=lambda: now[0])
    assert state.estimate() is None  # nothing planned yet
    state.running.update({"a": 0.0, "b": 0.0})
    now[0] = 10.0
    state.running.pop("a")
    state.done, state.durations = 1, [10.0]
    state.running["c"] = 10.0
    now[0] = 14.0
    # 2 queued x 10 s + b (started at 0: done by its mean) + c (4 of 10 s gone): (20 + 0 + 6) / 2
    assert state.estimate() == 13.0
    assert "1/5 done, 2 running, 0 failed" in state.counts()
    assert duration(13) == "13s" and duration(125) == "2m05s" and duration(3725) == "1h02m"


def test_a_team_past_its_deadline_is_stopped_and_the_others_go_on(tmp_path: Path) -> None:
    auth = make_authority(tmp_path, teams=1, children=3, broken=False)
    job = PlanJob(str(auth / "exeter"), "devon", Horizon(START, 1), str(tmp_path / "out"))
    events = list(run_local([TeamTask("exeter", job)], jobs=1, deadline=lambda _job: 0.2))
    assert isinstance(events[0], Started)
    result = events[-1]
    assert isinstance(result, TeamResult) and result.outcome.exit_code == EXIT_CRASHED
    assert result.outcome.problems[0].startswith("stopped: it had not finished after 0 s")
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_teams_go_to_different_towns_then_to_the_larger_ones() -> None:
    towns = COUNTIES["devon"].towns
    counts = dict(zip((t.name for t in towns), teams_per_town(towns, 40), strict=True))
    assert sum(counts.values()) == 40 and min(counts.values()) == 1  # every town has a team
    assert counts["Exeter"] == max(counts.values()) > counts["Exmouth"] > 1
    assert [t for t, n in counts.items() if n] == [t.name for t in towns]
    three = layout(COUNTIES["devon"], 3, 60, seed=1)
    assert [p.town.name for p in three] == ["Barnstaple", "Exeter", "Exmouth"]  # the largest three, by name
    many = layout(COUNTIES["devon"], 40, 7000, seed=1)
    assert sum(p.children for p in many) == 7000
    assert all(7000 / 40 * 0.84 <= p.children <= 7000 / 40 * 1.16 for p in many)
    exeter = [p for p in many if p.town.name == "Exeter"]
    assert [p.team_id for p in exeter][:2] == ["exeter-01", "exeter-02"]
    assert len({(p.lat, p.lon) for p in exeter}) == len(exeter)  # each its own base


def test_shares_add_up_and_each_team_has_a_child() -> None:
    import random

    for total, n in ((7000, 40), (18, 3), (5, 5), (6, 5)):
        out = shares(total, n, random.Random(3))
        assert sum(out) == total and min(out) >= 1


def test_generate_authority_writes_team_folders_that_load(tmp_path: Path) -> None:
    out = tmp_path / "devon"
    result = run_cli("generate-authority", str(out), "--teams", "3", "--workers-per-team", "2", "--children", "12",
                     "--seed", "4", "--start", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert "rota plan-authority" in result.output
    rows = list(csv.DictReader((out / "teams.csv").open(encoding="utf-8")))
    assert [r["team_id"] for r in rows] == ["barnstaple", "exeter", "exmouth"]
    assert sum(int(r["children"]) for r in rows) == 12
    for r in rows:
        team, _ = load_team_with_warnings(out / r["team_id"], START)
        assert len(team.workers) == 2 and len(team.children) == int(r["children"])
        base = (float(r["base_lat"]), float(r["base_lon"]))
        assert all(haversine_km(base, (w.base_lat, w.base_lon)) <= 10 for w in team.workers)  # office or home nearby
    again = run_cli("generate-authority", str(out), "--teams", "1", "--workers-per-team", "1", "--children", "1")
    assert again.exit_code == 2 and "not empty" in again.stderr
    too_few = run_cli("generate-authority", str(tmp_path / "x"), "--teams", "3", "--workers-per-team", "1",
                      "--children", "2")
    assert too_few.exit_code == 2 and "2 children cannot be shared among 3 teams" in too_few.stderr


def test_a_rural_team_spreads_further_than_a_town_team(tmp_path: Path) -> None:
    from scheduler.authority.generate import TeamPlace, build_team

    town = next(t for t in COUNTIES["devon"].towns if t.name == "Okehampton")
    assert town.rural
    rural = TeamPlace("okehampton", town, town.lat, town.lon, 40, seed=5)
    as_town = TeamPlace("okehampton", town.__class__(town.name, town.lat, town.lon, 1, False), town.lat, town.lon,
                        40, seed=5)
    centre = (town.lat, town.lon)

    def median_km(place: TeamPlace) -> float:
        team = build_team(place, 2, START)
        return float(pd.Series([haversine_km(centre, (c.lat, c.lon)) for c in team.children]).median())

    assert median_km(rural) == pytest.approx(2 * median_km(as_town), rel=0.05)


def test_area_is_rounded(tmp_path: Path) -> None:
    from scheduler.authority.jobs import team_area

    auth = make_authority(tmp_path, teams=1, children=20, broken=False)
    area = team_area(PlanJob(str(auth / "exeter"), "devon", Horizon(START, 1), str(tmp_path / "o")))
    assert isinstance(area, Area)
    assert area.lat == round(area.lat, 2) and area.lon == round(area.lon, 2) and area.radius_km == int(area.radius_km)


def test_team_ids_are_plain_text_in_the_page_and_on_the_map() -> None:
    from scheduler.authority.summary import html_text

    hostile = "{{ 7*7 }}`${x}<script>"  # a folder name may hold any of these
    teams = [TeamLine(hostile, "planned", figures(4, 1, 1, 1, 2, 2), area=Area(50.72, -3.53, 5.0)),
             TeamLine("b", "planned", figures(4, 0, 0, 0, 2, 2), area=Area(50.62, -3.41, 4.0))]
    df = team_frame(teams)
    meta = {"teams": 2, "standard": "devon", "region": "england", "start": "2026-11-23", "end": "2026-11-29",
            "weeks": 1}
    areas = {t.team_id: t.area for t in teams if t.area}
    page = html_text(df, areas, meta)
    assert page.count("<script>") == 2  # Leaflet and the map's own script; the team id is text
    assert page.count("{{ 7*7 }}") >= 2  # in the table and the circle's tooltip, never evaluated
    assert "bindTooltip(" in page and "L.circle(" in page
    assert html_text(df, areas, meta) == page  # the same teams, the same bytes


def test_a_generated_authority_folder_opens_for_the_team_like_any_new_folder(tmp_path: Path) -> None:
    # written aside and renamed into place: the folder must have the mode any new folder has
    # (0777 less the umask: 0755 with 0022), not tempfile.mkdtemp's private 0700
    import os

    out = tmp_path / "devon"
    old = os.umask(0o022)
    try:
        result = run_cli("generate-authority", str(out), "--teams", "2", "--workers-per-team", "2", "--children",
                         "6", "--seed", "4", "--start", "2026-11-23")
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o777 == 0o755
