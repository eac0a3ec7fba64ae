"""Earliest deadline first: the team manager's hand method, as a baseline for the CP-SAT planner.

Each working day of the horizon, in order:
1. meetings booked in the diary for that day are placed first (the allocated worker, or an
   eligible colleague when the allocated worker is away);
2. every child's next due dates (scheduler.requirements, updated as the plan grows) go in one
   queue, soonest first; a worker takes their own children due within the next few days they
   are in (LOOKAHEAD_DAYS), as long as the day still fits: working hours with travel along the
   day's route (scheduler.travel), visit and meeting lengths (scheduler.policy), the daily visit
   limit, one visit per household per day;
3. a child whose allocated worker is away (absent or not working that day) and who is due before
   that worker is back is covered by the nearest eligible colleague with room; every cover
   visit says why.

A home visit sees every child of the household the worker may visit (scheduler.policy.eligible)
who is at home; school-age children are at school in school hours, so seeing them alone at home
waits until after school (policy.AFTER_SCHOOL) or happens at school. Planned meetings go in
school hours; booked ones may be after school. Nothing is optimised beyond that: this is the
baseline the CP-SAT planner has to beat (benchmarks/edf_vs_cpsat.py).

The breaches are the independent verifier's cadence findings (scheduler.verifier), plus booked
meetings nobody could attend; none is called proven unavoidable.
"""
from __future__ import annotations

import time as _time
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from . import policy
from .domain import Child, Team, Worker
from .horizon import Horizon
from .requirements import Clock, applies_between, cannot_be_seen_alone, every_visit_rules, make_clock, occurrence_dates
from .solution import Breach, PlannedActivity, PlanResult
from .standards import PLANNED_REQUIREMENTS, Rule, Standard
from .travel import Point, StraightLineTravel, TravelModel, haversine_km
from .verifier import verify

LOOKAHEAD_DAYS = 3  # a hand-planned diary: children due within the worker's next 3 days in
VISIT_REQUIREMENTS = ("visit", "seen_alone", "bedroom")
METHOD = "edf"


@dataclass
class _Cadence:
    """One cadence rule for one child, with the occurrences counted so far."""

    rule: Rule
    clock: Clock  # scheduler.requirements: when it starts, its phases, until when it applies
    last: date | None
    count: int

    def due(self) -> date | None:
        return self.clock.due_after(self.last, self.count)

    def record(self, day: date) -> None:
        if day >= self.clock.start:
            self.last, self.count = day, self.count + 1


@dataclass(frozen=True)
class _Stop:
    kind: str  # home | school | meeting
    segment: str  # am (school hours) | pm (after school)
    household_id: str
    activity: str
    children: tuple[Child, ...]
    alone: tuple[str, ...]
    bedroom: tuple[str, ...]
    minutes: int
    location: Point
    cover_reason: str = ""


@dataclass
class _Day:
    """One worker's day as it is being filled."""

    worker: Worker
    day: date
    stops: list[_Stop] = field(default_factory=list)

    def visits(self) -> int:
        return sum(1 for s in self.stops if s.kind != "meeting")


def _plus(t: time, minutes: int) -> time:
    return (datetime.combine(date.min, t) + timedelta(minutes=minutes)).time()


def _route(stops: list[_Stop], start: Point, travel: TravelModel) -> list[_Stop]:
    """Nearest neighbour from `start`, ties by household and activity (deterministic)."""
    left, here, order = list(stops), start, []
    while left:
        nxt = min(left, key=lambda s: (travel.minutes(here, s.location), s.household_id, s.activity))
        order.append(nxt)
        left.remove(nxt)
        here = nxt.location
    return order


