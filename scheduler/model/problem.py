"""What the horizon asks for: immutable problem data derived from a team and a standard.

This is the bridge from requirements (scheduler.requirements: which rules apply, their clocks)
to the model: for each child the cadence rules in force over the horizon, their history and a
`due(last, count)` function; for each household the candidate workers and what a visit by each
would contain.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Protocol

from ..calendar import WorkingCalendar
from ..clock import minutes_of
from ..domain import Child, Team, Worker
from ..params import SolveParams
from ..policy import at_school, eligible
from ..requirements import (
    Clock,
    effective_level,
    every_visit_rules,
    make_clock,
    needs_alone,
    occurrence_dates,
    planned_rule,
    rule_severity,
)
from ..routes import Stop as RouteStop
from ..routes import fits
from ..solution import PlannedActivity
from ..standards import Rule, Standard
from ..travel import StraightLineTravel, TravelModel, haversine_km

# a home visit at any time of the working day sees the children not at school; one from 15:30
# (after school) sees every child at home
VISIT_KINDS = ("day", "after_school")


@dataclass(frozen=True)
class Cadence:
    """One cadence rule applied to one child over the horizon."""

    child: Child
    rule: Rule
    clock: Clock
    history: tuple[date, ...]  # occurrences on/after the clock's start, before the horizon
    sev: int
    level: str  # effective level (requirements.effective_level)

    @property
    def requirement(self) -> str:
        return self.rule.requirement

    @property
    def trigger(self) -> date:
        return self.clock.start

    def due(self, last: date | None, count: int) -> date | None:
        return self.clock.due_after(last, count)

    @property
    def counts_matter(self) -> int:
        """Largest occurrence threshold in the phases (0 when phases are date-based only)."""
        return max((p.until.occurrences or 0 for p in self.rule.phases if p.until), default=0)


class DayStop(Protocol):
    """A stop on a worker's day as the model and its passes see it (variables.Load, extract.Stop)."""

    @property
    def kind(self) -> str: ...  # home | school | meeting

    @property
    def household_id(self) -> str: ...

    @property
    def minutes(self) -> int: ...

    @property
    def window(self) -> tuple[int, int]: ...


