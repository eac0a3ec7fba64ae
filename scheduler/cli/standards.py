"""`rota standards`: the shipped standards, or one authority's rules with citations."""
from __future__ import annotations

import click

from ..standards import available_standards, load_standard
from .options import load_standard_or_exit


@click.command()
@click.argument("name", required=False)
def standards(name: str | None) -> None:
    """List the shipped standards, or print one authority's rules with citations."""
    if name is None:
        for key in available_standards():
            s = load_standard(key)
            click.echo(f"{key:10} {s.authority}: {s.source.title} ({len(s.rules)} rules)")
        return
    s = load_standard_or_exit(name)
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
