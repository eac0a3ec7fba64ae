"""What `rota plan` shows while it works: a rich display in a terminal that fits 80 columns and
redraws at least once a second by itself; plain lines elsewhere; never markup or control
sequences from the inputs."""
from __future__ import annotations

import io
import re
import time

from rich.console import Console

from scheduler.outputs.terminal import PlanDisplay, plain_console
from scheduler.progress import ProgressEvent

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _terminal(width: int = 80) -> tuple[Console, io.StringIO]:
    buf = io.StringIO()
    return Console(file=buf, force_terminal=True, width=width, color_system=None), buf


def _screen_lines(raw: str) -> list[str]:
    """What ends up on screen, line by line (cursor movements and redraws flattened)."""
    text = ANSI.sub("", raw)
    return [segment.split("\r")[-1] for segment in text.split("\n")]


def _solving(display: PlanDisplay) -> None:
    display(ProgressEvent("loading", 0.0, detail="reading demo"))
    display(ProgressEvent("loading", 0.4, detail="135 children, 8 workers, 1512 past visits"))
    display(ProgressEvent("building", 0.6, detail="135 children, 8 workers, 20 working days"))
    display(ProgressEvent("solving", 1.9, detail="23,735 variables, 40,054 constraints"))
    display(ProgressEvent("solving", 1.9, "breaches"))
    display(ProgressEvent("solving", 2.5, "breaches", 1240.0, 1180.0, 31))


def test_rich_display_fits_80_columns_and_shows_stage_best_bound():
    console, buf = _terminal(80)
    with PlanDisplay(console, time_limit=60, mode="rich") as display:
        _solving(display)
        time.sleep(0.3)
    lines = [line for line in _screen_lines(buf.getvalue()) if line.strip()]
    assert lines[0] == "loading: reading demo"  # at once, before anything heavy
    assert "building model: 135 children" in "\n".join(lines)
    assert all(len(line) <= 80 for line in lines), [len(line) for line in lines]
    last = lines[-1]
    assert "fewest breaches" in last and "best 1,240 bound 1,180 missed 31" in last
    assert re.search(r"\d+/60s", last)


def test_display_fits_a_narrow_terminal_too():
    console, buf = _terminal(60)
    with PlanDisplay(console, time_limit=600, mode="rich") as display:
        _solving(display)
        display(ProgressEvent("solving", 3.0, "days late, cover, travel", 2_175_565.0, 2_525.0, 28))
        time.sleep(0.3)
    assert all(len(line) <= 60 for line in _screen_lines(buf.getvalue()))


def test_largest_figures_fit_80_columns():
    console, buf = _terminal(80)
    with PlanDisplay(console, time_limit=600, mode="rich") as display:
        _solving(display)
        display(ProgressEvent("solving", 3.0, "days late, cover, travel", 12_175_565.0, 82_375.0, 128))
        time.sleep(0.3)
    last = [line for line in _screen_lines(buf.getvalue()) if line.strip()][-1]
    assert len(last) <= 80 and "late, cover, travel" in last and "best 12,175,565 bound 82,375" in last


def test_redraws_every_second_without_events():
    """The solver can go quiet for many seconds; the display's own thread keeps the clock moving."""
    console, buf = _terminal(80)
    with PlanDisplay(console, time_limit=60, mode="rich") as display:
        _solving(display)
        time.sleep(2.6)  # no events at all
    seconds = {int(s) for s in re.findall(r"(\d+)/60s", ANSI.sub("", buf.getvalue()))}
    assert len(seconds) >= 3, seconds  # 0, 1, 2 (at least one redraw per second)


def test_plain_lines_when_not_a_terminal():
    buf = io.StringIO()
    with PlanDisplay(plain_console(buf), time_limit=60) as display:
        assert display.mode == "plain"
        _solving(display)
        display(ProgressEvent("solving", 2.6, "breaches", 1200.0, 1180.0, 30))  # within 5 s: not printed
        display(ProgressEvent("diagnosing", 9.0, detail="28 breaches"))
    out = buf.getvalue()
    assert "\r" not in out and "\x1b" not in out
    lines = out.splitlines()
    assert [line.split("] ", 1)[1] for line in lines] == [
        "loading: reading demo", "loading: 135 children, 8 workers, 1512 past visits",
        "building model: 135 children, 8 workers, 20 working days",
        "solving: 23,735 variables, 40,054 constraints", "fewest breaches",
        "fewest breaches: best 1,240 bound 1,180 missed 31", "explaining breaches: 28 breaches"]


def test_quiet_prints_nothing():
    console, buf = _terminal(80)
    with PlanDisplay(console, time_limit=60, mode="quiet") as display:
        _solving(display)
    assert buf.getvalue() == ""


def test_markup_and_control_sequences_are_shown_as_text():
    for mode in ("rich", "plain"):
        console, buf = _terminal(80)
        with PlanDisplay(console, time_limit=60, mode=mode) as display:
            display(ProgressEvent("loading", 0.0, detail="[link=http://evil.test]C001[/link] \x1b[31mred"))
        out = buf.getvalue()
        assert "[link=http://evil.test]C001[/link]" in out, mode
        assert "\x1b[31m" not in out and "\x1b]8;" not in out, mode
