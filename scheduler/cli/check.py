"""`rota check`: validate a team folder."""
from __future__ import annotations

from datetime import date

import click

from .options import DATE, folder_argument, load_team_or_exit


@click.command()
@folder_argument
@click.option("--on", "on", type=DATE, default=None, help="Reference date (default: today).")
def check(folder: str, on: date | None) -> None:
    """Validate a team folder (workers, children, visits, meetings, absences)."""
    from ..loading import check_summary

    team = load_team_or_exit(folder, on or date.today(), "fix them and run rota check again")
    click.echo(f"{folder}: OK")
    click.echo(check_summary(team))
