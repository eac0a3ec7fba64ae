"""Exact day routes: order, times and travel, on hand-checkable distances."""
from __future__ import annotations

from scheduler.routes import Stop, fits, minimal_misfit, route


def line(a: tuple[float, float], b: tuple[float, float]) -> int:
    """Travel minutes = |x difference| + |y difference| (a metric, easy to add up by hand)."""
    return int(abs(a[0] - b[0]) + abs(a[1] - b[1]))


BASE = (0.0, 0.0)
NINE, FIVE = 9 * 60, 17 * 60


def stop(key: str, x: float, minutes: int = 60, earliest: int = 0, latest_end: int = 24 * 60) -> Stop:
    return Stop(key, (x, 0.0), minutes, earliest, latest_end)


def test_stops_on_a_line_are_visited_outwards():
    # base 0 -> A at 10 -> B at 20: travel 10 + 10 = 20 (B first would cost 20 + 10 = 30)
    r = route(BASE, NINE, FIVE, [stop("B", 20), stop("A", 10)], line)
    assert [t.stop.key for t in r] == ["A", "B"]
    # A: 09:10-10:10; B: 10:20-11:20
    assert [(t.start, t.end, t.travel) for t in r] == [(550, 610, 10), (620, 680, 10)]


def test_a_time_window_can_force_a_longer_route():
    # B must start at 15:30 or later (after school): A then B, waiting for B's window
    r = route(BASE, NINE, FIVE, [stop("B", 10, earliest=15 * 60 + 30), stop("A", 20)], line)
    assert [t.stop.key for t in r] == ["A", "B"]
    assert r[-1].start == 15 * 60 + 30 and r[-1].end == 16 * 60 + 30


def test_a_day_that_cannot_hold_its_stops():
    # three 3-hour stops need 9 hours plus travel; the day has 8
    stops = [stop("A", 1, 180), stop("B", 2, 180), stop("C", 3, 180)]
    assert not fits(BASE, NINE, FIVE, stops, line)
    # any two fit (6 h + 3 min travel); so all three are the smallest set that does not
    assert [s.key for s in minimal_misfit(BASE, NINE, FIVE, stops, line)] == ["A", "B", "C"]


def test_school_hours_window_is_respected():
    # a school visit must end by 15:15; starting at 15:00 it cannot
    late = stop("S", 10, 45, earliest=8 * 60 + 45, latest_end=15 * 60 + 15)
    before = stop("H", 5, 360)  # 6 hours at home first would push S past 15:15 ...
    assert route(BASE, NINE, FIVE, [before, late], line)[0].stop.key == "S"  # ... so S goes first
    # S first ends 09:55, then H (5 min away) 10:00 + 430 min = 17:10, after 17:00; H first
    # ends 09:05 + 430 = 16:15, after school: no order fits
    assert not fits(BASE, NINE, FIVE, [stop("H", 5, 430), late], line)


def test_empty_day():
    assert route(BASE, NINE, FIVE, [], line) == []
