"""`rota plan --previous OUTDIR [--freeze-until DATE]` end to end on the small team of scenario.py:
changes.csv, the "what changed" sections, calendars carried forward, the manifest, and input
problems (exit 2)."""
from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from scheduler.cli import main
from scheduler.demo import write_team
from scheduler.replan import CHANGE_COLUMNS
from tests.replan.scenario import STANDARD_YAML, scenario_team

ARGS = ["--start", "2026-11-30", "--weeks", "2", "--time-limit", "10", "--work-limit", "2", "--quiet"]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _events(path: Path) -> dict[str, tuple[int, str, str]]:
    """UID -> (SEQUENCE, start, STATUS)."""
    cal = Calendar.from_ical(path.read_bytes())
    return {str(ev["uid"]): (int(ev["sequence"]), ev.decoded("dtstart").isoformat(), str(ev.get("status", "")))
            for ev in cal.walk("VEVENT")}


def _plan(runner: CliRunner, folder: Path, std: Path, out: Path, *extra: str):
    return runner.invoke(main, ["plan", str(folder), "--standard", str(std), *ARGS, "--out", str(out), *extra])


@pytest.fixture(scope="module")
def replanned(tmp_path_factory):
    """A plan, then W1 off sick for the two working days around its first activity after Monday,
    re-planned into the same folder (--previous = --out)."""
    base = tmp_path_factory.mktemp("replan")
    folder, std, out = base / "team", base / "test.yaml", base / "out"
    write_team(scenario_team(), folder)
    std.write_text(STANDARD_YAML, encoding="utf-8")
    runner = CliRunner()
    first = _plan(runner, folder, std, out)
    assert first.exit_code == 0, first.output
    before = _rows(out / "rota.csv")
    calendars = {p.name: _events(p) for p in (out / "calendars").glob("*.ics")}
    day = min(date.fromisoformat(r["date"]) for r in before
              if r["worker_id"] == "W1" and date.fromisoformat(r["date"]) > date(2026, 11, 30))
    sick = (day, day + timedelta(days=1 if day.weekday() < 4 else 3))  # two working days
    with (folder / "absences.csv").open("a", encoding="utf-8") as f:
        f.write(f"W1,{sick[0]},{sick[1]},sickness\n")
    again = _plan(runner, folder, std, out, "--previous", str(out))
    return again, out, before, calendars, sick


def test_the_re_plan_writes_changes_csv_with_the_contract_columns(replanned):
    res, out, *_ = replanned
    assert res.exit_code == 0, res.output
    with (out / "changes.csv").open(encoding="utf-8") as f:
        assert f.readline().strip() == ",".join(CHANGE_COLUMNS)
    rows = _rows(out / "changes.csv")
    assert rows and all(r["change"] in ("added", "removed", "moved", "reassigned", "retimed") for r in rows)


def test_only_the_absent_worker_and_their_cover_change(replanned):
    res, out, before, _, sick = replanned
    rows = _rows(out / "changes.csv")
    covers = {r["worker_id"] for r in rows if r["previous_worker_id"] == "W1"} - {"W1"}
    for r in rows:
        assert {r["worker_id"], r["previous_worker_id"]} - {""} <= {"W1"} | covers, r
    lost = [r for r in before if r["worker_id"] == "W1" and sick[0] <= date.fromisoformat(r["date"]) <= sick[1]]
    assert lost
    span = f"{sick[0]:%a %d %b}-{sick[1]:%a %d %b}"
    for r in lost:
        (row,) = [c for c in rows if c["previous_date"] == r["date"] and c["previous_worker_id"] == "W1"
                  and c["child_ids"].split()[0] in r["child_ids"].split()]
        assert row["reason"] == f"W1 away (sickness) {span}"
    assert "what changed since the previous plan" in res.output
    assert "changes.csv" in res.output


