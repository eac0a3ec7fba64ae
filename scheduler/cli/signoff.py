"""`rota signoff` and `rota signoffs`: click commands the main CLI group adds.

    rota signoff OUTDIR BREACH_ID --by NAME --reason TEXT [--again] [--db PATH] [--key PATH]
    rota signoffs OUTDIR [--verify] [--head HASH] [--json] [--migrate] [--db PATH] [--key PATH]

Exit codes: 0 done; 1 the trail fails verification; 2 the command cannot run as asked (unknown
breach, a breach already signed off without --again, bad text, no database or key found).
Everything read from the database is printed through `shown` (no control characters reach the
terminal).
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, NoReturn

import click

from ..signoff import (
    ENV_VAR,
    KEY_ENV_VAR,
    LOSS_ID,
    TEAM_SUBDIR,
    AlreadySignedOffError,
    SignoffError,
    TamperedError,
    accept_loss,
    describe,
    describe_loss,
    legacy_db_awaiting_migration,
    list_signoffs,
    migrate,
    read_breaches,
    record_signoff,
    resolve_db_path,
    resolve_key_path,
    shown,
    team_folder_from_manifest,
    verify_chain,
)

_DB_HELP = (f"sign-off database (default: TEAM_DIR/{TEAM_SUBDIR}/signoffs.sqlite, the team named in "
            f"OUTDIR/manifest.json; ${ENV_VAR} when set)")
_KEY_HELP = (f"key that authenticates sign-offs (default: ${KEY_ENV_VAR}, else ~/.config/rota/signoff.key; "
             "created owner-only on first sign-off)")
# JSON may carry any character; keep the ones a terminal acts on as \\u escapes
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _fail(message: str, code: int = 2) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(code)


def _tampered(problems: list[str]) -> NoReturn:
    for problem in problems:
        click.echo(f"TAMPERED: {problem}", err=True)
    raise SystemExit(1)


def _team(outdir: Path) -> str | None:
    """The team folder named in OUTDIR/manifest.json (a label for the chain; None if unknown)."""
    try:
        return team_folder_from_manifest(outdir)
    except SignoffError:
        return None


def _legacy_note(outdir: Path, db_path: Path) -> None:
    legacy = legacy_db_awaiting_migration(outdir, db_path)
    if legacy is not None:
        _fail(f"{legacy} holds sign-offs written by an older rota; move them to {db_path} first with "
              f"`rota signoffs {outdir} --migrate`")


@click.command("signoff")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.argument("breach_id")
@click.option("--by", "by", required=True, help="name of the manager signing off")
@click.option("--reason", required=True, help="why the breach is accepted")
@click.option("--again", is_flag=True, help="add a sign-off to a breach that already has one")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None, help=_DB_HELP)
@click.option("--key", type=click.Path(dir_okay=False, path_type=Path), default=None, help=_KEY_HELP)
def signoff(outdir: Path, breach_id: str, by: str, reason: str, again: bool, db: Path | None,
            key: Path | None) -> None:
    """Record a manager's sign-off of breach BREACH_ID from OUTDIR/breaches.csv."""
    try:
        db_path = resolve_db_path(outdir, db)
        _legacy_note(outdir, db_path)
        record = record_signoff(db_path, outdir, breach_id, by, reason, again=again, key_path=key,
                                team=_team(outdir))
    except AlreadySignedOffError as exc:  # a problem with what was asked, like an unknown breach
        _fail(str(exc))
    except TamperedError as exc:
        _tampered(exc.problems + ["nothing was recorded; see `rota signoffs OUTDIR --verify`"])
    except SignoffError as exc:
        _fail(str(exc))
    click.echo(f"{record['breach_id']}: {shown(describe(record))} (record {record['seq']} in {db_path})")
    click.echo(f"chain head: {record['hash']}")


@click.command("signoffs")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None, help=_DB_HELP)
@click.option("--key", type=click.Path(dir_okay=False, path_type=Path), default=None, help=_KEY_HELP)
@click.option("--verify", is_flag=True,
              help="check every record against the key and the heads recorded beside it; exit 1 if any "
                   "record was changed, forged or deleted")
@click.option("--head", default=None, metavar="HASH",
              help="also check that a chain head recorded earlier (manifest.json signoff_chain_head, "
                   "rota.html) is still in the chain; implies --verify")
@click.option("--json", "as_json", is_flag=True, help="print the records as JSON")
@click.option("--migrate", is_flag=True,
              help="authenticate sign-offs written by an older rota (unkeyed, or in OUTDIR/signoffs.sqlite) "
                   "with the key and move them to the team's database")
@click.option("--accept-loss", is_flag=True,
              help="after a restore from an older backup (or the loss of the database): record, with --by and "
                   "--reason, that the missing sign-offs are accepted as lost; needs the key")
