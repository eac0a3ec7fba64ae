"""What the planner reports while it works, for a terminal display or a log (no personal details).

`plan(..., progress=fn)` calls fn(ProgressEvent) as each phase starts and whenever the solver
finds a better solution; a display that wants to update every second keeps its own clock.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PHASES = ("loading", "building", "solving", "diagnosing", "verifying", "writing", "done")


@dataclass(frozen=True)
class ProgressEvent:
    phase: str  # one of PHASES
    elapsed: float = 0.0  # seconds since the plan started
    stage: str = ""  # solving: the lexicographic stage ("breaches", "days late, cover, travel")
    objective: float | None = None  # solving: the stage's best objective so far
    bound: float | None = None  # solving: the best proven bound of the stage
    missed: int | None = None  # solving: requirement windows missed by the best solution so far
    detail: str = ""  # counts, e.g. "135 children, 8 workers" or "23,735 variables"


ProgressFn = Callable[[ProgressEvent], None]
