"""Realistic generated teams from published England figures (the demo team, benchmarks, tests).

Sources (England, Department for Education official statistics):
- "Children in need", reporting year 2025: 402,400 children in need at 31 March 2025 (this count
  includes children on child protection plans and looked-after children), of whom 49,420 on
  child protection (CP) plans.
- "Children looked after in England including adoption", reporting year 2025: 81,770 looked-after
  children at 31 March 2025, about two thirds of them in foster placements (including with
  relatives or friends); about 46,000 care leavers aged 17 to 21 (the generated ones are 18 to 21).
- "Children's social work workforce", reporting year 2025: 15.2 cases per case-holding children
  and family social worker (FTE); about 13% of social workers are agency staff; 10-15% work
  part time; 3.5% of working days lost to sickness absence.

So a caseload is (402,400 - 49,420 - 81,770) other children in need : 49,420 CP : 81,770 looked
after : 46,000 care leavers (60% : 11% : 18% : 10%), with a few early help, Section 47 and
privately fostered children taken from the first share. The other proportions (sibling households,
placement types, CP categories, plan lengths, ages) are rounded from the same publications and are
marked as approximate below.

The history is coherent: every child's visits and meetings are generated with the due-date engine
(scheduler.requirements) against the strictest of the shipped standards, so the team mostly met
whichever standard it is planned under (a few children overdue at the start: slips, as in real
teams; never a PEP overdue since 1 January three years before the plan); each occurrence is on a
working day of a worker who was there; at most 2 booked meetings per worker per day; every child
is allocated to a worker `scheduler.policy.eligible` accepts.

`generate_team` is deterministic: everything is drawn from one `random.Random(seed)` in a fixed
order. `write_team` writes a folder in exactly the format `scheduler.loading` reads. Every name,
address and postcode is made up (postcodes use the area's real district format).
"""
from __future__ import annotations

import csv
import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from .calendar import WorkingCalendar, add_months
from .domain import WEEKDAYS, Absence, Child, Meeting, Team, Visit, Worker
from .loading import SPECS, UK_LAT, UK_LON
from .policy import eligible
from .requirements import applies, every_visit_rules, next_due, trigger_date
from .standards import REVIEW_MEETING, Rule, Standard, available_standards, load_standard
from .travel import haversine_km

# ---------------------------------------------------------------- published figures (see module docstring)
CHILDREN_IN_NEED = 402_400  # at 31 March 2025, including CP plans and looked-after children
CP_PLANS = 49_420
LOOKED_AFTER = 81_770
FOSTER_SHARE = 2 / 3  # of looked-after children, about two thirds in foster care
CARE_LEAVERS = 46_000  # aged 17 to 21
CASES_PER_FTE = 15.2  # per case-holding social worker (FTE)
AGENCY_SHARE = 0.13
PART_TIME_SHARE = 0.125  # 10-15%
SICKNESS_RATE = 0.035  # share of working days lost to sickness

_CASES = CHILDREN_IN_NEED + CARE_LEAVERS
# small shares of the caseload taken out of 'other children in need' (assumptions, not published
# in the figures above): early help cases held by the team, open S47 enquiries, private fostering
EARLY_HELP_SHARE, S47_SHARE, PRIVATE_FOSTERING_SHARE = 0.02, 0.01, 0.005
STATUS_SHARES = {
    "cin": (CHILDREN_IN_NEED - CP_PLANS - LOOKED_AFTER) / _CASES
    - EARLY_HELP_SHARE - S47_SHARE - PRIVATE_FOSTERING_SHARE,
    "cp": CP_PLANS / _CASES,
    "cic": LOOKED_AFTER / _CASES,
    "care_leaver": CARE_LEAVERS / _CASES,
    "early_help": EARLY_HELP_SHARE,
    "s47": S47_SHARE,
    "private_fostering": PRIVATE_FOSTERING_SHARE,
}
# about a third of children live with a sibling on the caseload: with sizes 2/3/4 in these weights
# (mean 2.5 children), 17% of households with siblings gives a third of children
SIBLING_HOUSEHOLD_P = 0.17
SIBLING_SIZES = {2: 60, 3: 28, 4: 12}
# looked-after placements (approximate shares of the 2025 figures); foster + connected person
# (foster care with relatives or friends) make the two thirds in foster care
PLACEMENT_WEIGHTS = {"foster": 50, "connected_person": 17, "residential": 12, "other_setting": 6,
                     "parent_care_order": 6, "parent_ico": 2, "adoption": 4, "short_breaks": 3}
assert abs((PLACEMENT_WEIGHTS["foster"] + PLACEMENT_WEIGHTS["connected_person"])
           / sum(PLACEMENT_WEIGHTS.values()) - FOSTER_SHARE) < 0.01
