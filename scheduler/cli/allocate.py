"""`rota allocate`: eligible workers ranked for each new child (a sibling's worker first)."""
from __future__ import annotations

from datetime import date

import click

from ..textsafe import terminal_safe
from .caseload import load_weights_or_exit, start_option, weeks_option, weights_option
from .options import fail, folder_argument, load_standard_or_exit, load_team_or_exit, region_option, standard_option


@click.command()
@folder_argument
@standard_option
@start_option
@click.option("--child-file", "child_file", required=True, type=click.Path(dir_okay=False),
              help="The new child(ren): a CSV or .xlsx file with the columns of children.csv.")
@click.option("--top", type=click.IntRange(1, 1000), default=None, help="Show the N best workers per child "
              "(default: every eligible worker who would not be over).")
@weeks_option
@region_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True)
@weights_option
def allocate(folder: str, standard_name: str, start_date: date, child_file: str, top: int | None, weeks: int,
             region: str, fmt: str, weights_file: str | None) -> None:
    """Rank the eligible workers for each new child in CHILD_FILE."""
    from ..caseload.allocate import ALLOCATE_COLUMNS, load_new_children, rank_workers
    from ..horizon import Horizon
    from ..loading import InputErrors
    from ..textsafe import spreadsheet_safe
    from ..writing import csv_text

    standard = load_standard_or_exit(standard_name)
    weights = load_weights_or_exit(weights_file)
    team = load_team_or_exit(folder, start_date)
    try:
        new, warnings = load_new_children(child_file, team, start_date)
    except InputErrors as exc:
        for w in exc.warnings:
            click.echo(f"warning: {w}", err=True)
        fail([str(p) for p in exc.problems] + [f"{len(exc.problems)} problem(s) found; nothing was ranked."])
    for w in warnings:
        click.echo(f"warning: {w}", err=True)
    result = rank_workers(team, new, standard, Horizon(start_date, weeks, region), weights, top)
    footnotes = [x.line() for x in result.left_out]
    unranked = [c.child_id for c in new if not any(r.child_id == c.child_id for r in result.rows)]
    if fmt == "csv":
        click.echo(csv_text(ALLOCATE_COLUMNS, [{k: spreadsheet_safe(v) for k, v in r.row().items()}
                                               for r in result.rows]), nl=False)
        for line in footnotes:  # stdout stays one clean table
            click.echo(f"left out: {terminal_safe(line)}", err=True)
        for cid in unranked:
            click.echo(f"no worker can take {cid} without going over or being ineligible", err=True)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Who could take the new child(ren)? {standard.authority} standards, "
                        f"{start_date:%a %d %b %Y} + {weeks} weeks")
    for col in ALLOCATE_COLUMNS:
        table.add_column(col, overflow="fold", max_width=70 if col == "reason" else None)
    for r in result.rows:
        cells = r.row()
        table.add_row(*(terminal_safe(cells[c]) for c in ALLOCATE_COLUMNS))
    Console(width=180, highlight=False).print(table)
    for cid in unranked:
        click.echo(f"{cid}: no eligible worker can take this child without going over (see below).")
    if footnotes:
        click.echo("Left out:")
        for i, line in enumerate(footnotes, start=1):
            click.echo(f"  [{i}] {terminal_safe(line)}")
