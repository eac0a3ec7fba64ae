"""calendars/<worker>.ics: RFC 5545 via icalendar, Europe/London times, stable UIDs."""
from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time

from icalendar import Calendar

from scheduler.outputs.ics import event_uids, write_calendars

NOW = datetime(2025, 3, 20, 8, 0, tzinfo=UTC)


def _events(path):
    cal = Calendar.from_ical(path.read_bytes())
    return cal, list(cal.walk("VEVENT"))


def test_one_calendar_per_worker_one_event_per_activity(tmp_path, result, team):
    paths = write_calendars(tmp_path, result, team, NOW)
    assert sorted(p.name for p in paths) == ["W1.ics", "W2.ics", "W3.ics"]
    for path in paths:
        wid = path.stem
        cal, events = _events(path)
        assert str(cal["VERSION"]) == "2.0" and "PRODID" in cal
        assert len(events) == sum(1 for a in result.activities if a.worker_id == wid)
        assert [c["TZID"] for c in cal.walk("VTIMEZONE")] == ["Europe/London"]


def test_times_are_europe_london_across_clock_change(tmp_path, result, team):
    write_calendars(tmp_path, result, team, NOW)
    _, events = _events(tmp_path / "calendars" / "W1.ics")
    starts = sorted(ev.decoded("DTSTART") for ev in events)
    assert all(str(s.tzinfo) == "Europe/London" for s in starts)
    # 09:30 on Mon 24 Mar is GMT (09:30 UTC); 09:30 on Mon 31 Mar is BST (08:30 UTC)
    assert starts[0].astimezone(UTC).time() == time(9, 30)
    assert starts[-1].astimezone(UTC).time() == time(8, 30)
    assert "DTSTART;TZID=Europe/London:20250331T093000" in (tmp_path / "calendars" / "W1.ics").read_text()
    assert all(ev.decoded("DTSTAMP") == NOW for ev in events)


def test_uids_stable_across_runs_and_unique(tmp_path, result, team):
    write_calendars(tmp_path / "a", result, team, NOW)
    write_calendars(tmp_path / "b", result, team, datetime(2025, 3, 27, 9, 0, tzinfo=UTC))
    all_uids = []
    for wid in ("W1", "W2", "W3"):
        first = [str(ev["UID"]) for ev in _events(tmp_path / "a" / "calendars" / f"{wid}.ics")[1]]
        second = [str(ev["UID"]) for ev in _events(tmp_path / "b" / "calendars" / f"{wid}.ics")[1]]
        assert first == second
        all_uids += first
    assert len(all_uids) == len(set(all_uids)) == len(result.activities)


def test_moved_within_week_keeps_uid_other_week_does_not(result):
    acts = [a for a in result.activities if a.worker_id == "W1"]
    original = event_uids(acts)
    moved = [dataclasses.replace(acts[1], date=date(2025, 3, 25), start=time(14, 0), end=time(15, 0))]
    assert event_uids(acts[:1] + moved + acts[2:]) == original  # same household, same week
    next_week = [dataclasses.replace(acts[1], date=date(2025, 4, 1))]
    assert event_uids(acts[:1] + next_week + acts[2:])[1] != original[1]


def test_event_content_and_privacy(tmp_path, result, team):
    write_calendars(tmp_path, result, team, NOW)
    _, events = _events(tmp_path / "calendars" / "W2.ics")
    cover = [ev for ev in events if "[cover]" in str(ev["SUMMARY"])]
    assert len(cover) == 2  # W2 covers two C3 visits
    first = min(events, key=lambda ev: ev.decoded("DTSTART"))
    # C4's postcode is BH15 9ZZ: the event carries the district BH15 only
    assert str(first["SUMMARY"]) == "Visit: household H3 (C4) BH15"
    assert str(first["LOCATION"]) == "household H3, BH15"
    assert "Seen alone: C4" in str(first["DESCRIPTION"]) and "Travel to this stop: 35 min" in str(first["DESCRIPTION"])
    text = "".join((p).read_text() for p in (tmp_path / "calendars").iterdir())
    unfolded = text.replace("\r\n ", "")
    for child in team.children:
        assert child.name not in unfolded and child.address not in unfolded and child.postcode not in unfolded
    assert "GEO:" not in unfolded