LIVE_ALONE_PLACEMENTS = ("residential", "other_setting")  # siblings are rarely in one children's home
# category of abuse of CP plans (approximate shares, children in need 2025)
CP_WEIGHTS = {"neglect": 50, "emotional": 37, "physical": 7, "sexual": 4, "multiple": 2}
# how long the current status has lasted at the start: (weight, days from, days to) - approximate
PLAN_LENGTHS: dict[str, tuple[tuple[int, int, int], ...]] = {
    "cp": ((30, 14, 90), (25, 91, 182), (30, 183, 365), (13, 366, 730), (2, 731, 1100)),
    "cin": ((45, 14, 182), (25, 183, 365), (20, 366, 730), (10, 731, 1460)),
    "cic": ((25, 14, 365), (30, 366, 1095), (30, 1096, 2190), (15, 2191, 5000)),
    "early_help": ((70, 14, 182), (30, 183, 365)),
    "s47": ((1, 1, 4),),
    "private_fostering": ((60, 30, 365), (40, 366, 730)),
}
# age in completed years: (weight, from, to) - approximate
AGE_BANDS: dict[str, tuple[tuple[int, int, int], ...]] = {
    "cin": ((8, 0, 0), (20, 1, 4), (27, 5, 9), (33, 10, 15), (12, 16, 17)),
    "cp": ((12, 0, 0), (28, 1, 4), (30, 5, 9), (27, 10, 15), (3, 16, 17)),
    "cic": ((5, 0, 0), (13, 1, 4), (18, 5, 9), (39, 10, 15), (25, 16, 17)),
    "early_help": ((10, 0, 0), (25, 1, 4), (30, 5, 9), (30, 10, 15), (5, 16, 17)),
    "s47": ((10, 0, 0), (25, 1, 4), (30, 5, 9), (30, 10, 15), (5, 16, 17)),
    "private_fostering": ((1, 8, 17),),
    # (17-year-olds who have left care are relevant children; the teams here hold those 18 to 21)
    "care_leaver": ((30, 18, 18), (27, 19, 19), (23, 20, 20), (20, 21, 21)),
}
# placements that depend on age: children's homes take older children, semi-independent
# ('other') settings 16-17s, adoptive placements young children (approximate)
PLACEMENT_AGES: dict[str, tuple[tuple[int, int, int], ...]] = {
    "residential": ((1, 10, 17),), "other_setting": ((1, 16, 17),), "adoption": ((1, 0, 6),),
    "short_breaks": ((1, 5, 17),)}
SIBLING_MIXED_P = 0.1  # a sibling on a different plan (cin / cp) in the same household
UNBORN_PER_CHILD = 1 / 100  # pre-birth CP plans
EXEMPT_P = 0.03  # a recorded reason not to see the child alone (children over 4)
NEWLY_QUALIFIED_P = 0.12  # permanent social workers in their assessed and supported year (assumption)
ASYE_CASELOAD = 0.9  # newly qualified workers hold a reduced caseload

HISTORY_DAYS = 270  # calendar days of visit history kept before `start`
SUPERVISION_DAYS = 180  # case supervision kept (monthly for some: the file grows fast)
BOOKING_HORIZON = 42  # calendar days after `start` within which the next meeting is already booked
MAX_BOOKED_PER_DAY = 2  # booked meetings per worker per day
VISIT_SLIP_P = 0.10  # an occasional late visit: roughly, not perfectly, compliant
MEETING_SLIP_P = 0.01  # (never for PEPs)
FALLBACK_VISIT_DAYS = 42  # a status no shipped standard sets visits for is still seen 6 weekly

# reviews first: a first review ends some other rules' phases (requirements.make_clock)
MEETING_REQUIREMENTS = ("cp_review", "cin_review", "cic_review", "core_group", "pathway_review", "pep",
                        "supervision")
MEETING_TYPE = {"core_group": "core_group", "cp_review": "rcpc", "cin_review": "cin_review",
                "cic_review": "cic_review", "pathway_review": "pathway_review", "pep": "pep",
                "supervision": "supervision"}

FIRST_NAMES = ("Amelia Ava Isla Mia Freya Lily Ella Grace Ruby Evie Poppy Sophie Ivy Willow Rosie Daisy "
               "Oliver Noah George Leo Arthur Harry Oscar Jack Charlie Jacob Alfie Freddie Theo Finley "
               "Archie Tommy Kai Zain Amir Maya Aisha Zara Kacper Lena Tyler Jayden Chloe Leah Ruby").split()
SURNAMES = ("Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Wright Robinson Thompson Evans "
            "Walker Hughes Green Hall Wood Harris Lewis Clarke Mills Bennett Kowalski Begum Khan Price "
            "Turner Parker Cooper Ward Morris Bailey Fletcher Hardy Osei Nowak Reid").split()
STREETS = ("Larkspur Close", "Mill Lane", "Kingfisher Drive", "Beech Avenue", "Station Road", "Orchard Way",
           "Canal Walk", "Meadow Rise", "Church Street", "Foxglove Road", "Brunel Crescent", "Queens Drive",
           "Elm Grove", "Hawthorn Court", "Victoria Terrace", "Ridgeway View", "Coleridge Place",
           "Westfield Road", "Shire Way", "Harrow Green")
WORKER_FIRST = ("Sam Priya Tom Beth Dan Nadia Chris Jo Emma Raj Kate Lewis Hannah Owen Fatima Megan "
                "Alex Ruth Imran Sian Paul Zoe Marcus Leanne").split()
WORKER_SURNAMES = ("Okafor Shah Hayes Morgan Kelly Hussain Lowe Bradley Stone Mehta Doyle Grant Price Ellis "
                   "Ali Rees Barker Quinn Malik Howell Dunn Fraser Hale Pike").split()
EXEMPT_REASONS = ("complex communication needs; seen with trusted adult present",
                  "declines to be seen alone; agreed with team manager")
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in the inward code of UK postcodes


