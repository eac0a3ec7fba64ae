"""map.html (static checks): a folium map with no CDN resources, the plan's days and workers as
data, one folium group per worker and day, stops in route order with time/activity/child
references in their popups, privacy, the same bytes every time, ids that cannot break out."""
from __future__ import annotations

import dataclasses
import json
import re
from datetime import date

from scheduler.outputs.mapping import PALETTE, external_references, map_data, render_map


def _bound(page: str, method: str) -> dict[str, list[str]]:
    """variable -> the texts bound to it with bindPopup/bindTooltip (JSON strings in the page)."""
    found: dict[str, list[str]] = {}
    for var, text in re.findall(rf"(\w+)\.{method}\((\"(?:[^\"\\]|\\.)*\")\);", page):
        found.setdefault(var, []).append(json.loads(text))
    return found


def _data(page: str) -> dict:
    match = re.search(r"const DATA = (\{.*?\});\n", page)
    assert match, "no DATA in map.html"
    return json.loads(match.group(1))


def test_no_network_resources_besides_tiles(result, team):
    page = render_map(result, team)
    assert external_references(page) == []
    assert "<script src" not in page and "<link" not in page
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower() and "//cdn" not in page
    assert "$(" not in page[page.index("var map = L.map("):]  # folium's popups would need jQuery
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
    assert _data(page)["days"][0]["routes"][0]["stops"][0]["household"] == evil
    # every occurrence is inside a JSON string (< > & ' escaped as \uXXXX): the data itself, and
    # popups/tooltips whose HTML was escaped first; never in a template literal or raw HTML
    places = [m.end() for m in re.finditer(re.escape("H`${alert(1)}"), page)]
    assert len(places) == 4  # W1's first stop: DATA, its marker's tooltip and popup, the overview's popup
    for at in places:
        assert page[at:].startswith(("\\u003c/script\\u003e\\u003cb\\u003e\\u0027",
                                     "\\u0026lt;/script\\u0026gt;\\u0026lt;b\\u0026gt;\\u0026#x27;")), page[at:at + 60]
    assert "`<div" not in page  # folium.Tooltip's template literal is not used


def test_braces_in_references_are_text_not_template(result, team):
    # branca compiles what a MacroElement renders as a Jinja template a second time; references
    # only ever reach the page through elements that skip that (else this would print 49 or fail)
    odd = "H{{ 7*7 }}{% if 1 %}x{% endif %}{# c"
    result.activities[0] = dataclasses.replace(result.activities[0], household_id=odd)
    page = render_map(result, team)
    assert _data(page)["days"][0]["routes"][0]["stops"][0]["household"] == odd
    popups = [t for texts in _bound(page, "bindPopup").values() for t in texts]
    assert sum("Household H{{ 7*7 }}{% if 1 %}x{% endif %}{# c" in t for t in popups) == 2  # day and overview


def test_a_folium_map_with_one_group_per_worker_and_day(result, team):
    page = render_map(result, team)
    assert '<div class="folium-map" id="map" >' in page and "var map = L.map(" in page
    assert 'L.tileLayer(\n                "https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in page
    # 6 worker-days (W1: 24, 26, 31 Mar; W2: 25, 29 Mar, 1 Apr), an overview group for W1 and W2
    # (W3 has nothing planned), a base group for each of the 3 workers
    groups = re.findall(r"var (feature_group_\d+) = L\.featureGroup\(", page)
    assert len(groups) == 6 + 2 + 3
    assert not [g for g in groups if f"{g}.addTo(map)" in page]  # none shown until the script picks
    layers = page[page.index("const LAYERS = {"):page.index("};", page.index("const LAYERS = {"))]
    assert layers.count("feature_group_") == len(groups)
    assert '"2025-04-01": { "W2": feature_group_' in layers
    # 8 activities: a numbered marker each, and a circle each for the whole-plan view
    assert page.count("L.divIcon(") == 8 and page.count('"className": "rota-household"') == 8
    assert page.count('"className": "rota-base"') == 3


def test_popups_and_tooltips(result, team):
    page = render_map(result, team)
    popups = sorted({t for texts in _bound(page, "bindPopup").values() for t in texts})
    # W2 on Tue 1 Apr: H3 at 13:00, then H2 at 15:00 as cover
    assert ("<b>Stop 2</b> · W2 Jo Reeve<br>Tue 1 Apr 2025 15:00–16:00: <b>Visit</b><br>Household H2<br>"
            "Children: C3<br>Travel to this stop: 25 min<br><span class=\"cover\">Cover: not the allocated worker "
            "(no reason recorded by the planner)</span>") in popups
    assert ("<b>Stop 1</b> · W1 Sam Porter<br>Mon 24 Mar 2025 09:30–10:30: <b>Visit</b><br>Household H1<br>"
            "Children: C1, C2<br>Seen alone: C1<br>Bedroom check: C1, C2<br>Travel to this stop: 12 min") in popups
    assert len(popups) == 8
    tooltips = {t for texts in _bound(page, "bindTooltip").values() for t in texts}
    assert {"W1, Mon 24 Mar 2025: 2 stop(s), 32 min travel", "W2 stop 2: 15:00 Visit H2",
            "Base of W3 Kit Lane"} <= tooltips


def test_same_plan_same_bytes(result, team):
    first, second = render_map(result, team), render_map(result, team)
    assert first == second
    assert re.search(r"_[0-9a-f]{32}\b", first) is None  # no random folium ids left


def test_parts_written_verbatim_give_the_bytes_branca_would(result, team):
    # render_map puts what folium's elements write into the page as it is, instead of letting
    # branca compile each part as a template again (mapping._parts_verbatim): the page must be
    # byte for byte what branca's own rendering gives
    from branca.element import Figure

    from scheduler.outputs import mapping

    fast = render_map(result, team)
    fmap = mapping.build_map(map_data(result, team))
    figure = fmap.get_root()
    assert isinstance(figure, Figure)
    mapping._number_ids(figure)
    assert figure.render() == fast


def test_homes_are_placed_to_about_a_hundred_metres_not_to_the_door(result, team):
    # C1 and C2 (H1) live at 50.73, -2.41 in the fixture; moved to 50.731234, -2.412987 the map
    # shows 50.731, -2.413 (3 decimals of a degree: about 110 m north-south), the same point the
    # route passes through
    from dataclasses import replace

    precise = replace(team, children=tuple(replace(c, lat=50.731234, lon=-2.412987) if c.household_id == "H1" else c
                                           for c in team.children))
    page = render_map(result, precise)
    stop = _data(page)["days"][0]["routes"][0]["stops"][0]
    assert stop["household"] == "H1" and stop["at"] == [50.731, -2.413]
    assert "50.731234" not in page and "2.412987" not in page
