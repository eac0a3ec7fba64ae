"""Writing a plan's files into its output folder (all atomically; sign-offs are never touched)."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

from .caseload.table import CaseloadReport
from .domain import Team
from .outputs import write_all
from .outputs.atomic import write_text_atomic
from .solution import BREACH_COLUMNS, ROTA_COLUMNS, PlanResult

SIGNOFF_COLUMN = "sign_off"  # extension column of breaches.csv


def csv_text(columns: list[str], rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def write_plan(result: PlanResult, team: Team, outdir: Path, signoffs: dict[str, str],
               stamp: datetime | None = None, caseload: CaseloadReport | None = None) -> list[Path]:
    """stamp: the time written into calendars and the workbook (default: input_stamp of the team);
    caseload: the `rota caseload` rows, shown in rota.html."""
    outdir.mkdir(parents=True, exist_ok=True)
    rota = csv_text(ROTA_COLUMNS, [a.row() for a in result.activities])
    breach_rows = [{**b.row(), SIGNOFF_COLUMN: signoffs.get(b.breach_id, "not signed off")}
                   for b in result.breaches]
    written = [write_text_atomic(outdir / "rota.csv", rota),
               write_text_atomic(outdir / "breaches.csv", csv_text(BREACH_COLUMNS + [SIGNOFF_COLUMN], breach_rows))]
    written += write_all(result, team, outdir, signoffs, now=stamp or input_stamp(team), caseload=caseload)
    return written


def input_stamp(team: Team) -> datetime:
    """When the team's data last changed: the newest input file's modification time (UTC, whole
    seconds). Calendars carry it as DTSTAMP/SEQUENCE, so a re-plan on new data updates people's
    events, while re-running on the same data writes the same bytes."""
    folder = Path(team.source) if team.source else None
    times = [p.stat().st_mtime for p in folder.iterdir() if p.is_file()] if folder and folder.is_dir() else []
    return datetime.fromtimestamp(int(max(times, default=0)), tz=UTC)


def summary(result: PlanResult, signoffs: dict[str, str]) -> str:
    proven = sum(1 for b in result.breaches if b.proven_unavoidable)
    signed = sum(1 for b in result.breaches if b.breach_id in signoffs)
    visits = sum(1 for a in result.activities if a.activity == "visit")
    optimal = "proven optimal" if result.breaches_proven_optimal else "NOT proven optimal (time limit)"
    lines = [
        f"Plan {result.start:%a %d %b %Y} to {result.end:%a %d %b %Y} ({result.standard_key} standards)",
        f"  activities planned: {len(result.activities)} ({visits} visits, "
        f"{len(result.activities) - visits} meetings); cover: {sum(a.cover for a in result.activities)}",
        f"  compliance: {result.compliance_percent}% of {result.requirements_total} statutory requirements due",
        f"  breaches: {len(result.breaches)} ({proven} proven unavoidable, {len(result.breaches) - proven} not proven;"
        f" {signed} signed off)",
        f"  solver: breach count {optimal}; later stages {result.stats.get('final_status', '?')}; "
        f"{result.solve_seconds:.1f} s"
        + ("" if result.stats.get("deterministic", True) else
           "; the wall-clock limit ended a stage, so a re-run may differ (raise --time-limit)"),
    ]
    return "\n".join(lines)
