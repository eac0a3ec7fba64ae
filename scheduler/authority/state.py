"""What makes a team "unchanged since the last run", and what that run found.

OUTDIR/authority.json keeps, for every team the last run planned successfully, a fingerprint
of what the plan was made from, the sha256 of the manifest.json it wrote, and the plan's
figures (for the summary). A team is planned again (unless --force says always) when any of
these does not hold:

- OUTDIR/<team>/manifest.json is the one that run wrote, its `inputs` hashes are the team
  folder's files now, and the options it records (standard, region, start, weeks, seed, time and
  work limits, worker details, sign-off record and its chain head) are this run's;
- every file the manifest lists is in place and unchanged;
- the fingerprint is the same: the whole PlanJob (every solver setting), the contents of the
  standards and caseload weights files, the sign-off chain head, and rota's own code.

A team whose last plan failed has no record, so it is always tried again.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Mapping
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..outputs.atomic import write_text_atomic
from ..pipeline import PlanJob, input_hashes

STATE_FILE = "authority.json"
FORMAT = 1


def plain(value: Any) -> Any:
    """JSON-ready: dataclasses and mappings as dicts, tuples as lists, dates as ISO text,
    infinities and NaN as None."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@cache
def code_digest() -> str:
    """sha256 over rota's own code, templates and shipped data: a new version plans again."""
    digest = hashlib.sha256()
    for package in ("scheduler", "constraints"):
        root = Path(str(resources.files(package)))
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def standard_file(name_or_path: str) -> Path:
    from ..standards import STANDARDS_DIR

    path = Path(name_or_path)
    return path if path.suffix else STANDARDS_DIR / f"{name_or_path}.yaml"


def signoff_head(job: PlanJob) -> tuple[str, str | None]:
    """The sign-off database the plan reads (as `rota plan` resolves it) and its chain head."""
    from ..signoff import chain_head, resolve_db_path

    db = resolve_db_path(job.outdir, job.db, team_folder=job.folder)
    return str(db.resolve()), chain_head(db)


def fingerprint(job: PlanJob) -> dict[str, Any]:
    db, head = signoff_head(job)
    body = plain({
        "job": job,
        "inputs": input_hashes(Path(job.folder)),
        "standard_sha256": _sha256(standard_file(job.standard)),
        "weights_sha256": _sha256(Path(job.weights)) if job.weights else None,
        "signoff_db": db, "signoff_chain_head": head,
        "code": code_digest(),
    })
    return dict(json.loads(json.dumps(body)))  # exactly what authority.json will give back


def manifest_options(job: PlanJob) -> dict[str, Any]:
    """What `rota plan` records in manifest.json about the inputs and options (scheduler.pipeline)."""
    db, head = signoff_head(job)
    h, p = job.horizon, job.params
    expected: dict[str, Any] = {
        "team_folder": str(Path(job.folder).resolve()), "standard": job.standard, "region": h.region,
        "start": h.start.isoformat(), "end": h.end.isoformat(), "weeks": h.weeks, "seed": p.seed,
        "time_limit": p.time_limit, "work_limit": p.work_limit, "worker_details": job.worker_details,
        "inputs": input_hashes(Path(job.folder)), "signoff_db": db, "signoff_chain_head": head,
    }
    if Path(job.standard).is_file():
        expected["standard_sha256"] = _sha256(Path(job.standard))
    return json.loads(json.dumps(expected))


def why_plan(job: PlanJob, record: Mapping[str, Any] | None, current: Mapping[str, Any]) -> str | None:
    """None when the team is unchanged since the last run; otherwise why it is planned."""
    out = Path(job.outdir)
    manifest_path = out / "manifest.json"
    if record is None:
        return "not planned before" if not manifest_path.exists() else "no figures from an earlier run"
    try:
        raw = manifest_path.read_bytes()
        manifest = json.loads(raw)
    except (OSError, ValueError):
        return "its outputs are missing"
    if not isinstance(manifest, dict) or hashlib.sha256(raw).hexdigest() != record.get("manifest_sha256"):
        return "its outputs were written by another run"
    expected = manifest_options(job)
    if manifest.get("inputs") != expected["inputs"]:
        return "its input files changed"
    changed = sorted(k for k, v in expected.items() if manifest.get(k) != v)
    if changed:
        return f"options changed ({', '.join(changed)})"
    files = manifest.get("files")
    if not isinstance(files, dict) or any(_sha256(out / name) != sha for name, sha in files.items()):
        return "its output files changed"
    if record.get("fingerprint") != current:
        return "the standard, weights, settings or rota itself changed"
    return None


def load_state(outdir: Path) -> dict[str, dict[str, Any]]:
    """The last run's records by team (empty if none, unreadable, or from another format)."""
    try:
        data = json.loads((Path(outdir) / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    teams = data.get("teams") if isinstance(data, dict) and data.get("format") == FORMAT else None
    return {str(k): v for k, v in teams.items() if isinstance(v, dict)} if isinstance(teams, dict) else {}


def save_state(outdir: Path, teams: Mapping[str, Mapping[str, Any]], run: Mapping[str, Any]) -> Path:
    body = {"format": FORMAT, "run": plain(run), "teams": {k: plain(v) for k, v in sorted(teams.items())}}
    return write_text_atomic(Path(outdir) / STATE_FILE,
                             json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def manifest_sha256(outdir: Path) -> str | None:
    return _sha256(Path(outdir) / "manifest.json")
