"""Bedroom: a child whose bedroom must be seen at every visit is visited at home, bedroom seen."""
from __future__ import annotations

from datetime import date, time

from tests.model.teams import CP_10WD, child, rule, run, standard, team, unexplained, visit, visits_of, wd_gap, worker

BEDROOM = rule("t.cp.bedroom", "bedroom", on_every_visit=True,
               applies_to={"status": ["cp"], "cp_category": ["neglect"]})
LAST = date(2026, 11, 23)  # due Mon 7 Dec


def test_bedroom_seen_on_every_visit_and_never_at_school():
    # 10-year-old on a CP plan for neglect: school visits are ruled out, so home after school
    c = child("C1", dob=date(2016, 3, 1), cp_category="neglect")
    result, violations = run(team([worker()], [c], visits=[visit("C1", LAST)]), standard(CP_10WD, BEDROOM))
    acts = visits_of(result, "C1")
    assert acts
    for a in acts:
        assert "C1" in a.bedroom_child_ids
        assert a.location == "home"
        assert a.start >= time(15, 30)  # at school in school hours
    chain = [LAST] + [a.date for a in acts]
    assert all(wd_gap(x, y) <= 10 for x, y in zip(chain, chain[1:], strict=False))
    assert result.breaches == []
    assert unexplained(result, violations) == []


def test_only_the_child_with_the_rule_has_the_bedroom_recorded():
    # siblings (pre-school, so always seen together); only C1 is on a plan for neglect
    kids = [child("C1", household="H1", dob=date(2023, 1, 1), cp_category="neglect"),
            child("C2", household="H1", dob=date(2024, 1, 1), cp_category="emotional")]
    t = team([worker()], kids, visits=[visit("C1", LAST), visit("C2", LAST)])
    result, violations = run(t, standard(CP_10WD, BEDROOM), weeks=3)
    acts = visits_of(result, "C1")
    assert acts
    assert all(a.bedroom_child_ids == ("C1",) and a.location == "home" for a in acts)
    assert result.breaches == []
    assert unexplained(result, violations) == []


def test_bedroom_cadence_needs_a_home_visit():
    # bedroom every 4 weeks (28 days) for any CP child; last bedroom seen Mon 9 Nov -> due Mon 7 Dec.
    # Worker finishes at 15:00, so a school-age child can only be *visited* at school; the
    # bedroom therefore cannot be seen: a breach, proven unavoidable.
    bed4 = rule("t.cp.bed4", "bedroom", [{"interval": {"weeks": 4}}], statuses=["cp"])
    c = child("C1", dob=date(2016, 3, 1))
    hist = [visit("C1", date(2026, 11, 9)), visit("C1", LAST, bedroom=False)]
    w = worker(day_end=time(15, 0))
    result, violations = run(team([w], [c], visits=hist), standard(CP_10WD, bed4), weeks=3)
    assert all(a.location == "school" and a.bedroom_child_ids == () for a in visits_of(result, "C1"))
    found = [b for b in result.breaches if b.requirement == "bedroom"]
    assert [b.due_by for b in found] == [date(2026, 12, 7)]
    assert found[0].child_id == "C1" and found[0].proven_unavoidable
    assert [b for b in result.breaches if b.requirement == "visit"] == []
    assert unexplained(result, violations) == []
