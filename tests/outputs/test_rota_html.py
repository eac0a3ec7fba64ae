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
    rows = {r[0]: r for r in ([td.all_text() for td in tr.find_all("td")] for tr in summary.find_all("tr")) if r}
    # worker, visits, meetings, travel minutes, travel h:m, cover, days out
    assert rows["W1"][:4] == ["W1", "3", "1", "56"]
    assert rows["W2"][:4] == ["W2", "4", "0", "113"] and rows["W2"][5] == "2"
    assert rows["W3"][:4] == ["W3", "0", "0", "0"]


def test_breach_signoff_state_and_reason(result, team):
    first, second = result.breaches
    root = parse(render_html(result, team, {first.breach_id: "signed off by Pat on 2025-03-20"}))
    rows = {tr.attrs["id"]: tr for tr in root.find_all("tr") if "id" in tr.attrs}
    assert rows[first.breach_id].attrs["class"] == "signed"
    assert "signed off by Pat on 2025-03-20" in rows[first.breach_id].all_text()
    assert first.reason in rows[first.breach_id].all_text()
    assert rows[second.breach_id].attrs["class"] == "unsigned"
    assert "not signed off" in rows[second.breach_id].all_text()


def test_child_names_only_when_opted_in(result, team):
    default = render_html(result, team)
    for child in team.children:
        assert child.name not in default and child.address not in default and child.postcode not in default
    opted = render_html(result, team, show_child_names=True)
    assert "C1 (Alice Zebedee)" in opted
    assert "12 Larkspur Close" not in opted  # addresses never


def test_print_stylesheet_one_worker_week_per_page(result, team):
    page = render_html(result, team)
    assert "@media print" in page
    media = page[page.index("@media print"):]
    assert "section.worker-week { break-before: page; page-break-before: always" in media


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
