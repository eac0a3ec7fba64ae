"""rota.html: parses, every worker and breach is there, the grid is right, names are opt-in."""
from __future__ import annotations

from html.parser import HTMLParser

from scheduler.outputs.html import render_html

VOID = {"meta", "br", "link", "img", "hr", "input"}


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children, self.text = tag, dict(attrs), parent, [], []

    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split() + [c.all_text() for c in self.children]).strip()

    def find_all(self, tag=None, **attrs):
        for child in self.children:
            if (tag is None or child.tag == tag) and all(
                    v in (child.attrs.get(k.rstrip("_")) or "").split() if k.endswith("_")
                    else child.attrs.get(k) == v for k, v in attrs.items()):
                yield child
            yield from child.find_all(tag, **attrs)


class TreeBuilder(HTMLParser):
    """Strict enough: every non-void element must be closed by its own tag."""

    def __init__(self):
        super().__init__()
        self.root = self.cur = Node("root", [])

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_endtag(self, tag):
        assert self.cur.tag == tag, f"</{tag}> closes <{self.cur.tag}>"
        self.cur = self.cur.parent

    def handle_data(self, data):
        self.cur.text.append(data)


def parse(page: str) -> Node:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.cur is builder.root, "unclosed elements"
    return builder.root


def test_every_worker_and_breach_present(result, team):
    root = parse(render_html(result, team))
    workers = [s.attrs["data-worker"] for s in root.find_all("section", class_="worker")]
    assert workers == ["W1", "W2", "W3"]  # W3 has nothing planned but is still shown
    register = {tr.attrs["id"] for tr in next(root.find_all("section", id="breaches")).find_all("tr")
                if "id" in tr.attrs}
    assert register == {b.breach_id for b in result.breaches}


def test_one_grid_per_worker_week(result, team):
    root = parse(render_html(result, team))
    weeks = [(s.attrs["data-worker"], s.attrs["data-week"]) for s in root.find_all("section", class_="worker-week")]
    # 24 Mar - 4 Apr 2025 spans two Monday-weeks
    assert weeks == [(w, d) for w in ("W1", "W2", "W3") for d in ("2025-03-24", "2025-03-31")]


def _grid(root, worker, week):
    sec = next(s for s in root.find_all("section", class_="worker-week")
               if s.attrs["data-worker"] == worker and s.attrs["data-week"] == week)
    heads = [th.all_text() for th in sec.find_all("th")]
    body = next(sec.find_all("tbody"))
    rows = [[td.all_text() for td in tr.find_all("td")] for tr in body.find_all("tr")]
    return heads, rows


def test_grid_days_across_activities_down(result, team):
    root = parse(render_html(result, team))
    heads, rows = _grid(root, "W1", "2025-03-24")
    assert heads == ["Mon 24 Mar", "Tue 25 Mar", "Wed 26 Mar", "Thu 27 Mar", "Fri 28 Mar"]
    # Monday: two visits, in time order, one per row; last row = travel per day
    assert rows[0][0].startswith("09:30") and "household H1" in rows[0][0]
    assert "Seen alone: C1" in rows[0][0] and "Bedroom check: C1, C2" in rows[0][0]
    assert rows[1][0].startswith("11:00") and "household H2" in rows[1][0]
    assert "Core group" in rows[0][2]
    assert rows[-1][0] == "Travel: 32 min"  # 12 + 20


def test_weekend_worker_cover_and_leave_marked(result, team):
    root = parse(render_html(result, team))
    heads, rows = _grid(root, "W2", "2025-03-24")
    assert heads[-1] == "Sat 29 Mar"  # W2 works Saturdays; nobody works Sundays here
    assert "COVER" in rows[0][5] and "COVER" not in rows[0][1]
    heads, _ = _grid(root, "W1", "2025-03-31")
    assert heads[3:] == ["Thu 3 Apr leave", "Fri 4 Apr leave"]


