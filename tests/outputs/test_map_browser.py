"""map.html in a real browser with no network: Leaflet loads, the routes are drawn, popups open.

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
    "--proxy-bypass-list=<-loopback>", "--virtual-time-budget=5000",
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


def _dom(tmp_path: Path, url: str) -> str:
    run = _chromium(tmp_path / "profile", "--dump-dom", url)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


def _drawn(dom: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """(routes, numbered stops, overview circles, bases) that Leaflet put in the page."""
    paths = [_classes(tag) for tag in re.findall(r"<path\b[^>]*>", dom)]
    routes = [t for t in re.findall(r"<path\b[^>]*>", dom) if "rota-route" in t]
    stops = re.findall(r'<div[^>]*class="[^"]*\brota-stop\b[^"]*"[^>]*>\s*<span[^>]*>(\d+)</span>', dom)
    circles = [c for c in paths if "rota-household" in c]
    bases = [c for c in paths if "rota-base" in c]
    return routes, stops, circles, bases


def test_map_renders_offline_on_the_first_day(tmp_path, map_page, result):
    dom = _dom(tmp_path, map_page.as_uri())
    # Leaflet ran: the map div became a Leaflet container with panes
    map_div = re.search(r'<div[^>]*id="map"[^>]*>', dom)
    assert map_div is not None and "leaflet-container" in _classes(map_div.group(0))
    assert "leaflet-map-pane" in dom
    routes, stops, circles, _ = _drawn(dom)
    # opens on Mon 24 Mar 2025: only W1 works there, H1 then H2
    assert len(routes) == 1 and stops == ["1", "2"] and circles == []
    vertices = len(re.findall(r"[ML]-?\d", re.search(r'\bd="([^"]*)"', routes[0]).group(1)))
    assert vertices == 3  # base + two stops
    assert re.search(r'<option value="2025-03-24" selected', dom) or "2025-03-24" in dom
    assert 'id="legend"' in dom and "W2 Jo Reeve" in dom


def test_one_worker_one_day(tmp_path, map_page):
    # Tue 1 Apr: W2 visits H3 then covers H2 (stops 1 and 2); W1 has nothing that day
    routes, stops, _, bases = _drawn(_dom(tmp_path, map_page.as_uri() + "#day=2025-04-01&worker=W2"))
    assert len(routes) == 1 and stops == ["1", "2"] and len(bases) == 1
    routes, stops, _, _ = _drawn(_dom(tmp_path, map_page.as_uri() + "#day=2025-04-01&worker=W1"))
    assert routes == [] and stops == []


def test_whole_plan_only_on_request(tmp_path, map_page, result):
    routes, stops, circles, _ = _drawn(_dom(tmp_path, map_page.as_uri() + "#day=all"))
    worker_days = {(a.worker_id, a.date) for a in result.activities}
    assert len(routes) == len(worker_days) == 6
    assert len(circles) == len(result.activities) and stops == []


def test_a_stop_popup_opens_with_plain_leaflet(tmp_path, map_page):
    """Open the popup of the first numbered stop shown (as a click would): its time, activity and
    child references, from the escaped HTML bound to the folium marker (no jQuery needed)."""
    opener = ("<script>(function () { const stops = []; map.eachLayer((layer) => {"
              " if (layer instanceof L.Marker && layer.getPopup()) stops.push(layer); });"
              " stops[0].openPopup(); })();</script>\n</html>")
    page = tmp_path / "popup.html"
    page.write_text(map_page.read_text(encoding="utf-8").replace("</html>", opener), encoding="utf-8")
    # Tue 1 Apr, W2 only: stop 1 is H3 (C4) at 13:00
    dom = _dom(tmp_path, page.as_uri() + "#day=2025-04-01&worker=W2")
    content = re.search(r'<div class="leaflet-popup-content"[^>]*>(.*?)</div>', dom)
    assert content is not None, "no popup opened"
    assert content.group(1) == ("<b>Stop 1</b> · W2 Jo Reeve<br>Tue 1 Apr 2025 13:00–14:00: <b>Visit</b><br>"
                                "Household H3<br>Children: C4<br>Travel to this stop: 35 min")


def _screenshot(tmp_path: Path, url: str, name: str, size: str = "1280,800") -> Path:
    shot = tmp_path / name
    run = _chromium(tmp_path / "profile", f"--window-size={size}", "--hide-scrollbars", f"--screenshot={shot}", url)
    assert run.returncode == 0, run.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    if os.environ.get("ROTA_SCREENSHOT_DIR"):
        target = Path(os.environ["ROTA_SCREENSHOT_DIR"])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, target / shot.name)
    return shot


def test_map_screenshots_one_day_and_one_worker(tmp_path, map_page):
    day = _screenshot(tmp_path, map_page.as_uri() + "#day=2025-03-25", "map-day.png")
    worker = _screenshot(tmp_path, map_page.as_uri() + "#day=2025-04-01&worker=W2", "map-worker.png")
    assert day.read_bytes() != worker.read_bytes()


def test_rota_html_screenshot(tmp_path, result, team):
    from scheduler.outputs.html import render_html

    page = tmp_path / "rota.html"
    page.write_text(render_html(result, team), encoding="utf-8")
    _screenshot(tmp_path, page.as_uri(), "rota-page.png", "1280,1600")


def test_rota_html_prints_one_worker_week_per_page(tmp_path, result, team):
    """The print stylesheet: summary, the team by day (a page per week), the breach register,
    then one page per worker-week (3 workers x 2 weeks here)."""
    from scheduler.outputs.html import render_html

    page = tmp_path / "rota.html"
    page.write_text(render_html(result, team), encoding="utf-8")
    pdf = tmp_path / "rota.pdf"
    run = _chromium(tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))
    assert pages == 1 + 2 + 1 + 3 * 2
