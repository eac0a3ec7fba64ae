"""Overdue children seen sooner after the solve (scheduler.model.solve.overdue_sooner, issue 10
item 2): a plan kept from outside the search (the proof's, whose objective is breaches alone)
can see an overdue child weeks late although a worker has room earlier. The late occurrence is
moved to the earliest day with room when the completed plan misses no more and is less late."""
from __future__ import annotations

import time
from datetime import date

from scheduler.model.build import build
from scheduler.model.problem import Problem
from scheduler.model.solve import _Clock, _repair, _tighten, _value, decisions, overdue_sooner
from tests.model.teams import CAL, CP_10WD, START, child, leave, standard, team, visit, worker

UNDER_FIVE = date(2023, 1, 1)  # at home all day
END = date(2026, 12, 11)  # two weeks from Mon 30 Nov


def late_plan(t, day: int):  # type: ignore[no-untyped-def]
    """The model of `t`, and a complete solution with C1 visited by W1 on working day `day` only."""
    built = build(Problem(t, standard(CP_10WD), CAL, START, END))
    clock = _Clock(work=50.0, deadline=time.monotonic() + 60)
    xs = [x for (hid, di, wid, _k), x in sorted(built.v.home.items()) if hid == "C1" and di == day and wid == "W1"]
    chosen = {x.index: int(x.index == xs[0].index) for x in decisions(built)}
    solved = _repair(built, chosen, clock)
    assert solved is not None
    return built, _tighten(built, solved[0]), clock


def visit_days(built, values) -> list[date]:  # type: ignore[no-untyped-def]
    return sorted(built.pb.days[di] for (hid, di, _w, _k), x in built.v.home.items()
                  if hid == "C1" and values.get(x.index))


def test_an_overdue_child_seen_late_is_seen_at_the_first_day_with_room():
    # C1 last seen Mon 2 Nov: due 2 Nov + 10 working days = Mon 16 Nov, overdue when the plan
    # starts on Mon 30 Nov. The plan sees C1 on Thu 10 Dec (day 8); W1 has room on Mon 30 Nov, so
    # the visit moves there. The next visit is then due 30 Nov + 10 working days = Mon 14 Dec,
    # after the plan's end (Fri 11 Dec): nothing new is missed, and C1 is 8 working days less late.
    t = team([worker("W1")], [child("C1", dob=UNDER_FIVE)], visits=[visit("C1", date(2026, 11, 2))])
    built, values, clock = late_plan(t, 8)
    assert visit_days(built, values) == [date(2026, 12, 10)]
    sooner, kept = overdue_sooner(built, values, clock)
    assert kept == 1
    assert visit_days(built, sooner) == [START]
    assert _value(built, "breach", sooner) == _value(built, "breach", values)
    assert _value(built, "late", sooner) < _value(built, "late", values)


def test_the_first_day_back_when_the_worker_is_away():
    # W1, the only worker, is away Mon 30 Nov - Wed 2 Dec: the earliest day with room is Thu 3 Dec
    t = team([worker("W1")], [child("C1", dob=UNDER_FIVE)], visits=[visit("C1", date(2026, 11, 2))],
             absences=[leave("W1", date(2026, 11, 30), date(2026, 12, 2))])
    built, values, clock = late_plan(t, 8)
    sooner, kept = overdue_sooner(built, values, clock)
    assert kept == 1
    assert visit_days(built, sooner) == [date(2026, 12, 3)]
