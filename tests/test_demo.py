"""The shipped demo team and the random team generator."""
from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.calendar import WorkingCalendar
from scheduler.demo import generate_team, write_team
from scheduler.domain import PLACEMENT_TYPES, Team
from scheduler.loading import load_team, load_team_with_warnings

DEMO = Path(__file__).resolve().parent.parent / "inputs" / "demo"
START = date(2026, 11, 23)


def same(a: Team, b: Team) -> bool:
    return replace(a, source="") == replace(b, source="")


def shares(team: Team) -> dict[str, float]:
    counts = Counter(c.status for c in team.children)
    return {s: n / len(team.children) for s, n in counts.items()}


def test_demo_folder_loads_without_errors_or_warnings() -> None:
    team, warnings = load_team_with_warnings(DEMO, START)
    assert warnings == []
    assert len(team.workers) == 8 and len(team.children) == 135


def test_demo_folder_is_what_the_generator_makes() -> None:
    # inputs/demo was written by write_team(generate_team(8, 135, seed=2026, start=2026-11-23));
    # if the generator changes on purpose, regenerate the folder
    assert same(load_team(DEMO, START), generate_team(8, 135, seed=2026, start=START))


def test_demo_history_ends_on_the_friday_before_start() -> None:
    team = load_team(DEMO, START)
    assert max(v.date for v in team.visits) == date(2026, 11, 20)
    assert max(m.date for m in team.meetings if m.status == "held") <= date(2026, 11, 20)
    assert min(m.date for m in team.meetings if m.status == "booked") >= START


def test_demo_csv_has_made_up_personal_details_in_uk_format() -> None:
    with open(DEMO / "children.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert all(r["name"] and r["address"] for r in rows)
    assert all(re.fullmatch(r"SN\d{1,2} \d[A-Z]{2}", r["postcode"]) for r in rows)
    # around Swindon, within ~50 km (residential / out-of-area placements are further out)
    assert all(abs(float(r["lat"]) - 51.5558) < 0.5 and abs(float(r["lon"]) + 1.7797) < 0.8 for r in rows)


def test_proportions_are_roughly_as_specified() -> None:
    for team in (generate_team(8, 135, seed=2026, start=START), generate_team(12, 300, seed=5, start=START)):
        s = shares(team)
        assert 0.38 <= s["cin"] <= 0.52
        assert 0.15 <= s["cp"] <= 0.25
        assert 0.24 <= s["cic"] <= 0.34
        assert 0.03 <= s["care_leaver"] <= 0.07
        assert s.get("early_help", 0) + s.get("s47", 0) + s.get("private_fostering", 0) <= 0.06


def test_demo_has_every_placement_type_and_the_special_roles() -> None:
    team = load_team(DEMO, START)
    assert {c.placement_type for c in team.children if c.status == "cic"} == set(PLACEMENT_TYPES)
    assert all(c.placement_type is None for c in team.children if c.status != "cic")
    roles = Counter(w.role for w in team.workers)
    assert roles["personal_adviser"] >= 1 and roles["early_help_practitioner"] >= 1
    assert 1 <= sum(not w.qualified for w in team.workers) <= 2
    role = {w.worker_id: w for w in team.workers}
    for c in team.children:
        if c.status == "care_leaver":
            assert role[c.allocated_worker_id].role == "personal_adviser"
        if c.status in ("cp", "s47") and c.allocated_worker_id is not None:
            assert role[c.allocated_worker_id].qualified
    assert any(c.date_of_birth is None for c in team.children)  # an unborn child (pre-birth plan)
    assert any(c.allocated_worker_id is None for c in team.children)
    assert team.absences


def test_households_share_a_location_and_mostly_a_status() -> None:
    team = generate_team(10, 200, seed=11, start=START)
    households: dict[str, list] = {}
    for c in team.children:
        households.setdefault(c.household_id, []).append(c)
    shared = [h for h in households.values() if len(h) > 1]
    assert len(shared) >= 20
    assert all(len({(c.lat, c.lon) for c in h}) == 1 for h in shared)
    assert sum(len({c.status for c in h}) == 1 for h in shared) >= 0.8 * len(shared)


def test_history_visits_are_by_available_workers_on_working_days() -> None:
    team = generate_team(8, 135, seed=2026, start=START)
    cal, workers = WorkingCalendar("england"), {w.worker_id: w for w in team.workers}
    for v in team.visits:
        assert v.date < START and cal.is_working_day(v.date)
        assert v.date.weekday() in workers[v.worker_id].working_days
        assert not any(a.worker_id == v.worker_id and a.covers(v.date) for a in team.absences)


def test_history_is_roughly_compliant() -> None:
    """Most children were seen recently enough for their status (loose, standard-independent limits)."""
    limit = {"cp": 14, "s47": 14, "cin": 42, "early_help": 42, "cic": 56, "private_fostering": 56,
             "care_leaver": 70}  # calendar days since the last visit
    team = generate_team(8, 135, seed=2026, start=START)
    last: dict[str, date] = {}
    for v in team.visits:
        last[v.child_id] = max(v.date, last.get(v.child_id, v.date))
    recent = [c for c in team.children if c.child_id in last and (START - last[c.child_id]).days <= limit[c.status]]
    assert len(recent) >= 0.85 * len(team.children)


def test_generate_team_is_deterministic() -> None:
    a = generate_team(5, 60, seed=3, start=START)
    b = generate_team(5, 60, seed=3, start=START)
    assert a == b
    assert [c.name for c in a.children] == [c.name for c in b.children]  # (names are compare=False)
    assert a != generate_team(5, 60, seed=4, start=START)


def test_region_centre_moves_the_team() -> None:
    leeds = generate_team(3, 30, seed=1, start=START, region_centre=(53.8, -1.55))
    assert all(abs(c.lat - 53.8) < 0.5 for c in leeds.children)
    assert all(abs(w.base_lat - 53.8) < 0.2 for w in leeds.workers)


def test_write_then_load_round_trips(tmp_path: Path) -> None:
    team = generate_team(8, 135, seed=2026, start=START)
    write_team(team, tmp_path / "t")
    loaded, warnings = load_team_with_warnings(tmp_path / "t", START)
    assert warnings == [] and same(loaded, team)
    assert [c.address for c in loaded.children] == [c.address for c in team.children]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n_workers=st.integers(1, 6), n_children=st.integers(1, 60), seed=st.integers(0, 10_000),
       offset=st.integers(0, 400))
def test_any_generated_team_round_trips_without_problems(tmp_path: Path, n_workers: int, n_children: int,
                                                         seed: int, offset: int) -> None:
    start = date(2026, 1, 5) + timedelta(days=offset)
    team = generate_team(n_workers, n_children, seed=seed, start=start)
    assert len(team.workers) == n_workers and len(team.children) == n_children
    folder = tmp_path / f"t{seed}_{n_workers}_{n_children}_{offset}"
    write_team(team, folder)
    loaded, warnings = load_team_with_warnings(folder, start)
    assert warnings == [] and same(loaded, team)
