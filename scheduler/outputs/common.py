"""Helpers shared by the output writers: grouping, labels, privacy-safe child labels, and one
wording for what every output explains (plan status, verifier verdict, compliance split, cover,
severity, days late, several activities at one household on one day)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ..domain import Child, Team
from ..postcodes import normalise
from ..signoff import NOT_SIGNED_OFF  # one wording everywhere
from ..solution import Breach, PlannedActivity, PlanResult
from ..textsafe import file_key, file_stem

_ACTIVITY_LABELS = {
    "visit": "Visit",
    "strategy": "Strategy meeting",
    "icpc": "ICPC",
    "core_group": "Core group",
    "rcpc": "RCPC",
    "cin_review": "CIN review",
    "cic_review": "CiC review",
    "pathway_review": "Pathway review",
    "pep": "PEP",
    "supervision": "Supervision",
}


def activity_label(activity: str) -> str:
    return _ACTIVITY_LABELS.get(activity, activity.replace("_", " ").capitalize())


def where_label(act: PlannedActivity) -> str:
    """'at school' for a school visit, '' at home (the default; field added with school visits)."""
    location = getattr(act, "location", "home") or "home"
    return "" if location == "home" else f"at {location}"


def worker_ids(result: PlanResult, team: Team) -> list[str]:
    """Every team worker (team order), then any worker only the plan mentions (sorted)."""
    ids = [w.worker_id for w in team.workers]
    extra = sorted({a.worker_id for a in result.activities} - set(ids))
    return ids + extra


def by_worker(result: PlanResult, team: Team) -> dict[str, list[PlannedActivity]]:
    """Activities per worker in time order; every worker has an entry (maybe empty)."""
    grouped: dict[str, list[PlannedActivity]] = {wid: [] for wid in worker_ids(result, team)}
    for act in result.activities:
        grouped[act.worker_id].append(act)
    for acts in grouped.values():
        acts.sort(key=lambda a: (a.date, a.start, a.end, a.household_id))
    return grouped


def week_starts(start: date, end: date) -> list[date]:
    """Mondays of the weeks that touch [start, end] (inclusive)."""
    monday = start - timedelta(days=start.weekday())
    weeks = []
    while monday <= end:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def child_label(team: Team, child_id: str, show_names: bool = False) -> str:
    """The child reference; with the opt-in, 'REF (Name)' where a name is known."""
    if show_names:
        try:
            name = team.child(child_id).name
        except KeyError:
            name = None
        if name:
            return f"{child_id} ({name})"
    return child_id


def household_point(team: Team, act: PlannedActivity) -> tuple[float, float] | None:
    """Where an activity happens: its household (children of a household share coordinates)."""
    for cid in act.child_ids:
        try:
            child = team.child(cid)
        except KeyError:
            continue
        return (child.lat, child.lon)
    for child in team.children:
        if child.household_id == act.household_id:
            return (child.lat, child.lon)
    return None


def signoff_text(signoffs: dict[str, str] | None, breach_id: str) -> str:
    return (signoffs or {}).get(breach_id, NOT_SIGNED_OFF)


def file_stems(ids: Iterable[str]) -> dict[str, str]:
    """id -> a file name stem that is safe everywhere (textsafe.file_stem) and unique ignoring
    case, in the order given: `rota check` refuses ids that would collide, but a writer never
    trusts that, so a later colliding id gets "-2", "-3"... ("W 02", "W_02", "W/02" -> W_02,
    W_02-2, W_02-3)."""
    stems: dict[str, str] = {}
    taken: set[str] = set()
    for ident in ids:
        if ident in stems:
            continue
        stem, n = file_stem(ident), 2
        base = stem
        while file_key(stem) in taken:
            suffix = f"-{n}"
            stem, n = base[: 64 - len(suffix)] + suffix, n + 1
        taken.add(file_key(stem))
        stems[ident] = stem
    return stems


@dataclass(frozen=True)
class WorkerTotals:
    visits: int
    meetings: int
    travel_minutes: int
    cover: int
    days_out: int  # days with at least one activity


def worker_totals(result: PlanResult, team: Team) -> dict[str, WorkerTotals]:
    totals: dict[str, WorkerTotals] = {}
    for wid, acts in by_worker(result, team).items():
        totals[wid] = WorkerTotals(
            visits=sum(1 for a in acts if a.activity == "visit"),
            meetings=sum(1 for a in acts if a.activity != "visit"),
            travel_minutes=sum(a.travel_minutes for a in acts),
            cover=sum(1 for a in acts if a.cover),
            days_out=len({a.date for a in acts}),
        )
    return totals


def day_groups(acts: list[PlannedActivity]) -> dict[date, list[PlannedActivity]]:
    days: dict[date, list[PlannedActivity]] = defaultdict(list)
    for a in acts:
        days[a.date].append(a)
    return dict(days)


# --- what every output explains, in one wording ------------------------------------------------

SEVERITY_NOTE = ("Severity: how serious a missed requirement is - child protection and section 47 "
                 "5, children in care and private fostering 4, children in need 3, care leavers 2, "
                 "early help 1, doubled for the statutory minimum (10 = a statutory child protection "
                 "miss or a booked meeting nobody can attend).")
DAYS_LATE_NOTE = ("Days late: calendar days from the due date to the planned date (not planned: to the "
                  "day after the plan ends).")
COVER_NOTE = ("Cover: done by a colleague, not the child's allocated worker; each one says why.")
DAYS_OUT_NOTE = "Days out: days with at least one visit or meeting."
TRAVEL_NOTE = "Travel: to each stop from the previous one or from the worker's base."


def cover_reason(act: PlannedActivity) -> str:
    """Why a cover activity is not done by the allocated worker ('' when it is not cover)."""
    if not act.cover:
        return ""
    return act.cover_reason or "not the allocated worker (no reason recorded by the planner)"


def postcode_district(postcode: str | None) -> str:
    """The outward code of a UK postcode ("SN2 7QQ" -> "SN2"): enough to plan a journey, not
    enough to find a family. '' when the text is not shaped like a postcode."""
    normal = normalise(postcode or "")
    return normal.split(" ")[0] if normal else ""


def household_children(team: Team, act: PlannedActivity) -> list[Child]:
    found = []
    for cid in act.child_ids:
        try:
            found.append(team.child(cid))
        except KeyError:
            continue
    return found


def district_of(team: Team, act: PlannedActivity) -> str:
    for child in household_children(team, act):
        district = postcode_district(child.postcode)
        if district:
            return district
    return ""


def plan_status(result: PlanResult) -> str:
    """The whole plan's status: OPTIMAL only when every stage was proven optimal; FEASIBLE
    when a stage stopped at its budget; otherwise the solver's word (no plan)."""
    if result.status not in ("OPTIMAL", "FEASIBLE"):
        return result.status
    final = str(result.stats.get("final_status", result.status))
    if result.status == "OPTIMAL" and final == "OPTIMAL" and result.stats.get("deterministic", True):
        return "OPTIMAL"
    return "FEASIBLE"


