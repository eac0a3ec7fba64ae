"""Random but realistic teams, for the shipped demo, benchmarks and property tests.

`generate_team` is deterministic: everything is drawn from one `random.Random(seed)`, in a
fixed order, so the same arguments always give the same Team. `write_team` writes a team
folder in exactly the format `scheduler.loading` reads (see inputs/README.md).

Everything personal here (children's names, addresses, postcodes) is made up.
"""
from __future__ import annotations

import csv
import math
import random
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

from .calendar import WorkingCalendar, add_months
from .domain import WEEKDAYS, Absence, Child, Meeting, Team, Visit, Worker
from .loading import SPECS, UK_LAT, UK_LON

SWINDON = (51.5558, -1.7797)
HISTORY_DAYS = 270  # calendar days of visit / meeting history before `start`
BOOKING_HORIZON = 42  # calendar days after `start` within which the next meeting is already booked

# Share of children by status (met exactly, up to rounding, by filling per-status quotas).
STATUS_SHARES = {"cin": 0.43, "cp": 0.20, "cic": 0.28, "care_leaver": 0.05, "early_help": 0.02, "s47": 0.01,
                 "private_fostering": 0.01}
HOUSEHOLD_SIZES = {1: 55, 2: 25, 3: 13, 4: 7}  # weights; care leavers and private fostering live alone
PLACEMENT_WEIGHTS = {"foster": 50, "residential": 10, "connected_person": 13, "parent_ico": 5,
                     "parent_care_order": 6, "adoption": 6, "other_setting": 5, "short_breaks": 5}
CP_WEIGHTS = {"neglect": 45, "emotional": 33, "physical": 9, "sexual": 5, "multiple": 8}
# Calendar days between visits: (gap in the first 4 weeks, usual gap range) - a little inside the
# stricter standards (CP every 10 working days, CIN 4-6 weekly, CIC 6 weekly, leavers 8 weekly).
VISIT_GAPS = {"cp": ((5, 7), (8, 13)), "cin": ((10, 14), (18, 27)), "cic": ((3, 5), (28, 40)),
              "care_leaver": ((14, 28), (40, 55)), "early_help": ((10, 14), (14, 28)),
              "private_fostering": ((10, 14), (30, 40)), "s47": ((1, 1), (7, 10))}
AGE_RANGES = {"cin": (0, 17), "cp": (0, 15), "cic": (0, 17), "care_leaver": (18, 24), "early_help": (0, 17),
              "s47": (0, 17), "private_fostering": (8, 17)}
STATUS_AGE_DAYS = {"cin": (20, 720), "cp": (20, 540), "cic": (20, 3000), "early_help": (14, 270),
                   "s47": (1, 4), "private_fostering": (30, 365)}  # days before `start` the status began

FIRST_NAMES = ("Amelia Ava Isla Mia Freya Lily Ella Grace Ruby Evie Poppy Sophie Ivy Willow Rosie Daisy "
               "Oliver Noah George Leo Arthur Harry Oscar Jack Charlie Jacob Alfie Freddie Theo Finley "
               "Archie Tommy Kai Zain Amir Maya Aisha Zara Kacper Lena").split()
SURNAMES = ("Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Wright Robinson Thompson Evans "
            "Walker Hughes Green Hall Wood Harris Lewis Clarke Mills Bennett Kowalski Begum Khan Price "
            "Turner Parker Cooper Ward Morris Bailey Fletcher Hardy Osei Nowak Reid").split()
STREETS = ("Larkspur Close", "Mill Lane", "Kingfisher Drive", "Beech Avenue", "Station Road", "Orchard Way",
           "Canal Walk", "Meadow Rise", "Church Street", "Foxglove Road", "Brunel Crescent", "Queens Drive",
           "Elm Grove", "Hawthorn Court", "Victoria Terrace", "Ridgeway View", "Coleridge Place",
           "Westfield Road", "Shire Way", "Harrow Green")
WORKER_NAMES = ("Sam Okafor", "Priya Shah", "Tom Hayes", "Beth Morgan", "Dan Kelly", "Nadia Hussain",
                "Chris Lowe", "Jo Bradley", "Emma Stone", "Raj Mehta", "Kate Doyle", "Lewis Grant",
                "Hannah Price", "Owen Ellis", "Fatima Ali", "Megan Rees")
