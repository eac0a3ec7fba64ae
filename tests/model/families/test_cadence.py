"""Cadence family: the windows a child's history and the standard open in the horizon."""
from __future__ import annotations

from datetime import date

from scheduler.model.families import cadence
from tests.model.families.harness import built, day_index, feasible, problem
from tests.model.teams import CP_10WD, child, standard, team, visit, worker

UNDER_FIVE = date(2023, 1, 1)


def test_anchor_window_due_ten_working_days_after_the_last_visit():
    # last visit Mon 16 Nov 2026; + 10 working days = Mon 30 Nov (no bank holiday between)
    t = team([worker("W1")], [child("C1", dob=UNDER_FIVE)], visits=[visit("C1", date(2026, 11, 16))])
    pb = problem(t, standard(CP_10WD))
    b = built(pb, [cadence])
    anchor = [w for w in b.windows if w.after is None]
    assert [w.due for w in anchor] == [date(2026, 11, 30)]
    (w,) = anchor
    # only a visit on Mon 30 Nov meets it: missing it costs the breach literal
    assert not feasible(b, true=[], false=[w.var, *[b.v.seen[("C1", di)] for di in range(len(pb.days))]])
    assert feasible(b, true=[b.v.seen[("C1", day_index(pb, date(2026, 11, 30)))]], false=[w.var])


def test_after_a_planned_visit_the_next_is_due_ten_working_days_later():
    # a visit planned on Mon 30 Nov opens a window due Mon 14 Dec (30 Nov + 10 WD), beyond the
    # horizon ending Fri 11 Dec, so no window follows it; one on Tue 1 Dec -> due Tue 15 Dec: none
    t = team([worker("W1")], [child("C1", dob=UNDER_FIVE)], visits=[visit("C1", date(2026, 11, 16))])
    pb = problem(t, standard(CP_10WD), end=date(2026, 12, 18))
    b = built(pb, [cadence])
    after_mon = [w for w in b.windows if w.after == date(2026, 11, 30)]
    assert date(2026, 12, 14) in {w.due for w in after_mon}


def test_a_window_due_before_the_plan_is_forced():
    # last visit 2 Nov; due 16 Nov, before the plan starts on 30 Nov
    t = team([worker("W1")], [child("C1", dob=UNDER_FIVE)], visits=[visit("C1", date(2026, 11, 2))])
    b = built(problem(t, standard(CP_10WD)), [cadence])
    forced = [w for w in b.windows if w.forced]
    assert [w.due for w in forced] == [date(2026, 11, 16)]
