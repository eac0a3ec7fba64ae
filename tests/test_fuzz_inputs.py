"""Fuzz: mutated copies of inputs/demo through `rota check`, then `rota due` and a one-week
`rota plan` on some of the mutants check accepts (issue 9 part 4).

Seeded (the same mutants every run) and bounded to about a minute. For every mutant:
`rota check` exits 0 or 2 and never raises; every error line is `file:row: column: message` or
a file-level `file: message`; no name, address or postcode of a child in the original
children.csv appears in any message. On accepted mutants `rota due` exits 0 and `rota plan`
exits 0, 2 or 3 (3: the verifier found something the breach register does not explain - a
planner bug, reported by the test's output rather than hidden).
"""
from __future__ import annotations

import csv
import io
import random
import re
import shutil
import warnings
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result

from scheduler.cli import main

DEMO = Path(__file__).resolve().parents[1] / "inputs" / "demo"
ON = "2026-11-23"
SEED = 20261123
MUTANTS = 240
DUE_RUNS = 6
PLAN_RUNS = 3

FILES = ("workers.csv", "children.csv", "visits.csv", "meetings.csv", "absences.csv")
HOSTILE_IDS = (
    '=HYPERLINK("http://x","y")', "+SUM(1)", "-1", "@cmd", "C[/]1", "[link=http://evil.test]C001[/link]",
    "[bold]W[/bold]", "W\x00X", "W\nX", "W\x0bX", "W\rX", "\x1b[31mRED", "A" * 260, "B" * 64, "CON", "nul",
    "W 02", "W_02", "W/02", "w02", "../../etc", "C\u202eX", "x" * 65, "Zoë-1", "C\tX",
)
DATES = ("9999-12-31", "0001-01-01", "1900-01-01", "31/12/9999", "2100-12-31", "1899-12-31",
         "٢٠٢٦-١١-٠١", "２０２６-１１-０１", "2026-02-29", "2024-02-29", "00/00/0000", "2026-11-23")
OTHER = ("", " ", "yes", "no", "n/a", "none", "0", "1", "false", "@SUM(1)", "=1+1", "nan", "inf", "1e9",
         "-1.5", "99999999999999999999", "Mon-Sun", "Sun-Mon", "00:00", "23:59", "24:00", "cic", "cp",
         "foster", "held", "booked", '"', "a,b", "\x00", "\ufeff", "é", "１")
HEADER_VARIANTS = (str.upper, str.title, lambda h: h.replace("_", " "), lambda h: h.replace("_", "-"),
                   lambda h: h[:-1], lambda h: h + "x", lambda h: " " + h + " ")


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="surrogateescape")  # raw_bytes may leave invalid UTF-8


def _read(folder: Path, name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(_text(folder / name), newline="")))


