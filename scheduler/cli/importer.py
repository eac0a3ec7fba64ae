"""`rota import ssd`: a Standard Safeguarding Dataset extract in, a team folder out."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from .options import DATE, fail


@click.group(name="import")
def import_() -> None:
    """Make a team folder from another system's extract."""


@import_.command(name="ssd")
@click.argument("ssd_dir", type=click.Path(file_okay=False))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False),
              help="Team folder to write (workers.csv, children.csv, visits.csv, meetings.csv).")
@click.option("--team", "team", default=None, metavar="TEAM_ID",
              help="Only children allocated to this team (an invo_professional_team id or name).")
@click.option("--on", "on", type=DATE, default=None, help="Reference date: status, allocation and placement "
              "as on this day (default: today).")
@click.option("--base-postcode", "base_postcode", default=None, metavar="POSTCODE",
              help="The team office's postcode: every worker's base (the SSD holds no worker locations).")
@click.option("--force", is_flag=True, help="Replace TEAM_DIR even if it already has files in it.")
def ssd(ssd_dir: str, out: str, team: str | None, on: date | None, base_postcode: str | None, force: bool) -> None:
    """Read CSV extracts of the SSD tables in SSD_DIR (ssd_person.csv, ssd_involvements.csv, ...)
    and write a team folder that `rota check` accepts."""
    from ..importers.ssd import FolderNotEmpty, read_ssd, write_team_folder
    from ..loading import InputErrors
    from ..postcodes import ATTRIBUTION, PostcodeDataMissing

    on = on or date.today()
    try:
        result = read_ssd(Path(ssd_dir), on, team=team, base_postcode=base_postcode)
    except InputErrors as exc:
        for w in exc.warnings:
            click.echo(f"warning: {w}", err=True)
        fail([str(p) for p in exc.problems] + [f"{len(exc.problems)} problem(s) found; nothing was written."])
    except PostcodeDataMissing as exc:
        fail(str(exc))
    for w in result.warnings:
        click.echo(f"warning: {w}", err=True)
    if not result.children:
        fail(f"{ssd_dir}: no child has an open episode on {on.isoformat()}"
             + (f" in team {team!r}" if team else "") + "; nothing was written (check --on and --team).")
    try:
        warnings = write_team_folder(result, Path(out), on, force=force)
    except FolderNotEmpty:
        fail(f"{out}: the folder already has files in it; nothing was written (choose another --out, or add "
             "--force to replace it).")
    except InputErrors as exc:  # the folder as written would not pass `rota check`: a bug, never half-written
        fail([str(p) for p in exc.problems] + ["the imported folder would not pass rota check; nothing was written."])
    for w in warnings:
        click.echo(f"warning: {w}", err=True)
    click.echo(f"{out}: written")
    for line in result.report:
        click.echo(line)
    click.echo("")
    click.echo(ATTRIBUTION)
    click.echo(f"Next: check the folder with  rota check {out} --on {on.isoformat()}")
