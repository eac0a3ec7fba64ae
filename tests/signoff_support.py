"""Shared set-up for the sign-off tests: a team folder, an output folder with breaches.csv and the
manifest `rota plan` writes, and a key kept in the test's own folder (never the real home)."""
from __future__ import annotations

import csv
import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from scheduler.cli.signoff import signoff as signoff_cmd
from scheduler.cli.signoff import signoffs as signoffs_cmd
from scheduler.signoff import GENESIS, legacy_record_hash, record_signoff
from scheduler.solution import BREACH_COLUMNS, Breach

T0 = datetime(2025, 3, 20, 9, 15, tzinfo=UTC)


def breaches(due_c3: date = date(2025, 3, 28)) -> list[Breach]:
    return [
        Breach("C3", "visit", due_c3, date(2025, 3, 29), 1, 5, "W1 at capacity", False),
        Breach("C4", "cp_review", date(2025, 4, 2), None, 2, 9, "No chair available", True),
        Breach("C1", "seen_alone", date(2025, 3, 27), date(2025, 3, 31), 4, 3, "Child unwell", False),
    ]


def write_breaches(outdir: Path, items: list[Breach]) -> None:
    """What `rota plan` does with breaches.csv (same columns)."""
    outdir.mkdir(parents=True, exist_ok=True)
    with (outdir / "breaches.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=BREACH_COLUMNS)
        writer.writeheader()
        writer.writerows(b.row() for b in items)


def write_manifest(outdir: Path, team: Path) -> None:
    """The keys of OUTDIR/manifest.json the sign-off commands read."""
    (outdir / "manifest.json").write_text(json.dumps({"team_folder": str(team)}), encoding="utf-8")


@dataclass
class Team:
    folder: Path
    out: Path
    key: Path

    @property
    def db(self) -> Path:
        return self.folder / ".rota" / "signoffs.sqlite"

    def sign(self, index: int, again: bool = False, by: str | None = None) -> dict:
        b = breaches()[index]
        return record_signoff(self.db, self.out, b.breach_id, by or f"Manager {index}", f"reason {index}",
                              now=T0 + timedelta(hours=index), again=again, team=self.folder)

    def sign_all(self) -> list[dict]:
        return [self.sign(i) for i in range(3)]


class closing_connect:
    """sqlite3 connection that commits and closes (the tamperer's tool)."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path)

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.commit()
        self.conn.close()


def use_test_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test signs with a key in its own folder, never ~/.config (the `key_path` fixture)."""
    path = tmp_path / "managers" / "rota" / "signoff.key"
    monkeypatch.setenv("ROTA_SIGNOFF_KEY", str(path))
    monkeypatch.delenv("ROTA_SIGNOFF_DB", raising=False)
    return path


def make_team(tmp_path: Path, key: Path, name: str = "team") -> Team:
    folder = tmp_path / name
    folder.mkdir()
    out = tmp_path / f"{name}-out"
    write_breaches(out, breaches())
    write_manifest(out, folder)
    return Team(folder, out, key)


def run(command, *args: str) -> Result:
    return CliRunner().invoke(command, [str(a) for a in args])


def verify_cli(out: Path, *extra: str) -> Result:
    return run(signoffs_cmd, out, "--verify", *extra)


def sign_cli(out: Path, breach_id: str, *extra: str) -> Result:
    return run(signoff_cmd, out, breach_id, "--by", "Pat Smith", "--reason", "Family away", *extra)


FORMAT1_SCHEMA = """
CREATE TABLE IF NOT EXISTS signoffs (
    seq INTEGER PRIMARY KEY, breach_id TEXT NOT NULL, breach_json TEXT NOT NULL, signed_by TEXT NOT NULL,
    signed_at TEXT NOT NULL, reason TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS signoffs_breach ON signoffs(breach_id);
CREATE TABLE IF NOT EXISTS chain_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL,
    hash TEXT NOT NULL);
"""


def write_format1(db: Path, out: Path, count: int = 2) -> list[dict]:
    """A database exactly as the code before issue 9 wrote it: sha256 chain, no key, no chain_meta."""
    rows = {r["breach_id"]: r for r in (b.row() for b in breaches())}
    records, prev = [], GENESIS
    for seq, bid in enumerate(list(rows)[:count], start=1):
        rec = {"seq": seq, "breach_id": bid, "breach": rows[bid], "signed_by": f"Old Manager {seq}",
               "signed_at": f"2024-12-0{seq}T10:00:00Z", "reason": f"old reason {seq}", "prev_hash": prev}
        rec["hash"] = legacy_record_hash(rec)
        records.append(rec)
        prev = rec["hash"]
    db.parent.mkdir(parents=True, exist_ok=True)
    with closing_connect(db) as conn:
        conn.executescript(FORMAT1_SCHEMA)
        for rec in records:
            conn.execute("INSERT INTO signoffs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (rec["seq"], rec["breach_id"], json.dumps(rec["breach"], sort_keys=True),
                          rec["signed_by"], rec["signed_at"], rec["reason"], rec["prev_hash"], rec["hash"]))
        conn.execute("INSERT OR REPLACE INTO chain_head VALUES (1, ?, ?)", (records[-1]["seq"], records[-1]["hash"]))
    return records
