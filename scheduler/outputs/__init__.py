"""What the team sees: rota.html, rota.xlsx, calendars/<worker_id>.ics and map.html.

`rota plan` writes rota.csv/breaches.csv itself and then calls write_all. Every file is written
atomically (scheduler.outputs.atomic). Children appear by reference only; the HTML rota and the
xlsx worker sheets show names too only with show_child_names=True (opt-in). The map and the
calendars never show names or addresses whatever the flag says.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..caseload.table import CaseloadReport
from ..domain import Team
from ..solution import PlanResult
from .atomic import write_bytes_atomic, write_text_atomic
from .html import render_html
from .ics import write_calendars
from .mapping import write_map
from .xlsx import write_xlsx

__all__ = ["write_all", "write_bytes_atomic", "write_text_atomic"]


def write_all(result: PlanResult, team: Team, outdir: Path, signoffs: dict[str, str] | None = None,
              *, show_child_names: bool = False, now: datetime | None = None,
              caseload: CaseloadReport | None = None) -> list[Path]:
    """Write the team-facing outputs into `outdir`; returns the paths written.

    signoffs maps breach_id -> sign-off state text (scheduler.signoff.signoff_states);
    breaches not in it show as "not signed off". `now` stamps the calendars (tests inject it).
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = [
        write_text_atomic(outdir / "rota.html", render_html(result, team, signoffs, show_child_names, caseload)),
        write_xlsx(outdir / "rota.xlsx", result, team, signoffs, show_child_names, stamp=now),
    ]
    written += write_calendars(outdir, result, team, now)
    written.append(write_map(outdir / "map.html", result, team))
    return written
