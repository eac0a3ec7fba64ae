"""What the team sees: rota.html, rota.xlsx, calendars/<worker>.ics, workers/<worker>.html and
map.html.

scheduler.writing writes rota.csv/breaches.csv, calls write_all into a temporary folder and
swaps the complete set in (scheduler.outputs.outset). Children appear by reference only in
every team file (rota.html, rota.xlsx, map.html). A worker's own calendar and page carry the
household's postcode district, and, with worker_details=True (`--worker-details`), the
children's names and address too; never the map or the team files.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import write_bytes_atomic, write_text_atomic

if TYPE_CHECKING:
    from ..caseload.table import CaseloadReport
    from ..domain import Team
    from ..replan import Replan
    from ..solution import PlanResult

__all__ = ["write_all", "write_bytes_atomic", "write_text_atomic"]


def write_all(result: PlanResult, team: Team, outdir: Path, signoffs: dict[str, str] | None = None,
              *, worker_details: bool = False, now: datetime | None = None,
              working_days: list[date] | None = None, chain_head: str | None = None,
              caseload: CaseloadReport | None = None, replan: Replan | None = None,
              notices: tuple[str, ...] = ()) -> list[Path]:
    """Write the team-facing outputs into `outdir`; returns the paths written.

    signoffs maps breach_id -> sign-off state text (scheduler.signoff.signoff_states);
    breaches not in it show as "not signed off". `now` stamps the calendars and the workbook
    (tests inject it). working_days: the plan's working days (default Monday to Friday).
    replan: a re-plan's changes ("what changed" in rota.html; calendars carried forward).
    notices: what the team must do by hand (rota.html's summary; children by id only).
    """
    # the writers (openpyxl, jinja2, icalendar) are imported here, not with the package, so that
    # `rota plan` can show progress at once
    from . import html, ics, mapping, xlsx
    from .common import by_worker, file_stems

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    stems = file_stems(by_worker(result, team))
    pages = {wid: f"workers/{stem}.html" for wid, stem in stems.items()}
    page = html.render_html(result, team, signoffs, working_days, chain_head, pages, caseload,
                            replan.html_context() if replan else None, notices)
    written = [
        write_text_atomic(outdir / "rota.html", page),
        xlsx.write_xlsx(outdir / "rota.xlsx", result, team, signoffs, stamp=now, working_days=working_days),
    ]
    written += ics.write_calendars(outdir, result, team, now, worker_details,
                                   replan.prior(now or datetime.now(UTC)) if replan else None)
    for wid, rel in pages.items():
        written.append(write_text_atomic(outdir / rel, html.render_worker_page(result, team, wid, worker_details,
                                                                          working_days)))
    written.append(mapping.write_map(outdir / "map.html", result, team, working_days))
    return written
