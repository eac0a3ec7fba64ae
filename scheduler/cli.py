"""The `rota` command line: thin wrappers that parse options and call the package."""
from __future__ import annotations

import csv
import io
import sys
from datetime import date
from pathlib import Path

import click

from .calendar import REGIONS, WorkingCalendar
from .cli_types import DATE
from .standards import StandardError, available_standards, load_standard

EXIT_BAD_INPUT = 2
region_option = click.option("--region", type=click.Choice(sorted(REGIONS)), default="england",
                             show_default=True, help="Bank holidays of this UK region.")
standard_option = click.option("--standard", "standard_name", required=True, metavar="NAME|PATH",
                               help=f"Authority ({', '.join(available_standards())}) or a .yaml file.")


def fail(lines: list[str] | str) -> None:
    for line in [lines] if isinstance(lines, str) else lines:
        click.echo(line, err=True)
    sys.exit(EXIT_BAD_INPUT)


def _load_team(folder: str, on: date, action: str = "nothing was written"):
    from .loading import InputErrors, load_team_with_warnings

    try:
        team, warnings = load_team_with_warnings(Path(folder), on)
    except InputErrors as exc:
        for w in exc.warnings:
            click.echo(f"warning: {w}", err=True)
        fail([str(p) for p in exc.problems] + [f"{len(exc.problems)} problem(s) found; {action}."])
    for w in warnings:
        click.echo(f"warning: {w}", err=True)
    return team


def _load_standard(name: str):
    try:
        return load_standard(name)
    except StandardError as exc:
        fail(str(exc))


@click.group()
@click.version_option(package_name="rota")
def main() -> None:
    """rota: visit and workload scheduling for children's social care teams."""


@main.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--on", "on", type=DATE, default=None, help="Reference date (default: today).")
def check(folder: str, on: date | None) -> None:
    """Validate a team folder (workers, children, visits, meetings, absences)."""
    from .loading import check_summary

    team = _load_team(folder, on or date.today(), "fix them and run rota check again")
    click.echo(f"{folder}: OK")
    click.echo(check_summary(team))


@main.command()
@click.argument("folder", type=click.Path(file_okay=False))
@standard_option
@click.option("--on", "on", type=DATE, required=True, help="Reference date.")
@region_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True)
def due(folder: str, standard_name: str, on: date, region: str, fmt: str) -> None:
    """What is due for every child, and by when."""
    from .due import DUE_COLUMNS, due_rows

    standard = _load_standard(standard_name)
    team = _load_team(folder, on)
    rows = due_rows(team, standard, WorkingCalendar(region), on)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=DUE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(r.row() for r in rows)
        click.echo(buf.getvalue(), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Due under {standard.authority} standards on {on:%a %d %b %Y}")
    for col in DUE_COLUMNS:
        table.add_column(col, overflow="fold", max_width=60 if col == "rule" else None)
    colour = {"overdue": "red", "due": "yellow", "ok": "green"}
    for r in rows:
        cells = r.row()
        cells["state"] = f"[{colour[r.state]}]{r.state}[/]"
        cells["rule"] = r.rule.split(":")[0]  # rule id in the table; full citation: --format csv
        table.add_row(*(cells[c] for c in DUE_COLUMNS))
    Console(width=160).print(table)
    counts = {s: sum(1 for r in rows if r.state == s) for s in ("overdue", "due", "ok")}
    click.echo(f"{len(rows)} requirements: {counts['overdue']} overdue, {counts['due']} due "
               f"within 5 working days, {counts['ok']} ok. Citations: rota standards {standard.key}")


@main.command()
@click.argument("name", required=False)
def standards(name: str | None) -> None:
    """List the shipped standards, or print one authority's rules with citations."""
    if name is None:
        for key in available_standards():
            s = load_standard(key)
            click.echo(f"{key:10} {s.authority}: {s.source.title} ({len(s.rules)} rules)")
        return
    s = _load_standard(name)
    click.echo(f"{s.authority} - {s.source.title}\nsource: {s.source.file}\n")
    for note in s.notes:
        click.echo(f"note: {note}")
    for rule in s.rules:
        cond = rule.applies_to.model_dump(exclude_defaults=True)
        click.echo(f"\n[{rule.id}] {rule.requirement} ({rule.level}) for {cond or 'every child'}")
        if rule.on_every_visit:
            click.echo("  on every visit")
        for ph in rule.phases:
            every = str(ph.interval) if ph.interval else "nothing further"
            until = ""
            if ph.until:
                until = " until " + ", ".join(
                    f"{k}={v}" for k, v in ph.until.model_dump(exclude_none=True).items())
            click.echo(f"  - {ph.label or 'phase'}: {every} (from {rule.trigger} / last occurrence){until}")
        click.echo(f"  source: {rule.citation_text(s.source.file)}")
        if rule.note:
            click.echo(f"  note: {rule.note}")
    for sil in s.silent:
        click.echo(f"\nsilent on {sil.requirement} {list(sil.status) or ''}: {sil.note}")
    for nm in s.not_modelled:
        click.echo(f"\nnot modelled: {nm.what} - {nm.why}")


def _register_optional_commands() -> None:
    """Commands living in their own modules (plan, sign-off)."""
    from .plan_cli import plan

    main.add_command(plan)
    try:
        from .signoff_cli import signoff, signoffs
    except ImportError:  # pragma: no cover - during development only
        return
    main.add_command(signoff)
    main.add_command(signoffs)


_register_optional_commands()


if __name__ == "__main__":  # python -m scheduler.cli
    main()
