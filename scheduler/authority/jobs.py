"""The unit of work is a team: a TeamTask (a PlanJob and the cores to use) goes to a worker
process or a Ray task, and a TeamResult (the JobOutcome, timings and the team's rounded area)
comes back. Both are plain frozen dataclasses: CP-SAT objects never cross a process boundary.

Two ways to run many teams:

- `run_local`: one fresh process per team (forkserver, with the planner's modules preloaded, so
  a team costs a fork rather than a Python start), at most `jobs` at once. Each process is pinned
  (sched_setaffinity) to its own share of the cores before CP-SAT starts its threads: CP-SAT's
  deterministic interleaved search runs `num_workers` threads (SolveParams.breach_stage_workers /
  later_stage_workers), and changing that number would change the plan, so the threads are
  confined instead - the plan stays byte for byte the one `rota plan` writes. A process that
  dies (out of memory, a crash in the solver) or overruns its deadline fails its team only.
- `run_ray`: one Ray task per team with `num_cpus=cpus_per_team`; the driver's own `scheduler`
  and `constraints` packages travel with the job (runtime_env py_modules), so every node plans
  with the same code. Team folders and OUTDIR must be on storage every node sees at the same
  path (the plan writes its files there, and the sign-off record lives in the team folder).

Both yield Started(team_id) when a team starts (as far as the backend can tell) and a
TeamResult when it ends, in completion order.
"""
from __future__ import annotations

import math
import multiprocessing as mp
import os
import resource
import signal
import socket
import statistics
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..pipeline import EXIT_BAD_INPUT, EXIT_OK, JobOutcome, PlanJob, run_plan_job

EXIT_CRASHED = 1  # rota itself failed on this team (a bug, or the process was killed)
# modules a worker process needs, imported once by the forkserver (run_plan_job imports lazily)
PRELOAD = ("scheduler.pipeline", "scheduler.plan", "scheduler.writing", "scheduler.verifier",
           "scheduler.loading", "scheduler.caseload.table", "scheduler.standards", "scheduler.signoff",
           "scheduler.authority.jobs")
KILL_GRACE = 5.0  # seconds between SIGTERM and SIGKILL for a team past its deadline


def read_only(d: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(d)


def _reduce_mappingproxy(m: MappingProxyType[Any, Any]) -> tuple[Any, tuple[dict[Any, Any]]]:
    return read_only, (dict(m),)


# SolveParams keeps its weight tables read-only (MappingProxyType), which pickle refuses; the
# process pool sends them as a dict re-wrapped on arrival (Ray's cloudpickle already does this)
ForkingPickler.register(MappingProxyType, _reduce_mappingproxy)


def deadline_seconds(job: PlanJob) -> float:
    """How long a team may take before it is stopped: the plan's own hard stop (--time-limit)
    covers the solver and the breach diagnosis; loading, verifying and writing come on top
    (a few seconds for a team of 200 children), so this is generous."""
    return 3 * job.params.time_limit + 300


@dataclass(frozen=True)
class Area:
    """Where a team works, coarsely: a circle around its households and worker bases. The centre
    is rounded to 0.01 degrees (about 1 km) and the radius up to a whole km, so no household can
    be located from it."""
    lat: float
    lon: float
    radius_km: float


@dataclass(frozen=True)
class TeamTask:
    team_id: str
    job: PlanJob
    cpus: tuple[int, ...] = ()  # cores this team's process may use (local runs; empty = no pinning)


@dataclass(frozen=True)
class TeamResult:
    team_id: str
    outcome: JobOutcome
    seconds: float = 0.0  # wall time of the team's plan, where it ran
    peak_rss_kb: int = 0  # peak resident memory of the process that planned it
    area: Area | None = None
    host: str = ""
    planned: bool = True  # False: not planned by this run (see TeamResult.outcome.problems)


@dataclass(frozen=True)
class Started:
    team_id: str


# --- the worker side --------------------------------------------------------------------------

def pin(cpus: Sequence[int]) -> None:
    """Confine this process (and every thread it starts from now on) to `cpus`, where the OS
    lets us (Linux); elsewhere the operating system shares the cores out as it sees fit."""
    if cpus and hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, set(cpus))
        except OSError:
            pass  # a container that forbids it: run unpinned rather than not at all


def _peak_rss_kb() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KB on Linux


def internal_error(exc: BaseException) -> str:
    """Where rota failed, without the exception's message (it could quote a cell of the inputs):
    `rota plan` on the team shows the whole traceback."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = next((f for f in reversed(frames) if "scheduler" in f.filename), frames[-1] if frames else None)
    place = f" in {Path(where.filename).name}:{where.lineno}" if where else ""
    return (f"internal error ({type(exc).__name__}{place}); run `rota plan` on this team folder "
            "to see the details")


def team_area(job: PlanJob) -> Area | None:
    """The team's rounded area from its households and worker bases (None if it cannot be read)."""
    from ..inputs.problems import InputErrors
    from ..loading import load_team_with_warnings
    from ..travel import haversine_km

    try:
        team, _ = load_team_with_warnings(Path(job.folder), job.horizon.start)
    except (InputErrors, OSError):
        return None
    points = sorted({(c.lat, c.lon) for c in team.children} | {(w.base_lat, w.base_lon) for w in team.workers})
    if not points:
        return None
    centre = (statistics.median(p[0] for p in points), statistics.median(p[1] for p in points))
    distances = sorted(haversine_km(centre, p) for p in points)
    # the 90th percentile: one far-away placement should not make the circle cover the county
    reach = distances[min(len(distances) - 1, math.ceil(0.9 * len(distances)) - 1)]
    return Area(round(centre[0], 2), round(centre[1], 2), float(max(1, math.ceil(reach + 1))))


