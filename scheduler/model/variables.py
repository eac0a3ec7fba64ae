"""The variable container: every decision variable of the rota model, created in one place
before any constraint family runs (as the CP-SAT primer's TDD example does).

Decision variables exist only for working days of the horizon (weekends and the region's bank
holidays are not in it) and, outside diagnosis, only for workers who are available that day:
- home[household, day, worker, kind]: a home visit; it sees every child of the household the
  worker is eligible for who is at home: kind "day" (any time of the working day) sees only the
  children not at school that day; kind "after_school" (starting 15:30 or later) sees them all;
- school[child, day, worker]: a visit at school (one school-age child, seen alone, no bedroom;
  never for a child whose bedroom must be seen on every visit);
- meet[child, activity, day, worker]: a meeting (core group, review, PEP...) for a cadence that
  may fall due in the horizon, or one booked in meetings.csv (held at the child's home);
- booked_missed[child, activity, day]: a booked meeting nobody attends (a breach of its own).
Derived indicators are defined here too, with the constraints that define them: seen[child,
day] (any visit), at_home[child, day] (a home visit: the bedroom can be seen), met[child,
activity, day] (the meeting is held). `loads` records, per worker-day, each variable's stop: where
it is, how long it takes and its time window; the availability family turns that into capacity
constraints, and scheduler.routes checks each planned day exactly.

In a re-plan, a household the previous plan still serves gets only the variables of its previous
activities (Problem.may_visit / may_meet; scheduler.model.families.continuity).

Every eligible worker is a candidate for every child (SolveParams.cover_candidates can limit it
for experiments): a breach is "proven unavoidable" only against every rota the verifier accepts.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

from ..clock import minutes_of
from ..policy import (
    AFTER_SCHOOL,
    MEETING_ACTIVITY,
    MEETING_MINUTES,
    SCHOOL_END,
    SCHOOL_START,
    at_school,
    eligible,
    visit_minutes,
)
from ..solution import PlannedActivity
from ..standards import MEETING_REQUIREMENTS
from .problem import VISIT_KINDS, Problem

Lit = cp_model.IntVar
HomeKey = tuple[str, int, str, str]  # (household, day index, worker, kind)
SchoolKey = tuple[str, int, str]  # (child, day index, worker)
MeetKey = tuple[str, str, int, str]  # (child, activity, day index, worker)
ANY_TIME = (0, 24 * 60)
AFTER_SCHOOL_WINDOW = (minutes_of(AFTER_SCHOOL), 24 * 60)
SCHOOL_WINDOW = (minutes_of(SCHOOL_START), minutes_of(SCHOOL_END))


@dataclass(frozen=True)
class Load:
    """The stop a decision variable puts in a worker's day: where, how long, and when it may be."""

    var: Lit
    kind: str  # home | school | meeting
    household_id: str
    minutes: int  # duration, without travel
    window: tuple[int, int]  # (earliest start, latest end), minutes since midnight
    pool: frozenset[str] = frozenset()  # workers a plan may use for it (Problem.plan_pool)


@dataclass(frozen=True)
class Fact:
    """A named fact of the team's situation, switchable by an assumption literal in diagnosis."""

    kind: str  # absence | pattern | capacity
    worker_id: str
    days: tuple[date, ...]
    detail: str = ""


