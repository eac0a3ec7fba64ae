"""Cover a re-plan adds is handed to the child's own worker (scheduler.model.solve.own_worker_swaps)
when that worker's day takes it without moving anything already published: every start time the
day keeps from the previous plan stays (continuity.route_keeping_times, as the rota is written).
The overdue post-pass (solve.overdue_sooner) moves a late visit only onto such a day too.

The team and previous plan are tests.replan.scenario's (two weeks from Mon 30 Nov 2026, a CP
child visited every 10 working days), with one more child, C6 (W3's, under five, ~2 km north of
the shared base), last seen Thu 19 Nov: due 19 Nov + 10 working days (20, 23-27 Nov, 30 Nov,
1-3 Dec) = Thu 3 Dec. The previous plan has W3 at C3's (~1 km north) on Thu 3 Dec, 10:00-10:40,
and nothing for C6. Travel (straight line): base -> C3 3 min, C3 -> C6 3 min, C6 -> base 6 min;
a visit takes 40 minutes."""
from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from datetime import time as clock_time

from scheduler.domain import Child, Team
from scheduler.model.build import Built, build
from scheduler.model.extract import Stop, activities, cover_reason
from scheduler.model.problem import Problem
from scheduler.model.solve import (
    Solved,
    _Clock,
    _later,
    _repair,
    _tighten,
    _value,
    decisions,
    overdue_sooner,
    own_worker_other_day,
    own_worker_swaps,
)
from scheduler.model.variables import ANY_TIME
from scheduler.replan.neighbourhood import prepare
from scheduler.solution import PlannedActivity
from tests.model.families.harness import CAL, day_index
from tests.model.teams import child, leave, visit
from tests.replan.scenario import END, MON, PREVIOUS, STANDARD, START, THU, TUE, WED, act, scenario_team

C6 = child("C6", allocated="W3", offset=6, dob=date(2023, 1, 1))
AS_BEFORE = [("C5", MON, "W1"), ("C4", TUE, "W1"), ("C1", WED, "W1"), ("C2", WED, "W2"), ("C3", THU, "W3")]


def _team(w3_hours: tuple[clock_time, clock_time] | None = None) -> Team:
    t = scenario_team(extra_children=(C6,), visits=(visit("C6", date(2026, 11, 19), "W3"),))
    if w3_hours is None:
        return t
    return replace(t, workers=tuple(replace(w, day_start=w3_hours[0], day_end=w3_hours[1]) if w.worker_id == "W3"
                                    else w for w in t.workers))


def _built(t: Team, previous: tuple[PlannedActivity, ...] = PREVIOUS) -> Built:
    pb = prepare(Problem(t, STANDARD, CAL, START, END, previous=previous, previous_span=(START, END)))
    return build(replace(pb, params=replace(pb.params, replan_whole_team=True), replan_open=None))


def _clock() -> _Clock:
    return _Clock(work=50.0, deadline=time.monotonic() + 60)


def _solution(b: Built, visits: list[tuple[str, date, str]]) -> dict[int, int]:
    chosen = {b.v.home[(cid, day_index(b.pb, d), wid, "day")].index for cid, d, wid in visits}
    done = _repair(b, {x.index: int(x.index in chosen) for x in decisions(b)}, _clock())
    assert done is not None
    return _tighten(b, done[0])


def _visits(b: Built, values: dict[int, int]) -> set[tuple[str, date, str]]:
    return {(hid, b.pb.days[di], wid) for (hid, di, wid, _k), x in b.v.home.items() if values.get(x.index)}


def test_added_cover_goes_to_the_own_worker_whose_day_keeps_its_published_times():
    # W2 sees C6 on Thu 3 Dec (cover: C6 is W3's). W3 works 09:00-17:00 that day and has C3 at
    # 10:00-10:40: C6 fits after it (10:43-11:23) with C3 still at 10:00, so the visit becomes
    # W3's - the same child on the same day, one addition either way, one cover visit fewer
    b = _built(_team())
    values = _solution(b, [*AS_BEFORE, ("C6", THU, "W2")])
    assert _value(b, "cover", values) == 1 and _value(b, "added", values) == 1
    out, n = own_worker_swaps(b, values, _clock())
    assert n == 1
    assert _visits(b, out) == {*AS_BEFORE, ("C6", THU, "W3")}
    assert _value(b, "cover", out) == 0
    assert _value(b, "added", out) == 1 and _value(b, "change", out) == _value(b, "change", values) == 0
    assert _value(b, "breach", out) == _value(b, "breach", values)
    assert _later(b, out) < _later(b, values)


