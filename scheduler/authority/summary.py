"""authority.csv and authority.html: one row per team, the teams sorted by risk, totals, and a
map of the teams' areas. For the head of service: which teams, how many children, how far behind.

Columns (the contract first, then extensions):
team_id, children, workers, compliance (% of the statutory requirements due within the plan met
on time), breaches_proven, breaches_not_proven, breaches_signed_off, utilisation (the mean over
the team's workers of demand / available hours, as `rota caseload` computes them),
overdue_children (children with a requirement already overdue when the plan starts), status
(ok | breaches | failed: reason | skipped: unchanged); then risk_score, risk, due_in_plan,
met_in_plan, overdue_requirements, workers_over, plan_seconds, rota_page.

Risk: a team with no trustworthy plan (status failed) comes first - nobody knows what its
children need. The others by risk_score = 3 x overdue children + 2 x breaches not proven
unavoidable + 1 x breaches proven unavoidable (a sign-off records that a manager knows; the
child is still not seen in time, so it still counts); ties by lower compliance, then higher
utilisation, then team id. `risk` grades the score against the authority's highest: high (at
least two thirds of it), medium (at least a third), low (above 0), none. A skipped team keeps
the figures of the plan it already has. The last row, team_id TOTAL, adds the teams up
(compliance and utilisation over every requirement and worker, not a mean of percentages).

Privacy: counts and team ids only; an area is a circle with its centre rounded to about 1 km
(scheduler.authority.jobs.Area), never a household.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

from ..outputs.atomic import write_text_atomic
from ..textsafe import spreadsheet_safe
from .jobs import Area

CSV_COLUMNS = ["team_id", "children", "workers", "compliance", "breaches_proven", "breaches_not_proven",
               "breaches_signed_off", "utilisation", "overdue_children", "status"]
EXTRA_COLUMNS = ["risk_score", "risk", "due_in_plan", "met_in_plan", "overdue_requirements", "workers_over",
                 "plan_seconds", "rota_page"]
TOTAL = "TOTAL"
RISK_WEIGHTS = {"overdue_children": 3, "breaches_not_proven": 2, "breaches_proven": 1}
RISK_NOTE = ("Teams without a trustworthy plan (failed) first; then by risk score = 3 × children already overdue "
             "+ 2 × breaches not proven unavoidable + 1 × breaches proven unavoidable (signed-off breaches still "
             "count: the child is still not seen in time); ties by lower compliance, then higher utilisation. "
             "High: at least two thirds of the highest score; medium: at least a third; low: above 0.")
RISK_COLOURS = {"failed": "#7b0010", "high": "#c62828", "medium": "#ef6c00", "low": "#f9a825", "none": "#2e7d32"}
_INTS = ["children", "workers", "breaches_proven", "breaches_not_proven", "breaches_signed_off", "overdue_children",
         "risk_score", "due_in_plan", "met_in_plan", "overdue_requirements", "workers_over"]
_DECIMALS = {"compliance": 1, "utilisation": 2, "plan_seconds": 1}


@dataclass(frozen=True)
class TeamLine:
    """What the summary knows of one team."""
    team_id: str
    state: str  # planned | failed | skipped
    figures: Mapping[str, Any] = field(default_factory=dict)  # JobOutcome.figures of the plan in OUTDIR/<team>
    reason: str = ""  # failed: why, in a line
    area: Area | None = None
    seconds: float | None = None  # this run's plan (None: skipped)
    rota_page: str = ""  # OUTDIR-relative link to the team's rota.html, when there is one

    @property
    def trusted(self) -> bool:
        """The team's plan figures stand (planned and verified now, or unchanged since)."""
        return self.state in ("planned", "skipped") and bool(self.figures)

    @property
    def status(self) -> str:
        if self.state == "failed":
            return f"failed: {self.reason}"
        if self.state == "skipped":
            return "skipped: unchanged"
        return "breaches" if self.figures.get("breaches") else "ok"


def mean_utilisation(values: Any) -> float | None:
    """Mean of the workers' demand / available hours; a worker with work but no time at all
    (infinite, stored as None) is left out of the mean and counted in workers_over (the TOTAL
    row leaves them out alike)."""
    finite = [float(v) for v in (values or []) if v is not None and math.isfinite(float(v))]
    return round(sum(finite) / len(finite), 2) if finite else None


