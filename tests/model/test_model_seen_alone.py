"""Seen alone: a school-age child is seen alone after school at home, or at school in school
hours; exempt and unborn children are never listed as seen alone."""
from __future__ import annotations

from datetime import date, time

from scheduler import policy
from tests.model.teams import (
    CP_10WD,
    breaches_of,
    child,
    rule,
    run,
    standard,
    team,
    unexplained,
    visit,
    visits_of,
    worker,
)

ALONE = rule("t.cp.alone", "seen_alone", on_every_visit=True, statuses=["cp"])
LAST = date(2026, 11, 23)  # due Mon 7 Dec


def test_school_age_child_is_seen_alone_after_school_or_at_school():
    # born 1 Mar 2016: 10 years old throughout the horizon (school age 5-16)
    c = child("C1", dob=date(2016, 3, 1))
    result, violations = run(team([worker()], [c], visits=[visit("C1", LAST)]), standard(CP_10WD, ALONE))
    acts = visits_of(result, "C1")
    assert acts
    for a in acts:
        assert a.seen_alone_child_ids == ("C1",)
        if a.location == "home":
            assert a.start >= time(15, 30), a
        else:
            assert a.location == "school"
            assert a.start >= policy.SCHOOL_START and a.end <= time(15, 15), a
            assert a.bedroom_child_ids == ()
    assert result.breaches == []
    assert unexplained(result, violations) == []


def test_worker_who_finishes_at_three_sees_a_school_age_child_at_school():
    # day ends 15:00, before school ends: the only way to see the 10-year-old is at school
    w = worker(day_end=time(15, 0))
    c = child("C1", dob=date(2016, 3, 1))
    result, violations = run(team([w], [c], visits=[visit("C1", LAST)]), standard(CP_10WD, ALONE))
    acts = visits_of(result, "C1")
    assert acts and all(a.location == "school" for a in acts)
    assert all(a.end <= time(15, 0) for a in acts)
    assert result.breaches == []
    assert unexplained(result, violations) == []


def test_exempt_child_is_never_listed_as_seen_alone():
    c = child("C1", dob=date(2016, 3, 1), seen_alone_exempt="declines; agreed with team manager")
    result, violations = run(team([worker()], [c], visits=[visit("C1", LAST, alone=False)]),
                             standard(CP_10WD, ALONE))
    acts = visits_of(result, "C1")
    assert acts
    assert all(a.seen_alone_child_ids == () for a in acts)
    assert all((a.end.hour * 60 + a.end.minute) - (a.start.hour * 60 + a.start.minute)
               == policy.visit_minutes(1, 0) for a in acts)
    assert breaches_of(result, "C1", "seen_alone") == []
    assert result.breaches == []
    assert unexplained(result, violations) == []


def test_unborn_child_is_never_listed_as_seen_alone():
    # unborn (no date of birth): visited at home any time of day, never "seen alone"
    c = child("C1", dob=None)
    result, violations = run(team([worker()], [c], visits=[visit("C1", LAST, alone=False)]),
                             standard(CP_10WD, ALONE))
    acts = visits_of(result, "C1")
    assert acts
    assert all(a.seen_alone_child_ids == () and a.location == "home" for a in acts)
    assert result.breaches == []
    assert unexplained(result, violations) == []


def test_seen_alone_cadence_is_met_by_visits():
    # seen alone at least every 4 weeks (28 days); last seen alone Mon 9 Nov -> due Mon 7 Dec;
    # visits every 10 WD (last Mon 23 Nov -> due Mon 7 Dec)
    alone4 = rule("t.cp.alone4", "seen_alone", [{"interval": {"weeks": 4}}], statuses=["cp"])
    c = child("C1", dob=date(2016, 3, 1))
    hist = [visit("C1", date(2026, 11, 9)), visit("C1", LAST, alone=False)]
    result, violations = run(team([worker()], [c], visits=hist), standard(CP_10WD, alone4), weeks=4)
    alone_dates = [a.date for a in visits_of(result, "C1") if "C1" in a.seen_alone_child_ids]
    chain = [date(2026, 11, 9)] + alone_dates
    assert chain[1] <= date(2026, 12, 7)
    assert all((b - a).days <= 28 for a, b in zip(chain, chain[1:], strict=False))
    assert result.breaches == []
    assert unexplained(result, violations) == []
