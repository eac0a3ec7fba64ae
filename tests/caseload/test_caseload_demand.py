"""The occurrences behind demand_hours meet every due date the standard sets in the horizon.

Checked with the verifier's own cadence walk (scheduler.verifier._walk) on the demo team under
each shipped standard: planning exactly the occurrences that `rota caseload` counts leaves no
due date in the horizon missed (only those already overdue when it starts, which no plan avoids).
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from scheduler.caseload.demand import DemandModel, households
from scheduler.horizon import Horizon
from scheduler.loading import load_team
from scheduler.policy import MEETING_ACTIVITY
from scheduler.standards import VISIT_REQUIREMENTS, available_standards, load_standard
from scheduler.verifier import _walk

DEMO = Path(__file__).resolve().parents[2] / "inputs" / "demo"
START = date(2026, 11, 23)  # the demo's history runs to Fri 20 Nov 2026


@pytest.mark.parametrize("name", available_standards())
def test_counted_occurrences_meet_every_due_date_in_the_horizon(name):
    team = load_team(DEMO, START)
    horizon = Horizon(START, 5)  # to Sun 27 Dec: across Christmas
    model = DemandModel(team, load_standard(name), horizon)
    working = set(horizon.working_days)
    checked = 0
    for kids in households(team.children).values():
        occ = model.occurrences(kids)
        assert set(occ.visit_days) <= working and {d for _, d in occ.meeting_days} <= working
        for c in kids:
            for cd in model.cadences(c):
                if cd.requirement in VISIT_REQUIREMENTS:
                    days = list(occ.visit_days)  # one household visit sees every child in it
                else:
                    days = [d for a, d in occ.meeting_days if a == MEETING_ACTIVITY[cd.requirement]]
                missed = _walk(cd.clock, horizon.end, list(cd.history), days, horizon.start)
                assert all(due < horizon.start for due, _ in missed), (c.child_id, cd.rule.id, missed, days)
                checked += 1
    assert checked > 100


def test_fewest_occurrences_each_on_the_last_working_day_it_can_be():
    # CP every 10 working days, last visit Wed 25 Nov 2026, horizon Mon 30 Nov - Sun 27 Dec:
    # due 26,27,30 Nov,1,2,3,4,7,8,9 Dec -> Wed 9 Dec; then 10,11,14,...,18,21,22,23 -> Wed 23 Dec;
    # then 24, 29 (25 and 28 Dec bank holidays)... -> after the horizon: two visits, 9 and 23 Dec
    from tests.caseload.helpers import STANDARD
    from tests.model.teams import child, team, visit, worker

    t = team([worker("W1")], [child("C1", "cp")], visits=[visit("C1", date(2026, 11, 25))])
    model = DemandModel(t, STANDARD, Horizon(date(2026, 11, 30), 4))
    assert model.occurrences(t.children).visit_days == (date(2026, 12, 9), date(2026, 12, 23))