def test_the_rota_written_after_the_hand_over_keeps_the_published_time():
    # the hand-over above, written as the rota is (scheduler.model.extract): W3's Thursday has C3 at
    # its published 10:00-10:40 and C6 after it (10:40 + 3 min of travel = 10:43-11:23)
    b = _built(_team())
    out, n = own_worker_swaps(b, _solution(b, [*AS_BEFORE, ("C6", THU, "W2")]), _clock())
    assert n == 1
    rota = activities(Solved(b, out, "", "", 0, False, 0.0), b.pb)
    thursday = [(a.worker_id, a.child_ids, a.start, a.end) for a in rota if a.date == THU]
    assert thursday == [("W3", ("C3",), clock_time(10, 0), clock_time(10, 40)),
                        ("W3", ("C6",), clock_time(10, 43), clock_time(11, 23))]


def test_added_cover_stays_when_the_own_worker_could_take_it_only_by_moving_a_published_visit():
    # W3 works 09:30-11:15. With C3 kept at 10:00-10:40, C6 fits neither before it (09:30 + 6 min
    # -> 09:36-10:16, then 3 min to C3: 10:19, after 10:00) nor after it (10:40 + 3 -> 10:43-11:23,
    # after 11:15). Only with C3 moved (09:33-10:13, C6 10:16-10:56, base 11:02) - a real route, but
    # W3's published 10:00 would change: the visit stays W2's cover
    b = _built(_team((clock_time(9, 30), clock_time(11, 15))))
    values = _solution(b, [*AS_BEFORE, ("C6", THU, "W2")])
    w3 = b.pb.team.worker("W3")
    loads = [ld for ld in b.v.loads[("W3", day_index(b.pb, THU))]
             if ld.var.index == b.v.home[("C3", day_index(b.pb, THU), "W3", "day")].index
             or ld.var.index == b.v.home[("C6", day_index(b.pb, THU), "W3", "day")].index]
    assert b.pb.day_fits(w3, loads)  # a route exists: the same-day swap of a whole plan would take it
    out, n = own_worker_swaps(b, values, _clock())
    assert n == 0
    assert _visits(b, out) == {*AS_BEFORE, ("C6", THU, "W2")}


def test_cover_the_previous_plan_had_is_not_handed_over():
    # The previous plan itself has W2 at C6's on Thu 3 Dec (people were told); the re-plan adds
    # W2's visit to C7 (W3's too, last seen 19 Nov, due Thu 3 Dec, next door to C6) that day. W3
    # has room for both: C7's visit is handed over, C6's stays W2's as published
    c7 = child("C7", allocated="W3", offset=7, dob=date(2023, 1, 1))
    t = scenario_team(extra_children=(C6, c7), visits=(visit("C6", date(2026, 11, 19), "W3"),
                                                       visit("C7", date(2026, 11, 19), "W3")))
    previous = (*PREVIOUS, replace(PREVIOUS[0], date=THU, worker_id="W2", household_id="C6", child_ids=("C6",)))
    b = _built(t, previous)
    values = _solution(b, [*AS_BEFORE, ("C6", THU, "W2"), ("C7", THU, "W2")])
    assert _value(b, "change", values) == 0 and _value(b, "cover", values) == 2 and _value(b, "added", values) == 1
    out, n = own_worker_swaps(b, values, _clock())
    assert n == 1
    assert _visits(b, out) == {*AS_BEFORE, ("C6", THU, "W2"), ("C7", THU, "W3")}


def _reason(t: Team, previous: tuple[PlannedActivity, ...] = PREVIOUS) -> str:
    """Why W2's visit to C6 on Thu 3 Dec is cover, W3's planned Thursday being C3's visit."""
    pb = Problem(t, STANDARD, CAL, START, END, previous=previous, previous_span=(START, END))
    c3, c6 = (next(c for c in t.children if c.child_id == cid) for cid in ("C3", "C6"))
    return cover_reason(pb, t.worker("W2"), _stop(c6), THU, {("W3", THU): [_stop(c3)]})


def _stop(c: Child) -> Stop:
    return Stop("home", c.household_id, "visit", (c,), (), (), 40, ANY_TIME)


def test_the_cover_reason_says_when_the_own_worker_could_take_it_only_by_moving_published_times():
    assert _reason(_team((clock_time(9, 30), clock_time(11, 15)))) == (
        "C6: W3's day takes it only by moving times already published for that day")
    assert _reason(_team()) == "C6: W3 had room that day too (the planner found no better plan within its work budget)"
    told = (*PREVIOUS, replace(PREVIOUS[0], date=THU, worker_id="W2", household_id="C6", child_ids=("C6",)))
    assert _reason(_team(), told) == "C6: published as W2's in the previous plan, kept"