def test_summary_counts(result, team):
    root = parse(render_html(result, team))
    summary = next(root.find_all("section", id="summary"))
    assert next(summary.find_all(id="compliance")).all_text() == "80.0%"  # 10 due, 2 statutory breaches
    # both breaches fell due within the plan (28 Mar, 2 Apr; the plan starts 24 Mar)
    assert next(summary.find_all(id="compliance-within")).all_text() == "80.0%"
    assert next(summary.find_all(id="overdue-at-start")).all_text() == "0"
    rows = {r[0]: r for r in ([td.all_text() for td in tr.find_all("td")] for tr in summary.find_all("tr")) if r}
    # worker, visits, meetings, travel h:mm, cover, days out
    assert rows["W1 Sam Porter"][1:6] == ["3", "1", "0:56", "0", "3"]
    assert rows["W2 Jo Reeve"][1:6] == ["4", "0", "1:53", "2", "3"]
    assert rows["W3 Kit Lane"][1:6] == ["0", "0", "0:00", "0", "0"]


def test_compliance_split_overdue_before_the_plan(result, team):
    """A breach due before the plan's first day is 'already overdue when the plan starts'; the
    rest are 'due within the plan'."""
    import dataclasses
    from datetime import date

    # C3's visit was due Thu 20 Mar 2025, before the plan starts on Mon 24 Mar; planned Sat 29 Mar
    result.breaches[0] = dataclasses.replace(result.breaches[0], due_by=date(2025, 3, 20), days_late=9)
    root = parse(render_html(result, team))
    summary = next(root.find_all("section", id="summary"))
    assert next(summary.find_all(id="overdue-at-start")).all_text() == "1"
    # 10 requirements, 1 already overdue: 9 due within the plan, 1 missed (C4) -> 8 of 9 = 88.9%
    assert next(summary.find_all(id="compliance-within")).all_text() == "88.9%"
    assert "1 planned" in summary.all_text()
    overdue = next(root.find_all("h3", id="breaches-overdue"))
    assert overdue.all_text() == "Already overdue when the plan starts (1)"


def test_breach_signoff_state_and_reason(result, team):
    first, second = result.breaches
    root = parse(render_html(result, team, {first.breach_id: "signed off by Pat on 2025-03-20"}))
    rows = {tr.attrs["id"]: tr for tr in root.find_all("tr") if "id" in tr.attrs}
    assert rows[first.breach_id].attrs["class"] == "signed"
    assert "signed off by Pat on 2025-03-20" in rows[first.breach_id].all_text()
    assert first.reason in rows[first.breach_id].all_text()
    assert rows[second.breach_id].attrs["class"] == "unsigned"
    assert "not signed off" in rows[second.breach_id].all_text()


def test_team_page_never_names(result, team):
    page = render_html(result, team)
    for child in team.children:
        assert child.name not in page and child.address not in page and child.postcode not in page


def test_worker_page_names_only_with_worker_details(result, team):
    from scheduler.outputs.html import render_worker_page

    plain = render_worker_page(result, team, "W1")
    assert not [s for c in team.children for s in (c.name, c.address, c.postcode) if s in plain]
    root = parse(plain)
    monday = next(t for t in root.find_all("table", class_="day") if t.attrs["data-day"] == "2025-03-24")
    first = [td.all_text() for td in next(monday.find_all("tbody")).find_all("td")][:5]
    assert first == ["09:30–10:30", "Visit", "H1", "DT1", "C1, C2"]  # DT1 1AA -> district DT1
    detailed = render_worker_page(result, team, "W1", worker_details=True)
    assert "C1 Alice Zebedee, C2 Bobby Zebedee" in detailed and "12 Larkspur Close, DT1 1AA" in detailed
    assert "Dev Ormsby" not in detailed  # C4 is only ever visited by W2


def test_print_stylesheet_one_worker_week_per_page(result, team):
    page = render_html(result, team)
    assert "@media print" in page
    media = page[page.index("@media print"):]
    assert "section.worker-week { break-before: page; page-break-before: always" in media


def test_status_verdict_and_explanations(result, team):
    page = render_html(result, team, chain_head="ab" * 32)
    root = parse(page)
    status = next(root.find_all(id="plan-status"))
    assert status.attrs["data-status"] == "OPTIMAL" and "whole plan proven optimal" in status.all_text()
    assert "nothing outside the breach register" in next(root.find_all(id="verdict")).all_text()
    assert "ab" * 32 in next(root.find_all(id="chain-head")).all_text()
    text = root.all_text()
    for words in ("Severity: how serious a missed requirement is", "Days late: calendar days from the due date",
                  "Cover: done by a colleague, not the child's allocated worker"):
        assert words in text


