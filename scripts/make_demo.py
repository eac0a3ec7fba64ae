"""Regenerate the shipped demo team, inputs/demo, with the team generator.

    python scripts/make_demo.py            # rewrites inputs/demo/*.csv, then checks them
    python scripts/make_demo.py --check    # only checks that inputs/demo is what the generator makes

The demo is scheduler.generate.demo_team() (8 workers, 135 made-up children around Swindon,
history up to Fri 20 Nov 2026 for a plan from Mon 23 Nov 2026). After writing, the folder is
loaded back as `rota check inputs/demo --on 2026-11-23` would: it must load with no problem and
no warning, and be exactly the generated team. tests/test_demo.py checks the same.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from scheduler.generate import DEMO_START, demo_team, write_team
from scheduler.loading import InputErrors, load_team_with_warnings

DEMO = Path(__file__).resolve().parent.parent / "inputs" / "demo"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 when inputs/demo differs")
    args = ap.parse_args(argv)
    team = demo_team()
    if not args.check:
        for old in DEMO.glob("*.csv"):
            old.unlink()  # (a file the generator no longer writes must not linger)
        write_team(team, DEMO)
    try:
        loaded, warnings = load_team_with_warnings(DEMO, DEMO_START)
    except InputErrors as exc:
        print("\n".join(str(p) for p in exc.problems), file=sys.stderr)
        return 1
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    if replace(loaded, source="") != replace(team, source=""):
        print(f"{DEMO} is not what the generator makes: run python scripts/make_demo.py", file=sys.stderr)
        return 1
    if warnings:
        return 1
    print(f"{DEMO}: {len(team.workers)} workers, {len(team.children)} children, {len(team.visits)} visits, "
          f"{len(team.meetings)} meetings, {len(team.absences)} absences; loads on {DEMO_START} with no warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
