"""Command-line parameter types shared by the rota commands."""
from __future__ import annotations

from datetime import date, datetime

import click


class DateParam(click.ParamType):
    """ISO 2026-11-30 or UK 30/11/2026."""

    name = "DATE"

    def convert(self, value, param, ctx):  # type: ignore[override]
        if isinstance(value, date):
            return value
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.strptime(value, fmt).date()
            except ValueError:
                pass
        self.fail(f"{value!r} is not a date; expected 2026-11-30 or 30/11/2026", param, ctx)


DATE = DateParam()