@dataclass(frozen=True)
class Area:
    """Where a team works: its office and the postcode districts of its homes."""

    key: str
    centre: tuple[float, float]
    near: tuple[str, ...]  # districts within about 8 km of the office
    far: tuple[str, ...]  # districts further out (out-of-area placements)


AREAS = {
    "swindon": Area("swindon", (51.5558, -1.7797), ("SN1", "SN2", "SN3", "SN4", "SN5", "SN25", "SN26"),
                    ("SN6", "SN7", "SN8", "SN9", "SN10", "SN11", "SN12", "SN13", "SN14", "SN15", "SN16")),
    "dorset": Area("dorset", (50.7154, -2.4367), ("DT1", "DT2"),
                   ("DT3", "DT4", "DT5", "DT6", "DT7", "DT8", "DT9", "DT10", "DT11", "BH20")),
    "knowsley": Area("knowsley", (53.4115, -2.8430), ("L14", "L16", "L28", "L34", "L36"),
                     ("L10", "L32", "L33", "L35", "WA8", "WA10", "WA11")),
    "dudley": Area("dudley", (52.5087, -2.0875), ("DY1", "DY2", "DY3", "DY5"),
                   ("DY6", "DY8", "DY9", "B62", "B63", "B64", "WV14")),
    "devon": Area("devon", (50.7184, -3.5339), ("EX1", "EX2", "EX4"),
                  ("EX5", "EX6", "EX8", "EX10", "EX14", "EX15", "EX16", "EX20", "TQ12", "TQ13")),
}
SWINDON = AREAS["swindon"].centre


def _weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _band(rng: random.Random, bands: Sequence[tuple[int, int, int]]) -> int:
    _, lo, hi = rng.choices(list(bands), weights=[b[0] for b in bands])[0]
    return rng.randint(lo, hi)


