"""Sign-offs: where they live, the key, recording and listing, --again, breach ids, safe text.
Tampering is in test_signoff_tamper.py, migration of older databases in test_signoff_migrate.py."""
from __future__ import annotations

import json
import os
import stat
from datetime import date, timedelta

import pytest

from scheduler.cli.signoff import signoff as signoff_cmd
from scheduler.cli.signoff import signoffs as signoffs_cmd
from scheduler.signoff import (
    GENESIS,
    AlreadySignedOffError,
    SignoffError,
    UnknownBreachError,
    chain_head,
    default_key_path,
    heads_path,
    list_signoffs,
    load_key,
    normalise_breach_id,
    record_mac,
    record_signoff,
    resolve_db_path,
    resolve_key_path,
    signoff_state,
    signoff_states,
    verify_chain,
)
from scheduler.solution import Breach
from tests.signoff_support import (
    T0,
    Team,
    breaches,
    make_team,
    run,
    sign_cli,
    use_test_key,
    verify_cli,
    write_breaches,
)


@pytest.fixture
def key_path(tmp_path, monkeypatch):
    return use_test_key(tmp_path, monkeypatch)


@pytest.fixture
def team(tmp_path, key_path) -> Team:
    return make_team(tmp_path, key_path)


# ---------------------------------------------------------------- recording and listing

def test_record_and_list(team: Team):
    b = breaches()[0]
    rec = record_signoff(team.db, team.out, b.breach_id, " Pat Smith ", "Family away; agreed", now=T0)
    assert rec["seq"] == 1 and rec["prev_hash"] == GENESIS
    assert rec["signed_at"] == "2025-03-20T09:15:00Z"
    (row,) = list_signoffs(team.db)
    assert row["breach_id"] == b.breach_id and row["signed_by"] == "Pat Smith"
    assert row["reason"] == "Family away; agreed"
    assert row["breach"] == b.row()  # the breach as it stood when signed
    assert row["hash"] == rec["hash"] == chain_head(team.db)
    assert signoff_state(team.db, b) == "signed off by Pat Smith on 2025-03-20"
    assert signoff_state(team.db, breaches()[1]) == "not signed off"


def test_records_are_chained_and_authenticated(team: Team):
    recs = team.sign_all()
    assert [r["seq"] for r in recs] == [1, 2, 3]
    assert [r["prev_hash"] for r in recs] == [GENESIS, recs[0]["hash"], recs[1]["hash"]]
    # the hash is an HMAC under the key, bound to this chain: not computable from the database alone
    key = load_key(team.key)
    from scheduler.signoff import _read  # the chain id lives in chain_meta
    chain_id = _read(team.db).meta["chain_id"]
    assert recs[0]["hash"] == record_mac(key, chain_id, list_signoffs(team.db)[0])
    assert verify_chain(team.db) == []


def test_chain_head_none_without_records(tmp_path):
    assert chain_head(tmp_path / "nothing.sqlite") is None


def test_unknown_breach_and_empty_text_rejected(team: Team):
    with pytest.raises(UnknownBreachError, match=r"breaches\.csv"):
        record_signoff(team.db, team.out, "B-0000000000", "Pat", "because", now=T0)
    with pytest.raises(SignoffError, match="--reason must not be empty"):
        record_signoff(team.db, team.out, breaches()[0].breach_id, "Pat", "   ", now=T0)
    assert list_signoffs(team.db) == [] and not team.db.exists()


def test_naive_clock_rejected(team: Team):
    from datetime import datetime
    with pytest.raises(ValueError):
        record_signoff(team.db, team.out, breaches()[0].breach_id, "Pat", "ok", now=datetime(2025, 3, 20, 9, 0))


def test_changed_due_date_needs_new_signoff(team: Team):
    old = breaches()[0]
    record_signoff(team.db, team.out, old.breach_id, "Pat", "ok", now=T0)
    # next plan: the requirement's due date moved (28 Mar -> 1 Apr), so it is a different breach
    write_breaches(team.out, breaches(due_c3=date(2025, 4, 1)))
    new = breaches(due_c3=date(2025, 4, 1))[0]
    assert new.breach_id != old.breach_id
    assert signoff_state(team.db, new) == "not signed off"
    with pytest.raises(UnknownBreachError):  # the old id is no longer in the plan
        record_signoff(team.db, team.out, old.breach_id, "Pat", "again", now=T0)
    record_signoff(team.db, team.out, new.breach_id, "Pat", "new date agreed", now=T0 + timedelta(days=1))
    assert signoff_state(team.db, new) == "signed off by Pat on 2025-03-21"