EXEMPT_REASONS = ("complex communication needs; seen with trusted adult present",
                  "declines to be seen alone; agreed with team manager")
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in the inward code of UK postcodes


@dataclass
class _Household:
    household_id: str
    status: str
    lat: float
    lon: float
    surname: str
    address: str
    postcode: str
    status_start: date
    members: list[dict[str, Any]] = field(default_factory=list)


def _weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _quotas(n: int, shares: dict[str, float]) -> dict[str, int]:
    """Whole numbers of children per status summing to n (largest remainder)."""
    exact = {k: n * v / sum(shares.values()) for k, v in shares.items()}
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


def _postcode(rng: random.Random) -> str:
    return (f"SN{rng.randint(1, 26)} {rng.randint(1, 9)}"
            f"{rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}")


class _Generator:
    def __init__(self, n_workers: int, n_children: int, seed: int, start: date,
                 centre: tuple[float, float]) -> None:
        self.rng = random.Random(seed)
        self.n_workers, self.n_children = n_workers, n_children
        self.start, self.centre = start, centre
        self.cal = WorkingCalendar("england")
        self.history_end = start - timedelta(days=1)
        while not self.cal.is_working_day(self.history_end):
            self.history_end -= timedelta(days=1)
        self.window_start = start - timedelta(days=HISTORY_DAYS)

    # ---- small date helpers
    def working_on_or_after(self, day: date, worker: Worker | None = None) -> date:
        while not self.cal.is_working_day(day) or (worker and day.weekday() not in worker.working_days):
            day += timedelta(days=1)
        return day

    def days_before_start(self, lo: int, hi: int) -> date:
        return self.working_on_or_after(self.start - timedelta(days=self.rng.randint(lo, hi)))

    # ---- households and children
    def households(self) -> list[_Household]:
        rng, out = self.rng, []
        quota = _quotas(self.n_children, STATUS_SHARES)
        while any(quota.values()):
            status = _weighted(rng, {k: v for k, v in quota.items() if v})
            size = 1 if status in ("care_leaver", "private_fostering") else _weighted(rng, HOUSEHOLD_SIZES)
            size = min(size, quota[status])
            quota[status] -= size
            far = status == "cic" and rng.random() < 0.25  # residential / out-of-area placements
            lat, lon = _near(rng, self.centre, 15, 45) if far else _near(rng, self.centre, 0, 8)
            if status == "care_leaver":
                start_day = self.start  # set per child from the 18th birthday
            else:
                lo, hi = STATUS_AGE_DAYS[status]
                start_day = min(self.days_before_start(lo, hi), self.history_end)
            h = _Household(f"H{len(out) + 1:03d}", status, lat, lon, rng.choice(SURNAMES),
                           f"{rng.randint(1, 120)} {rng.choice(STREETS)}", _postcode(rng), start_day)
            h.members = [{} for _ in range(size)]
            out.append(h)
        return out

    def children(self, households: list[_Household]) -> list[Child]:
        rng, width = self.rng, max(3, len(str(self.n_children)))
        out: list[Child] = []
        # about one child in 100 is unborn (a pre-birth child protection plan), in a household of one
        singles = [i for i, h in enumerate(households) if h.status == "cp" and len(h.members) == 1]
        picked = set(rng.sample(singles, min(len(singles), self.n_children // 100)))
        unborn_ids, k = set(), 0
        for i, h in enumerate(households):
            if i in picked:
                unborn_ids.add(f"C{k + 1:0{width}d}")
            k += len(h.members)
        # the first cic households take each placement type once, so every type appears
        types = rng.sample(list(PLACEMENT_WEIGHTS), len(PLACEMENT_WEIGHTS))
        for h in households:
            placement = None
            if h.status == "cic":
                placement = types.pop() if types else _weighted(rng, PLACEMENT_WEIGHTS)
            placement_start = h.status_start if rng.random() < 0.6 else \
                h.status_start + timedelta(days=rng.randint(0, max(0, (self.history_end - h.status_start).days)))
            placement_start = min(self.working_on_or_after(placement_start), self.history_end)
            category = _weighted(rng, CP_WEIGHTS)
            for _ in h.members:
                status = h.status
                if status in ("cin", "cp") and len(h.members) > 1 and rng.random() < 0.1:
                    status = "cp" if status == "cin" else "cin"  # siblings on different plans
                child_id = f"C{len(out) + 1:0{width}d}"
                unborn = child_id in unborn_ids
                lo, hi = AGE_RANGES[status]
                dob = None if unborn else \
                    self.start - timedelta(days=rng.randint(int(lo * 365.25) + 1, int((hi + 1) * 365.25) - 1))
                status_start = h.status_start
                if status == "care_leaver":
                    status_start = add_months(dob, 18 * 12)
                elif dob is not None and dob > status_start:
                    status_start = dob
                if unborn:  # pre-birth conference: recent
                    status_start = self.days_before_start(10, 60)
                status_start = min(status_start, self.history_end)
                cic = status == "cic"
                first_review = self.cal.add_working_days(status_start, 20) if cic else None
                if first_review is not None and first_review > self.history_end:
                    first_review = None  # not happened yet: booked in meetings
                assessed = self.cal.add_working_days(status_start, rng.randint(20, 45)) if status == "cin" else None
                if assessed is not None and assessed > self.history_end:
                    assessed = None
                p_start = max(placement_start, status_start) if cic else None
                long_term = cic and placement in ("foster", "connected_person") and \
                    (self.start - p_start).days > 365 and rng.random() < 0.4
                exempt = rng.choice(EXEMPT_REASONS) if dob and (self.start - dob).days > 4 * 365 \
                    and rng.random() < 0.03 else None
                first = rng.choice(FIRST_NAMES)
                out.append(Child(
                    child_id=child_id, status=status, status_start_date=status_start, lat=h.lat, lon=h.lon,
                    household_id=h.household_id if len(h.members) > 1 else child_id,
                    date_of_birth=dob, placement_type=placement if cic else None,
                    placement_start_date=p_start, placement_long_term=bool(long_term),
                    first_review_date=first_review, assessment_completed_date=assessed,
                    cp_category=category if status == "cp" else None, seen_alone_exempt=exempt,
                    name=f"{'Baby' if unborn else first} {h.surname}", address=h.address, postcode=h.postcode,
                ))
        return out

    # ---- workers and allocation
    def workers(self, statuses: set[str]) -> list[Worker]:
        rng, n = self.rng, self.n_workers
        special = [r for r, need in (("personal_adviser", "care_leaver" in statuses),
                                     ("early_help_practitioner", "early_help" in statuses),
                                     ("team_manager", n >= 6)) if need]
        special = special[:max(0, n - 1)]  # always keep at least one social worker
        roles = ["team_manager"] * ("team_manager" in special) + \
            ["social_worker"] * (n - len(special)) + [r for r in special if r != "team_manager"]
        # PAs and early help practitioners are usually not qualified social workers; a team with
        # neither (and 3+ workers) gets an unqualified social work assistant instead
        assistant = len(roles) - 1 if len(roles) >= 3 and roles[-1] == "social_worker" else -1
        out = []
        for i, role in enumerate(roles):
            agile = rng.random() < 0.25
            lat, lon = _near(rng, self.centre, 2, 10) if agile else (round(self.centre[0], 5),
                                                                        round(self.centre[1], 5))
            part_time = role == "social_worker" and i == 2
            start_t, end_t = rng.choice([(time(9), time(17))] * 4 + [(time(8, 30), time(16, 30)),
                                                                     (time(10), time(18))])
            out.append(Worker(
                worker_id=f"W{i + 1:02d}", name=WORKER_NAMES[i % len(WORKER_NAMES)], role=role,
                base_lat=lat, base_lon=lon,
                qualified=role not in ("personal_adviser", "early_help_practitioner") and i != assistant,
                working_days=(0, 1, 2, 3) if part_time else (0, 1, 2, 3, 4),
                day_start=start_t, day_end=end_t,
                max_visits_per_day=3 if part_time else rng.choice((4, 4, 4, 5)),
            ))
        return out

    def eligible(self, workers: list[Worker], status: str) -> list[Worker]:
        pools = {"care_leaver": ["personal_adviser"], "early_help": ["early_help_practitioner"]}
        for role in pools.get(status, []) + ["social_worker"]:
            pool = [w for w in workers if w.role == role and (w.qualified or status not in ("cp", "s47"))]
            if pool:
                return pool
        return list(workers)

    def allocate(self, children: list[Child], workers: list[Worker]) -> list[Child]:
        rng, load = self.rng, Counter[str]()
        by_household: dict[str, list[Child]] = {}
        for c in children:
            by_household.setdefault(c.household_id, []).append(c)
        # about one child in 60 awaits allocation (a cin household; never cp / s47)
        cin = [hid for hid, members in by_household.items() if all(c.status == "cin" for c in members)]
        waiting = set(rng.sample(cin, min(len(cin), self.n_children // 60)))
        chosen: dict[str, str | None] = {}
        for hid, members in by_household.items():
            status = members[0].status
            if hid in waiting:
                chosen[hid] = None
                continue
            pool = self.eligible(workers, "cp" if any(c.status in ("cp", "s47") for c in members) else status)
            best = min(pool, key=lambda w: (load[w.worker_id] / w.max_visits_per_day, rng.random()))
            chosen[hid] = best.worker_id
            load[best.worker_id] += len(members)
        return [replace(c, allocated_worker_id=chosen[c.household_id]) for c in children]

    # ---- absences
    def absences(self, workers: list[Worker]) -> list[Absence]:
        rng, out = self.rng, []
        for w in workers:
            if rng.random() < 0.3:  # past sickness
                d = self.working_on_or_after(self.start - timedelta(days=rng.randint(14, HISTORY_DAYS - 14)))
                out.append(Absence(w.worker_id, d, self.cal.add_working_days(d, rng.randint(0, 2)), "sickness"))
            if rng.random() < 0.5:  # annual leave inside the planning horizon
                d = self.working_on_or_after(self.start + timedelta(days=rng.randint(3, 35)))
                out.append(Absence(w.worker_id, d, self.cal.add_working_days(d, rng.randint(2, 9)), "leave"))
            for kind, p in (("training", 0.3), ("court", 0.2)):
                if rng.random() < p:
                    d = self.working_on_or_after(self.start + timedelta(days=rng.randint(0, 28)))
                    out.append(Absence(w.worker_id, d, d, kind))
        return out

    # ---- history
    def available(self, worker: Worker, day: date, absences: list[Absence]) -> bool:
        return day.weekday() in worker.working_days and not any(
            a.worker_id == worker.worker_id and a.covers(day) for a in absences)

    def visits(self, children: list[Child], workers: list[Worker], absences: list[Absence]) -> list[Visit]:
        rng, out = self.rng, []
        for c in children:
            trigger = c.placement_start_date if c.status == "cic" else c.status_start_date
            early, usual = VISIT_GAPS[c.status]
            day = trigger
            pool = self.eligible(workers, c.status)
            while day <= self.history_end:
                in_early = (day - trigger).days < 28
                if day >= self.window_start:
                    mine = [w for w in workers if w.worker_id == c.allocated_worker_id]
                    cover = [w for w in pool if self.available(w, day, absences)]
                    worker = mine[0] if mine and self.available(mine[0], day, absences) and rng.random() < 0.9 \
                        else (rng.choice(cover) if cover else None)
                    if worker is not None:
                        out.append(self.visit(c, day, worker))
                gap = rng.randint(*(early if in_early else usual))
                if rng.random() < 0.06:
                    gap += rng.randint(5, 14)  # the occasional slip: roughly, not perfectly, compliant
                if c.status == "s47" and day > trigger:
                    break
                day = self.working_on_or_after(day + timedelta(days=gap))
        return sorted(out, key=lambda v: (v.date, v.child_id))

    def visit(self, c: Child, day: date, worker: Worker) -> Visit:
        rng = self.rng
        age = c.age_years(day)
        can_be_alone = age is not None and age >= 3 and c.seen_alone_exempt is None
        bedroom_p = {"cp": 0.8 if c.cp_category == "neglect" else 0.4, "cic": 0.3}.get(c.status, 0.15)
        return Visit(c.child_id, day, worker.worker_id, seen_alone=can_be_alone and rng.random() < 0.9,
                     bedroom_seen=rng.random() < bedroom_p)

    def series(self, first: date, gaps: list[tuple[int, int]]) -> list[date]:
        """Meeting dates from `first`, then each gap (last one repeated), up to the booking horizon."""
        out, day, k = [], self.working_on_or_after(first), 0
        horizon = self.start + timedelta(days=BOOKING_HORIZON)
        while day <= horizon:
            out.append(day)
            gap = gaps[min(k, len(gaps) - 1)]
            day = self.working_on_or_after(day + timedelta(days=self.rng.randint(*gap)))
            k += 1
        return out

    def meetings(self, children: list[Child]) -> list[Meeting]:
        rng, out = self.rng, []
        for c in children:
            plans: list[tuple[str, list[date]]] = []
            s = c.status_start_date
            if c.status == "s47":
                plans += [("strategy", [s]), ("icpc", [self.cal.add_working_days(s, 12)])]
            if c.status == "cp":
                plans += [("strategy", [s - timedelta(days=rng.randint(10, 14))]), ("icpc", [s]),
                          ("core_group", self.series(self.cal.add_working_days(s, 8), [(22, 27)])),
                          ("rcpc", self.series(s + timedelta(days=rng.randint(80, 88)), [(170, 178)]))]
            if c.status == "cin":
                plans.append(("cin_review", self.series(s + timedelta(days=rng.randint(60, 85)), [(80, 88)])))
                if c.assessment_completed_date is not None:  # CIN plan meetings (core group), ~6 weekly
                    first = c.assessment_completed_date + timedelta(days=rng.randint(3, 9))
                    plans.append(("core_group", self.series(first, [(30, 40)])))
            if c.status == "cic":
                first = self.cal.add_working_days(s, 20)
                plans.append(("cic_review", self.series(first, [(80, 88), (170, 178)])))
                age = c.age_years(self.start)
                if age is not None and 4 <= age <= 17:
                    plans.append(("pep", self.series(s + timedelta(days=rng.randint(15, 25)), [(110, 120)])))
            if c.status == "care_leaver":
                plans.append(("pathway_review", self.series(s + timedelta(days=rng.randint(20, 60)), [(160, 178)])))
            if c.status != "early_help" and c.allocated_worker_id is not None:
                plans.append(("supervision", self.series(s + timedelta(days=rng.randint(5, 30)), [(25, 35)])))
            for kind, dates in plans:
                for d in dates:
                    d = self.working_on_or_after(d)
                    if d < self.window_start or (kind == "supervision" and (self.start - d).days > 120):
                        continue  # (only recent supervision is kept: it is monthly and the file grows fast)
                    if d < self.start:
                        out.append(Meeting(c.child_id, kind, d, "held"))
                    elif d <= self.start + timedelta(days=BOOKING_HORIZON):
                        out.append(Meeting(c.child_id, kind, d, "booked"))
                        break  # only the next one is booked
        return sorted(out, key=lambda m: (m.date, m.child_id, m.meeting_type))


def generate_team(n_workers: int, n_children: int, seed: int, start: date,
                  region_centre: tuple[float, float] = SWINDON) -> Team:
    """A deterministic random team: same arguments, same Team."""
    if n_workers < 1 or n_children < 1:
        raise ValueError("need at least one worker and one child (load_team rejects an empty team)")
    g = _Generator(n_workers, n_children, seed, start, region_centre)
    households = g.households()
    children = g.children(households)
    workers = g.workers({c.status for c in children})
    children = g.allocate(children, workers)
    absences = g.absences(workers)
    visits = g.visits(children, workers, absences)
    meetings = g.meetings(children)
    return Team(tuple(workers), tuple(children), tuple(visits), tuple(meetings), tuple(absences),
                source=f"generated: seed={seed}")


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
    records = {"workers": team.workers, "children": team.children, "visits": team.visits,
               "meetings": team.meetings, "absences": team.absences}
    for spec in SPECS:
        columns = [c.name for c in spec.columns]
        with open(folder / spec.csv, "w", encoding="utf-8", newline="") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(columns)
            out.writerows(_row(obj, columns) for obj in records[spec.stem])
