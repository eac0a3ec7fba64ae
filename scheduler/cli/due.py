"""`rota due`: what is due for every child, and by when."""
from __future__ import annotations

import csv
import io
from datetime import date

import click

from ..calendar import WorkingCalendar
from .options import DATE, folder_argument, load_standard_or_exit, load_team_or_exit, region_option, standard_option


@click.command()
@folder_argument
@standard_option
@click.option("--on", "on", type=DATE, required=True, help="Reference date.")
@region_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True)
def due(folder: str, standard_name: str, on: date, region: str, fmt: str) -> None:
    """What is due for every child, and by when."""
    from ..due import DUE_COLUMNS, due_rows

    standard = load_standard_or_exit(standard_name)
    team = load_team_or_exit(folder, on)
    rows = due_rows(team, standard, WorkingCalendar(region), on)
    from ..history_check import history_warnings

    for line in history_warnings(team, standard, WorkingCalendar(region), on):  # issue 8 item 9
        click.echo(f"warning: {line}", err=True)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=DUE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(r.row() for r in rows)
        click.echo(buf.getvalue(), nl=False)
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..textsafe import terminal_safe

    table = Table(title=f"Due under {standard.authority} standards on {on:%a %d %b %Y}")
    for col in DUE_COLUMNS:
        table.add_column(col, overflow="fold", max_width=60 if col == "rule" else None)
    colour = {"overdue": "red", "due": "yellow", "ok": "green"}
    for r in rows:
        cells = r.row()
        cells["state"] = f"[{colour[r.state]}]{r.state}[/]"
        cells["rule"] = r.rule.split(":")[0]  # rule id in the table; full citation: --format csv
        # ids are data, not markup: an id such as C[/]1 or [link=...] is shown as written
        table.add_row(*(cells[c] if c == "state" else Text(terminal_safe(cells[c])) for c in DUE_COLUMNS))
    Console(width=160).print(table)
    counts = {s: sum(1 for r in rows if r.state == s) for s in ("overdue", "due", "ok")}
    click.echo(f"{len(rows)} requirements: {counts['overdue']} overdue, {counts['due']} due "
               f"within 5 working days, {counts['ok']} ok. Citations: rota standards {standard.key}")
