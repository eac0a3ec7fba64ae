"""Reading a previous plan (`rota plan --previous OUTDIR`): its rota.csv, what manifest.json says
it was made from, and its calendars (each event's UID and SEQUENCE, so that a re-plan updates
people's events instead of adding copies).

Everything is read before anything is written, so OUTDIR may also be the re-plan's --out.
Every problem is reported as `file:row: column: what is wrong; what is expected` (exit 2).
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from icalendar import Calendar, Event

from ..inputs.problems import InputErrors, Problem
from ..solution import ROTA_COLUMNS, PlannedActivity

REQUIRED = ("date", "start", "end", "worker_id", "activity", "household_id", "child_ids")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EventKey = tuple[str, date, time]  # (worker, day, start): a worker is at one stop at a time


@dataclass(frozen=True)
class Previous:
    folder: Path
    activities: tuple[PlannedActivity, ...]
    manifest: dict[str, Any] = field(default_factory=dict)  # {} when there is none
    # the previous calendars' events by (worker, day, start); workers without a readable calendar
    # are missing, and their events' UIDs are worked out from rota.csv as they were written
    events: dict[EventKey, Event] = field(default_factory=dict)
    calendars: frozenset[str] = frozenset()  # workers whose calendar was read
    # breaches.csv: (child_id, requirement, due_by); due_by None when the cell is not a date
    breaches: frozenset[tuple[str, str, date | None]] = frozenset()
    warnings: tuple[str, ...] = ()

    @property
    def span(self) -> tuple[date, date] | None:
        """The days the previous plan covered (manifest start to end; else its activities')."""
        try:
            return (date.fromisoformat(self.manifest["start"]), date.fromisoformat(self.manifest["end"]))
        except (KeyError, TypeError, ValueError):
            pass
        if not self.activities:
            return None
        return (min(a.date for a in self.activities), max(a.date for a in self.activities))


def _unsafe(cell: str) -> str:
    """The value behind a cell written through textsafe.spreadsheet_safe."""
    return cell[1:] if cell.startswith("'") and cell[1:2] in _FORMULA_START and cell[1:2] else cell


def _row(raw: dict[str, str], where: str, n: int, problems: list[Problem]) -> PlannedActivity | None:
    cells = {k: _unsafe((raw.get(k) or "").strip()) for k in ROTA_COLUMNS}
    bad = len(problems)

    def need(column: str, parse: Any, expected: str) -> Any:
        try:
            return parse(cells[column])
        except ValueError:
            shown = cells[column][:20]
            problems.append(Problem(where, n, column, f"{shown!r} cannot be read; expected {expected}"))
            return None

    day = need("date", date.fromisoformat, "a date such as 2026-11-30, as rota plan writes it")
    start = need("start", time.fromisoformat, "a time such as 09:30")
    end = need("end", time.fromisoformat, "a time such as 10:10")
    travel = need("travel_minutes", lambda s: int(s or 0), "whole minutes")
    for column in ("worker_id", "activity", "household_id", "child_ids"):
        if not cells[column]:
            problems.append(Problem(where, n, column, "empty; expected the value rota plan wrote"))
    if cells["cover"] not in ("", "yes", "no"):
        problems.append(Problem(where, n, "cover", f"{cells['cover'][:20]!r}; expected yes or no"))
    if start is not None and end is not None and end <= start:
        problems.append(Problem(where, n, "end", "not after start; expected the activity's end time"))
    if len(problems) > bad:
        return None
    return PlannedActivity(
        date=day, start=start, end=end, worker_id=cells["worker_id"], activity=cells["activity"],
        household_id=cells["household_id"], child_ids=tuple(cells["child_ids"].split()),
        seen_alone_child_ids=tuple(cells["seen_alone_child_ids"].split()),
        bedroom_child_ids=tuple(cells["bedroom_child_ids"].split()), travel_minutes=travel,
        cover=cells["cover"] == "yes", location=cells["location"] or "home", cover_reason=cells["cover_reason"])


def read_rota(path: Path) -> list[PlannedActivity]:
    where = str(path)
    if not path.is_file():
        raise InputErrors([Problem(where, None, None, "missing file; expected the rota.csv that `rota plan` wrote "
                                                      "into the folder given to --previous")])
    problems: list[Problem] = []
    out: list[PlannedActivity] = []
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise InputErrors([Problem(where, 1, None, f"no column {', '.join(missing)}; expected the header "
                                                             f"rota plan writes: {','.join(ROTA_COLUMNS)}")])
            for raw in reader:
                act = _row(raw, where, reader.line_num, problems)
                if act is not None:
                    out.append(act)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputErrors([Problem(where, None, None, f"cannot be read ({exc}); expected the rota.csv of a "
                                                      f"previous `rota plan`")]) from exc
    if problems:
        raise InputErrors(problems)
    return out


def read_manifest(folder: Path) -> tuple[dict[str, Any], list[str]]:
    path = folder / "manifest.json"
    if not path.is_file():
        return {}, [f"{path}: missing; the previous plan's horizon is taken from its rota.csv"]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return {}, [f"{path}: cannot be read ({exc}); the previous plan's horizon is taken from its rota.csv"]
    return (data, []) if isinstance(data, dict) else ({}, [f"{path}: not a manifest; ignored"])


def read_calendars(folder: Path) -> tuple[dict[EventKey, Event], frozenset[str], list[str]]:
    """Events of calendars/*.ics by (worker, day, start), the worker read from X-WR-CALNAME
    ("Rota W01"); cancelled events are not carried forward."""
    events: dict[EventKey, Event] = {}
    workers: set[str] = set()
    warnings: list[str] = []
    for path in sorted((folder / "calendars").glob("*.ics")):
        try:
            cal = Calendar.from_ical(path.read_bytes())
        except (OSError, ValueError) as exc:
            warnings.append(f"{path}: cannot be read ({exc}); its events get new UIDs")
            continue
        name = str(cal.get("x-wr-calname", ""))
        if not name.startswith("Rota "):
            continue
        wid = name.removeprefix("Rota ")
        workers.add(wid)
        for ev in cal.walk("VEVENT"):
            assert isinstance(ev, Event)
            if str(ev.get("status", "")).upper() == "CANCELLED":
                continue
            start = ev.decoded("dtstart")
            if isinstance(start, datetime):
                events[(wid, start.date(), start.time().replace(tzinfo=None))] = ev
    return events, frozenset(workers), warnings


def read_breaches(path: Path) -> tuple[frozenset[tuple[str, str, date | None]], list[str]]:
    """(child_id, requirement, due_by) of each breach in the previous register: a child the
    previous plan already could not serve in time is not re-planned for that alone."""
    if not path.is_file():
        return frozenset(), [f"{path}: missing; every child the kept plan leaves short is re-planned"]
    out = set()
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            for raw in csv.DictReader(handle):
                if raw.get("child_id") and raw.get("requirement"):
                    out.add((_unsafe(raw["child_id"]), _unsafe(raw["requirement"]), _date_or_none(raw.get("due_by"))))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return frozenset(), [f"{path}: cannot be read ({exc}); every child the kept plan leaves short is re-planned"]
    return frozenset(out), []


def _date_or_none(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def read_previous(folder: str | Path) -> Previous:
    """The previous plan in `folder` (raises InputErrors when its rota.csv cannot be read)."""
    root = Path(folder)
    if not root.is_dir():
        raise InputErrors([Problem(str(root), None, None, "not a folder; expected the --out folder of a previous "
                                                          "`rota plan`")])
    acts = read_rota(root / "rota.csv")
    manifest, warnings = read_manifest(root)
    events, workers, more = read_calendars(root)
    breaches, worse = read_breaches(root / "breaches.csv")
    return Previous(root, tuple(acts), manifest, events, workers, breaches, tuple(warnings + more + worse))


def consistency(previous: Previous, job: Any, standard_key: str) -> list[str]:
    """Warnings when the previous plan was made from something else than this re-plan (the
    changes then also follow from that). job: a scheduler.pipeline.PlanJob."""
    out = []
    man, where = previous.manifest, previous.folder / "manifest.json"
    if man.get("standard_key") not in (None, standard_key):
        out.append(f"{where}: the previous plan used the {man['standard_key']} standards, this one {standard_key}")
    if man.get("region") not in (None, job.horizon.region):
        out.append(f"{where}: the previous plan used the bank holidays of {man['region']}, "
                   f"this one {job.horizon.region}")
    folder = man.get("team_folder")
    if folder and Path(folder).resolve() != Path(job.folder).resolve():
        out.append(f"{where}: the previous plan was made for the team folder {folder}, not {job.folder}")
    if man.get("verified") is False:
        out.append(f"{where}: the previous plan was NOT VERIFIED; its activities are kept only where valid")
    span = previous.span
    if span is not None and span[1] < job.horizon.start:
        out.append(f"{where}: the previous plan ended {span[1]:%a %d %b %Y}, before this one starts: nothing to keep")
    if job.freeze_until is not None and job.freeze_until < job.horizon.start:
        out.append(f"--freeze-until {job.freeze_until:%d %b %Y} is before --start: nothing is frozen")
    return out
