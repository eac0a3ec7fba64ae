"""A tiny authority for the plan-authority tests: three generated teams of 2 workers over
Devon's three largest towns (18 children shared among them, 5-7 each) and one broken team
(its first worker's role is 'wizard'), planned for one week from Mon 23 Nov 2026 with a fixed
work budget (so the plans depend on the inputs only, and the suite stays fast).

The fixtures (conftest.py) plan it once per test module."""
from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from click.testing import CliRunner, Result

from scheduler.authority.generate import generate_authority
from scheduler.cli import main

START = date(2026, 11, 23)  # a Monday; the plan runs Mon 23 - Sun 29 Nov 2026
GOOD = ("barnstaple", "exeter", "exmouth")  # Devon's largest towns after Exeter, by the layout rule
PLAN_OPTIONS = ["--standard", "devon", "--start", START.isoformat(), "--weeks", "1", "--time-limit", "60",
                "--work-limit", "2"]


def make_authority(root: Path, teams: int = 3, children: int = 18, broken: bool = True) -> Path:
    auth = root / "auth"
    generate_authority(auth, teams, 2, children, seed=7, start=START)
    if broken:
        shutil.copytree(auth / GOOD[0], auth / "broken")
        path = auth / "broken" / "workers.csv"
        rows = list(csv.reader(path.open(encoding="utf-8")))
        rows[1][rows[0].index("role")] = "wizard"  # workers.csv:2: role: not a role code
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
    return auth


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under folder (relative path -> bytes), hidden ones included."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@dataclass
class Planned:
    auth: Path
    out: Path
    result: Result
