"""A re-plan's additions that nothing needs are taken out (scheduler.model.solve.drop_unneeded):
a later stage cut short by its budget can keep activities the previous plan did not have and no
requirement asks for, each one listed in changes.csv as "added" to a worker's week.

The team and previous plan are tests.replan.scenario's (two weeks from Mon 30 Nov 2026, a CP
child visited every 10 working days, each child's one visit in the plan due on a worked date)."""
from __future__ import annotations

import time
from dataclasses import replace

from scheduler.model.build import Built, build
from scheduler.model.problem import Problem
from scheduler.model.solve import _Clock, _repair, _tighten, _value, decisions, drop_unneeded
from scheduler.replan.neighbourhood import prepare
from tests.model.families.harness import CAL, day_index
from tests.replan.scenario import END, FRI, MON, PREVIOUS, STANDARD, START, THU, TUE, WED, scenario_team

SPAN = (START, END)  # the days the previous plan covered


def _built(absent: bool = False) -> Built:
    pb = prepare(Problem(scenario_team(absent=absent), STANDARD, CAL, START, END, previous=PREVIOUS,
                         previous_span=SPAN))
    return build(replace(pb, params=replace(pb.params, replan_whole_team=True), replan_open=None))


def _solution(b: Built, visits: list[tuple[str, object, str]]) -> dict[int, int]:
    """The complete solution whose decisions are exactly these (child, day, worker) home visits."""
    chosen = {b.v.home[(cid, day_index(b.pb, d), wid, "day")].index for cid, d, wid in visits}
    done = _repair(b, {x.index: int(x.index in chosen) for x in decisions(b)}, _clock())
    assert done is not None
    return _tighten(b, done[0])


def _clock() -> _Clock:
    return _Clock(work=50.0, deadline=time.monotonic() + 60)


def _visits(b: Built, values: dict[int, int]) -> set[tuple[str, object, str]]:
    return {(hid, b.pb.days[di], wid) for (hid, di, wid, _k), x in b.v.home.items() if values.get(x.index)}


AS_BEFORE = [("C5", MON, "W1"), ("C4", TUE, "W1"), ("C1", WED, "W1"), ("C2", WED, "W2"), ("C3", THU, "W3")]


def test_a_second_visit_nothing_requires_is_dropped():
    # the previous plan kept whole, and C2 seen again by W2 on Fri 4 Dec: C2 was seen Wed 2 Dec,
    # next due 2 Dec + 10 working days = Wed 16 Dec, after the plan's end (Sun 13 Dec), so the
    # Friday visit meets nothing and only adds to W2's week
    b = _built()
    values = _solution(b, [*AS_BEFORE, ("C2", FRI, "W2")])
    assert _value(b, "added", values) == 1
    out, dropped = drop_unneeded(b, values, _clock())
    assert dropped == 1
    assert _visits(b, out) == set(AS_BEFORE)
    assert _value(b, "breach", out) == _value(b, "breach", values) == 0


def test_an_addition_that_keeps_a_child_in_time_stays():
    # W1 is off sick Tue 1 - Wed 2 Dec: C4's visit (due Wed 2 Dec: last seen 18 Nov + 10 working
    # days) and C1's (due Fri 4 Dec) cannot stay with W1. W2 sees C4 on Tue 1 Dec and W3 sees C1
    # on Wed 2 Dec - both additions; without either, that child's visit is missed
    b = _built(absent=True)
    plan = [("C5", MON, "W1"), ("C4", TUE, "W2"), ("C1", WED, "W3"), ("C2", WED, "W2"), ("C3", THU, "W3")]
    values = _solution(b, plan)
    assert _value(b, "breach", values) == 0 and _value(b, "added", values) == 2
    out, dropped = drop_unneeded(b, values, _clock())
    assert dropped == 0
    assert _visits(b, out) == set(plan)
