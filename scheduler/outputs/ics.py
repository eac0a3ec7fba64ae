"""calendars/<worker_id>.ics: one RFC 5545 calendar per worker, times in Europe/London.

UIDs are derived from what an event is for, not from when it happens, so re-importing an
updated rota updates an event instead of adding a second copy: the key is
(worker, household, activity, ISO week, n-th such activity that week). A visit moved to
another time or day in the same week keeps its UID; only a move into another week makes a
new event (the old one then has to be deleted by hand: an .ics import cannot delete).

A re-plan (`rota plan --previous`, scheduler.replan) does better: each event that continues a
previous one keeps its UID (moved to another week too), keeps its SEQUENCE when nothing in it
changed and gets the previous SEQUENCE + 1 when something did; an activity that left a
worker's calendar (removed, or given to a colleague) is sent once more as a cancelled event, so
importing the calendar takes it out; a new event never takes a UID the previous calendar used.

Privacy: by default an event carries the household and child references and the postcode
district only ("SN2": enough to plan a journey, not to find a family). With worker_details (the
team's choice: `rota plan --worker-details`), a worker's own calendar also carries the
children's names and the address, because that is where the worker needs them; calendars are
synced to phones, so it is off by default. Never coordinates.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from ..domain import Team
from ..solution import PlannedActivity, PlanResult
from .atomic import write_bytes_atomic
from .common import activity_label, by_worker, cover_reason, district_of, file_stems, household_children, where_label

TZID = "Europe/London"
LONDON = ZoneInfo(TZID)
PRODID = "-//rota//children's social care visit scheduler//EN"
_SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def event_uids(acts: list[PlannedActivity]) -> list[str]:
    """Stable UIDs for one worker's activities (same order as `acts`)."""
    order = sorted(range(len(acts)), key=lambda i: (acts[i].date, acts[i].start, acts[i].end,
                                                    acts[i].household_id))
    seen: Counter[tuple[str, ...]] = Counter()
    uids = [""] * len(acts)
    for i in order:
        a = acts[i]
        year, week, _ = a.date.isocalendar()
        key = (a.worker_id, a.household_id, a.activity, f"{year}-W{week:02d}")
        seen[key] += 1
        raw = "|".join(key + (str(seen[key]),))
        uids[i] = f"{hashlib.sha256(raw.encode()).hexdigest()[:32]}@rota"
    return uids


@dataclass(frozen=True)
class Prior:
    """A worker's previous calendar as a re-plan carries it forward (scheduler.replan.calendars)."""

    events: dict[int, Event]  # index in the worker's activities -> the previous event it continues
    cancel: list[Event]  # previous events of activities no longer in this calendar
    taken: frozenset[str]  # UIDs the previous calendar used: a new event takes none of them


PriorFn = Callable[[str, list[PlannedActivity]], Prior | None]
# what makes a revision significant (RFC 5545 3.8.7.4: SEQUENCE rises with it); a description
# that only says something new (travel minutes, the cover reason's wording) goes with DTSTAMP
_COMPARED = ("dtstart", "dtend", "summary", "location")


def _content(ev: Event) -> tuple[str, ...]:
    """When, where and what the event is (times as local wall-clock times)."""
    out = []
    for name in _COMPARED:
        if name in ("dtstart", "dtend"):
            value = ev.decoded(name, None)
            out.append(value.replace(tzinfo=None).isoformat() if isinstance(value, datetime) else str(value))
        else:
            out.append(str(ev.get(name, "")))
    return tuple(out)


def _set(ev: Event, name: str, value: object) -> None:
    ev.pop(name, None)
    ev.add(name, value)


def _fresh(uid: str, taken: set[str]) -> str:
    """A UID derived from `uid` that is not taken (deterministic)."""
    k = 0
    while uid in taken:
        k += 1
        uid = f"{hashlib.sha256(f'{uid}|{k}'.encode()).hexdigest()[:32]}@rota"
    return uid


def _carried(ev: Event, old: Event) -> Event:
    """The new event under the previous event's UID: same SEQUENCE if unchanged, else one more."""
    _set(ev, "uid", str(old.get("uid")))
    seq = int(old.get("sequence", 0))
    _set(ev, "sequence", seq if _content(ev) == _content(old) else seq + 1)
    return ev


def _cancelled(old: Event, now: datetime) -> Event:
    ev = Event()
    for name in ("uid", "dtstart", "dtend", "location", "categories"):
        if name in old:
            ev.add(name, old.decoded(name) if name in ("dtstart", "dtend") else old.get(name))
    ev.add("dtstamp", now)
    ev.add("sequence", int(old.get("sequence", 0)) + 1)
    ev.add("summary", _clean(f"Cancelled: {old.get('summary', '')}"))
    ev.add("description", "Taken out of this rota by a re-plan (rota plan --previous): see changes.csv.")
    ev.add("status", "CANCELLED")
    ev.add("transp", "TRANSPARENT")
    return ev