def status_text(result: PlanResult) -> str:
    """The whole plan's status in words; status_detail says which stage stopped where."""
    status = plan_status(result)
    if status == "OPTIMAL":
        return "whole plan proven optimal"
    if status != "FEASIBLE":
        return f"no plan ({status})"
    return "whole plan feasible, not proven optimal"


def status_detail(result: PlanResult) -> str:
    if plan_status(result) != "FEASIBLE":
        return ""
    if "replan_households" in result.stats:  # scheduler.plan: a re-plan in its neighbourhood
        return (f"a re-plan: {result.stats['replan_households']} households planned afresh, the others kept "
                f"as they were (plan without --previous to prove the fewest breaches for the whole team)")
    breaches = ("fewest breaches proven optimal" if result.breaches_proven_optimal
                else "fewest breaches NOT proven optimal (the solver's work budget ran out first)")
    return f"{breaches}; days late, cover and travel the best found"


def verdict_text(result: PlanResult) -> str:
    """The independent verifier's verdict on the whole plan, in one line."""
    unexplained = result.unexplained
    if unexplained:
        return (f"NOT VERIFIED: the independent verifier found {len(unexplained)} problem(s) the breach "
                "register does not list")
    return "every rule re-checked independently; nothing outside the breach register"


def verdict_short(result: PlanResult) -> str:
    return "NOT VERIFIED" if result.unexplained else "verified"


@dataclass(frozen=True)
class Compliance:
    """Statutory requirements split by when they fell due."""
    overdue_at_start: list[Breach]  # due before the plan's first day: missed before it began
    due_in_plan: int  # statutory requirements falling due within the plan
    missed_in_plan: list[Breach]
    local_breaches: list[Breach] = field(default_factory=list)  # the authority's own stricter level

    @property
    def met_in_plan(self) -> int:
        return max(self.due_in_plan - len(self.missed_in_plan), 0)

    @property
    def percent_in_plan(self) -> float:
        return 100.0 if self.due_in_plan == 0 else round(100.0 * self.met_in_plan / self.due_in_plan, 1)

    @property
    def overdue_planned(self) -> int:
        return sum(1 for b in self.overdue_at_start if b.planned_date is not None)


