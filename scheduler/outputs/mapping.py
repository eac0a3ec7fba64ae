"""map.html: who goes where, one day at a time; a folium map that renders with no network at all.

The page is a folium.Map: the street layer is a folium TileLayer; each worker's route and
numbered stops on each day are a folium FeatureGroup (PolyLine, Marker with a DivIcon, and a
popup with the stop's time, activity and child references); the whole plan is one more group
per worker (thin lines and circles), and each worker's base a group of its own. None of these
groups is on the map when it opens: a folium MacroElement (`_Controls`, whose macros are
templates/map.html.j2) carries the plan as JSON, builds the side panel - a day picker, the
worker filter that is also the legend - and puts on the map the groups of the chosen day and
workers. It opens on the first working day of the plan with every worker on; the whole plan
only on request; `map.html#day=2026-11-24&worker=W02` opens on that day and worker.

Offline: Leaflet's JS and CSS are inlined from scheduler/assets (vendored, BSD-2) and folium's
CDN scripts and stylesheets (Leaflet, jQuery, Bootstrap, awesome-markers) are dropped
(`_OfflineMap` empties default_js/default_css), because council networks often block CDNs; only
the street layer needs the network, and without it routes and stops still show on a blank
background. folium.Popup needs jQuery and folium.Tooltip pastes its text unescaped into a JS
template literal, so popups and tooltips are bound with plain Leaflet from escaped HTML
(`_Bind`). branca compiles what a MacroElement renders as a Jinja template a second time, so
text from the inputs ('{{' in a reference) would be evaluated: it goes only into this module's
own elements, which add their output as it is (`_Raw`), never into folium's options.

Same inputs, same bytes: folium names its elements with random ids; they are numbered in tree
order before rendering (`_number_ids`).

Privacy: stops show household and child references, the activity and times only; never a
child's name, address or postcode, whatever --worker-details says.
"""
from __future__ import annotations

import base64
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

import branca.element
import folium
from branca.element import Element, Figure, MacroElement

from ..domain import Team
from ..solution import PlanResult
from .atomic import write_text_atomic
from .common import (
    activity_label,
    by_worker,
    cover_reason,
    day_groups,
    fmt_long,
    household_point,
    plan_days,
    where_label,
)
from .html import environment

log = logging.getLogger(__name__)

# Colour-blind-friendly-ish, high contrast on a light basemap; cycles past 12 workers.
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf",
           "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#003f5c", "#a05195")
DEFAULT_CENTRE = (52.5, -1.5)  # England, when there is nothing to show
TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

