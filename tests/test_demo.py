"""The shipped demo team, inputs/demo: what scheduler.generate.demo_team() makes, written by
scripts/make_demo.py (the generator itself is tested in tests/test_generate.py)."""
from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

from scheduler.calendar import WorkingCalendar
from scheduler.domain import PLACEMENT_TYPES, Team
from scheduler.generate import DEMO_START, demo_team
from scheduler.loading import load_team, load_team_with_warnings
from scheduler.policy import eligible
from scheduler.requirements import child_dues
from scheduler.standards import load_standard

DEMO = Path(__file__).resolve().parent.parent / "inputs" / "demo"
START = date(2026, 11, 23)


def same(a: Team, b: Team) -> bool:
    return replace(a, source="") == replace(b, source="")


def test_demo_folder_loads_without_errors_or_warnings() -> None:
    team, warnings = load_team_with_warnings(DEMO, START)
    assert warnings == []
    assert len(team.workers) == 8 and len(team.children) == 135


def test_demo_folder_is_what_the_generator_makes() -> None:
    # inputs/demo is written by `python scripts/make_demo.py` (write_team(demo_team()));
    # if the generator changes on purpose, run it again
    assert DEMO_START == START
    assert same(load_team(DEMO, START), demo_team())


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


def test_demo_has_every_placement_type_and_the_special_roles() -> None:
    team = load_team(DEMO, START)
    assert {c.placement_type for c in team.children if c.status == "cic"} == set(PLACEMENT_TYPES)
    assert all(c.placement_type is None for c in team.children if c.status != "cic")
    roles = Counter(w.role for w in team.workers)
    assert roles == {"social_worker": 5, "personal_adviser": 1, "early_help_practitioner": 1, "team_manager": 1}
    assert sum(not w.qualified for w in team.workers) == 2  # the personal adviser and the EH practitioner
    assert any(w.fte < 1 and len(w.working_days) < 5 for w in team.workers)  # a part-time worker
    assert any(w.newly_qualified for w in team.workers)
    assert any(c.date_of_birth is None for c in team.children)  # an unborn child (pre-birth plan)
    assert team.absences


def test_demo_every_child_is_allocated_to_a_worker_the_policy_accepts() -> None:
    # issue 7: the old demo allocated children to workers policy.eligible rejects (and left
    # some unallocated); now every child has an eligible allocated worker since a recorded date
    team = load_team(DEMO, START)
    workers = {w.worker_id: w for w in team.workers}
    for c in team.children:
        assert eligible(workers[c.allocated_worker_id], c), c.child_id
        assert c.allocated_since is not None and c.status_start_date <= c.allocated_since <= date(2026, 11, 20)


def test_demo_history_mostly_meets_swindon() -> None:
    """A few percent of children overdue on the first day of the plan, and no PEP overdue."""
    team, cal, std = load_team(DEMO, START), WorkingCalendar("england"), load_standard("swindon")
    late = [(c.child_id, d.requirement) for c in team.children for d in child_dues(team, c, std, cal, START)
            if d.requirement != "supervision" and d.due_by is not None and d.due_by < START]
    assert len({cid for cid, _ in late}) <= 0.05 * len(team.children)
    assert not [r for _, r in late if r == "pep"]


def test_demo_booked_meetings_at_most_two_per_worker_day() -> None:
    team = load_team(DEMO, START)
    alloc = {c.child_id: c.allocated_worker_id for c in team.children}
    per_day = Counter((alloc[m.child_id], m.date) for m in team.meetings if m.status == "booked")
    assert per_day and max(per_day.values()) <= 2