def _quotas(n: int, shares: dict[str, float]) -> dict[str, int]:
    """Whole numbers per status summing to n (largest remainder; ties in the dict's order)."""
    total = sum(shares.values())
    exact = {k: n * v / total for k, v in shares.items()}
    out = {k: int(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: out[k] - exact[k])[:n - sum(out.values())]:
        out[k] += 1
    return out


def _near(rng: random.Random, centre: tuple[float, float], km_min: float, km_max: float) -> tuple[float, float]:
    """A point between km_min and km_max from centre (uniform over the ring), inside the UK, 5 dp."""
    r = math.sqrt(rng.uniform(km_min ** 2, km_max ** 2))
    theta = rng.uniform(0, 2 * math.pi)
    lat = centre[0] + r * math.cos(theta) / 111.0
    lon = centre[1] + r * math.sin(theta) / (111.32 * math.cos(math.radians(centre[0])))
    lat = min(max(lat, UK_LAT[0]), UK_LAT[1])
    lon = min(max(lon, UK_LON[0]), UK_LON[1])
    return round(lat, 5), round(lon, 5)


@lru_cache(maxsize=1)
def shipped_standards() -> tuple[Standard, ...]:
    """Every shipped standard: the history is generated to meet the strictest of them."""
    return tuple(load_standard(k) for k in available_standards())


def default_children(workers: int) -> int:
    """A caseload at the published average: 15.2 per case-holding FTE (estimated for `workers`)."""
    holders = workers - (1 if workers >= 6 else 0)
    return max(1, round(CASES_PER_FTE * holders * (1 - PART_TIME_SHARE * 0.3)))


@dataclass
class _Household:
    household_id: str
    status: str
    size: int
    lat: float
    lon: float
    far: bool
    surname: str
    address: str
    postcode: str
    placement: str | None = None
    members: list[Child] = field(default_factory=list)


@dataclass
class _Staff:
    worker: Worker
    agency: bool
    joined: date  # first day in the team (agency staff: recently)


class _Generator:
    def __init__(self, n_workers: int, n_children: int, seed: int, start: date, area: Area,
                 centre: tuple[float, float]) -> None:
        self.rng = random.Random(seed)
        self.n_workers, self.n_children = n_workers, n_children
        self.start, self.area, self.centre = start, area, centre
        self.cal = WorkingCalendar("england")
        self.history_end = start - timedelta(days=1)
        while not self.cal.is_working_day(self.history_end):
            self.history_end -= timedelta(days=1)
        self.window_start = start - timedelta(days=HISTORY_DAYS)
        self.meetings_from = date(start.year - 3, 1, 1)  # held meetings kept from this date
        self.absences: list[Absence] = []
        self.busy: Counter[tuple[str, date]] = Counter()  # history visits per worker-day
        self.booked: Counter[tuple[str, date]] = Counter()  # booked meetings per worker-day
        self.meeting_load: Counter[tuple[str, date]] = Counter()  # held meetings per worker-day
        self.records: Team | None = None  # the child's meetings generated so far

    # ---- dates
    def working_on_or_after(self, day: date) -> date:
        while not self.cal.is_working_day(day):
            day += timedelta(days=1)
        return day

    def working_on_or_before(self, day: date) -> date:
        while not self.cal.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def days_before_start(self, days: int) -> date:
        return min(self.working_on_or_before(self.start - timedelta(days=days)), self.history_end)

    # ---- workers
    def roles(self) -> list[str]:
        n = self.n_workers
        managers = 1 if n >= 6 else 0  # a team manager holds no cases
        holders = n - managers
        # personal advisers in proportion to care leavers' share of the caseload (at least one
        # from 3 case holders); an early help practitioner from 6
        pa = max(1, round(holders * STATUS_SHARES["care_leaver"])) if holders >= 3 else 0
        eh = 1 if holders >= 6 else 0
        return ["team_manager"] * managers + ["social_worker"] * (holders - pa - eh) + \
            ["personal_adviser"] * pa + ["early_help_practitioner"] * eh

    def workers(self) -> list[_Staff]:
        rng = self.rng
        roles = self.roles()
        holders = [i for i, r in enumerate(roles) if r != "team_manager"]
        social = [i for i, r in enumerate(roles) if r == "social_worker"]
        part_time = set(rng.sample(holders, min(len(holders), round(PART_TIME_SHARE * len(holders)))))
        # agency social workers (workers.csv has no column for it): joined the team recently, so
        # their cases were allocated to them recently (allocated_since), and never newly qualified
        agency = set(rng.sample(social, min(len(social), round(AGENCY_SHARE * len(social)))))
        names = [f"{f} {s}" for f, s in zip(WORKER_FIRST, WORKER_SURNAMES, strict=True)]
        out = []
        for i, role in enumerate(roles):
            agile = rng.random() < 0.25  # starts the day from home
            lat, lon = _near(rng, self.centre, 2, 10) if agile else (round(self.centre[0], 5),
                                                                        round(self.centre[1], 5))
            days: tuple[int, ...] = (0, 1, 2, 3, 4)
            fte = 1.0
            if i in part_time:
                n_days = rng.choice((3, 4))
                days = tuple(sorted(rng.sample(range(5), n_days)))
                fte = n_days / 5
            start_t, end_t = rng.choice([(time(9), time(17))] * 4 + [(time(8, 30), time(16, 30)),
                                                                     (time(10), time(18))])
            qualified = role in ("social_worker", "team_manager")
            newly = role == "social_worker" and i not in agency and rng.random() < NEWLY_QUALIFIED_P
            joined = self.start - timedelta(days=rng.randint(30, 270) if i in agency else rng.randint(400, 4000))
            name = names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else "")
            worker = Worker(
                worker_id=f"W{i + 1:02d}", name=name, role=role, base_lat=lat, base_lon=lon,
                qualified=qualified, working_days=days, day_start=start_t, day_end=end_t,
                max_visits_per_day=(3 if fte < 0.7 else 4) if i in part_time else rng.choice((4, 4, 4, 5)),
                fte=fte, newly_qualified=newly)
            out.append(_Staff(worker, i in agency, joined))
        return out

    # ---- households and children
    def statuses(self, roles: list[str]) -> dict[str, float]:
        """Status shares the team can hold: no care leavers without a personal adviser etc."""
        shares = dict(STATUS_SHARES)
        if "personal_adviser" not in roles:
            shares.pop("care_leaver")
        if "early_help_practitioner" not in roles:
            shares.pop("early_help")
        return shares

    def households(self, shares: dict[str, float]) -> list[_Household]:
        rng, out = self.rng, list[_Household]()
        quota = _quotas(self.n_children, shares)
        # every placement type once before the weights apply (when there are enough cic children)
        types = rng.sample(list(PLACEMENT_WEIGHTS), len(PLACEMENT_WEIGHTS))
        while any(quota.values()):
            status = _weighted(rng, {k: v for k, v in quota.items() if v})
            placement = None
            if status == "cic":
                placement = types.pop() if types else _weighted(rng, PLACEMENT_WEIGHTS)
            size = 1
            if status not in ("care_leaver", "private_fostering", "s47") and placement not in LIVE_ALONE_PLACEMENTS \
                    and rng.random() < SIBLING_HOUSEHOLD_P:
                size = _weighted(rng, SIBLING_SIZES)
            size = min(size, quota[status])
            quota[status] -= size
            far = status == "cic" and (placement in LIVE_ALONE_PLACEMENTS or rng.random() < 0.15)
            lat, lon = _near(rng, self.centre, 15, 45) if far else _near(rng, self.centre, 0, 8)
            district = rng.choice(self.area.far if far else self.area.near)
            postcode = f"{district} {rng.randint(1, 9)}{rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}"
            out.append(_Household(f"H{len(out) + 1:03d}", status, size, lat, lon, far, rng.choice(SURNAMES),
                                  f"{rng.randint(1, 120)} {rng.choice(STREETS)}", postcode, placement))
        return out

    def children(self, households: list[_Household]) -> list[Child]:
        rng, width = self.rng, max(3, len(str(self.n_children)))
        out: list[Child] = []
        singles = [h for h in households if h.status == "cp" and h.size == 1]
        n_unborn = min(len(singles), round(self.n_children * UNBORN_PER_CHILD))
        unborn_households = {h.household_id for h in rng.sample(singles, n_unborn)}
        # siblings on different plans: a CP household's second child swaps status with a CIN
        # household's second child (so the shares stay as published)
        statuses = {h.household_id: [h.status] * h.size for h in households}
        cin_pool = [h for h in households if h.status == "cin" and h.size > 1]
        for h in households:
            if h.status == "cp" and h.size > 1 and cin_pool and rng.random() < 2 * SIBLING_MIXED_P:
                other = cin_pool.pop(rng.randrange(len(cin_pool)))
                statuses[h.household_id][1], statuses[other.household_id][1] = "cin", "cp"
        for h in households:
            # the household's current status began on one day (siblings came into care together)
            began_days = _band(rng, PLAN_LENGTHS.get(h.status, ((1, 30, 365),)))
            category = _weighted(rng, CP_WEIGHTS)
            for k in range(h.size):
                status = statuses[h.household_id][k]
                child_id = f"C{len(out) + 1:0{width}d}"
                unborn = h.household_id in unborn_households
                dob = None
                if not unborn:
                    age = _band(rng, PLACEMENT_AGES.get(h.placement or "", AGE_BANDS[status]) if status == "cic"
                                else AGE_BANDS[status])
                    dob = self.start - timedelta(days=rng.randint(int(age * 365.25) + 1, int((age + 1) * 365.25) - 1))
                status_start = self.days_before_start(began_days)
                if status == "care_leaver":
                    # care leavers here left care at 18 (former relevant): the status starts on the
                    # 18th birthday, on or before the last day of the history
                    assert dob is not None
                    late = (add_months(dob, 18 * 12) - self.history_end).days
                    if late > 0:
                        dob -= timedelta(days=late)
                    status_start = add_months(dob, 18 * 12)
                else:
                    if unborn:
                        status_start = self.days_before_start(rng.randint(10, 60))  # pre-birth conference
                    if dob is not None and status_start < dob:
                        status_start = dob + timedelta(days=rng.randint(0, 10))  # came to notice at birth
                    status_start = min(self.working_on_or_after(status_start), self.history_end)
                out.append(self.child(child_id, status, status_start, dob, h, category, unborn))
                h.members.append(out[-1])
        return out

    def child(self, child_id: str, status: str, status_start: date, dob: date | None, h: _Household,
              category: str, unborn: bool) -> Child:
        rng = self.rng
        cic = status == "cic"
        placement_start = None
        first_review = None
        long_term = False
        if cic:
            # the current placement began with care or later (a move)
            placement_start = status_start
            if rng.random() < 0.4 and status_start < self.history_end - timedelta(days=60):
                placement_start = status_start + timedelta(days=rng.randint(30, (self.history_end - status_start).days))
            placement_start = min(self.working_on_or_after(placement_start), self.history_end)
            long_term = h.placement in ("foster", "connected_person") and \
                (self.start - placement_start).days > 365 and rng.random() < 0.4
        assessed = None
        if status == "cin":
            assessed = self.cal.add_working_days(status_start, rng.randint(20, 44))
            if assessed > self.history_end:
                assessed = None
        exempt = rng.choice(EXEMPT_REASONS) if dob and (self.start - dob).days > 4 * 365 \
            and rng.random() < EXEMPT_P else None
        first = rng.choice(FIRST_NAMES)
        return Child(
            child_id=child_id, status=status, status_start_date=status_start, lat=h.lat, lon=h.lon,
            household_id=h.household_id if h.size > 1 else child_id, date_of_birth=dob,
            placement_type=h.placement if cic else None, placement_start_date=placement_start,
            placement_long_term=long_term, first_review_date=first_review, assessment_completed_date=assessed,
            cp_category=category if status == "cp" else None, seen_alone_exempt=exempt,
            name=f"{'Baby' if unborn else first} {h.surname}", address=h.address, postcode=h.postcode)

    # ---- allocation
    def allocate(self, households: list[_Household], staff: list[_Staff]) -> dict[str, tuple[str, date, str]]:
        """child_id -> (allocated worker, allocated since, previous worker for older history)."""
        rng = self.rng
        load: Counter[str] = Counter()
        capacity = {s.worker.worker_id: s.worker.fte * (ASYE_CASELOAD if s.worker.newly_qualified else 1.0)
                    for s in staff}
        joined = {s.worker.worker_id: s.joined for s in staff}
        out: dict[str, tuple[str, date, str]] = {}
        # largest households first so the last, smallest ones even out the caseloads
        for h in sorted(households, key=lambda h: (-len(h.members), h.household_id)):
            pools = [[s.worker for s in staff if all(eligible(s.worker, c) for c in h.members)]]
            if not pools[0]:  # (a household no one worker may hold alone: each child on their own)
                pools = [[s.worker for s in staff if eligible(s.worker, c)] for c in h.members]
            groups = [h.members] if len(pools) == 1 else [[c] for c in h.members]
            for members, pool in zip(groups, pools, strict=True):
                if not pool:
                    raise ValueError(f"no worker in the team may hold a {members[0].status} case")
                best = min(pool, key=lambda w: ((load[w.worker_id] + len(members)) / capacity[w.worker_id],
                                                rng.random()))
                load[best.worker_id] += len(members)
                began = min(c.status_start_date for c in members)
                since = max(began, joined[best.worker_id])
                if since == began and rng.random() < 0.3 and (self.history_end - began).days > 60:
                    since = began + timedelta(days=rng.randint(30, (self.history_end - began).days))
                since = min(self.working_on_or_after(since), self.history_end)
                others = [w for w in pool if w.worker_id != best.worker_id]
                previous = rng.choice(others).worker_id if others else best.worker_id
                for c in members:
                    out[c.child_id] = (best.worker_id, max(since, c.status_start_date), previous)
        return out

    # ---- absences
    def make_absences(self, staff: list[_Staff]) -> list[Absence]:
        rng, out = self.rng, list[Absence]()
        horizon_end = self.start + timedelta(days=BOOKING_HORIZON)
        for s in staff:
            w = s.worker
            first = max(self.window_start, s.joined)
            days = [d for d in self.cal.working_days_in(first, self.start + timedelta(days=27))
                    if d.weekday() in w.working_days]
            # sickness: spells until the worker's share of days is about 3.5% (known only when
            # they began before the plan: nobody books sickness ahead)
            target = SICKNESS_RATE * len(days) * rng.uniform(0.3, 1.7)
            lost = 0
            while lost < target and days:
                length = _weighted(rng, {1: 40, 2: 20, 3: 15, 5: 15, 10: 7, 20: 3})
                d0 = rng.choice(days)
                end = self.cal.add_working_days(d0, length - 1)
                lost += length
                if d0 <= self.history_end:
                    out.append(Absence(w.worker_id, d0, end, "sickness"))
            # annual leave: about 27 days a year, in blocks; in the history and the next weeks
            day = first
            while day <= horizon_end:
                day += timedelta(days=rng.randint(40, 100))
                if day > horizon_end:
                    break
                d0 = self.working_on_or_after(day)
                out.append(Absence(w.worker_id, d0, self.cal.add_working_days(d0, rng.randint(2, 9)), "leave"))
            for kind, p in (("training", 0.3), ("court", 0.25)):
                if rng.random() < p:
                    d0 = self.working_on_or_after(self.start + timedelta(days=rng.randint(0, 27)))
                    out.append(Absence(w.worker_id, d0, d0, kind))
        out.sort(key=lambda a: (a.worker_id, a.start_date, a.kind))
        # one absence per day: drop any that overlaps an earlier one of the same worker
        kept: list[Absence] = []
        for a in out:
            if kept and kept[-1].worker_id == a.worker_id and a.start_date <= kept[-1].end_date:
                continue
            kept.append(a)
        return kept

    def available(self, worker: Worker, day: date) -> bool:
        return self.cal.is_working_day(day) and day.weekday() in worker.working_days and not any(
            a.worker_id == worker.worker_id and a.covers(day) for a in self.absences)

    # ---- history
    def rules(self, child: Child, requirement: str) -> list[Rule]:
        return [r for std in shipped_standards() for r in std.rules
                if r.requirement == requirement and not r.on_every_visit and applies(r, child, self.start)
                and trigger_date(child, r) is not None]

    def strictest_due(self, child: Child, rules: list[Rule], occ: list[date]) -> date | None:
        """The earliest next due date over the rules (with the child's meetings so far as the
        records: a held review ends phases as it will when the team is loaded)."""
        dues = [d for r in rules if (d := next_due(child, r, occ, self.cal, self.records)[0]) is not None]
        return min(dues) if dues else None

    def series(self, due_of: Callable[[list[date]], date | None], begin: date, slip_p: float, lead: int,
               place: Callable[[date, date | None, date], date | None]) -> list[date]:
        """Occurrence dates from `begin`: each next one a little before its strictest due date.

        `lead` is the most working days early; `place(day, previous, due)` moves a wanted day to
        one a worker can do, or returns None (in the future, or nobody could): the series ends."""
        occ: list[date] = []
        while True:
            due = due_of(occ)
            if due is None:
                return occ
            last = occ[-1] if occ else None
            early = self.rng.randint(0, lead)
            day = self.working_on_or_before(due)  # (a due date on a bank holiday: the day before)
            for _ in range(early):
                day -= timedelta(days=1)
                day = self.working_on_or_before(day)
            if self.rng.random() < slip_p:
                day = due + timedelta(days=self.rng.randint(1, 10))  # a slip: seen late
            day = max(day, begin, last + timedelta(days=1) if last else begin)
            placed = place(day, last, due)
            if placed is None:
                return occ
            occ.append(placed)

    def history(self, children: list[Child], staff: list[_Staff],
                alloc: dict[str, tuple[str, date, str]]) -> tuple[list[Child], list[Visit], list[Meeting]]:
        """Meetings first (the first review held sets `first_review_date`), then visits."""
        workers = {s.worker.worker_id: s.worker for s in staff}
        visits: list[Visit] = []
        meetings: list[Meeting] = []
        out: list[Child] = []
        for c in children:
            wid, since, prev = alloc[c.child_id]
            self.records = None
            mine, c = self.child_meetings(c, workers, wid)
            out.append(c)
            meetings += mine
            visits += self.child_visits(c, workers, wid, since, prev)
        return (out, sorted(visits, key=lambda v: (v.date, v.child_id)),
                sorted(meetings, key=lambda m: (m.date, m.child_id, m.meeting_type)))

    def worker_for(self, c: Child, day: date, workers: dict[str, Worker], wid: str, since: date,
                   prev: str, previous: date | None) -> tuple[date, Worker] | None:
        """The day (moved up to 3 working days earlier, never to or before the previous visit) and
        the worker who saw the child: the allocated one, else an eligible colleague as cover."""
        own = workers[wid] if day >= since else workers[prev]
        tries = [day]
        for _ in range(3):
            tries.append(self.working_on_or_before(tries[-1] - timedelta(days=1)))
        for d in tries:
            if previous is not None and d <= previous:
                break
            if self.available(own, d) and self.busy[(own.worker_id, d)] < own.max_visits_per_day:
                return d, own
        cover = [w for w in workers.values() if eligible(w, c) and self.available(w, day)
                 and self.busy[(w.worker_id, day)] < w.max_visits_per_day]
        if not cover:
            return None
        return day, cover[self.rng.randrange(len(cover))]

    def child_visits(self, c: Child, workers: dict[str, Worker], wid: str, since: date,
                     prev: str) -> list[Visit]:
        rng = self.rng
        visit_rules = self.rules(c, "visit")
        can_alone = c.seen_alone_exempt is None and c.date_of_birth is not None
        alone_rules = self.rules(c, "seen_alone") if can_alone else []
        bedroom_rules = self.rules(c, "bedroom")
        every_alone = can_alone and any(every_visit_rules(std, c, self.start, "seen_alone")
                                        for std in shipped_standards())
        alone: list[date] = []
        bedroom: list[date] = []
        records: list[tuple[date, bool, bool, str]] = []

        def due_of(occ: list[date]) -> date | None:
            if not visit_rules:
                return (occ[-1] if occ else c.status_start_date) + timedelta(days=FALLBACK_VISIT_DAYS)
            return self.strictest_due(c, visit_rules, occ)

        def place(day: date, previous: date | None, due: date) -> date | None:
            who = ""
            while True:
                day = self.working_on_or_after(day)
                if day > self.history_end:
                    return None
                if day < self.window_start:
                    break  # (older than the history kept: not recorded)
                found = self.worker_for(c, day, workers, wid, since, prev, previous)
                if found is not None:
                    day, who = found[0], found[1].worker_id
                    break
                day += timedelta(days=1)  # nobody in: the next working day
            # seen alone and bedroom seen as usual practice, and always when a cadence would
            # otherwise lapse before the next visit is due
            next_visit = due_of([*(r[0] for r in records), day]) or day + timedelta(days=FALLBACK_VISIT_DAYS)
            soon = next_visit + timedelta(days=14)
            a_due = self.strictest_due(c, alone_rules, alone) if alone_rules else None
            b_due = self.strictest_due(c, bedroom_rules, bedroom) if bedroom_rules else None
            age = c.age_years(day)
            is_alone = can_alone and (every_alone or rng.random() < (0.9 if age is not None and age >= 3 else 0.5)
                                      or (a_due is not None and a_due <= soon))
            p_bed = {"cp": 0.8 if c.cp_category == "neglect" else 0.4, "cic": 0.3, "s47": 0.8}.get(c.status, 0.15)
            is_bed = rng.random() < p_bed or (b_due is not None and b_due <= soon)
            if is_alone:
                alone.append(day)
            if is_bed:
                bedroom.append(day)
            records.append((day, is_alone, is_bed, who))
            return day

        self.series(due_of, c.status_start_date, VISIT_SLIP_P, 3 if c.status in ("cp", "s47") else 7, place)
        out = []
        for day, is_alone, is_bed, who in records:
            if who:
                self.busy[(who, day)] += 1
                out.append(Visit(c.child_id, day, who, seen_alone=is_alone, bedroom_seen=is_bed))
        return out

    def child_meetings(self, c: Child, workers: dict[str, Worker], wid: str) -> tuple[list[Meeting], Child]:
        """(meetings kept for meetings.csv, the child with `first_review_date` set from the first
        review held, which may be older than the meetings kept)."""
        rng = self.rng
        own = workers[wid]
        s = c.status_start_date
        held_all: list[tuple[str, date]] = []
        booked: list[tuple[str, date]] = []
        if c.status == "s47":
            held_all.append(("strategy", s))
            icpc = self.book(own, self.cal.add_working_days(s, rng.randint(10, 14)))
            if icpc is not None:
                booked.append(("icpc", icpc))
        if c.status == "cp":
            held_all += [("strategy", self.working_on_or_before(s - timedelta(days=rng.randint(10, 14)))),
                         ("icpc", s)]
        for requirement in MEETING_REQUIREMENTS:
            rules = self.rules(c, requirement)
            if not rules:
                continue
            kind = MEETING_TYPE[requirement]

            def due_of(occ: list[date], rules: list[Rule] = rules, c: Child = c) -> date | None:
                return self.strictest_due(c, rules, occ)

            def place(day: date, previous: date | None, due: date, kind: str = kind) -> date | None:
                day = self.working_on_or_after(day)
                if day <= self.history_end:
                    for _ in range(5):  # a day the worker was in with under 2 meetings, if near
                        if self.available(own, day) and self.meeting_load[(wid, day)] < MAX_BOOKED_PER_DAY:
                            break
                        earlier = self.working_on_or_before(day - timedelta(days=1))
                        if previous is not None and earlier <= previous:
                            break
                        day = earlier
                    self.meeting_load[(wid, day)] += 1
                    return day
                # the next one, due soon, is already in the diary (supervision is not booked here)
                if kind != "supervision" and day <= self.start + timedelta(days=BOOKING_HORIZON):
                    when = self.book(own, day, latest=due)
                    if when is not None:
                        booked.append((kind, when))
                return None  # the rest is the planner's

            # PEPs are never late; other meetings very rarely
            slip = 0.0 if requirement == "pep" else MEETING_SLIP_P
            dates = self.series(due_of, s, slip, 10, place)
            held_all += [(kind, d) for d in dates]
            if kind == REVIEW_MEETING.get(c.status) and dates and c.status in ("cic", "cp"):
                c = replace(c, first_review_date=dates[0])  # (a CIN plan's first review: cin_review)
            self.records = Team((), (c,), (), tuple(Meeting(c.child_id, k, d, "held") for k, d in held_all))
        out = []
        first_cin_review = min((d for k, d in held_all if k == "cin_review"), default=None)
        for kind, d in held_all:
            # reviews, conferences and PEPs since 1 January three years back; the frequent ones
            # (core groups, CIN reviews) as far back as the visits, and the first CIN review (it
            # ends phases); supervision the last 6 months
            keep_from = {"supervision": self.start - timedelta(days=SUPERVISION_DAYS),
                         "core_group": self.window_start, "cin_review": self.window_start}.get(kind, self.meetings_from)
            if d >= keep_from or (kind == "cin_review" and d == first_cin_review):
                out.append(Meeting(c.child_id, kind, d, "held"))
        out += [Meeting(c.child_id, kind, d, "booked") for kind, d in booked]
        return out, c

    def book(self, worker: Worker, wanted: date, latest: date | None = None) -> date | None:
        """A diary date on or after `wanted` (and the plan's start) when the worker is in and has
        fewer than 2 booked meetings; None when there is none by `latest` or the booking horizon."""
        last = min(latest or self.start + timedelta(days=BOOKING_HORIZON), self.start + timedelta(days=BOOKING_HORIZON))
        day = max(wanted, self.start)
        # (booked before the due date: move earlier first, then later up to the limit)
        candidates = [d for d in self.cal.working_days_in(self.start, last) if d >= day] + \
            sorted((d for d in self.cal.working_days_in(self.start, last) if d < day), reverse=True)
        for d in candidates:
            if self.available(worker, d) and self.booked[(worker.worker_id, d)] < MAX_BOOKED_PER_DAY:
                self.booked[(worker.worker_id, d)] += 1
                return d
        return None


