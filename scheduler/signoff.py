"""Managers' sign-offs of breaches: an append-only, hash-chained log in SQLite.

Sign-offs live outside the generated files (default OUTDIR/signoffs.sqlite, which `rota plan`
never overwrites; or --db PATH / $ROTA_SIGNOFF_DB), so re-planning never loses one.

Each record keeps the breach as it stood (its breaches.csv row), who signed, when (UTC) and why,
plus prev_hash and hash = sha256(canonical JSON of the record including prev_hash). Sequence
numbers are contiguous from 1 and a one-row `chain_head` table holds the last seq and hash, so
verify_chain detects an edited record (hash mismatch), a deleted one (gap in seq / broken
link) and a deleted last record (head mismatch). It cannot detect someone who rewrites the
whole chain from the edit onwards, head included: note the head hash (`rota signoffs`)
somewhere else if that matters. There is deliberately no update or delete function.

A breach_id is derived from (child, requirement, due_by), so a breach whose due date changed
is a new breach and needs a new sign-off; other facts (planned date, days late) may move
without losing the sign-off, and the record keeps what was signed.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .solution import Breach

DB_FILENAME = "signoffs.sqlite"
ENV_VAR = "ROTA_SIGNOFF_DB"
GENESIS = "0" * 64
NOT_SIGNED_OFF = "not signed off"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS signoffs (
    seq INTEGER PRIMARY KEY,
    breach_id TEXT NOT NULL,
    breach_json TEXT NOT NULL,
    signed_by TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS signoffs_breach ON signoffs(breach_id);
CREATE TABLE IF NOT EXISTS chain_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
"""


class SignoffError(Exception):
    """A sign-off that cannot be recorded (bad input); the CLI exits 2."""


class UnknownBreachError(SignoffError):
    pass


def resolve_db_path(outdir: str | os.PathLike[str], db: str | os.PathLike[str] | None = None) -> Path:
    """--db wins, then $ROTA_SIGNOFF_DB, then OUTDIR/signoffs.sqlite."""
    if db:
        return Path(db)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    return Path(outdir) / DB_FILENAME


def record_hash(record: dict[str, Any]) -> str:
    """sha256 over canonical JSON of the record's fields (prev_hash included, hash excluded)."""
    fields = {k: record[k] for k in ("seq", "breach_id", "breach", "signed_by", "signed_at",
                                     "reason", "prev_hash")}
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_breaches(outdir: str | os.PathLike[str]) -> dict[str, dict[str, str]]:
    """breach_id -> row of OUTDIR/breaches.csv (empty if the file is missing)."""
    path = Path(outdir) / "breaches.csv"
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["breach_id"]: dict(row) for row in csv.DictReader(handle) if row.get("breach_id")}


def _connect(db_path: Path) -> sqlite3.Connection:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(db_path, isolation_level=None)  # explicit transactions below
    conn.executescript(_SCHEMA)
    return conn


def _utc_iso(now: datetime | None) -> str:
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("the sign-off clock must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def record_signoff(db_path: str | os.PathLike[str], outdir: str | os.PathLike[str], breach_id: str,
                   by: str, reason: str, now: datetime | None = None) -> dict[str, Any]:
    """Append a sign-off of a breach listed in OUTDIR/breaches.csv; returns the record."""
    by, reason, breach_id = by.strip(), reason.strip(), breach_id.strip()
    if not by:
        raise SignoffError("--by must name the manager signing off")
    if not reason:
        raise SignoffError("--reason must say why the breach is accepted")
    breaches = read_breaches(outdir)
    if breach_id not in breaches:
        where = Path(outdir) / "breaches.csv"
        hint = (f"see the breach_id column of {where} or the breach register in rota.html"
                if breaches else f"{where} is missing or lists no breaches; run `rota plan` first")
        raise UnknownBreachError(f"unknown breach id {breach_id!r}: {hint}")
    signed_at = _utc_iso(now)
    with closing(_connect(Path(db_path))) as conn:
        conn.execute("BEGIN IMMEDIATE")  # one writer at a time: the chain cannot fork
        try:
            last = conn.execute("SELECT seq, hash FROM signoffs ORDER BY seq DESC LIMIT 1").fetchone()
            seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
            record = {"seq": seq, "breach_id": breach_id, "breach": breaches[breach_id],
                      "signed_by": by, "signed_at": signed_at, "reason": reason, "prev_hash": prev_hash}
            record["hash"] = record_hash(record)
            conn.execute(
                "INSERT INTO signoffs (seq, breach_id, breach_json, signed_by, signed_at, reason,"
                " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (seq, breach_id, json.dumps(record["breach"], sort_keys=True, ensure_ascii=False),
                 by, signed_at, reason, prev_hash, record["hash"]))
            conn.execute("INSERT OR REPLACE INTO chain_head (id, seq, hash) VALUES (1, ?, ?)",
                         (seq, record["hash"]))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return record


