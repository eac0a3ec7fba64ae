"""Each worker's previous calendar, carried into the re-plan's (scheduler.outputs.ics.Prior)."""
from __future__ import annotations

from datetime import date, datetime

from icalendar import Event

from ..domain import Team
from ..outputs.ics import Prior, events_for
from ..solution import PlannedActivity
from .changes import Comparison
from .previous import Previous


def _previous_events(previous: Previous, worker_id: str, now: datetime, team: Team) -> dict[int, Event]:
    """id(previous activity) -> its event: from the previous calendar when it was read, else as a
    run without a previous plan wrote it from rota.csv (UIDs alike; SEQUENCE from this run)."""
    acts = [a for a in previous.activities if a.worker_id == worker_id]
    built = dict(zip(map(id, acts), events_for(acts, now, team), strict=True))
    if worker_id not in previous.calendars:
        return built
    out = {}
    for a in acts:
        ev = previous.events.get((a.worker_id, a.date, a.start))
        out[id(a)] = ev if ev is not None else built[id(a)]
    return out


def prior_for(previous: Previous, comparison: Comparison, start: date, now: datetime, team: Team,
              worker_id: str, acts: list[PlannedActivity]) -> Prior:
    """Which of the worker's events continue a previous one, and which previous ones to cancel:
    those from the plan's start on that changes.csv lists as removed or given to a colleague (who
    gets a new event)."""
    events = _previous_events(previous, worker_id, now, team)
    carried: dict[int, Event] = {}
    kept: set[int] = set()
    for i, act in enumerate(acts):
        old = comparison.continues.get(act)
        if old is not None and old.worker_id == worker_id and id(old) in events:
            carried[i] = events[id(old)]
            kept.add(id(old))
    cancel = [events[id(ch.old)] for ch in comparison.changes
              if ch.change in ("removed", "reassigned") and ch.old is not None and ch.old.worker_id == worker_id
              and ch.old.date >= start and id(ch.old) in events and id(ch.old) not in kept]
    taken = frozenset(str(ev.get("uid")) for ev in events.values())
    taken |= {str(ev.get("uid")) for (wid, _, _), ev in previous.events.items() if wid == worker_id}
    return Prior(carried, cancel, taken)