def test_survives_replan_and_deleted_outputs(team: Team):
    """The trail lives with the team: re-planning, or deleting the output folder, loses nothing."""
    import shutil

    from scheduler.outputs import write_all
    from tests.outputs.conftest import make_result
    from tests.outputs.conftest import make_team as make_domain_team

    result = make_result()
    signed = result.breaches[0]
    write_breaches(team.out, result.breaches)
    record_signoff(team.db, team.out, signed.breach_id, "Pat Smith", "Covered at weekend", now=T0, team=team.folder)
    shutil.rmtree(team.out)  # the outputs are gone ...
    # ... and a re-plan writes them again: same breach (child, requirement, due date), another planned day
    replanned = make_result()
    replanned.breaches[0] = Breach(signed.child_id, signed.requirement, signed.due_by, date(2025, 3, 31), 3, 5,
                                   "moved", False)
    write_breaches(team.out, replanned.breaches)
    db = resolve_db_path(team.out, team_folder=team.folder)
    assert db == team.db and len(list_signoffs(db)) == 1
    write_all(replanned, make_domain_team(), team.out, signoff_states(db))
    page = (team.out / "rota.html").read_text()
    row = page[page.index(f'id="{signed.breach_id}"'):]
    assert "signed off by Pat Smith on 2025-03-20" in row[:row.index("</tr>")]
    assert verify_chain(db) == []


# ---------------------------------------------------------------- where the database lives

def test_default_location_is_with_the_team(team: Team):
    res = sign_cli(team.out, breaches()[1].breach_id)
    assert res.exit_code == 0, res.output
    assert team.db.exists() and not (team.out / "signoffs.sqlite").exists()
    assert f"record 1 in {team.db}" in res.output


def test_db_path_resolution_order(tmp_path, monkeypatch):
    monkeypatch.delenv("ROTA_SIGNOFF_DB", raising=False)
    out, teamdir = tmp_path / "out", tmp_path / "teamA"
    out.mkdir()
    # no manifest and no older database: a clear error, never a guess
    with pytest.raises(SignoffError, match=r"manifest\.json not found.*--db PATH.*rota plan"):
        resolve_db_path(out)
    # an older rota's database in the output folder is still found
    (out / "signoffs.sqlite").write_bytes(b"")
    assert resolve_db_path(out) == out / "signoffs.sqlite"
    # the manifest names the team: TEAM_DIR/.rota/signoffs.sqlite
    (out / "manifest.json").write_text(json.dumps({"team_folder": str(teamdir)}))
    assert resolve_db_path(out) == teamdir / ".rota" / "signoffs.sqlite"
    # ... or the database the plan used, when it recorded one
    (out / "manifest.json").write_text(json.dumps({"team_folder": str(teamdir),
                                                   "signoff_db": str(tmp_path / "chosen.sqlite")}))
    assert resolve_db_path(out) == tmp_path / "chosen.sqlite"
    # the planner passes the team folder itself
    assert resolve_db_path(out, team_folder=tmp_path / "teamB") == tmp_path / "teamB" / ".rota" / "signoffs.sqlite"
    # $ROTA_SIGNOFF_DB, then --db, win over everything
    monkeypatch.setenv("ROTA_SIGNOFF_DB", str(tmp_path / "env.sqlite"))
    assert resolve_db_path(out, team_folder=teamdir) == tmp_path / "env.sqlite"
    assert resolve_db_path(out, tmp_path / "flag.sqlite") == tmp_path / "flag.sqlite"


def test_unreadable_manifest_is_an_error(tmp_path, monkeypatch):
    monkeypatch.delenv("ROTA_SIGNOFF_DB", raising=False)
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(SignoffError, match=r"manifest\.json cannot be read"):
        resolve_db_path(tmp_path)


def test_cli_without_manifest_says_what_to_do(tmp_path, key_path):
    out = tmp_path / "old-out"
    write_breaches(out, breaches())
    res = sign_cli(out, breaches()[0].breach_id)
    assert res.exit_code == 2
    assert "pass --db PATH" in res.output and "rota plan" in res.output


