"""The hours a standard demands of a worker over a horizon, and the hours the worker has.

demand: for the children allocated to a worker, the visits, seen-alone time, meetings and
travel the standard asks for over the horizon, with the planner's own pieces:
- which cadence rules apply, their triggers and history: the planner's problem data
  (scheduler.model.problem.Problem.cadences), built for one child at a time;
- when each occurrence is due: the standards engine (Cadence.due, the rule's clock from
  scheduler.requirements.make_clock), walked forward over the horizon from the child's history;
- how long things take: scheduler.policy (visit_minutes: 40 min a household visit, 10 min per
  further child, 15 min per child seen alone; MEETING_MINUTES);
- travel: a round trip from the worker's base to the household for every visit and meeting
  (scheduler.travel; an upper bound on what a day's route takes);
- households seen together: one visit sees all of the worker's children in the household.

Occurrences are counted as the fewest that meet every due date in the horizon: each is held on
the last working day it can be (or on the first working day of the horizon when it is already
overdue), and the next due date counts from it. Booked meetings (meetings.csv) are held on their
date whatever the cadence says. This is the least the planner must fit in; `rota plan` may plan
more (a buffer day before a due date), never less.

available: working days of the horizon (weekends and the region's bank holidays out) that are
in the worker's pattern and not in an absence, each worth the worker's hours (day start to day
end, as the planner fills them).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..clock import minutes_between
from ..domain import Child, Meeting, Team, Visit, Worker
from ..horizon import Horizon
from ..model.problem import Cadence, Problem
from ..policy import MEETING_ACTIVITY, MEETING_MINUTES, visit_minutes
from ..standards import MEETING_REQUIREMENTS, VISIT_REQUIREMENTS, Standard
from ..travel import Point, StraightLineTravel, TravelModel


@dataclass(frozen=True)
class Demand:
    """What a set of children asks of one worker over the horizon (minutes)."""

    visits: int = 0
    visit_minutes: int = 0  # visit time incl. seen-alone time, without travel
    meetings: int = 0
    meeting_minutes: int = 0
    travel_minutes: int = 0

    @property
    def minutes(self) -> int:
        return self.visit_minutes + self.meeting_minutes + self.travel_minutes

    def __add__(self, other: Demand) -> Demand:
        return Demand(self.visits + other.visits, self.visit_minutes + other.visit_minutes,
                      self.meetings + other.meetings, self.meeting_minutes + other.meeting_minutes,
                      self.travel_minutes + other.travel_minutes)


@dataclass(frozen=True)
class Occurrences:
    """Travel-free part of a household group's demand: the same whoever holds the children."""

    visit_days: tuple[date, ...]
    minutes_per_visit: int
    meeting_days: tuple[tuple[str, date], ...]  # (activity, day)

    @property
    def stops(self) -> int:
        return len(self.visit_days) + len(self.meeting_days)

    def demand(self, travel_each_way: int) -> Demand:
        return Demand(
            visits=len(self.visit_days), visit_minutes=len(self.visit_days) * self.minutes_per_visit,
            meetings=len(self.meeting_days),
            meeting_minutes=sum(MEETING_MINUTES[a] for a, _ in self.meeting_days),
            travel_minutes=2 * travel_each_way * self.stops)


