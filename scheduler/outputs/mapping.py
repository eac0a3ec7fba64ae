"""map.html: who goes where, one day at a time. Renders with no network at all.

The page (templates/map.html.j2) is Leaflet with the plan as JSON: it opens on the first
working day of the plan with every worker on; a day picker shows one day at a time (the whole
plan only on request), a worker filter (which is also the legend) shows some workers or one,
and each stop is numbered in route order with its time, activity and child references in its
popup. `map.html#day=2026-11-24&worker=W02` opens on that day and worker (links can be shared).

Leaflet's JS and CSS are inlined from scheduler/assets (vendored, BSD-2) instead of a CDN,
because council networks often block CDNs; only the street layer needs the network, and
without it routes and stops still show on a blank background.

Privacy: stops show household and child references, the activity and times only; never a
child's name, address or postcode, whatever --worker-details says.
"""
from __future__ import annotations

import base64
import logging
import re
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup

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
                    "n": n, "at": [where[0], where[1]], "start": f"{act.start:%H:%M}", "end": f"{act.end:%H:%M}",
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


def render_map(result: PlanResult, team: Team, working_days: list[date] | None = None) -> str:
    data = map_data(result, team, working_days)
    page = environment().get_template("map.html.j2").render(
        data=data, leaflet=Markup(leaflet_inline()), title=data["title"])
    for tag in external_references(page):
        # Should not happen: the template has no external resources; dropped rather than fetched.
        log.warning("dropping external resource from map.html: %s", tag[:120])
        page = page.replace(tag, "")
    return page


def write_map(path: Path, result: PlanResult, team: Team, working_days: list[date] | None = None) -> Path:
    return write_text_atomic(path, render_map(result, team, working_days))
