"""Regenerate the README's images from the shipped demo team with Debian's headless Chromium.

    python scripts/screenshots.py            # plans the demo, then takes the pictures
    python scripts/screenshots.py --reuse    # pictures of an existing --out folder

Writes docs/map-screenshot.png (the first working day, every worker), docs/map-worker-screenshot.png
(one worker's day) and docs/rota-screenshot.png (the top of rota.html). The network is cut, as in
the browser tests, so the pictures show what a council laptop sees offline (no street tiles).
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PLAN = ["inputs/demo", "--standard", "swindon", "--start", "2026-11-23", "--weeks", "4",
        "--work-limit", "12", "--time-limit", "600", "--quiet"]
OFFLINE = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
           "--virtual-time-budget=5000"]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        sys.exit("Debian's chromium is needed: apt-get install -y chromium")
    return found


def shoot(url: str, target: Path, size: str) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium(), *OFFLINE, f"--user-data-dir={profile}", f"--window-size={size}",
                        f"--screenshot={target}", url], check=True, capture_output=True, timeout=180)
    print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "rota-demo-screenshots")
    parser.add_argument("--reuse", action="store_true", help="do not plan; use the outputs already in --out")
    parser.add_argument("--worker", default="W02", help="the worker of the one-worker map picture")
    parser.add_argument("--to", type=Path, default=DOCS, help="where the pictures go (default: docs/)")
    args = parser.parse_args()
    out: Path = args.out.resolve()
    if not args.reuse:
        subprocess.run([sys.executable, "-m", "scheduler.cli", "plan", *PLAN, "--out", str(out)], check=True, cwd=ROOT)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    first_day = manifest["start"]  # the map opens on the plan's first working day
    to: Path = args.to.resolve()
    to.mkdir(parents=True, exist_ok=True)
    shoot((out / "map.html").as_uri(), to / "map-screenshot.png", "1280,800")
    shoot((out / "map.html").as_uri() + f"#day={first_day}&worker={args.worker}", to / "map-worker-screenshot.png",
          "1280,800")
    shoot((out / "rota.html").as_uri(), to / "rota-screenshot.png", "1280,1500")


if __name__ == "__main__":
    main()
