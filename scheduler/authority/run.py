"""`plan_authority`: every team folder of an authority planned as `rota plan` would plan it, in
parallel, then summarised (what `rota plan-authority` runs).

AUTH_DIR holds one folder per team; the folder's name is the team id, and its plan goes to
OUTDIR/<team>/ (the same files, byte for byte, as `rota plan AUTH_DIR/<team> --out
OUTDIR/<team>` with the same options). Folders whose names start with '.' or '_' are not teams,
nor is OUTDIR itself when it sits inside AUTH_DIR. A team whose input is invalid or whose plan
fails does not stop the others; a team unchanged since the last run (scheduler.authority.state)
is not planned again unless `force`. OUTDIR also gets authority.csv, authority.html and
authority.json (the state the next run compares against).

Exit code: 0 when every team was planned (or unchanged); otherwise the largest exit code among
the teams that failed (2 input problem, 3 not verified, 4 no plan within the time limit, 5 the
outputs could not be written, 1 rota itself failed on the team), once every other team is done
and the summary written. Before any team starts: 2 for a problem with AUTH_DIR or the options.
"""
from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..horizon import Horizon
from ..params import SolveParams
from ..pipeline import EXIT_BAD_INPUT, EXIT_OK, PlanJob
from .display import AuthorityDisplay
from .jobs import Area, Started, TeamResult, TeamTask, available_cores, ray_ready, run_local, run_ray
from .state import fingerprint, load_state, manifest_sha256, save_state, why_plan
from .summary import TeamLine, write_summary


class AuthorityError(Exception):
    """A problem with AUTH_DIR or the options: nothing was planned (exit 2)."""


@dataclass(frozen=True)
class AuthorityOptions:
    standard: str  # a shipped authority's name or the path of a standards file
    horizon: Horizon
    params: SolveParams = field(default_factory=SolveParams)
    jobs: int | None = None  # teams planned at once on this machine (default: one per core)
    ray: str | None = None  # None: local processes; 'local', 'auto' or a Ray cluster address
    cpus_per_team: int = 1  # Ray: CPUs reserved for each team's task
    force: bool = False  # plan every team, unchanged or not
    weights: str | None = None  # caseload points file
    worker_details: bool = False


@dataclass
class AuthorityRun:
    teams: list[TeamLine]
    results: dict[str, TeamResult]  # what this run planned, by team
    reasons: dict[str, str]  # why each planned team was planned
    csv_path: Path
    html_path: Path
    state_path: Path
    seconds: float
    exit_code: int = EXIT_OK

    @property
    def failed(self) -> list[TeamLine]:
        return [t for t in self.teams if t.state == "failed"]


def discover_teams(auth_dir: Path, outdir: Path) -> list[tuple[str, Path]]:
    """(team id, folder) for every team folder in AUTH_DIR, by name."""
    if not auth_dir.is_dir():
        raise AuthorityError(f"{auth_dir}: not a folder; expected AUTH_DIR holding one folder per team")
    out = outdir.resolve()
    teams = [(p.name, p) for p in sorted(auth_dir.iterdir(), key=lambda p: p.name)
             if p.is_dir() and not p.name.startswith((".", "_")) and p.resolve() != out]
    if not teams:
        hint = " (it is a team folder itself: plan it with `rota plan`)" if any(
            (auth_dir / f"workers.{ext}").exists() for ext in ("csv", "xlsx")) else ""
        raise AuthorityError(f"{auth_dir}: no team folders found{hint}; expected one folder per team "
                             "(its name is the team id) holding workers.csv, children.csv, ...")
    return teams


def _check_options(options: AuthorityOptions) -> None:
    from ..caseload.points import WeightsError, load_weights
    from ..standards import StandardError, load_standard

    try:
        load_standard(options.standard)
        load_weights(options.weights)
    except (StandardError, WeightsError) as exc:
        raise AuthorityError(str(exc)) from None
    if options.jobs is not None and options.jobs < 1:
        raise AuthorityError(f"--jobs {options.jobs}: expected 1 or more")


def _reason_line(result: TeamResult) -> str:
    """Why a team failed, in one line (the first problem; the terminal shows them all)."""
    from ..pipeline import EXIT_NO_PLAN, EXIT_VERIFIER, EXIT_WRITE_FAILED

    o = result.outcome
    problems = [p for p in o.problems if p.strip()]
    first = problems[0].strip().splitlines()[0] if problems else f"exit code {o.exit_code}"
    if o.exit_code == EXIT_BAD_INPUT:
        count = max(len(problems) - 1, 1)  # the loader's last line counts the problems
        return f"invalid input: {first}" + (f" (and {count - 1} more problem(s))" if count > 1 else "")
    if o.exit_code == EXIT_VERIFIER:
        return "not verified: the independent verifier found problems outside the breach register"
    if o.exit_code == EXIT_NO_PLAN:
        found = re.search(r"\((status \w+), ([\d.]+ s)\)", first)
        when = f" ({found.group(1)} after {found.group(2)})" if found else ""
        return f"no plan within the time limit{when}: raise --time-limit or --work-limit, or plan fewer --weeks"
    if o.exit_code == EXIT_WRITE_FAILED:
        return f"outputs not written: {first}"
    return first


