"""The output folder always holds one complete, consistent set: written aside, manifest last,
swapped in; a failure or a kill at any moment leaves the old set or the new one; files the
plan did not write are never touched; temporary folders of killed runs are cleaned up."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scheduler.outputs import outset
from scheduler.writing import write_plan
from tests.outputs.conftest import make_result, make_team

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2025, 3, 20, 8, 0, tzinfo=UTC)


def version2():
    """A later plan: W3 has left the team (so calendars/W3.ics and workers/W3.html go) and
    W2's Saturday cover visit moved to W1."""
    team = make_team()
    team = dataclasses.replace(team, workers=team.workers[:2])
    result = make_result()
    result.activities[5] = dataclasses.replace(result.activities[5], worker_id="W1", cover=False)
    return result, team


def write_v1(out: Path) -> dict:
    write_plan(make_result(), make_team(), out, {}, NOW, meta={"run": 1})
    return json.loads((out / "manifest.json").read_text())


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_consistent(out: Path, user: tuple[str, ...] = ("calendars/holidays.ics",)) -> dict:
    """Every file the manifest lists is there with its hash, and no other set file is (the
    user's own files aside)."""
    manifest = json.loads((out / "manifest.json").read_text())
    for rel, digest in manifest["files"].items():
        assert _sha(out / rel) == digest, rel
    set_files = {p.relative_to(out).as_posix() for p in out.rglob("*")
                 if p.is_file() and outset._looks_like_set_file(p.relative_to(out))} - set(user)
    assert set_files == set(manifest["files"]) | {"manifest.json"}
    return manifest


def temp_folders(out: Path) -> list[Path]:
    return [p for p in out.parent.iterdir() if outset.TMP_MARK in p.name]


def test_first_write_and_manifest(tmp_path):
    out = tmp_path / "outputs"
    paths = write_plan(make_result(), make_team(), out, {}, NOW, meta={"team_folder": "/x", "seed": 0})
    manifest = assert_consistent(out)
    assert manifest["team_folder"] == "/x" and manifest["seed"] == 0
    assert manifest["status"] == "OPTIMAL" and manifest["verified"] is True
    assert sorted(manifest["files"]) == [
        "breaches.csv", "calendars/W1.ics", "calendars/W2.ics", "calendars/W3.ics", "map.html", "rota.csv",
        "rota.html", "rota.xlsx", "workers/W1.html", "workers/W2.html", "workers/W3.html"]
    assert sorted(p.relative_to(out).as_posix() for p in paths) == sorted([*manifest["files"], "manifest.json"])
    assert temp_folders(out) == []


@pytest.mark.parametrize(("umask", "folder", "file"), [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)],
                         ids=["umask-022", "umask-027"])
def test_a_new_output_folder_has_the_mode_the_umask_gives(tmp_path, umask, folder, file):
    # --out a folder that does not exist yet: it was the temporary folder renamed, left 0700 by
    # tempfile.mkdtemp, so teammates on a shared drive could not open it
    out = tmp_path / "shared" / "outputs"
    old = os.umask(umask)
    try:
        write_plan(make_result(), make_team(), out, {}, NOW, meta={})
    finally:
        os.umask(old)
    assert oct(out.stat().st_mode & 0o777) == oct(folder)
    assert oct((out / "calendars").stat().st_mode & 0o777) == oct(folder)
    assert oct((out / "rota.html").stat().st_mode & 0o777) == oct(file)
    assert oct((out / "calendars" / "W1.ics").stat().st_mode & 0o777) == oct(file)


def _user_files(out: Path) -> dict[str, bytes]:
    files = {"notes.txt": b"my notes", "signoffs.sqlite": b"sqlite bytes", "mine/plan.docx": b"docx",
             "calendars/holidays.ics": b"BEGIN:VCALENDAR"}
    for rel, data in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    return files


@pytest.mark.parametrize("exchange", [True, False], ids=["atomic-exchange", "file-by-file"])
def test_replan_swaps_the_set_and_keeps_other_files(tmp_path, monkeypatch, exchange):
    out = tmp_path / "outputs"
    write_v1(out)
    user = _user_files(out)
    inode = (out / "signoffs.sqlite").stat().st_ino
    calls = []
    real = outset._exchange

    def spy(a, b):
        calls.append((a, b))
        if not exchange:
            raise OSError(38, "not here")
        return real(a, b)

    monkeypatch.setattr(outset, "_exchange", spy)
    result, team = version2()
    write_plan(result, team, out, {}, NOW, meta={"run": 2})
    manifest = assert_consistent(out)
    assert manifest["run"] == 2 and calls
    assert not (out / "calendars" / "W3.ics").exists() and not (out / "workers" / "W3.html").exists()
    for rel, data in user.items():
        assert (out / rel).read_bytes() == data, rel
    assert (out / "signoffs.sqlite").stat().st_ino == inode  # the same file, not a copy
    assert temp_folders(out) == []


