"""A CP-SAT model's canonical form: variables by name and domain, constraints with variable
indices replaced by names, both sorted - equal for two models that hold the same variables and
constraints whatever order they were added in."""
from __future__ import annotations

import hashlib
import re

from ortools.sat.python import cp_model

_REF = re.compile(r"(vars|literals|enforcement_literal): (-?\d+)")


def canonical(model: cp_model.CpModel) -> tuple[list[str], list[str]]:
    proto = model.proto
    names = [v.name for v in proto.variables]
    assert len(set(names)) == len(names), "every variable needs a unique name"

    def ref(match: re.Match[str]) -> str:
        i = int(match.group(2))
        return f"{match.group(1)}: {names[i] if i >= 0 else 'not ' + names[-i - 1]}"

    variables = sorted(f"{v.name} {list(v.domain)}" for v in proto.variables)
    constraints = sorted(_REF.sub(ref, " ".join(str(c).split())) for c in proto.constraints)
    return variables, constraints


def fingerprint(model: cp_model.CpModel) -> str:
    variables, constraints = canonical(model)
    return hashlib.sha256("\n".join(variables + ["##"] + constraints).encode()).hexdigest()