def _describe(result: TeamResult) -> str:
    f = result.outcome.figures
    if not result.outcome.ok:
        return f"failed: {_reason_line(result)}"
    breaches = f.get("breaches", 0)
    return (f"planned, {f.get('compliance_in_plan_percent')}% of requirements due met, "
            f"{breaches} breach(es) ({f.get('proven')} proven unavoidable)")


def _events(tasks: list[TeamTask], options: AuthorityOptions, jobs: int) -> Iterator[Started | TeamResult]:
    if not tasks:
        return
    if options.ray is None:
        yield from run_local(tasks, jobs)
        return
    started = ray_ready(options.ray, num_cpus=jobs * options.cpus_per_team if options.ray == "local" else None)
    try:
        yield from run_ray(tasks, options.cpus_per_team)
    finally:
        if started:
            import ray

            ray.shutdown()


def _ray_job(job: PlanJob) -> PlanJob:
    """Paths a Ray worker can open whatever its working folder (a cluster's storage is shared)."""
    standard = str(Path(job.standard).resolve()) if Path(job.standard).suffix else job.standard
    return replace(job, folder=str(Path(job.folder).resolve()), outdir=str(Path(job.outdir).resolve()),
                   standard=standard, weights=str(Path(job.weights).resolve()) if job.weights else None)


def plan_authority(auth_dir: Path | str, outdir: Path | str, options: AuthorityOptions,
                   display: AuthorityDisplay | None = None, parallel_hint: int | None = None) -> AuthorityRun:
    """Plan every team of AUTH_DIR into OUTDIR/<team>/ and write the summary (module docstring)."""
    t0 = time.monotonic()
    auth_dir, outdir = Path(auth_dir), Path(outdir)
    teams = discover_teams(auth_dir, outdir)
    _check_options(options)
    jobs = options.jobs or len(available_cores())
    state = load_state(outdir)
    lines: dict[str, TeamLine] = {}
    records: dict[str, dict[str, Any]] = {}
    tasks: list[TeamTask] = []
    reasons: dict[str, str] = {}
    prints: dict[str, dict[str, Any]] = {}
    for team_id, folder in teams:
        job = PlanJob(str(folder), options.standard, options.horizon, str(outdir / team_id), options.params,
                      weights=options.weights, worker_details=options.worker_details)
        current = fingerprint(job)
        reason = "--force" if options.force else why_plan(job, state.get(team_id), current)
        if reason is None:
            record = state[team_id]
            records[team_id] = record
            area = record.get("area")
            lines[team_id] = TeamLine(team_id, "skipped", record.get("figures") or {},
                                      area=Area(**area) if isinstance(area, dict) else None,
                                      rota_page=f"{team_id}/rota.html")
            continue
        reasons[team_id] = reason
        prints[team_id] = current
        tasks.append(TeamTask(team_id, _ray_job(job) if options.ray else job))
    results: dict[str, TeamResult] = {}
    show = display or AuthorityDisplay(len(teams), parallel_hint or jobs, mode="quiet")
    with show:
        for team_id in lines:
            show.skipped(team_id)
        for event in _events(tasks, options, jobs):
            if isinstance(event, Started):
                show.started(event.team_id)
                continue
            results[event.team_id] = event
            lines[event.team_id] = _line(event)
            if event.outcome.ok:
                records[event.team_id] = _record(event, prints[event.team_id], outdir / event.team_id)
            else:
                records.pop(event.team_id, None)
            save_state(outdir, records, _run_meta(options, teams))
            show.finished(event.team_id, event.outcome.ok, _describe(event), event.seconds)
    ordered = [lines[t] for t, _ in teams if t in lines]
    state_path = save_state(outdir, records, _run_meta(options, teams))
    meta = {"teams": len(teams), "standard": options.standard, "region": options.horizon.region,
            "start": options.horizon.start.isoformat(), "end": options.horizon.end.isoformat(),
            "weeks": options.horizon.weeks}
    csv_path, html_path = write_summary(outdir, ordered, meta)
    failed = [results[t.team_id].outcome.exit_code for t in ordered if t.state == "failed" and t.team_id in results]
    return AuthorityRun(ordered, results, reasons, csv_path, html_path, state_path, time.monotonic() - t0,
                        max(failed) if failed else EXIT_OK)


def _line(result: TeamResult) -> TeamLine:
    o = result.outcome
    if o.ok:
        return TeamLine(result.team_id, "planned", dict(o.figures), area=result.area, seconds=result.seconds,
                        rota_page=f"{result.team_id}/rota.html")
    return TeamLine(result.team_id, "failed", dict(o.figures), reason=_reason_line(result), area=result.area,
                    seconds=result.seconds)


def _record(result: TeamResult, current: dict[str, Any], out: Path) -> dict[str, Any]:
    return {"fingerprint": current, "manifest_sha256": manifest_sha256(out), "figures": result.outcome.figures,
            "area": result.area, "seconds": result.seconds, "peak_rss_kb": result.peak_rss_kb, "host": result.host}


def _run_meta(options: AuthorityOptions, teams: Iterable[tuple[str, Path]]) -> dict[str, Any]:
    return {"standard": options.standard, "horizon": options.horizon, "teams": [t for t, _ in teams]}
