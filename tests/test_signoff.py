"""Sign-offs: record, list, survive a re-plan, tamper detection, changed breach needs a new one."""
from __future__ import annotations

import csv
import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduler.cli.signoff import signoff as signoff_cmd
from scheduler.cli.signoff import signoffs as signoffs_cmd
from scheduler.signoff import (
    GENESIS,
    SignoffError,
    UnknownBreachError,
    list_signoffs,
    record_hash,
    record_signoff,
    resolve_db_path,
    signoff_state,
    signoff_states,
    verify_chain,
)
from scheduler.solution import BREACH_COLUMNS, Breach

T0 = datetime(2025, 3, 20, 9, 15, tzinfo=UTC)


def breaches(due_c3: date = date(2025, 3, 28)) -> list[Breach]:
    return [
        Breach("C3", "visit", due_c3, date(2025, 3, 29), 1, 5, "W1 at capacity", False),
        Breach("C4", "cp_review", date(2025, 4, 2), None, 2, 9, "No chair available", True),
        Breach("C1", "seen_alone", date(2025, 3, 27), date(2025, 3, 31), 4, 3, "Child unwell", False),
    ]


def write_breaches(outdir: Path, items: list[Breach]) -> None:
    """What `rota plan` does with breaches.csv (the lead's writer; same columns)."""
    outdir.mkdir(parents=True, exist_ok=True)
    with (outdir / "breaches.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=BREACH_COLUMNS)
        writer.writeheader()
        writer.writerows(b.row() for b in items)


@pytest.fixture
def outdir(tmp_path) -> Path:
    out = tmp_path / "out"
    write_breaches(out, breaches())
    return out


@pytest.fixture
def db(outdir) -> Path:
    return outdir / "signoffs.sqlite"


def sign_all(db: Path, outdir: Path) -> list[dict]:
    return [record_signoff(db, outdir, b.breach_id, f"Manager {i}", f"reason {i}", now=T0 + timedelta(hours=i))
            for i, b in enumerate(breaches())]


def test_record_and_list(db, outdir):
    b = breaches()[0]
    rec = record_signoff(db, outdir, b.breach_id, " Pat Smith ", "Family away; agreed", now=T0)
    assert rec["seq"] == 1 and rec["prev_hash"] == GENESIS
    assert rec["signed_at"] == "2025-03-20T09:15:00Z"
    listed = list_signoffs(db)
    assert len(listed) == 1
    row = listed[0]
    assert row["breach_id"] == b.breach_id and row["signed_by"] == "Pat Smith"
    assert row["reason"] == "Family away; agreed"
    # the breach as it stood is kept (from breaches.csv)
    assert row["breach"] == b.row()
    assert row["hash"] == record_hash(row) == rec["hash"]
    assert signoff_state(db, b) == "signed off by Pat Smith on 2025-03-20"
    assert signoff_state(db, breaches()[1]) == "not signed off"


def test_records_are_chained(db, outdir):
    recs = sign_all(db, outdir)
    assert [r["seq"] for r in recs] == [1, 2, 3]
    assert [r["prev_hash"] for r in recs] == [GENESIS, recs[0]["hash"], recs[1]["hash"]]
    assert verify_chain(db) == []


def test_unknown_breach_rejected(db, outdir):
    with pytest.raises(UnknownBreachError, match=r"breaches\.csv"):
        record_signoff(db, outdir, "B-0000000000", "Pat", "because", now=T0)
    with pytest.raises(SignoffError):
        record_signoff(db, outdir, breaches()[0].breach_id, "Pat", "   ", now=T0)
    assert list_signoffs(db) == []


def test_naive_clock_rejected(db, outdir):
    with pytest.raises(ValueError):
        record_signoff(db, outdir, breaches()[0].breach_id, "Pat", "ok", now=datetime(2025, 3, 20, 9, 0))


def test_db_path_resolution(tmp_path, monkeypatch):
    monkeypatch.delenv("ROTA_SIGNOFF_DB", raising=False)
    assert resolve_db_path(tmp_path) == tmp_path / "signoffs.sqlite"
    monkeypatch.setenv("ROTA_SIGNOFF_DB", str(tmp_path / "env.sqlite"))
    assert resolve_db_path(tmp_path) == tmp_path / "env.sqlite"
    assert resolve_db_path(tmp_path, tmp_path / "flag.sqlite") == tmp_path / "flag.sqlite"


def test_survives_replan(db, outdir):
    """A re-plan rewrites breaches.csv and the outputs; the sign-off database is untouched."""
    from scheduler.outputs import write_all
    from tests.outputs.conftest import make_result, make_team

    result = make_result()
    signed = result.breaches[0]
    write_breaches(outdir, result.breaches)
    record_signoff(db, outdir, signed.breach_id, "Pat Smith", "Covered at weekend", now=T0)
    # re-plan: same breach again (same child, requirement, due date) but a different planned day
    replanned = make_result()
    replanned.breaches[0] = Breach(signed.child_id, signed.requirement, signed.due_by, date(2025, 3, 31), 3, 5,
                                   "moved", False)
    write_breaches(outdir, replanned.breaches)
    write_all(replanned, make_team(), outdir, signoff_states(db))
    assert db.exists() and len(list_signoffs(db)) == 1
    page = (outdir / "rota.html").read_text()
    row = page[page.index(f'id="{signed.breach_id}"'):]
    row = row[:row.index("</tr>")]
    assert "signed off by Pat Smith on 2025-03-20" in row
    other = page[page.index(f'id="{replanned.breaches[1].breach_id}"'):]
    assert "not signed off" in other[:other.index("</tr>")]


def test_changed_due_date_needs_new_signoff(db, outdir):
    old = breaches()[0]
    record_signoff(db, outdir, old.breach_id, "Pat", "ok", now=T0)
    # next plan: the requirement's due date moved, so it is a different breach
    write_breaches(outdir, breaches(due_c3=date(2025, 4, 1)))
    new = breaches(due_c3=date(2025, 4, 1))[0]
    assert new.breach_id != old.breach_id
    assert signoff_state(db, new) == "not signed off"
    assert new.breach_id not in signoff_states(db)
    # the old id is no longer in the plan, so it cannot be signed off again by mistake
    with pytest.raises(UnknownBreachError):
        record_signoff(db, outdir, old.breach_id, "Pat", "again", now=T0)
    record_signoff(db, outdir, new.breach_id, "Pat", "new date agreed", now=T0 + timedelta(days=1))
    assert signoff_state(db, new) == "signed off by Pat on 2025-03-21"


def test_edited_record_detected_and_named(db, outdir):
    recs = sign_all(db, outdir)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE signoffs SET reason = 'something else' WHERE seq = 2")
    problems = verify_chain(db)
    assert problems and problems[0].startswith(f"record 2 (breach {recs[1]['breach_id']})")
    assert "changed" in problems[0]


def test_edited_breach_snapshot_detected(db, outdir):
    sign_all(db, outdir)
    with sqlite3.connect(db) as conn:
        (raw,) = conn.execute("SELECT breach_json FROM signoffs WHERE seq = 1").fetchone()
        snapshot = json.loads(raw)
        snapshot["due_by"] = "2025-04-30"
        conn.execute("UPDATE signoffs SET breach_json = ? WHERE seq = 1", (json.dumps(snapshot),))
    assert verify_chain(db)[0].startswith("record 1 ")


def test_deleted_records_detected(db, outdir):
    recs = sign_all(db, outdir)
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM signoffs WHERE seq = 2")
    problems = verify_chain(db)
    assert problems[0].startswith(f"record 3 (breach {recs[2]['breach_id']})") and "deleted" in problems[0]


def test_deleted_last_record_detected(db, outdir):
    sign_all(db, outdir)
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM signoffs WHERE seq = 3")
    problems = verify_chain(db)
    assert len(problems) == 1 and "ends at 2" in problems[0]


def test_rehashed_edit_still_breaks_the_next_link(db, outdir):
    """Editing a record and fixing its own hash breaks the link from the record after it."""
    sign_all(db, outdir)
    rec = list_signoffs(db)[0]
    rec["reason"] = "rewritten"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE signoffs SET reason = ?, hash = ? WHERE seq = 1", (rec["reason"], record_hash(rec)))
    problems = verify_chain(db)
    assert problems[0].startswith("record 2 ") and "link" in problems[0]


def test_cli_signoff_and_list(db, outdir, monkeypatch):
    monkeypatch.delenv("ROTA_SIGNOFF_DB", raising=False)
    runner = CliRunner()
    b = breaches()[1]
    res = runner.invoke(signoff_cmd, [str(outdir), b.breach_id, "--by", "Pat Smith", "--reason", "Chair ill"])
    assert res.exit_code == 0, res.output
    assert "signed off by Pat Smith" in res.output
    res = runner.invoke(signoffs_cmd, [str(outdir), "--verify"])
    assert res.exit_code == 0, res.output
    assert b.breach_id in res.output and "Chair ill" in res.output and "in current plan" in res.output
    assert "Chain verified: 1 record(s) intact." in res.output
    res = runner.invoke(signoffs_cmd, [str(outdir), "--json"])
    assert json.loads(res.stdout)[0]["signed_by"] == "Pat Smith"


def test_cli_unknown_breach_exits_2(outdir, monkeypatch):
    monkeypatch.delenv("ROTA_SIGNOFF_DB", raising=False)
    res = CliRunner().invoke(signoff_cmd, [str(outdir), "B-nope", "--by", "Pat", "--reason", "x"])
    assert res.exit_code == 2
    assert "unknown breach id 'B-nope'" in res.output and "breaches.csv" in res.output


def test_cli_db_option_and_env(tmp_path, outdir, monkeypatch):
    b = breaches()[0]
    custom = tmp_path / "elsewhere" / "s.sqlite"
    res = CliRunner().invoke(signoff_cmd, [str(outdir), b.breach_id, "--by", "Pat", "--reason", "x",
                                           "--db", str(custom)])
    assert res.exit_code == 0, res.output
    assert custom.exists() and not (outdir / "signoffs.sqlite").exists()
    monkeypatch.setenv("ROTA_SIGNOFF_DB", str(custom))
    res = CliRunner().invoke(signoffs_cmd, [str(outdir)])
    assert b.breach_id in res.output


def test_cli_verify_fails_on_tamper(db, outdir, monkeypatch):
    monkeypatch.delenv("ROTA_SIGNOFF_DB", raising=False)
    recs = sign_all(db, outdir)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE signoffs SET signed_by = 'Someone Else' WHERE seq = 1")
    res = CliRunner().invoke(signoffs_cmd, [str(outdir), "--verify"])
    assert res.exit_code == 1
    assert f"record 1 (breach {recs[0]['breach_id']})" in res.output
