"""Benchmark: the CP-SAT planner against earliest deadline first (the hand method), same teams.

    python benchmarks/edf_vs_cpsat.py                          # seeds 1-3 x five standards, 10 / 200 / 4 weeks
    python benchmarks/edf_vs_cpsat.py --workers 3 --children 20 --weeks 1 --seeds 1 --standards swindon

Each generated team (scheduler.generate, seeds as given) is planned both ways under each standard and
scored by the same independent verifier. Printed per team and overall (sums over the teams), as
CP-SAT / EDF ratios:
- breaches: severity-weighted breaches due inside the horizon (due on or after the start; those
  already overdue at the start are the same for both methods and left out)
- cover: visits by someone other than the allocated worker
- travel: minutes of travel in the rota
- wall: seconds for the whole plan (CP-SAT: build, solve, diagnosis, verifier; EDF: plan, verifier)
with the 1-minute load average after each run. Targets (issue 10): breaches <= 50% of EDF's,
cover <= EDF's, travel <= 90% of EDF's.

A benchmark, not a test: run it on an otherwise idle machine. It exits 1 when a rota of either
method breaks a rule its breach register does not list.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import date

from scheduler.domain import Team
from scheduler.edf import plan_edf
from scheduler.generate import generate_team
from scheduler.horizon import Horizon
from scheduler.params import SolveParams
from scheduler.plan import plan
from scheduler.solution import PlanResult
from scheduler.standards import available_standards, load_standard

TARGETS = {"breaches": 0.5, "cover": 1.0, "travel": 0.9}  # CP-SAT / EDF at most


@dataclass
class Score:
    breaches: int  # severity-weighted, due inside the horizon
    cover: int
    travel: int
    wall: float
    load: float
    unexplained: int
    extra: dict[str, object] = field(default_factory=dict)


def score(result: PlanResult, wall: float) -> Score:
    inside = [b for b in result.breaches if result.start <= b.due_by <= result.end]
    return Score(breaches=sum(b.severity for b in inside),
                 cover=sum(1 for a in result.activities if a.activity == "visit" and a.cover),
                 travel=sum(a.travel_minutes for a in result.activities),
                 wall=wall, load=os.getloadavg()[0], unexplained=len(result.unexplained),
                 extra={"status": result.status, "proven": result.breaches_proven_optimal,
                        "activities": len(result.activities)})


def run_cpsat(team: Team, std_key: str, horizon: Horizon, args: argparse.Namespace) -> Score:
    t0 = time.perf_counter()
    result = plan(team, load_standard(std_key), horizon,
                  SolveParams(time_limit=args.time_limit, work_limit=args.work_limit, seed=args.seed))
    return score(result, time.perf_counter() - t0)


def run_edf(team: Team, std_key: str, horizon: Horizon) -> Score:
    t0 = time.perf_counter()
    result = plan_edf(team, load_standard(std_key), horizon)
    return score(result, time.perf_counter() - t0)


def ratio(a: float, b: float) -> float:
    """a / b, with 0 / 0 = 1 (equal) and x / 0 = inf."""
    if b == 0:
        return 1.0 if a == 0 else float("inf")
    return a / b


def fmt(r: float) -> str:
    return "inf" if r == float("inf") else f"{r:.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=10)
    ap.add_argument("--children", type=int, default=200)
    ap.add_argument("--weeks", type=int, default=4)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--standards", nargs="+", default=available_standards())
    ap.add_argument("--start", type=date.fromisoformat, default=date(2026, 11, 30), help="a Monday (ISO date)")
    ap.add_argument("--time-limit", type=float, default=180.0, help="CP-SAT wall-clock limit per plan (s)")
    ap.add_argument("--work-limit", type=float, default=None, help="CP-SAT deterministic units per plan")
    ap.add_argument("--seed", type=int, default=0, help="CP-SAT search seed")
    args = ap.parse_args(argv)

    horizon = Horizon(args.start, args.weeks)
    print(f"# {args.workers} workers / {args.children} children / {args.weeks} weeks from {args.start}; "
          f"CP-SAT --time-limit {args.time_limit:g}" + (f" --work-limit {args.work_limit:g}" if args.work_limit else "")
          + f"; {os.cpu_count()} cores; load before {os.getloadavg()[0]:.2f}")
    head = (f"{'seed':>4} {'standard':<9} | {'breaches':>13} {'ratio':>5} | {'cover':>9} {'ratio':>5} | "
            f"{'travel min':>11} {'ratio':>5} | {'wall s':>11} | {'load':>9} | cp-sat")
    print(head)
    print("-" * len(head))
    totals = {"cpsat": Score(0, 0, 0, 0.0, 0.0, 0), "edf": Score(0, 0, 0, 0.0, 0.0, 0)}
    loads: list[float] = []
    bad = 0
    for seed in args.seeds:
        team = generate_team(args.workers, args.children, seed=seed, start=args.start)
        for key in args.standards:
            e = run_edf(team, key, horizon)
            c = run_cpsat(team, key, horizon, args)
            loads += [e.load, c.load]
            bad += c.unexplained + e.unexplained
            for name, s in (("cpsat", c), ("edf", e)):
                t = totals[name]
                t.breaches += s.breaches
                t.cover += s.cover
                t.travel += s.travel
                t.wall += s.wall
            proven = "proven" if c.extra["proven"] else "NOT proven"
            flag = "" if not (c.unexplained or e.unexplained) else \
                f"  VERIFIER: {c.unexplained} (cp-sat) / {e.unexplained} (edf) unexplained"
            print(f"{seed:>4} {key:<9} | {c.breaches:>6}/{e.breaches:<6} {fmt(ratio(c.breaches, e.breaches)):>5} | "
                  f"{c.cover:>4}/{e.cover:<4} {fmt(ratio(c.cover, e.cover)):>5} | "
                  f"{c.travel:>5}/{e.travel:<5} {fmt(ratio(c.travel, e.travel)):>5} | "
                  f"{c.wall:>5.1f}/{e.wall:<5.1f} | {c.load:>4.2f}/{e.load:<4.2f} | {c.extra['status']}, "
                  f"breaches {proven}{flag}", flush=True)
    c, e = totals["cpsat"], totals["edf"]
    print("-" * len(head))
    overall = {"breaches": ratio(c.breaches, e.breaches), "cover": ratio(c.cover, e.cover),
               "travel": ratio(c.travel, e.travel)}
    print(f"overall (CP-SAT / EDF, sums over {len(args.seeds) * len(args.standards)} plans): "
          f"breaches {c.breaches}/{e.breaches} = {fmt(overall['breaches'])}, cover {c.cover}/{e.cover} = "
          f"{fmt(overall['cover'])}, travel {c.travel}/{e.travel} = {fmt(overall['travel'])}, "
          f"wall {c.wall:.1f}/{e.wall:.1f} s; load average {min(loads):.2f}-{max(loads):.2f}")
    sums = {"breaches": (c.breaches, e.breaches), "cover": (c.cover, e.cover), "travel": (c.travel, e.travel)}
    for name, limit in TARGETS.items():
        mine, theirs = sums[name]
        verdict = "met" if mine <= limit * theirs else "MISSED"  # (0 against 0 is met)
        print(f"  target {name} <= {limit:.0%} of EDF's: {verdict} ({fmt(overall[name])})")
    if bad:
        print(f"VERIFIER: {bad} violation(s) outside the breach registers", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
