"""`rota plan`: plan the horizon, verify it, write the rota and its views (scheduler.pipeline)."""
from __future__ import annotations

import sys
import webbrowser
from datetime import date
from pathlib import Path

import click

from ..horizon import Horizon
from ..params import SolveParams
from ..signoff import DB_FILENAME, ENV_VAR, TEAM_SUBDIR
from ..textsafe import terminal_safe
from .caseload import weights_option
from .options import DATE, folder_argument, region_option, standard_option

EPILOG = """Exit codes: 0 planned, verified and written; 2 input problem (nothing written); 3 the
verifier found a violation the breach register does not explain (written, marked NOT VERIFIED);
4 no plan found within the time limit (nothing written, previous outputs untouched: raise
--time-limit); 5 the output folder could not be written (previous outputs untouched)."""


def _echo(text: str, err: bool = False) -> None:
    for line in text.splitlines() or [""]:
        click.echo(terminal_safe(line), err=err)


@click.command(epilog=EPILOG)
@folder_argument
@standard_option
@click.option("--start", "start_date", required=True, type=DATE,
              help="First day of the plan (2026-11-30 or 30/11/2026).")
@click.option("--weeks", type=click.IntRange(1, 12), default=4, show_default=True)
@region_option
@click.option("--out", "outdir", type=click.Path(file_okay=False), default="outputs", show_default=True)
@click.option("--time-limit", type=click.FloatRange(1, 3600), default=180, show_default=True,
              help="Hard stop for the whole plan, in seconds.")
@click.option("--work-limit", type=click.FloatRange(0.1, 100000), default=None,
              help="Solver budget in CP-SAT deterministic work units (default 30: about 45 s here when idle). "
                   "The rota depends only on this, the inputs and the seed; --time-limit is the hard stop.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--method", type=click.Choice(["cpsat", "edf"]), default="cpsat", show_default=True,
              help="cpsat: the optimising planner; edf: earliest deadline first (the hand method, a baseline).")
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help=f"Sign-off database (default TEAM_DIR/{TEAM_SUBDIR}/{DB_FILENAME}, with the team; "
                   f"${ENV_VAR} when set).")
@click.option("--worker-details", is_flag=True,
              help="Add children's names and addresses to each worker's own calendar and page "
                   "(calendars sync to phones: the team's choice). Never on the map or team files.")
@click.option("--quiet", is_flag=True, help="Print only the summary (no progress display).")
@click.option("--open", "open_", is_flag=True, help="Open rota.html in the browser when done.")
@weights_option
@click.option("--previous", "previous", type=click.Path(file_okay=False), default=None, metavar="OUTDIR",
              help="Re-plan with minimal change: keep what the plan in OUTDIR (an earlier --out) says "
                   "unless a change avoids a breach or is needed; writes changes.csv. May be --out itself.")
@click.option("--freeze-until", "freeze_until", type=DATE, default=None,
              help="With --previous: activities up to this day (e.g. the published week) stay as they "
                   "are unless impossible.")
def plan(folder: str, standard_name: str, start_date: date, weeks: int, region: str, outdir: str,
         time_limit: float, work_limit: float | None, seed: int, method: str, db: str | None,
         worker_details: bool, quiet: bool, open_: bool, weights_file: str | None, previous: str | None,
         freeze_until: date | None) -> None:
    """Plan every visit and meeting for the team over the next WEEKS weeks."""
    from ..outputs.terminal import PlanDisplay
    from ..pipeline import PlanJob, run_plan_job

    if freeze_until is not None and previous is None:
        raise click.UsageError("--freeze-until needs --previous OUTDIR (the plan whose activities stay)")
    job = PlanJob(folder, standard_name, Horizon(start_date, weeks, region), outdir,
                  SolveParams(time_limit=time_limit, work_limit=work_limit, seed=seed), db,
                  weights=weights_file, worker_details=worker_details, method=method, previous=previous,
                  freeze_until=freeze_until)
    with PlanDisplay(time_limit=time_limit, mode="quiet" if quiet else None) as display:
        outcome = run_plan_job(job, progress=None if quiet else display)
    for w in outcome.warnings:
        _echo(f"warning: {w}", err=True)
    for line in outcome.lines:
        _echo(line)
    for line in outcome.problems:
        _echo(line, err=True)
    if outcome.exit_code:
        sys.exit(outcome.exit_code)
    if open_:
        webbrowser.open((Path(outdir) / "rota.html").resolve().as_uri())