def _sequence(now: datetime) -> int:
    # Clients accept an update of a known UID when SEQUENCE grows: minutes since 2020 grows
    # with every run and stays far inside a 32-bit integer.
    return max(int((now - _SEQUENCE_EPOCH).total_seconds() // 60), 0)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _clean(text: str) -> str:
    """Text for a calendar property: no control characters (a newline in an id must not start
    a property of its own; icalendar escapes the rest)."""
    return _CONTROL.sub("\ufffd", text)


def _location(act: PlannedActivity, team: Team, worker_details: bool) -> str:
    if act.location != "home":
        return f"{act.location} (child {', '.join(act.child_ids)})"
    if worker_details:
        for child in household_children(team, act):
            if child.address or child.postcode:
                return ", ".join(filter(None, [child.address, child.postcode]))
    district = district_of(team, act)
    return f"household {act.household_id}, {district}" if district else f"household {act.household_id}"


def _event(act: PlannedActivity, uid: str, now: datetime, team: Team | None = None,
           worker_details: bool = False) -> Event:
    team = team or Team(workers=(), children=())
    label = activity_label(act.activity)
    children = ", ".join(act.child_ids)
    where = where_label(act)
    district = district_of(team, act)
    summary = f"{label}{' ' + where if where else ''}: household {act.household_id} ({children})"
    if district and act.location == "home":
        summary += f" {district}"
    if act.cover:
        summary += " [cover]"
    description = [
        f"Activity: {label}",
        f"Household: {act.household_id}" + (f" ({district})" if district else ""),
        f"Location: {where.removeprefix('at ') or 'home'}",
        f"Children: {children}",
    ]
    if worker_details:
        named = [f"{c.child_id} {c.name}" for c in household_children(team, act) if c.name]
        if named:
            description.append(f"Names: {', '.join(named)}")
    description += [
        f"Seen alone: {', '.join(act.seen_alone_child_ids) or 'none planned'}",
        f"Bedroom check: {', '.join(act.bedroom_child_ids) or 'none planned'}",
        f"Travel to this stop: {act.travel_minutes} min",
        f"Cover (not the allocated worker): {'yes: ' + cover_reason(act) if act.cover else 'no'}",
    ]
    ev = Event()
    ev.add("uid", uid)
    ev.add("dtstamp", now)
    ev.add("sequence", _sequence(now))
    ev.add("dtstart", datetime.combine(act.date, act.start, tzinfo=LONDON))
    ev.add("dtend", datetime.combine(act.date, act.end, tzinfo=LONDON))
    ev.add("summary", _clean(summary))
    ev.add("location", _clean(_location(act, team, worker_details)))
    ev.add("description", "\n".join(_clean(line) for line in description))
    ev.add("categories", [label])
    ev.add("transp", "OPAQUE")
    return ev


def build_calendar(worker_id: str, acts: list[PlannedActivity], start: date, end: date,
                   now: datetime | None = None, team: Team | None = None, worker_details: bool = False,
                   prior: Prior | None = None) -> Calendar:
    """prior: the worker's previous calendar, in a re-plan (see the module doc)."""
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _clean(f"Rota {worker_id}"))
    cal.add("x-wr-timezone", TZID)
    # The VTIMEZONE is always there, so even a worker with nothing planned gets a calendar
    # with a component (RFC 5545 requires at least one).
    cal.add_component(Timezone.from_tzid(TZID, first_date=start - timedelta(days=366),
                                         last_date=end + timedelta(days=366)))
    taken = set(prior.taken) if prior else set()
    uids = event_uids(acts)
    if prior:  # carried events keep their UIDs; the others take none the previous calendar used
        uids = [str(prior.events[i].get("uid")) if i in prior.events else _fresh(uid, taken)
                for i, uid in enumerate(uids)]
    for i, (act, uid) in enumerate(zip(acts, uids, strict=True)):
        ev = _event(act, uid, now, team, worker_details)
        if prior and i in prior.events:
            ev = _carried(ev, prior.events[i])
        cal.add_component(ev)
    for old in prior.cancel if prior else []:
        cal.add_component(_cancelled(old, now))
    return cal


def events_for(acts: list[PlannedActivity], now: datetime, team: Team | None = None) -> list[Event]:
    """One worker's events as a run without a previous plan writes them (same order as acts)."""
    now = now.astimezone(UTC).replace(microsecond=0)
    return [_event(act, uid, now, team) for act, uid in zip(acts, event_uids(acts), strict=True)]


def calendar_paths(outdir: Path, worker_ids: list[str]) -> dict[str, Path]:
    """worker_id -> calendars/<stem>.ics, unique and safe on every file system (file_stems)."""
    return {wid: outdir / "calendars" / f"{stem}.ics" for wid, stem in file_stems(worker_ids).items()}


def write_calendars(outdir: Path, result: PlanResult, team: Team,
                    now: datetime | None = None, worker_details: bool = False, prior: PriorFn | None = None,
                    ) -> list[Path]:
    """One calendar per worker (every team worker, even with nothing planned). prior: in a
    re-plan, each worker's previous calendar (worker_id, activities) -> Prior."""
    written = []
    grouped = by_worker(result, team)
    paths = calendar_paths(outdir, list(grouped))
    for wid, acts in grouped.items():
        cal = build_calendar(wid, acts, result.start, result.end, now, team, worker_details,
                             prior(wid, acts) if prior else None)
        written.append(write_bytes_atomic(paths[wid], cal.to_ical()))
    return written
