"""map.html (static checks): offline resources, the plan's days and workers as data, stops in
route order with time/activity/child references, privacy, ids that cannot break out."""
from __future__ import annotations

import dataclasses
import json
import re
from datetime import date

from scheduler.outputs.mapping import PALETTE, external_references, map_data, render_map


def _data(page: str) -> dict:
    match = re.search(r"const DATA = (\{.*?\});\n", page)
    assert match, "no DATA in map.html"
    return json.loads(match.group(1))


def test_no_network_resources_besides_tiles(result, team):
    page = render_map(result, team)
    assert external_references(page) == []
    assert "<script src" not in page and "<link" not in page
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower()
    assert "Leaflet 1.9.4" in page  # inlined
    assert "url(images/" not in page  # CSS images inlined as data URIs
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in _data(page)["tiles"]


def test_days_are_the_plans_working_days_and_open_on_the_first(result, team):
    data = _data(render_map(result, team))
    # Mon 24 Mar - Fri 4 Apr 2025: ten weekdays, plus Sat 29 Mar when W2 has a visit
    assert [d["date"] for d in data["days"]] == [
        "2025-03-24", "2025-03-25", "2025-03-26", "2025-03-27", "2025-03-28", "2025-03-29",
        "2025-03-31", "2025-04-01", "2025-04-02", "2025-04-03", "2025-04-04"]
    assert data["first_day"] == "2025-03-24"
    assert data["days"][0]["label"] == "Mon 24 Mar 2025"


def test_working_days_given_by_the_horizon(result, team):
    # a bank holiday (say Fri 28 Mar) is not a working day: not in the picker unless something is planned
    days = [date(2025, 3, d) for d in (24, 25, 26, 27, 31)] + [date(2025, 4, d) for d in (1, 2, 3, 4)]
    data = map_data(result, team, days)
    assert "2025-03-28" not in [d["date"] for d in data["days"]]
    assert "2025-03-29" in [d["date"] for d in data["days"]]  # W2's Saturday visit


def test_workers_legend_and_colours(result, team):
    data = _data(render_map(result, team))
    assert [(w["id"], w["name"], w["colour"]) for w in data["workers"]] == [
        ("W1", "Sam Porter", PALETTE[0]), ("W2", "Jo Reeve", PALETTE[1]), ("W3", "Kit Lane", PALETTE[2])]
    assert data["workers"][0]["base"] == [50.715, -2.44]


def test_stops_numbered_in_route_order_with_popup_facts(result, team):
    data = _data(render_map(result, team))
    monday = data["days"][0]
    (route,) = monday["routes"]
    assert route["worker"] == "W1" and route["travel"] == 32  # 12 + 20 min
    # W1: H1 (C1, C2) at 09:30, then H2 (C3) at 11:00
    assert [(s["n"], s["start"], s["household"], s["children"], s["at"]) for s in route["stops"]] == [
        (1, "09:30", "H1", ["C1", "C2"], [50.73, -2.41]), (2, "11:00", "H2", ["C3"], [50.65, -2.5])]
    assert route["stops"][0]["activity"] == "Visit" and route["stops"][0]["alone"] == ["C1"]
    tuesday_apr = next(d for d in data["days"] if d["date"] == "2025-04-01")
    (w2,) = tuesday_apr["routes"]
    assert [(s["n"], s["household"], s["cover"]) for s in w2["stops"]] == [(1, "H3", False), (2, "H2", True)]
    assert w2["stops"][1]["cover_reason"] == "not the allocated worker (no reason recorded by the planner)"


def test_day_picker_worker_filter_and_whole_plan_on_request(result, team):
    page = render_map(result, team)
    assert '<select id="day"' in page and 'id="workers"' in page
    assert 'new Option("Whole plan (all days, overview)", "all")' in page
    assert "let day = DATA.first_day;" in page  # opens on one day, not the whole plan


def test_no_child_names_or_addresses(result, team):
    page = render_map(result, team)
    for child in team.children:
        assert child.name not in page
        assert child.address not in page
        assert child.postcode not in page


def test_empty_plan_still_renders(team, result):
    result.activities = []
    data = _data(render_map(result, team))
    assert all(d["routes"] == [] for d in data["days"])


def test_ids_cannot_break_out_of_the_script(result, team):
    evil = "H`${alert(1)}</script><b>'"
    result.activities[0] = dataclasses.replace(result.activities[0], household_id=evil)
    page = render_map(result, team)
    assert "</script><b>" not in page
    # the id only ever appears inside the JSON data (with < > ' escaped); the page builds popups
    # with esc() and never puts data into a template literal as code
    assert _data(page)["days"][0]["routes"][0]["stops"][0]["household"] == evil
    script = page[page.index("const DATA"):]
    assert script.count("${alert(1)}") == 1