def test_added_cover_goes_to_the_own_worker_on_another_day_that_takes_it_without_moving_anything():
    # W3 works 09:30-11:15, so their Thursday (C3 at 10:00) cannot take C6 without moving C3's
    # published time. Within 3 working days of Thu 3 Dec, W3's Mon 30 Nov, Tue 1 and Wed 2 Dec are
    # empty in the previous plan and before C6's due date (Thu 3 Dec) - Fri 4, Mon 7 and Tue 8 Dec
    # would be late: the visit becomes W3's on one of the three, one addition either way, no cover
    b = _built(_team((clock_time(9, 30), clock_time(11, 15))))
    values = _solution(b, [*AS_BEFORE, ("C6", THU, "W2")])
    out, n = own_worker_other_day(b, values, _clock())
    assert n == 1
    (moved,) = _visits(b, out) - set(AS_BEFORE)
    assert moved[0] == "C6" and moved[2] == "W3" and moved[1] in (MON, TUE, WED)
    assert _value(b, "cover", out) == 0 and _value(b, "change", out) == 0 and _value(b, "added", out) == 1
    assert _value(b, "breach", out) == _value(b, "breach", values) == 0


def test_added_cover_is_not_moved_to_another_day_that_would_move_a_published_time():
    # C6 last seen Mon 23 Nov: due 23 Nov + 10 working days (24-27, 30 Nov, 1-4, 7 Dec) = Mon 7 Dec.
    # W3 works 09:30-11:15 and the previous plan has W3 at C3's at 10:00-10:40 on every working day
    # from Mon 30 Nov to Tue 8 Dec: as on Thursday, C6 fits none of those days without C3's
    # published 10:00 moving (before it: 09:36-10:16; after it: 10:43-11:23). W2's cover stays
    t = scenario_team(extra_children=(C6,), visits=(visit("C6", date(2026, 11, 23), "W3"),))
    t = replace(t, workers=tuple(replace(w, day_start=clock_time(9, 30), day_end=clock_time(11, 15))
                                 if w.worker_id == "W3" else w for w in t.workers))
    days = [date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 4), date(2026, 12, 7),
            date(2026, 12, 8)]
    previous = (*PREVIOUS, *(act(d, "W3", "C3") for d in days))
    b = _built(t, previous)
    published = [*AS_BEFORE, *(("C3", d, "W3") for d in days)]
    values = _solution(b, [*published, ("C6", THU, "W2")])
    assert _value(b, "change", values) == 0 and _value(b, "cover", values) == 1
    out, n = own_worker_other_day(b, values, _clock())
    assert n == 0
    assert _visits(b, out) == {*published, ("C6", THU, "W2")}


def test_a_late_visit_is_not_moved_sooner_onto_a_day_whose_published_time_would_move():
    # overdue_sooner in a re-plan. W2 and W3 are away Mon 30 Nov-Wed 2 Dec, W1 (one visit a day)
    # is full then (C5, C4, C1), and W3 works 09:30-11:15. C6, due Thu 3 Dec, is seen by W3 on
    # Wed 9 Dec, four working days late. Thursday is the earliest day with room: W3's (C3 published
    # 10:00-10:40) takes C6 only by moving C3 (before it, 09:30 + 6 + 40 + 3 = 10:19; after it,
    # 10:40 + 3 + 40 = 11:23, past 11:15), so the visit goes to W1's free Thursday instead, as cover
    # (which weighs less than the days late it saves), and C3 keeps 10:00
    t = replace(_team((clock_time(9, 30), clock_time(11, 15))),
                absences=(leave("W2", MON, WED), leave("W3", MON, WED)))
    b = _built(t)
    values = _solution(b, [v for v in AS_BEFORE if v[0] != "C2"] + [("C6", date(2026, 12, 9), "W3")])
    out, n = overdue_sooner(b, values, _clock())
    assert n == 1
    assert ("C6", THU, "W1") in _visits(b, out) and ("C6", THU, "W3") not in _visits(b, out)
    assert ("C3", THU, "W3") in _visits(b, out)


def test_the_post_passes_compare_solutions_without_the_planning_only_afresh_price():
    # W3's Thursday takes C6 only by moving C3 (W3 works 09:30-11:15): planned with the margins on,
    # the day is "afresh" and priced as a retime; completed with them off (as every post-pass does)
    # nothing gives the price a value. Were it in the comparison, a post-pass would gain 100,000
    # (a change's weight) for nothing each time it started from a searched solution
    b = _built(_team((clock_time(9, 30), clock_time(11, 15))))
    completed = _solution(b, [*AS_BEFORE, ("C6", THU, "W3")])
    names = {x.index: x.name for _, x in b.share.terms["afresh"]}
    (afresh,) = [i for i, name in names.items() if name == f"afresh[W3,{THU}]"]
    searched = {**completed, afresh: 1}
    assert _value(b, "afresh", searched) == 1 and _value(b, "afresh", completed) == 0
    assert _later(b, searched) == _later(b, completed)
