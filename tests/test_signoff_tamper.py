"""Someone who can edit the sign-off database but cannot read the key: every way of rewriting the
trail is found by `rota signoffs --verify` (exit 1, a TAMPERED line saying what was found).

The tamperer's strongest move is a chain that is perfect in every way they can check: links,
sequence numbers and the database's own chain_head row all fixed, and hashes computed with a
key of their own (they cannot read the real one)."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from scheduler.cli.signoff import signoffs as signoffs_cmd
from scheduler.signoff import (
    LOSS_ID,
    SigningKey,
    chain_head,
    heads_path,
    list_signoffs,
    record_mac,
    signoff_states,
    verify_chain,
)
from tests.signoff_support import (
    Team,
    breaches,
    closing_connect,
    make_team,
    run,
    sign_cli,
    use_test_key,
    verify_cli,
)

FORGER = SigningKey(Path("forger.key"), b"\x01" * 32)  # not the team's key


@pytest.fixture
def key_path(tmp_path, monkeypatch):
    return use_test_key(tmp_path, monkeypatch)


@pytest.fixture
def team(tmp_path, key_path) -> Team:
    made = make_team(tmp_path, key_path)
    made.sign_all()  # records 1-3, each a breach of breaches()
    assert verify_cli(made.out).exit_code == 0
    return made


def chain_id(db: Path) -> str:
    with closing_connect(db) as conn:
        return conn.execute("SELECT chain_id FROM chain_meta").fetchone()[0]


def rewrite_from(db: Path, first_seq: int, edit=lambda rec: rec) -> None:
    """Rewrite records from first_seq on with the forger's key, links and chain_head fixed."""
    records = list_signoffs(db)
    cid = chain_id(db)
    prev = records[first_seq - 2]["hash"] if first_seq > 1 else "0" * 64
    with closing_connect(db) as conn:
        for rec in records[first_seq - 1:]:
            rec = edit(dict(rec))
            rec["prev_hash"] = prev
            rec["hash"] = record_mac(FORGER, cid, rec)
            conn.execute("UPDATE signoffs SET reason = ?, signed_by = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                         (rec["reason"], rec["signed_by"], rec["prev_hash"], rec["hash"], rec["seq"]))
            prev = rec["hash"]
        conn.execute("UPDATE chain_head SET seq = ?, hash = ?", (records[-1]["seq"], prev))


def delete_last_and_fix_head(t: Team) -> None:
    with closing_connect(t.db) as conn:
        conn.execute("DELETE FROM signoffs WHERE seq = 3")
        conn.execute("UPDATE chain_head SET seq = 2, hash = (SELECT hash FROM signoffs WHERE seq = 2)")


def edit_and_rehash_the_rest(t: Team) -> None:
    rewrite_from(t.db, 2, lambda rec: {**rec, "reason": "family refused; no action needed"} if rec["seq"] == 2 else rec)


def delete_every_row(t: Team) -> None:
    with closing_connect(t.db) as conn:
        conn.execute("DELETE FROM signoffs")
        conn.execute("DELETE FROM chain_head")
        conn.execute("DELETE FROM chain_meta")


def delete_the_records_only(t: Team) -> None:
    with closing_connect(t.db) as conn:
        conn.execute("DELETE FROM signoffs")
        conn.execute("DELETE FROM chain_head")


def append_forged_record(t: Team) -> None:
    last = list_signoffs(t.db)[-1]
    forged = {**last, "seq": 4, "signed_by": "Area Manager", "reason": "approved", "prev_hash": last["hash"]}
    forged["hash"] = record_mac(FORGER, chain_id(t.db), forged)
    with closing_connect(t.db) as conn:
        conn.execute("INSERT INTO signoffs (seq, breach_id, breach_json, signed_by, signed_at, reason, prev_hash, hash)"
                     " VALUES (4, ?, ?, ?, ?, ?, ?, ?)",
                     (forged["breach_id"], json.dumps(forged["breach"]), forged["signed_by"], forged["signed_at"],
                      forged["reason"], forged["prev_hash"], forged["hash"]))
        conn.execute("UPDATE chain_head SET seq = 4, hash = ?", (forged["hash"],))


def delete_the_file(t: Team) -> None:
    t.db.unlink()


def edit_the_chain_identity(t: Team) -> None:
    with closing_connect(t.db) as conn:
        conn.execute("UPDATE chain_meta SET team = '/somewhere/else'")


def delete_the_chain_identity(t: Team) -> None:
    with closing_connect(t.db) as conn:
        conn.execute("DELETE FROM chain_meta")


CASES = [
    (delete_last_and_fix_head,
     "the log ends at record 2, but the key's record says it reached record 3"),
    (edit_and_rehash_the_rest,
     "record 2 (breach {b1}): not authenticated by the key: changed since it was signed, or forged"),
    (delete_every_row,
     "holds no sign-offs, but the key's record says it held 3 sign-off(s)"),
    (delete_the_records_only,
     "records 1..3 deleted"),
    (append_forged_record,
     "record 4 (breach {b2}): not authenticated by the key"),
    (delete_the_file,
     "is missing, but the key's record says it held 3 sign-off(s)"),
    (edit_the_chain_identity,
     "the chain's identity (chain_meta: team, chain id, key id) was altered"),
    (delete_the_chain_identity,
     "the chain's identity (chain_meta) was deleted"),
]


@pytest.mark.parametrize(("tamper", "expected"), CASES, ids=[c[0].__name__ for c in CASES])
def test_verify_finds_tampering(team: Team, tamper, expected: str):
    ids = {f"b{i}": b.breach_id for i, b in enumerate(breaches())}
    tamper(team)
    res = verify_cli(team.out)
    assert res.exit_code == 1, res.output
    assert f"TAMPERED: {team.db}" in res.output or "TAMPERED: " in res.output
    assert expected.format(**ids) in res.output, res.output
    assert "Chain verified" not in res.output


@pytest.mark.parametrize(("tamper", "expected"), CASES, ids=[c[0].__name__ for c in CASES])
def test_tampered_trail_takes_no_new_signoff(team: Team, tamper, expected: str):
    """Appending would move the recorded head past the damage and hide it: refused, nothing written."""
    tamper(team)
    before = heads_path(team.key).read_bytes()
    res = sign_cli(team.out, breaches()[0].breach_id, "--again")
    assert res.exit_code == 1 and "nothing was recorded" in res.output
    assert heads_path(team.key).read_bytes() == before
    assert verify_cli(team.out).exit_code == 1


def test_database_from_another_team_same_key(tmp_path, team: Team):
    """Team B's database (valid records, same council key) copied over team A's."""
    other = make_team(tmp_path, team.key, name="teamB")
    other.sign(0, by="Manager B")
    shutil.copyfile(other.db, team.db)
    res = verify_cli(team.out)
    assert res.exit_code == 1
    assert f"{team.db} holds another chain (team {other.folder.resolve()})" in res.output
    assert "the key's record says it held 3 sign-off(s)" in res.output
    assert "another team's" in res.output


def test_database_from_another_team_other_key(tmp_path, team: Team):
    other_key = tmp_path / "other-council" / "signoff.key"
    other = make_team(tmp_path, other_key, name="teamB")
    res = sign_cli(other.out, breaches()[0].breach_id, "--key", str(other_key))
    assert res.exit_code == 0, res.output
    shutil.copyfile(other.db, team.db)
    res = verify_cli(team.out)
    assert res.exit_code == 1
    assert "was signed with another key" in res.output and "a database from another team" in res.output


def test_older_copy_put_back(team: Team, tmp_path):
    """Restoring a copy taken before the last sign-off (a rollback) is a truncation."""
    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(team.db, copy)
    res = sign_cli(team.out, breaches()[0].breach_id, "--again")
    assert res.exit_code == 0, res.output
    shutil.copyfile(copy, team.db)
    res = verify_cli(team.out)
    assert res.exit_code == 1
    assert "the log ends at record 3, but the key's record says it reached record 4" in res.output
    assert "record 4 deleted" in res.output


def test_heads_record_deleted_or_altered(team: Team):
    heads = heads_path(team.key)
    data = json.loads(heads.read_text())
    (entry,) = data["chains"].values()
    entry["seq"] = 2  # lower the recorded head, hoping to hide a truncation; the MAC no longer fits
    heads.write_text(json.dumps(data))
    res = verify_cli(team.out)
    assert res.exit_code == 1 and "kept beside the key" in res.output and "was altered" in res.output
    heads.unlink()
    res = verify_cli(team.out)
    assert res.exit_code == 1 and f"({heads}) is missing" in res.output


# ---------------------------------------------------------------- heads recorded earlier (--head)

def test_head_recorded_earlier_is_found(team: Team):
    earlier = chain_head(team.db)  # e.g. from an older manifest.json
    assert sign_cli(team.out, breaches()[0].breach_id, "--again").exit_code == 0
    res = verify_cli(team.out, "--head", earlier)
    assert res.exit_code == 0, res.output
    assert f"head {earlier} is in the chain" in res.output
    # the first 16 hex digits (as rota.html may show) are enough; case does not matter
    assert verify_cli(team.out, "--head", earlier[:16].upper()).exit_code == 0


def test_head_not_in_chain(tmp_path, team: Team):
    other = make_team(tmp_path, team.key, name="teamB")
    other.sign(0)
    res = verify_cli(team.out, "--head", chain_head(other.db))  # a head from another team's manifest
    assert res.exit_code == 1
    assert "recorded earlier is not in the chain" in res.output


def test_head_catches_truncation_without_the_heads_record(tmp_path, team: Team, monkeypatch):
    """Verifying where only the key travelled (no heads record beside it) still catches a truncation
    when a head recorded earlier is given."""
    head = chain_head(team.db)
    delete_last_and_fix_head(team)
    res = verify_cli(team.out, "--head", head)
    assert res.exit_code == 1 and f"the head {head} recorded earlier is not in the chain" in res.output


def test_head_catches_deleted_file_with_no_key_here(tmp_path, team: Team):
    """Another account (no key, no heads record): a deleted database is still caught by --head."""
    head = chain_head(team.db)
    team.db.unlink()
    res = verify_cli(team.out, "--head", head, "--key", str(tmp_path / "nowhere.key"))
    assert res.exit_code == 1
    assert f"the head {head} recorded earlier is not in the chain: {team.db} is missing" in res.output


def test_head_must_look_like_a_head(team: Team):
    res = verify_cli(team.out, "--head", "abc")
    assert res.exit_code == 2 and "12 to 64 hex digits" in res.output


# ---------------------------------------------------------------- what is not tampering

def test_heads_record_one_behind_is_fine(team: Team):
    """A crash between the database commit and the heads update leaves the record one behind:
    the database may run ahead with authenticated records, and the next sign-off catches up."""
    heads = heads_path(team.key)
    before = heads.read_bytes()
    assert sign_cli(team.out, breaches()[0].breach_id, "--again").exit_code == 0
    heads.write_bytes(before)
    assert verify_chain(team.db) == []
    assert sign_cli(team.out, breaches()[1].breach_id, "--again").exit_code == 0
    (entry,) = json.loads(heads.read_text())["chains"].values()
    assert entry["seq"] == 5 and verify_chain(team.db) == []


def test_team_folder_moved(tmp_path, team: Team):
    """Moving the team folder (with its .rota) is not tampering: the key knows the chain by its id."""
    moved = tmp_path / "renamed-team"
    team.folder.rename(moved)
    (team.out / "manifest.json").write_text(json.dumps({"team_folder": str(moved)}))
    res = verify_cli(team.out)
    assert res.exit_code == 0, res.output
    assert sign_cli(team.out, breaches()[0].breach_id, "--again").exit_code == 0
    assert verify_cli(team.out).exit_code == 0


def test_corrupt_database_file(team: Team):
    team.db.write_bytes(b"this is not a database" * 100)
    res = verify_cli(team.out)
    assert res.exit_code == 1 and "cannot be read as a sign-off database" in res.output
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(team.db).execute("SELECT 1 FROM signoffs")


# ---------------------------------------------------------------- accepting a known loss

def accept(team: Team, *extra: str):
    return run(signoffs_cmd, team.out, "--accept-loss", "--by", "Area Manager",
               "--reason", "Disk failed; restored from the backup of 1 April", *extra)


def test_restore_from_older_backup_then_accept_the_loss(team: Team, tmp_path):
    backup = tmp_path / "backup.sqlite"
    shutil.copyfile(team.db, backup)  # records 1-3
    assert sign_cli(team.out, breaches()[0].breach_id, "--again").exit_code == 0
    lost_head = chain_head(team.db)  # record 4, signed after the backup
    shutil.copyfile(backup, team.db)
    assert verify_cli(team.out).exit_code == 1
    res = accept(team)
    assert res.exit_code == 0, res.output
    assert "the key had recorded 4 record(s)" in res.output and "3 record(s) were left" in res.output
    res = verify_cli(team.out)
    assert res.exit_code == 0, res.output
    assert f"#4 {LOSS_ID}: loss of records accepted by Area Manager" in res.output
    assert "reason: Disk failed; restored from the backup of 1 April" in res.output
    assert LOSS_ID not in signoff_states(team.db)
    # the lost record stays lost: a head recorded while it existed no longer matches
    assert verify_cli(team.out, "--head", lost_head).exit_code == 1
    # and the trail goes on
    assert sign_cli(team.out, breaches()[0].breach_id, "--again").exit_code == 0
    assert verify_cli(team.out).exit_code == 0


def test_lost_database_accepted_starts_a_new_chain(team: Team):
    team.db.unlink()
    res = accept(team)
    assert res.exit_code == 0, res.output
    assert "the key had recorded 3 record(s)" in res.output and "0 record(s) were left" in res.output
    assert verify_cli(team.out).exit_code == 0
    (entry_old, entry_new) = sorted(json.loads(heads_path(team.key).read_text())["chains"].values(),
                                    key=lambda e: "retired_by" not in e)
    assert entry_old["seq"] == 3 and entry_old["retired_by"] and entry_new["seq"] == 1


@pytest.mark.parametrize("tamper", [edit_and_rehash_the_rest, append_forged_record, edit_the_chain_identity])
def test_only_a_loss_can_be_accepted(team: Team, tamper):
    tamper(team)
    before = team.db.read_bytes()
    res = accept(team)
    assert res.exit_code == 1 and "only records missing at the end can be accepted" in res.output
    assert team.db.read_bytes() == before and verify_cli(team.out).exit_code == 1


def test_another_teams_chain_is_never_adopted(tmp_path, team: Team):
    other = make_team(tmp_path, team.key, name="teamB")
    other.sign(0)
    shutil.copyfile(other.db, team.db)
    res = accept(team)
    assert res.exit_code == 1 and "never adopted" in res.output
    assert verify_cli(team.out).exit_code == 1


def test_accept_loss_needs_a_loss_and_a_reason(team: Team):
    res = accept(team)
    assert res.exit_code == 2 and "nothing to accept" in res.output
    res = run(signoffs_cmd, team.out, "--accept-loss", "--by", "Area Manager")
    assert res.exit_code == 2 and "--reason" in res.output


def test_head_checked_even_without_the_key(tmp_path, team: Team):
    """An auditor without the key: a head that is gone is still a finding (exit 1); a head that is
    there proves nothing without the key (exit 2, says so)."""
    head = chain_head(team.db)
    nowhere = str(tmp_path / "nowhere.key")
    res = verify_cli(team.out, "--head", head, "--key", nowhere)
    assert res.exit_code == 2 and "no sign-off key at" in res.output
    delete_last_and_fix_head(team)
    res = verify_cli(team.out, "--head", head, "--key", nowhere)
    assert res.exit_code == 1 and f"the head {head} recorded earlier is not in the chain" in res.output