def run_team(task: TeamTask) -> TeamResult:
    """Plan one team as `rota plan` would (same files), in this process. Never raises."""
    pin(task.cpus)
    t0 = time.monotonic()
    host = socket.gethostname()
    if not Path(task.job.folder).is_dir():
        return TeamResult(task.team_id, JobOutcome(EXIT_BAD_INPUT, problems=(
            f"the team folder {task.job.folder} cannot be seen from {host}; a Ray cluster needs the authority "
            "folder and OUTDIR on storage every node sees at the same path",)), host=host)
    try:
        outcome = run_plan_job(task.job)
    except Exception as exc:  # a bug in rota must not stop the other teams
        outcome = JobOutcome(EXIT_CRASHED, problems=(internal_error(exc),))
    seconds = time.monotonic() - t0
    area = None
    if outcome.exit_code != EXIT_BAD_INPUT:
        try:
            area = team_area(task.job)
        except Exception:
            area = None  # the map is a nicety: the team's plan stands without it
    return TeamResult(task.team_id, outcome, round(seconds, 2), _peak_rss_kb(), area, host)


def _child_main(task: TeamTask, conn: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        conn.send(run_team(task))
    finally:
        conn.close()


# --- many teams on this machine ----------------------------------------------------------------

def available_cores() -> list[int]:
    if hasattr(os, "sched_getaffinity"):
        return sorted(os.sched_getaffinity(0))
    return list(range(os.cpu_count() or 1))


def core_slots(jobs: int, cores: Sequence[int] | None = None) -> list[tuple[int, ...]]:
    """Each of `jobs` concurrent teams gets an equal share of the cores (the remainder to the
    first slots); with more jobs than cores, teams share cores round robin."""
    cores = list(cores if cores is not None else available_cores())
    if jobs >= len(cores):
        return [(cores[i % len(cores)],) for i in range(jobs)]
    share, extra = divmod(len(cores), jobs)
    slots, at = [], 0
    for i in range(jobs):
        n = share + (1 if i < extra else 0)
        slots.append(tuple(cores[at:at + n]))
        at += n
    return slots


def _context() -> Any:
    methods = mp.get_all_start_methods()
    if "forkserver" in methods:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(list(PRELOAD))
        return ctx
    return mp.get_context("spawn")


def _ended(task: TeamTask, exitcode: int | None, seconds: float) -> TeamResult:
    how = (f"signal {-exitcode}{' (killed: out of memory?)' if exitcode == -signal.SIGKILL else ''}"
           if exitcode is not None and exitcode < 0 else f"exit code {exitcode}")
    return TeamResult(task.team_id, JobOutcome(EXIT_CRASHED, problems=(
        f"the planning process ended unexpectedly ({how}); run `rota plan` on this team folder to see why",)),
        round(seconds, 2))


@dataclass
class _Running:
    task: TeamTask
    process: Any
    conn: Connection
    slot: int
    t0: float
    deadline: float
    result: TeamResult | None = None
    stopping_since: float | None = None


def run_local(tasks: Sequence[TeamTask], jobs: int, pin_cores: bool = True,
              deadline: Callable[[PlanJob], float] = deadline_seconds) -> Iterator[Started | TeamResult]:
    """Plan the tasks in fresh processes, at most `jobs` at once, each pinned to its share of
    the cores. Yields Started and TeamResult events; every task ends with one TeamResult."""
    ctx = _context()
    slots = core_slots(jobs) if pin_cores else [() for _ in range(jobs)]
    free = list(range(jobs))
    queue = list(tasks)
    running: dict[int, _Running] = {}  # by slot
    try:
        while queue or running:
            while queue and free:
                slot = free.pop(0)
                task = replace(queue.pop(0), cpus=slots[slot])
                receive, send = ctx.Pipe(duplex=False)
                process = ctx.Process(target=_child_main, args=(task, send), name=f"rota-team-{task.team_id}",
                                      daemon=True)
                process.start()
                send.close()  # the child holds the only write end: EOF here means it is gone
                now = time.monotonic()
                running[slot] = _Running(task, process, receive, slot, now, now + deadline(task.job))
                yield Started(task.team_id)
            waitables: list[Any] = [r.conn for r in running.values()] + [r.process.sentinel for r in running.values()]
            nearest = min(r.deadline if r.stopping_since is None else r.stopping_since + KILL_GRACE
                          for r in running.values())
            wait(waitables, timeout=min(1.0, max(0.0, nearest - time.monotonic())))
            now = time.monotonic()
            for slot, r in list(running.items()):
                if r.result is None and r.conn.poll():
                    try:
                        r.result = r.conn.recv()
                    except (EOFError, OSError):
                        r.result = _ended(r.task, r.process.exitcode, now - r.t0)
                if r.result is None and now > r.deadline:
                    if r.stopping_since is None:
                        r.stopping_since = now
                        r.process.terminate()
                        r.process.join(timeout=0.5)
                    elif now - r.stopping_since > KILL_GRACE:
                        r.process.kill()
                    if not r.process.is_alive() or now - r.stopping_since > 2 * KILL_GRACE:
                        r.result = TeamResult(r.task.team_id, JobOutcome(EXIT_CRASHED, problems=(
                            f"stopped: it had not finished after {deadline(r.task.job):.0f} s "
                            f"(--time-limit {r.task.job.params.time_limit:g} s)",)), round(now - r.t0, 2))
                if r.result is None and not r.process.is_alive():
                    r.process.join()
                    r.result = _ended(r.task, r.process.exitcode, now - r.t0)
                if r.result is not None:
                    r.process.join(timeout=KILL_GRACE)
                    if r.process.is_alive():
                        r.process.kill()
                        r.process.join()
                    r.conn.close()
                    del running[slot]
                    free.append(slot)
                    free.sort()
                    yield r.result
    finally:  # interrupted (Ctrl-C) or the consumer stopped early: no orphans
        for r in running.values():
            if r.process.is_alive():
                r.process.kill()
            r.process.join()
            r.conn.close()


# --- many teams on Ray ---------------------------------------------------------------------------

def ray_runtime_env() -> dict[str, Any]:
    """This process's own `scheduler` and `constraints` packages, for every Ray worker of the
    job: each node plans with the driver's code, whatever rota it has installed (if any)."""
    import constraints
    import scheduler

    modules = [str(Path(scheduler.__file__).parent), str(Path(constraints.__file__).parent)]
    return {"py_modules": modules, "excludes": ["__pycache__", "*.pyc"]}


def ray_ready(address: str, num_cpus: int | None = None) -> bool:
    """Connect to Ray (or start a local one) with ray_runtime_env(); True if this call started
    the connection (and so must end it). address: 'local' starts Ray on this machine with
    num_cpus; 'auto' joins the cluster this machine belongs to; anything else is a cluster
    address (host:port or ray://host:port). Ray already initialised by the caller is used as it
    is (pass runtime_env=ray_runtime_env() to ray.init to ship this code to the workers)."""
    import ray

    if ray.is_initialized():
        return False
    options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "logging_level": "WARNING",
                               "runtime_env": ray_runtime_env()}
    if address == "local":
        ray.init(num_cpus=num_cpus, **options)
    else:
        ray.init(address=address, **options)
    return True


