"""Issue 8 ("No child missed") through a real plan: `rota due` (child_dues), the CP-SAT plan and the
independent verifier agree on the shipped standards.

Small teams from tests/model/teams.py (one qualified social worker next to the children); plans
start Mon 30 Nov 2026 unless stated (England; bank holidays Fri 25 and Mon 28 Dec 2026).
"""
from __future__ import annotations

from datetime import date, timedelta

from scheduler.calendar import WorkingCalendar
from scheduler.domain import Meeting
from scheduler.policy import severity
from scheduler.requirements import child_dues, strictest
from scheduler.standards import load_standard
from tests.model.teams import START, breaches_of, child, run, team, unexplained, visit, visit_dates, worker

CAL = WorkingCalendar("england")
TIME_LIMIT = 8.0


def _due(t, key: str, child_id: str, requirement: str, on: date) -> date | None:
    std = load_standard(key)
    c = next(c for c in t.children if c.child_id == child_id)
    return {d.requirement: d.due_by for d in strictest(child_dues(t, c, std, CAL, on))}.get(requirement)


def test_item1_dudley_cic_child_with_no_placement_type_is_visited_in_a_4_week_plan():
    # in care since Mon 6 Jan 2025, no placement type or placement start, no review; last seen Thu 1 Oct 2026
    c = child("C1", status="cic", status_start=date(2025, 1, 6))
    t = team([worker()], [c], visits=[visit("C1", date(2026, 10, 1))])
    # rota due: weekly (the 'within 1 week' and weekly-until-first-review rules): Thu 1 Oct + 7 = Thu 8 Oct
    assert _due(t, "dudley", "C1", "visit", START) == date(2026, 10, 8)
    result, violations = run(t, load_standard("dudley"), weeks=4, time_limit=TIME_LIMIT)
    days = visit_dates(result, "C1")
    # before issue 8: no visit rule, 0 visits. Now weekly across Mon 30 Nov - Sun 27 Dec 2026
    assert len(days) >= 4
    assert days[0] <= START + timedelta(days=6)
    assert all((b - a).days <= 7 for a, b in zip(days, days[1:], strict=False))
    assert breaches_of(result, "C1", "visit")[0].due_by == date(2026, 10, 8)  # already overdue: a breach
    assert unexplained(result, violations) == []


def test_item2_dudley_adoption_placed_2_nov_is_visited_weekly():
    # placed for adoption Mon 2 Nov 2026, seen that day; first looked-after review 25 Jun 2025 (before it)
    c = child("C1", status="cic", status_start=date(2025, 6, 1), placement_type="adoption",
              placement_start_date=date(2026, 11, 2), first_review_date=date(2025, 6, 25))
    t = team([worker()], [c], visits=[visit("C1", date(2026, 11, 2))])
    start = date(2026, 11, 3)
    assert _due(t, "dudley", "C1", "visit", start) == date(2026, 11, 9)  # Mon 2 Nov + 7, not Mon 14 Dec
    result, violations = run(t, load_standard("dudley"), weeks=3, start=start, time_limit=TIME_LIMIT)
    days = visit_dates(result, "C1")
    assert days[0] <= date(2026, 11, 9)
    assert all((b - a).days <= 7 for a, b in zip(days, days[1:], strict=False))
    assert breaches_of(result, "C1", "visit") == []
    assert unexplained(result, violations) == []


def test_item3_knowsley_cin_meeting_planned_without_an_assessment_date():
    # CIN since Mon 30 Nov 2026, no assessment date: CIN meeting within 10 days -> Thu 10 Dec 2026
    c = child("C1", status="cin", status_start=START)
    t = team([worker()], [c])
    assert _due(t, "knowsley", "C1", "cin_review", START) == date(2026, 12, 10)
    result, violations = run(t, load_standard("knowsley"), weeks=2, time_limit=TIME_LIMIT)
    meetings = [a.date for a in result.activities if a.activity == "cin_review" and "C1" in a.child_ids]
    assert meetings and meetings[0] <= date(2026, 12, 10)
    assert unexplained(result, violations) == []