def timed(d: _Day, travel: TravelModel) -> list[tuple[_Stop, time, time, int]] | None:
    """(stop, start, end, travel minutes) along the day's route, or None when it does not fit:
    school-hours stops end by 15:15, the rest by the end of the worker's day."""
    w = d.worker
    base = (w.base_lat, w.base_lon)
    am = _route([s for s in d.stops if s.segment == "am"], base, travel)
    pm = _route([s for s in d.stops if s.segment == "pm"], am[-1].location if am else base, travel)
    clock, here, out = w.day_start, base, []
    for s in am + pm:
        minutes = travel.minutes(here, s.location)
        begin = _plus(clock, minutes)
        if s.segment == "pm" and begin < policy.AFTER_SCHOOL:
            begin = policy.AFTER_SCHOOL
        if s.kind == "school" and begin < policy.SCHOOL_START:
            begin = policy.SCHOOL_START
        if begin < clock:  # (past midnight)
            return None
        end = _plus(begin, s.minutes)
        if end < begin or end > w.day_end or (s.segment == "am" and end > policy.SCHOOL_END):
            return None
        out.append((s, begin, end, minutes))
        clock, here = end, s.location
    return out


class EdfPlanner:
    def __init__(self, team: Team, standard: Standard, horizon: Horizon,
                 travel: TravelModel | None = None, lookahead_days: int = LOOKAHEAD_DAYS) -> None:
        self.team, self.standard, self.horizon = team, standard, horizon
        self.cal = horizon.cal
        self.travel = travel or StraightLineTravel()
        self.lookahead = lookahead_days
        self.start, self.end = horizon.start, horizon.end
        self.children = sorted(team.children, key=lambda c: c.child_id)
        eve = self.start - timedelta(days=1)
        # what happened before the plan (booked meetings and anything dated later are not history)
        self.records = replace(team, visits=tuple(v for v in team.visits if v.date <= eve),
                               meetings=tuple(m for m in team.meetings if m.date <= eve))
        self.workers = {w.worker_id: w for w in team.workers}
        self.households: dict[str, list[Child]] = {}
        for c in self.children:
            self.households.setdefault(c.household_id, []).append(c)
        self.cadences: dict[str, list[_Cadence]] = {c.child_id: self._cadences(c) for c in self.children}
        self.days: dict[tuple[str, date], _Day] = {}
        self.visited: set[tuple[str, date]] = set()  # (household, day): one visit a day
        self.booked: dict[tuple[str, str], list[date]] = {}  # (child, activity) -> booked dates
        for m in team.meetings:
            if m.status == "booked":
                self.booked.setdefault((m.child_id, m.meeting_type), []).append(m.date)
        self.booked_missed: list[Breach] = []

    # ---- what each child needs
    def _cadences(self, child: Child) -> list[_Cadence]:
        """Every planned cadence rule that applies to the child on some day of the horizon, with
        its clock and the history before the plan (the definitions of scheduler.requirements)."""
        out = []
        eve = self.start - timedelta(days=1)
        for rule in self.standard.rules:
            if rule.on_every_visit or rule.requirement not in PLANNED_REQUIREMENTS:
                continue  # case supervision is not planned in the rota
            if not applies_between(rule, child, self.start, self.end):
                continue  # (seen alone never applies to an exempt or unborn child)
            clock = make_clock(child, rule, self.cal, self.records)
            if clock is None:
                continue
            history = [d for d in occurrence_dates(self.records, child.child_id, rule.requirement, eve)
                       if d >= clock.start]
            out.append(_Cadence(rule, clock, history[-1] if history else None, len(history)))
        return out

    def every_visit(self, child: Child, requirement: str, day: date) -> bool:
        return bool(every_visit_rules(self.standard, child, day, requirement))

    def needs_alone(self, child: Child, day: date) -> bool:
        if cannot_be_seen_alone(child):
            return False
        return self.every_visit(child, "seen_alone", day) or any(
            cd.rule.requirement == "seen_alone" for cd in self.cadences[child.child_id])

    def has_bedroom_rule(self, child: Child, day: date) -> bool:
        return self.every_visit(child, "bedroom", day) or any(
            cd.rule.requirement == "bedroom" for cd in self.cadences[child.child_id])

    def due(self, child: Child, requirements: tuple[str, ...]) -> date | None:
        dues = [d for cd in self.cadences[child.child_id] if cd.rule.requirement in requirements
                and (d := cd.due()) is not None]
        return min(dues) if dues else None

    # ---- who is in
    def available(self, w: Worker, day: date) -> bool:
        return self.cal.is_working_day(day) and day.weekday() in w.working_days and not any(
            a.worker_id == w.worker_id and a.covers(day) for a in self.team.absences)

    def away_reason(self, w: Worker, day: date) -> str:
        for a in self.team.absences:
            if a.worker_id == w.worker_id and a.covers(day):
                return f"allocated worker {w.worker_id} absent ({a.kind})"
        return f"allocated worker {w.worker_id} does not work on {day:%A}s"

    def days_in(self, w: Worker, day: date, n: int) -> date:
        """The nth day from `day` (inclusive) that the worker is in (looking past the horizon's
        end: a child due just after it is still seen; a worker away for 3 months counts as gone)."""
        d, seen = day, 0
        while d <= self.end + timedelta(days=90):
            if self.available(w, d):
                seen += 1
                if seen == n:
                    return d
            d += timedelta(days=1)
        return d

    def allocated(self, child: Child) -> Worker | None:
        w = self.workers.get(child.allocated_worker_id or "")
        return w if w is not None and policy.eligible(w, child) else None

    def day_of(self, w: Worker, day: date) -> _Day:
        return self.days.setdefault((w.worker_id, day), _Day(w, day))

    # ---- placing one activity
    def try_add(self, w: Worker, day: date, stop: _Stop) -> bool:
        d = self.day_of(w, day)
        if stop.kind != "meeting" and d.visits() >= w.max_visits_per_day:
            return False
        d.stops.append(stop)
        if timed(d, self.travel) is None:
            d.stops.pop()
            return False
        return True

    def home_stop(self, w: Worker, day: date, household_id: str, segment: str, reason: str,
                  own_only: bool) -> _Stop | None:
        kids = tuple(c for c in self.households[household_id] if policy.eligible(w, c)
                     and not (segment == "am" and policy.at_school(c, day, True))
                     and (not own_only or c.allocated_worker_id == w.worker_id))
        if not kids:
            return None
        alone = tuple(c.child_id for c in kids if self.needs_alone(c, day))
        bedroom = tuple(c.child_id for c in kids if self.has_bedroom_rule(c, day))
        return _Stop("home", segment, household_id, "visit", kids, alone, bedroom,
                     policy.visit_minutes(len(kids), len(alone)), (kids[0].lat, kids[0].lon), reason)

    def place_visit(self, w: Worker, day: date, child: Child, reason: str) -> bool:
        """A home visit (in school hours when the child is home then, else after school) or,
        failing that, a visit at school; True when one fits."""
        if (child.household_id, day) in self.visited:
            return False
        own_only = not reason
        school_age = policy.at_school(child, day, True)
        # after school when the child, or a sibling due soon, is at school in school hours
        sibling_at_school = any(policy.at_school(c, day, True) and c is not child and policy.eligible(w, c)
                                and (d := self.due(c, VISIT_REQUIREMENTS)) is not None and d <= self.end
                                for c in self.households[child.household_id])
        segments = ("pm",) if school_age else ("pm", "am") if sibling_at_school else ("am", "pm")
        for seg in segments:
            stop = self.home_stop(w, day, child.household_id, seg, reason, own_only)
            if stop is not None and child in stop.children and self.try_add(w, day, stop):
                self.seen(stop, day)
                return True
        if school_age and not self.every_visit(child, "bedroom", day):
            alone = (child.child_id,) if self.needs_alone(child, day) else ()
            stop = _Stop("school", "am", child.household_id, "visit", (child,), alone, (),
                         policy.visit_minutes(1, len(alone)), (child.lat, child.lon), reason)
            if self.try_add(w, day, stop):
                self.seen(stop, day)
                return True
        return False

    def place_meeting(self, w: Worker, day: date, child: Child, activity: str, reason: str,
                      segments: tuple[str, ...] = ("am",)) -> bool:
        minutes = policy.MEETING_MINUTES.get(activity, 60)
        for seg in segments:
            stop = _Stop("meeting", seg, child.household_id, activity, (child,), (), (), minutes,
                         (child.lat, child.lon), reason)
            if self.try_add(w, day, stop):
                self.seen(stop, day)
                return True
        return False

    def seen(self, stop: _Stop, day: date) -> None:
        """Count the activity as an occurrence of every requirement it meets."""
        if stop.kind != "meeting":
            self.visited.add((stop.household_id, day))
        for c in stop.children:
            for cd in self.cadences[c.child_id]:
                req = cd.rule.requirement
                if stop.activity == "visit":
                    met = req == "visit" or (req == "seen_alone" and c.child_id in stop.alone) or \
                        (req == "bedroom" and c.child_id in stop.bedroom)
                else:
                    met = policy.MEETING_ACTIVITY.get(req) == stop.activity
                if met:
                    cd.record(day)

    # ---- the day
    def booked_today(self, day: date) -> None:
        children = {c.child_id: c for c in self.children}
        for m in sorted(self.team.meetings, key=lambda m: (m.child_id, m.meeting_type)):
            if m.status != "booked" or m.date != day or m.meeting_type == "supervision":
                continue
            child = children.get(m.child_id)
            if child is None:
                continue
            own = self.allocated(child)
            if own is not None and self.available(own, day) and \
                    self.place_meeting(own, day, child, m.meeting_type, "", ("am", "pm")):
                continue
            reason = self.cover_reason(child, own, day, "booked in the diary")
            if not any(self.place_meeting(w, day, child, m.meeting_type, reason, ("am", "pm"))
                       for w in self.cover_workers(child, own, day)):
                self.booked_missed.append(Breach(
                    child_id=child.child_id, requirement=m.meeting_type, due_by=day, planned_date=None,
                    days_late=0, severity=policy.BOOKED_MISSED_SEVERITY, level="statutory", rule_id="booked",
                    reason=f"booked {m.meeting_type.replace('_', ' ')} on {day:%a %d %b %Y}: no eligible "
                           "worker in that day had room (earliest-deadline-first plan)",
                    proven_unavoidable=False))

    def cover_reason(self, child: Child, own: Worker | None, day: date, why: str = "") -> str:
        if own is None:
            who = child.allocated_worker_id
            head = "no allocated worker" if not who or who not in self.workers else \
                f"allocated worker {who} may not carry it out (not eligible)"
        elif not self.available(own, day):
            head = self.away_reason(own, day)
        else:
            head = f"allocated worker {own.worker_id} fully booked that day"
        return f"{head}; {why}" if why else head

    def cover_workers(self, child: Child, own: Worker | None, day: date) -> list[Worker]:
        """Eligible colleagues in that day, nearest base first."""
        return sorted((w for w in self.workers.values() if w is not own and policy.eligible(w, child)
                       and self.available(w, day)),
                      key=lambda w: (haversine_km((w.base_lat, w.base_lon), (child.lat, child.lon)), w.worker_id))

    def queue(self, day: date) -> list[tuple[date, int, str, str, Child]]:
        """(due, -severity, child, requirement group, child) of everything due soon enough."""
        out = []
        for c in self.children:
            own = self.allocated(c)
            if own is not None and self.available(own, day):
                horizon = self.days_in(own, day, self.lookahead)  # due within their next few days in
            else:
                # cover: what is due within the next few working days and cannot wait for the
                # allocated worker's return (or there is no allocated worker who may do it)
                horizon = self.cal.add_working_days(day, self.lookahead - 1)
                if own is not None:
                    horizon = min(horizon, self.days_in(own, day, 1) - timedelta(days=1))
            severity = policy.STATUS_SEVERITY[c.status]
            visit_due = self.due(c, VISIT_REQUIREMENTS)
            if visit_due is not None and visit_due <= horizon:
                out.append((visit_due, -severity, c.child_id, "visit", c))
            for req, act in policy.MEETING_ACTIVITY.items():
                if req == "supervision":
                    continue
                due = self.due(c, (req,))
                if due is None or due > horizon:
                    continue
                if self.booked_between(c, act, day, due):
                    continue  # the diary already has it in time
                out.append((due, -severity, c.child_id, act, c))
        return sorted(out, key=lambda t: t[:4])

    def booked_between(self, child: Child, activity: str, first: date, last: date) -> bool:
        return any(first <= d <= last for d in self.booked.get((child.child_id, activity), ()))

    def plan_day(self, day: date) -> None:
        self.booked_today(day)
        for due, _, _, what, child in self.queue(day):
            own = self.allocated(child)
            if what == "visit" and self.due(child, VISIT_REQUIREMENTS) != due:
                continue  # already seen today with a sibling
            if own is not None and self.available(own, day):
                if what == "visit":
                    self.place_visit(own, day, child, "")
                else:
                    self.place_meeting(own, day, child, what, "")
                continue  # the allocated worker is in: no cover, even when their day is full
            reason = self.cover_reason(child, own, day,
                                       f"due {due:%a %d %b}" if due >= day else f"overdue since {due:%a %d %b}")
            for w in self.cover_workers(child, own, day):
                ok = self.place_visit(w, day, child, reason) if what == "visit" else \
                    self.place_meeting(w, day, child, what, reason)
                if ok:
                    break

    # ---- the result
    def activities(self) -> list[PlannedActivity]:
        out = []
        for (wid, day), d in sorted(self.days.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            for s, begin, end, minutes in timed(d, self.travel) or []:
                cover = any(c.allocated_worker_id != wid for c in s.children)
                reason = s.cover_reason or (self.cover_reason(s.children[0], self.allocated(s.children[0]), day,
                                                              "sibling seen in the same visit") if cover else "")
                out.append(PlannedActivity(
                    date=day, start=begin, end=end, worker_id=wid, activity=s.activity,
                    household_id=s.household_id, child_ids=tuple(c.child_id for c in s.children),
                    seen_alone_child_ids=s.alone, bedroom_child_ids=s.bedroom, travel_minutes=minutes,
                    cover=cover, location="school" if s.kind == "school" else "home",
                    cover_reason=reason if cover else ""))
        out.sort(key=lambda a: (a.date, a.worker_id, a.start))
        return out

    def look_back(self) -> None:
        """The manager's second look over the month: anything due in the plan that the day-by-day
        pass left with nothing planned after it goes on the latest day still in time where the
        allocated worker has room (a colleague when they are away), or else the first day after. A visit placed
        starts the next interval, which is looked at again."""
        days = list(self.horizon.working_days)
        for child in sorted(self.children, key=lambda c: c.child_id):
            whats = ["visit", *(act for req, act in policy.MEETING_ACTIVITY.items() if req != "supervision")]
            for what in whats:
                reqs = VISIT_REQUIREMENTS if what == "visit" else \
                    tuple(r for r, a in policy.MEETING_ACTIVITY.items() if a == what)
                for _ in range(len(days)):
                    due = self.due(child, reqs)
                    if due is None or due > self.end:
                        break
                    last = max((cd.last for cd in self.cadences[child.child_id]
                                if cd.rule.requirement in reqs and cd.last is not None), default=None)
                    after = [d for d in days if last is None or d > last]
                    order = [d for d in reversed(after) if d <= due] + [d for d in after if d > due]
                    if not any(self._place_anyone(child, what, d, due) for d in order):
                        break

    def _place_anyone(self, child: Child, what: str, day: date, due: date) -> bool:
        own = self.allocated(child)
        why = f"due {due:%a %d %b}" if due >= day else f"overdue since {due:%a %d %b}"
        # as by day: the allocated worker when in, cover only when they are away
        tries = [(own, "")] if own is not None and self.available(own, day) else \
            [(w, self.cover_reason(child, own, day, why)) for w in self.cover_workers(child, own, day)]
        for w, reason in tries:
            if self.place_visit(w, day, child, reason) if what == "visit" else \
                    self.place_meeting(w, day, child, what, reason):
                return True
        return False

    def run(self) -> list[PlannedActivity]:
        for day in self.horizon.working_days:
            self.plan_day(day)
        self.look_back()
        return self.activities()


def statutory_due_count(team: Team, standard: Standard, horizon: Horizon,
                        acts: list[PlannedActivity]) -> int:
    """Statutory due dates up to the horizon's end, walking history then plan (for compliance %)."""
    planner = EdfPlanner(team, standard, horizon)  # fresh cadences from the history
    seen: dict[str, list[tuple[date, PlannedActivity]]] = {}
    for a in acts:
        for cid in a.child_ids:
            seen.setdefault(cid, []).append((a.date, a))
    total = 0
    for cid, cads in planner.cadences.items():
        for cd in cads:
            if cd.rule.level != "statutory":
                continue
            occ = sorted(d for d, a in seen.get(cid, []) if _meets(a, cid, cd.rule.requirement)
                         and d >= cd.clock.start)
            due, i = cd.due(), 0
            while due is not None and due <= horizon.end:
                total += 1  # (one already overdue at the start counts too, as in the CP-SAT plan)
                if i == len(occ):
                    break
                cd.record(occ[i])
                i += 1
                due = cd.due()
    return total


def _meets(a: PlannedActivity, child_id: str, requirement: str) -> bool:
    if requirement == "visit":
        return a.activity == "visit"
    if requirement == "seen_alone":
        return a.activity == "visit" and child_id in a.seen_alone_child_ids
    if requirement == "bedroom":
        return a.activity == "visit" and child_id in a.bedroom_child_ids
    return a.activity == policy.MEETING_ACTIVITY.get(requirement)


def plan_edf(team: Team, standard: Standard, horizon: Horizon, travel: TravelModel | None = None,
             lookahead_days: int = LOOKAHEAD_DAYS) -> PlanResult:
    """Plan the horizon by earliest deadline first and check it with the independent verifier."""
    t0 = _time.monotonic()
    planner = EdfPlanner(team, standard, horizon, travel, lookahead_days)
    acts = planner.run()
    violations = verify(team, standard, horizon.cal, horizon.start, horizon.end, acts, planner.travel)
    children = {c.child_id: c for c in team.children}
    breaches = []
    for v in violations:
        if v.kind != "cadence" or v.child_id is None or v.requirement is None or v.due_by is None:
            continue
        late = v.day
        days_late = (late - v.due_by).days if late else (horizon.end - v.due_by).days + 1
        breaches.append(Breach(
            child_id=v.child_id, requirement=v.requirement, due_by=v.due_by, planned_date=late,
            days_late=days_late, severity=policy.severity(children[v.child_id], v.level or "statutory"),
            reason="earliest-deadline-first plan: " + ("already overdue when the plan starts"
                                                       if v.due_by < horizon.start else
                                                       "not planned in time (not proven unavoidable)"),
            proven_unavoidable=False, level=v.level or "statutory"))
    breaches.sort(key=lambda b: (-b.severity, b.due_by, b.child_id, b.requirement))
    breaches += planner.booked_missed
    seconds = _time.monotonic() - t0
    return PlanResult(
        activities=acts, breaches=breaches, status="FEASIBLE", solve_seconds=round(seconds, 2),
        start=horizon.start, end=horizon.end, standard_key=standard.key,
        requirements_total=statutory_due_count(team, standard, horizon, acts),
        breaches_proven_optimal=False, stats={"method": METHOD, "final_status": "earliest deadline first",
                                              "deterministic": True},
        violations=violations)


def describe(summary_text: str) -> str:
    """`rota plan --method edf`: the summary's solver status lines say what planned the rota instead."""
    out = []
    for line in summary_text.splitlines():
        text = line.strip()
        if text.startswith(("plan status:", "solver:")):
            out.append("  planner: earliest deadline first (the hand method); no breach is proven unavoidable")
        elif not text.startswith(("fewest breaches", "the wall-clock limit")):
            out.append(line)
    return "\n".join(out)
