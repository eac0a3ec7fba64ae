"""Cover given back (scheduler.model.solve.own_worker_swaps, issue 10 item 6): a plan kept from
outside the search (the hand method's, the proof's) can carry cover visits nobody needed. A cover
visit is handed to the child's own worker on the same day when that worker's day still fits, so
the same children are seen on the same days and no window changes. And the rule that ends the
fewest-breaches stage early (scheduler.model.solve._Progress)."""
from __future__ import annotations

import time
from datetime import date

from scheduler.model.build import build
from scheduler.model.problem import Problem
from scheduler.model.solve import (
    _Clock,
    _Progress,
    _repair,
    _tighten,
    _value,
    decisions,
    own_worker_other_day,
    own_worker_swaps,
)
from tests.model.teams import CAL, CP_10WD, START, child, leave, standard, team, visit, worker

UNDER_FIVE = date(2023, 1, 1)  # at home all day
END = date(2026, 12, 11)  # two weeks from Mon 30 Nov


def plan_by(t, who: str, day: int):  # type: ignore[no-untyped-def]
    """The model of `t`, and a complete solution with C1 visited by `who` on working day `day` only."""
    built = build(Problem(t, standard(CP_10WD), CAL, START, END))
    clock = _Clock(work=50.0, deadline=time.monotonic() + 60)
    xs = [x for (hid, di, wid, _k), x in sorted(built.v.home.items()) if hid == "C1" and di == day and wid == who]
    chosen = {x.index: int(x.index == xs[0].index) for x in decisions(built)}
    solved = _repair(built, chosen, clock)
    assert solved is not None
    return built, solved[0], clock


def w2_covers_on_thursday(last_seen: date, away_from: date, away_to: date):  # type: ignore[no-untyped-def]
    """C1 (W1's) last seen `last_seen`, W1 away `away_from`-`away_to`, and a complete solution with
    C1 visited by W2 on Thu 3 Dec (day 3) only, its objective-only literals tight."""
    t = team([worker("W1"), worker("W2", base_lat=51.62, base_lon=-1.70)], [child("C1", dob=UNDER_FIVE)],
             visits=[visit("C1", last_seen)], absences=[leave("W1", away_from, away_to)])
    built, values, clock = plan_by(t, "W2", 3)
    return built, _tighten(built, values), clock


def visits(built, values) -> list[tuple[str, date]]:  # type: ignore[no-untyped-def]
    return sorted((wid, built.pb.days[di]) for (hid, di, wid, _k), x in built.v.home.items()
                  if hid == "C1" and values.get(x.index))


def test_a_cover_visit_goes_back_to_the_childs_own_worker_on_the_same_day():
    # C1 (allocated W1, last seen Fri 27 Nov) visited by W2 on Thu 3 Dec (day 3): W1 is at work
    # with an empty day, so the visit becomes W1's, still on 3 Dec; the breaches are unchanged.
    t = team([worker("W1"), worker("W2", base_lat=51.62, base_lon=-1.70)], [child("C1", dob=UNDER_FIVE)],
             visits=[visit("C1", date(2026, 11, 27))])
    built, values, clock = plan_by(t, "W2", 3)
    assert visits(built, values) == [("W2", date(2026, 12, 3))]
    swapped, n = own_worker_swaps(built, values, clock)
    assert n == 1
    assert visits(built, swapped) == [("W1", date(2026, 12, 3))]
    assert _value(built, "breach", swapped) == _value(built, "breach", values)
    assert _value(built, "cover", swapped) == 0


def test_cover_stays_when_the_own_worker_is_away_that_day():
    # W1 is away Wed 2 - Fri 4 Dec: W2's visit on Thu 3 Dec is cover with a reason, and stays
    t = team([worker("W1"), worker("W2", base_lat=51.62, base_lon=-1.70)], [child("C1", dob=UNDER_FIVE)],
             visits=[visit("C1", date(2026, 11, 27))],
             absences=[leave("W1", date(2026, 12, 2), date(2026, 12, 4))])
    built, values, clock = plan_by(t, "W2", 3)
    swapped, n = own_worker_swaps(built, values, clock)
    assert n == 0
    assert visits(built, swapped) == [("W2", date(2026, 12, 3))]


def test_cover_goes_back_to_the_own_worker_on_another_day_when_the_standard_allows_it():
    # C1 (allocated W1) last seen Fri 27 Nov: due 27 Nov + 10 working days = Fri 11 Dec. W1 is away
    # Wed 2 - Fri 4 Dec; W2 covers on Thu 3 Dec (day 3). Within 3 working days of it W1 works Mon
    # 30 Nov, Tue 1 Dec, Mon 7 and Tue 8 Dec, all before the due date (and the next visit would be
    # due after the plan's end, Fri 11 Dec): the visit becomes W1's on one of them, no breach, no
    # cover.
    built, values, clock = w2_covers_on_thursday(date(2026, 11, 27), date(2026, 12, 2), date(2026, 12, 4))
    assert _value(built, "cover", values) == 1
    moved, n = own_worker_other_day(built, values, clock)
    assert n == 1
    (who, day), = visits(built, moved)
    assert who == "W1" and day in (date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 7), date(2026, 12, 8))
    assert _value(built, "cover", moved) == 0
    assert _value(built, "breach", moved) == _value(built, "breach", values) == 0


def test_cover_stays_when_the_own_worker_would_see_the_child_late():
    # The same, but C1 was last seen Fri 20 Nov: due Fri 4 Dec. W1 is away Mon 30 Nov - Fri 4 Dec,
    # so W1's nearest days in reach (Mon 7 - Tue 8 Dec) are after the due date: a breach, and the
    # cover visit on Thu 3 Dec stays.
    built, values, clock = w2_covers_on_thursday(date(2026, 11, 20), date(2026, 11, 30), date(2026, 12, 4))
    moved, n = own_worker_other_day(built, values, clock)
    assert n == 0
    assert visits(built, moved) == [("W2", date(2026, 12, 3))]


class _Stub(_Progress):
    """The stopping rule alone, without a solver behind it."""

    def __init__(self, scale: int, gap: float = 0.0, enough: int | None = None, best: int = 0, floor: int = 0):
        super().__init__(None, "test", 0.0, None, scale, gap, enough, floor)  # type: ignore[arg-type]
        self._best = best


def test_the_fewest_breaches_stage_ends_once_breaches_are_proven_and_cover_is_no_worse_than_by_hand():
    # objective = breaches x 100 + cover: best 2003 = 20 breaches (weighted), 3 cover visits
    stub = _Stub(scale=100, enough=5, best=2003)
    assert stub._proven(1901)  # no plan has fewer than ceil(19.01) = 20 breaches
    assert not stub._proven(1900)  # 19 breaches not ruled out
    assert not _Stub(scale=100, enough=2, best=2003)._proven(2003)  # more cover than by hand: go on
    assert not _Stub(scale=100, enough=None, best=2003)._proven(2003)  # a re-plan: to its budget
    # 20 breach units due before the plan started are a floor no plan goes below: reached, the
    # breach part is proven although the search's bound (1500: 15 breaches) is still below it
    assert _Stub(scale=100, enough=5, best=2003, floor=20)._proven(1500)
    assert not _Stub(scale=100, enough=5, best=2103, floor=20)._proven(1500)


def test_the_later_stage_ends_within_its_gap():
    # 0.1% of 143459 is 143.5: ended at a bound of 143326 (gap 133), not at 143300 (gap 159)
    assert _Stub(scale=1, gap=0.001, best=143459)._proven(143326)
    assert not _Stub(scale=1, gap=0.001, best=143459)._proven(143300)
