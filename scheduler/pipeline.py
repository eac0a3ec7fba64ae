"""One team folder planned end to end: load, plan, verify, write. Used by `rota plan` and by
anything that plans many teams (plain data in, plain data out, so it crosses process and
machine boundaries). Every decision about writing lives here or in scheduler.writing.

Exit codes: 0 planned, verified and written; 2 an input problem (nothing written); 3 the
verifier found a violation the breach register does not explain (written, marked NOT
VERIFIED); 4 the solver found no plan within the time limit (nothing written, the previous
outputs untouched); 5 the outputs could not be written (the previous outputs untouched).
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .horizon import Horizon
from .params import SolveParams
from .progress import ProgressEvent, ProgressFn

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_VERIFIER = 3  # the verifier found a violation the breach register does not explain (a bug)
EXIT_NO_PLAN = 4  # no solution within the time limit: nothing written, previous outputs kept
EXIT_WRITE_FAILED = 5  # the output folder could not be written: previous outputs kept


@dataclass(frozen=True)
class PlanJob:
    folder: str
    standard: str  # a shipped authority's name or the path of a standards file
    horizon: Horizon
    outdir: str
    params: SolveParams = field(default_factory=SolveParams)
    db: str | None = None  # sign-off database (default: scheduler.signoff.resolve_db_path)
    weights: str | None = None  # caseload points file for rota.html's caseload section (default: shipped)
    worker_details: bool = False  # children's names and address in each worker's own calendar and page
    method: str = "cpsat"  # cpsat | edf (earliest deadline first, the hand-planning baseline)
    previous: str | None = None  # a previous plan's output folder: re-plan with minimal change
    freeze_until: date | None = None  # with previous: activities up to this day stay unless impossible


@dataclass(frozen=True)
class JobOutcome:
    exit_code: int
    lines: tuple[str, ...] = ()  # the summary for the terminal (no personal details)
    warnings: tuple[str, ...] = ()  # input warnings, `file:row: column: message`
    problems: tuple[str, ...] = ()  # why nothing was planned or the plan is not trusted
    figures: dict[str, object] = field(default_factory=dict)  # counts for summaries across teams

    @property
    def ok(self) -> bool:
        return self.exit_code == EXIT_OK


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def input_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every input file of the team folder (top level; hidden files and folders such
    as .rota/ are not inputs)."""
    return {p.name: _sha256(p) for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}


def no_plan(result: Any) -> bool:
    """The solver found nothing usable: no solution, or an empty rota while requirements exist
    and no breach explains them."""
    if result.status not in ("OPTIMAL", "FEASIBLE"):
        return True
    return not result.activities and not result.breaches and result.requirements_total > 0


def _has_outputs(out: Path) -> bool:
    """Does OUTDIR hold a set of outputs (so that 'the previous outputs are untouched' is true)?"""
    from .outputs.outset import our_files

    try:
        return bool(our_files(out))
    except OSError:
        return False


