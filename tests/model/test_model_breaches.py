"""Breaches: an unavoidable miss is flagged with a true reason; a comfortable team has none."""
from __future__ import annotations

from datetime import date

from scheduler.domain import Meeting
from tests.model.teams import (
    CP_10WD,
    breaches_of,
    child,
    every,
    leave,
    rule,
    run,
    standard,
    team,
    unexplained,
    visit,
    visit_dates,
    worker,
)

# Mon 23 Nov + 10 WD (24 25 26 27 30 Nov, 1 2 3 4 7 Dec) -> due Mon 7 Dec
LAST = date(2026, 11, 23)
DUE = date(2026, 12, 7)
AWAY = (date(2026, 11, 30), date(2026, 12, 11))  # the whole window 30 Nov - 7 Dec, and beyond


def _sole_worker_on_leave():
    # W1 is the only qualified social worker; U1 (unqualified) and P1 (personal adviser) may not visit
    workers = [worker("W1"), worker("U1", qualified=False), worker("P1", role="personal_adviser")]
    return team(workers, [child("C1")], visits=[visit("C1", LAST)], absences=[leave("W1", *AWAY)])


def test_sole_eligible_worker_on_leave_gives_a_proven_breach():
    result, violations = run(_sole_worker_on_leave(), standard(CP_10WD), weeks=3)
    found = breaches_of(result, "C1")
    assert len(found) == 1
    b = found[0]
    assert (b.requirement, b.due_by, b.proven_unavoidable) == ("visit", DUE, True)
    # W1 is back on Mon 14 Dec: the overdue visit is planned then (7 calendar days late)
    assert b.planned_date == date(2026, 12, 14) and b.days_late == 7
    assert visit_dates(result, "C1")[0] == date(2026, 12, 14)
    assert not [a for a in result.activities if a.worker_id in ("U1", "P1")]
    assert unexplained(result, violations) == []


def test_sole_worker_on_leave_reason_names_the_worker_and_the_leave():
    result, _ = run(_sole_worker_on_leave(), standard(CP_10WD), weeks=3)
    reason = breaches_of(result, "C1")[0].reason
    assert "W1" in reason and "leave" in reason
    assert "no working day" not in reason


def test_leave_plus_a_full_day_gives_a_reason_naming_both():
    # two CP children both due Mon 7 Dec; W1 (the only worker, 1 visit a day) works only Mon 30 Nov
    # in that window (leave 1-11 Dec): one child must miss, proven, with both facts in the reason
    t = team([worker(max_visits_per_day=1)], [child("C1"), child("C2", offset=2)],
             visits=[visit("C1", LAST), visit("C2", LAST)],
             absences=[leave("W1", date(2026, 12, 1), date(2026, 12, 11))])
    result, violations = run(t, standard(CP_10WD), weeks=3)
    assert len(result.breaches) == 1
    b = result.breaches[0]
    assert b.due_by == DUE and b.proven_unavoidable
    assert "W1" in b.reason and "leave" in b.reason and "30 Nov" in b.reason
    # the other child is seen on the one day available
    other = {"C1": "C2", "C2": "C1"}[b.child_id]
    assert visit_dates(result, other)[0] == date(2026, 11, 30)
    assert unexplained(result, violations) == []


def test_child_who_misses_is_seen_soon_after_the_worker_is_back():
    # Same team. W1 is back Mon 14 Dec, when the child seen on 30 Nov is due again (30 Nov + 10 WD);
    # with one visit a day the missed child can be seen Tue 15 Dec at the earliest. Days late are
    # priced in tiers after the due date (cadence.LATE_TIERS_DAYS: ... 7, 10 ...), so any day up to
    # 7 Dec + 10 = Thu 17 Dec is as good as the 15th.
    t = team([worker(max_visits_per_day=1)], [child("C1"), child("C2", offset=2)],
             visits=[visit("C1", LAST), visit("C2", LAST)],
             absences=[leave("W1", date(2026, 12, 1), date(2026, 12, 11))])
    result, _ = run(t, standard(CP_10WD), weeks=3)
    [b] = result.breaches
    assert b.planned_date is not None and date(2026, 12, 15) <= b.planned_date <= date(2026, 12, 17)
    assert b.days_late == (b.planned_date - DUE).days


def test_overdue_at_the_start_is_proven_and_says_so():
    # last visit Mon 2 Nov + 10 WD (3 4 5 6 9 10 11 12 13 16 Nov) -> due Mon 16 Nov, before the plan
    t = team([worker()], [child("C1")], visits=[visit("C1", date(2026, 11, 2))])
    result, violations = run(t, standard(CP_10WD), weeks=3)
    found = breaches_of(result, "C1")
    assert len(found) == 1
    b = found[0]
    assert b.due_by == date(2026, 11, 16) and b.proven_unavoidable
    assert "before the plan starts" in b.reason
    # seen as early as possible: within the first lateness tier (Mon 30 Nov or Tue 1 Dec)
    assert b.planned_date in (date(2026, 11, 30), date(2026, 12, 1))
    assert b.days_late == (b.planned_date - b.due_by).days
    assert unexplained(result, violations) == []


def test_comfortable_team_has_no_breaches():
    # two social workers, a personal adviser; CP, CIN, CIC and care-leaver children, all recently
    # seen; several rule families at once
    std = standard(
        CP_10WD,
        rule("t.cp.alone", "seen_alone", on_every_visit=True, statuses=["cp"]),
        rule("t.cin.visit", "visit", [every({"weeks": 4})], statuses=["cin"]),
        rule("t.cic.visit", "visit", [every({"weeks": 6})], statuses=["cic"]),
        rule("t.leaver.visit", "visit", [every({"weeks": 8})], statuses=["care_leaver"]),
        rule("t.cp.core", "core_group", [every({"weeks": 4})], statuses=["cp"]),
    )
    kids = [child("C1", allocated="W1", offset=1),
            child("C2", allocated="W1", household="H2", offset=2, dob=date(2021, 4, 4)),
            child("C3", allocated="W1", household="H2", offset=2, dob=date(2023, 4, 4)),
            child("C4", status="cin", allocated="W2", offset=3),
            child("C5", status="cic", allocated="W2", offset=4, placement_type="foster",
                  placement_start_date=date(2025, 1, 6)),
            child("L1", status="care_leaver", allocated="P1", offset=5, dob=date(2006, 2, 1))]
    visits = [visit("C1", date(2026, 11, 24)), visit("C2", date(2026, 11, 26)), visit("C3", date(2026, 11, 26)),
              visit("C4", date(2026, 11, 16)), visit("C5", date(2026, 11, 2)),
              visit("L1", date(2026, 10, 20), worker_id="P1")]
    meetings = [Meeting(c, "core_group", date(2026, 11, 19), "held") for c in ("C1", "C2", "C3")]
    t = team([worker("W1"), worker("W2"), worker("P1", role="personal_adviser")], kids, visits=visits,
             meetings=meetings, absences=[leave("W2", date(2026, 12, 14), date(2026, 12, 18))])
    result, violations = run(t, std, weeks=5)
    assert result.breaches == []
    assert violations == []
    assert result.compliance_percent == 100.0 and result.requirements_total > 0
    for cid in ("C1", "C2", "C3", "C4", "C5", "L1"):
        assert visit_dates(result, cid), cid
