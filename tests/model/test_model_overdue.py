"""Overdue children first (issue 10 item 2): a child whose requirement is already missed is seen at
the first opportunity, and a miss is never left unplanned while a worker has room."""
from __future__ import annotations

from datetime import date

from scheduler.domain import Meeting
from tests.model.teams import CP_10WD, START, breaches_of, child, run, standard, team, unexplained, visit, \
    visit_dates, worker

UNDER_FIVE = date(2023, 1, 1)  # at home all day: no school hours to wait for


def test_an_overdue_child_is_seen_on_the_first_working_day():
    # C1 last seen Mon 2 Nov: due Mon 16 Nov (2 Nov + 10 WD), already overdue when the plan starts
    # on Mon 30 Nov. C2 last seen Fri 27 Nov: due Fri 11 Dec. One visit a day: C1 goes first, Monday.
    kids = [child("C1", dob=UNDER_FIVE, offset=1), child("C2", dob=UNDER_FIVE, offset=2)]
    t = team([worker("W1", max_visits_per_day=1)], kids,
             visits=[visit("C1", date(2026, 11, 2)), visit("C2", date(2026, 11, 27))])
    result, violations = run(t, standard(CP_10WD), weeks=2)
    assert visit_dates(result, "C1")[0] == START
    (missed,) = breaches_of(result, "C1")
    assert missed.due_by == date(2026, 11, 16) and missed.planned_date == START
    # 30 Nov - 16 Nov = 14 calendar days late
    assert missed.days_late == 14
    assert visit_dates(result, "C2") and visit_dates(result, "C2")[0] <= date(2026, 12, 11)
    assert unexplained(result, violations) == []


def test_an_overdue_child_is_planned_even_when_a_booked_day_leaves_little_room():
    # Monday is taken by a booked core group for C2 (09:00-17:00 holds it and a visit); C1 is
    # overdue (last seen 2 Nov, due 16 Nov) and is still seen on Monday, in the room left
    kids = [child("C1", dob=UNDER_FIVE, offset=1), child("C2", dob=UNDER_FIVE, offset=2)]
    t = team([worker("W1")], kids, visits=[visit("C1", date(2026, 11, 2)), visit("C2", date(2026, 11, 27))],
             meetings=[Meeting("C2", "core_group", START, "booked")])
    result, violations = run(t, standard(CP_10WD), weeks=2)
    assert visit_dates(result, "C1")[0] == START
    assert [v for v in violations if v.kind == "overdue"] == []
