"""`rota due` and `rota standards` from the command line, on hand-checkable teams."""
from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduler.cli import main
from scheduler.standards import available_standards

ROOT = Path(__file__).resolve().parent.parent
WORKERS = "worker_id,name,role,base_lat,base_lon\nW1,Ann Example,social_worker,51.55,-1.78\n"


def _team(tmp_path: Path, children: str, visits: str) -> Path:
    (tmp_path / "workers.csv").write_text(WORKERS, encoding="utf-8")
    (tmp_path / "children.csv").write_text(
        "child_id,status,status_start_date,lat,lon,allocated_worker_id,date_of_birth,cp_category\n" + children,
        encoding="utf-8")
    (tmp_path / "visits.csv").write_text("child_id,date,worker_id,seen_alone,bedroom_seen\n" + visits,
                                         encoding="utf-8")
    return tmp_path


def _due_csv(folder: Path, standard: str, on: str) -> list[dict[str, str]]:
    run = CliRunner().invoke(main, ["due", str(folder), "--standard", standard, "--on", on, "--format", "csv"])
    assert run.exit_code == 0, run.output
    out = run.stdout  # warnings go to stderr, so the CSV on stdout stays clean for piping
    assert out.splitlines()[0] == "child_id,requirement,due_by,last_done,state,rule"
    return list(csv.DictReader(io.StringIO(out)))


def test_cp_visits_every_10_working_days_across_christmas(tmp_path):
    # Swindon: CP children visited at least every 10 working days. Last visits (UK dates accepted):
    # K1 on Mon 14 Dec 2026 -> 15,16,17,18,21,22,23,24,29,30 Dec (25 and 28 Dec bank holidays) -> Wed 30 Dec
    # K2 on Mon 30 Nov -> Mon 14 Dec: overdue on 21 Dec
    # K3 on Thu 10 Dec -> 11,14,15,16,17,18,21,22,23,24 -> Thu 24 Dec: within 5 WD of 21 Dec -> due
    # ("due" = by the 5th working day after 21 Dec: 22,23,24,29,30 -> Wed 30 Dec, so K1 is due too)
    # K4 on Fri 18 Dec -> 21,22,23,24,29,30,31 Dec, 4,5,6 Jan -> Wed 6 Jan 2027: ok
    folder = _team(tmp_path,
                   "K1,cp,2026-06-01,51.56,-1.77,W1,2015-01-01,physical\n"
                   "K2,cp,2026-06-01,51.56,-1.77,W1,2015-01-01,physical\n"
                   "K3,cp,2026-06-01,51.56,-1.77,W1,2015-01-01,physical\n"
                   "K4,cp,2026-06-01,51.56,-1.77,W1,2015-01-01,physical\n",
                   "K1,14/12/2026,W1,yes,no\nK2,2026-11-30,W1,yes,no\nK3,2026-12-10,W1,yes,no\n"
                   "K4,2026-12-18,W1,yes,no\n")
    rows = {r["child_id"]: r for r in _due_csv(folder, "swindon", "21/12/2026") if r["requirement"] == "visit"}
    assert (rows["K1"]["due_by"], rows["K1"]["last_done"], rows["K1"]["state"]) == ("2026-12-30", "2026-12-14", "due")
    assert (rows["K2"]["due_by"], rows["K2"]["state"]) == ("2026-12-14", "overdue")
    assert (rows["K3"]["due_by"], rows["K3"]["state"]) == ("2026-12-24", "due")
    assert (rows["K4"]["due_by"], rows["K4"]["state"]) == ("2027-01-06", "ok")
    assert rows["K1"]["rule"].startswith("swindon.cp.visit") and "004_aeebdf78e194c46f.txt" in rows["K1"]["rule"]


def test_table_format_names_the_authority(tmp_path):
    folder = _team(tmp_path, "K1,cp,2026-06-01,51.56,-1.77,W1,2015-01-01,physical\n", "K1,2026-12-14,W1,yes,no\n")
    run = CliRunner().invoke(main, ["due", str(folder), "--standard", "dorset", "--on", "2026-12-21"])
    assert run.exit_code == 0, run.output
    assert "Dorset" in run.output and "K1" in run.output
    assert "requirements:" in run.output  # the closing count line


def test_unknown_standard_is_a_clear_error(tmp_path):
    folder = _team(tmp_path, "K1,cp,2026-06-01,51.56,-1.77,W1,2015-01-01,physical\n", "")
    run = CliRunner().invoke(main, ["due", str(folder), "--standard", "atlantis", "--on", "2026-12-21"])
    assert run.exit_code == 2
    assert "unknown standard 'atlantis'" in run.output and "dorset" in run.output


def test_bad_input_stops_due_with_exit_2(tmp_path):
    folder = _team(tmp_path, "K1,cp,31/02/2026,51.56,-1.77,W1,2015-01-01,physical\n", "")
    run = CliRunner().invoke(main, ["due", str(folder), "--standard", "dorset", "--on", "2026-12-21"])
    assert run.exit_code == 2
    assert "children.csv:2: status_start_date" in run.output


@pytest.mark.parametrize("name", available_standards())
def test_standards_command_prints_rules_with_citations(name):
    run = CliRunner().invoke(main, ["standards", name])
    assert run.exit_code == 0, run.output
    assert run.output.count("source:") >= 5 and "[" in run.output


def test_standards_list_and_demo_due_table():
    run = CliRunner().invoke(main, ["standards"])
    assert run.exit_code == 0 and all(k in run.output for k in available_standards())
    rows = _due_csv(ROOT / "inputs" / "demo", "devon", "2026-11-23")
    assert {r["state"] for r in rows} <= {"overdue", "due", "ok"}
    assert len({r["child_id"] for r in rows}) > 100
    assert all(date.fromisoformat(r["due_by"]) for r in rows)


def test_seen_alone_not_due_for_exempt_or_unborn_children(tmp_path):
    # Knowsley asks for CIN children to be seen alone regularly (a cadence rule); an exempt child
    # (recorded reason) and an unborn child get no seen_alone row, as the planner and verifier agree
    (tmp_path / "workers.csv").write_text(WORKERS, encoding="utf-8")
    (tmp_path / "children.csv").write_text(
        "child_id,status,status_start_date,lat,lon,allocated_worker_id,date_of_birth,seen_alone_exempt\n"
        "K1,cin,2026-06-01,51.56,-1.77,W1,2015-01-01,\n"
        "K2,cin,2026-06-01,51.56,-1.77,W1,2015-01-01,non-verbal; seen with carer\n"
        "K3,cin,2026-06-01,51.56,-1.77,W1,,\n", encoding="utf-8")
    rows = _due_csv(tmp_path, "knowsley", "2026-12-01")
    alone = {r["child_id"] for r in rows if r["requirement"] == "seen_alone"}
    assert alone == {"K1"}
    assert {r["child_id"] for r in rows if r["requirement"] == "visit"} == {"K1", "K2", "K3"}
