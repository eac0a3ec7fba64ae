"""`rota generate`: write a realistic made-up team folder (for trying rota out and for benchmarks)."""
from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import click

from ..outputs.atomic import new_folder_beside
from .options import DATE, fail


@click.command()
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("--workers", type=click.IntRange(1, 500), required=True, help="Team size, the team manager included.")
@click.option("--children", type=click.IntRange(1, 20000), default=None,
              help="Caseload (default: 15.2 per case-holding FTE, the published England average).")
@click.option("--start", "start_date", type=DATE, required=True,
              help="First day of the plan the team is made for: its history ends the working day before.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same team.")
@click.option("--area", type=click.Choice(["devon", "dorset", "dudley", "knowsley", "swindon"]), default="swindon",
              show_default=True, help="Where the team works (office and postcode districts).")
def generate(outdir: str, workers: int, children: int | None, start_date: date, seed: int, area: str) -> None:
    """Write a made-up team folder OUTDIR (workers, children, visits, meetings, absences).

    Proportions follow published England figures (see scheduler/generate.py); every name,
    address and postcode is invented. The folder is loaded back and checked before it is kept.
    """
    from ..generate import default_children, generate_team, write_team
    from ..loading import InputErrors, load_team_with_warnings

    n_children = children if children is not None else default_children(workers)
    team = generate_team(workers, n_children, seed=seed, start=start_date, area=area)
    out = Path(outdir)
    if out.exists() and any(out.iterdir()):
        fail(f"{out}: folder exists and is not empty; choose a new folder (nothing was written)")
    # written aside and checked first, so a folder that would not load is never left behind
    tmp = new_folder_beside(out, f".{out.name}.")
    try:
        write_team(team, tmp)
        try:
            _, warnings = load_team_with_warnings(tmp, start_date)
        except InputErrors as exc:  # a generator bug: say so rather than keep a bad folder
            fail([str(p) for p in exc.problems] + ["the generated team does not load; nothing was written"])
        for w in warnings:
            click.echo(f"warning: {w}", err=True)
        if out.exists():
            out.rmdir()
        tmp.rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    roles = ", ".join(f"{n} {r}" for r, n in sorted(Counter(w.role for w in team.workers).items()))
    statuses = ", ".join(f"{n} {s}" for s, n in sorted(Counter(c.status for c in team.children).items()))
    click.echo(f"{out}: {len(team.workers)} workers ({roles}); {len(team.children)} children ({statuses}); "
               f"{len(team.visits)} visits, {len(team.meetings)} meetings, {len(team.absences)} absences "
               f"(seed {seed}, history to the working day before {start_date})")
    click.echo(f"  plan it: rota plan {out} --standard {area} --start {start_date}")

