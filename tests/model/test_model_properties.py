"""Property tests on random small teams (scheduler.demo): the independent verifier finds nothing
the breach register does not list, and planning is deterministic."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.demo import generate_team
from scheduler.standards import load_standard
from scheduler.verifier import breach_keys
from tests.model.teams import plan_team, unexplained

START = date(2026, 11, 30)
STANDARDS = ("dorset", "swindon", "devon", "dudley", "knowsley")
_loaded = {name: load_standard(name) for name in STANDARDS}

PROPERTY = settings(max_examples=10, deadline=None)
# Booked meetings stay in the generated teams (a booked meeting nobody can fit is a breach of
# its own, see test_model_infeasible.py); True would test without them.
DROP_BOOKED = False


def _team(n_workers: int, n_children: int, seed: int, start: date):
    team = generate_team(n_workers, n_children, seed=seed, start=start)
    if DROP_BOOKED:
        team = replace(team, meetings=tuple(m for m in team.meetings if m.status != "booked"))
    return team


@PROPERTY
@given(n_workers=st.integers(2, 4), n_children=st.integers(3, 10), seed=st.integers(0, 10**6),
       standard=st.sampled_from(STANDARDS))
def test_verifier_finds_nothing_outside_the_breach_register(n_workers, n_children, seed, standard):
    team = _team(n_workers, n_children, seed, START)
    result, violations = plan_team(team, _loaded[standard], START, weeks=2, time_limit=5, diagnose_seconds=1)
    assert result.status in ("OPTIMAL", "FEASIBLE")
    assert unexplained(result, violations) == []
    # and the register lists no breach the verifier does not see (no false alarms)
    assert {(b.child_id, b.requirement, b.due_by) for b in result.breaches} == breach_keys(violations)
    for b in result.breaches:
        assert b.reason
        assert b.days_late > 0
        assert b.planned_date is None or b.days_late == (b.planned_date - b.due_by).days


@PROPERTY
@given(n_workers=st.integers(2, 4), n_children=st.integers(3, 10), seed=st.integers(0, 10**6),
       standard=st.sampled_from(STANDARDS),
       start=st.sampled_from((date(2026, 12, 14), date(2026, 12, 21))), weeks=st.integers(2, 3))
def test_plans_across_christmas_skip_bank_holidays_and_explain_every_miss(
        n_workers, n_children, seed, standard, start, weeks):
    team = _team(n_workers, n_children, seed, start)
    result, violations = plan_team(team, _loaded[standard], start, weeks=weeks, time_limit=5, diagnose_seconds=1)
    assert result.status in ("OPTIMAL", "FEASIBLE")
    assert unexplained(result, violations) == []
    holidays = {date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)}
    assert all(a.date.weekday() < 5 and a.date not in holidays for a in result.activities)


@settings(max_examples=3, deadline=None)
@given(seed=st.integers(0, 10**6), standard=st.sampled_from(STANDARDS))
def test_same_inputs_give_the_same_plan(seed, standard):
    team = generate_team(3, 6, seed=seed, start=START)
    runs = [plan_team(team, _loaded[standard], START, weeks=2, time_limit=5, seed=7, diagnose_seconds=1)[0]
            for _ in range(2)]
    assert runs[0].activities == runs[1].activities
    assert runs[0].breaches == runs[1].breaches
