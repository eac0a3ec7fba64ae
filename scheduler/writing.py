"""Writing a plan's files: one complete, consistent set in the output folder at every moment.

The whole set (rota.csv, breaches.csv, rota.html, rota.xlsx, calendars/, workers/, map.html, and
changes.csv in a re-plan)
is written into a temporary sibling folder, manifest.json last (every file with its sha256, and
what the plan was made from), and then swapped in (scheduler.outputs.outset). A run that fails
or is killed leaves the previous set; files in the output folder that a plan did not write
(notes, a sign-off database) are never touched.

Every CSV cell that a spreadsheet would run as a formula is neutralised (textsafe.spreadsheet_safe).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .domain import Team
from .outputs import outset, write_all
from .outputs.atomic import write_text_atomic
from .outputs.common import compliance_lines, plan_status, status_detail, status_text, verdict_text
from .solution import BREACH_COLUMNS, ROTA_COLUMNS, PlanResult
from .textsafe import spreadsheet_safe

if TYPE_CHECKING:
    from .caseload.table import CaseloadReport
    from .replan import Replan

SIGNOFF_COLUMN = "sign_off"  # extension column of breaches.csv
SET_FILES = "rota.csv, breaches.csv, rota.html, rota.xlsx, calendars/, workers/, map.html, manifest.json"


def csv_text(columns: list[str], rows: Iterable[dict[str, str]]) -> str:
    """CSV with every cell safe to open in a spreadsheet (= + - @ tab CR neutralised)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    # the csv module quotes a cell with "\n" but not one with a bare "\r" (not in the line
    # terminator), which would split the row for most readers: such rows are quoted whole
    quoted = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for row in rows:
        safe = {k: spreadsheet_safe(str(v)) for k, v in row.items()}
        (quoted if any("\r" in v for v in safe.values()) else writer).writerow(safe)
    return buf.getvalue()


def write_set(result: PlanResult, team: Team, folder: Path, signoffs: dict[str, str], *,
              stamp: datetime | None = None, worker_details: bool = False,
              working_days: list[date] | None = None, chain_head: str | None = None,
              caseload: CaseloadReport | None = None, replan: Replan | None = None,
              notices: tuple[str, ...] = ()) -> list[Path]:
    """Every file of the set (not the manifest) into `folder`, which nobody reads yet."""
    rota = csv_text(ROTA_COLUMNS, (a.row() for a in result.activities))
    breach_rows = [{**b.row(), SIGNOFF_COLUMN: signoffs.get(b.breach_id, "not signed off")}
                   for b in result.breaches]
    written = [write_text_atomic(folder / "rota.csv", rota),
               write_text_atomic(folder / "breaches.csv", csv_text(BREACH_COLUMNS + [SIGNOFF_COLUMN], breach_rows))]
    if replan is not None:
        from .replan.changes import CHANGE_COLUMNS
        written.append(write_text_atomic(folder / "changes.csv", csv_text(CHANGE_COLUMNS, replan.rows())))
    written += write_all(result, team, folder, signoffs, worker_details=worker_details,
                         now=stamp or input_stamp(team), working_days=working_days, chain_head=chain_head,
                         caseload=caseload, replan=replan, notices=notices)
    return written


def write_plan(result: PlanResult, team: Team, outdir: Path, signoffs: dict[str, str],
               stamp: datetime | None = None, *, worker_details: bool = False,
               working_days: list[date] | None = None, chain_head: str | None = None,
               meta: dict[str, Any] | None = None, notes: list[str] | None = None,
               caseload: CaseloadReport | None = None, replan: Replan | None = None,
               notices: tuple[str, ...] = ()) -> list[Path]:
    """Write the set aside, manifest last, and swap it into outdir. Returns the set's paths in
    outdir. stamp: the time written into calendars and the workbook (default: input_stamp).
    meta: what manifest.json records besides the files. notes collects messages for the user
    (left-over files that could not be tidied; normally none). replan: a re-plan's changes
    (changes.csv, the "what changed" section, calendars carried forward). notices: what the
    team must do by hand (children the standard plans nothing for), shown in rota.html."""
    target = Path(outdir).resolve()
    found = outset.clean_stale(target)
    staging = outset.new_staging(target)
    try:
        write_set(result, team, staging, signoffs, stamp=stamp, worker_details=worker_details,
                  working_days=working_days, chain_head=chain_head, caseload=caseload, replan=replan,
                  notices=notices)
        outset.write_manifest(staging, {**(meta or {}), "status": plan_status(result),
                                        "verified": not result.unexplained})
        files = sorted(outset.our_files(staging))
        found += outset.swap_in(staging, target)
    except BaseException:
        found += outset.discard(staging, target)
        raise
    finally:
        if notes is not None:
            notes.extend(found)
    return [target / rel for rel in files]


def input_stamp(team: Team) -> datetime:
    """When the team's data last changed: the newest input file's modification time (UTC, whole
    seconds). Calendars carry it as DTSTAMP/SEQUENCE, so a re-plan on new data updates people's
    events, while re-running on the same data writes the same bytes."""
    folder = Path(team.source) if team.source else None
    times = [p.stat().st_mtime for p in folder.iterdir() if p.is_file()] if folder and folder.is_dir() else []
    return datetime.fromtimestamp(int(max(times, default=0)), tz=UTC)


def summary(result: PlanResult, signoffs: dict[str, str]) -> str:
    """The terminal summary: the whole plan's status and the verifier's verdict included."""
    proven = sum(1 for b in result.breaches if b.proven_unavoidable)
    signed = sum(1 for b in result.breaches if b.breach_id in signoffs)
    visits = sum(1 for a in result.activities if a.activity == "visit")
    lines = [
        f"Plan {result.start:%a %d %b %Y} to {result.end:%a %d %b %Y} ({result.standard_key} standards)",
        f"  activities planned: {len(result.activities)} ({visits} visits, "
        f"{len(result.activities) - visits} meetings); cover: {sum(a.cover for a in result.activities)}",
        f"  compliance: {result.compliance_percent}% of {result.requirements_total} statutory requirements due",
        *(f"    {line}" for line in compliance_lines(result)),
        f"  breaches: {len(result.breaches)} ({proven} proven unavoidable, {len(result.breaches) - proven} not proven;"
        f" {signed} signed off)",
        f"  plan status: {status_text(result)} ({result.solve_seconds:.1f} s)",
        *([f"    {status_detail(result)}"] if status_detail(result) else []),
        *([] if result.stats.get("deterministic", True) else
          ["    the wall-clock limit ended a stage, so a re-run may differ (raise --time-limit)"]),
        f"  verifier: {verdict_text(result)}",
    ]
    return "\n".join(lines)
