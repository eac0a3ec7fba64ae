"""Benchmark (issue 11 item 4): re-plan the demo team after a 2-day absence with `--previous`.

    python benchmarks/replan_benchmark.py                    # inputs/demo, swindon, from Mon 23 Nov 2026
    python benchmarks/replan_benchmark.py --worker W05       # choose the absent worker

1. plans inputs/demo (`rota plan`, a fixed --work-limit so the first plan is reproducible);
2. copies the team and adds a 2-day sickness absence mid-horizon (Tue 08-Wed 09 Dec 2026 by
   default) for one worker: by default the one with the most activities on those days;
3. re-plans with `--previous` (the re-plan's default budget) and times that command;
4. prints the wall time (and CPU time) of the re-plan, the number of changes per worker, and
   whether any activity of a worker who does not cover for the absent one changed. A worker
   covers when they take over one of the absent worker's activities, or get an activity added
   for a child whose activity the absence took away.

Target: the re-plan takes <= 5 s and changes nothing of a worker who does not cover. Exit 1
when a command fails or a non-covering worker's activity changed; a slow run is reported
(TARGET MISSED) but does not set the exit code (it depends on the machine's load).
"""
from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 5.0


def rota(args: argparse.Namespace, folder: Path, out: Path, *extra: str) -> tuple[float, float, str]:
    """Run `rota plan`; (wall seconds, CPU seconds of the command, its output)."""
    cmd = [sys.executable, "-m", "scheduler.cli", "plan", str(folder), "--standard", args.standard,
           "--start", args.start.isoformat(), "--weeks", str(args.weeks), "--out", str(out), "--quiet", *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        print(done.stdout + done.stderr)
        raise SystemExit(f"rota plan exited {done.returncode}: {' '.join(cmd)}")
    return wall, cpu, done.stdout


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--team", default="inputs/demo")
    p.add_argument("--standard", default="swindon")
    p.add_argument("--start", type=date.fromisoformat, default=date(2026, 11, 23))
    p.add_argument("--weeks", type=int, default=4)
    p.add_argument("--absence", nargs=2, type=date.fromisoformat, default=[date(2026, 12, 8), date(2026, 12, 9)],
                   metavar=("FIRST", "LAST"))
    p.add_argument("--worker", default=None, help="the absent worker (default: the busiest on those days)")
    p.add_argument("--first-work-limit", default="20", help="--work-limit of the first plan (20)")
    p.add_argument("--keep", default=None, help="folder to keep the plans in (default: a temporary one)")
    args = p.parse_args()

    work = Path(args.keep or tempfile.mkdtemp(prefix="replan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    team, first, second = work / "team", work / "first", work / "replan"
    shutil.rmtree(team, ignore_errors=True)
    shutil.copytree(ROOT / args.team, team)
    # the work limit, not the wall clock, ends the first plan: the same previous plan on any machine
    wall1, _, _ = rota(args, team, first, "--work-limit", args.first_work_limit, "--time-limit", "1800")
    print(f"first plan: {args.team}, {args.standard}, from {args.start} ({args.weeks} weeks): {wall1:.1f} s "
          f"(--work-limit {args.first_work_limit})")

    lo, hi = args.absence
    before = rows(first / "rota.csv")
    busy = Counter(r["worker_id"] for r in before if lo <= date.fromisoformat(r["date"]) <= hi)
    absent = args.worker or min(busy, key=lambda w: (-busy[w], w))
    lost = [r for r in before if r["worker_id"] == absent and lo <= date.fromisoformat(r["date"]) <= hi]
    with (team / "absences.csv").open("a", encoding="utf-8") as f:
        f.write(f"{absent},{lo},{hi},sickness\n")
    print(f"absence: {absent} off sick {lo:%a %d %b}-{hi:%a %d %b} ({len(lost)} of their activities those days)")

    load = os.getloadavg()[0]
    wall, cpu, out = rota(args, team, second, "--previous", str(first))
    changes = rows(second / "changes.csv")
    status = next((line.strip() for line in out.splitlines() if line.strip().startswith("plan status")), "")
    print(f"re-plan: {wall:.1f} s wall, {cpu:.1f} s CPU (load average before {load:.1f}, {os.cpu_count()} CPUs); "
          f"{status}")

    lost_children = {c for r in lost for c in r["child_ids"].split()}
    covers = {r["worker_id"] for r in changes if r["previous_worker_id"] == absent} | \
             {r["worker_id"] for r in changes if r["change"] == "added" and set(r["child_ids"].split()) & lost_children}
    covers.discard(absent)
    per_worker: Counter[str] = Counter()
    for r in changes:
        for wid in {r["worker_id"], r["previous_worker_id"]} - {""}:
            per_worker[wid] += 1
    kinds = Counter(r["change"] for r in changes)
    print(f"changes: {len(changes)} ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})")
    workers = sorted({r["worker_id"] for r in rows(team / "workers.csv")} | set(per_worker))
    for wid in workers:
        role = "absent" if wid == absent else "covers" if wid in covers else "does not cover"
        print(f"  {wid}: {per_worker[wid]} change(s) ({role})")
    others = sorted(w for w in per_worker if w != absent and w not in covers)
    print(f"activities changed of a worker who does not cover for {absent}: "
          f"{'none' if not others else ', '.join(others)}")
    met = wall <= TARGET_SECONDS and not others
    print(f"target (<= {TARGET_SECONDS:.0f} s and none): {'met' if met else 'TARGET MISSED'}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if others else 0


if __name__ == "__main__":
    sys.exit(main())
