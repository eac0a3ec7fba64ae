"""`rota plan` end to end on a small generated team folder: files, header, determinism."""
from __future__ import annotations

import csv
from datetime import date

import pytest
from click.testing import CliRunner

from scheduler.cli import main
from scheduler.demo import generate_team, write_team

ROTA_HEAD = ("date,start,end,worker_id,activity,household_id,child_ids,seen_alone_child_ids,"
             "bedroom_child_ids,travel_minutes,cover").split(",")
BREACH_HEAD = ("breach_id,child_id,requirement,due_by,planned_date,days_late,severity,reason,"
               "proven_unavoidable").split(",")


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """The same team planned twice into two output folders."""
    base = tmp_path_factory.mktemp("cli")
    folder = base / "team"
    write_team(generate_team(3, 8, seed=1, start=date(2026, 11, 30)), folder)
    runner = CliRunner()
    out = []
    for name in ("out1", "out2"):
        res = runner.invoke(main, ["plan", str(folder), "--standard", "dorset", "--start", "2026-11-30",
                                   "--weeks", "2", "--time-limit", "5", "--seed", "3", "--quiet",
                                   "--out", str(base / name)])
        out.append((res, base / name))
    return out


def _rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_plan_exits_zero_and_writes_the_contract_columns(two_runs):
    res, out = two_runs[0]
    assert res.exit_code == 0, res.output
    rota, breaches = _rows(out / "rota.csv"), _rows(out / "breaches.csv")
    assert rota[0][:11] == ROTA_HEAD
    assert breaches[0][:9] == BREACH_HEAD
    assert len(rota) > 1  # something was planned
    for row in rota[1:]:
        day = date.fromisoformat(row[0])
        assert day.weekday() < 5 and day not in (date(2026, 12, 25), date(2026, 12, 28))
        assert row[10] in ("yes", "no")
    for row in breaches[1:]:
        assert row[0].startswith("B-") and row[8] in ("yes", "no")


def test_stdout_summarises_compliance_and_breaches(two_runs):
    res, _ = two_runs[0]
    assert "compliance:" in res.output and "breaches:" in res.output
    assert "verifier:" in res.output


def test_same_inputs_give_byte_identical_files(two_runs):
    (_, a), (_, b) = two_runs
    for name in ("rota.csv", "breaches.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert [r[0] for r in _rows(a / "breaches.csv")] == [r[0] for r in _rows(b / "breaches.csv")]
