"""`rota caseload` from the command line: the contract's columns, the same figures as the library."""
from __future__ import annotations

import csv
import io

from click.testing import CliRunner

from scheduler.caseload.points import load_weights
from scheduler.caseload.table import caseload_report
from scheduler.cli import main
from tests.caseload.helpers import STANDARD, STANDARD_YAML, write_team
from tests.caseload.test_caseload_table import HORIZON, tiny_team

COLUMNS = ["worker_id", "role", "children", "cp", "cin", "cic", "care_leaver", "other", "points",
           "capacity_points", "demand_hours", "available_hours", "utilisation", "status"]


def _run(tmp_path, *extra):
    folder = write_team(tmp_path / "team", tiny_team())
    (tmp_path / "std.yaml").write_text(STANDARD_YAML)
    return CliRunner().invoke(main, ["caseload", str(folder), "--standard", str(tmp_path / "std.yaml"),
                                     "--start", "2026-11-30", *extra])


def test_csv_has_the_contract_columns_first_and_the_library_figures(tmp_path):
    run = _run(tmp_path, "--format", "csv")
    assert run.exit_code == 0, run.output
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert list(rows[0])[:len(COLUMNS)] == COLUMNS
    expected = [r.row() for r in caseload_report(tiny_team(), STANDARD, HORIZON, load_weights()).rows]
    assert [{c: r[c] for c in COLUMNS} for r in rows] == [{c: r[c] for c in COLUMNS} for r in expected]
    assert rows[0]["demand_hours"] == "5.07" and rows[0]["available_hours"] == "112.00"
    # the waiting list goes to stderr so that stdout stays one table
    assert "unallocated: C4 cp since 2026-10-01" in run.stderr


def test_table_shows_the_waiting_list_oldest_first(tmp_path):
    run = _run(tmp_path)
    assert run.exit_code == 0, run.output
    assert "Unallocated children (2)" in run.stdout
    assert run.stdout.index("C4") < run.stdout.index("C5")


def test_bad_weights_file_exits_2(tmp_path):
    (tmp_path / "w.yaml").write_text("full_time_points: -5\n")
    run = _run(tmp_path, "--weights", str(tmp_path / "w.yaml"))
    assert run.exit_code == 2 and "w.yaml: full_time_points:" in run.stderr
