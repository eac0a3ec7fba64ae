"""`rota check`: validate a team folder."""
from __future__ import annotations

from datetime import date

import click

from .options import DATE, folder_argument, load_standard_or_exit, load_team_or_exit, region_option


@click.command()
@folder_argument
@click.option("--on", "on", type=DATE, default=None, help="Reference date (default: today).")
@click.option("--standard", "standard_name", default=None, metavar="NAME|PATH",
              help="Also check the history against this standard (does it reach back to each rule's trigger?).")
@region_option
def check(folder: str, on: date | None, standard_name: str | None, region: str) -> None:
    """Validate a team folder (workers, children, visits, meetings, absences)."""
    from ..loading import check_summary

    team = load_team_or_exit(folder, on or date.today(), "fix them and run rota check again")
    if standard_name is not None:  # issue 8 item 9: warnings only, exit 0
        from ..calendar import WorkingCalendar
        from ..history_check import history_warnings
        from ..requirements import nothing_planned, nothing_planned_note

        standard = load_standard_or_exit(standard_name)
        for line in history_warnings(team, standard, WorkingCalendar(region), on or date.today()):
            click.echo(f"warning: {line}", err=True)
        unplanned = nothing_planned(team, standard, on or date.today(), on or date.today())
        if unplanned:
            click.echo(f"warning: {nothing_planned_note(unplanned, standard)}", err=True)
    click.echo(f"{folder}: OK")
    click.echo(check_summary(team))
