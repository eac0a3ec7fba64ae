"""Progress for a whole authority run (on stderr): teams done / running / failed, elapsed time
and an estimate of the time left.

- a terminal: one rich line that redraws itself from its own clock, and a plain line above it as
  each team ends;
- anything else (a pipe, a log, CI): that plain line as each team ends, nothing in between;
- quiet: nothing.

The estimate: the mean wall time of the teams planned so far, times the teams still to plan
(those running count by the part of the mean they have still to go), over the teams planned at
once. Team ids come from folder names: printed as plain text, never as markup.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, SpinnerColumn, Task, TaskID
from rich.text import Text

from ..textsafe import terminal_safe


def duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, s = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{s:02d}s"
    hours, m = divmod(minutes, 60)
    return f"{hours}h{m:02d}m"


class RunState:
    def __init__(self, total: int, parallel: int, clock: Callable[[], float] | None = None) -> None:
        self.clock: Callable[[], float] = clock or time.monotonic
        self.t0 = self.clock()
        self.total, self.parallel = total, max(1, parallel)
        self.running: dict[str, float] = {}  # team -> when it started
        self.done = self.failed = self.skipped = 0
        self.durations: list[float] = []

    @property
    def finished(self) -> int:
        return self.done + self.failed + self.skipped

    def elapsed(self) -> float:
        return self.clock() - self.t0

    def estimate(self) -> float | None:
        """Seconds left, or None until a team has been planned."""
        if not self.durations:
            return None
        mean = sum(self.durations) / len(self.durations)
        now = self.clock()
        queued = self.total - self.finished - len(self.running)
        work = queued * mean + sum(max(mean - (now - t), 0.0) for t in self.running.values())
        return work / self.parallel

    def counts(self) -> str:
        text = f"{self.finished}/{self.total} done, {len(self.running)} running, {self.failed} failed"
        return text + (f", {self.skipped} unchanged" if self.skipped else "")

    def timing(self) -> str:
        left = self.estimate()
        tail = "" if self.finished >= self.total else (
            ", estimate after the first team" if left is None else f", about {duration(left)} left")
        return f"{duration(self.elapsed())} elapsed{tail}"

    def short(self) -> str:
        """The live line's text: fits 80 columns beside the spinner and the bar."""
        left = self.estimate()
        tail = "" if self.finished >= self.total else " ~?" if left is None else f" ~{duration(left)} left"
        return (f"{self.finished}/{self.total} done {len(self.running)} running {self.failed} failed "
                f"{duration(self.elapsed())}{tail}")


class _Column(ProgressColumn):
    def __init__(self, state: RunState, part: str) -> None:
        super().__init__()
        self.state, self.part = state, part

    def render(self, task: Task) -> Text:
        return Text(self.state.short(), no_wrap=True, overflow="ellipsis")


class AuthorityDisplay:
    """`with AuthorityDisplay(total, parallel) as show:` then show.skipped / started / finished."""

    def __init__(self, total: int, parallel: int, console: Console | None = None, mode: str | None = None,
                 clock: Callable[[], float] | None = None) -> None:
        self.console = console or Console(stderr=True, highlight=False)
        if mode is None:
            mode = "rich" if self.console.is_terminal and not self.console.is_dumb_terminal else "plain"
        self.mode = mode
        self.state = RunState(total, parallel, clock)
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> AuthorityDisplay:
        if self.mode == "rich":
            s = self.state
            self._progress = Progress(SpinnerColumn(), BarColumn(bar_width=12), _Column(s, "line"),
                                      console=self.console, refresh_per_second=2, transient=True, expand=False)
            self._task = self._progress.add_task("teams", total=s.total)
            self._progress.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.refresh()
            self._progress.stop()
            self._progress = None

    def _line(self, text: str) -> None:
        if self.mode == "quiet":
            return
        self.console.print(Text(terminal_safe(text)), markup=False, highlight=False, soft_wrap=True)

    def _advance(self) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=self.state.finished)

    def skipped(self, team: str) -> None:
        self.state.skipped += 1
        self._advance()
        if self.mode == "plain":
            self._line(f"[{duration(self.state.elapsed())}] {team}: unchanged since the last run, not planned again")

    def started(self, team: str) -> None:
        self.state.running[team] = self.state.clock()

    def finished(self, team: str, ok: bool, what: str, seconds: float | None = None) -> None:
        s = self.state
        started = s.running.pop(team, None)
        if ok:
            s.done += 1
        else:
            s.failed += 1
        if seconds is None and started is not None:
            seconds = s.clock() - started
        if seconds is not None:
            s.durations.append(seconds)
        self._advance()
        took = f" ({seconds:.1f} s)" if seconds is not None else ""
        self._line(f"[{duration(s.elapsed())}] {team}: {what}{took} - {s.counts()}; {s.timing()}")