def _row(t: TeamLine) -> dict[str, Any]:
    f = t.figures
    util = [float(v) for v in f.get("worker_utilisation") or [] if v is not None and math.isfinite(float(v))]
    row: dict[str, Any] = {"team_id": t.team_id, "children": f.get("children"), "workers": f.get("workers"),
                           "utilisation": mean_utilisation(util), "workers_over": f.get("workers_over"),
                           "status": t.status, "plan_seconds": t.seconds, "rota_page": t.rota_page,
                           "_failed": t.state == "failed", "_util_sum": sum(util), "_util_n": len(util)}
    if t.trusted:
        breaches, proven = int(f.get("breaches", 0)), int(f.get("proven", 0))
        row.update({"compliance": f.get("compliance_in_plan_percent"), "breaches_proven": proven,
                    "breaches_not_proven": breaches - proven, "breaches_signed_off": f.get("signed_off"),
                    "overdue_children": f.get("overdue_children"), "due_in_plan": f.get("due_in_plan"),
                    "met_in_plan": f.get("met_in_plan"), "overdue_requirements": f.get("overdue_at_start")})
        row["risk_score"] = sum(w * int(row[k] or 0) for k, w in RISK_WEIGHTS.items())
    return row


def team_frame(teams: Sequence[TeamLine]) -> pd.DataFrame:
    """One row per team, sorted by risk (module docstring), typed (nullable ints and floats)."""
    df = pd.DataFrame([_row(t) for t in teams],
                      columns=[*CSV_COLUMNS, *EXTRA_COLUMNS, "_failed", "_util_sum", "_util_n"])
    for col in _INTS:
        df[col] = df[col].astype("Int64")
    for col in _DECIMALS:
        df[col] = df[col].astype("Float64")
    top = df.loc[~df["_failed"], "risk_score"].max() if len(df) else pd.NA
    df["risk"] = [grade(bool(failed), score, top) for failed, score in zip(df["_failed"], df["risk_score"],
                                                                           strict=True)]
    return df.sort_values(["_failed", "risk_score", "compliance", "utilisation", "team_id"],
                          ascending=[False, False, True, False, True], na_position="last", kind="stable",
                          ignore_index=True)


def grade(failed: bool, score: Any, top: Any) -> str:
    if failed:
        return "failed"
    if score is pd.NA or score is None or not score:
        return "none"
    top = int(top) if top is not pd.NA and top else int(score)
    return "high" if 3 * score >= 2 * top else "medium" if 3 * score >= top else "low"


def totals(df: pd.DataFrame) -> dict[str, Any]:
    """The TOTAL row: sums, and compliance / utilisation over every requirement / worker."""
    states = df["status"].str.split(":").str[0].value_counts()
    due, met = df["due_in_plan"].sum(), df["met_in_plan"].sum()
    util_n = int(df["_util_n"].sum())
    row: dict[str, Any] = {c: df[c].sum() for c in _INTS}
    row.update({
        "team_id": TOTAL,
        "compliance": (100.0 if due == 0 else round(100.0 * met / due, 1)) if df["due_in_plan"].notna().any()
        else pd.NA,
        "utilisation": round(float(df["_util_sum"].sum()) / util_n, 2) if util_n else pd.NA,
        "status": f"{len(df)} team{'' if len(df) == 1 else 's'}: " + ", ".join(f"{int(states.get(s, 0))} {s}" for s in
                                                    ("ok", "breaches", "failed", "skipped")),
        "risk": "", "plan_seconds": df["plan_seconds"].sum(min_count=1), "rota_page": "",
    })
    return row


