"""`rota plan`: plan the horizon, verify it, write the rota and its views."""
from __future__ import annotations

import sys
import webbrowser
from pathlib import Path

import click

from .options import DATE, folder_argument, load_standard_or_exit, load_team_or_exit, region_option, standard_option

EXIT_VERIFIER = 3  # the verifier found a violation the breach register does not explain (a bug)


@click.command()
@folder_argument
@standard_option
@click.option("--start", "start_date", required=True, type=DATE, help="First day of the plan (2026-11-30 or 30/11/2026).")
@click.option("--weeks", type=click.IntRange(1, 12), default=4, show_default=True)
@region_option
@click.option("--out", "outdir", type=click.Path(file_okay=False), default="outputs", show_default=True)
@click.option("--time-limit", type=click.FloatRange(1, 3600), default=60, show_default=True,
              help="Solver budget in seconds (deterministic time).")
@click.option("--work-limit", type=click.FloatRange(0.1, 100000), default=None,
              help="Solver budget in CP-SAT deterministic work units (default: half the time limit). "
                   "The rota depends only on this, the inputs and the seed; --time-limit is the hard stop.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help="Sign-off database (default OUTDIR/signoffs.sqlite or $ROTA_SIGNOFF_DB).")
@click.option("--quiet", is_flag=True, help="No progress display.")
@click.option("--open", "open_", is_flag=True, help="Open rota.html in the browser when done.")
def plan(folder, standard_name, start_date, weeks, region, outdir, time_limit, work_limit, seed, db, quiet, open_):
    """Plan every visit and meeting for the team over the next WEEKS weeks."""
    from ..plan import plan as run_plan
    from ..signoff import resolve_db_path, signoff_states
    from ..verifier import format_report
    from ..writing import summary, write_plan

    standard = load_standard_or_exit(standard_name)
    team = load_team_or_exit(folder, start_date)
    out = Path(outdir)
    progress = None if quiet else _progress_printer()
    result, violations = run_plan(team, standard, start_date, weeks, region, time_limit, seed,
                                    progress=progress, work_limit=work_limit)
    if progress:
        click.echo("", err=True)
    db_path = resolve_db_path(out, db)
    signoffs = signoff_states(db_path) if db_path.exists() else {}
    write_plan(result, team, out, signoffs)
    click.echo(summary(result, signoffs))
    exempt = sorted(c.child_id for c in team.children if c.seen_alone_exempt)
    if exempt:
        click.echo(f"  seen alone: {len(exempt)} child(ren) exempt by a recorded reason, honoured "
                   f"(children.csv seen_alone_exempt): {' '.join(exempt)}")
    click.echo(f"  written to {out}/ (rota.csv, breaches.csv, rota.html, rota.xlsx, calendars/, map.html)")
    explained = {(b.child_id, b.requirement, b.due_by) for b in result.breaches}
    unexplained = [v for v in violations
                   if not (v.kind == "cadence" and (v.child_id, v.requirement, v.due_by) in explained)]
    if unexplained:
        click.echo("VERIFIER: the rota breaks rules the breach register does not list:", err=True)
        click.echo(format_report(unexplained), err=True)
        sys.exit(EXIT_VERIFIER)
    click.echo("  verifier: every rule re-checked independently; nothing outside the breach register")
    if open_:
        webbrowser.open((out / "rota.html").resolve().as_uri())


def _progress_printer():
    """One updating line on stderr: elapsed time, stage, and the best breach count so far."""
    def report(stage: str, elapsed: float, objective: float, missed: int) -> None:
        click.echo(f"\r  solving ({stage}): {elapsed:6.1f} s, best so far {missed} breach(es), "
                   f"{stage} score {objective:,.0f}      ", err=True, nl=False)
    return report
