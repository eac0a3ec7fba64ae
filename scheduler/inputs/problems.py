"""What `rota check` reports: problems (errors and warnings), each tied to a file, row and column."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One input problem. `row` is the spreadsheet row (header = 1), None for the whole file;
    `column` the column it is about, None where no single column applies."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        parts = [where] + ([self.column] if self.column else []) + [self.message]
        return ": ".join(parts)


class InputErrors(Exception):
    """Bad input: `.problems` lists every error; `.warnings` anything merely suspicious."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None) -> None:
        self.problems = list(problems)
        self.warnings = list(warnings or [])
        super().__init__("\n".join(str(p) for p in self.problems))


class Bad(ValueError):
    """A cell that cannot be read: `what` is wrong with it, `expected` says what would do.

    `placeholder`: the value looks like a stand-in for "no value" (e.g. 9999-12-31); the message
    then says to leave an optional cell blank, or to give the real value in a required one."""

    def __init__(self, what: str, expected: str, *, placeholder: bool = False) -> None:
        super().__init__(what)
        self.what = what
        self.expected = expected
        self.placeholder = placeholder


@dataclass(frozen=True)
class Warned:
    """A cell that was read, with a warning about how (e.g. a date in 1900, a 'no' exemption)."""

    value: object
    message: str