def test_working_inside_the_folder_swaps_file_by_file(tmp_path, monkeypatch):
    """`rota plan ... --out .`: the folder itself is never exchanged under the shell's feet."""
    out = tmp_path / "outputs"
    write_v1(out)
    monkeypatch.chdir(out)
    calls = []
    monkeypatch.setattr(outset, "_exchange", lambda a, b: calls.append(a))
    write_plan(*version2(), Path("."), {}, NOW, meta={"run": 2})
    assert calls == [] and assert_consistent(out)["run"] == 2
    assert Path.cwd() == out and Path("rota.csv").exists()


def test_failure_between_files_leaves_the_old_set(tmp_path, monkeypatch):
    out = tmp_path / "outputs"
    before = write_v1(out)
    user = _user_files(out)
    import scheduler.outputs.ics as ics

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ics, "write_calendars", broken)  # after rota.csv, rota.html, rota.xlsx
    result, team = version2()
    with pytest.raises(OSError):
        write_plan(result, team, out, {}, NOW, meta={"run": 2})
    assert assert_consistent(out) == before
    assert all((out / rel).read_bytes() == data for rel, data in user.items())
    assert temp_folders(out) == []


def test_stale_temp_folders_cleaned_but_never_user_files(tmp_path):
    out = tmp_path / "outputs"
    write_v1(out)
    (out / "notes.txt").write_text("mine")
    # a killed run's staging folder (pid 999999 is not running) and a killed run's old set that
    # still holds a file someone saved into the folder while it was outputs/
    stale = tmp_path / ".outputs.rota-tmp-999999-abc"
    (stale / "calendars").mkdir(parents=True)
    (stale / "rota.csv").write_text("half")
    (stale / "calendars" / "W1.ics").write_text("half")
    os.link(out / "notes.txt", stale / "notes.txt")
    (stale / "late-note.txt").write_text("saved while swapping")
    live = tmp_path / f".outputs.rota-tmp-{os.getpid()}-xyz"  # a run in progress: left alone
    live.mkdir()
    write_plan(make_result(), make_team(), out, {}, NOW)
    assert not stale.exists() and live.exists()
    assert (out / "late-note.txt").read_text() == "saved while swapping"
    assert (out / "notes.txt").read_text() == "mine"
    live.rmdir()


KILLER = textwrap.dedent("""
    import os, sys, time
    from datetime import UTC, datetime
    sys.path.insert(0, {root!r})
    from scheduler.outputs import outset
    from tests.outputs.test_outset import version2
    from scheduler.writing import write_plan

    steps, kill_at = 0, int(os.environ.get("KILL_AT", "0"))
    def step(name):
        global steps
        steps += 1
        print(steps, name, flush=True)
        if steps == kill_at:
            time.sleep(60)  # the test kills the process here

    real_fsync, real_exchange, real_dispose = os.fsync, outset._exchange, outset._dispose
    os.fsync = lambda fd: (real_fsync(fd), step("fsync"))[0]
    def exchange(a, b):
        step("before exchange"); real_exchange(a, b); step("after exchange")
    outset._exchange = exchange
    def dispose(folder, out):
        step("before dispose"); return real_dispose(folder, out)
    outset._dispose = dispose
    result, team = version2()
    write_plan(result, team, {out!r}, {{}}, datetime(2025, 3, 20, 8, 0, tzinfo=UTC), meta={{"run": 2}})
    step("done")
""")


def _run_killer(out: Path, kill_at: int | None) -> list[str]:
    script = KILLER.format(root=str(ROOT), out=str(out))
    env = {**os.environ, "KILL_AT": str(kill_at or 0)}
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line.strip())
        if kill_at is not None and len(lines) == kill_at:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    return lines


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_at_any_point_leaves_old_or_new_set(tmp_path):
    reference = tmp_path / "reference" / "outputs"
    write_v1(reference)
    steps = _run_killer(reference, None)  # a whole run: how many steps, and the new set's manifest
    new = json.loads((reference / "manifest.json").read_text())
    exchange_at = next(i for i, s in enumerate(steps, start=1) if s.endswith("after exchange"))
    points = sorted({1, len(steps) // 3, exchange_at - 2, exchange_at - 1, exchange_at, exchange_at + 1,
                     len(steps) - 1})
    for k in points:
        out = tmp_path / f"killed-at-{k}" / "outputs"
        old = write_v1(out)
        (out / "notes.txt").write_text("mine")
        _run_killer(out, k)
        manifest = assert_consistent(out)
        assert manifest["files"] in (old["files"], new["files"]), f"killed at step {k}: {steps[k - 1]}"
        assert (out / "notes.txt").read_text() == "mine"
        assert not [p for p in out.rglob("*") if outset.TMP_MARK in p.name or p.name.endswith(".tmp")]
        # the next run cleans up what the killed one left beside the folder
        write_plan(*version2(), out, {}, NOW, meta={"run": 3})
        assert temp_folders(out) == [] and assert_consistent(out)["files"] == new["files"]