_EXTERNAL = re.compile(
    r"<script[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>"
    r"|<link[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.IGNORECASE)


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


# a home's position on the map to 3 decimal places of a degree (about 110 m north-south, 70 m
# east-west here): enough to see a route, not to read an address off the map (children's
# addresses never appear in the team's files: docs/security.md)
MAP_DECIMALS = 3


def colours(worker_ids: list[str]) -> dict[str, str]:
    return {wid: PALETTE[i % len(PALETTE)] for i, wid in enumerate(worker_ids)}


def map_data(result: PlanResult, team: Team, working_days: list[date] | None = None) -> dict[str, Any]:
    """Everything the page draws, as plain JSON-able data (references only)."""
    grouped = by_worker(result, team)
    palette = colours(list(grouped))
    workers = {w.worker_id: w for w in team.workers}
    out_workers = []
    for wid in grouped:
        w = workers.get(wid)
        out_workers.append({"id": wid, "name": w.name if w else "", "colour": palette[wid],
                            "base": [w.base_lat, w.base_lon] if w else None})
    days = []
    for day in plan_days(result, working_days):
        routes = []
        for wid, acts in grouped.items():
            todays = day_groups(acts).get(day, [])
            stops = []
            for n, act in enumerate(todays, start=1):
                where = household_point(team, act)
                if where is None:
                    log.warning("no location for household %s; left off the map", act.household_id)
                    continue
                stops.append({
                    "n": n, "at": [round(where[0], MAP_DECIMALS), round(where[1], MAP_DECIMALS)],
                    "start": f"{act.start:%H:%M}", "end": f"{act.end:%H:%M}",
                    "activity": " ".join(filter(None, [activity_label(act.activity), where_label(act)])),
                    "household": act.household_id, "children": list(act.child_ids),
                    "alone": list(act.seen_alone_child_ids), "bedroom": list(act.bedroom_child_ids),
                    "travel": act.travel_minutes, "cover": act.cover, "cover_reason": cover_reason(act)})
            if stops:
                routes.append({"worker": wid, "stops": stops, "travel": sum(a.travel_minutes for a in todays)})
        days.append({"date": day.isoformat(), "label": fmt_long(day), "routes": routes})
    return {"title": f"Routes {fmt_long(result.start)} to {fmt_long(result.end)}", "workers": out_workers,
            "days": days, "first_day": days[0]["date"] if days else "", "centre": list(DEFAULT_CENTRE),
            "tiles": TILES}


class _OfflineMap(folium.Map):
    """folium.Map without its CDN scripts and stylesheets (Leaflet is inlined instead); its
    element id and JS variable are `map`."""

    default_js = []  # noqa: RUF012 - folium's own attribute, emptied
    default_css = []  # noqa: RUF012

    def get_name(self) -> str:
        return "map"


class _Raw(Element):
    """Text added to the page as it is (branca's Element(text) would compile it as a template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Raw"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _Verbatim(MacroElement):
    """A MacroElement whose macros' output goes into the page verbatim (see _Raw)."""

    def render(self, **kwargs: Any) -> str:
        figure = self.get_root()
        assert isinstance(figure, Figure), "render the map from its figure"
        module = self._template.module
        for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            macro = getattr(module, part, None)
            if macro is not None:
                target.add_child(_Raw(str(macro(self, kwargs))), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)
        return ""  # like any MacroElement, it writes into the figure's parts


class _Bind(_Verbatim):
    """parent.bindPopup(html) / parent.bindTooltip(html) with plain Leaflet; `html` is markup
    built from escaped text, and goes into the script as a JSON string."""

    _template = environment().from_string(
        "{% macro script(this, kwargs) %}{{ this._parent.get_name() }}.{{ this.method }}({{ this.html|tojson }});\n"
        "{% endmacro %}")

    def __init__(self, method: str, html: str) -> None:
        super().__init__()
        self._name = "Bind"
        self.method = method  # bindPopup | bindTooltip
        self.html = html


class _Controls(_Verbatim):
    """The side panel, the plan as JSON and the script that shows one day and some workers."""

    def __init__(self, data: dict[str, Any], day_layers: dict[str, dict[str, folium.FeatureGroup]],
                 overview_layers: dict[str, folium.FeatureGroup], base_layers: dict[str, folium.FeatureGroup]) -> None:
        super().__init__()
        self._name = "Controls"
        self._template = environment().get_template("map.html.j2")
        self.title = data["title"]
        self.data = data
        self.day_layers = day_layers
        self.overview_layers = overview_layers
        self.base_layers = base_layers


def _popup(worker: dict[str, Any], stop: dict[str, Any], day_label: str) -> str:
    """A stop's popup: the worker, when, what, and the child references (escaped text)."""
    lines = [
        f"<b>Stop {stop['n']}</b> · {escape(worker['id'])} {escape(worker['name'])}",
        f"{escape(day_label)} {stop['start']}–{stop['end']}: <b>{escape(stop['activity'])}</b>",
        f"Household {escape(stop['household'])}",
        f"Children: {escape(', '.join(stop['children']))}",
    ]
    if stop["alone"]:
        lines.append(f"Seen alone: {escape(', '.join(stop['alone']))}")
    if stop["bedroom"]:
        lines.append(f"Bedroom check: {escape(', '.join(stop['bedroom']))}")
    lines.append(f"Travel to this stop: {stop['travel']} min")
    if stop["cover"]:
        lines.append(f'<span class="cover">Cover: {escape(stop["cover_reason"])}</span>')
    return "<br>".join(lines)


def _route_tooltip(worker: dict[str, Any], day: dict[str, Any], route: dict[str, Any]) -> _Bind:
    return _Bind("bindTooltip", escape(f"{worker['id']}, {day['label']}: {len(route['stops'])} stop(s), "
                                       f"{route['travel']} min travel"))


def build_map(data: dict[str, Any]) -> folium.Map:
    """The folium map of `map_data`: every group built, none on the map until the script picks."""
    fmap = _OfflineMap(location=data["centre"], zoom_start=7, tiles=None, control_scale=True,
                       prefer_canvas=False)  # SVG paths: one element per route, printable
    figure = fmap.get_root()
    assert isinstance(figure, Figure)
    figure.title = escape(data["title"])
    figure.header.add_child(_Raw(leaflet_inline()), name="leaflet_inline")
    folium.TileLayer(data["tiles"], attr="&copy; OpenStreetMap contributors", name="Street map (needs network)",
                     max_zoom=19, control=False).add_to(fmap)
    workers = {w["id"]: w for w in data["workers"]}

    def group() -> folium.FeatureGroup:
        layer = folium.FeatureGroup(show=False, control=False)
        layer.add_to(fmap)
        return layer

    day_layers: dict[str, dict[str, folium.FeatureGroup]] = {}
    overview: dict[str, folium.FeatureGroup] = {}  # workers with something planned
    for day in data["days"]:
        for route in day["routes"]:
            worker = workers[route["worker"]]
            colour = worker["colour"]
            if worker["id"] not in overview:
                overview[worker["id"]] = group()
            points = ([worker["base"]] if worker["base"] else []) + [s["at"] for s in route["stops"]]
            layer = group()
            day_layers.setdefault(day["date"], {})[worker["id"]] = layer
            if len(points) >= 2:
                line = folium.PolyLine(points, color=colour, weight=4, opacity=0.85, class_name="rota-route")
                line.add_child(_route_tooltip(worker, day, route)).add_to(layer)
                thin = folium.PolyLine(points, color=colour, weight=2, opacity=0.45, class_name="rota-route")
                thin.add_child(_route_tooltip(worker, day, route)).add_to(overview[worker["id"]])
            for stop in route["stops"]:
                popup = _popup(worker, stop, day["label"])
                icon = folium.DivIcon(html=f'<span style="background:{colour}">{stop["n"]}</span>',
                                      class_name="rota-stop cover" if stop["cover"] else "rota-stop",
                                      icon_size=(22, 22), icon_anchor=(11, 11), popup_anchor=(0, -10))
                marker = folium.Marker(stop["at"], icon=icon, rise_on_hover=True)
                marker.add_child(_Bind("bindTooltip", escape(f"{worker['id']} stop {stop['n']}: {stop['start']} "
                                                             f"{stop['activity']} {stop['household']}")))
                marker.add_child(_Bind("bindPopup", popup)).add_to(layer)
                circle = folium.CircleMarker(stop["at"], radius=5, color=colour, weight=2, fill=True,
                                             fill_color=colour, fill_opacity=0.6, class_name="rota-household")
                circle.add_child(_Bind("bindPopup", popup)).add_to(overview[worker["id"]])
    bases: dict[str, folium.FeatureGroup] = {}
    for worker in data["workers"]:
        if not worker["base"]:
            continue
        base = folium.CircleMarker(worker["base"], radius=6, color=worker["colour"], weight=3, fill=True,
                                   fill_color="#ffffff", fill_opacity=1, class_name="rota-base")
        base.add_child(_Bind("bindTooltip", escape(f"Base of {worker['id']} {worker['name']}")))
        bases[worker["id"]] = group()
        base.add_to(bases[worker["id"]])
    # last, so that its script runs when every group exists
    fmap.add_child(_Controls(data, day_layers, overview, bases))
    return fmap


def _number_ids(figure: Figure) -> None:
    """folium gives every element a random id (part of its JS variable name); number them in
    tree order instead, so that the same plan gives the same bytes."""
    count = 0

    def walk(element: Element) -> None:
        nonlocal count
        element._id = str(count)
        count += 1
        for child in element._children.values():
            walk(child)

    for part in (figure, figure.header, figure.html, figure.script):
        walk(part)


_RENDERING = threading.Lock()


@contextmanager
def _parts_verbatim() -> Iterator[None]:
    """While the figure renders, what folium's elements write into the page's parts goes in as it
    is (_Raw) instead of being compiled as a Jinja template once more by branca's
    MacroElement.render - the same bytes (nothing folium writes has template syntax; tested), and
    the map of the demo team renders in about half the time (about 1,400 compiles saved)."""
    with _RENDERING:
        plain = branca.element.Element
        branca.element.Element = _Raw  # type: ignore[assignment,misc]
        try:
            yield
        finally:
            branca.element.Element = plain  # type: ignore[misc]


def render_map(result: PlanResult, team: Team, working_days: list[date] | None = None) -> str:
    fmap = build_map(map_data(result, team, working_days))
    figure = fmap.get_root()
    assert isinstance(figure, Figure)
    _number_ids(figure)
    with _parts_verbatim():
        page = figure.render()
    for tag in external_references(page):
        # Should not happen: folium's CDN links are emptied above; dropped rather than fetched.
        log.warning("dropping external resource from map.html: %s", tag[:120])
        page = page.replace(tag, "")
    return page


def write_map(path: Path, result: PlanResult, team: Team, working_days: list[date] | None = None) -> Path:
    return write_text_atomic(path, render_map(result, team, working_days))
