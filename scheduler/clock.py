"""Times of day (pure functions): the one home of the minute arithmetic the model, the timed
routes and the verifier share (the school day's fixed times are policy: scheduler.policy)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta


def minutes_of(t: time) -> int:
    """Minutes since midnight."""
    return t.hour * 60 + t.minute


def at_minutes(minutes: int) -> time:
    """The time `minutes` after midnight (within the day)."""
    return (datetime.min + timedelta(minutes=minutes)).time()


def minutes_between(a: time, b: time) -> int:
    """Whole minutes from a to b (0 when b is not after a)."""
    return max(0, minutes_of(b) - minutes_of(a))


def plus(t: time, minutes: int) -> time:
    return (datetime.combine(date.min, t) + timedelta(minutes=minutes)).time()


def hm(t: time) -> str:
    return t.strftime("%H:%M")
