"""One team folder planned end to end: load, plan, verify, write. Used by `rota plan` and by
anything that plans many teams (plain data in, plain data out, so it crosses process and
machine boundaries).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .horizon import Horizon
from .params import SolveParams
from .progress import ProgressFn

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_VERIFIER = 3  # the verifier found a violation the breach register does not explain (a bug)


@dataclass(frozen=True)
class PlanJob:
    folder: str
    standard: str  # a shipped authority's name or the path of a standards file
    horizon: Horizon
    outdir: str
    params: SolveParams = field(default_factory=SolveParams)
    db: str | None = None  # sign-off database (default: scheduler.signoff.resolve_db_path)
    weights: str | None = None  # caseload points file for rota.html's caseload section (default: shipped)
    method: str = "cpsat"  # cpsat | edf (earliest deadline first, the hand-planning baseline)


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


def run_plan_job(job: PlanJob, progress: ProgressFn | None = None) -> JobOutcome:
    from .caseload.points import WeightsError, load_weights
    from .caseload.table import caseload_report
    from .loading import InputErrors, load_team_with_warnings
    from .plan import plan
    from .signoff import SignoffError, legacy_db_awaiting_migration, resolve_db_path, signoff_states
    from .standards import StandardError, load_standard
    from .verifier import format_report
    from .writing import summary, write_plan

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
    if job.method == "edf":
        from .edf import plan_edf
        result = plan_edf(team, standard, job.horizon)
    else:
        result = plan(team, standard, job.horizon, job.params, progress=progress)
    out = Path(job.outdir)
    # sign-offs live with the team (TEAM_DIR/.rota/signoffs.sqlite) unless --db/$ROTA_SIGNOFF_DB say otherwise
    db_path = resolve_db_path(out, job.db, team_folder=job.folder)
    legacy = legacy_db_awaiting_migration(out, db_path)  # an older rota's OUTDIR/signoffs.sqlite
    signoff_notes: list[str] = []
    try:
        signoffs = signoff_states(legacy or db_path)
    except SignoffError as exc:
        signoffs, signoff_notes = {}, [f"  sign-offs: not shown: {exc}"]
    if legacy:
        signoff_notes.append(f"  sign-offs: read from {legacy}, written by an older rota; move them to {db_path} "
                             f"with `rota signoffs {out} --migrate`")
    # rota.html shows the `rota caseload` rows for the same team, standard and horizon
    write_plan(result, team, out, signoffs, caseload=caseload_report(team, standard, job.horizon, weights))
    lines = [summary(result, signoffs), *signoff_notes]
    if job.method == "edf":
        from .edf import describe
        lines[0] = describe(lines[0])
    exempt = sorted(c.child_id for c in team.children if c.seen_alone_exempt)
    if exempt:
        lines.append(f"  seen alone: {len(exempt)} child(ren) exempt by a recorded reason, honoured "
                     f"(children.csv seen_alone_exempt): {' '.join(exempt)}")
    lines.append(f"  written to {out}/ (rota.csv, breaches.csv, rota.html, rota.xlsx, calendars/, map.html)")
    figures: dict[str, object] = {
        "children": len(team.children), "workers": len(team.workers),
        "activities": len(result.activities), "breaches": len(result.breaches),
        "proven": sum(b.proven_unavoidable for b in result.breaches),
        "compliance_percent": result.compliance_percent, "status": result.status,
    }
    unexplained = result.unexplained
    if unexplained:
        return JobOutcome(EXIT_VERIFIER, tuple(lines), tuple(str(w) for w in warnings),
                          ("VERIFIER: the rota breaks rules the breach register does not list:",
                           format_report(unexplained)), figures)
    lines.append("  verifier: every rule re-checked independently; nothing outside the breach register")
    return JobOutcome(EXIT_OK, tuple(lines), tuple(str(w) for w in warnings), (), figures)
