"""map.html: a folium map of each day's routes that renders with no network at all.

Leaflet's JS and CSS are inlined from scheduler/assets (vendored, BSD-2) instead of folium's
CDN links, because council networks often block CDNs; only the map tiles need the network,
and without it the routes and markers still show on a blank background. Nothing here uses
jQuery/Bootstrap/awesome-markers (popups are bound with plain Leaflet), so folium's other CDN
resources are dropped.

Privacy: markers and popups show child references, household ids and the activity only;
never a child's name or address.
"""
from __future__ import annotations

import base64
import logging
import re
from datetime import date
from html import escape
from importlib import resources
from pathlib import Path
from typing import ClassVar

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from ..domain import Team
from ..solution import PlannedActivity, PlanResult
from .atomic import write_text_atomic
from .common import activity_label, by_worker, day_groups, household_point, where_label

log = logging.getLogger(__name__)

# Colour-blind-friendly-ish, high contrast on a light basemap; cycles past 12 workers.
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf",
           "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#003f5c", "#a05195")
DEFAULT_CENTRE = (52.5, -1.5)  # England, when there is nothing to show

_EXTERNAL = re.compile(
    r"<script[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>"
    r"|<link[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.IGNORECASE)


class _OfflineMap(folium.Map):
    """folium.Map without its CDN scripts and stylesheets (Leaflet is inlined instead)."""

    default_js: ClassVar[list[tuple[str, str]]] = []
    default_css: ClassVar[list[tuple[str, str]]] = []


class _Bind(MacroElement):
    """bindPopup/bindTooltip with plain Leaflet: folium.Popup needs jQuery, and folium.Tooltip
    pastes its text unescaped into a JS template literal; here the HTML goes in as a JSON string."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.{{ this.method }}({{ this.html|tojson }});
        {% endmacro %}
    """)

    def __init__(self, method: str, html: str) -> None:
        super().__init__()
        self._name = "Bind"
        self.method = method  # bindPopup | bindTooltip
        self.html = html


def _tooltip(text: str) -> _Bind:
    return _Bind("bindTooltip", escape(text))


def _asset(name: str) -> bytes:
    return resources.files("scheduler").joinpath("assets", name).read_bytes()


def leaflet_inline() -> str:
    """<style> + <script> with Leaflet itself; images in the CSS become data URIs."""
    css = _asset("leaflet.css").decode("utf-8")

    def data_uri(match: re.Match[str]) -> str:
        png = base64.b64encode(_asset(f"leaflet-{match.group(1)}")).decode("ascii")
        return f"url(data:image/png;base64,{png})"

    css = re.sub(r"url\(images/([A-Za-z0-9_.-]+\.png)\)", data_uri, css)
    js = _asset("leaflet.js").decode("utf-8")
    if "</script" in js.lower():  # would end the inline script early
        raise RuntimeError("vendored leaflet.js contains '</script'")
    return f"<style>{css}</style>\n<script>{js}</script>"


def external_references(page: str) -> list[str]:
    """<script src>/<link href> tags that would fetch from the network."""
    return _EXTERNAL.findall(page)


def colours(worker_ids: list[str]) -> dict[str, str]:
    return {wid: PALETTE[i % len(PALETTE)] for i, wid in enumerate(worker_ids)}


def _popup(act: PlannedActivity, stop: int, wid: str) -> str:
    parts = [
        f"<b>Stop {stop}</b>: {escape(activity_label(act.activity))} "
        f"{escape(where_label(act) + ' ' if where_label(act) else '')}"
        f"{act.start:%H:%M}&ndash;{act.end:%H:%M}",
        f"Household {escape(act.household_id)}",
        f"Children: {escape(', '.join(act.child_ids))}",
    ]
    if act.seen_alone_child_ids:
        parts.append(f"Seen alone: {escape(', '.join(act.seen_alone_child_ids))}")
    if act.bedroom_child_ids:
        parts.append(f"Bedroom check: {escape(', '.join(act.bedroom_child_ids))}")
    parts.append(f"Worker {escape(wid)}{' (cover)' if act.cover else ''}; "
                 f"travel {act.travel_minutes} min")
    return "<br>".join(parts)