@dataclass
class Variables:
    model: cp_model.CpModel
    diagnostic: bool = False  # every worker on every day; unavailability becomes switchable facts
    home: dict[HomeKey, Lit] = field(default_factory=dict)
    school: dict[SchoolKey, Lit] = field(default_factory=dict)
    meet: dict[MeetKey, Lit] = field(default_factory=dict)
    seen: dict[tuple[str, int], Lit] = field(default_factory=dict)  # child seen (any visit)
    at_home: dict[tuple[str, int], Lit] = field(default_factory=dict)  # home visit (bedroom)
    met: dict[tuple[str, str, int], Lit] = field(default_factory=dict)  # meeting held
    # meetings.csv 'booked' on a day of the horizon: (child, activity) -> day indices
    booked: dict[tuple[str, str], set[int]] = field(default_factory=dict)
    booked_missed: list[tuple[str, str, date, Lit]] = field(default_factory=list)
    meetings_by_day: dict[tuple[str, str, int], list[Lit]] = field(default_factory=dict)
    child_visits: dict[tuple[str, int], list[Lit]] = field(default_factory=dict)  # (child, day): visits seeing them
    loads: dict[tuple[str, int], list[Load]] = field(default_factory=dict)  # (worker, day index)
    # on while planning, off in the stage that proves the fewest breaches: the availability
    # family's planning margins (stricter than the verifier) hang on it
    plan_mode: Lit = field(default=None)  # type: ignore[assignment]
    # the decision variables that make the plan the search starts from (Problem.start_from, the
    # hand method's): its days fit real routes, so the planning margins leave them be
    start: frozenset[int] = frozenset()
    facts: dict[int, Fact] = field(default_factory=dict)  # assumption literal index -> fact
    fact_lits: dict[Fact, Lit] = field(default_factory=dict)

    def fact(self, f: Fact) -> Lit | None:
        """The literal that switches a fact on (diagnosis only; None = always enforced)."""
        if not self.diagnostic:
            return None
        lit = self.fact_lits.get(f)
        if lit is None:
            lit = self.model.new_bool_var(f"fact:{f.kind}:{f.worker_id}:{f.days[0] if f.days else ''}")
            self.fact_lits[f] = lit
            self.facts[lit.index] = f
        return lit

    def _load(self, var: Lit, worker_id: str, di: int, kind: str, household_id: str, minutes: int,
              window: tuple[int, int], pool: frozenset[str]) -> None:
        self.loads.setdefault((worker_id, di), []).append(Load(var, kind, household_id, minutes, window, pool))


def create(pb: Problem, model: cp_model.CpModel, diagnostic: bool = False) -> Variables:
    v = Variables(model, diagnostic)
    v.plan_mode = model.new_bool_var("plan_mode")
    _visits(pb, v)
    _meetings(pb, v)
    if pb.start_from and not pb.previous and not diagnostic:
        v.start = frozenset(making(pb, v, pb.start_from))
    return v


def making(pb: Problem, v: Variables, acts: Sequence[PlannedActivity]) -> set[int]:
    """The indices of the decision variables that would make the given activities."""
    day_index = {d: i for i, d in enumerate(pb.days)}
    chosen: set[int] = set()
    for a in acts:
        di = day_index.get(a.date)
        if di is None:
            continue
        if a.activity == "visit" and a.location == "school":
            x = v.school.get((a.child_ids[0], di, a.worker_id)) if a.child_ids else None
        elif a.activity == "visit":
            kinds = ("after_school", "day") if a.start >= AFTER_SCHOOL else ("day", "after_school")
            x = next((v.home[k] for k in ((a.household_id, di, a.worker_id, kind) for kind in kinds)
                      if k in v.home), None)
        else:
            x = v.meet.get((a.child_ids[0], a.activity, di, a.worker_id)) if a.child_ids else None
        if x is not None:
            chosen.add(x.index)
    return chosen


