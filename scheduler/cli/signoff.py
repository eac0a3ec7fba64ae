"""`rota signoff` and `rota signoffs`: click commands the main CLI group adds.

    rota signoff OUTDIR BREACH_ID --by NAME --reason TEXT [--db PATH]
    rota signoffs OUTDIR [--db PATH] [--verify] [--json]
"""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..signoff import (
    ENV_VAR,
    SignoffError,
    describe,
    list_signoffs,
    read_breaches,
    record_signoff,
    resolve_db_path,
    verify_chain,
)

_DB_HELP = f"sign-off database (default: OUTDIR/signoffs.sqlite, or ${ENV_VAR} when set)"


@click.command("signoff")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.argument("breach_id")
@click.option("--by", "by", required=True, help="name of the manager signing off")
@click.option("--reason", required=True, help="why the breach is accepted")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None, help=_DB_HELP)
def signoff(outdir: Path, breach_id: str, by: str, reason: str, db: Path | None) -> None:
    """Record a manager's sign-off of breach BREACH_ID from OUTDIR/breaches.csv."""
    db_path = resolve_db_path(outdir, db)
    try:
        record = record_signoff(db_path, outdir, breach_id, by, reason)
    except SignoffError as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(2) from None
    click.echo(f"{record['breach_id']}: {describe(record)} (record {record['seq']} in {db_path})")


@click.command("signoffs")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None, help=_DB_HELP)
@click.option("--verify", is_flag=True,
              help="check the hash chain; exit 1 if a record was changed or deleted")
@click.option("--json", "as_json", is_flag=True, help="print the records as JSON")
def signoffs(outdir: Path, db: Path | None, verify: bool, as_json: bool) -> None:
    """List the sign-offs recorded for OUTDIR (oldest first)."""
    db_path = resolve_db_path(outdir, db)
    records = list_signoffs(db_path)
    current = read_breaches(outdir)
    if as_json:
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
    elif not records:
        click.echo(f"No sign-offs in {db_path}.")
    else:
        for rec in records:
            breach = rec["breach"]
            in_plan = "in current plan" if rec["breach_id"] in current else "not in current plan"
            click.echo(f"#{rec['seq']} {rec['breach_id']} child {breach.get('child_id', '?')} "
                       f"{breach.get('requirement', '?')} due {breach.get('due_by', '?')}: "
                       f"{describe(rec)} at {rec['signed_at']} ({in_plan})")
            click.echo(f"    reason: {rec['reason']}")
        click.echo(f"chain head: record {records[-1]['seq']}, hash {records[-1]['hash']}")
    if verify:
        problems = verify_chain(db_path)
        if problems:
            for problem in problems:
                click.echo(f"TAMPERED: {problem}", err=True)
            raise SystemExit(1)
        # with --json, keep stdout pure JSON
        click.echo(f"Chain verified: {len(records)} record(s) intact.", err=as_json)