def _rows(db_path: Path) -> tuple[list[dict[str, Any]], tuple[int, str] | None]:
    if not db_path.exists():
        return [], None
    with closing(_connect(db_path)) as conn:
        rows = conn.execute("SELECT seq, breach_id, breach_json, signed_by, signed_at, reason, prev_hash,"
                            " hash FROM signoffs ORDER BY seq").fetchall()
        head = conn.execute("SELECT seq, hash FROM chain_head WHERE id = 1").fetchone()
    records = []
    for seq, bid, breach_json, by, at, reason, prev_hash, digest in rows:
        try:
            breach = json.loads(breach_json)
        except ValueError:
            breach = {"unparsable": breach_json}
        records.append({"seq": seq, "breach_id": bid, "breach": breach, "signed_by": by,
                        "signed_at": at, "reason": reason, "prev_hash": prev_hash, "hash": digest})
    return records, (tuple(head) if head else None)


def list_signoffs(db_path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Every record, oldest first (empty when the database does not exist yet)."""
    return _rows(Path(db_path))[0]


def verify_chain(db_path: str | os.PathLike[str]) -> list[str]:
    """Problems with the chain, first one first; empty means intact."""
    records, head = _rows(Path(db_path))
    problems: list[str] = []
    prev_hash, expected_seq = GENESIS, 1
    for rec in records:
        label = f"record {rec['seq']} (breach {rec['breach_id']})"
        if rec["seq"] != expected_seq:
            problems.append(f"{label}: sequence jumps from {expected_seq - 1} to {rec['seq']}; "
                            f"record(s) {expected_seq}..{rec['seq'] - 1} deleted")
        if rec["prev_hash"] != prev_hash:
            problems.append(f"{label}: chain link broken (prev_hash does not match the record before)")
        if record_hash(rec) != rec["hash"]:
            problems.append(f"{label}: contents changed since it was signed (hash mismatch)")
        prev_hash, expected_seq = rec["hash"], rec["seq"] + 1
    if records and head is None:
        problems.append("chain head is missing")
    elif head is not None:
        last_seq = records[-1]["seq"] if records else 0
        if head[0] != last_seq or (records and head[1] != records[-1]["hash"]):
            problems.append(f"chain head says the last record is {head[0]} but the log ends at "
                            f"{last_seq}: record(s) deleted or altered at the end")
    return problems


def latest_signoffs(db_path: str | os.PathLike[str]) -> dict[str, dict[str, Any]]:
    """breach_id -> its most recent sign-off record."""
    return {rec["breach_id"]: rec for rec in list_signoffs(db_path)}


def describe(record: dict[str, Any] | None) -> str:
    if record is None:
        return NOT_SIGNED_OFF
    return f"signed off by {record['signed_by']} on {record['signed_at'][:10]}"


def signoff_state(db_path: str | os.PathLike[str], breach: Breach | str) -> str:
    """'signed off by X on DATE' or 'not signed off' for a breach (or a breach_id)."""
    bid = breach if isinstance(breach, str) else breach.breach_id
    return describe(latest_signoffs(db_path).get(bid))


def signoff_states(db_path: str | os.PathLike[str]) -> dict[str, str]:
    """breach_id -> state text, for every signed-off breach (what write_all takes)."""
    return {bid: describe(rec) for bid, rec in latest_signoffs(db_path).items()}