def _cell(column: str, value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if column in _DECIMALS:
        return f"{float(value):.{_DECIMALS[column]}f}"
    if column in _INTS:
        return str(int(value))
    return " ".join(str(value).split())  # one line per cell, whatever a folder name holds


def table(df: pd.DataFrame) -> pd.DataFrame:
    """The rows and the TOTAL row as text, every cell safe to open in a spreadsheet."""
    full = pd.concat([df, pd.DataFrame([totals(df)])], ignore_index=True) if len(df) else df
    columns = [*CSV_COLUMNS, *EXTRA_COLUMNS]
    return pd.DataFrame({c: [spreadsheet_safe(_cell(c, v)) for v in full[c]] for c in columns}, columns=columns)


def csv_text(df: pd.DataFrame) -> str:
    return str(table(df).to_csv(index=False, lineterminator="\n"))


# --- authority.html --------------------------------------------------------------------------------

def area_map(df: pd.DataFrame, areas: Mapping[str, Area]) -> tuple[Markup, Markup] | None:
    """Folium map of the teams' areas (circles coloured by risk): its element and its script.
    Built as map.html is (scheduler.outputs.mapping): no CDN (the page inlines Leaflet once; only
    the street layer needs the network), tooltips bound with plain Leaflet from escaped text
    (team ids are folder names: never markup, never a template), element ids numbered in order
    so the same run gives the same page."""
    import folium

    from ..outputs.mapping import TILES, _Bind, _number_ids, _OfflineMap

    shown = [(r, areas[r.team_id]) for r in df.itertuples() if r.team_id in areas]
    if not shown:
        return None
    lats = [a.lat for _, a in shown]
    lons = [a.lon for _, a in shown]
    m = _OfflineMap(location=(sum(lats) / len(lats), sum(lons) / len(lons)), zoom_start=9, tiles=None,
                    control_scale=True)
    folium.TileLayer(TILES, attr="&copy; OpenStreetMap contributors", max_zoom=19, control=False).add_to(m)
    for r, a in shown:
        colour = RISK_COLOURS.get(str(r.risk), "#555555")
        score = "" if pd.isna(r.risk_score) else f", risk score {int(r.risk_score)}"
        circle = folium.Circle((a.lat, a.lon), radius=a.radius_km * 1000, color=colour, weight=2, fill=True,
                               fill_color=colour, fill_opacity=0.25)
        circle.add_child(_Bind("bindTooltip", str(escape(f"{r.team_id}: {r.status}{score}"))))
        circle.add_to(m)
    km = max(a.radius_km for _, a in shown) / 111.0
    m.fit_bounds([[min(lats) - km, min(lons) - km * 1.6], [max(lats) + km, max(lons) + km * 1.6]])
    figure: Any = m.get_root()  # a branca Figure: header, html and script parts
    _number_ids(figure)
    figure.render()
    html, script = figure.html.render(), figure.script.render()
    if "</script" in script.lower():
        raise RuntimeError("map script would end its <script> element early")
    return Markup(html), Markup(script)  # folium's own output; every text in it escaped above


def html_text(df: pd.DataFrame, areas: Mapping[str, Area], meta: Mapping[str, Any]) -> str:
    from ..outputs.html import environment
    from ..outputs.mapping import leaflet_inline

    rows = table(df).to_dict("records")
    team_rows, total = (rows[:-1], rows[-1]) if rows else ([], None)
    for row, risk in zip(team_rows, df["risk"], strict=True):
        row["_risk"] = risk
    drawn = area_map(df, areas)
    return environment().get_template("authority.html.j2").render(
        rows=team_rows, total=total, columns=[*CSV_COLUMNS, *EXTRA_COLUMNS], meta=meta, risk_note=RISK_NOTE,
        colours=RISK_COLOURS, map_html=drawn[0] if drawn else None, map_script=drawn[1] if drawn else None,
        leaflet=Markup(leaflet_inline()) if drawn else None,  # our vendored Leaflet
        missing_areas=sorted(set(df["team_id"]) - set(areas)))


def write_summary(outdir: Path, teams: Sequence[TeamLine], meta: Mapping[str, Any]) -> tuple[Path, Path]:
    df = team_frame(teams)
    areas = {t.team_id: t.area for t in teams if t.area is not None}
    csv_path = write_text_atomic(Path(outdir) / "authority.csv", csv_text(df))
    html_path = write_text_atomic(Path(outdir) / "authority.html", html_text(df, areas, meta))
    return csv_path, html_path
