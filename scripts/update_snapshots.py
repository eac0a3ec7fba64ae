"""Regenerate the golden due-date snapshots (tests/standards/snapshots/<authority>.json).

    python scripts/update_snapshots.py            # every shipped standard
    python scripts/update_snapshots.py dorset     # one

The snapshots pin `rota due`'s answer for one child of each status and placement type
(tests/standards/test_all_standards.py); regenerate them only when a change is meant to move a
due date, review the diff, and give the reason for each change in the commit message.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    keys = argv or ["devon", "dorset", "dudley", "knowsley", "swindon"]
    selector = " or ".join(f"snapshot and {k}" for k in keys)
    env = {**os.environ, "UPDATE_SNAPSHOTS": "1"}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:warnings",
                           "tests/standards/test_all_standards.py", "-k", selector], cwd=ROOT, env=env)
    subprocess.run(["git", "diff", "--stat", "--", "tests/standards/snapshots"], cwd=ROOT)
    return done.returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
