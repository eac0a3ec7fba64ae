"""write_all: every output written, and never a child's name/address where it must not be."""
from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar
from openpyxl import load_workbook

from scheduler.outputs import write_all

NOW = datetime(2025, 3, 20, 8, 0, tzinfo=UTC)
TEAM_FILES = ("rota.html", "map.html")


def test_writes_everything_and_leaves_other_files(tmp_path, result, team):
    (tmp_path / "rota.csv").write_text("lead's file")
    (tmp_path / "signoffs.sqlite").write_bytes(b"not ours")
    paths = write_all(result, team, tmp_path, None, now=NOW)
    rel = sorted(str(p.relative_to(tmp_path)) for p in paths)
    assert rel == ["calendars/W1.ics", "calendars/W2.ics", "calendars/W3.ics", "map.html", "rota.html", "rota.xlsx",
                   "workers/W1.html", "workers/W2.html", "workers/W3.html"]
    assert (tmp_path / "rota.csv").read_text() == "lead's file"
    assert (tmp_path / "signoffs.sqlite").read_bytes() == b"not ours"
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    assert load_workbook(tmp_path / "rota.xlsx").sheetnames == ["Team", "Breaches", "W1 Sam Porter", "W2 Jo Reeve",
                                                                "W3 Kit Lane"]
    assert 'href="workers/W2.html"' in (tmp_path / "rota.html").read_text()


def test_uids_stable_across_two_full_runs(tmp_path, result, team):
    def uids(out):
        return sorted(str(ev["UID"]) for f in (out / "calendars").glob("*.ics")
                      for ev in Calendar.from_ical(f.read_bytes()).walk("VEVENT"))

    write_all(result, team, tmp_path / "one", now=NOW)
    write_all(result, team, tmp_path / "two", now=datetime(2025, 3, 21, tzinfo=UTC))
    assert uids(tmp_path / "one") == uids(tmp_path / "two")
    assert len(uids(tmp_path / "one")) == len(result.activities)


def _texts(folder):
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8").replace("\r\n ", "")
            for p in folder.rglob("*") if p.suffix in (".html", ".ics")}


def test_worker_details_only_in_the_workers_own_files(tmp_path, result, team):
    write_all(result, team, tmp_path, worker_details=True, now=NOW)
    texts = _texts(tmp_path)
    sensitive = [s for c in team.children for s in (c.name, c.address, c.postcode)]
    for name in TEAM_FILES:
        assert not [s for s in sensitive if s in texts[name]], name
    wb = load_workbook(tmp_path / "rota.xlsx")
    cells = " ".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row)
    assert not [s for s in sensitive if s in cells]
    # W1 visits H1 (C1, C2) and H2 (C3); W2 visits H3 (C4) and covers H2 (C3)
    for own in ("calendars/W1.ics", "workers/W1.html"):
        assert "Alice Zebedee" in texts[own] and "Carla Quint" in texts[own] and "Dev Ormsby" not in texts[own]
    for own in ("calendars/W2.ics", "workers/W2.html"):
        assert "Dev Ormsby" in texts[own] and "Carla Quint" in texts[own] and "Alice Zebedee" not in texts[own]


def test_default_is_reference_and_district_only_everywhere(tmp_path, result, team):
    write_all(result, team, tmp_path, now=NOW)
    sensitive = [s for c in team.children for s in (c.name, c.address, c.postcode)]
    for name, text in _texts(tmp_path).items():
        assert not [s for s in sensitive if s in text], name
    wb = load_workbook(tmp_path / "rota.xlsx")
    cells = " ".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row)
    assert not [s for s in sensitive if s in cells]
