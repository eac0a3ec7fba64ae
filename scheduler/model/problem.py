"""What the horizon asks for: immutable problem data derived from a team and a standard.

This is the bridge from requirements (standards + history) to the model: for each child the
cadence rules in force, their history, and a `due(p, count)` function; for each household the
candidate workers and what a visit by each would contain.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from ..calendar import WorkingCalendar
from ..domain import Child, Team, Worker
from ..params import SolveParams
from ..policy import MEETING_ACTIVITY, at_school, eligible, severity
from ..requirements import due_after, occurrence_dates, trigger_date
from ..standards import Rule, Standard
from ..travel import StraightLineTravel, TravelModel, haversine_km

SEGMENTS = ("am", "pm")  # am: day start to 15:15 (school hours); pm: 15:30 to day end
VISIT_REQUIREMENTS = ("visit", "seen_alone", "bedroom")
PLANNED_MEETINGS = ("core_group", "cp_review", "cin_review", "cic_review", "pathway_review", "pep")


@dataclass(frozen=True)
class Cadence:
    """One cadence rule applied to one child over the horizon."""

    child: Child
    rule: Rule
    trigger: date
    history: tuple[date, ...]  # occurrences on/after the trigger, before the horizon
    sev: int
    cal: WorkingCalendar = field(repr=False)

    @property
    def requirement(self) -> str:
        return self.rule.requirement

    def due(self, last: date | None, count: int) -> date | None:
        return due_after(self.child, self.rule, self.trigger, last, count, self.cal)

    @property
    def counts_matter(self) -> int:
        """Largest occurrence threshold in the phases (0 when phases are date-based only)."""
        return max((p.until.occurrences or 0 for p in self.rule.phases if p.until), default=0)


@dataclass(frozen=True)
class Problem:
    team: Team
    standard: Standard
    cal: WorkingCalendar
    start: date
    end: date
    travel: TravelModel = field(default_factory=StraightLineTravel)
    params: SolveParams = field(default_factory=SolveParams)

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
    def cadences(self) -> list[Cadence]:
        out: list[Cadence] = []
        for child in sorted(self.team.children, key=lambda c: c.child_id):
            for rule in self.standard.rules:
                if rule.on_every_visit or not rule.applies_to.matches(child, self.start):
                    continue
                if rule.requirement not in VISIT_REQUIREMENTS + PLANNED_MEETINGS:
                    continue  # supervision is reported by `rota due`, not planned as a child activity
                if rule.requirement == "seen_alone" and self.alone_exempt(child):
                    continue
                trig = trigger_date(child, rule)
                if trig is None:
                    continue
                hist = [d for d in occurrence_dates(self.team, child.child_id, rule.requirement,
                                                     self.start - timedelta(days=1)) if d >= trig]
                out.append(Cadence(child, rule, trig, tuple(hist), severity(child, rule.level), self.cal))
        return out

    def every_visit(self, child: Child, requirement: str) -> bool:
        return any(r.on_every_visit and r.requirement == requirement and r.applies_to.matches(child, self.start)
                   for r in self.standard.rules)

    @staticmethod
    def alone_exempt(child: Child) -> bool:
        return bool(child.seen_alone_exempt) or child.date_of_birth is None

    def needs_alone(self, child: Child) -> bool:
        """Seen alone is required on visits: an every-visit rule, or a seen-alone cadence."""
        if self.alone_exempt(child):
            return False
        return self.every_visit(child, "seen_alone") or any(
            cd.child is child and cd.requirement == "seen_alone" for cd in self.cadences)

    def has_bedroom_rule(self, child: Child) -> bool:
        return self.every_visit(child, "bedroom") or any(
            cd.child is child and cd.requirement == "bedroom" for cd in self.cadences)

    # --- workers ---
    def eligible_workers(self, child: Child) -> list[Worker]:
        return [w for w in self.team.workers if eligible(w, child)]

    def available(self, worker: Worker, day: date) -> bool:
        return day.weekday() in worker.working_days and not any(
            a.worker_id == worker.worker_id and a.covers(day) for a in self.team.absences)

    def visit_children(self, household_id: str, worker: Worker, day: date, segment: str) -> tuple[Child, ...]:
        """Children a home visit by `worker` sees: those it is eligible for and who are at home
        (school-age children are at school during the am segment)."""
        return tuple(c for c in self.households[household_id] if eligible(worker, c)
                     and not (segment == "am" and at_school(c, day, True)))

    def candidates(self, child: Child) -> list[Worker]:
        """Who may be planned for a child: the allocated worker first, then the nearest eligible
        colleagues by base (SolveParams.cover_candidates) as cover."""
        elig = [w for w in self.team.workers if eligible(w, child)]
        alloc = [w for w in elig if w.worker_id == child.allocated_worker_id]
        others = sorted((w for w in elig if w not in alloc),
                        key=lambda w: (haversine_km((w.base_lat, w.base_lon), (child.lat, child.lon)), w.worker_id))
        return alloc + others[:self.params.cover_candidates + (0 if alloc else 1)]

    def household_candidates(self, household_id: str) -> list[Worker]:
        ids = {w.worker_id for c in self.households[household_id] for w in self.candidates(c)}
        return [w for w in self.team.workers if w.worker_id in ids]

    def base_minutes(self, worker: Worker, household_id: str) -> int:
        return self.travel.minutes((worker.base_lat, worker.base_lon), self.location(household_id))

    @cached_property
    def meeting_activity(self) -> dict[str, str]:
        return MEETING_ACTIVITY
