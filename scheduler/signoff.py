"""Managers' sign-offs of breaches: an append-only, authenticated, hash-chained log in SQLite.

Where it lives: with the team, outside the generated files (TEAM_DIR/.rota/signoffs.sqlite), so
deleting or re-planning the outputs never loses a sign-off. `--db PATH` and $ROTA_SIGNOFF_DB
win; commands given only an output folder find the team in OUTDIR/manifest.json, which
`rota plan` writes. Outputs written before manifests existed kept the database in
OUTDIR/signoffs.sqlite: it is still found, and `rota signoffs OUTDIR --migrate` moves it.

How it is protected (docs/security.md says what this does and does not promise):
- every record carries prev_hash (the record before it) and hash = HMAC-SHA256 under a key kept
  outside the database (`--key`, $ROTA_SIGNOFF_KEY, default ~/.config/rota/signoff.key),
  over canonical JSON of the record and the chain's random id. Without the key nobody can make
  a record, re-hash an edited one, or move records between chains (teams);
- one `chain_meta` row names the chain (id, team, key id) and is authenticated the same way;
- beside the key, `<key stem>.heads.json` (authenticated too) records the last seq and hash of
  every chain the key has signed and where its database was. A database that ends earlier
  (truncated, emptied, deleted, replaced by an older copy or by another team's) fails
  `verify_chain` even when everything left in it is internally consistent;
- `--head HASH` checks that a head recorded earlier (manifest.json, rota.html) is still in it.
There is deliberately no update or delete function. A trail that fails verification takes no new
sign-off; a known loss (a restored backup) is accepted only as a record of its own (accept_loss),
and an unkeyed database from an older rota is authenticated only by an explicit migrate().

A breach_id is derived from (child, requirement, due_by), so a breach whose due date changed is a
new breach and needs a new sign-off; other facts may move without losing the sign-off, and the
record keeps the breaches.csv row as it was signed.
"""
from __future__ import annotations

import csv
import hashlib
import hmac
import json
import os
import re
import secrets
import sqlite3
import stat
import tempfile
import uuid
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .solution import Breach
from .textsafe import terminal_safe

DB_FILENAME = "signoffs.sqlite"
TEAM_SUBDIR = ".rota"  # TEAM_DIR/.rota/signoffs.sqlite
MANIFEST = "manifest.json"
ENV_VAR = "ROTA_SIGNOFF_DB"
KEY_ENV_VAR = "ROTA_SIGNOFF_KEY"
GENESIS = "0" * 64
NOT_SIGNED_OFF = "not signed off"
FORMAT_VERSION = 2  # 1: sha256 chain, no key (before issue 9); 2: HMAC under a key outside the db
KEY_HEADER = "rota-signoff-key-v1"
MAX_NAME = 200
MAX_REASON = 2000
MIN_HEAD_PREFIX = 12
LOSS_ID = "TRAIL-LOSS"  # breach_id of a record accepting lost records (accept_loss); never a real breach id

