"""rota.html's caseload section shows the figures of `rota caseload`, to the character."""
from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

from click.testing import CliRunner

from scheduler.cli import main
from tests.caseload.helpers import STANDARD_YAML, write_team
from tests.caseload.test_caseload_table import tiny_team

COLUMNS = ["worker_id", "role", "children", "cp", "cin", "cic", "care_leaver", "other", "points",
           "capacity_points", "demand_hours", "available_hours", "utilisation", "status"]


class _Cells(HTMLParser):
    """Rows of the caseload section: data-worker -> {data-col: text}; unallocated child ids."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, str]] = {}
        self.children: list[str] = []
        self.worker: str | None = None
        self.col: str | None = None
        self.in_section = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.in_section = a.get("id") == "caseload"
        if not self.in_section:
            return
        if tag == "tr" and "data-worker" in a:
            self.worker = a["data-worker"]
            self.rows[self.worker] = {}
        if tag == "tr" and "data-child" in a:
            self.worker = None
            self.children.append(a["data-child"])
        if tag == "td" and self.worker:
            self.col = a.get("data-col")

    def handle_endtag(self, tag):
        if tag == "td":
            self.col = None
        if tag == "section":
            self.in_section = False

    def handle_data(self, data):
        if self.worker and self.col:
            self.rows[self.worker][self.col] = self.rows[self.worker].get(self.col, "") + data


def test_rota_html_caseload_section_matches_rota_caseload(tmp_path):
    folder = write_team(tmp_path / "team", tiny_team())
    std = tmp_path / "std.yaml"
    std.write_text(STANDARD_YAML)
    weights = tmp_path / "w.yaml"
    weights.write_text("case_points: {cp: 9.5}\n")  # the same weights file for both commands
    common = ["--standard", str(std), "--start", "2026-11-30", "--weeks", "4", "--weights", str(weights)]
    run = CliRunner().invoke(main, ["caseload", str(folder), *common, "--format", "csv"])
    assert run.exit_code == 0, run.output
    expected = {r["worker_id"]: {c: r[c] for c in COLUMNS} for r in csv.DictReader(io.StringIO(run.stdout))}
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["plan", str(folder), *common, "--out", str(out), "--time-limit", "10",
                                    "--quiet"])
    assert run.exit_code == 0, run.output
    parser = _Cells()
    parser.feed((out / "rota.html").read_text(encoding="utf-8"))
    assert parser.rows == expected
    assert expected["W1"]["points"] == "34.5"  # 15 + C1 9.5 + C2 5 + C3 5: the weights file was used
    assert parser.children == ["C4", "C5"]  # unallocated, most serious and oldest first