def test_names_and_address_only_with_worker_details(tmp_path, result, team):
    """--worker-details puts names and the address in the worker's own calendar; without it,
    references and the postcode district only."""
    def unfolded(folder):
        return {p.stem: p.read_text().replace("\r\n ", "") for p in (folder / "calendars").iterdir()}

    plain = unfolded(tmp_path / "plain") if write_calendars(tmp_path / "plain", result, team, NOW) else {}
    detailed = unfolded(tmp_path / "details") if write_calendars(tmp_path / "details", result, team, NOW,
                                                                 worker_details=True) else {}
    for text in plain.values():
        assert not [s for c in team.children for s in (c.name, c.address, c.postcode) if s in text]
    # W1 visits H1 (C1 Alice, C2 Bobby at 12 Larkspur Close) and H2 (C3 Carla): names there only
    assert "C1 Alice Zebedee" in detailed["W1"] and "C3 Carla Quint" in detailed["W1"]
    assert "LOCATION:12 Larkspur Close\\, DT1 1AA" in detailed["W1"]
    assert "Dev Ormsby" not in detailed["W1"]  # C4 is W2's: never in W1's calendar
    assert "Dev Ormsby" in detailed["W2"] and "Alice Zebedee" not in detailed["W2"]
    assert not [c.name for c in team.children if c.name in detailed["W3"]]  # W3 has nothing planned


def test_calendar_file_names_unique_and_safe(tmp_path, result, team):
    """Ids that make the same file name (W 02, W_02, W/02, w_02) and a name Windows reserves
    (CON) each get their own calendar: nothing lost, nothing outside calendars/."""
    ids = ["W 02", "W_02", "W/02", "w_02", "CON", "../x"]
    workers = tuple(dataclasses.replace(team.workers[0], worker_id=wid) for wid in ids)
    acts = [dataclasses.replace(result.activities[0], worker_id=wid) for wid in ids]
    paths = write_calendars(tmp_path, dataclasses.replace(result, activities=acts), dataclasses.replace(
        team, workers=workers), NOW)
    names = [p.name for p in paths]
    assert names == ["W_02.ics", "W_02-2.ics", "W_02-3.ics", "w_02-4.ics", "CON_.ics", "___x.ics"]
    assert len({n.casefold() for n in names}) == len(ids)
    assert all(p.parent == tmp_path / "calendars" for p in paths)
    for wid, path in zip(ids, paths, strict=True):
        cal, events = _events(path)
        assert str(cal["X-WR-CALNAME"]) == f"Rota {wid}" and len(events) == 1


def test_control_characters_never_start_a_property(tmp_path, result, team):
    evil = "W1\nATTENDEE:mailto:x@evil.test"
    workers = (dataclasses.replace(team.workers[0], worker_id=evil),)
    acts = [dataclasses.replace(result.activities[0], worker_id=evil, household_id="H1\r\nLOCATION:x")]
    (path,) = write_calendars(tmp_path, dataclasses.replace(result, activities=acts),
                              dataclasses.replace(team, workers=workers), NOW)
    text = path.read_text()
    assert "\nATTENDEE" not in text and "\r\nLOCATION:x" not in text
    _, events = _events(path)
    assert len(events) == 1 and "ATTENDEE" not in events[0]


def test_school_visit_summary(tmp_path, result, team):
    result.activities[1] = dataclasses.replace(result.activities[1], location="school")
    write_calendars(tmp_path, result, team, NOW)
    _, events = _events(tmp_path / "calendars" / "W1.ics")
    summaries = sorted(str(ev["SUMMARY"]) for ev in events)
    assert "Visit at school: household H2 (C3)" in summaries
    assert "Visit: household H1 (C1, C2) DT1" in summaries
