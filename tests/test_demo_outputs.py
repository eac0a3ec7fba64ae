"""The README's main job on the shipped demo team: every output exists, parses, is complete,
is reproducible, and carries no child's name or address where it must not."""
from __future__ import annotations

import csv
import json
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from icalendar import Calendar

from scheduler.cli import main

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "inputs" / "demo"
ARGS = ["--standard", "swindon", "--start", "2026-11-23", "--weeks", "4",
        "--time-limit", "600", "--work-limit", "12", "--quiet"]


def _plan(out: Path):
    run = CliRunner().invoke(main, ["plan", str(DEMO), *ARGS, "--out", str(out)])
    assert run.exit_code == 0, run.output
    return run


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    first, second = tmp_path_factory.mktemp("run1"), tmp_path_factory.mktemp("run2")
    return (first, _plan(first)), (second, _plan(second))


@pytest.fixture(scope="module")
def out(runs) -> Path:
    return runs[0][0]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _personal_details() -> list[str]:
    rows = _rows(DEMO / "children.csv")
    found = [r[col] for r in rows for col in ("name", "address", "postcode") if r.get(col)]
    assert len(found) > 100  # the demo really has personal details to leak
    return found


def test_rota_and_breaches_written_and_verified(out, runs):
    rota, breaches = _rows(out / "rota.csv"), _rows(out / "breaches.csv")
    assert len(rota) > 100
    assert all(b["proven_unavoidable"] in ("yes", "no") for b in breaches)
    assert "verifier: every rule re-checked" in runs[0][1].output


def test_same_inputs_same_bytes(runs):
    (a, _), (b, _) = runs
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert {"rota.csv", "breaches.csv", "rota.html", "rota.xlsx", "map.html", "manifest.json"} <= {
        str(f) for f in files}
    for name in files:
        if str(name) == "manifest.json":  # names the output folder's own sign-off database
            continue
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    manifests = [json.loads((d / "manifest.json").read_text()) for d in (a, b)]
    for m in manifests:
        m.pop("signoff_db")
    assert manifests[0] == manifests[1]


def test_manifest_lists_every_file(out):
    manifest = json.loads((out / "manifest.json").read_text())
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(manifest["files"]) == files
    assert manifest["team_folder"] == str(DEMO) and manifest["standard"] == "swindon"
    assert set(manifest["inputs"]) == {"workers.csv", "children.csv", "visits.csv", "meetings.csv", "absences.csv"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text: list[str] = []

    def handle_data(self, data):
        self.text.append(data)


def test_html_has_every_worker_and_breach(out):
    parser = _Text()
    parser.feed((out / "rota.html").read_text(encoding="utf-8"))
    text = " ".join(parser.text)
    for w in _rows(DEMO / "workers.csv"):
        assert w["worker_id"] in text
    for b in _rows(out / "breaches.csv"):
        assert b["breach_id"] in text


def test_xlsx_sheets(out):
    book = openpyxl.load_workbook(out / "rota.xlsx")
    workers = [f"{w['worker_id']} {w['name']}" for w in _rows(DEMO / "workers.csv")]
    assert book.sheetnames == ["Team", "Breaches", *workers]
    assert "W02 Priya Shah" in book.sheetnames
    for ws in book:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1


def test_calendars_one_event_per_activity_and_stable_uids(runs):
    (a, _), (b, _) = runs
    rota = _rows(a / "rota.csv")
    for w in _rows(DEMO / "workers.csv"):
        wid = w["worker_id"]
        cals = [Calendar.from_ical((d / "calendars" / f"{wid}.ics").read_bytes()) for d in (a, b)]
        events = [[e for e in c.walk("VEVENT")] for c in cals]
        assert len(events[0]) == sum(1 for r in rota if r["worker_id"] == wid)
        assert sorted(str(e["UID"]) for e in events[0]) == sorted(str(e["UID"]) for e in events[1])


def test_no_names_or_addresses_in_map_calendars_or_logs(out, runs):
    secrets = _personal_details()
    places = [out / "map.html", *sorted((out / "calendars").glob("*.ics")), *sorted((out / "workers").glob("*.html"))]
    texts = {p.name: p.read_text(encoding="utf-8") for p in places}
    texts["log"] = runs[0][1].output
    texts["rota.html"] = (out / "rota.html").read_text(encoding="utf-8")  # references only by default
    for where, text in texts.items():
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{where} contains personal details: {leaked[:3]}"
