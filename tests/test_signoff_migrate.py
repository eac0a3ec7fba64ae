"""Databases written before sign-offs were authenticated (format 1: sha256 chain, no key, kept in
OUTDIR/signoffs.sqlite): still found and listed, refused for new sign-offs and by --verify, and
moved into the team's keyed database only by an explicit `rota signoffs OUTDIR --migrate`."""
from __future__ import annotations

import json

import pytest

from scheduler.cli.signoff import signoffs as signoffs_cmd
from scheduler.signoff import (
    LegacyDatabaseError,
    is_unkeyed,
    legacy_db_awaiting_migration,
    list_signoffs,
    record_signoff,
    verify_chain,
)
from tests.signoff_support import (
    T0,
    Team,
    breaches,
    closing_connect,
    make_team,
    run,
    sign_cli,
    use_test_key,
    verify_cli,
    write_breaches,
    write_format1,
)


@pytest.fixture
def key_path(tmp_path, monkeypatch):
    return use_test_key(tmp_path, monkeypatch)


@pytest.fixture
def team(tmp_path, key_path) -> Team:
    return make_team(tmp_path, key_path)


def test_older_outputs_moved_to_the_team_explicitly(team: Team):
    """An output folder with the older OUTDIR/signoffs.sqlite, re-planned by this version (so it now
    has a manifest naming the team): nothing is ignored silently, and --migrate moves the trail."""
    legacy = team.out / "signoffs.sqlite"
    old = write_format1(legacy, team.out)
    original = legacy.read_bytes()
    assert legacy_db_awaiting_migration(team.out, team.db) == legacy
    # signing now would start a second trail beside the old one: refused, with what to do
    res = sign_cli(team.out, breaches()[2].breach_id)
    assert res.exit_code == 2
    assert f"{legacy} holds sign-offs written by an older rota" in res.output and "--migrate" in res.output
    # listing says so too
    res = run(signoffs_cmd, team.out)
    assert res.exit_code == 0 and "--migrate" in res.output and legacy.read_bytes() == original
    # the explicit step
    res = run(signoffs_cmd, team.out, "--migrate")
    assert res.exit_code == 0, res.output
    assert f"Migrated 2 sign-off(s) from {legacy} into {team.db}" in res.output
    assert "was left as it was" in res.output and legacy.read_bytes() == original
    moved = list_signoffs(team.db)
    assert [(r["breach_id"], r["signed_by"], r["signed_at"], r["reason"], r["breach"]) for r in moved] == \
        [(r["breach_id"], r["signed_by"], r["signed_at"], r["reason"], r["breach"]) for r in old]
    assert [r["legacy_hash"] for r in moved] == [r["hash"] for r in old]
    assert legacy_db_awaiting_migration(team.out, team.db) is None
    res = verify_cli(team.out)
    assert res.exit_code == 0, res.output
    # a head recorded before the migration (an older rota.html) still matches
    assert verify_cli(team.out, "--head", old[-1]["hash"]).exit_code == 0
    # and the trail goes on from there
    assert sign_cli(team.out, breaches()[2].breach_id).exit_code == 0
    assert [r["seq"] for r in list_signoffs(team.db)] == [1, 2, 3] and verify_chain(team.db) == []


def test_in_place_migration_without_manifest(tmp_path, key_path):
    """Older outputs never re-planned: no manifest, the database found in OUTDIR is migrated in place."""
    out = tmp_path / "old-out"
    write_breaches(out, breaches())
    db = out / "signoffs.sqlite"
    write_format1(db, out)
    assert is_unkeyed(db)
    res = verify_cli(out)
    assert res.exit_code == 1 and "written by an older rota without a key" in res.output and "--migrate" in res.output
    with pytest.raises(LegacyDatabaseError, match="--migrate"):
        record_signoff(db, out, breaches()[2].breach_id, "Pat", "ok", now=T0)
    res = sign_cli(out, breaches()[2].breach_id)
    assert res.exit_code == 2 and "--migrate" in res.output and len(list_signoffs(db)) == 2
    res = run(signoffs_cmd, out, "--migrate")
    assert res.exit_code == 0, res.output
    assert not is_unkeyed(db) and verify_cli(out).exit_code == 0
    assert sign_cli(out, breaches()[2].breach_id).exit_code == 0 and verify_chain(db) == []


def test_tampered_legacy_database_is_not_migrated(team: Team):
    legacy = team.out / "signoffs.sqlite"
    write_format1(legacy, team.out)
    with closing_connect(legacy) as conn:
        conn.execute("UPDATE signoffs SET reason = 'edited later' WHERE seq = 1")
    res = run(signoffs_cmd, team.out, "--migrate")
    assert res.exit_code == 1
    assert "fails its own hash check" in res.output and "record 1" in res.output
    assert not team.db.exists()


def test_downgrade_to_the_unkeyed_format_is_caught(team: Team):
    """The tamperer rewrites the keyed trail as a format 1 database (which needs no key) and hopes
    a manager will --migrate it: --verify fails, and the migration is refused."""
    team.sign_all()
    team.db.unlink()
    write_format1(team.db, team.out, count=2)
    res = verify_cli(team.out)
    assert res.exit_code == 1 and "written by an older rota without a key" in res.output
    res = run(signoffs_cmd, team.out, "--migrate")
    assert res.exit_code == 1 and "already held an authenticated chain" in res.output
    assert is_unkeyed(team.db)


def test_nothing_to_migrate(team: Team):
    res = run(signoffs_cmd, team.out, "--migrate")
    assert res.exit_code == 2 and "nothing to migrate" in res.output
    team.sign(0)
    res = run(signoffs_cmd, team.out, "--migrate")
    assert res.exit_code == 2 and "already authenticated" in res.output


def test_listing_an_unkeyed_database_changes_nothing(tmp_path, key_path):
    out = tmp_path / "old-out"
    write_breaches(out, breaches())
    db = out / "signoffs.sqlite"
    write_format1(db, out)
    before = db.read_bytes()
    res = run(signoffs_cmd, out, "--json")
    assert res.exit_code == 0 and len(json.loads(res.stdout)) == 2
    assert db.read_bytes() == before and not key_path.exists()
