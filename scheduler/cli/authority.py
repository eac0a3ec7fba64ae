"""`rota plan-authority` (every team of an authority, in parallel, and one summary) and
`rota generate-authority` (a made-up authority to try it on). The work is in scheduler.authority."""
from __future__ import annotations

import re
import shlex
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..horizon import Horizon
from ..params import SolveParams
from ..textsafe import terminal_safe
from .caseload import weights_option
from .options import DATE, fail, region_option, standard_option

if TYPE_CHECKING:
    from ..authority.run import AuthorityRun

PLAN_EPILOG = """AUTH_DIR holds one folder per team (its name is the team id); each team's plan is
written to OUTDIR/<team>/ exactly as `rota plan` writes it, and OUTDIR/authority.csv and
authority.html summarise the teams by risk. Exit codes: 0 every team planned (or unchanged);
otherwise the largest exit code of a failed team (2 input problem, 3 not verified, 4 no plan
within the time limit, 5 outputs not written, 1 rota failed) once the others are planned;
2 before anything is planned for a problem with AUTH_DIR or the options."""
WARNINGS_SHOWN = 5  # per team; `rota check TEAM_DIR` lists them all
TOP_TEAMS = 10  # teams printed in the terminal summary (authority.html has them all)


_IN_FILE = re.compile(r"^[^\s:/]+\.(csv|xlsx|xls)\b")  # "workers.csv:3: role: ..." names a file of the team


def _echo(text: str, err: bool = False) -> None:
    for line in text.splitlines() or [""]:
        click.echo(terminal_safe(line), err=err)


def _of_team(team_id: str, line: str) -> str:
    """A team's message with the team in front: TEAM/workers.csv:3: ... (a path under AUTH_DIR)."""
    return f"{team_id}/{line}" if _IN_FILE.match(line) else f"{team_id}: {line.strip()}"


@click.command("plan-authority", epilog=PLAN_EPILOG)
@click.argument("auth_dir", type=click.Path(file_okay=False))
@standard_option
@click.option("--start", "start_date", required=True, type=DATE,
              help="First day of the plan (2026-11-30 or 30/11/2026).")
@click.option("--weeks", type=click.IntRange(1, 12), default=4, show_default=True)
@region_option
@click.option("--out", "outdir", required=True, type=click.Path(file_okay=False),
              help="Where each team's plan (OUTDIR/<team>/) and the summary go.")
@click.option("--jobs", type=click.IntRange(1, 1024), default=None,
              help="Teams planned at once on this machine, each pinned to its share of the cores "
                   "[default: one per core].")
@click.option("--ray", "ray_address", default=None, metavar="ADDRESS",
              help="Plan on Ray instead: 'auto' (the cluster this machine is in), a cluster address "
                   "(host:port or ray://host:10001), or 'local' (start Ray on this machine). Needs "
                   "`pip install -e \".[ray]\"` and AUTH_DIR and OUTDIR on storage every node sees.")
@click.option("--cpus-per-team", type=click.IntRange(1, 64), default=1, show_default=True,
              help="With --ray: CPUs Ray reserves for each team.")
@click.option("--time-limit", type=click.FloatRange(1, 3600), default=180, show_default=True,
              help="Hard stop for each team's plan, in seconds.")
@click.option("--work-limit", type=click.FloatRange(0.1, 100000), default=None,
              help="Solver budget per team in CP-SAT deterministic work units (default: from the time limit).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--force", is_flag=True, help="Plan every team, even those unchanged since the last run.")
@click.option("--worker-details", is_flag=True,
              help="As for `rota plan`: children's names and addresses in each worker's own calendar and page.")