def run_plan_job(job: PlanJob, progress: ProgressFn | None = None) -> JobOutcome:
    t0 = time.monotonic()
    if progress:  # first, before the heavy imports: the user sees something at once
        progress(ProgressEvent("loading", 0.0, detail=f"reading {Path(job.folder).name}"))
    from .caseload.points import WeightsError, load_weights
    from .caseload.table import caseload_report
    from .loading import InputErrors, load_team_with_warnings
    from .outputs.common import compliance, plan_status, verdict_text
    from .plan import plan
    from .signoff import SignoffError, chain_head, legacy_db_awaiting_migration, resolve_db_path, signoff_states
    from .standards import StandardError, load_standard
    from .verifier import format_report
    from .writing import SET_FILES, summary, write_plan

    try:
        standard = load_standard(job.standard)
        weights = load_weights(job.weights)
    except (StandardError, WeightsError) as exc:
        return JobOutcome(EXIT_BAD_INPUT, problems=tuple(str(exc).splitlines()))
    try:
        team, warnings = load_team_with_warnings(Path(job.folder), job.horizon.start)
    except InputErrors as exc:
        return JobOutcome(EXIT_BAD_INPUT, warnings=tuple(str(w) for w in exc.warnings),
                          problems=tuple(str(p) for p in exc.problems)
                          + (f"{len(exc.problems)} problem(s) found; nothing was written.",))
    previous, previous_notes = None, []
    if job.previous is not None:  # read before anything is written: it may be --out too
        from .replan import read_previous
        from .replan.previous import consistency
        try:
            previous = read_previous(job.previous)
        except InputErrors as exc:
            return JobOutcome(EXIT_BAD_INPUT, problems=tuple(str(p) for p in exc.problems)
                              + (f"{len(exc.problems)} problem(s) found in the previous plan; nothing was written.",))
        previous_notes = [*previous.warnings, *consistency(previous, job, standard.key)]
    if progress:
        progress(ProgressEvent("loading", time.monotonic() - t0, detail=(
            f"{len(team.children)} children, {len(team.workers)} workers, {len(team.visits)} past visits")))
    if job.method == "edf":
        from .edf import plan_edf
        result = plan_edf(team, standard, job.horizon)
    elif previous is None:
        result = plan(team, standard, job.horizon, job.params, progress=progress)
    else:
        result = plan(team, standard, job.horizon, job.params, progress=progress, previous=previous.activities,
                      freeze_until=job.freeze_until, previous_span=previous.span,
                      previous_breaches=previous.breaches)
    out = Path(job.outdir)
    warning_lines = tuple(str(w) for w in warnings) + tuple(previous_notes)
    from .history_check import history_warnings  # issue 8 item 9: an export that may not reach back
    warning_lines += tuple(history_warnings(team, standard, job.horizon.cal, job.horizon.start, job.horizon.end))
    caseload = caseload_report(team, standard, job.horizon, weights)
    from .requirements import nothing_planned, nothing_planned_note
    unplanned = nothing_planned(team, standard, job.horizon.start, job.horizon.end)
    notices = (nothing_planned_note(unplanned, standard),) if unplanned else ()
    split = compliance(result)
    figures: dict[str, object] = {
        "children": len(team.children), "workers": len(team.workers),
        "activities": len(result.activities), "breaches": len(result.breaches),
        "proven": sum(b.proven_unavoidable for b in result.breaches),
        "compliance_percent": result.compliance_percent, "status": plan_status(result),
        "breach_stage_status": result.status,
        # for summaries across teams (rota plan-authority): the rota page's figures, as plain data
        "compliance_in_plan_percent": split.percent_in_plan, "due_in_plan": split.due_in_plan,
        "met_in_plan": split.met_in_plan, "overdue_at_start": len(split.overdue_at_start),
        "overdue_children": len({b.child_id for b in split.overdue_at_start}),
        "worker_utilisation": tuple(r.utilisation for r in caseload.rows),
        "workers_over": len(caseload.over),
    }
    if no_plan(result):
        return JobOutcome(EXIT_NO_PLAN, (), warning_lines, (
            f"No plan: the solver found no solution within the time limit (status {result.status}, "
            f"{result.solve_seconds:.1f} s).",
            f"Nothing was written; the previous outputs in {out}/ are untouched." if _has_outputs(out)
            else f"Nothing was written to {out}/.",
            f"What to do: raise --time-limit (now {job.params.time_limit:g} s; try "
            f"{min(max(job.params.time_limit * 3, 180), 3600):g}) or --work-limit, or plan fewer --weeks.",
        ), figures)

    # sign-offs live with the team (TEAM_DIR/.rota/signoffs.sqlite) unless --db/$ROTA_SIGNOFF_DB say otherwise
    db_path = resolve_db_path(out, job.db, team_folder=job.folder)
    legacy = legacy_db_awaiting_migration(out, db_path)  # an older rota's OUTDIR/signoffs.sqlite
    signoff_notes: list[str] = []
    try:
        signoffs = signoff_states(legacy or db_path)
    except SignoffError as exc:
        signoffs, signoff_notes = {}, [f"  sign-offs: not shown: {exc}"]
    figures["signed_off"] = sum(b.breach_id in signoffs for b in result.breaches)
    if legacy:
        signoff_notes.append(f"  sign-offs: read from {legacy}, written by an older rota; move them to {db_path} "
                             f"with `rota signoffs {out} --migrate`")
    head = chain_head(db_path)  # of the database the manifest names
    meta = {
        "team_folder": str(Path(job.folder).resolve()),
        "standard": job.standard, "standard_key": result.standard_key,
        "region": job.horizon.region, "start": job.horizon.start.isoformat(), "end": job.horizon.end.isoformat(),
        "weeks": job.horizon.weeks, "seed": job.params.seed, "time_limit": job.params.time_limit,
        "work_limit": job.params.work_limit, "worker_details": job.worker_details,
        "inputs": input_hashes(Path(job.folder)),
        "signoff_db": str(db_path.resolve()), "signoff_chain_head": head,
    }
    if Path(job.standard).is_file():
        meta["standard_sha256"] = _sha256(Path(job.standard))
    replan = None
    if previous is not None:
        from .replan import replan_outputs
        replan = replan_outputs(previous, result, team, job.horizon.cal, job.freeze_until)
        meta["previous"] = {"folder": str(previous.folder.resolve()),
                            "rota_sha256": previous.manifest.get("files", {}).get("rota.csv", "")
                            if isinstance(previous.manifest.get("files"), dict) else "",
                            "freeze_until": job.freeze_until.isoformat() if job.freeze_until else None,
                            "changes": len(replan.changes)}
    if progress:
        progress(ProgressEvent("writing", time.monotonic() - t0, detail=f"to {out}"))
    notes: list[str] = []
    had_outputs = _has_outputs(out)  # a failed write leaves them as they are
    try:
        # rota.html shows the `rota caseload` rows for the same team, standard and horizon
        write_plan(result, team, out, signoffs, worker_details=job.worker_details,
                   working_days=job.horizon.working_days, chain_head=head, meta=meta, notes=notes,
                   caseload=caseload, replan=replan, notices=notices)
    except OSError as exc:
        return JobOutcome(EXIT_WRITE_FAILED, (), warning_lines, (
            f"Could not write the outputs to {out}/: {exc.strerror or exc}.",
            (f"The previous outputs in {out}/ are untouched" if had_outputs else "Nothing was written")
            + "; check the folder can be written and try again.",
        ), figures)
    if progress:
        progress(ProgressEvent("done", time.monotonic() - t0))
    lines = [summary(result, signoffs), *signoff_notes]
    if job.method == "edf":
        from .edf import describe
        lines[0] = describe(lines[0])
    exempt = sorted(c.child_id for c in team.children if c.seen_alone_exempt)
    if exempt:
        lines.append(f"  seen alone: {len(exempt)} child(ren) exempt by a recorded reason, honoured "
                     f"(children.csv seen_alone_exempt): {' '.join(exempt)}")
    lines += [f"  not planned: {n}" for n in notices]
    if replan is not None:
        lines += replan.summary_lines()
        figures["changes"] = len(replan.changes)
    lines.append(f"  written to {out}/ ({SET_FILES}{', changes.csv' if replan is not None else ''})")
    lines += [f"  note: {n}" for n in notes]
    unexplained = result.unexplained
    if unexplained:
        return JobOutcome(EXIT_VERIFIER, tuple(lines), warning_lines,
                          (f"VERIFIER: {verdict_text(result)}:", format_report(unexplained)), figures)
    return JobOutcome(EXIT_OK, tuple(lines), warning_lines, (), figures)
