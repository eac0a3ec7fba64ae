"""map.html (static checks): offline resources, one layer per day, routes from base, privacy."""
from __future__ import annotations

import json
import re

from scheduler.outputs.mapping import PALETTE, external_references, render_map

POLY = re.compile(r"var poly_line_\w+ = L\.polyline\(\s*(\[\[.*?\]\]),\s*(\{.*?\})\s*\)\.addTo\((feature_group_\w+)\)",
                  re.S)


def _overlays(page: str) -> dict[str, str]:
    """feature group variable -> layer name, from the layer control."""
    block = page[page.index("overlays :"):]
    block = block[:block.index("}")]
    return {var: name for name, var in re.findall(r'"([^"]+)" : (feature_group_\w+)', block)}


def _routes(page: str) -> list[tuple[str, list[list[float]], str]]:
    layers = _overlays(page)
    return [(layers[group], json.loads(coords), json.loads(opts)["color"])
            for coords, opts, group in POLY.findall(page)]


def test_no_network_resources_besides_tiles(result, team):
    page = render_map(result, team)
    assert external_references(page) == []
    assert "<script src" not in page and "<link" not in page
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower()
    assert 'Leaflet 1.9.4' in page  # inlined
    assert "url(images/" not in page  # CSS images inlined as data URIs
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in page


def test_one_layer_per_day_with_activities(result, team):
    page = render_map(result, team)
    names = list(_overlays(page).values())
    assert names == ["Worker bases", "Mon 24 Mar 2025", "Tue 25 Mar 2025", "Wed 26 Mar 2025",
                     "Sat 29 Mar 2025", "Mon 31 Mar 2025", "Tue 1 Apr 2025"]
    assert '"collapsed": false' in page


def test_routes_start_at_base_and_visit_stops_in_order(result, team):
    routes = _routes(render_map(result, team))
    assert len(routes) == 6  # worker-days with activities
    monday = [r for r in routes if r[0] == "Mon 24 Mar 2025"]
    assert len(monday) == 1
    _, coords, colour = monday[0]
    # W1: base, then H1 (C1/C2) at 09:30, then H2 (C3) at 11:00
    assert coords == [[50.715, -2.44], [50.73, -2.41], [50.65, -2.5]]
    assert colour == PALETTE[0]
    tuesday_apr = next(r for r in routes if r[0] == "Tue 1 Apr 2025")
    assert tuesday_apr[1] == [[50.61, -2.46], [50.72, -1.98], [50.65, -2.5]] and tuesday_apr[2] == PALETTE[1]
    # one colour per worker, the same every day
    colours = {tuple(c[0]): col for _, c, col in routes}
    assert colours == {(50.715, -2.44): PALETTE[0], (50.61, -2.46): PALETTE[1]}


def test_markers_popups_and_legend(result, team):
    page = render_map(result, team)
    assert page.count("L.circleMarker(") == len(result.activities) + len(team.workers)
    assert len(re.findall(r"circle_marker_\w+\.bindPopup\(", page)) == len(result.activities)
    assert 'id="rota-legend"' in page
    legend = page[page.index('id="rota-legend"'):]
    legend = legend[:legend.index("</div></div>")]
    for w in team.workers:
        assert w.worker_id in legend
    assert "Children: C1, C2" in page.replace("\\u003c", "<")


def test_no_child_names_or_addresses(result, team):
    page = render_map(result, team)
    for child in team.children:
        assert child.name not in page
        assert child.address not in page
        assert child.postcode not in page


def test_empty_plan_still_renders(team, result):
    result.activities = []
    page = render_map(result, team)
    assert "L.map(" in page and "L.polyline(" not in page


def test_ids_cannot_break_out_of_the_script(result, team):
    import dataclasses
    evil = "H`${alert(1)}</script><b>"
    result.activities[0] = dataclasses.replace(result.activities[0], household_id=evil)
    page = render_map(result, team)
    assert "</script><b>" not in page
    # the id only ever appears inside a JSON string passed to bindPopup/bindTooltip, where a
    # backtick or ${...} is plain text (folium.Tooltip would paste it into a `template literal`)
    inside_json = re.findall(r'\.bind(?:Popup|Tooltip)\("(?:[^"\\\n]|\\.)*\$\{alert\(1\)\}', page)
    assert page.count("${alert(1)}") == len(inside_json) == 2  # tooltip + popup of that stop