def _visits(pb: Problem, v: Variables) -> None:
    m = v.model
    for hid, kids in pb.households.items():
        for di, day in enumerate(pb.days):
            per_child: dict[str, list[Lit]] = {c.child_id: [] for c in kids}
            home_of: dict[str, list[Lit]] = {c.child_id: [] for c in kids}
            for w in pb.household_candidates(hid):
                if not (v.diagnostic or (pb.available(w, day) and pb.may_visit(hid, day, w.worker_id))):
                    continue
                for kind in VISIT_KINDS:
                    seen = pb.visit_children(hid, w, day, kind)
                    if not seen or (kind == "after_school" and seen == pb.visit_children(hid, w, day, "day")):
                        continue  # (an after-school visit that sees no more than a daytime one)
                    x = m.new_bool_var(f"home[{hid},{day},{w.worker_id},{kind}]")
                    v.home[(hid, di, w.worker_id, kind)] = x
                    n_alone = sum(1 for c in seen if pb.needs_alone(c, day))
                    window = AFTER_SCHOOL_WINDOW if kind == "after_school" else ANY_TIME
                    v._load(x, w.worker_id, di, "home", hid, visit_minutes(len(seen), n_alone), window,
                            frozenset().union(*(pb.plan_pool(c, day) for c in seen)))
                    for c in seen:
                        per_child[c.child_id].append(x)
                        home_of[c.child_id].append(x)
                for c in kids:
                    if c.child_id not in per_child or not at_school(c, day, True):
                        continue
                    if pb.every_visit(c, "bedroom", day) or not eligible(w, c):
                        continue
                    x = m.new_bool_var(f"school[{c.child_id},{day},{w.worker_id}]")
                    v.school[(c.child_id, di, w.worker_id)] = x
                    minutes = visit_minutes(1, 1 if pb.needs_alone(c, day) else 0)
                    v._load(x, w.worker_id, di, "school", hid, minutes, SCHOOL_WINDOW,
                            frozenset(pb.plan_pool(c, day)))
                    per_child[c.child_id].append(x)
            for c in kids:
                if per_child[c.child_id]:
                    v.child_visits[(c.child_id, di)] = per_child[c.child_id]
                for store, lits, name in ((v.seen, per_child[c.child_id], "seen"),
                                          (v.at_home, home_of[c.child_id], "athome")):
                    either = _or(m, lits, f"{name}[{c.child_id},{day}]")
                    if either is not None:
                        store[(c.child_id, di)] = either


def _meetings(pb: Problem, v: Variables) -> None:
    """Meetings for each cadence that may fall due in the horizon (every day a candidate), and
    each booked meeting (its day only)."""
    m = v.model
    wanted: set[tuple[str, str]] = set()
    for cd in pb.cadences:
        if cd.requirement not in MEETING_REQUIREMENTS:
            continue
        due0 = cd.due(cd.history[-1] if cd.history else None, len(cd.history))
        if due0 is not None and due0 <= pb.end:
            wanted.add((cd.child.child_id, MEETING_ACTIVITY[cd.requirement]))
    day_index = {d: i for i, d in enumerate(pb.days)}
    for mt in pb.team.meetings:
        # supervision is between worker and manager, not a child activity: not planned here
        if mt.status == "booked" and mt.date in day_index and mt.meeting_type != "supervision":
            v.booked.setdefault((mt.child_id, mt.meeting_type), set()).add(day_index[mt.date])
    children = {c.child_id: c for c in pb.team.children}
    for cid, act in sorted(wanted | set(v.booked)):
        child = children[cid]
        hid = child.household_id
        fixed = v.booked.get((cid, act), set())
        for di, day in enumerate(pb.days):
            if (cid, act) not in wanted and di not in fixed:
                continue
            xs = []
            for w in pb.candidates(child):
                if not (v.diagnostic or (pb.available(w, day) and pb.may_meet(child, act, day, w.worker_id))):
                    continue
                x = m.new_bool_var(f"meet[{cid},{act},{day},{w.worker_id}]")
                v.meet[(cid, act, di, w.worker_id)] = x
                v._load(x, w.worker_id, di, "meeting", hid, MEETING_MINUTES[act], ANY_TIME,
                        frozenset(pb.plan_pool(child, day)))
                xs.append(x)
            v.meetings_by_day[(cid, act, di)] = xs
            if di in fixed:
                v.booked_missed.append((cid, act, day, m.new_bool_var(f"booked_missed[{cid},{act},{day}]")))
            if xs:
                held = m.new_bool_var(f"met[{cid},{act},{day}]")
                m.add_bool_or(xs).only_enforce_if(held)
                for x in xs:
                    m.add_implication(x, held)
                v.met[(cid, act, di)] = held


def _or(m: cp_model.CpModel, lits: list[Lit], name: str) -> Lit | None:
    """A literal equal to the OR of `lits` (None when there are none: nothing can happen)."""
    if not lits:
        return None
    if len(lits) == 1:
        return lits[0]
    x = m.new_bool_var(name)
    m.add_bool_or(lits).only_enforce_if(x)
    for lit in lits:
        m.add_implication(lit, x)
    return x