@click.option("--by", "by", default=None, help="with --accept-loss: name of the manager accepting the loss")
@click.option("--reason", default=None, help="with --accept-loss: what happened")
def signoffs(outdir: Path, db: Path | None, key: Path | None, verify: bool, head: str | None, as_json: bool,
             migrate: bool, accept_loss: bool, by: str | None, reason: str | None) -> None:
    """List the sign-offs recorded for OUTDIR's team (oldest first)."""
    if (by or reason) and not accept_loss:
        _fail("--by and --reason go with --accept-loss (to sign off a breach: rota signoff OUTDIR BREACH_ID)")
    try:
        db_path = resolve_db_path(outdir, db)
        if migrate:
            _migrate(outdir, db_path, key, _team(outdir))
            return
        if accept_loss:
            _accept_loss(db_path, key, by, reason, _team(outdir))
            return
    except TamperedError as exc:
        _tampered(exc.problems)
    except SignoffError as exc:
        _fail(str(exc))
    try:
        records = list_signoffs(db_path)
    except SignoffError as exc:
        if verify or head:  # a damaged file is a finding of the check that was asked for
            _tampered([str(exc)])
        _fail(str(exc))
    legacy = legacy_db_awaiting_migration(outdir, db_path)
    if legacy is not None:
        click.echo(f"note: {legacy} holds sign-offs written by an older rota that are not in {db_path}: "
                   f"move them with `rota signoffs {outdir} --migrate`", err=True)
    if as_json:
        click.echo(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}",
                                    json.dumps(records, indent=2, ensure_ascii=False)))
    elif not records:
        click.echo(f"No sign-offs in {db_path}.")
    else:
        _print_records(records, read_breaches(outdir))
    if verify or head:
        _verify(db_path, key, head, len(records), quiet=as_json)


def _print_records(records: list[dict[str, Any]], current: dict[str, dict[str, str]]) -> None:
    in_plan = {bid.casefold() for bid in current}
    for rec in records:
        if rec["breach_id"] == LOSS_ID:
            click.echo(shown(f"#{rec['seq']} {LOSS_ID}: {describe_loss(rec)} at {rec['signed_at']}"))
            click.echo(f"    reason: {shown(rec['reason'])}")
            continue
        breach = rec["breach"] if isinstance(rec["breach"], dict) else {}
        where = "in current plan" if str(rec["breach_id"]).casefold() in in_plan else "not in current plan"
        click.echo(shown(f"#{rec['seq']} {rec['breach_id']} child {breach.get('child_id', '?')} "
                         f"{breach.get('requirement', '?')} due {breach.get('due_by', '?')}: "
                         f"{describe(rec)} at {rec['signed_at']} ({where})"))
        click.echo(f"    reason: {shown(rec['reason'])}")
    click.echo(f"chain head: record {records[-1]['seq']}, hash {shown(records[-1]['hash'])}")


def _verify(db_path: Path, key: Path | None, head: str | None, count: int, quiet: bool) -> None:
    try:
        problems = verify_chain(db_path, head=head, key_path=key)
    except SignoffError as exc:
        _fail(f"cannot verify: {exc}")
    if problems:
        _tampered(problems)
    checked = [f"key at {resolve_key_path(key)} and the heads recorded beside it"]
    if head:
        checked.append(f"head {head.strip().lower()} is in the chain")
    # with --json, keep stdout pure JSON
    click.echo(f"Chain verified: {count} record(s) intact.", err=quiet)
    click.echo(f"  checked {db_path} with the {'; '.join(checked)}", err=quiet)


def _migrate(outdir: Path, db_path: Path, key: Path | None, team: str | None) -> None:
    done = migrate(db_path, outdir, key_path=key, team=team)
    click.echo(f"Migrated {done.records} sign-off(s) from {done.source} into {done.target}, now authenticated "
               f"with the key at {done.key.path} (key id {done.key.key_id}).")
    click.echo(f"chain head: {done.head} (the unkeyed head {done.legacy_head} still matches --head)")
    if done.source != done.target:
        click.echo(f"{done.source} was left as it was; delete it once `rota signoffs {outdir} --verify` passes.")


def _accept_loss(db_path: Path, key: Path | None, by: str | None, reason: str | None, team: str | None) -> None:
    if not by or not reason:
        _fail("--accept-loss needs --by NAME and --reason TEXT (what happened to the missing records)")
    record = accept_loss(db_path, by, reason, key_path=key, team=team)
    click.echo(shown(f"#{record['seq']} {LOSS_ID}: {describe_loss(record)}"))
    click.echo(f"chain head: {record['hash']}")