def test_calendars_keep_uids_and_raise_sequence_only_for_changed_events(replanned):
    _, out, _, calendars, _ = replanned
    rows = _rows(out / "changes.csv")
    touched = {r["worker_id"] for r in rows} | {r["previous_worker_id"] for r in rows} - {""}
    for name, old in calendars.items():
        new = _events(out / "calendars" / name)
        if name.removesuffix(".ics") not in touched:
            assert new == old, name  # untouched worker: same events, same UIDs, same SEQUENCE
            continue
        for uid, (seq, start, status) in new.items():
            if uid in old:
                assert seq in (old[uid][0], old[uid][0] + 1)
                assert (seq == old[uid][0]) == (start == old[uid][1] and status != "CANCELLED")
    # what W1 lost to a colleague or nobody is sent to W1 as cancelled, under its old UID
    w1_old, w1_new = calendars["W1.ics"], _events(out / "calendars" / "W1.ics")
    gone = [r for r in rows if r["previous_worker_id"] == "W1" and r["change"] in ("reassigned", "removed")]
    cancelled = [uid for uid, (_, _, status) in w1_new.items() if status == "CANCELLED"]
    assert len(cancelled) == len(gone) and all(uid in w1_old for uid in cancelled)


def test_the_manifest_lists_changes_csv_and_the_previous_plan(replanned):
    _, out, *_ = replanned
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "changes.csv" in manifest["files"]
    assert manifest["previous"]["folder"] == str(out.resolve())
    assert manifest["previous"]["changes"] == len(_rows(out / "changes.csv"))


def test_rota_html_has_a_what_changed_section_per_worker(replanned):
    _, out, *_ = replanned
    page = (out / "rota.html").read_text(encoding="utf-8")
    assert 'id="changes"' in page and '<section class="worker-changes" data-worker="W1">' in page


def test_re_planning_unchanged_inputs_changes_nothing_and_writes_the_same_calendars(tmp_path):
    folder, std, out = tmp_path / "team", tmp_path / "test.yaml", tmp_path / "out"
    write_team(scenario_team(), folder)
    std.write_text(STANDARD_YAML, encoding="utf-8")
    runner = CliRunner()
    assert _plan(runner, folder, std, out).exit_code == 0
    before = {p.name: p.read_bytes() for p in (out / "calendars").glob("*.ics")}
    rota = (out / "rota.csv").read_text(encoding="utf-8")
    res = _plan(runner, folder, std, tmp_path / "again", "--previous", str(out), "--freeze-until", "2026-12-04")
    assert res.exit_code == 0, res.output
    assert _rows(tmp_path / "again" / "changes.csv") == []
    assert (tmp_path / "again" / "rota.csv").read_text(encoding="utf-8") == rota
    assert {p.name: p.read_bytes() for p in (tmp_path / "again" / "calendars").glob("*.ics")} == before
    assert "nothing" in res.output


def test_freeze_until_needs_previous(tmp_path):
    res = CliRunner().invoke(main, ["plan", str(tmp_path), "--standard", "dorset", *ARGS,
                                    "--freeze-until", "2026-12-04"])
    assert res.exit_code == 2 and "--freeze-until needs --previous" in res.output


def test_a_previous_rota_that_cannot_be_read_is_an_input_problem(tmp_path):
    folder, std, prev = tmp_path / "team", tmp_path / "test.yaml", tmp_path / "prev"
    write_team(scenario_team(), folder)
    std.write_text(STANDARD_YAML, encoding="utf-8")
    prev.mkdir()
    (prev / "rota.csv").write_text("date,start,end,worker_id,activity,household_id,child_ids\n"
                                   "2026-11-31,10:00,10:40,W1,visit,C1,C1\n", encoding="utf-8")
    res = _plan(CliRunner(), folder, std, tmp_path / "out", "--previous", str(prev))
    assert res.exit_code == 2
    assert f"{prev / 'rota.csv'}:2: date: '2026-11-31' cannot be read; expected a date" in res.output
    assert not (tmp_path / "out").exists()
    missing = _plan(CliRunner(), folder, std, tmp_path / "out", "--previous", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2 and "not a folder" in missing.output