def test_cli_db_option_and_env(tmp_path, team: Team, monkeypatch):
    b = breaches()[0]
    custom = tmp_path / "elsewhere" / "s.sqlite"
    res = sign_cli(team.out, b.breach_id, "--db", str(custom))
    assert res.exit_code == 0, res.output
    assert custom.exists() and not team.db.exists()
    monkeypatch.setenv("ROTA_SIGNOFF_DB", str(custom))
    res = run(signoffs_cmd, team.out, "--verify")
    assert res.exit_code == 0, res.output
    assert b.breach_id in res.output


# ---------------------------------------------------------------- the key

def test_key_created_owner_only_on_first_use(team: Team):
    assert not team.key.exists()
    team.sign(0)
    assert team.key.exists() and heads_path(team.key).exists()
    if os.name == "posix":
        assert stat.S_IMODE(team.key.stat().st_mode) == 0o600
        assert stat.S_IMODE(heads_path(team.key).stat().st_mode) == 0o600
        assert stat.S_IMODE(team.key.parent.stat().st_mode) == 0o700  # the folder rota made
    # the key is not in the database, and the database does not contain the secret
    secret = load_key(team.key).secret.hex()
    assert secret not in team.db.read_bytes().decode("latin-1")
    # a second sign-off reuses the same key
    before = team.key.read_bytes()
    team.sign(1)
    assert team.key.read_bytes() == before


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_key_readable_by_others_is_refused(team: Team):
    team.sign(0)
    os.chmod(team.key, 0o644)
    with pytest.raises(SignoffError, match=r"can be read or changed by other users.*chmod 600"):
        team.sign(1)
    res = verify_cli(team.out)
    assert res.exit_code == 2 and "chmod 600" in res.output


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_key_shared_with_a_managers_group(team: Team):
    """A council may let a managers' group read the key (0640): still accepted, and the heads
    record beside it becomes readable by the same group so every manager can verify."""
    team.sign(0)
    os.chmod(team.key, 0o640)
    team.sign(1)
    assert stat.S_IMODE(heads_path(team.key).stat().st_mode) == 0o640
    assert verify_chain(team.db) == []
    os.chmod(team.key, 0o660)  # but nobody but the owner may change it
    with pytest.raises(SignoffError, match="chmod 600"):
        team.sign(2)