def test_item5_dorset_multiple_category_bedroom_seen_on_every_planned_visit():
    # ICPC Mon 16 Nov 2026, category 'multiple' (may include neglect); seen Fri 27 Nov with the bedroom
    c = child("C1", status="cp", status_start=date(2026, 11, 16), cp_category="multiple")
    t = team([worker()], [c], visits=[visit("C1", date(2026, 11, 27))],
             meetings=[Meeting("C1", "core_group", date(2026, 11, 27), "held")])
    assert _due(t, "dorset", "C1", "bedroom", START) == date(2026, 12, 4)  # with the visit: 5 WD after Fri 27 Nov
    result, violations = run(t, load_standard("dorset"), weeks=2, time_limit=TIME_LIMIT)
    visits = [a for a in result.activities if a.activity == "visit" and "C1" in a.child_ids]
    assert visits and all("C1" in a.bedroom_child_ids for a in visits)
    assert unexplained(result, violations) == []


def test_item7_devon_local_only_cp_and_cin_visits_weigh_as_statutory():
    # every visit below is overdue when the plan starts (Mon 30 Nov 2026), so each is a breach
    cp = child("CP1", status="cp", status_start=date(2026, 6, 1), offset=1)  # 10 WD after Mon 2 Nov: Mon 16 Nov
    cin = child("CN1", status="cin", status_start=date(2026, 6, 1), offset=2)  # 20 WD after Mon 26 Oct: Mon 23 Nov
    # foster: local 4 weekly overdue (Mon 26 Oct + 28 = Mon 23 Nov), statutory 6 weekly not (Mon 7 Dec)
    fo = child("F1", status="cic", status_start=date(2026, 6, 1), placement_type="foster",
               placement_start_date=date(2026, 6, 1), offset=3)
    history = [visit("CP1", date(2026, 11, 2)), visit("CN1", date(2026, 10, 26)), visit("F1", date(2026, 6, 1)),
               visit("F1", date(2026, 6, 5)), visit("F1", date(2026, 10, 26))]
    t = team([worker()], [cp, cin, fo], visits=history)
    result, violations = run(t, load_standard("devon"), weeks=2, time_limit=TIME_LIMIT)
    for cid, c, due in (("CP1", cp, date(2026, 11, 16)), ("CN1", cin, date(2026, 11, 23))):
        b = breaches_of(result, cid, "visit")[0]
        assert (b.due_by, b.level, b.severity) == (due, "statutory", severity(c, "statutory")), cid
    b = breaches_of(result, "F1", "visit")[0]
    assert (b.due_by, b.level, b.severity) == (date(2026, 11, 23), "local", severity(fo, "local"))
    assert severity(fo, "local") < severity(fo, "statutory")
    assert unexplained(result, violations) == []


def test_item8_dudley_care_leaver_visit_due_on_the_18th_birthday_inside_the_plan():
    # left care Mon 1 Jun 2026 aged 17; 18 on Wed 16 Dec 2026, when 'Young people aged 18-25' starts
    c = child("C1", status="care_leaver", status_start=date(2026, 6, 1), dob=date(2008, 12, 16))
    t = team([worker(role="personal_adviser", qualified=False)], [c])
    assert _due(t, "dudley", "C1", "visit", START) is None  # aged 17 on the plan's first day
    assert _due(t, "dudley", "C1", "visit", date(2026, 12, 16)) == date(2026, 12, 16)  # due that day at the latest
    result, violations = run(t, load_standard("dudley"), weeks=4, time_limit=TIME_LIMIT)
    days = visit_dates(result, "C1")
    assert days and days[0] <= date(2026, 12, 16)
    assert breaches_of(result, "C1", "visit") == []
    assert unexplained(result, violations) == []
