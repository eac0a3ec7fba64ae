"""Meetings: a core group inside its window by the allocated worker; booked meetings on their date."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from scheduler import policy
from scheduler.domain import Meeting
from tests.model.teams import (
    CAL,
    CP_10WD,
    child,
    every,
    horizon_end,
    leave,
    rule,
    run,
    standard,
    team,
    unexplained,
    visit,
    worker,
)

ICPC = date(2026, 11, 23)  # Mon, just before the plan starts on Mon 30 Nov
# first core group within 10 WD of the ICPC, then every 4 weeks
CORE = rule("t.cp.core", "core_group", [every({"working_days": 10}, occurrences=1), every({"weeks": 4})],
            statuses=["cp"])


def _of(result, activity: str, child_id: str = "C1"):
    return sorted((a for a in result.activities if a.activity == activity and child_id in a.child_ids),
                  key=lambda a: a.date)


def _minutes(a) -> int:
    return int((datetime.combine(a.date, a.end) - datetime.combine(a.date, a.start)).total_seconds() // 60)


def test_first_core_group_within_ten_working_days_of_the_icpc_then_four_weekly():
    # 23 Nov + 10 WD: 24 25 26 27 30 Nov, 1 2 3 4 7 Dec -> first core group by Mon 7 Dec
    t = team([worker(), worker("W2")], [child("C1", status_start=ICPC)], visits=[visit("C1", ICPC)])
    result, violations = run(t, standard(CP_10WD, CORE), weeks=5)
    assert CAL.add_working_days(ICPC, 10) == date(2026, 12, 7)
    cgs = _of(result, "core_group")
    assert cgs and date(2026, 11, 30) <= cgs[0].date <= date(2026, 12, 7)
    for a in cgs:
        assert a.worker_id == "W1" and not a.cover  # the allocated worker, who is available
        assert _minutes(a) >= policy.MEETING_MINUTES["core_group"]
    # then every 4 weeks (28 calendar days) while that falls in the horizon
    for x, y in zip(cgs, cgs[1:], strict=False):
        assert (y.date - x.date).days <= 28
    assert cgs[-1].date + timedelta(weeks=4) > horizon_end(5)
    assert result.breaches == []
    assert unexplained(result, violations) == []


def test_icpc_inside_the_horizon_starts_the_core_group_clock():
    # ICPC Wed 2 Dec (status start inside the horizon): 10 WD -> 3 4 7 8 9 10 11 14 15 16 -> Wed 16 Dec
    icpc = date(2026, 12, 2)
    t = team([worker()], [child("C1", status_start=icpc)])
    result, violations = run(t, standard(CORE), weeks=4)
    assert CAL.add_working_days(icpc, 10) == date(2026, 12, 16)
    cgs = _of(result, "core_group")
    assert cgs and icpc <= cgs[0].date <= date(2026, 12, 16)
    assert result.breaches == []
    assert unexplained(result, violations) == []


def test_core_group_is_covered_when_the_allocated_worker_is_away():
    # W1 is on leave for the whole first window (30 Nov - 7 Dec): an eligible colleague attends
    t = team([worker(), worker("W2")], [child("C1", status_start=ICPC)],
             absences=[leave("W1", date(2026, 11, 30), date(2026, 12, 11))])
    result, violations = run(t, standard(CORE), weeks=2)
    cgs = _of(result, "core_group")
    assert len(cgs) == 1 and cgs[0].date <= date(2026, 12, 7)
    assert cgs[0].worker_id == "W2" and cgs[0].cover
    assert result.breaches == []
    assert unexplained(result, violations) == []


def test_booked_meetings_appear_on_their_dates():
    # a review conference booked for Thu 10 Dec and a core group booked for Fri 4 Dec
    meetings = [Meeting("C1", "rcpc", date(2026, 12, 10), "booked"),
                Meeting("C1", "core_group", date(2026, 12, 4), "booked")]
    t = team([worker()], [child("C1", status_start=ICPC)], visits=[visit("C1", ICPC)], meetings=meetings)
    result, violations = run(t, standard(CP_10WD, CORE), weeks=3)
    assert date(2026, 12, 10) in [a.date for a in _of(result, "rcpc")]
    assert date(2026, 12, 4) in [a.date for a in _of(result, "core_group")]
    for a in _of(result, "rcpc"):
        assert a.worker_id == "W1" and _minutes(a) >= policy.MEETING_MINUTES["rcpc"]
    assert result.breaches == []
    assert unexplained(result, violations) == []


def test_held_core_group_in_history_sets_the_next_due_date():
    # first core group held Tue 24 Nov (before the plan): the 4-weekly phase is in force, so the
    # next is due 24 Nov + 4 weeks = Tue 22 Dec, inside a 4-week horizon (to Sun 27 Dec)
    meetings = [Meeting("C1", "core_group", date(2026, 11, 24), "held")]
    t = team([worker()], [child("C1", status_start=ICPC)], meetings=meetings)
    result, violations = run(t, standard(CORE), weeks=4)
    cgs = _of(result, "core_group")
    assert cgs and cgs[0].date <= date(2026, 12, 22)
    # nothing needed before the 4-weekly phase: no 10 WD core group (it was held already)
    assert result.breaches == []
    assert unexplained(result, violations) == []
