"""`rota caseload`: points and hours per worker, and the children waiting for a worker."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import click

from ..textsafe import terminal_safe
from .options import (
    DATE,
    fail,
    folder_argument,
    load_standard_or_exit,
    load_team_or_exit,
    region_option,
    standard_option,
)

if TYPE_CHECKING:
    from ..caseload.points import Weights
    from ..caseload.table import CaseloadReport

weights_option = click.option(
    "--weights", "weights_file", type=click.Path(dir_okay=False), default=None,
    help="Caseload points file (YAML; keys not given keep the defaults of scheduler/caseload/weights.yaml).")
start_option = click.option("--start", "start_date", required=True, type=DATE,
                            help="First day of the horizon (2026-11-30 or 30/11/2026).")
weeks_option = click.option("--weeks", type=click.IntRange(1, 12), default=4, show_default=True)


def load_weights_or_exit(path: str | None) -> Weights:
    from ..caseload.points import WeightsError, load_weights

    try:
        return load_weights(path)
    except WeightsError as exc:
        fail(str(exc).splitlines())


@click.command()
@folder_argument
@standard_option
@start_option
@weeks_option
@region_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True)
@weights_option
def caseload(folder: str, standard_name: str, start_date: date, weeks: int, region: str, fmt: str,
             weights_file: str | None) -> None:
    """Caseload points and the hours the standard demands, per worker, over the next WEEKS weeks."""
    from ..caseload.table import caseload_report, report_csv
    from ..horizon import Horizon

    standard = load_standard_or_exit(standard_name)
    weights = load_weights_or_exit(weights_file)
    team = load_team_or_exit(folder, start_date)
    report = caseload_report(team, standard, Horizon(start_date, weeks, region), weights)
    for w in report.warnings:
        click.echo(f"warning: {w}", err=True)
    if fmt == "csv":
        click.echo(report_csv(report), nl=False)
        # stdout stays one clean table; the waiting list goes to stderr
        for u in report.unallocated:
            r = u.row()
            click.echo(f"unallocated: {r['child_id']} {r['status']} since {r['status_start_date']} "
                       f"(household {r['household_id']})", err=True)
        return
    print_report(report, f"Caseloads under {standard.authority} standards")


def print_report(report: CaseloadReport, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..caseload.table import CASELOAD_COLUMNS, UNALLOCATED_COLUMNS, role_totals

    h = report.horizon
    console = Console(width=200, highlight=False)
    table = Table(title=f"{title}, {h.start:%a %d %b %Y} to {h.end:%a %d %b %Y} ({h.weeks} weeks)")
    for col in CASELOAD_COLUMNS:
        table.add_column(col, justify="left" if col in ("worker_id", "role", "status") else "right", no_wrap=True)
    for row in report.rows:
        cells = {k: terminal_safe(v) for k, v in row.row().items()}
        cells["status"] = "[red]over[/]" if row.status == "over" else "[green]ok[/]"
        table.add_row(*(cells[c] for c in CASELOAD_COLUMNS))
    console.print(table)
    click.echo("points: stable element + extra responsibilities + case points (capacity 100 x fte, 90 x fte "
               "newly qualified by default); hours: visits, seen-alone time, meetings and travel the standard "
               "demands / plannable working time. Details: docs/caseload.md")
    for total in role_totals(report):
        if total.points or total.demand_minutes:
            click.echo(f"  {total.line()}")
    if not report.unallocated:
        click.echo("Unallocated children: none.")
        return
    waiting = Table(title=f"Unallocated children ({len(report.unallocated)}), by status, oldest first")
    for col in UNALLOCATED_COLUMNS:
        waiting.add_column(col)
    for u in report.unallocated:
        r = u.row()
        waiting.add_row(*(terminal_safe(r[c]) for c in UNALLOCATED_COLUMNS))
    console.print(waiting)
