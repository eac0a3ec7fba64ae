"""Re-planning with minimal change (issue 11 item 4): `rota plan ... --previous OUTDIR [--freeze-until DATE]`.

- previous: read the previous plan (rota.csv, manifest.json, calendars/*.ics) before anything
  is written (OUTDIR may be the re-plan's --out too);
- the model keeps what it can (scheduler.model.families.continuity: every change costs, frozen
  activities stay); the Problem carries the previous activities;
- changes: what changed and why (changes.csv, the "what changed" sections of the terminal
  summary and rota.html);
- calendars: events keep their UIDs, SEQUENCE rises only for changed ones, and activities that
  left a worker's calendar are sent as cancelled.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..calendar import WorkingCalendar
from ..domain import Team
from ..outputs.ics import Prior
from ..solution import PlannedActivity, PlanResult
from .calendars import prior_for
from .changes import CHANGE_COLUMNS, KINDS, Change, Comparison, Context, compare
from .previous import Previous, read_previous

__all__ = ["CHANGE_COLUMNS", "Change", "Comparison", "Previous", "Replan", "read_previous", "replan_outputs"]


@dataclass(frozen=True)
class Replan:
    """What a re-plan writes besides the usual set."""

    previous: Previous
    comparison: Comparison
    team: Team
    start: date
    freeze_until: date | None

    @property
    def changes(self) -> list[Change]:
        return self.comparison.changes

    def rows(self) -> list[dict[str, str]]:
        return [ch.row() for ch in self.changes]

    def prior(self, now: datetime) -> Any:
        """The calendars' hook (scheduler.outputs.ics.PriorFn)."""
        def fn(worker_id: str, acts: list[PlannedActivity]) -> Prior:
            return prior_for(self.previous, self.comparison, self.start, now, self.team, worker_id, acts)
        return fn

    def worker_lines(self, worker_id: str) -> list[str]:
        """Each change of one worker's calendar, from that worker's side (references only)."""
        return [_line(ch, worker_id) for ch in self.comparison.by_worker().get(worker_id, [])]

    def summary_lines(self, detail: int = 6) -> list[str]:
        """The terminal's "what changed" section: counts, then each worker's changes (at most
        `detail` lines each; changes.csv has them all)."""
        counts = self.comparison.counts()
        total = len(self.changes)
        head = f"  what changed since the previous plan ({self.previous.folder}): "
        if not total:
            return [head + "nothing"]
        lines = [head + f"{total} change(s): " + ", ".join(f"{n} {k}" for k, n in counts.items())]
        if self.freeze_until is not None:
            n = sum(1 for ch in self.changes if _frozen_changed(ch, self))
            lines.append(f"    frozen up to {self.freeze_until:%a %d %b %Y}: " + (
                f"{n} activity(ies) of those days could not be kept as they were (the reasons are in changes.csv)"
                if n else "every activity of those days kept"))
        for wid, chs in self.comparison.by_worker().items():
            mine = [_line(ch, wid) for ch in chs]
            lines.append(f"    {wid}: {len(mine)} change(s)")
            lines += [f"      {line}" for line in mine[:detail]]
            if len(mine) > detail:
                lines.append(f"      ... and {len(mine) - detail} more (changes.csv)")
        return lines

    def html_context(self) -> dict[str, Any]:
        by_worker = self.comparison.by_worker()
        return {
            "folder": str(self.previous.folder), "total": len(self.changes), "counts": self.comparison.counts(),
            "freeze_until": self.freeze_until, "columns": CHANGE_COLUMNS,
            "workers": [{"wid": wid, "lines": [_line(ch, wid) for ch in chs],
                         "counts": {k: sum(1 for ch in chs if ch.change == k) for k in KINDS}}
                        for wid, chs in by_worker.items()],
        }


def _frozen_changed(ch: Change, rp: Replan) -> bool:
    old = ch.old
    return old is not None and rp.freeze_until is not None and rp.start <= old.date <= rp.freeze_until


def _what(a: PlannedActivity) -> str:
    what = "visit" if a.activity == "visit" else a.activity.replace("_", " ")
    return f"{what} {a.household_id} ({' '.join(a.child_ids)})"


def _line(ch: Change, worker_id: str) -> str:
    """One change as the worker reads it: "Tue 01 Dec 10:00 visit H012 (C020): handed to W02 (W03
    away (sickness) ...)"."""
    new, old = ch.new, ch.old
    if ch.change == "added":
        assert new is not None
        return f"{new.date:%a %d %b} {new.start:%H:%M} {_what(new)}: added ({ch.reason})"
    assert old is not None
    if ch.change == "removed":
        return f"{old.date:%a %d %b} {old.start:%H:%M} {_what(old)}: removed ({ch.reason})"
    assert new is not None
    if ch.change == "reassigned" and worker_id == old.worker_id:
        return (f"{old.date:%a %d %b} {old.start:%H:%M} {_what(old)}: handed to {new.worker_id}, "
                f"{new.date:%a %d %b} {new.start:%H:%M} ({ch.reason})")
    if ch.change == "reassigned":
        return (f"{new.date:%a %d %b} {new.start:%H:%M} {_what(new)}: taken over from {old.worker_id}, "
                f"was {old.date:%a %d %b} {old.start:%H:%M} ({ch.reason})")
    return (f"{new.date:%a %d %b} {new.start:%H:%M} {_what(new)}: {ch.change}, "
            f"was {old.date:%a %d %b} {old.start:%H:%M} ({ch.reason})")


def replan_outputs(previous: Previous, result: PlanResult, team: Team, cal: WorkingCalendar,
                   freeze_until: date | None) -> Replan:
    """Compare the new plan with the previous one."""
    span = previous.span
    ctx = Context(team=team, cal=cal, start=result.start, end=result.end, freeze_until=freeze_until,
                  previous_end=span[1] if span else None,
                  previous_children=frozenset(c for a in previous.activities for c in a.child_ids),
                  missed_children=frozenset(b.child_id for b in result.breaches))
    return Replan(previous, compare(previous.activities, result.activities, ctx), team, result.start, freeze_until)
