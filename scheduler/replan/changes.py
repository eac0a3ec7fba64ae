"""What a re-plan changed (changes.csv and the "what changed" sections): the previous plan's
activities matched to the new plan's, each difference with its reason.

Matching, per household and activity (a meeting also per child), closest first:
1. the same worker on the same day: unchanged, or `retimed` (another time, place or children);
2. the same worker on another day: `moved` (nearest day first);
3. another worker: `reassigned` (children in common; nearest day first);
then a previous activity left over is `removed` and a new one left over is `added`.
Previous activities before the plan's first day are history: those visits.csv/meetings.csv
record as done are not compared; one not recorded did not happen, and the new plan's activity
that replaces it is a `moved` or `reassigned` one (or it is `removed` when nothing replaces it).
Previous activities after the new plan's last day are outside it and not compared.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from ..calendar import WorkingCalendar
from ..domain import WEEKDAYS, Team
from ..policy import eligible
from ..solution import PlannedActivity

CHANGE_COLUMNS = ["change", "date", "worker_id", "activity", "household_id", "child_ids", "previous_date",
                  "previous_worker_id", "reason"]
KINDS = ("added", "removed", "moved", "reassigned", "retimed")


@dataclass(frozen=True)
class Change:
    change: str  # added | removed | moved | reassigned | retimed
    new: PlannedActivity | None  # None when removed
    old: PlannedActivity | None  # None when added
    reason: str

    @property
    def act(self) -> PlannedActivity:
        act = self.new or self.old
        assert act is not None
        return act

    @property
    def date(self) -> date:
        return self.act.date

    @property
    def worker_id(self) -> str:
        return self.act.worker_id

    @property
    def previous_worker_id(self) -> str:
        return self.old.worker_id if self.old else ""

    def row(self) -> dict[str, str]:
        act = self.act
        return {
            "change": self.change, "date": act.date.isoformat(), "worker_id": act.worker_id,
            "activity": act.activity, "household_id": act.household_id, "child_ids": " ".join(act.child_ids),
            "previous_date": self.old.date.isoformat() if self.old else "",
            "previous_worker_id": self.old.worker_id if self.old else "", "reason": self.reason,
        }

    def workers(self) -> tuple[str, ...]:
        """Whose calendar the change touches (both workers of a reassignment)."""
        ids = [a.worker_id for a in (self.old, self.new) if a is not None]
        return tuple(dict.fromkeys(ids))


@dataclass
class Comparison:
    changes: list[Change] = field(default_factory=list)
    # every new activity that continues a previous one (unchanged ones too): new -> previous
    continues: dict[PlannedActivity, PlannedActivity] = field(default_factory=dict)
    not_done: list[PlannedActivity] = field(default_factory=list)  # before the start, not recorded

    def by_worker(self) -> dict[str, list[Change]]:
        out: dict[str, list[Change]] = defaultdict(list)
        for ch in self.changes:
            for wid in ch.workers():
                out[wid].append(ch)
        return dict(sorted(out.items()))

    def counts(self) -> dict[str, int]:
        return {k: sum(1 for ch in self.changes if ch.change == k) for k in KINDS if
                any(ch.change == k for ch in self.changes)}


def _key(a: PlannedActivity) -> tuple[str, ...]:
    return (a.household_id, a.activity) if a.activity == "visit" else (a.household_id, a.activity, *a.child_ids)


def done(a: PlannedActivity, team: Team) -> bool:
    """Did a previous activity happen? Only if visits.csv / meetings.csv record it (every child)."""
    if a.activity == "visit":
        seen = {(v.child_id, v.date) for v in team.visits}
        return all((cid, a.date) in seen for cid in a.child_ids)
    held = {(m.child_id, m.meeting_type, m.date) for m in team.meetings if m.status == "held"}
    return all((cid, a.activity, a.date) in held for cid in a.child_ids)


def _same(a: PlannedActivity, b: PlannedActivity) -> bool:
    return (a.start, a.end, a.child_ids, a.location) == (b.start, b.end, b.child_ids, b.location)


def match(olds: list[PlannedActivity], news: list[PlannedActivity], history: Iterable[PlannedActivity] = (),
          ) -> list[tuple[PlannedActivity, PlannedActivity]]:
    """Pairs (previous, new), closest first (see the module doc); `history`: previous activities
    before the start that did not happen, matched only after the others."""
    late = set(map(id, history))
    pool = list(olds) + list(history)
    by_key_old: dict[tuple[str, ...], list[PlannedActivity]] = defaultdict(list)
    by_key_new: dict[tuple[str, ...], list[PlannedActivity]] = defaultdict(list)
    for o in pool:
        by_key_old[_key(o)].append(o)
    for n in news:
        by_key_new[_key(n)].append(n)
    pairs = []
    for key, os_ in sorted(by_key_old.items()):
        ns = by_key_new.get(key, [])
        candidates = []
        for i, o in enumerate(os_):
            for j, n in enumerate(ns):
                same_worker = o.worker_id == n.worker_id
                if same_worker and o.date == n.date:
                    rank = 0
                elif not set(o.child_ids) & set(n.child_ids):
                    continue
                else:
                    rank = 1 if same_worker else 2
                candidates.append((rank, id(o) in late, abs((n.date - o.date).days), not _same(o, n),
                                   o.date, o.start, n.date, n.start, i, j))
        used_o: set[int] = set()
        used_n: set[int] = set()
        for *_, i, j in sorted(candidates):
            if i not in used_o and j not in used_n:
                used_o.add(i)
                used_n.add(j)
                pairs.append((os_[i], ns[j]))
    return pairs


@dataclass(frozen=True)
class Context:
    """What the reasons are worked out from."""

    team: Team
    cal: WorkingCalendar
    start: date
    end: date
    freeze_until: date | None
    previous_end: date | None
    previous_children: frozenset[str]
    # children with a requirement missed (a breach) in the new plan: a removal is not "seen in time"
    missed_children: frozenset[str] = frozenset()


def _day(d: date) -> str:
    return f"{d:%a %d %b}"


def why_not_kept(o: PlannedActivity, ctx: Context) -> str | None:
    """Why a previous activity cannot stay as it was (None: it could have)."""
    team = ctx.team
    if o.date < ctx.start:
        book = "visits.csv" if o.activity == "visit" else "meetings.csv"
        return f"planned {_day(o.date)}, not recorded as done in {book}"
    workers = {w.worker_id: w for w in team.workers}
    w = workers.get(o.worker_id)
    if w is None:
        return f"{o.worker_id} is no longer in the team"
    for a in team.absences:
        if a.worker_id == w.worker_id and a.covers(o.date):
            span = _day(a.start_date) if a.start_date == a.end_date else f"{_day(a.start_date)}-{_day(a.end_date)}"
            return f"{w.worker_id} away ({a.kind}) {span}"
    if o.date.weekday() not in w.working_days:
        return f"{w.worker_id} does not work on {WEEKDAYS[o.date.weekday()]}"
    if not ctx.cal.is_working_day(o.date):
        return f"{_day(o.date)} is not a working day"
    children = {c.child_id: c for c in team.children}
    gone = [cid for cid in o.child_ids if cid not in children]
    if gone and len(gone) == len(o.child_ids):
        return f"{' '.join(gone)} no longer in the team"
    if not any(eligible(w, children[cid]) for cid in o.child_ids if cid in children):
        return f"{w.worker_id} may no longer do it (role)"
    if o.activity != "visit":
        # meetings.csv now books it on another day (a meeting rebooked since the previous plan)
        booked = sorted({m.date for m in team.meetings if m.status == "booked" and m.meeting_type == o.activity
                         and m.child_id in o.child_ids and ctx.start <= m.date <= ctx.end})
        if booked and o.date not in booked:
            return f"booked in meetings.csv for {', '.join(_day(d) for d in booked)}"
    return None


def _made_room(o: PlannedActivity, new_by_day: dict[tuple[str, date], list[Change]]) -> str | None:
    arrivals = [ch for ch in new_by_day.get((o.worker_id, o.date), []) if ch.change in ("added", "reassigned", "moved")]
    if not arrivals:
        return None
    first = arrivals[0].act
    what = "visit" if first.activity == "visit" else first.activity.replace("_", " ")
    return f"made room on {o.worker_id}'s {_day(o.date)} for the {what} at {first.household_id}"


def _split_from(n: PlannedActivity, previous: list[PlannedActivity]) -> PlannedActivity | None:
    """The previous visit of the same household that saw these children with others - a family
    visit the new plan makes in parts (the nearest in date)."""
    if n.activity != "visit":
        return None
    kids = set(n.child_ids)
    parts = [o for o in previous if o.activity == "visit" and o.household_id == n.household_id
             and kids & set(o.child_ids) and kids != set(o.child_ids)]
    return min(parts, key=lambda o: (abs((o.date - n.date).days), o.date, o.start), default=None)


def _added_reason(n: PlannedActivity, ctx: Context, previous: list[PlannedActivity] | None = None) -> str:
    if ctx.previous_end is not None and n.date > ctx.previous_end:
        return f"after the previous plan's last day ({_day(ctx.previous_end)})"
    if n.activity != "visit" and any(m.child_id in n.child_ids and m.meeting_type == n.activity
                                     and m.date == n.date and m.status == "booked" for m in ctx.team.meetings):
        return "booked in meetings.csv"
    new = [cid for cid in n.child_ids if cid not in ctx.previous_children]
    if new:
        return f"first for {' '.join(new)}: nothing planned for them in the previous plan"
    whole = _split_from(n, previous or [])
    if whole is not None:
        why = why_not_kept(whole, ctx)
        return (f"part of the visit to {' '.join(whole.child_ids)} planned {_day(whole.date)} with "
                f"{whole.worker_id}, now seen separately" + (f" ({why})" if why else ""))
    if n.cover and n.cover_reason:
        return f"cover: {n.cover_reason}"
    return "needed to meet the standard"


def compare(previous: Iterable[PlannedActivity], new: list[PlannedActivity], ctx: Context) -> Comparison:
    prev = list(previous)
    olds = [a for a in prev if ctx.start <= a.date <= ctx.end]
    history = [a for a in prev if a.date < ctx.start and not done(a, ctx.team)]
    pairs = match(olds, new, history)
    out = Comparison(not_done=history)
    paired_old = {id(o) for o, _ in pairs}
    paired_new = {id(n) for _, n in pairs}
    raw: list[tuple[str, PlannedActivity | None, PlannedActivity | None]] = []
    for o, n in pairs:
        out.continues[n] = o
        if o.worker_id != n.worker_id:
            raw.append(("reassigned", n, o))
        elif o.date != n.date:
            raw.append(("moved", n, o))
        elif not _same(o, n):
            raw.append(("retimed", n, o))
    raw += [("added", n, None) for n in new if id(n) not in paired_new]
    raw += [("removed", None, o) for o in olds + history if id(o) not in paired_old]
    # reasons need to know what arrived on each worker-day
    arrivals: dict[tuple[str, date], list[Change]] = defaultdict(list)
    for kind, got, had in raw:
        if got is not None and kind in ("added", "reassigned", "moved"):
            arrivals[(got.worker_id, got.date)].append(Change(kind, got, had, ""))
    for kind, got, had in raw:
        out.changes.append(Change(kind, got, had, _reason(kind, got, had, ctx, arrivals, olds + history)))
    out.changes.sort(key=lambda ch: (ch.date, ch.worker_id, ch.act.start, ch.act.household_id, ch.change))
    return out


def _reason(kind: str, n: PlannedActivity | None, o: PlannedActivity | None, ctx: Context,
            arrivals: dict[tuple[str, date], list[Change]], previous: list[PlannedActivity] | None = None) -> str:
    if kind == "added":
        assert n is not None
        return _added_reason(n, ctx, previous)
    assert o is not None
    frozen = ctx.freeze_until is not None and ctx.start <= o.date <= ctx.freeze_until
    if kind == "retimed":
        assert n is not None
        if n.child_ids != o.child_ids:
            return f"now sees {' '.join(n.child_ids)} (was {' '.join(o.child_ids)})"
        room = _made_room(o, arrivals)
        if room:
            return room.replace("made room on", "fitted around a new activity on", 1)
        return f"{o.worker_id}'s {_day(o.date)} changed; it was {o.start:%H:%M}-{o.end:%H:%M}"
    why = why_not_kept(o, ctx)
    if why is not None:
        return why
    if kind == "removed":
        missed = [cid for cid in o.child_ids if cid in ctx.missed_children]
        if o.activity != "visit":
            why = "no longer due in this plan"
        elif missed:
            why = (f"no longer planned; {' '.join(missed)} still misses a requirement in this plan "
                   "(breaches.csv)")
        else:
            why = "no longer needed: the child is seen in time on other days"
    else:
        why = _made_room(o, arrivals) or "re-planned around the other changes"
    return f"frozen, but it could not be kept: {why}" if frozen else why
