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
    kids = [child(f"C{i}", offset=i) for i in range(1, 8)]
    meetings = [Meeting(f"C{i}", "core_group", date(2026, 12, 7), "booked") for i in range(1, 7)]
    t = team([worker()], kids, visits=[visit(c.child_id, date(2026, 11, 23)) for c in kids],
             meetings=meetings)
    result, _ = plan_team(t, standard(CP_10WD), START, weeks=2, time_limit=5)
    held = [a for a in result.activities if a.activity == "core_group" and a.date == date(2026, 12, 7)]
    dropped = [b for b in result.breaches if b.requirement == "core_group" and b.due_by == date(2026, 12, 7)]
    # 09:00-17:00 (480 minutes) holds at most five 90-minute meetings (450 + travel): at least
    # one of the six booked core groups cannot be attended, and each dropped one is in the register
    assert len(held) + len(dropped) == 6 and dropped
    assert all("booked core group" in b.reason and "W1" in b.reason for b in dropped)
    # "fully booked" is claimed only when proven; unproven, the reason says so
    assert all(("fully booked" in b.reason) is b.proven_unavoidable for b in dropped)
    assert all(b.proven_unavoidable or "not proven" in b.reason for b in dropped)


def test_a_booked_meeting_dropped_without_a_proof_says_not_proven():
    # the same day, with no time to prove: whatever is dropped is "not held", never "fully booked"
    from scheduler.model.problem import Problem
    from scheduler.model.solve import solve
    from scheduler.params import SolveParams
    from scheduler.plan import booked_breaches
    from tests.model.teams import CAL

    kids = [child(f"C{i}", offset=i) for i in range(1, 8)]
    meetings = [Meeting(f"C{i}", "core_group", date(2026, 12, 7), "booked") for i in range(1, 7)]
    t = team([worker()], kids, visits=[visit(c.child_id, date(2026, 11, 23)) for c in kids],
             meetings=meetings)
    pb = Problem(t, standard(CP_10WD), CAL, START, date(2026, 12, 13), params=SolveParams(time_limit=10))
    solved = solve(pb, time_limit=10)
    solved.breaches_optimal = False  # as when the proof runs out of time
    dropped = booked_breaches(pb, solved)
    assert dropped and all(not b.proven_unavoidable for b in dropped)
    assert all("is not held in this plan; not proven" in b.reason and "fully booked" not in b.reason
               for b in dropped)
