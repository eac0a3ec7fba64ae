"""What `rota plan` shows while it works (on stderr; the summary goes to stdout).

- a terminal: a line at once when loading starts, one after loading and model building (with
  counts), then a rich.progress display that fits 80 columns and redraws four times a second
  from its own clock and thread: stage, a bar and the time used of --time-limit, the best
  breach cost so far and the proven bound;
- not a terminal (a pipe, a log file, CI): plain lines, one per phase and at most one every
  few seconds while solving;
- quiet: nothing.

Everything printed is plain text: identifiers from the inputs can never be read as rich markup
or terminal control sequences (textsafe.terminal_safe, rich Text objects, markup off).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import Progress, ProgressColumn, SpinnerColumn, Task
from rich.progress_bar import ProgressBar
from rich.text import Text

from ..progress import ProgressEvent
from ..textsafe import terminal_safe

WIDTH = 80
STAGE_NAMES = {"breaches": "fewest breaches", "days late, cover, travel": "late, cover, travel"}
PHASE_NAMES = {"loading": "loading", "building": "building model", "solving": "solving",
               "diagnosing": "explaining breaches", "verifying": "verifying", "writing": "writing files",
               "done": "done"}
PLAIN_EVERY = 5.0  # seconds between two plain progress lines while solving


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


class _State:
    def __init__(self, time_limit: float, clock: Callable[[], float] | None = None) -> None:
        self.clock: Callable[[], float] = clock or time.monotonic
        self.t0 = self.clock()
        self.time_limit = time_limit
        self.phase = "loading"
        self.stage = ""
        self.best: float | None = None
        self.bound: float | None = None
        self.missed: int | None = None

    def elapsed(self) -> float:
        return self.clock() - self.t0

    def label(self) -> str:
        if self.phase == "solving" and self.stage:
            return STAGE_NAMES.get(self.stage, self.stage)
        return PHASE_NAMES.get(self.phase, self.phase)

    def figures(self, with_missed: bool = True) -> str:
        if self.best is None:
            return "searching for a first plan" if self.phase == "solving" else ""
        text = f"best {_number(self.best)} bound {_number(self.bound)}"
        return text + (f" missed {self.missed}" if self.missed is not None and with_missed else "")


class _Column(ProgressColumn):
    """One part of the line, computed from the display's own state and clock at every refresh."""

    def __init__(self, state: _State, part: str) -> None:
        super().__init__()
        self.state, self.part = state, part

    def render(self, task: Task) -> Text | ProgressBar:
        s = self.state
        if self.part == "stage":
            return Text(terminal_safe(s.label())[:20].ljust(20), no_wrap=True, overflow="ellipsis")
        if self.part == "bar":
            return ProgressBar(total=max(s.time_limit, 1.0), completed=min(s.elapsed(), s.time_limit), width=10)
        if self.part == "time":
            return Text(f"{s.elapsed():.0f}/{s.time_limit:.0f}s".rjust(7), no_wrap=True)
        text = s.figures()
        if len(text) > 37:  # the missed count goes first when the numbers grow
            text = s.figures(with_missed=False)
        return Text(terminal_safe(text)[:37], no_wrap=True, overflow="ellipsis", style="bold")


class PlanDisplay:
    """A ProgressFn for plan(): `with PlanDisplay(console, time_limit) as show: run(progress=show)`.

    mode: "rich" (a terminal), "plain" (anything else) or "quiet"; by default from the console.
    """

    def __init__(self, console: Console | None = None, time_limit: float = 60.0, mode: str | None = None,
                 clock: Callable[[], float] | None = None) -> None:
        self.console = console or Console(stderr=True, highlight=False)
        if mode is None:
            mode = "rich" if self.console.is_terminal and not self.console.is_dumb_terminal else "plain"
        self.mode = mode
        self.state = _State(time_limit, clock)
        self._progress: Progress | None = None
        self._last_plain = -PLAIN_EVERY

    # --- context manager ---
    def __enter__(self) -> PlanDisplay:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.refresh()
            self._progress.stop()
            self._progress = None

    # --- output ---
    def _line(self, text: str) -> None:
        self.console.print(Text(terminal_safe(text)), markup=False, highlight=False, soft_wrap=False,
                           overflow="ellipsis", no_wrap=True)

    def _start_live(self) -> None:
        s = self.state
        self._progress = Progress(
            SpinnerColumn(), _Column(s, "stage"), _Column(s, "bar"), _Column(s, "time"), _Column(s, "figures"),
            console=self.console, refresh_per_second=4, transient=False, expand=False)
        self._progress.add_task("plan", total=None)
        self._progress.start()

    def __call__(self, event: ProgressEvent) -> None:
        if self.mode == "quiet":
            return
        s = self.state
        new_phase = event.phase != s.phase
        s.phase = event.phase
        if event.phase == "solving" and event.stage and event.stage != s.stage:
            s.stage, s.best, s.bound, s.missed = event.stage, None, None, None
            new_phase = True
        if event.objective is not None:
            s.best, s.bound, s.missed = event.objective, event.bound, event.missed
        if self.mode == "rich":
            self._rich(event, new_phase)
        else:
            self._plain(event, new_phase)

    def _rich(self, event: ProgressEvent, new_phase: bool) -> None:
        if self._progress is None:
            if event.phase in ("loading", "building") or (event.phase == "solving" and event.detail):
                self._line(f"{PHASE_NAMES.get(event.phase, event.phase)}: {event.detail}" if event.detail
                           else f"{PHASE_NAMES.get(event.phase, event.phase)}...")
            if event.phase in ("solving", "diagnosing", "verifying", "writing"):
                self._start_live()
        elif event.phase == "done":
            self.stop()
        # the live line redraws itself from the state; nothing else to do

    def _plain(self, event: ProgressEvent, new_phase: bool) -> None:
        s = self.state
        now = s.elapsed()
        stamp = f"[{now:6.1f}s]"
        if event.objective is None:
            if event.detail or new_phase:
                label = s.label() if event.phase == "solving" else PHASE_NAMES.get(event.phase, event.phase)
                self._line(f"{stamp} {label}" + (f": {event.detail}" if event.detail else ""))
            return
        if now - self._last_plain >= PLAIN_EVERY:
            self._last_plain = now
            self._line(f"{stamp} {s.label()}: {s.figures()}")


def plain_console(file: TextIO) -> Console:
    """A console that writes plain lines to file (tests, logs)."""
    return Console(file=file, width=WIDTH, highlight=False, color_system=None, force_terminal=False)