def _write(folder: Path, name: str, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (folder / name).write_text(out.getvalue(), encoding="utf-8", errors="surrogateescape")


# ---------------------------------------------------------------- mutations (each changes one thing)

def set_cell(rng: random.Random, folder: Path) -> str:
    name = rng.choice(FILES)
    rows = _read(folder, name)
    if len(rows) < 2:
        return f"{name} has no data rows, not changed"
    r = rng.randrange(1, len(rows))
    if not rows[r] or not rows[0]:
        return f"{name}:{r + 1} blank, not changed"
    c = rng.randrange(len(rows[r]))
    value = rng.choice(HOSTILE_IDS + DATES + OTHER + tuple(rows[rng.randrange(1, len(rows))]))
    rows[r][c] = value
    _write(folder, name, rows)
    return f"{name}:{r + 1} cell {c} = {value!r}"


def rename_everywhere(folder: Path, kind: str, old: str, new: str) -> None:
    columns = {kind, "allocated_worker_id"} if kind == "worker_id" else {kind}
    for name in FILES:
        table = _read(folder, name)
        for row in table[1:]:
            for i, h in enumerate(table[0]):
                if h in columns and row[i:i + 1] == [old]:
                    row[i] = new
        _write(folder, name, table)


def rename_id(rng: random.Random, folder: Path) -> str:
    """One worker, child or household id replaced everywhere: check may accept it."""
    kind = rng.choice(("worker_id", "child_id", "household_id"))
    rows = _read(folder, "workers.csv" if kind == "worker_id" else "children.csv")
    if kind not in rows[0]:
        return f"{kind} not renamed (its header was changed)"
    col = rows[0].index(kind)
    ids = [r[col] for r in rows[1:] if col < len(r) and r[col]]
    if not ids:
        return f"{kind} not renamed (no ids left)"
    old = rng.choice(ids)
    new = rng.choice(HOSTILE_IDS)
    rename_everywhere(folder, kind, old, new)
    return f"{kind} {old} -> {new!r} everywhere"


def truncate_row(rng: random.Random, folder: Path) -> str:
    name = rng.choice(FILES)
    lines = _text(folder / name).splitlines(keepends=True)
    if len(lines) < 2:
        return f"{name} has no data rows, not cut"
    i = rng.randrange(1, len(lines))
    cut = rng.randrange(len(lines[i]))
    lines[i] = lines[i][:cut] + ("\n" if rng.random() < 0.7 else "")
    (folder / name).write_text("".join(lines[: i + 1] if rng.random() < 0.5 else lines), encoding="utf-8",
                                errors="surrogateescape")
    return f"{name}:{i + 1} cut at {cut}"


def shift_row(rng: random.Random, folder: Path) -> str:
    name = rng.choice(FILES)
    rows = _read(folder, name)
    if len(rows) < 2:
        return f"{name} has no data rows, not shifted"
    r = rng.randrange(1, len(rows))
    if not rows[r]:
        return f"{name}:{r + 1} blank, not shifted"
    c = rng.randrange(len(rows[r]))
    if rng.random() < 0.5:
        del rows[r][c]
    else:
        rows[r].insert(c, rng.choice(OTHER))
    _write(folder, name, rows)
    return f"{name}:{r + 1} shifted at cell {c}"


def header(rng: random.Random, folder: Path) -> str:
    name = rng.choice(FILES)
    rows = _read(folder, name)
    if not rows or not rows[0]:
        return f"{name} has no header, not changed"
    c = rng.randrange(len(rows[0]))
    how = rng.randrange(4)
    if how == 0:  # a variant spelling of the same column
        rows[0][c] = rng.choice(HEADER_VARIANTS)(rows[0][c])
    elif how == 1:  # a duplicated column (a blank or a copy)
        variant = rng.choice(HEADER_VARIANTS)(rows[0][c])
        rows[0].append(variant)
        copy = rng.random() < 0.5
        for row in rows[1:]:
            row.append(row[c] if copy and c < len(row) else "")
    elif how == 2:  # two column names swapped
        d = rng.randrange(len(rows[0]))
        rows[0][c], rows[0][d] = rows[0][d], rows[0][c]
    else:  # the header row lost
        rows = rows[1:]
    _write(folder, name, rows)
    return f"{name} header change {how} at {c}"


def raw_bytes(rng: random.Random, folder: Path) -> str:
    name = rng.choice(FILES)
    data = bytearray((folder / name).read_bytes())
    i = rng.randrange(len(data) + 1)
    junk = rng.choice((b'"', b"\x00", b"\x0b", b"\r", b"\xff", b"\xe9", b",", b"\n", b'""'))
    data[i:i] = junk
    (folder / name).write_bytes(bytes(data))
    return f"{name} byte {junk!r} at {i}"


MUTATIONS: tuple[Callable[[random.Random, Path], str], ...] = (
    set_cell, set_cell, set_cell, rename_id, rename_id, truncate_row, shift_row, header, raw_bytes)


def make_mutant(rng: random.Random, folder: Path) -> list[str]:
    shutil.copytree(DEMO, folder)
    return [rng.choice(MUTATIONS)(rng, folder) for _ in range(rng.choice((1, 1, 1, 2, 3)))]


# ---------------------------------------------------------------- what every message must be

LINE = re.compile(r"(?:workers|children|visits|meetings|absences)\.(?:csv|xlsx)(?::[0-9]+: [^:\n]+: .+|: .+)")


def personal_details() -> set[str]:
    rows = list(csv.DictReader(io.StringIO(_text(DEMO / "children.csv"))))
    return {r[c] for r in rows for c in ("name", "address", "postcode") if r[c]}


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=True)


