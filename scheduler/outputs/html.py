"""rota.html: one self-contained page (no scripts, no external resources) the team can open
from disk and print: team summary, breach register, and a week-by-week grid per worker.

Children appear by reference only unless the caller opts in with show_child_names=True.
"""
from __future__ import annotations

from datetime import date, timedelta
from html import escape

from ..caseload.html import caseload_section
from ..caseload.table import CaseloadReport
from ..domain import Team, Worker
from ..solution import PlannedActivity, PlanResult
from .common import (
    NOT_SIGNED_OFF,
    activity_label,
    by_worker,
    child_label,
    day_groups,
    signoff_text,
    week_starts,
    where_label,
    worker_totals,
)

_CSS = """
:root { --ink:#1b1b1b; --muted:#5a5a5a; --line:#c8c8c8; --cover:#b35900; --bad:#a4000f; --ok:#1d6b32; }
* { box-sizing: border-box; }
body { font: 14px/1.35 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: var(--ink);
       margin: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
.meta, .note { color: var(--muted); margin: .2rem 0; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .4rem 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: .3rem .4rem; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
td.num, th.num { text-align: right; }
td.nowrap { white-space: nowrap; }
.key span { margin-right: 1rem; padding-left: .35rem; border-left: 4px solid #3367b1; }
.key .meeting { border-left-color: #6d3fa0; } .key .cover { border-left-color: var(--cover); }
.grid td { width: 14%; }
.grid td.off, .grid th.off { background: #f6f6f6; color: var(--muted); }
.act { border-left: 4px solid #3367b1; padding-left: .35rem; }
.act.meeting { border-left-color: #6d3fa0; }
.act.cover { border-left-color: var(--cover); }
.act .time { font-weight: 600; }
.badge { display: inline-block; font-size: .75rem; font-weight: 700; padding: 0 .3rem;
         border: 1px solid currentColor; border-radius: 3px; }
.badge.cover { color: var(--cover); }
.dayinfo { display: block; font-weight: normal; font-size: .8rem; }
.travel { color: var(--muted); font-size: .85rem; }
tr.signed td.signoff { color: var(--ok); }
tr.over td[data-col="status"] { color: var(--bad); font-weight: 700; }
tr.unsigned td.signoff { color: var(--bad); }
.big { font-size: 1.6rem; font-weight: 700; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  body { margin: 0; font-size: 10pt; }
  nav { display: none; }
  th, .grid td.off { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section.summary { break-after: page; page-break-after: always; }
  /* one worker-week per page; its own heading names the worker */
  section.worker > h2 { display: none; }
  section.worker-week { break-before: page; page-break-before: always; break-inside: avoid; }
  tr { break-inside: avoid; }
}
"""


