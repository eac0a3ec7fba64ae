"""A worker's day as a route: the order and times of the day's stops, found exactly.

A worker-day holds few stops (the daily visit limit and the hours keep it small), so the best
order is found exactly by dynamic programming over subsets of stops (Held-Karp with time
windows): for each set of stops done and the stop last visited, the Pareto-best (finish time,
travel) labels. A day is feasible when some order starts after the worker's day starts, reaches
each stop in its time window (travel from the previous stop, or from base for the first) and
ends by the end of the day - exactly the rules the verifier checks.

Times are minutes since midnight. Pure functions; the model and the planners share them.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

Point = tuple[float, float]
MAX_EXACT = 10  # stops; above this the day is treated as not fitting (never reached in practice)


@dataclass(frozen=True)
class Stop:
    key: Hashable  # the caller's reference
    location: Point
    minutes: int  # how long the stop takes
    earliest: int  # earliest start (minutes since midnight)
    latest_end: int  # latest end (minutes since midnight)


@dataclass(frozen=True)
class Timed:
    stop: Stop
    start: int
    end: int
    travel: int  # from the previous stop, or from base for the first


def route(base: Point, day_start: int, day_end: int, stops: Sequence[Stop],
          minutes: Callable[[Point, Point], int]) -> list[Timed] | None:
    """The order with the least travel among those that fit the day (None: no order fits).

    Ties are broken by the earliest finish, then by the stops' order in `stops` (deterministic).
    """
    n = len(stops)
    if n == 0:
        return []
    if n > MAX_EXACT:
        return None
    points = [base] + [s.location for s in stops]
    leg = [[minutes(a, b) for b in points] for a in points]  # leg[i][j]: from point i to point j
    # label: (travel, finish, previous state key, previous label index)
    Label = tuple[int, int, tuple[int, int] | None, int]
    labels: dict[tuple[int, int], list[Label]] = {}
    for j, s in enumerate(stops):
        t = leg[0][j + 1]
        begin = max(day_start + t, s.earliest)
        end = begin + s.minutes
        if end <= min(s.latest_end, day_end):
            labels[(1 << j, j)] = [(t, end, None, -1)]
    full = (1 << n) - 1
    for mask in range(1, full + 1):
        for i in range(n):
            here = labels.get((mask, i))
            if not here:
                continue
            for j in range(n):
                if mask & (1 << j):
                    continue
                s = stops[j]
                t = leg[i + 1][j + 1]
                cap = min(s.latest_end, day_end)
                nxt = (mask | (1 << j), j)
                for k, (travel, finish, _, _) in enumerate(here):
                    begin = max(finish + t, s.earliest)
                    end = begin + s.minutes
                    if end <= cap:
                        _add(labels.setdefault(nxt, []), (travel + t, end, (mask, i), k))
    ends = [(lab[0], lab[1], i, k) for i in range(n) for k, lab in enumerate(labels.get((full, i), []))]
    if not ends:
        return None
    _, _, last, k = min(ends)
    return _unwind(labels, stops, leg, full, last, k)


def _add(found: list[tuple[int, int, tuple[int, int] | None, int]],
         label: tuple[int, int, tuple[int, int] | None, int]) -> None:
    """Keep the Pareto-best (travel, finish) labels."""
    travel, finish = label[0], label[1]
    for other in found:
        if other[0] <= travel and other[1] <= finish:
            return  # dominated (or equal: the first found wins, for determinism)
    found[:] = [o for o in found if not (travel <= o[0] and finish <= o[1])]
    found.append(label)


def _unwind(labels: dict, stops: Sequence[Stop], leg: list[list[int]], mask: int, last: int,
            k: int) -> list[Timed]:
    order: list[tuple[int, int]] = []  # (stop index, end)
    state: tuple[int, int] | None = (mask, last)
    while state is not None:
        _travel, finish, prev, pk = labels[state][k]
        order.append((state[1], finish))
        state, k = prev, pk
    order.reverse()
    out: list[Timed] = []
    here = 0
    for idx, end in order:
        s = stops[idx]
        out.append(Timed(s, end - s.minutes, end, leg[here][idx + 1]))
        here = idx + 1
    return out


def fits(base: Point, day_start: int, day_end: int, stops: Sequence[Stop],
         minutes: Callable[[Point, Point], int]) -> bool:
    return route(base, day_start, day_end, stops, minutes) is not None


def minimal_misfit(base: Point, day_start: int, day_end: int, stops: Sequence[Stop],
                   minutes: Callable[[Point, Point], int]) -> list[Stop]:
    """A smallest-by-deletion subset of stops that still does not fit (the stops must not fit):
    removing any one of the returned stops makes the rest fit."""
    core = list(stops)
    i = 0
    while i < len(core):
        trial = core[:i] + core[i + 1:]
        if not fits(base, day_start, day_end, trial, minutes):
            core = trial
        else:
            i += 1
    return core
