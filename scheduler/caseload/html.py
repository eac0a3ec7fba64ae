"""The caseload section of rota.html: the rows of `rota caseload`, cell for cell.

Pure: takes the CaseloadReport that `rota caseload` prints (scheduler.caseload.table), so the
numbers are the same strings. Children appear by reference only.
"""
from __future__ import annotations

from html import escape

from .table import CASELOAD_COLUMNS, UNALLOCATED_COLUMNS, CaseloadReport, role_totals

NUMERIC = {"children", "cp", "cin", "cic", "care_leaver", "other", "points", "capacity_points", "demand_hours",
           "available_hours", "utilisation", "days_since_start"}


def caseload_section(report: CaseloadReport) -> str:
    head = "".join(f'<th{_num(c)}>{escape(c)}</th>' for c in CASELOAD_COLUMNS)
    body = []
    for row in report.rows:
        cells = row.row()
        tds = "".join(f'<td data-col="{c}"{_num(c)}>{escape(cells[c])}</td>' for c in CASELOAD_COLUMNS)
        cls = "over" if row.status == "over" else "ok"
        body.append(f'<tr class="{cls}" data-worker="{escape(row.worker_id)}">{tds}</tr>')
    totals = "".join(f"<li>{escape(t.line())}</li>" for t in role_totals(report) if t.points or t.demand_minutes)
    h = report.horizon
    parts = [
        '<section class="caseload" id="caseload"><h2>Caseloads</h2>',
        f'<p class="note">Points (stable element, extra responsibilities and case points, against capacity '
        f"pro-rated by fte) and the hours the {escape(report.standard_key)} standard demands from "
        f"{h.start.isoformat()} to {h.end.isoformat()} (visits, seen-alone time, meetings and travel) against "
        "plannable working hours; the same figures as <code>rota caseload</code>. status is over above 1.00 "
        "utilisation or above capacity points.</p>",
        f'<table class="caseload-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>',
        f'<ul class="note">{totals}</ul>' if totals else "",
    ]
    if report.unallocated:
        uhead = "".join(f"<th{_num(c)}>{escape(c)}</th>" for c in UNALLOCATED_COLUMNS)
        urows = []
        for u in report.unallocated:
            cells = u.row()
            tds = "".join(f'<td data-col="{c}"{_num(c)}>{escape(cells[c])}</td>' for c in UNALLOCATED_COLUMNS)
            urows.append(f'<tr data-child="{escape(u.child.child_id)}">{tds}</tr>')
        parts.append(f"<h3>Unallocated children ({len(report.unallocated)}), by status, oldest first</h3>"
                     f'<table class="unallocated"><thead><tr>{uhead}</tr></thead>'
                     f"<tbody>{''.join(urows)}</tbody></table>")
    else:
        parts.append('<p class="note">Unallocated children: none.</p>')
    parts.append("</section>")
    return "".join(parts)


def _num(col: str) -> str:
    return ' class="num"' if col in NUMERIC else ""
