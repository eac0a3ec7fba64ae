"""Small hand-checkable teams for the caseload tests (built on tests/model/teams.py).

Calendar (England): START = Mon 30 Nov 2026; a 4-week horizon ends Sun 27 Dec 2026 and has 19
working days (Fri 25 Dec is a bank holiday). A 09:00-17:00 day gives the planner 480 minutes.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from scheduler.domain import Child, Meeting, Team
from tests.model.teams import BASE, CP_10WD, START, child, every, rule, standard

__all__ = ["BASE", "START", "child", "write_team"]

CIN_6W = rule("t.cin.visit", "visit", [every({"weeks": 6})], statuses=["cin"])
ALONE = rule("t.alone", "seen_alone", statuses=["cp", "cin"], on_every_visit=True)
CORE_4W = rule("t.cp.core", "core_group", [every({"weeks": 4})], statuses=["cp"])
STANDARD = standard(CP_10WD, CIN_6W, ALONE, CORE_4W)
STANDARD_YAML = """key: test
authority: Test Council
source: {file: test.txt, title: test}
rules:
  - {id: t.cp.visit, requirement: visit, applies_to: {status: [cp]}, phases: [{interval: {working_days: 10}}],
     citation: {section: test, quote: test}}
  - {id: t.cin.visit, requirement: visit, applies_to: {status: [cin]}, phases: [{interval: {weeks: 6}}],
     citation: {section: test, quote: test}}
  - {id: t.alone, requirement: seen_alone, applies_to: {status: [cp, cin]}, on_every_visit: true,
     citation: {section: test, quote: test}}
  - {id: t.cp.core, requirement: core_group, applies_to: {status: [cp]}, phases: [{interval: {weeks: 4}}],
     citation: {section: test, quote: test}}
"""

WORKER_COLUMNS = ("worker_id", "name", "role", "base_lat", "base_lon", "qualified", "working_days", "day_start",
                  "day_end", "max_visits_per_day", "fte", "newly_qualified")
CHILD_COLUMNS = ("child_id", "status", "status_start_date", "lat", "lon", "household_id", "allocated_worker_id",
                 "date_of_birth", "placement_type", "placement_long_term", "allocated_since")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):  # working days
        return " ".join(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[d] for d in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def child_row(c: Child) -> str:
    return ",".join(_cell(getattr(c, col)) for col in CHILD_COLUMNS)


def write_team(folder: Path, t: Team) -> Path:
    """The team as a team folder (CSV files), for the command-line tests."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [",".join(WORKER_COLUMNS)]
    for w in t.workers:
        lines.append(",".join(_cell(getattr(w, c)) if c not in ("day_start", "day_end")
                              else getattr(w, c).strftime("%H:%M") for c in WORKER_COLUMNS))
    (folder / "workers.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "children.csv").write_text(
        ",".join(CHILD_COLUMNS) + "\n" + "".join(child_row(c) + "\n" for c in t.children), encoding="utf-8")
    (folder / "visits.csv").write_text("child_id,date,worker_id,seen_alone,bedroom_seen\n" + "".join(
        f"{v.child_id},{v.date},{v.worker_id},{_cell(v.seen_alone)},{_cell(v.bedroom_seen)}\n" for v in t.visits),
        encoding="utf-8")
    (folder / "meetings.csv").write_text("child_id,meeting_type,date,status\n" + "".join(
        f"{m.child_id},{m.meeting_type},{m.date},{m.status}\n" for m in t.meetings), encoding="utf-8")
    (folder / "absences.csv").write_text("worker_id,start_date,end_date,kind\n" + "".join(
        f"{a.worker_id},{a.start_date},{a.end_date},{a.kind}\n" for a in t.absences), encoding="utf-8")
    return folder


def core_group(child_id: str, day: date, status: str = "held") -> Meeting:
    return Meeting(child_id, "core_group", day, status)


__all__ += ["ALONE", "CIN_6W", "CORE_4W", "STANDARD", "STANDARD_YAML", "core_group"]