def _legend(team: Team, palette: dict[str, str]) -> str:
    names = {w.worker_id: w.name for w in team.workers}
    rows = "".join(
        f'<div><span style="display:inline-block;width:14px;height:4px;margin:0 6px 3px 0;'
        f'background:{colour}"></span>{escape(wid)}'
        f"{(' ' + escape(names[wid])) if names.get(wid) else ''}</div>"
        for wid, colour in palette.items())
    return (
        '<div id="rota-legend" style="position:fixed;bottom:30px;right:10px;z-index:1000;'
        'background:rgba(255,255,255,.92);padding:8px 10px;border:1px solid #999;border-radius:4px;'
        'font:12px/1.4 system-ui,Arial,sans-serif;max-height:45%;overflow:auto">'
        f"<b>Workers</b>{rows}"
        '<div style="margin-top:4px;color:#555">Line: route from base through the day\'s stops'
        "<br>Circle: household (child reference + activity)<br>White dot: worker base"
        "<br>Tick days on/off in the layer list</div></div>")


def build_map(result: PlanResult, team: Team) -> folium.Map:
    grouped = by_worker(result, team)
    palette = colours(list(grouped))
    workers = {w.worker_id: w for w in team.workers}
    fmap = _OfflineMap(location=DEFAULT_CENTRE, zoom_start=7, tiles=None, control_scale=True,
                       prefer_canvas=False)  # SVG paths: one element per route, printable
    folium.TileLayer("OpenStreetMap", name="Street map (needs network)").add_to(fmap)
    fmap.get_root().header.add_child(Element(leaflet_inline()), name="leaflet_inline")
    points: list[tuple[float, float]] = []

    bases = folium.FeatureGroup(name="Worker bases", show=True)
    for wid, worker in workers.items():
        base = folium.CircleMarker(
            (worker.base_lat, worker.base_lon), radius=6, color=palette[wid], weight=3,
            fill=True, fill_color="#ffffff", fill_opacity=1, class_name="rota-base")
        base.add_child(_tooltip(f"Base of {wid}"))
        base.add_to(bases)
        points.append((worker.base_lat, worker.base_lon))
    bases.add_to(fmap)

    days: dict[date, dict[str, list[PlannedActivity]]] = {}
    for wid, acts in grouped.items():
        for day, todays in day_groups(acts).items():
            days.setdefault(day, {})[wid] = todays
    for day in sorted(days):
        layer = folium.FeatureGroup(name=f"{day:%a} {day.day} {day:%b %Y}", show=True)
        for wid, todays in days[day].items():
            route: list[tuple[float, float]] = []
            if wid in workers:
                route.append((workers[wid].base_lat, workers[wid].base_lon))
            for stop, act in enumerate(todays, start=1):
                where = household_point(team, act)
                if where is None:
                    log.warning("no location for household %s; left off the map", act.household_id)
                    continue
                route.append(where)
                points.append(where)
                marker = folium.CircleMarker(
                    where, radius=8, color=palette[wid], weight=2, fill=True,
                    fill_color=palette[wid], fill_opacity=0.55,
                    class_name="rota-household")
                marker.add_child(_tooltip(f"{act.household_id}: {activity_label(act.activity)} "
                                          f"({', '.join(act.child_ids)})"))
                marker.add_child(_Bind("bindPopup", _popup(act, stop, wid)))
                marker.add_to(layer)
            if len(route) >= 2:
                travel = sum(a.travel_minutes for a in todays)
                line = folium.PolyLine(route, color=palette[wid], weight=4, opacity=0.8,
                                       class_name="rota-route")
                line.add_child(_tooltip(f"{wid}, {day.isoformat()}: {len(todays)} stop(s), "
                                        f"{travel} min travel"))
                line.add_to(layer)
        layer.add_to(fmap)

    folium.LayerControl(collapsed=False).add_to(fmap)
    fmap.get_root().html.add_child(Element(_legend(team, palette)))
    if points:
        lats = [p[0] for p in points]
        lons = [p[1] for p in points]
        fmap.fit_bounds([(min(lats), min(lons)), (max(lats), max(lons))], padding=(30, 30))
    return fmap


def render_map(result: PlanResult, team: Team) -> str:
    page = build_map(result, team).get_root().render()
    for tag in external_references(page):
        # Should not happen with the elements used above; dropped rather than fetched.
        log.warning("dropping external resource from map.html: %s", tag[:120])
        page = page.replace(tag, "")
    return page


def write_map(path: Path, result: PlanResult, team: Team) -> Path:
    return write_text_atomic(path, stable_ids(render_map(result, team)))


def stable_ids(page: str) -> str:
    """folium names its elements with random ids; number them in order of first appearance so
    the same plan gives the same bytes."""
    names: dict[str, str] = {}

    def rename(match: re.Match[str]) -> str:
        return names.setdefault(match.group(0), f"{len(names):032x}")

    return re.sub(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])", rename, page)