def test_whole_plan_status_not_first_stage(result, team):
    """Stage 1 proven optimal but the later stage stopped at its budget: the plan is FEASIBLE."""
    result.stats = {"final_status": "FEASIBLE", "deterministic": True}
    root = parse(render_html(result, team))
    status = next(root.find_all(id="plan-status"))
    assert status.attrs["data-status"] == "FEASIBLE"
    assert "not proven optimal" in status.all_text()


def test_verifier_findings_shown(result, team):
    from scheduler.verifier import Violation

    result.violations = [Violation("hours", "W1 works 17:00-18:00 on 2025-03-24, after their day ends",
                                   worker_id="W1")]
    root = parse(render_html(result, team))
    assert "NOT VERIFIED" in next(root.find_all(id="verdict")).all_text()
    assert "after their day ends" in next(root.find_all("section", id="unexplained")).all_text()


def test_cover_reason_on_every_cover_visit(result, team):
    import dataclasses

    result.activities[5] = dataclasses.replace(result.activities[5], cover_reason="W1 at capacity")
    root = parse(render_html(result, team))
    _, rows = _grid(root, "W2", "2025-03-24")
    assert "COVER W1 at capacity" in rows[0][5]
    _, rows = _grid(root, "W2", "2025-03-31")
    assert "COVER not the allocated worker (no reason recorded by the planner)" in rows[1][1]


def test_same_household_same_day_has_a_reason(result, team):
    """W1 holds a core group at H1 on Wed 26 Mar; add W2's visit there the same day."""
    import dataclasses
    from datetime import date, time

    result.activities.append(dataclasses.replace(result.activities[0], date=date(2025, 3, 26), worker_id="W2",
                                                 start=time(15, 30), end=time(16, 30)))
    root = parse(render_html(result, team))
    rows = list(next(root.find_all("section", id="same-household")).find_all("tr", class_="same-day"))
    assert [(r.attrs["data-household"], r.attrs["data-day"]) for r in rows] == [("H1", "2025-03-26")]
    text = rows[0].all_text()
    assert "Core group 14:00 by W1 (C1, C2), Visit 15:30 by W2 (C1, C2)" in text
    assert "Why not one visit: Core group is a meeting about the child, not a visit" in text
    _, cells = _grid(root, "W1", "2025-03-24")
    assert "SAME HOUSEHOLD TODAY" in cells[0][2]  # on the core group's own cell too


def test_team_by_day_grid(result, team):
    root = parse(render_html(result, team))
    week = next(s for s in root.find_all("section", class_="team-week") if s.attrs["data-week"] == "2025-03-24")
    heads = [th.all_text() for th in next(week.find_all("thead")).find_all("th")]
    # weekdays plus Saturday 29 Mar, when W2 has a visit
    assert heads == ["Worker", "Mon 24 Mar", "Tue 25 Mar", "Wed 26 Mar", "Thu 27 Mar", "Fri 28 Mar", "Sat 29 Mar"]
    rows = {tr.attrs["data-worker"]: [td.all_text() for td in tr.find_all("td")]
            for tr in next(week.find_all("tbody")).find_all("tr")}
    assert list(rows) == ["W1", "W2", "W3"]
    assert rows["W1"][0] == "09:30 Visit H1 11:00 Visit H2"
    assert rows["W2"][5] == "10:00 Visit H2 cover"
    assert rows["W1"][5] == "not working"


def test_hostile_ids_are_escaped(result, team):
    import dataclasses

    evil = '<script>alert(1)</script>"'
    result.activities[0] = dataclasses.replace(result.activities[0], household_id=evil)
    result.breaches[0] = dataclasses.replace(result.breaches[0], reason="<img src=x onerror=alert(1)>")
    page = render_html(result, team)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;" in page
    parse(page)


def test_self_contained(result, team):
    page = render_html(result, team)
    assert "<script" not in page and "<link" not in page and "http" not in page


def test_school_visit_says_so(result, team):
    import dataclasses
    result.activities[1] = dataclasses.replace(result.activities[1], location="school")
    root = parse(render_html(result, team))
    _, rows = _grid(root, "W1", "2025-03-24")
    assert "Visit at school · household H2" in rows[1][0]
    assert "at school" not in rows[0][0]