def test_key_path_resolution(tmp_path, monkeypatch):
    monkeypatch.delenv("ROTA_SIGNOFF_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    if os.name == "posix":
        assert default_key_path() == tmp_path / "cfg" / "rota" / "signoff.key"
    assert resolve_key_path() == default_key_path()
    monkeypatch.setenv("ROTA_SIGNOFF_KEY", str(tmp_path / "env.key"))
    assert resolve_key_path() == tmp_path / "env.key"
    assert resolve_key_path(tmp_path / "flag.key") == tmp_path / "flag.key"


def test_key_option_on_the_command_line(tmp_path, team: Team):
    chosen = tmp_path / "share" / "team.key"
    res = sign_cli(team.out, breaches()[0].breach_id, "--key", str(chosen))
    assert res.exit_code == 0, res.output
    assert chosen.exists() and not team.key.exists()
    assert verify_cli(team.out, "--key", str(chosen)).exit_code == 0
    # verifying with no key at all cannot say anything: exit 2 naming where it looked
    res = verify_cli(team.out)
    assert res.exit_code == 2 and f"no sign-off key at {team.key}" in res.output


# ---------------------------------------------------------------- signing twice, breach ids

def test_signing_twice_needs_again(team: Team):
    b = breaches()[1]
    res = sign_cli(team.out, b.breach_id)
    assert res.exit_code == 0, res.output
    first = list_signoffs(team.db)[0]
    res = sign_cli(team.out, b.breach_id)
    assert res.exit_code == 2  # an input problem (README: input problems exit 2), not a failed trail
    assert f"{b.breach_id} was already signed off by Pat Smith at {first['signed_at']} (record 1)" in res.output
    assert "--again" in res.output and len(list_signoffs(team.db)) == 1
    with pytest.raises(AlreadySignedOffError):
        record_signoff(team.db, team.out, b.breach_id, "Jo Bloggs", "again", now=T0)
    res = run(signoff_cmd, team.out, b.breach_id, "--by", "Jo Bloggs", "--reason", "Reviewed at panel", "--again")
    assert res.exit_code == 0, res.output
    assert [r["seq"] for r in list_signoffs(team.db)] == [1, 2]
    assert signoff_state(team.db, b).startswith("signed off by Jo Bloggs on ")  # the latest one shows
    assert verify_chain(team.db) == []


def test_breach_ids_match_case_insensitively(team: Team):
    b = breaches()[0]
    assert b.breach_id.startswith("B-") and b.breach_id[2:] == b.breach_id[2:].lower()
    shouted = "b-" + b.breach_id[2:].upper()
    assert normalise_breach_id(f"  {shouted} ") == b.breach_id
    res = sign_cli(team.out, shouted)
    assert res.exit_code == 0, res.output
    assert list_signoffs(team.db)[0]["breach_id"] == b.breach_id  # stored as breaches.csv spells it
    # and the same breach in another case counts as already signed
    res = sign_cli(team.out, b.breach_id.lower())
    assert res.exit_code == 2 and "already signed off" in res.output


def test_cli_unknown_breach_exits_2(team: Team):
    res = sign_cli(team.out, "B-nope")
    assert res.exit_code == 2
    assert "unknown breach id 'B-nope'" in res.output and "breaches.csv" in res.output


# ---------------------------------------------------------------- text reaching the terminal

@pytest.mark.parametrize("text", ["Pat\x1b[31m Smith", "Pat\nSmith", "Pat\x00", "Pat\u202eSmith", "Pat\x9bSmith"])
@pytest.mark.parametrize("option", ["--by", "--reason"])
def test_control_characters_rejected(team: Team, text: str, option: str):
    args = {"--by": "Pat Smith", "--reason": "Family away"}
    args[option] = text
    res = run(signoff_cmd, team.out, breaches()[0].breach_id, "--by", args["--by"], "--reason", args["--reason"])
    assert res.exit_code == 2
    assert f"{option} contains a control character" in res.output
    assert "\x1b" not in res.output and not team.db.exists()


def test_names_stored_as_given_and_printed_safely(team: Team):
    """A name with markup or a leading '=' is kept exactly; an older database holding raw escapes
    is listed with them neutralised."""
    b = breaches()[0]
    record_signoff(team.db, team.out, b.breach_id, "=HYPERLINK(\"x\") [link=http://e]Pat[/link]", "ok", now=T0)
    assert list_signoffs(team.db)[0]["signed_by"] == "=HYPERLINK(\"x\") [link=http://e]Pat[/link]"
    res = run(signoffs_cmd, team.out)
    assert "[link=http://e]Pat[/link]" in res.output  # printed literally (click does not interpret markup)
    # bytes an older rota might have stored: listing replaces them, never passes them through
    from tests.signoff_support import closing_connect
    with closing_connect(team.db) as conn:
        conn.execute("UPDATE signoffs SET reason = 'x\x1b]8;;http://evil\x07y\u202e'")
    res = run(signoffs_cmd, team.out)
    assert "\x1b" not in res.output and "\x07" not in res.output and "\u202e" not in res.output
    assert "x\ufffd]8;;http://evil\ufffdy\ufffd" in res.output
    res = run(signoffs_cmd, team.out, "--json")
    assert "\x1b" not in res.output and "\u202e" not in res.output
    assert json.loads(res.stdout)[0]["reason"] == "x\x1b]8;;http://evil\x07y\u202e"


def test_cli_list_and_json(team: Team):
    team.sign_all()
    res = run(signoffs_cmd, team.out, "--verify")
    assert res.exit_code == 0, res.output
    assert "Chain verified: 3 record(s) intact." in res.output
    assert "in current plan" in res.output and "reason 1" in res.output
    assert f"chain head: record 3, hash {chain_head(team.db)}" in res.output
    res = run(signoffs_cmd, team.out, "--json", "--verify")
    assert res.exit_code == 0
    assert [r["signed_by"] for r in json.loads(res.stdout)] == ["Manager 0", "Manager 1", "Manager 2"]


def test_listing_does_not_create_a_database(team: Team):
    res = run(signoffs_cmd, team.out)
    assert res.exit_code == 0 and "No sign-offs" in res.output
    assert not team.db.exists() and not team.key.exists()
    assert verify_cli(team.out).exit_code == 0  # nothing recorded, nothing to check