def generate_team(n_workers: int, n_children: int, seed: int, start: date,
                  region_centre: tuple[float, float] | None = None, area: str | Area = "swindon") -> Team:
    """A deterministic realistic team: same arguments, same Team.

    `area` names one of AREAS (office and postcode districts); `region_centre` moves the office
    elsewhere (postcodes then follow the nearest area's format)."""
    if n_workers < 1 or n_children < 1:
        raise ValueError("need at least one worker and one child (load_team rejects an empty team)")
    where = AREAS[area] if isinstance(area, str) else area
    centre = where.centre
    if region_centre is not None:
        centre = region_centre
        where = min(AREAS.values(), key=lambda a: haversine_km(a.centre, region_centre))
    g = _Generator(n_workers, n_children, seed, start, where, centre)
    staff = g.workers()
    households = g.households(g.statuses([s.worker.role for s in staff]))
    children = g.children(households)
    g.absences = g.make_absences(staff)
    alloc = g.allocate(households, staff)
    children = [replace(c, allocated_worker_id=alloc[c.child_id][0], allocated_since=alloc[c.child_id][1])
                for c in children]
    children, visits, meetings = g.history(children, staff, alloc)
    return Team(tuple(s.worker for s in staff), tuple(children), tuple(visits), tuple(meetings),
                tuple(g.absences), source=f"generated: seed={seed}")


