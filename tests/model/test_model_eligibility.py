"""Eligibility: care leavers see personal advisers; CP children see qualified social workers."""
from __future__ import annotations

from datetime import date

from tests.model.teams import (
    CP_10WD,
    child,
    every,
    leave,
    rule,
    run,
    standard,
    team,
    unexplained,
    visit,
    visits_of,
    worker,
)

LEAVER_8W = rule("t.leaver.visit", "visit", [every({"weeks": 8})], statuses=["care_leaver"])


def test_care_leaver_is_only_visited_by_a_personal_adviser():
    # last visit Mon 12 Oct + 8 weeks = Mon 7 Dec. The adviser P1 is away Mon 30 Nov - Fri 4 Dec,
    # so the only compliant day is Mon 7 Dec, by P1 - the social worker (nearer, free) may not.
    leaver = child("L1", status="care_leaver", allocated="P1", dob=date(2006, 2, 1))
    sw = worker("W1")
    pa = worker("P1", role="personal_adviser", base_lat=51.60, base_lon=-1.70)
    t = team([sw, pa], [leaver], visits=[visit("L1", date(2026, 10, 12), worker_id="P1")],
             absences=[leave("P1", date(2026, 11, 30), date(2026, 12, 4))])
    result, violations = run(t, standard(LEAVER_8W), weeks=3)
    acts = visits_of(result, "L1")
    assert [a.date for a in acts] == [date(2026, 12, 7)]
    assert all(a.worker_id == "P1" for a in acts)
    assert not [a for a in result.activities if a.worker_id == "W1"]
    assert result.breaches == []
    assert unexplained(result, violations) == []


def test_unqualified_social_worker_never_visits_a_cp_child():
    # W1 (allocated) is away for two weeks; U1 (unqualified, based next door) is free but may not
    # visit; W2 (qualified, further away) covers.
    u1 = worker("U1", qualified=False)
    w2 = worker("W2", base_lat=51.62, base_lon=-1.70)
    t = team([worker("W1"), u1, w2], [child("C1")], visits=[visit("C1", date(2026, 11, 23))],
             absences=[leave("W1", date(2026, 11, 30), date(2026, 12, 11))])
    result, violations = run(t, standard(CP_10WD), weeks=3)
    acts = visits_of(result, "C1")
    assert acts
    assert all(a.worker_id in ("W1", "W2") for a in acts)
    assert next(a for a in acts if a.date <= date(2026, 12, 7)).worker_id == "W2"
    assert not [a for a in result.activities if a.worker_id == "U1"]
    assert result.breaches == []
    assert unexplained(result, violations) == []


def test_unqualified_worker_may_visit_an_early_help_child_but_a_social_worker_may_not():
    # early help: early help practitioner role (qualification not needed); a social worker is not eligible
    eh = rule("t.eh.visit", "visit", [every({"weeks": 2})], statuses=["early_help"])
    c = child("E1", status="early_help", allocated="EH1")
    ehp = worker("EH1", role="early_help_practitioner", qualified=False, base_lat=51.60, base_lon=-1.70)
    t = team([worker("W1"), ehp], [c], visits=[visit("E1", date(2026, 11, 27), worker_id="EH1")])
    result, violations = run(t, standard(eh), weeks=3)
    acts = visits_of(result, "E1")
    assert acts and acts[0].date <= date(2026, 12, 11)  # 27 Nov + 14 days
    assert all(a.worker_id == "EH1" for a in acts)
    assert result.breaches == []
    assert unexplained(result, violations) == []