def run_ray(tasks: Sequence[TeamTask], cpus_per_team: int = 1, poll: float = 0.5) -> Iterator[Started | TeamResult]:
    """Plan each task as one Ray task (Ray must be initialised: see ray_ready). Ray decides where
    and when; a team counts as started when it is handed to Ray and there is room for it."""
    import ray

    remote = ray.remote(run_team).options(num_cpus=cpus_per_team, max_retries=0)
    slots = max(1, int(ray.cluster_resources().get("CPU", 1) // cpus_per_team))
    pending = {remote.remote(replace(t, cpus=())): (t, time.monotonic()) for t in tasks}
    announced: set[str] = set()
    try:
        while pending:
            for t, _ in list(pending.values())[:slots]:
                if t.team_id not in announced:
                    announced.add(t.team_id)
                    yield Started(t.team_id)
            done, _ = ray.wait(list(pending), num_returns=1, timeout=poll)
            now = time.monotonic()
            for ref in done:
                task, t0 = pending.pop(ref)
                try:
                    result = ray.get(ref)
                except Exception as exc:  # the task's worker died, or Ray could not run it
                    result = TeamResult(task.team_id, JobOutcome(EXIT_CRASHED, problems=(
                        f"the Ray task failed ({type(exc).__name__}); run `rota plan` on this team folder "
                        "to see why",)), round(now - t0, 2))
                yield result
            for ref, (task, t0) in list(pending.items()):
                if now - t0 > deadline_seconds(task.job) + 600:  # queued time included: generous
                    ray.cancel(ref, force=True)
                    pending.pop(ref)
                    yield TeamResult(task.team_id, JobOutcome(EXIT_CRASHED, problems=(
                        f"stopped: it had not finished after {now - t0:.0f} s on Ray",)), round(now - t0, 2))
    finally:
        for ref in pending:
            ray.cancel(ref, force=True)


__all__ = ["EXIT_CRASHED", "EXIT_OK", "Area", "Started", "TeamResult", "TeamTask", "core_slots", "run_local",
           "run_ray", "run_team"]
