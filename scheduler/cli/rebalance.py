"""`rota rebalance`: propose the fewest reallocations that bring every worker to `ok`, and the
plan that allocation allows. A proposal only: the team's input files are never changed."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..textsafe import terminal_safe
from .caseload import load_weights_or_exit, start_option, weeks_option, weights_option
from .options import fail, folder_argument, load_standard_or_exit, load_team_or_exit, region_option, standard_option

if TYPE_CHECKING:
    from ..caseload.rebalance import Proposal
    from ..horizon import Horizon
    from ..standards import Standard

EXIT_VERIFIER = 3
MODEL_SECONDS = 10.0  # the reallocation model is small: seconds prove it on a 10-worker team


@click.command()
@folder_argument
@standard_option
@start_option
@weeks_option
@region_option
@click.option("--max-moves", type=click.IntRange(0, 10000), default=10, show_default=True,
              help="At most this many children change worker (allocating an unallocated child is not counted).")
@click.option("--out", "outdir", type=click.Path(file_okay=False), default="outputs/rebalance", show_default=True)
@weights_option
@click.option("--time-limit", type=click.FloatRange(1, 3600), default=60, show_default=True,
              help="Budget in seconds for planning the new allocation (as rota plan).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--no-plan", is_flag=True, help="Write the proposal only, without planning the new allocation.")
def rebalance(folder: str, standard_name: str, start_date: date, weeks: int, region: str, max_moves: int,
              outdir: str, weights_file: str | None, time_limit: float, seed: int, no_plan: bool) -> None:
    """Propose the fewest reallocations (at most K) that bring every worker to ok."""
    from ..caseload.rebalance import MOVE_COLUMNS, propose
    from ..caseload.table import report_csv
    from ..horizon import Horizon
    from ..outputs.atomic import write_text_atomic
    from ..textsafe import spreadsheet_safe
    from ..writing import csv_text

    out = Path(outdir)
    if out.exists() and Path(folder).exists() and out.resolve() == Path(folder).resolve():
        fail(f"--out {outdir}: is the team folder; expected another folder (the input files are never changed)")
    standard = load_standard_or_exit(standard_name)
    weights = load_weights_or_exit(weights_file)
    team = load_team_or_exit(folder, start_date)
    horizon = Horizon(start_date, weeks, region)
    proposal = propose(team, standard, horizon, weights, max_moves, time_limit=MODEL_SECONDS, seed=seed)
    for w in proposal.before.warnings:
        click.echo(f"warning: {w}", err=True)
    out.mkdir(parents=True, exist_ok=True)
    moves = [{k: spreadsheet_safe(v) for k, v in m.row().items()} for m in proposal.moves]
    write_text_atomic(out / "moves.csv", csv_text(MOVE_COLUMNS, moves))
    write_text_atomic(out / "caseload_before.csv", report_csv(proposal.before))
    write_text_atomic(out / "caseload_after.csv", report_csv(proposal.after))
    text = summary_text(proposal)
    write_text_atomic(out / "rebalance.txt", text + "\n")
    for line in text.splitlines():
        click.echo(terminal_safe(line))
    click.echo(f"  written to {out}/ (moves.csv, caseload_before.csv, caseload_after.csv, rebalance.txt)")
    if no_plan:
        return
    _plan(proposal, standard, horizon, out, time_limit, seed)


def summary_text(p: Proposal) -> str:
    """The proposal in words and a before/after table (ids and figures only)."""
    from ..caseload.rebalance import caseload_change

    lines = [f"Rebalance {p.before.horizon.start:%a %d %b %Y} to {p.before.horizon.end:%a %d %b %Y} "
             f"({p.before.standard_key} standards), at most {p.max_moves} reallocation(s)"]
    allocations = len(p.moves) - p.reallocations
    lines.append(f"  proposal: {p.reallocations} child(ren) change worker, {allocations} unallocated child(ren) "
                 f"allocated ({'fewest proven' if p.status == 'OPTIMAL' else 'best found in the time limit'})")
    for m in p.moves:
        lines.append(f"  - {m.child_id} (household {m.household_id}): {m.from_worker_id or 'unallocated'} -> "
                     f"{m.to_worker_id}")
    if p.fixed:
        lines.append("  every worker is ok after these moves, and every child is allocated")
    else:
        lines.append(f"  no set of at most {p.max_moves} reallocation(s) brings every worker to ok and every "
                     "child to a worker; what the proposal achieves is above, what remains:")
        lines += [f"    {r}" for r in p.remaining]
        if p.more_moves_would_fix:
            lines.append(f"    more moves would fix at least {p.more_moves_would_fix} more (raise --max-moves)")
    lines.append("  caseloads before -> after:")
    header = ["worker_id", "children", "points", "hours", "utilisation", "status"]
    rows = [caseload_change(b, p.after.row_of(b.worker_id)) for b in p.before.rows]
    widths = {h: max(len(h), *(len(r[h]) for r in rows)) for h in header}
    lines.append("    " + "  ".join(h.ljust(widths[h]) for h in header))
    lines += ["    " + "  ".join(r[h].ljust(widths[h]) for h in header) for r in rows]
    return "\n".join(lines)


def _plan(p: Proposal, standard: Standard, horizon: Horizon, out: Path, time_limit: float, seed: int) -> None:
    from ..outputs.common import verdict_text
    from ..params import SolveParams
    from ..plan import plan
    from ..verifier import format_report
    from ..writing import SET_FILES, summary, write_plan

    click.echo("Planning the new allocation (the usual outputs)...", err=True)
    result = plan(p.team_after, standard, horizon, SolveParams(time_limit=time_limit, seed=seed))
    write_plan(result, p.team_after, out, {}, caseload=p.after)  # rota.html: the caseloads after the moves
    click.echo(summary(result, {}))
    click.echo(f"  written to {out}/ ({SET_FILES})")  # (summary() has the verifier's line)
    if result.unexplained:
        click.echo(f"VERIFIER: {verdict_text(result)}:", err=True)
        click.echo(format_report(result.unexplained), err=True)
        sys.exit(EXIT_VERIFIER)
