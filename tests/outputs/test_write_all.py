"""write_all: every output written, atomically, and never a child's name/address where it must not be."""
from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar
from openpyxl import load_workbook

from scheduler.outputs import write_all

NOW = datetime(2025, 3, 20, 8, 0, tzinfo=UTC)


def test_writes_everything_and_leaves_other_files(tmp_path, result, team):
    (tmp_path / "rota.csv").write_text("lead's file")
    (tmp_path / "signoffs.sqlite").write_bytes(b"not ours")
    paths = write_all(result, team, tmp_path, None, now=NOW)
    rel = sorted(str(p.relative_to(tmp_path)) for p in paths)
    assert rel == ["calendars/W1.ics", "calendars/W2.ics", "calendars/W3.ics", "map.html", "rota.html", "rota.xlsx"]
    assert (tmp_path / "rota.csv").read_text() == "lead's file"
    assert (tmp_path / "signoffs.sqlite").read_bytes() == b"not ours"
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    assert load_workbook(tmp_path / "rota.xlsx").sheetnames == ["W1", "W2", "W3", "Breaches"]


def test_uids_stable_across_two_full_runs(tmp_path, result, team):
    def uids(out):
        return sorted(str(ev["UID"]) for f in (out / "calendars").glob("*.ics")
                      for ev in Calendar.from_ical(f.read_bytes()).walk("VEVENT"))

    write_all(result, team, tmp_path / "one", now=NOW)
    write_all(result, team, tmp_path / "two", now=datetime(2025, 3, 21, tzinfo=UTC))
    assert uids(tmp_path / "one") == uids(tmp_path / "two")
    assert len(uids(tmp_path / "one")) == len(result.activities)


def test_names_never_in_map_or_calendars_even_when_opted_in(tmp_path, result, team):
    write_all(result, team, tmp_path, show_child_names=True, now=NOW)
    sensitive = [s for c in team.children for s in (c.name, c.address, c.postcode)]
    for path in [tmp_path / "map.html", *(tmp_path / "calendars").glob("*.ics")]:
        text = path.read_text(encoding="utf-8").replace("\r\n ", "")
        assert not [s for s in sensitive if s in text], path.name
    html = (tmp_path / "rota.html").read_text(encoding="utf-8")
    assert "Alice Zebedee" in html  # opted in: names next to references in the team's rota
    assert not [c.address for c in team.children if c.address in html]


def test_default_is_reference_only_everywhere(tmp_path, result, team):
    write_all(result, team, tmp_path, now=NOW)
    names = [c.name for c in team.children]
    for path in [tmp_path / "rota.html", tmp_path / "map.html", *(tmp_path / "calendars").glob("*.ics")]:
        text = path.read_text(encoding="utf-8")
        assert not [n for n in names if n in text], path.name
    wb = load_workbook(tmp_path / "rota.xlsx")
    cells = " ".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row)
    assert not [n for n in names if n in cells]