def assert_no_traceback(result: Result, what: str) -> None:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{what}: {type(result.exception).__name__}: {result.exception}") \
            from result.exception


def check_messages(result: Result, personal: set[str], what: str) -> None:
    lines = result.output.splitlines()
    for line in lines:
        if result.exit_code == 2 and not line.startswith("warning: ") and "problem(s) found" not in line:
            assert LINE.fullmatch(line), f"{what}: not a file:row: column: message line: {line!r}"
        if line.startswith("warning: "):
            assert LINE.fullmatch(line.removeprefix("warning: ")), f"{what}: bad warning line {line!r}"
    leaked = [p for p in personal if p in result.output]
    assert not leaked, f"{what}: personal details in messages: {leaked}"


# ids that are hostile to some reader but valid: check accepts them, so due, plan and every
# writer must cope (markup, links, a reserved file name, non-ASCII letters, spaces)
VALID_HOSTILE = (("child_id", "C001", "C[/]1"), ("child_id", "C002", "[link=http://evil.test]C002[/link]"),
                 ("worker_id", "W03", "CON"), ("worker_id", "W02", "[bold]W 02"), ("household_id", "H002", "nul"),
                 ("worker_id", "W05", "Zoë-5"), ("child_id", "C010", "C" * 64))


def hostile_team(folder: Path) -> str:
    shutil.copytree(DEMO, folder)
    for kind, old, new in VALID_HOSTILE:
        rename_everywhere(folder, kind, old, new)
    return "ids renamed everywhere: " + ", ".join(repr(new) for _, _, new in VALID_HOSTILE)


def test_fuzzed_team_folders(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    personal = personal_details()
    accepted: list[tuple[Path, str]] = []
    for n in range(MUTANTS + 1):
        folder = tmp_path / f"m{n:03d}"
        what = hostile_team(folder) if n == 0 else f"mutant {n} ({'; '.join(make_mutant(rng, folder))})"
        result = run("check", str(folder), "--on", ON)
        assert_no_traceback(result, what)
        assert result.exit_code in (0, 2), f"{what}: exit {result.exit_code}\n{result.output}"
        check_messages(result, personal, what)
        if result.exit_code == 0:
            accepted.append((folder, what))
        else:
            assert n > 0, f"{what}: refused\n{result.output}"
    assert len(accepted) >= DUE_RUNS, "the mutations should leave some folders valid"
    # the hostile-id team first, then accepted mutants with ids changed everywhere (they reach every writer)
    chosen = accepted[:1] + sorted(accepted[1:], key=lambda a: ("everywhere" not in a[1], rng.random()))
    for folder, what in chosen[:DUE_RUNS]:
        result = run("due", str(folder), "--standard", "swindon", "--on", ON)
        assert_no_traceback(result, f"rota due on {what}")
        assert result.exit_code == 0, f"rota due on {what}: exit {result.exit_code}\n{result.output}"
    verifier_findings = []
    for folder, what in chosen[:PLAN_RUNS]:
        result = run("plan", str(folder), "--standard", "swindon", "--start", ON, "--weeks", "1",
                     "--time-limit", "5", "--quiet", "--out", str(folder / "out"))
        assert_no_traceback(result, f"rota plan on {what}")
        assert result.exit_code in (0, 2, 3), f"rota plan on {what}: exit {result.exit_code}\n{result.output}"
        if result.exit_code == 3:
            verifier_findings.append(what)
    if verifier_findings:  # a planner finding, not an input one: visible, without failing the input gate
        warnings.warn(f"rota plan exit 3 (verifier) on: {verifier_findings}", stacklevel=1)
