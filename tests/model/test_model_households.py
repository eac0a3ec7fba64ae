"""Households: siblings are seen in one visit, and the visit grows with each child seen alone."""
from __future__ import annotations

from datetime import date, datetime

from scheduler import policy
from tests.model.teams import CP_10WD, child, rule, run, standard, team, unexplained, visit, visits_of, wd_gap, worker

ALONE = rule("t.cp.alone", "seen_alone", on_every_visit=True, statuses=["cp"])
LAST = date(2026, 11, 25)  # both siblings last seen together on Wed 25 Nov: due Wed 9 Dec


def _minutes(a) -> int:
    return int((datetime.combine(a.date, a.end) - datetime.combine(a.date, a.start)).total_seconds() // 60)


def test_siblings_with_the_same_cadence_are_seen_together():
    # two pre-school siblings (aged 2 and 4: at home all day) in household H1
    kids = [child("C1", household="H1", dob=date(2024, 5, 1)), child("C2", household="H1", dob=date(2022, 5, 1))]
    t = team([worker()], kids, visits=[visit("C1", LAST), visit("C2", LAST)])
    result, violations = run(t, standard(CP_10WD, ALONE), weeks=4)
    acts = visits_of(result, "C1")
    assert acts and acts == visits_of(result, "C2")  # the very same activities
    for a in acts:
        assert a.household_id == "H1"
        assert sorted(a.child_ids) == ["C1", "C2"]
        assert sorted(a.seen_alone_child_ids) == ["C1", "C2"]
        # 40 min household visit + 10 for the second child + 15 per child seen alone = 80
        assert _minutes(a) == policy.visit_minutes(2, 2) == 80
    chain = [LAST] + [a.date for a in acts]
    assert all(wd_gap(x, y) <= 10 for x, y in zip(chain, chain[1:], strict=False))
    assert result.breaches == []
    assert unexplained(result, violations) == []


def test_an_exempt_sibling_is_seen_but_not_alone_and_the_visit_is_shorter():
    # three pre-school siblings; C3 is exempt from being seen alone: 40 + 2*10 + 2*15 = 90 min
    kids = [child("C1", household="H1", dob=date(2024, 5, 1)),
            child("C2", household="H1", dob=date(2022, 5, 1)),
            child("C3", household="H1", dob=date(2023, 5, 1), seen_alone_exempt="communication needs")]
    t = team([worker()], kids, visits=[visit(c.child_id, LAST) for c in kids])
    result, violations = run(t, standard(CP_10WD, ALONE), weeks=3)
    acts = visits_of(result, "C1")
    assert acts
    for a in acts:
        assert sorted(a.child_ids) == ["C1", "C2", "C3"]
        assert sorted(a.seen_alone_child_ids) == ["C1", "C2"]
        assert _minutes(a) == policy.visit_minutes(3, 2) == 90
    assert result.breaches == []
    assert unexplained(result, violations) == []


def test_children_of_different_households_get_separate_visits():
    kids = [child("C1", household="H1", dob=date(2024, 5, 1), offset=1),
            child("C2", household="H2", dob=date(2022, 5, 1), offset=3)]
    t = team([worker()], kids, visits=[visit("C1", LAST), visit("C2", LAST)])
    result, violations = run(t, standard(CP_10WD, ALONE), weeks=3)
    for a in result.activities:
        assert len(a.child_ids) == 1
        assert a.household_id == {"C1": "H1", "C2": "H2"}[a.child_ids[0]]
        assert _minutes(a) == policy.visit_minutes(1, 1) == 55
    assert visits_of(result, "C1") and visits_of(result, "C2")
    assert unexplained(result, violations) == []
