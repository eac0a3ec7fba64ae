"""`rota plan`: plan the horizon, verify it, write the rota and its views."""
from __future__ import annotations

import sys
import webbrowser
from datetime import date
from pathlib import Path

import click

from ..horizon import Horizon
from ..params import SolveParams
from ..progress import ProgressEvent, ProgressFn
from .caseload import weights_option
from .options import DATE, folder_argument, region_option, standard_option


@click.command()
@folder_argument
@standard_option
@click.option("--start", "start_date", required=True, type=DATE,
              help="First day of the plan (2026-11-30 or 30/11/2026).")
@click.option("--weeks", type=click.IntRange(1, 12), default=4, show_default=True)
@region_option
@click.option("--out", "outdir", type=click.Path(file_okay=False), default="outputs", show_default=True)
@click.option("--time-limit", type=click.FloatRange(1, 3600), default=60, show_default=True,
              help="Solver budget in seconds (deterministic time).")
@click.option("--work-limit", type=click.FloatRange(0.1, 100000), default=None,
              help="Solver budget in CP-SAT deterministic work units (default: half the time limit). "
                   "The rota depends only on this, the inputs and the seed; --time-limit is the hard stop.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--method", type=click.Choice(["cpsat", "edf"]), default="cpsat", show_default=True,
              help="cpsat: the optimising planner; edf: earliest deadline first (the hand method, a baseline).")
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help="Sign-off database (default OUTDIR/signoffs.sqlite or $ROTA_SIGNOFF_DB).")
@click.option("--quiet", is_flag=True, help="No progress display.")
@click.option("--open", "open_", is_flag=True, help="Open rota.html in the browser when done.")
@weights_option
def plan(folder: str, standard_name: str, start_date: date, weeks: int, region: str, outdir: str,
         time_limit: float, work_limit: float | None, seed: int, method: str, db: str | None, quiet: bool,
         open_: bool, weights_file: str | None) -> None:
    """Plan every visit and meeting for the team over the next WEEKS weeks."""
    from ..pipeline import PlanJob, run_plan_job

    job = PlanJob(folder, standard_name, Horizon(start_date, weeks, region), outdir,
                  SolveParams(time_limit=time_limit, work_limit=work_limit, seed=seed), db, weights_file, method)
    progress = None if quiet else _progress_printer()
    outcome = run_plan_job(job, progress=progress)
    if progress:
        click.echo("", err=True)
    for w in outcome.warnings:
        click.echo(f"warning: {w}", err=True)
    for line in outcome.lines:
        click.echo(line)
    for line in outcome.problems:
        click.echo(line, err=True)
    if outcome.exit_code:
        sys.exit(outcome.exit_code)
    if open_:
        webbrowser.open((Path(outdir) / "rota.html").resolve().as_uri())


def _progress_printer() -> ProgressFn:
    """One updating line on stderr: elapsed time, stage, and the best breach count so far."""
    def report(e: ProgressEvent) -> None:
        if e.phase == "solving" and e.objective is not None:
            click.echo(f"\r  solving ({e.stage}): {e.elapsed:6.1f} s, best so far {e.missed} breach(es), "
                       f"score {e.objective:,.0f}      ", err=True, nl=False)
    return report