@dataclass(frozen=True)
class Problem:
    team: Team
    standard: Standard
    cal: WorkingCalendar
    start: date
    end: date
    travel: TravelModel = field(default_factory=StraightLineTravel)
    params: SolveParams = field(default_factory=SolveParams)
    # a re-plan (`rota plan --previous`): the previous plan's activities, activities up to
    # freeze_until kept as they are, the days the previous plan covered (first, last; None: its
    # first and last activity's) and the (child, requirement) its breach register lists;
    # scheduler.model.families.continuity prices every change
    previous: tuple[PlannedActivity, ...] = ()
    freeze_until: date | None = None
    previous_span: tuple[date, date] | None = None
    # the previous breach register: (child_id, requirement, due_by) (scheduler.replan.previous)
    previous_breaches: frozenset[tuple[str, str, date | None]] = frozenset()
    replan_widened: frozenset[str] = frozenset()  # households opened after a first re-plan (neighbourhood.widen)
    # a re-plan's neighbourhood (scheduler.replan.neighbourhood.prepare): the households planned
    # afresh (None: every household, as in a plan) and what the previous plan already missed
    replan_open: frozenset[str] | None = None
    # a plan to start the search from (the earliest-deadline-first plan: scheduler.edf), as data
    start_from: tuple[PlannedActivity, ...] = ()
    replan_baseline: frozenset[tuple[object, ...]] = frozenset()

    @cached_property
    def days(self) -> list[date]:
        """Working days of the horizon (weekends and bank holidays excluded)."""
        return self.cal.working_days_in(self.start, self.end)

    @cached_property
    def households(self) -> dict[str, list[Child]]:
        out: dict[str, list[Child]] = {}
        for c in sorted(self.team.children, key=lambda c: c.child_id):
            out.setdefault(c.household_id, []).append(c)
        return out

    def location(self, household_id: str) -> tuple[float, float]:
        c = self.households[household_id][0]
        return (c.lat, c.lon)

    @cached_property
    def _records(self) -> dict[str, Team]:
        """Each child's recorded visits and meetings before the horizon, as a one-child Team."""
        eve = self.start - timedelta(days=1)
        visits: dict[str, list] = {c.child_id: [] for c in self.team.children}
        meetings: dict[str, list] = {c.child_id: [] for c in self.team.children}
        for v in self.team.visits:
            if v.date <= eve and v.child_id in visits:
                visits[v.child_id].append(v)
        for m in self.team.meetings:
            if m.date <= eve and m.child_id in meetings:
                meetings[m.child_id].append(m)
        return {c.child_id: Team((), (c,), tuple(visits[c.child_id]), tuple(meetings[c.child_id]))
                for c in self.team.children}

    @cached_property
    def cadences(self) -> list[Cadence]:
        """Every cadence rule that applies to a child on some day of the horizon, with its clock."""
        out: list[Cadence] = []
        for child in sorted(self.team.children, key=lambda c: c.child_id):
            records = self._records[child.child_id]
            for rule in self.standard.rules:
                if not planned_rule(rule, child, self.start, self.end):
                    continue  # (requirements.nothing_planned names the children left with none)
                clock = make_clock(child, rule, self.cal, records)
                if clock is None:
                    continue
                hist = [d for d in occurrence_dates(records, child.child_id, rule.requirement) if d >= clock.start]
                on = max(self.start, clock.start)
                out.append(Cadence(child, rule, clock, tuple(hist), rule_severity(self.standard, child, rule, on),
                                   effective_level(self.standard, child, rule, on)))
        return out

    @cached_property
    def _cadence_requirements(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for cd in self.cadences:
            out.setdefault(cd.child.child_id, set()).add(cd.requirement)
        return out

    @cached_property
    def _every_visit_memo(self) -> dict[tuple[str, str, date], bool]:
        return {}

    def every_visit(self, child: Child, requirement: str, day: date | None = None) -> bool:
        """Is `requirement` needed at every visit to the child on `day` (default: the plan's start)?"""
        key = (child.child_id, requirement, day or self.start)
        memo = self._every_visit_memo
        if key not in memo:
            memo[key] = bool(every_visit_rules(self.standard, child, key[2], requirement))
        return memo[key]

    def needs_alone(self, child: Child, day: date | None = None) -> bool:
        """Seen alone is required on visits (requirements.needs_alone: an every-visit rule, or a
        seen-alone cadence)."""
        key = (child.child_id, "needs_alone", day or self.start)
        memo = self._every_visit_memo
        if key not in memo:
            memo[key] = needs_alone(self.standard, child, key[2])
        return memo[key]

    def has_bedroom_rule(self, child: Child, day: date | None = None) -> bool:
        return self.every_visit(child, "bedroom", day) or \
            "bedroom" in self._cadence_requirements.get(child.child_id, set())

    # --- workers ---
    def eligible_workers(self, child: Child) -> list[Worker]:
        return [w for w in self.team.workers if eligible(w, child)]

    def available(self, worker: Worker, day: date) -> bool:
        # memoised: asked for every household, day and worker as the model is built
        memo = self._available_memo
        key = (worker.worker_id, day)
        if key not in memo:
            memo[key] = day.weekday() in worker.working_days and not any(
                a.worker_id == worker.worker_id and a.covers(day) for a in self.team.absences)
        return memo[key]

    @cached_property
    def _available_memo(self) -> dict[tuple[str, date], bool]:
        return {}

    def visit_children(self, household_id: str, worker: Worker, day: date, kind: str) -> tuple[Child, ...]:
        """Children a home visit by `worker` sees: those it is eligible for and who are at home
        (school-age children are at school unless the visit is after school)."""
        return tuple(c for c in self.households[household_id] if eligible(worker, c)
                     and not (kind == "day" and at_school(c, day, True)))

    def candidates(self, child: Child) -> list[Worker]:
        """Who may be planned for a child: the allocated worker first, then every eligible colleague
        as cover, nearest base first (SolveParams.cover_candidates may keep only the nearest few)."""
        memo = self._candidates_memo
        if child.child_id not in memo:
            elig = [w for w in self.team.workers if eligible(w, child)]
            alloc = [w for w in elig if w.worker_id == child.allocated_worker_id]
            others = sorted((w for w in elig if w not in alloc),
                            key=lambda w: (haversine_km((w.base_lat, w.base_lon), (child.lat, child.lon)),
                                           w.worker_id))
            limit = self.params.cover_candidates
            memo[child.child_id] = alloc + (others if limit is None else others[:limit + (0 if alloc else 1)])
        return list(memo[child.child_id])

    @cached_property
    def _candidates_memo(self) -> dict[str, list[Worker]]:
        return {}

    def plan_pool(self, child: Child, day: date | None = None) -> set[str]:
        """Workers a plan uses for the child: the allocated worker and the nearest eligible
        colleagues (SolveParams.plan_cover_candidates); the proof of the fewest breaches considers
        every eligible worker (candidates). In a re-plan, the nearest colleagues available on
        `day` - one on leave is passed over for the next nearest: its small neighbourhood has no
        proof's search and no hand-method plan to fall back on. (In a whole plan the day-aware
        pool made the later stage's search worse - measured on generated 10/200 teams: swindon
        cover 23 -> 59, dudley 9 -> 18 - while those two already cover for absent colleagues.)"""
        memo = self._pool_memo
        key = (child.child_id, day)
        if key not in memo:
            limit = self.params.plan_cover_candidates
            pool = self.candidates(child)
            if limit is None:
                memo[key] = frozenset(w.worker_id for w in pool)
            else:
                alloc = [w for w in pool if w.worker_id == child.allocated_worker_id]
                others = [w for w in pool if w not in alloc
                          and (day is None or not self.previous or self.available(w, day))]
                memo[key] = frozenset(w.worker_id for w in alloc + others[:limit + (0 if alloc else 1)])
        return set(memo[key])

    @cached_property
    def _pool_memo(self) -> dict[tuple[str, date | None], frozenset[str]]:
        return {}

    def household_candidates(self, household_id: str) -> list[Worker]:
        ids = {w.worker_id for c in self.households[household_id] for w in self.candidates(c)}
        return [w for w in self.team.workers if w.worker_id in ids]

    def hub(self, worker: Worker, day: date | None = None) -> tuple[float, float]:
        """Where a worker's planned day is reckoned from (the planning margin's star trips): the
        home nearest to the others among the day's stops in the plan the search starts from
        (start_from), or else among the worker's allocated households - when trips from it are
        shorter on average than from their base; otherwise the base."""
        if day is not None and (worker.worker_id, day) in self._day_hubs:
            return self._day_hubs[(worker.worker_id, day)]
        return self._hubs[worker.worker_id]

    @cached_property
    def _day_hubs(self) -> dict[tuple[str, date], tuple[float, float]]:
        homes: dict[tuple[str, date], set[str]] = {}
        for a in self.start_from:
            if a.household_id in self.households:
                homes.setdefault((a.worker_id, a.date), set()).add(a.household_id)
        workers = {w.worker_id: w for w in self.team.workers}
        return {key: self._best_hub(workers[key[0]], sorted(hs)) for key, hs in homes.items() if key[0] in workers}

    def _best_hub(self, w: Worker, homes: list[str]) -> tuple[float, float]:
        base = (w.base_lat, w.base_lon)
        medoid = min(homes, key=lambda h: (sum(self.between(h, o) for o in homes), h))
        point = self.location(medoid)
        typical = max(len(homes), 1)  # stops in the day
        via_hub = self.travel.minutes(base, point) + 2 * typical * sum(
            self.between(medoid, h) for h in homes) / len(homes)
        from_base = 2 * typical * sum(self.travel.minutes(base, self.location(h)) for h in homes) / len(homes)
        return point if via_hub < from_base else base

    @cached_property
    def _hubs(self) -> dict[str, tuple[float, float]]:
        out = {}
        for w in self.team.workers:
            base = (w.base_lat, w.base_lon)
            homes = sorted({c.household_id for c in self.team.children if c.allocated_worker_id == w.worker_id})
            if not homes:
                out[w.worker_id] = base
                continue
            out[w.worker_id] = self._best_hub(w, homes)
        return out

    @cached_property
    def _between_memo(self) -> dict[tuple[str, str], int]:
        return {}

    @cached_property
    def _nearest_memo(self) -> dict[str, list[tuple[int, str]]]:
        return {}

    def nearest_into(self, h: str, places: set[str]) -> int | None:
        """Travel minutes into household h from the nearest other household of `places` (None
        when there is none). The same value as min(between(o, h) for o in places - {h}), from
        each household's list of the others by distance, made once: a worker-day of a large
        team has hundreds of possible places, and the plain minimum was most of the model's
        build time (20 workers / 400 children: 18.5 million travel look-ups)."""
        memo = self._nearest_memo
        if h not in memo:
            memo[h] = sorted((self.between(o, h), o) for o in self.households if o != h)
        for minutes, o in memo[h]:
            if o in places:
                return minutes
        return None

    def between(self, a: str, b: str) -> int:
        """Travel minutes from household a to household b."""
        memo = self._between_memo
        if (a, b) not in memo:
            memo[(a, b)] = self.travel.minutes(self.location(a), self.location(b))
        return memo[(a, b)]

    @cached_property
    def _previous_slots(self) -> frozenset[tuple[str, ...]]:
        return frozenset((("visit", a.household_id) if a.activity == "visit" else (a.activity, *a.child_ids))
                         + (a.date.isoformat(), a.worker_id) for a in self.previous)

    def may_visit(self, household_id: str, day: date, worker_id: str) -> bool:
        """May the model plan a visit to this household by this worker on this day? Always,
        except in a re-plan for a household not planned afresh: only where it had one."""
        allowed = self.replan_open
        return allowed is None or household_id in allowed or \
            ("visit", household_id, day.isoformat(), worker_id) in self._previous_slots

    def may_meet(self, child: Child, activity: str, day: date, worker_id: str) -> bool:
        """Likewise for a meeting."""
        allowed = self.replan_open
        return allowed is None or child.household_id in allowed or \
            (activity, child.child_id, day.isoformat(), worker_id) in self._previous_slots

    def day_fits(self, worker: Worker, stops: Sequence[DayStop]) -> bool:
        """Do these stops fit the worker's day: the daily visit limit and a real route
        (scheduler.routes) from their base within their hours?"""
        if sum(1 for s in stops if s.kind != "meeting") > worker.max_visits_per_day:
            return False
        route_stops = [RouteStop(i, self.location(s.household_id), s.minutes, *s.window) for i, s in enumerate(stops)]
        return fits((worker.base_lat, worker.base_lon), minutes_of(worker.day_start), minutes_of(worker.day_end),
                    route_stops, self.travel.minutes)

    def base_minutes(self, worker: Worker, household_id: str) -> int:
        memo = self._base_memo
        key = (worker.worker_id, household_id)
        if key not in memo:
            memo[key] = self.travel.minutes((worker.base_lat, worker.base_lon), self.location(household_id))
        return memo[key]

    @cached_property
    def _base_memo(self) -> dict[tuple[str, str], int]:
        return {}
