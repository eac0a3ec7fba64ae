"""A plan must always come back: every requirement is soft, so a busy day of booked meetings
may cost breaches but must never make the whole model infeasible."""
from __future__ import annotations

from datetime import date

from scheduler.domain import Meeting
from tests.model.teams import CP_10WD, START, child, plan_team, standard, team, visit, visit_dates, worker


def test_booked_meetings_overflowing_the_morning_still_give_a_plan():
    kids = [child(f"C{i}", offset=i) for i in range(1, 6)]  # C5 has no meeting, only visits
    meetings = [Meeting(f"C{i}", "core_group", date(2026, 12, 7), "booked") for i in range(1, 5)]
    t = team([worker()], kids, visits=[visit(c.child_id, date(2026, 11, 23)) for c in kids],
             meetings=meetings)
    result, _ = plan_team(t, standard(CP_10WD), START, weeks=2, time_limit=5)
    assert result.status in ("OPTIMAL", "FEASIBLE")
    # 23 Nov + 10 WD = Mon 7 Dec: C5 is still visited in time
    assert visit_dates(result, "C5") and visit_dates(result, "C5")[0] <= date(2026, 12, 7)


def test_booked_meeting_that_cannot_fit_is_a_breach_with_its_reason():
    kids = [child(f"C{i}", offset=i) for i in range(1, 6)]
    meetings = [Meeting(f"C{i}", "core_group", date(2026, 12, 7), "booked") for i in range(1, 5)]
    t = team([worker()], kids, visits=[visit(c.child_id, date(2026, 11, 23)) for c in kids],
             meetings=meetings)
    result, _ = plan_team(t, standard(CP_10WD), START, weeks=2, time_limit=5)
    held = [a for a in result.activities if a.activity == "core_group" and a.date == date(2026, 12, 7)]
    dropped = [b for b in result.breaches if b.requirement == "core_group" and b.due_by == date(2026, 12, 7)]
    # 09:00-15:15 holds at most four 90-minute meetings with travel only if travel is nil: at
    # least one booked core group cannot be attended, and each dropped one is in the register
    assert len(held) + len(dropped) == 4 and dropped
    assert all("booked core group" in b.reason and "W1" in b.reason for b in dropped)
