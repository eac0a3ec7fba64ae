"""Caseload points: the weights file (scheduler/caseload/weights.yaml, overridable) and the
arithmetic of a worker's points and capacity.

points(worker) = stable_points x fte + extra responsibilities + the case points of every child
allocated to the worker; capacity_points(worker) = (newly_qualified_points if newly qualified,
else full_time_points) x fte. Sources of the defaults: the comments in weights.yaml and
docs/caseload.md.
"""
from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..domain import Child, Worker

CASE_TYPES = ("cp", "s47", "court", "cic", "cic_settled", "cin", "private_fostering", "care_leaver",
              "early_help")


class WeightsError(Exception):
    """A weights file that cannot be used; the message is user-facing (file: key: problem)."""


class CasePoints(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cp: float = Field(ge=0)
    s47: float = Field(ge=0)
    court: float = Field(ge=0)
    cic: float = Field(ge=0)
    cic_settled: float = Field(ge=0)
    cin: float = Field(ge=0)
    private_fostering: float = Field(ge=0)
    care_leaver: float = Field(ge=0)
    early_help: float = Field(ge=0)


class Weights(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    full_time_points: float = Field(gt=0)
    newly_qualified_points: float = Field(gt=0)
    stable_points: float = Field(ge=0)
    case_points: CasePoints
    extra_responsibilities: dict[str, float] = Field(default_factory=dict)


def _default_text() -> str:
    return resources.files("scheduler.caseload").joinpath("weights.yaml").read_text(encoding="utf-8")


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`override` on top of `base`, one level of nesting deep (case_points may be partial)."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key != "extra_responsibilities":
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def load_weights(path: str | Path | None = None) -> Weights:
    """The shipped weights, with the keys of `path` (a YAML file) replacing theirs."""
    raw: dict[str, Any] = yaml.safe_load(_default_text())
    where = "scheduler/caseload/weights.yaml"
    if path is not None:
        where = str(path)
        p = Path(path)
        if not p.is_file():
            raise WeightsError(f"{where}: weights file not found; expected a YAML file such as "
                               "scheduler/caseload/weights.yaml")
        try:
            override = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise WeightsError(f"{where}: not readable YAML ({type(exc).__name__}); expected a YAML file "
                               "such as scheduler/caseload/weights.yaml") from None
        if not isinstance(override, dict):
            raise WeightsError(f"{where}: expected keys such as full_time_points and case_points, "
                               "as in scheduler/caseload/weights.yaml")
        raw = _merge(raw, override)
    try:
        return Weights.model_validate(raw)
    except ValidationError as exc:
        raise WeightsError("\n".join(
            f"{where}: {'.'.join(str(p) for p in err['loc'])}: {err['msg']}; expected the layout of "
            "scheduler/caseload/weights.yaml" for err in exc.errors())) from None


def case_type(child: Child) -> str:
    """The weighting category of a child (a key of case_points)."""
    if child.status == "cic":
        if child.placement_type == "parent_ico":
            return "court"  # placed with parents under an interim care order: proceedings under way
        return "cic_settled" if child.placement_long_term else "cic"
    return child.status


def child_points(child: Child, weights: Weights) -> float:
    return float(getattr(weights.case_points, case_type(child)))


def capacity_points(worker: Worker, weights: Weights) -> float:
    full = weights.newly_qualified_points if worker.newly_qualified else weights.full_time_points
    return round(full * worker.fte, 1)


def fixed_points(worker: Worker, weights: Weights) -> float:
    """Points a worker carries before any case: the stable element (pro-rated) and extras."""
    return weights.stable_points * worker.fte + weights.extra_responsibilities.get(worker.worker_id, 0.0)


def worker_points(worker: Worker, children: Iterable[Child], weights: Weights) -> float:
    return round(fixed_points(worker, weights) + sum(child_points(c, weights) for c in children), 1)