# Rejected in names and reasons: C0/C1 controls (ANSI escapes, newlines, NUL), line and paragraph
# separators, and bidirectional overrides/isolates (they make a terminal show text reordered).
_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_BIDI = re.compile(r"[\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_BREACH_ID = re.compile(r"[Bb]-([0-9A-Fa-f]{10})")
_RECORD_FIELDS = ("seq", "breach_id", "breach", "signed_by", "signed_at", "reason", "prev_hash", "legacy_hash")
_META_FIELDS = ("version", "chain_id", "team", "key_id", "created_at", "migrated_from")

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS signoffs (
        seq INTEGER PRIMARY KEY,
        breach_id TEXT NOT NULL,
        breach_json TEXT NOT NULL,
        signed_by TEXT NOT NULL,
        signed_at TEXT NOT NULL,
        reason TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        legacy_hash TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS signoffs_breach ON signoffs(breach_id)",
    """CREATE TABLE IF NOT EXISTS chain_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS chain_meta (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version INTEGER NOT NULL,
        chain_id TEXT NOT NULL,
        team TEXT NOT NULL,
        key_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        migrated_from TEXT,
        mac TEXT NOT NULL
    )""",
)


class SignoffError(Exception):
    """A sign-off command that cannot go ahead (bad input or setup); the CLI exits 2."""


class UnknownBreachError(SignoffError):
    pass


class KeyMissingError(SignoffError):
    """Records exist but the key that authenticates them is not where it was looked for."""


class LegacyDatabaseError(SignoffError):
    """An unkeyed database written before issue 9: `rota signoffs OUTDIR --migrate` first."""


class AlreadySignedOffError(SignoffError):
    """The breach already has a sign-off; `--again` adds another. The CLI exits 1."""

    def __init__(self, message: str, record: dict[str, Any]) -> None:
        super().__init__(message)
        self.record = record


class TamperedError(SignoffError):
    """The trail fails verification, so nothing is added to it. The CLI exits 1."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("the sign-off trail fails verification: " + "; ".join(problems))
        self.problems = problems


def shown(text: object) -> str:
    """Stored text as it may be printed to a terminal (controls and bidi overrides neutralised)."""
    return terminal_safe(_BIDI.sub("\ufffd", str(text)))


# ---------------------------------------------------------------------------- where things live

def default_db_path(team_folder: str | os.PathLike[str]) -> Path:
    return Path(team_folder) / TEAM_SUBDIR / DB_FILENAME


def read_manifest(outdir: str | os.PathLike[str]) -> dict[str, Any] | None:
    """OUTDIR/manifest.json as written by `rota plan`, or None for older outputs without one."""
    path = Path(outdir) / MANIFEST
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise SignoffError(f"{path} cannot be read ({shown(exc)}): re-run `rota plan` or pass --db PATH") from None
    if not isinstance(data, dict):
        raise SignoffError(f"{path} is not a rota manifest: re-run `rota plan` or pass --db PATH")
    return data


def team_folder_from_manifest(outdir: str | os.PathLike[str]) -> str | None:
    manifest = read_manifest(outdir)
    team = manifest.get("team_folder") if manifest else None
    return team if isinstance(team, str) and team else None


def resolve_db_path(outdir: str | os.PathLike[str], db: str | os.PathLike[str] | None = None,
                    team_folder: str | os.PathLike[str] | None = None) -> Path:
    """The sign-off database for OUTDIR: --db, then $ROTA_SIGNOFF_DB, then TEAM_DIR/.rota/signoffs.sqlite
    (TEAM_DIR given, or the database/team recorded in OUTDIR/manifest.json), then OUTDIR/signoffs.sqlite
    if an older rota left one there. Anything else is an error: guessing could start a second trail."""
    if db:
        return Path(db)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    if team_folder is not None:
        return default_db_path(team_folder)
    manifest = read_manifest(outdir)
    if manifest is not None:
        recorded = manifest.get("signoff_db")
        if isinstance(recorded, str) and recorded:
            return Path(recorded)
        team = manifest.get("team_folder")
        if isinstance(team, str) and team:
            return default_db_path(team)
        raise SignoffError(f"{Path(outdir) / MANIFEST} names no team_folder: re-run `rota plan` or pass --db PATH")
    legacy = Path(outdir) / DB_FILENAME
    if legacy.exists():
        return legacy
    raise SignoffError(
        f"{Path(outdir) / MANIFEST} not found, so the team's sign-off database cannot be found "
        f"(it lives in TEAM_DIR/{TEAM_SUBDIR}/{DB_FILENAME}): pass --db PATH, or re-run `rota plan` "
        f"with --out {Path(outdir)}")


def default_key_path() -> Path:
    """Per-user configuration folder: %APPDATA%\\rota on Windows, $XDG_CONFIG_HOME/rota or ~/.config/rota."""
    if os.name == "nt":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "rota" / "signoff.key"


def resolve_key_path(key: str | os.PathLike[str] | None = None) -> Path:
    """--key wins, then $ROTA_SIGNOFF_KEY, then default_key_path()."""
    if key:
        return Path(key)
    if os.environ.get(KEY_ENV_VAR):
        return Path(os.environ[KEY_ENV_VAR])
    return default_key_path()


def heads_path(key_path: Path) -> Path:
    """The record of chain heads kept beside the key (signoff.key -> signoff.heads.json)."""
    return key_path.with_name(f"{key_path.stem or key_path.name}.heads.json")


# ---------------------------------------------------------------------------- the key

@dataclass(frozen=True)
class SigningKey:
    path: Path
    secret: bytes = field(repr=False)

    @property
    def key_id(self) -> str:
        """Names the key in messages and in chain_meta without revealing it."""
        return hashlib.sha256(b"rota-signoff-key-id\n" + self.secret).hexdigest()[:16]

    def mac(self, purpose: str, fields: dict[str, Any]) -> str:
        canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        message = f"rota-signoff-{purpose}-v{FORMAT_VERSION}\n{canonical}".encode()
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()


def _write_private(path: Path, data: bytes, like: Path | None = None) -> None:
    """Atomic write of an owner-only (0600) file: mkstemp creates it 0600, os.replace swaps it in.
    With `like`, the owner's group may read it when it may read `like` (a key shared by a
    managers' group keeps its heads record readable by the same group)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if like is not None and os.name == "posix":
            os.chmod(tmp, 0o600 | (stat.S_IMODE(like.stat().st_mode) & 0o040))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _create_key(path: Path) -> None:
    if not path.parent.exists():
        path.parent.mkdir(parents=True)
        os.chmod(path.parent, 0o700)  # a folder we made is ours alone (mkdir's mode is cut by umask)
    secret = secrets.token_bytes(32)
    try:  # O_EXCL: two first uses at once cannot each make a key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(f"{KEY_HEADER} {secret.hex()}\n")
    os.chmod(path, 0o600)
    # The heads record exists from the key's first day, so its absence later is evidence.
    _write_heads(SigningKey(path, secret), {})


def load_key(key_path: str | os.PathLike[str] | None = None, *, create: bool = False) -> SigningKey:
    """The key at key_path (see resolve_key_path), created owner-only on first use if `create`."""
    path = resolve_key_path(key_path)
    if not path.exists():
        if not create:
            raise KeyMissingError(f"no sign-off key at {path}: pass --key PATH or set ${KEY_ENV_VAR} "
                                  "to the key the sign-offs were made with")
        _create_key(path)
    if os.name == "posix":
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o026:  # others may not read it; nobody but the owner may change it
            raise SignoffError(f"the sign-off key {path} can be read or changed by other users (mode {mode:04o}): "
                               f"run `chmod 600 {path}`")
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise SignoffError(f"the sign-off key {path} cannot be read: {shown(exc)}") from None
    match = re.fullmatch(rf"{KEY_HEADER} ([0-9a-f]{{64}})", text)
    if not match:
        raise SignoffError(f"{path} is not a rota sign-off key")
    return SigningKey(path, bytes.fromhex(match[1]))


def _read_heads(key: SigningKey) -> tuple[dict[str, dict[str, Any]], str | None]:
    """(chain_id -> {team, db, seq, head, updated_at}, problem or None)."""
    path = heads_path(key.path)
    if not path.exists():
        return {}, (f"the record of chain heads kept beside the key ({path}) is missing: it was deleted, "
                    "so a deleted or truncated database cannot be ruled out")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        body = {"key_id": data["key_id"], "chains": data["chains"]}
        valid = isinstance(data["mac"], str) and hmac.compare_digest(data["mac"], key.mac("heads", body))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        valid = False
    if not valid:
        return {}, f"the record of chain heads kept beside the key ({path}) was altered or is not for this key"
    return dict(body["chains"]), None


def _write_heads(key: SigningKey, chains: dict[str, dict[str, Any]]) -> None:
    body = {"key_id": key.key_id, "chains": chains}
    data = {**body, "mac": key.mac("heads", body)}
    _write_private(heads_path(key.path), json.dumps(data, indent=2, sort_keys=True).encode(), like=key.path)


def _remember_head(key: SigningKey, chain_id: str, team: str, db_path: Path, seq: int, head: str,
                   retire: tuple[str, ...] = (), backwards: bool = False) -> None:
    chains, problem = _read_heads(key)
    if problem and heads_path(key.path).exists():
        raise TamperedError([problem])
    previous = chains.get(chain_id)
    if previous and previous.get("seq", 0) > seq and not backwards:  # only accept_loss moves a head back
        return
    chains[chain_id] = {"team": team, "db": str(db_path.resolve()), "seq": seq, "head": head,
                        "updated_at": _utc_iso(None)}
    for old in retire:  # chains whose loss was accepted: kept as history, no longer a claim on the file
        chains[old] = {**chains[old], "retired_by": chain_id}
    _write_heads(key, chains)


# ---------------------------------------------------------------------------- records

def legacy_record_hash(record: dict[str, Any]) -> str:
    """Format 1 (no key): sha256 over canonical JSON of the record's fields, prev_hash included."""
    fields = {k: record[k] for k in ("seq", "breach_id", "breach", "signed_by", "signed_at",
                                     "reason", "prev_hash")}
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


record_hash = legacy_record_hash  # the name format 1 used


def record_mac(key: SigningKey, chain_id: str, record: dict[str, Any]) -> str:
    """Format 2: HMAC over the record's fields and the chain it belongs to."""
    return key.mac("record", {"chain_id": chain_id, **{k: record.get(k) for k in _RECORD_FIELDS}})


def meta_mac(key: SigningKey, meta: dict[str, Any]) -> str:
    return key.mac("chain", {k: meta.get(k) for k in _META_FIELDS})


def normalise_breach_id(breach_id: str) -> str:
    """`b-530DFA6B5D ` -> `B-530dfa6b5d` (ids are B- and ten lowercase hex digits)."""
    text = breach_id.strip()
    match = _BREACH_ID.fullmatch(text)
    return f"B-{match[1].lower()}" if match else text


def _same_breach(a: str, b: str) -> bool:
    return normalise_breach_id(a).casefold() == normalise_breach_id(b).casefold()


def read_breaches(outdir: str | os.PathLike[str]) -> dict[str, dict[str, str]]:
    """breach_id -> row of OUTDIR/breaches.csv (empty if the file is missing)."""
    path = Path(outdir) / "breaches.csv"
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["breach_id"]: dict(row) for row in csv.DictReader(handle) if row.get("breach_id")}