class DemandModel:
    """Demand and availability for one team, standard and horizon (pure; caches per child)."""

    def __init__(self, team: Team, standard: Standard, horizon: Horizon,
                 travel: TravelModel | None = None) -> None:
        self.team, self.standard, self.horizon = team, standard, horizon
        self.travel: TravelModel = travel or StraightLineTravel()
        self.days: list[date] = horizon.working_days
        visits: dict[str, list[Visit]] = defaultdict(list)
        meetings: dict[str, list[Meeting]] = defaultdict(list)
        for v in team.visits:
            visits[v.child_id].append(v)
        for m in team.meetings:
            meetings[m.child_id].append(m)
        self._visits, self._meetings = visits, meetings
        self._problems: dict[str, Problem] = {}
        self._groups: dict[tuple[str, ...], Occurrences] = {}
        # a household's place: its first child's home, as the planner (Problem.location)
        self._location: dict[str, Point] = {}
        for c in sorted(team.children, key=lambda c: c.child_id):
            self._location.setdefault(c.household_id, (c.lat, c.lon))

    # --- the planner's problem data, one child at a time (its history only: fast) ---
    def _problem(self, child: Child) -> Problem:
        pb = self._problems.get(child.child_id)
        if pb is None:
            one = Team(workers=(), children=(child,), visits=tuple(self._visits[child.child_id]),
                       meetings=tuple(self._meetings[child.child_id]))
            pb = Problem(one, self.standard, self.horizon.cal, self.horizon.start, self.horizon.end)
            self._problems[child.child_id] = pb
        return pb

    def cadences(self, child: Child) -> list[Cadence]:
        return self._problem(child).cadences

    def needs_alone(self, child: Child) -> bool:
        return self._problem(child).needs_alone(child)

    def location(self, child: Child) -> Point:
        return self._location.get(child.household_id, (child.lat, child.lon))

    def travel_each_way(self, worker: Worker, child: Child) -> int:
        return self.travel.minutes((worker.base_lat, worker.base_lon), self.location(child))

    # --- occurrences ---
    def occurrences(self, children: Sequence[Child]) -> Occurrences:
        """Visits and meetings for children of one household held by one worker."""
        key = tuple(sorted(c.child_id for c in children))
        found = self._groups.get(key)
        if found is not None:
            return found
        kids = sorted(children, key=lambda c: c.child_id)
        visit_cads = [cd for c in kids for cd in self.cadences(c) if cd.requirement in VISIT_REQUIREMENTS]
        visit_days = self.walk(visit_cads)
        per_visit = visit_minutes(len(kids), sum(1 for c in kids if self.needs_alone(c)))
        meeting_days: list[tuple[str, date]] = []
        for c in kids:
            meeting_days += self._meeting_days(c)
        found = Occurrences(tuple(visit_days), per_visit, tuple(sorted(meeting_days, key=lambda m: (m[1], m[0]))))
        self._groups[key] = found
        return found

    def _meeting_days(self, child: Child) -> list[tuple[str, date]]:
        by_activity: dict[str, list[Cadence]] = defaultdict(list)
        for cd in self.cadences(child):
            if cd.requirement in MEETING_REQUIREMENTS:
                by_activity[MEETING_ACTIVITY[cd.requirement]].append(cd)
        booked: dict[str, list[date]] = defaultdict(list)
        workdays = set(self.days)
        for m in self._meetings[child.child_id]:
            # as the planner: booked meetings on a working day of the horizon, supervision aside
            if m.status == "booked" and m.date in workdays and m.meeting_type != "supervision":
                booked[m.meeting_type].append(m.date)
        out: list[tuple[str, date]] = []
        for activity in sorted(set(by_activity) | set(booked)):
            out += [(activity, d) for d in self.walk(by_activity.get(activity, []), booked.get(activity, []))]
        return out

    def walk(self, cadences: Sequence[Cadence], fixed: Iterable[date] = ()) -> list[date]:
        """The fewest occurrences meeting every due date of `cadences` in the horizon, one
        occurrence counting for all of them; `fixed` days (booked) are held whatever happens."""
        start, end = self.horizon.start, self.horizon.end
        state = [(cd.history[-1] if cd.history else None, len(cd.history)) for cd in cadences]
        pinned = sorted(set(fixed))
        out: list[date] = []
        earliest = start
        while True:
            dues = [cd.due(last, n) for cd, (last, n) in zip(cadences, state, strict=True)]
            need = min((d for d in dues if d is not None), default=None)
            if need is None or need > end:
                break
            day = self._latest_day(earliest, need)
            booked = next((d for d in pinned if d >= earliest), None)
            if booked is not None and (day is None or booked <= day):
                day = booked
            if day is None:
                break  # nothing left of the horizon
            out.append(day)
            state = [(day, n + 1) if day >= cd.trigger else (last, n)
                     for cd, (last, n) in zip(cadences, state, strict=True)]
            earliest = day + timedelta(days=1)
        out += [d for d in pinned if d >= earliest]
        return out

    def _latest_day(self, earliest: date, need: date) -> date | None:
        """The last working day in [earliest, need]; when there is none (already overdue), the
        first working day from `earliest` on; None when the horizon has no such day."""
        lo = bisect_left(self.days, earliest)
        hi = bisect_right(self.days, need)
        if hi > lo:
            return self.days[hi - 1]
        return self.days[lo] if lo < len(self.days) else None

    # --- per worker ---
    def worker_demand(self, worker: Worker, children: Iterable[Child]) -> Demand:
        """Demand of `children` when held by `worker` (grouped by household: seen together)."""
        total = Demand()
        for kids in households(children).values():
            total += self.occurrences(kids).demand(self.travel_each_way(worker, kids[0]))
        return total

    def available_minutes(self, worker: Worker) -> int:
        per_day = minutes_between(worker.day_start, worker.day_end)
        return per_day * sum(1 for d in self.days if self.works_on(worker, d))

    def works_on(self, worker: Worker, day: date) -> bool:
        return day.weekday() in worker.working_days and not any(
            a.worker_id == worker.worker_id and a.covers(day) for a in self.team.absences)


def households(children: Iterable[Child]) -> dict[str, list[Child]]:
    out: dict[str, list[Child]] = defaultdict(list)
    for c in sorted(children, key=lambda c: c.child_id):
        out[c.household_id].append(c)
    return dict(sorted(out.items()))
