"""Options and helpers every `rota` command shares: one home for each (dates, region, standard,
how input problems are reported and the exit code they give)."""
from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

import click

from ..calendar import REGIONS
from ..domain import Team
from ..standards import Standard, StandardError, available_standards, load_standard

EXIT_BAD_INPUT = 2  # every input problem (team folder, standard, option) exits 2


class DateParam(click.ParamType):
    """ISO 2026-11-30 or UK 30/11/2026."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.strptime(value, fmt).date()
            except ValueError:
                pass
        self.fail(f"{value!r} is not a date; expected 2026-11-30 or 30/11/2026", param, ctx)


DATE = DateParam()

region_option = click.option("--region", type=click.Choice(sorted(REGIONS)), default="england",
                             show_default=True, help="Bank holidays of this UK region.")
standard_option = click.option("--standard", "standard_name", required=True, metavar="NAME|PATH",
                               help=f"Authority ({', '.join(available_standards())}) or a .yaml file.")
folder_argument = click.argument("folder", type=click.Path(file_okay=False))


def fail(lines: list[str] | str) -> NoReturn:
    for line in [lines] if isinstance(lines, str) else lines:
        click.echo(line, err=True)
    sys.exit(EXIT_BAD_INPUT)


def load_team_or_exit(folder: str, on: date, action: str = "nothing was written") -> Team:
    """The validated team, warnings on stderr; every problem listed and exit 2 when invalid."""
    from ..loading import InputErrors, load_team_with_warnings

    try:
        team, warnings = load_team_with_warnings(Path(folder), on)
    except InputErrors as exc:
        for w in exc.warnings:
            click.echo(f"warning: {w}", err=True)
        fail([str(p) for p in exc.problems] + [f"{len(exc.problems)} problem(s) found; {action}."])
    for w in warnings:
        click.echo(f"warning: {w}", err=True)
    return team


def load_standard_or_exit(name: str) -> Standard:
    try:
        return load_standard(name)
    except StandardError as exc:
        fail(str(exc))