def _fmt_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _fmt_long(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _hours(minutes: int) -> str:
    return f"{minutes // 60}h {minutes % 60:02d}m"


def _children(team: Team, ids: tuple[str, ...], show_names: bool) -> str:
    return escape(", ".join(child_label(team, c, show_names) for c in ids))


def _activity_cell(act: PlannedActivity, team: Team, show_names: bool) -> str:
    label = activity_label(act.activity)
    classes = ["act", "visit" if act.activity == "visit" else "meeting"]
    if act.cover:
        classes.append("cover")
    lines = [
        f'<div class="time">{act.start:%H:%M}&ndash;{act.end:%H:%M}</div>',
        f'<div class="what">{escape(" ".join(filter(None, [label, where_label(act)])))}'
        f' &middot; household {escape(act.household_id)}</div>',
        f"<div>Children: {_children(team, act.child_ids, show_names)}</div>",
    ]
    if act.seen_alone_child_ids:
        lines.append(f"<div>Seen alone: {_children(team, act.seen_alone_child_ids, show_names)}</div>")
    if act.bedroom_child_ids:
        lines.append(f"<div>Bedroom check: {_children(team, act.bedroom_child_ids, show_names)}</div>")
    lines.append(f'<div class="travel">Travel {act.travel_minutes} min</div>')
    if act.cover:
        lines.append('<span class="badge cover" title="not the allocated worker">COVER</span>')
    return f'<div class="{" ".join(classes)}">{"".join(lines)}</div>'


def _day_note(worker: Worker | None, team: Team, day: date, result: PlanResult) -> str:
    """Why a day has no work: outside the plan, non-working day or an absence."""
    if day < result.start or day > result.end:
        return "outside plan"
    for absence in team.absences:
        if worker is not None and absence.worker_id == worker.worker_id and absence.covers(day):
            return absence.kind
    if worker is not None and day.weekday() not in worker.working_days:
        return "not working"
    return ""


def _week_grid(wid: str, worker: Worker | None, monday: date, acts: list[PlannedActivity],
               team: Team, result: PlanResult, show_names: bool) -> str:
    days_acts = day_groups(acts)
    working = worker.working_days if worker is not None else (0, 1, 2, 3, 4)
    days = [monday + timedelta(days=i) for i in range(7)]
    # weekends only when the worker works them or something is planned on them
    days = [d for d in days if d.weekday() < 5 or d.weekday() in working or d in days_acts]
    head, notes = [], {}
    for d in days:
        note = _day_note(worker, team, d, result)
        notes[d] = note
        cls = ' class="off"' if note else ""
        info = f'<span class="dayinfo">{escape(note)}</span>' if note else ""
        head.append(f"<th{cls}>{_fmt_day(d)}{info}</th>")
    depth = max((len(days_acts.get(d, [])) for d in days), default=0)
    rows = []
    for i in range(depth):
        cells = []
        for d in days:
            todays = days_acts.get(d, [])
            cls = ' class="off"' if notes[d] and not todays else ""
            body = _activity_cell(todays[i], team, show_names) if i < len(todays) else ""
            cells.append(f"<td{cls}>{body}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    if depth == 0:
        rows.append(f'<tr><td colspan="{len(days)}" class="note">No activities planned this week.</td></tr>')
    else:
        travel = []
        for d in days:
            minutes = sum(a.travel_minutes for a in days_acts.get(d, []))
            travel.append(f'<td class="travel">Travel: {minutes} min</td>' if d in days_acts else "<td></td>")
        rows.append("<tr>" + "".join(travel) + "</tr>")
    title = f"{_worker_heading(wid, worker)} &middot; week of {_fmt_long(monday)}"
    return (f'<section class="worker-week" data-worker="{escape(wid)}" data-week="{monday.isoformat()}">'
            f"<h3>{title}</h3><table class=\"grid\"><thead><tr>{''.join(head)}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></section>")


def _worker_heading(wid: str, worker: Worker | None) -> str:
    if worker is None:
        return escape(wid)
    return f"{escape(wid)} &mdash; {escape(worker.name)} ({escape(worker.role.replace('_', ' '))})"


def _summary(result: PlanResult, team: Team, signoffs: dict[str, str] | None) -> str:
    totals = worker_totals(result, team)
    signed = sum(1 for b in result.breaches if signoff_text(signoffs, b.breach_id) != NOT_SIGNED_OFF)
    statutory = sum(1 for b in result.breaches if b.level == "statutory")
    rows = []
    for wid, t in totals.items():
        rows.append(f"<tr><td>{escape(wid)}</td><td class=\"num\">{t.visits}</td>"
                    f"<td class=\"num\">{t.meetings}</td><td class=\"num\">{t.travel_minutes}</td>"
                    f"<td class=\"num\">{_hours(t.travel_minutes)}</td><td class=\"num\">{t.cover}</td>"
                    f"<td class=\"num\">{t.days_out}</td></tr>")
    return (
        '<section class="summary" id="summary"><h2>Team summary</h2>'
        f'<p><span class="big" id="compliance">{result.compliance_percent:.1f}%</span> compliance '
        f"({result.requirements_total} statutory requirement(s) due in the plan, "
        f"{statutory} statutory breach(es); {len(result.breaches)} breach(es) in all, "
        f"{signed} signed off).</p>"
        '<table class="totals"><thead><tr><th>Worker</th><th class="num">Visits</th>'
        '<th class="num">Meetings</th><th class="num">Travel (min)</th><th class="num">Travel</th>'
        '<th class="num">Cover</th><th class="num">Days out</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _breaches(result: PlanResult, team: Team, signoffs: dict[str, str] | None, show_names: bool) -> str:
    if not result.breaches:
        body = '<p class="note">No breaches: every requirement in the plan is met.</p>'
        return f'<section class="breaches" id="breaches"><h2>Breach register</h2>{body}</section>'
    rows = []
    ordered = sorted(result.breaches, key=lambda b: (-b.severity, b.due_by, b.child_id, b.requirement))
    for b in ordered:
        state = signoff_text(signoffs, b.breach_id)
        cls = "unsigned" if state == NOT_SIGNED_OFF else "signed"
        planned = b.planned_date.isoformat() if b.planned_date else "not planned"
        rows.append(
            f'<tr class="{cls}" id="{escape(b.breach_id)}"><td class="nowrap">{escape(b.breach_id)}</td>'
            f"<td>{escape(child_label(team, b.child_id, show_names))}</td>"
            f'<td>{escape(b.requirement)}</td><td class="nowrap">{b.due_by.isoformat()}</td>'
            f'<td class="nowrap">{planned}</td>'
            f'<td class="num">{b.days_late}</td><td class="num">{b.severity}</td><td>{escape(b.level)}</td>'
            f"<td>{escape(b.reason)}</td><td>{'yes' if b.proven_unavoidable else 'no'}</td>"
            f'<td class="signoff">{escape(state)}</td></tr>')
    return (
        '<section class="breaches" id="breaches"><h2>Breach register</h2>'
        '<p class="note">Sign off with <code>rota signoff OUTDIR BREACH_ID --by NAME --reason TEXT</code>; '
        "a breach whose due date changes gets a new id and needs a new sign-off.</p>"
        '<table><thead><tr><th>Breach</th><th>Child</th><th>Requirement</th><th>Due by</th>'
        '<th>Planned</th><th class="num">Days late</th><th class="num">Severity</th><th>Level</th>'
        "<th>Reason</th><th>Unavoidable</th><th>Sign-off</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>")


def render_html(result: PlanResult, team: Team, signoffs: dict[str, str] | None = None,
                show_child_names: bool = False, caseload: CaseloadReport | None = None) -> str:
    """The whole page as a string (pure). `caseload`: the rows of `rota caseload`, shown as a section."""
    grouped = by_worker(result, team)
    workers = {w.worker_id: w for w in team.workers}
    weeks = week_starts(result.start, result.end)
    nav = "".join(f'<li><a href="#worker-{escape(wid)}">{escape(wid)}</a></li>' for wid in grouped)
    sections = []
    for wid, acts in grouped.items():
        worker = workers.get(wid)
        grids = []
        for monday in weeks:
            week_acts = [a for a in acts if monday <= a.date < monday + timedelta(days=7)]
            grids.append(_week_grid(wid, worker, monday, week_acts, team, result, show_child_names))
        sections.append(f'<section class="worker" id="worker-{escape(wid)}" data-worker="{escape(wid)}">'
                        f"<h2>{_worker_heading(wid, worker)}</h2>{''.join(grids)}</section>")
    privacy = ("Children are shown by reference and name (opt-in)." if show_child_names
               else "Children are shown by reference only.")
    title = f"Rota {result.start.isoformat()} to {result.end.isoformat()}"
    caseload_nav = '<li><a href="#caseload">Caseloads</a></li>' if caseload else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>Rota: {_fmt_long(result.start)} &ndash; {_fmt_long(result.end)}</h1>"
        f'<p class="meta">Standard: {escape(result.standard_key)} &middot; solver status: '
        f"{escape(result.status)} &middot; {len(result.activities)} activities, "
        f"{len(grouped)} workers</p><p class=\"note\">{privacy}</p>"
        '<p class="note key"><span class="visit">visit</span><span class="meeting">meeting</span>'
        '<span class="cover">cover (not the allocated worker)</span> Travel is to each stop from the '
        "previous one or the worker's base.</p></header>"
        '<nav><ul><li><a href="#summary">Summary</a></li><li><a href="#breaches">Breaches</a></li>'
        f"{caseload_nav}{nav}</ul></nav>"
        f"{_summary(result, team, signoffs)}{caseload_section(caseload) if caseload else ''}"
        f"{_breaches(result, team, signoffs, show_child_names)}"
        f"{''.join(sections)}</body></html>\n")