def compliance(result: PlanResult) -> Compliance:
    statutory = [b for b in result.breaches if b.level == "statutory"]
    overdue = [b for b in statutory if b.due_by < result.start]
    missed = [b for b in statutory if b.due_by >= result.start]
    # every window counted in requirements_total that fell due before the start is a breach
    return Compliance(overdue, max(result.requirements_total - len(overdue), 0), missed,
                      [b for b in result.breaches if b.level != "statutory"])


def compliance_lines(result: PlanResult) -> list[str]:
    c = compliance(result)
    lines = [f"due within the plan: {c.percent_in_plan}% met ({c.met_in_plan} of {c.due_in_plan} "
             f"statutory requirements)"]
    if c.overdue_at_start:
        lines.append(f"already overdue when the plan starts: {len(c.overdue_at_start)} ("
                     f"{c.overdue_planned} planned, {len(c.overdue_at_start) - c.overdue_planned} not)")
    else:
        lines.append("already overdue when the plan starts: none")
    if c.local_breaches:
        lines.append(f"missed at the authority's own stricter level only: {len(c.local_breaches)}")
    return lines


@dataclass(frozen=True)
class SameHousehold:
    """Two or more activities at one household on one day, and why they are not one visit."""
    day: date
    household_id: str
    activities: tuple[PlannedActivity, ...]
    reason: str


def _who(acts: Iterable[PlannedActivity]) -> str:
    return ", ".join(f"{activity_label(a.activity)} {a.start:%H:%M} by {a.worker_id} "
                     f"({', '.join(a.child_ids)})" for a in acts)


def _pair_reason(acts: list[PlannedActivity], standard_key: str) -> str:
    visits = [a for a in acts if a.activity == "visit"]
    meetings = [a for a in acts if a.activity != "visit"]
    reasons = []
    if visits and meetings:
        kinds = ", ".join(sorted({activity_label(m.activity) for m in meetings}))
        reasons.append(f"{kinds} is a meeting about the child, not a visit: the {standard_key} standard's "
                       "visiting rules count visits only, so the visit is planned as well")
    if len(meetings) > 1:
        reasons.append("each meeting is a separate requirement with its own due date")
    if len(visits) > 1:
        sets = {a.child_ids for a in visits}
        places = {a.location for a in visits}
        if len(sets) > 1:
            reasons.append("the visits see different children: each child is visited by their allocated "
                           "worker or an eligible colleague")
        elif len(places) > 1:
            reasons.append("one visit is at school and one at home: each meets a different requirement "
                           "(e.g. seen alone at school, bedroom at home)")
        else:
            reasons.append("the same children are due a second visit (separate requirements fall due)")
    return "; ".join(reasons)


def same_household_days(result: PlanResult) -> list[SameHousehold]:
    groups: dict[tuple[date, str], list[PlannedActivity]] = defaultdict(list)
    for a in result.activities:
        groups[(a.date, a.household_id)].append(a)
    out = []
    for (day, hid), acts in sorted(groups.items()):
        if len(acts) < 2:
            continue
        acts.sort(key=lambda a: (a.start, a.worker_id, a.activity))
        out.append(SameHousehold(day, hid, tuple(acts), _pair_reason(acts, result.standard_key)))
    return out


def same_household_note(group: SameHousehold) -> str:
    return f"{_who(group.activities)}. Why not one visit: {group.reason}."


def fmt_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def fmt_long(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def hours(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def plan_days(result: PlanResult, working_days: Iterable[date] | None = None) -> list[date]:
    """The days a plan's views show: its working days (Monday to Friday when not given) and
    any other day with something planned."""
    days = set(working_days) if working_days is not None else {
        result.start + timedelta(days=i) for i in range((result.end - result.start).days + 1)
        if (result.start + timedelta(days=i)).weekday() < 5}
    days |= {a.date for a in result.activities}
    return sorted(d for d in days if result.start <= d <= result.end)


def minutes_between(a: PlannedActivity) -> int:
    start = datetime.combine(a.date, a.start)
    end = datetime.combine(a.date, a.end)
    return max(int((end - start).total_seconds() // 60), 0)