# the shipped demo team (inputs/demo): written by scripts/make_demo.py, checked by tests/test_demo.py
DEMO_START = date(2026, 11, 23)  # a Monday: the history runs to Fri 20 Nov 2026
DEMO_ARGS: dict[str, Any] = {"n_workers": 8, "n_children": 135, "seed": 2026, "start": DEMO_START, "area": "swindon"}


def demo_team() -> Team:
    return generate_team(**DEMO_ARGS)


# ---------------------------------------------------------------- writing a folder

def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _row(obj: Any, columns: list[str]) -> list[str]:
    values = {k: getattr(obj, k) for k in columns}
    if isinstance(obj, Worker):
        values["working_days"] = " ".join(WEEKDAYS[d] for d in obj.working_days)
    if isinstance(obj, Child):
        if obj.household_id == obj.child_id:
            values["household_id"] = None  # blank means "lives alone" (the default)
        if obj.status != "cic":
            values["placement_long_term"] = None
    return [_cell(values[k]) for k in columns]


def write_team(team: Team, folder: Path) -> None:
    """Write the team as CSV files (UTF-8, header row) in the format `load_team` reads."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    records: dict[str, Sequence[Any]] = {"workers": team.workers, "children": team.children,
                                         "visits": team.visits, "meetings": team.meetings,
                                         "absences": team.absences}
    for spec in SPECS:
        columns = [c.name for c in spec.columns]
        with open(folder / spec.csv, "w", encoding="utf-8", newline="") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(columns)
            out.writerows(_row(obj, columns) for obj in records[spec.stem])


__all__ = ["AREAS", "CASES_PER_FTE", "DEMO_ARGS", "DEMO_START", "STATUS_SHARES", "Area", "default_children",
           "demo_team", "generate_team", "write_team"]
