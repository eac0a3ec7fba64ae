"""The `rota` command line: a thin package, one module per command, shared options in
`options.py`. Commands parse options and call the library; nothing is decided here."""
from __future__ import annotations

import click

from .allocate import allocate
from .authority import generate_authority, plan_authority
from .caseload import caseload
from .check import check
from .due import due
from .importer import import_
from .plan import plan
from .rebalance import rebalance
from .signoff import signoff, signoffs
from .standards import standards


@click.group()
@click.version_option(package_name="rota")
def main() -> None:
    """rota: visit and workload scheduling for children's social care teams."""


for _command in (check, due, import_, plan, signoff, signoffs, standards, caseload, rebalance, allocate,
                 plan_authority, generate_authority):
    main.add_command(_command)

__all__ = ["main"]