def find_breach(breaches: dict[str, dict[str, str]], breach_id: str) -> str | None:
    """The breach_id as breaches.csv spells it, matched case-insensitively."""
    return next((bid for bid in breaches if _same_breach(bid, breach_id)), None)


def clean_text(value: str, option: str, limit: int) -> str:
    """Names and reasons are stored as given (surrounding spaces trimmed) but must be plain text."""
    text = value.strip()
    if not text:
        raise SignoffError(f"{option} must not be empty")
    bad = _FORBIDDEN.search(text)
    if bad:
        raise SignoffError(f"{option} contains a control character (U+{ord(bad.group()):04X}) at position "
                           f"{bad.start() + 1}; write it as plain text on one line")
    if len(text) > limit:
        raise SignoffError(f"{option} is {len(text)} characters long; at most {limit} are kept")
    return text


def _utc_iso(now: datetime | None) -> str:
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("the sign-off clock must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass
class _Snapshot:
    """What a database holds, read without changing it."""
    exists: bool
    records: list[dict[str, Any]] = field(default_factory=list)
    head: tuple[int, str] | None = None
    meta: dict[str, Any] | None = None
    format1: bool = False  # the signoffs table has format 1's columns (no legacy_hash)

    @property
    def legacy(self) -> bool:
        """Records written by format 1, before sign-offs were authenticated: need --migrate."""
        return bool(self.records) and self.meta is None and self.format1

    @property
    def empty(self) -> bool:
        return not self.records and self.meta is None and self.head is None


def _read(db_path: Path) -> _Snapshot:
    if not db_path.exists():
        return _Snapshot(False)
    try:
        with closing(sqlite3.connect(db_path.resolve().as_uri() + "?mode=ro", uri=True)) as conn:
            tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            snap = _Snapshot(True)
            if "signoffs" in tables:
                columns = {row[1] for row in conn.execute("PRAGMA table_info(signoffs)")}
                snap.format1 = "legacy_hash" not in columns
                extra = "legacy_hash" if "legacy_hash" in columns else "NULL"
                rows = conn.execute("SELECT seq, breach_id, breach_json, signed_by, signed_at, reason, prev_hash,"
                                    f" hash, {extra} FROM signoffs ORDER BY seq").fetchall()
                for seq, bid, breach_json, by, at, reason, prev_hash, digest, legacy in rows:
                    try:
                        breach = json.loads(breach_json)
                    except (TypeError, ValueError):
                        breach = {"unparsable": breach_json}
                    snap.records.append({"seq": seq, "breach_id": bid, "breach": breach, "signed_by": by,
                                         "signed_at": at, "reason": reason, "prev_hash": prev_hash,
                                         "hash": digest, "legacy_hash": legacy})
            if "chain_head" in tables:
                head = conn.execute("SELECT seq, hash FROM chain_head WHERE id = 1").fetchone()
                snap.head = (head[0], head[1]) if head else None
            if "chain_meta" in tables:
                meta = conn.execute("SELECT version, chain_id, team, key_id, created_at, migrated_from, mac"
                                    " FROM chain_meta WHERE id = 1").fetchone()
                if meta:
                    snap.meta = dict(zip((*_META_FIELDS, "mac"), meta, strict=True))
    except sqlite3.Error as exc:
        raise SignoffError(f"{db_path} cannot be read as a sign-off database: {shown(exc)}") from None
    return snap


def _team_label(db_path: Path, team: str | os.PathLike[str] | None) -> str:
    if team:
        return str(Path(team).resolve())
    resolved = db_path.resolve()
    return str(resolved.parent.parent if resolved.parent.name == TEAM_SUBDIR else resolved.parent)


def _new_meta(key: SigningKey, team: str, migrated_from: str | None) -> dict[str, Any]:
    meta: dict[str, Any] = {"version": FORMAT_VERSION, "chain_id": uuid.uuid4().hex, "team": team,
                            "key_id": key.key_id, "created_at": _utc_iso(None), "migrated_from": migrated_from}
    meta["mac"] = meta_mac(key, meta)
    return meta


def _insert_meta(conn: sqlite3.Connection, meta: dict[str, Any]) -> None:
    conn.execute("INSERT INTO chain_meta (id, version, chain_id, team, key_id, created_at, migrated_from, mac)"
                 " VALUES (1, ?, ?, ?, ?, ?, ?, ?)", tuple(meta[k] for k in (*_META_FIELDS, "mac")))


def _insert_record(conn: sqlite3.Connection, record: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO signoffs (seq, breach_id, breach_json, signed_by, signed_at, reason, prev_hash, hash,"
        " legacy_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (record["seq"], record["breach_id"], json.dumps(record["breach"], sort_keys=True, ensure_ascii=False),
         record["signed_by"], record["signed_at"], record["reason"], record["prev_hash"], record["hash"],
         record.get("legacy_hash")))
    conn.execute("INSERT OR REPLACE INTO chain_head (id, seq, hash) VALUES (1, ?, ?)", (record["seq"], record["hash"]))


def _in_transaction(db_path: Path, body: Callable[[sqlite3.Connection], Any]) -> Any:
    """Run body inside BEGIN IMMEDIATE (one writer at a time: the chain cannot fork). The schema is
    created (and a format 1 table given its legacy_hash column) in the same transaction, so a
    failure leaves the file as it was."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(db_path, isolation_level=None)) as conn:  # explicit transactions
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _SCHEMA:
                conn.execute(statement)
            if "legacy_hash" not in {row[1] for row in conn.execute("PRAGMA table_info(signoffs)")}:
                conn.execute("ALTER TABLE signoffs ADD COLUMN legacy_hash TEXT")
            result = body(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return result


def record_signoff(db_path: str | os.PathLike[str], outdir: str | os.PathLike[str], breach_id: str,
                   by: str, reason: str, now: datetime | None = None, *, again: bool = False,
                   key_path: str | os.PathLike[str] | None = None,
                   team: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Append a sign-off of a breach listed in OUTDIR/breaches.csv; returns the record.

    Refuses (TamperedError) when the trail fails verification, so appending never hides a loss;
    refuses (AlreadySignedOffError) a breach already signed off unless `again`."""
    by = clean_text(by, "--by", MAX_NAME)
    reason = clean_text(reason, "--reason", MAX_REASON)
    breaches = read_breaches(outdir)
    canonical = find_breach(breaches, breach_id)
    if canonical is None:
        where = Path(outdir) / "breaches.csv"
        hint = (f"see the breach_id column of {where} or the breach register in rota.html"
                if breaches else f"{where} is missing or lists no breaches; run `rota plan` first")
        raise UnknownBreachError(f"unknown breach id '{shown(breach_id.strip())}': {hint}")
    db = Path(db_path)
    if _read(db).legacy:
        raise LegacyDatabaseError(f"{db} was written by an older rota without a key: run "
                                  f"`rota signoffs {Path(outdir)} --migrate` before adding sign-offs")
    key = load_key(key_path, create=True)
    signed_at = _utc_iso(now)
    label = _team_label(db, team)

    def append(conn: sqlite3.Connection) -> tuple[dict[str, Any], dict[str, Any]]:
        # Checked under the write lock: what we append to is exactly what was verified.
        problems = _verify(db, key, None)
        if problems:
            raise TamperedError(problems)
        snap = _read(db)
        earlier = [r for r in snap.records if _same_breach(r["breach_id"], canonical)]
        if earlier and not again:
            last = earlier[-1]
            raise AlreadySignedOffError(
                f"{canonical} was already signed off by {shown(last['signed_by'])} at {last['signed_at']} "
                f"(record {last['seq']}); add another sign-off with --again", last)
        meta = snap.meta
        if meta is None:
            meta = _new_meta(key, label, None)
            _insert_meta(conn, meta)
        prev = snap.records[-1] if snap.records else None
        record = {"seq": prev["seq"] + 1 if prev else 1, "breach_id": canonical, "breach": breaches[canonical],
                  "signed_by": by, "signed_at": signed_at, "reason": reason,
                  "prev_hash": prev["hash"] if prev else GENESIS, "legacy_hash": None}
        record["hash"] = record_mac(key, meta["chain_id"], record)
        _insert_record(conn, record)
        return record, meta

    record, meta = _in_transaction(db, append)
    # After COMMIT: a crash here leaves the heads record one behind, which verification allows
    # (the database may run ahead of it with authenticated records, never behind).
    _remember_head(key, meta["chain_id"], meta["team"], db, record["seq"], record["hash"])
    return record


def list_signoffs(db_path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Every record, oldest first (empty when the database does not exist yet)."""
    return _read(Path(db_path)).records


def chain_head(db_path: str | os.PathLike[str]) -> str | None:
    """The hash of the last record (what `rota plan` writes into manifest.json and rota.html), or None."""
    try:
        records = _read(Path(db_path)).records
    except SignoffError:
        return None
    return records[-1]["hash"] if records else None


def is_unkeyed(db_path: str | os.PathLike[str]) -> bool:
    """True for a database written before sign-offs were authenticated (needs --migrate)."""
    return _read(Path(db_path)).legacy


def legacy_db_awaiting_migration(outdir: str | os.PathLike[str], db_path: str | os.PathLike[str]) -> Path | None:
    """OUTDIR/signoffs.sqlite left by an older rota while the database in use holds nothing yet:
    its sign-offs must be moved explicitly (`--migrate`), never silently ignored."""
    legacy, db = Path(outdir) / DB_FILENAME, Path(db_path)
    if not legacy.exists() or legacy.resolve() == db.resolve():
        return None
    try:
        if not _read(legacy).records:
            return None
        return legacy if not _read(db).records else None
    except SignoffError:
        return legacy


# ---------------------------------------------------------------------------- verification

def _span(first: int, last: int) -> str:
    return f"record {first}" if first == last else f"records {first}..{last}"


def _legacy_problems(records: list[dict[str, Any]], head: tuple[int, str] | None) -> list[str]:
    """Format 1's own check (sha256 links; says nothing about who wrote them)."""
    problems, prev_hash, expected = [], GENESIS, 1
    for rec in records:
        label = f"record {rec['seq']} (breach {shown(rec['breach_id'])})"
        if rec["seq"] != expected:
            problems.append(f"{label}: sequence jumps from {expected - 1} to {rec['seq']}; "
                            f"{_span(expected, rec['seq'] - 1)} deleted")
        if rec["prev_hash"] != prev_hash:
            problems.append(f"{label}: chain link broken (prev_hash does not match the record before)")
        if legacy_record_hash(rec) != rec["hash"]:
            problems.append(f"{label}: contents changed since it was signed (hash mismatch)")
        prev_hash, expected = rec["hash"], rec["seq"] + 1
    problems.extend(_head_table_problems(records, head))
    return problems


def _head_table_problems(records: list[dict[str, Any]], head: tuple[int, str] | None) -> list[str]:
    if records and head is None:
        return ["the chain_head row is missing"]
    if head is not None:
        last_seq = records[-1]["seq"] if records else 0
        if head[0] != last_seq or (records and head[1] != records[-1]["hash"]):
            return [f"the database's own chain head says the last record is {head[0]} but the log ends at "
                    f"{last_seq}: record(s) deleted or altered at the end"]
    return []


def _check_head(records: list[dict[str, Any]], head: str, db: Path) -> list[str]:
    wanted = head.strip().lower()
    if not re.fullmatch(rf"[0-9a-f]{{{MIN_HEAD_PREFIX},64}}", wanted):
        raise SignoffError(f"--head must be the chain head recorded earlier: {MIN_HEAD_PREFIX} to 64 hex digits "
                           "(manifest.json signoff_chain_head, or the head printed in rota.html)")
    if not records:
        where = "is missing" if not db.exists() else "holds no sign-offs"
        return [f"the head {wanted} recorded earlier is not in the chain: {db} {where}"]
    if any(r["hash"].startswith(wanted) or (r["legacy_hash"] or "").startswith(wanted) for r in records):
        return []
    return [f"the head {wanted} recorded earlier is not in the chain (it ends at record {records[-1]['seq']}, "
            f"{records[-1]['hash'][:16]}...): records since then were removed or rewritten, or this is "
            "another team's database"]


def _legacy_verdict(db: Path, snap: _Snapshot, head: str | None) -> list[str]:
    return ([f"{db} was written by an older rota without a key, so its records are not authenticated: "
             "run `rota signoffs OUTDIR --migrate`"] + _legacy_problems(snap.records, snap.head)
            + (_check_head(snap.records, head, db) if head else []))


def _verify(db: Path, key: SigningKey, head: str | None) -> list[str]:
    snap = _read(db)
    if snap.legacy:
        return _legacy_verdict(db, snap, head)
    problems: list[str] = []
    chains, heads_problem = _read_heads(key)
    if heads_problem:
        problems.append(heads_problem)
    meta, chain_id = snap.meta, None
    if meta is not None:
        if meta["key_id"] != key.key_id:
            problems.append(f"{db} was signed with another key (key id {shown(meta['key_id'])}; the key at "
                            f"{key.path} is {key.key_id}): a database from another team, or the wrong --key")
        else:
            if not hmac.compare_digest(str(meta["mac"]), meta_mac(key, meta)):
                problems.append("the chain's identity (chain_meta: team, chain id, key id) was altered")
            chain_id = str(meta["chain_id"])
    elif snap.records:
        problems.append("the chain's identity (chain_meta) was deleted, so no record can be authenticated")
    if chain_id is not None:
        prev_hash, expected = GENESIS, 1
        for rec in snap.records:
            label = f"record {rec['seq']} (breach {shown(rec['breach_id'])})"
            if rec["seq"] != expected:
                problems.append(f"{label}: sequence jumps from {expected - 1} to {rec['seq']}; "
                                f"{_span(expected, rec['seq'] - 1)} deleted")
            if rec["prev_hash"] != prev_hash:
                problems.append(f"{label}: chain link broken (prev_hash does not match the record before)")
            if not hmac.compare_digest(str(rec["hash"]), record_mac(key, chain_id, rec)):
                problems.append(f"{label}: not authenticated by the key: changed since it was signed, or forged")
            prev_hash, expected = rec["hash"], rec["seq"] + 1
        problems.extend(_head_table_problems(snap.records, snap.head))
    problems.extend(_anchor_problems(db, snap, chain_id, chains))
    if head:
        problems.extend(_check_head(snap.records, head, db))
    return problems


def _anchor_problems(db: Path, snap: _Snapshot, chain_id: str | None,
                     chains: dict[str, dict[str, Any]]) -> list[str]:
    """Compare with what the key's heads record says about this chain and this database file."""
    problems: list[str] = []
    here = str(db.resolve())
    for other_id, entry in chains.items():
        if entry.get("db") != here or other_id == chain_id or not entry.get("seq") or entry.get("retired_by"):
            continue
        was = f"{entry['seq']} sign-off(s) (head {str(entry['head'])[:16]}...) for team {shown(entry['team'])}"
        if not snap.exists:
            problems.append(f"{db} is missing, but the key's record says it held {was}: the database was deleted")
        elif not snap.records and chain_id is None:
            problems.append(f"{db} holds no sign-offs, but the key's record says it held {was}: "
                            "every record was deleted")
        elif chain_id is not None:
            team = shown(snap.meta["team"]) if snap.meta else "unknown"
            problems.append(f"{db} holds another chain (team {team}), but the key's record says it held {was}: "
                            "the database was replaced, e.g. by another team's")
    if chain_id is None:
        return problems
    mine = chains.get(chain_id)
    if mine is None:
        if snap.records:
            problems.append("the key has no record of this chain: it was not signed with this key's "
                            "`rota signoff`, or the record beside the key was replaced")
        return problems
    seq, head = int(mine["seq"]), str(mine["head"])
    by_seq = {r["seq"]: r for r in snap.records}
    last = snap.records[-1]["seq"] if snap.records else 0
    if seq not in by_seq and last < seq:
        problems.append(f"the log ends at record {last}, but the key's record says it reached record {seq} "
                        f"(head {head[:16]}...): {_span(last + 1, seq)} deleted")
    elif seq and (seq not in by_seq or by_seq[seq]["hash"] != head):
        problems.append(f"record {seq} is not the one the key recorded (head {head[:16]}...): "
                        "the log was rewritten")
    return problems


def verify_chain(db_path: str | os.PathLike[str], head: str | None = None,
                 key_path: str | os.PathLike[str] | None = None) -> list[str]:
    """Problems with the trail, first one first; empty means intact. Raises KeyMissingError when
    there is something to check but no key (nothing can be said either way)."""
    db = Path(db_path)
    try:
        snap = _read(db)
    except SignoffError as exc:  # overwritten or damaged: a finding, not a reason to stop
        return [str(exc)]
    if snap.legacy:  # format 1: no key involved
        return _legacy_verdict(db, snap, head)
    path = resolve_key_path(key_path)
    if not path.exists():
        # Without the key nothing can be authenticated, but a head recorded earlier that is no
        # longer there is a finding all the same.
        missing_head = _check_head(snap.records, head, db) if head else []
        if missing_head or snap.empty:
            return missing_head
        load_key(path)  # raises KeyMissingError naming the path
    return _verify(db, load_key(path), head)


# ---------------------------------------------------------------------------- migration

@dataclass(frozen=True)
class Migration:
    source: Path
    target: Path
    records: int
    legacy_head: str | None
    head: str | None
    key: SigningKey


def migrate(db_path: str | os.PathLike[str], outdir: str | os.PathLike[str],
            key_path: str | os.PathLike[str] | None = None,
            team: str | os.PathLike[str] | None = None) -> Migration:
    """Authenticate an unkeyed (format 1) trail with the key: in place, or from OUTDIR/signoffs.sqlite
    into db_path when that holds nothing yet. The old chain must pass its own check first (a
    migration must not vouch for altered records); each record keeps its old hash as legacy_hash,
    so heads recorded before the migration still match `--head`. The old file is left as it was."""
    target = Path(db_path)
    target_snap = _read(target)
    if target_snap.legacy:
        source, snap = target, target_snap
    else:
        legacy = legacy_db_awaiting_migration(outdir, target)
        if legacy is None:
            if target_snap.meta is not None:
                raise SignoffError(f"nothing to migrate: {target} is already authenticated with a key "
                                   f"(key id {shown(target_snap.meta['key_id'])})")
            raise SignoffError(f"nothing to migrate: neither {target} nor {Path(outdir) / DB_FILENAME} "
                               "holds sign-offs written by an older rota")
        source, snap = legacy, _read(legacy)
        if not snap.legacy:
            raise SignoffError(f"{source} is not an unkeyed sign-off database; pass it with --db to check it")
    problems = _legacy_problems(snap.records, snap.head)
    if problems:
        raise TamperedError([f"{source} fails its own hash check, so migrating it would vouch for altered "
                             "records"] + problems)
    key = load_key(key_path, create=True)
    chains, heads_problem = _read_heads(key)
    if heads_problem:
        raise TamperedError([heads_problem])
    here = str(target.resolve())
    if any(e.get("db") == here and e.get("seq") for e in chains.values()):
        raise TamperedError([f"the key's record says {target} already held an authenticated chain; "
                             "run `rota signoffs --verify` to see what happened to it"])
    meta = _new_meta(key, _team_label(target, team),
                     f"{source.resolve()}: {len(snap.records)} unkeyed record(s), head {snap.records[-1]['hash']}")
    migrated: list[dict[str, Any]] = []
    prev_hash = GENESIS
    for old in snap.records:
        rec = {**old, "prev_hash": prev_hash, "legacy_hash": old["hash"]}
        rec["hash"] = record_mac(key, meta["chain_id"], rec)
        migrated.append(rec)
        prev_hash = rec["hash"]

    def rewrite(conn: sqlite3.Connection) -> None:
        if source != target and conn.execute("SELECT COUNT(*) FROM signoffs").fetchone()[0]:
            raise SignoffError(f"{target} gained sign-offs meanwhile; run --migrate again")
        conn.execute("DELETE FROM signoffs")
        conn.execute("DELETE FROM chain_head")
        _insert_meta(conn, meta)
        for rec in migrated:
            _insert_record(conn, rec)

    _in_transaction(target, rewrite)
    _remember_head(key, meta["chain_id"], meta["team"], target, migrated[-1]["seq"], migrated[-1]["hash"])
    return Migration(source, target, len(migrated), snap.records[-1]["hash"], migrated[-1]["hash"], key)


# ---------------------------------------------------------------------------- accepting a loss

def accept_loss(db_path: str | os.PathLike[str], by: str, reason: str, now: datetime | None = None, *,
                key_path: str | os.PathLike[str] | None = None,
                team: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Records lost for a known reason (the database restored from an older backup, or lost with its
    disk) fail verification for ever, by design. A manager holding the key may accept the loss: it
    becomes a record of the trail (who, when, why, and the head the key had recorded) and the key's
    record moves to it. Only a loss is accepted: every record left must still be authentic, and a
    database holding another chain is never adopted."""
    by = clean_text(by, "--by", MAX_NAME)
    reason = clean_text(reason, "--reason", MAX_REASON)
    db = Path(db_path)
    if _read(db).legacy:
        raise LegacyDatabaseError(f"{db} was written by an older rota without a key: migrate it first")
    key = load_key(key_path)
    label = _team_label(db, team)

    def append(conn: sqlite3.Connection) -> tuple[dict[str, Any], dict[str, Any], tuple[str, ...]]:
        snap = _read(db)
        chains, heads_problem = _read_heads(key)
        if heads_problem:
            raise TamperedError([heads_problem])
        chain_id = str(snap.meta["chain_id"]) if snap.meta else None
        losses = _anchor_problems(db, snap, chain_id, chains)
        others = [p for p in _verify(db, key, None) if p not in losses]
        if others:
            raise TamperedError(others + ["only records missing at the end can be accepted as lost; these "
                                          "problems are something else"])
        if not losses:
            raise SignoffError(f"nothing to accept: {db} passes verification")
        here = str(db.resolve())
        retired = tuple(cid for cid, e in chains.items() if e.get("db") == here and cid != chain_id
                        and e.get("seq") and not e.get("retired_by"))
        if retired and chain_id is not None:
            raise TamperedError(losses + ["the database holds another chain; it is never adopted in place of "
                                          "the one the key recorded"])
        lost = [{"chain_id": cid, "team": chains[cid]["team"], "db": chains[cid]["db"],
                 "seq": chains[cid]["seq"], "head": chains[cid]["head"]}
                for cid in (*retired, *([chain_id] if chain_id in chains else []))]
        meta = snap.meta
        if meta is None:
            meta = _new_meta(key, label, None)
            _insert_meta(conn, meta)
        prev = snap.records[-1] if snap.records else None
        record = {"seq": prev["seq"] + 1 if prev else 1, "breach_id": LOSS_ID,
                  "breach": {"event": "records lost", "records_left": len(snap.records), "lost": lost},
                  "signed_by": by, "signed_at": _utc_iso(now), "reason": reason,
                  "prev_hash": prev["hash"] if prev else GENESIS, "legacy_hash": None}
        record["hash"] = record_mac(key, meta["chain_id"], record)
        _insert_record(conn, record)
        return record, meta, retired

    record, meta, retired = _in_transaction(db, append)
    _remember_head(key, meta["chain_id"], meta["team"], db, record["seq"], record["hash"],
                   retire=retired, backwards=True)
    return record


def describe_loss(record: dict[str, Any]) -> str:
    """One line for a LOSS_ID record: what the key had recorded and what was left."""
    breach = record["breach"] if isinstance(record["breach"], dict) else {}
    lost = breach.get("lost") or []
    recorded = "; ".join(f"{e.get('seq')} record(s), head {str(e.get('head'))[:16]}..." for e in lost
                         if isinstance(e, dict))
    return (f"loss of records accepted by {record['signed_by']} on {str(record['signed_at'])[:10]}: the key had "
            f"recorded {recorded or 'nothing'}; {breach.get('records_left', '?')} record(s) were left")


# ---------------------------------------------------------------------------- states for the outputs

def latest_signoffs(db_path: str | os.PathLike[str]) -> dict[str, dict[str, Any]]:
    """breach_id (as breaches.csv spells it) -> its most recent sign-off record."""
    return {normalise_breach_id(rec["breach_id"]): rec for rec in list_signoffs(db_path)
            if rec["breach_id"] != LOSS_ID}


def describe(record: dict[str, Any] | None) -> str:
    if record is None:
        return NOT_SIGNED_OFF
    return f"signed off by {record['signed_by']} on {record['signed_at'][:10]}"


def signoff_state(db_path: str | os.PathLike[str], breach: Breach | str) -> str:
    """'signed off by X on DATE' or 'not signed off' for a breach (or a breach_id)."""
    bid = breach if isinstance(breach, str) else breach.breach_id
    return describe(latest_signoffs(db_path).get(normalise_breach_id(bid)))


def signoff_states(db_path: str | os.PathLike[str]) -> dict[str, str]:
    """breach_id -> state text, for every signed-off breach (what write_all takes)."""
    return {bid: describe(rec) for bid, rec in latest_signoffs(db_path).items()}
