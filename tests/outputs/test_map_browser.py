"""map.html in a real browser with no network: Leaflet loads and the routes are drawn.

Uses Debian's `chromium` (apt-get install chromium); skipped with a message where it is absent.
Network is cut by resolving every host name to nothing and sending everything else to a dead
proxy, so only inlined resources can load (map tiles fail: blank background, routes still show).
The screenshot goes to the test's tmp folder, and to $ROTA_SCREENSHOT_DIR when that is set.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from scheduler.outputs.mapping import write_map

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless map check skipped: Debian's `chromium` is not installed (apt-get install -y chromium)")

OFFLINE_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--mute-audio",
    "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>", "--window-size=1280,900", "--virtual-time-budget=5000",
]


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [CHROMIUM, *OFFLINE_FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def map_page(tmp_path, result, team) -> Path:
    return write_map(tmp_path / "map.html", result, team)


def _classes(tag: str) -> set[str]:
    match = re.search(r'class="([^"]*)"', tag)
    return set(match.group(1).split()) if match else set()


def test_map_renders_offline(tmp_path, map_page, result, team):
    run = _chromium(tmp_path / "profile", "--dump-dom", map_page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    dom = run.stdout
    # Leaflet ran: folium's map div became a Leaflet container with panes
    map_div = re.search(r'<div[^>]*class="[^"]*folium-map[^"]*"[^>]*>', dom)
    assert map_div is not None and "leaflet-container" in _classes(map_div.group(0))
    assert "leaflet-map-pane" in dom
    paths = [_classes(tag) for tag in re.findall(r"<path\b[^>]*>", dom)]
    routes = [c for c in paths if {"rota-route", "leaflet-interactive"} <= c]
    households = [c for c in paths if "rota-household" in c]
    worker_days = {(a.worker_id, a.date) for a in result.activities}
    assert len(routes) == len(worker_days) == 6
    assert len(households) == len(result.activities)
    # each route was projected to pixels: base + one vertex per stop of that worker-day
    route_tags = [t for t in re.findall(r"<path\b[^>]*>", dom) if "rota-route" in t]
    vertices = sorted(len(re.findall(r"[ML]\d", re.search(r'\bd="([^"]*)"', t).group(1))) for t in route_tags)
    stops = Counter((a.worker_id, a.date) for a in result.activities)
    assert vertices == sorted(1 + n for n in stops.values()) == [2, 2, 2, 2, 3, 3]
    assert 'id="rota-legend"' in dom
    assert "leaflet-control-layers" in dom


def test_map_screenshot(tmp_path, map_page):
    shot = tmp_path / "map-screenshot.png"
    run = _chromium(tmp_path / "profile", f"--screenshot={shot}", map_page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    if os.environ.get("ROTA_SCREENSHOT_DIR"):
        target = Path(os.environ["ROTA_SCREENSHOT_DIR"])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, target / shot.name)


def test_rota_html_prints_one_worker_week_per_page(tmp_path, result, team):
    """Not the map, but the same browser: the print stylesheet gives summary, breaches, then one
    page per worker-week (3 workers x 2 weeks here)."""
    from scheduler.outputs.html import render_html

    page = tmp_path / "rota.html"
    page.write_text(render_html(result, team), encoding="utf-8")
    pdf = tmp_path / "rota.pdf"
    run = _chromium(tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))
    assert pages == 1 + 1 + 3 * 2