@click.option("--quiet", is_flag=True, help="No progress display; the summary only.")
@weights_option
def plan_authority(auth_dir: str, standard_name: str, start_date: date, weeks: int, region: str, outdir: str,
                   jobs: int | None, ray_address: str | None, cpus_per_team: int, time_limit: float,
                   work_limit: float | None, seed: int, force: bool, worker_details: bool, quiet: bool,
                   weights_file: str | None) -> None:
    """Plan every team of an authority in parallel, each exactly as `rota plan` would, and
    summarise them for the head of service (OUTDIR/authority.html, authority.csv)."""
    from ..authority.display import AuthorityDisplay
    from ..authority.jobs import available_cores
    from ..authority.run import AuthorityError, AuthorityOptions, discover_teams, plan_authority

    if ray_address is not None:
        try:
            import ray  # noqa: F401
        except ImportError:
            fail('--ray needs Ray: pip install -e ".[ray]" (or pip install ray)')
    options = AuthorityOptions(standard_name, Horizon(start_date, weeks, region),
                               SolveParams(time_limit=time_limit, work_limit=work_limit, seed=seed), jobs=jobs,
                               ray=ray_address, cpus_per_team=cpus_per_team, force=force, weights=weights_file,
                               worker_details=worker_details)
    try:
        total = len(discover_teams(Path(auth_dir), Path(outdir)))
    except AuthorityError as exc:
        fail(str(exc))
    parallel = jobs or len(available_cores())
    if ray_address not in (None, "local"):
        parallel = max(parallel, 1)  # the display's estimate only; Ray decides
    display = AuthorityDisplay(total, parallel, mode="quiet" if quiet else None)
    try:
        run = plan_authority(auth_dir, outdir, options, display, parallel_hint=parallel)
    except AuthorityError as exc:
        fail(str(exc))
    for team_id, result in run.results.items():
        shown = result.outcome.warnings[:WARNINGS_SHOWN]
        for w in shown:
            _echo(f"warning: {_of_team(team_id, w)}", err=True)
        if len(result.outcome.warnings) > len(shown):
            _echo(f"warning: {team_id}: {len(result.outcome.warnings) - len(shown)} more warning(s); "
                  f"`rota check {Path(auth_dir) / team_id}` lists them all", err=True)
    for t in run.failed:
        problems = run.results[t.team_id].outcome.problems if t.team_id in run.results else ()
        for p in problems:
            for line in p.splitlines():
                _echo(_of_team(t.team_id, line), err=True)
    _echo(_summary_text(run, Path(outdir)))
    if run.exit_code:
        sys.exit(run.exit_code)


def _summary_text(run: AuthorityRun, outdir: Path) -> str:
    import pandas as pd

    from ..authority.summary import team_frame, totals

    df = team_frame(run.teams)
    total = totals(df)
    compliance = "" if pd.isna(total["compliance"]) else (
        f"; {float(total['compliance']):.1f}% of the statutory requirements due within the plan met")
    lines = [f"Authority: {total['status']} ({run.seconds:.0f} s){compliance}"]
    for r in df.head(TOP_TEAMS).itertuples():
        score = "" if pd.isna(r.risk_score) else f"risk {int(r.risk_score)}, "
        overdue = "" if pd.isna(r.overdue_children) else f", {int(r.overdue_children)} child(ren) overdue"
        lines.append(f"  {r.team_id}: {score}{r.status}{overdue}")
    if len(df) > TOP_TEAMS:
        lines.append(f"  ... {len(df) - TOP_TEAMS} more team(s) in authority.html")
    lines.append(f"  written to {outdir}/ (authority.html, authority.csv, authority.json; one folder per team)")
    return "\n".join(lines)


def _next_monday(today: date) -> date:
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


@click.command("generate-authority")
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("--teams", "n_teams", type=click.IntRange(1, 200), required=True)
@click.option("--workers-per-team", type=click.IntRange(1, 60), required=True)
@click.option("--children", type=click.IntRange(1, 100000), required=True,
              help="Children in the whole authority, shared among the teams (each within 15% of an equal share).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--start", "start_date", type=DATE, default=None,
              help="The day the history runs up to (the plan's first day) [default: next Monday].")
@click.option("--county", type=click.Choice(["devon", "dorset"]), default="devon", show_default=True,
              help="Whose towns and countryside the teams cover.")
def generate_authority(outdir: str, n_teams: int, workers_per_team: int, children: int, seed: int,
                       start_date: date | None, county: str) -> None:
    """Write a made-up authority: one generated team folder per team over a county's towns and
    rural areas, and teams.csv listing where each is based."""
    from ..authority.generate import COUNTIES, generate_authority

    start = start_date or _next_monday(date.today())
    try:
        places = generate_authority(Path(outdir), n_teams, workers_per_team, children, seed, start, county)
    except (ValueError, FileExistsError) as exc:
        fail(f"{exc}")
    towns = len({p.town.name for p in places})
    click.echo(f"{len(places)} teams in {towns} towns of {county.title()}, {len(places) * workers_per_team} workers, "
               f"{sum(p.children for p in places)} children written to {outdir}/ (made-up data; teams.csv lists them)")
    plan = ["rota", "plan-authority", outdir, "--standard", COUNTIES[county].standard, "--start", start.isoformat(),
            "--out", f"{outdir.rstrip('/')}-plans"]
    click.echo(f"Plan them: {shlex.join(plan)}")
