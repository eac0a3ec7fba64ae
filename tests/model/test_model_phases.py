"""Phase changes: the cadence in force the day after each visit sets the next due date."""
from __future__ import annotations

from datetime import date, timedelta

from tests.model.teams import (
    CAL,
    breaches_of,
    child,
    every,
    horizon_end,
    leave,
    rule,
    run,
    standard,
    team,
    unexplained,
    visit,
    visit_dates,
    wd_gap,
    worker,
)

ICPC = date(2026, 11, 23)  # Mon; the CP plan (status) starts here
# CP: 5 WD for the first 4 weeks after the ICPC, then 10 WD. Phase 1 ends on ICPC + 4 weeks =
# Mon 21 Dec: a visit on day p is followed by the 5 WD phase when p + 1 day < 21 Dec.
CP_PHASED = rule("t.cp.visit", "visit", [every({"working_days": 5}, after={"weeks": 4}),
                                         every({"working_days": 10})], statuses=["cp"])
PHASE_END = ICPC + timedelta(weeks=4)


def _limit(p: date) -> int:
    return 5 if p + timedelta(days=1) < PHASE_END else 10


def test_cp_five_then_ten_working_days():
    # visited on the ICPC day: due 23 Nov + 5 WD (24 25 26 27 30 Nov) = Mon 30 Nov, the first day
    t = team([worker()], [child("C1", status_start=ICPC)], visits=[visit("C1", ICPC)])
    result, violations = run(t, standard(CP_PHASED), weeks=5)
    dates = visit_dates(result, "C1")
    assert dates[0] == date(2026, 11, 30)
    chain = [ICPC] + dates
    for a, b in zip(chain, chain[1:], strict=False):
        assert wd_gap(a, b) <= _limit(a), (a, b, _limit(a))
    assert CAL.add_working_days(chain[-1], _limit(chain[-1])) > horizon_end(5)
    assert result.breaches == []
    assert unexplained(result, violations) == []


def test_second_phase_allows_a_leave_a_first_phase_cadence_would_breach():
    # A visit on Thu 24 Dec is in phase 2 (25 Dec >= 21 Dec): next due 24 Dec + 10 WD =
    # 29 30 31 Dec, 4 5 6 7 8 11 12 Jan -> Tue 12 Jan, after the horizon (to Sun 10 Jan). With the
    # worker away 29 Dec - 8 Jan there is no breach only because 10 WD, not 5 WD, is in force
    # (5 WD after 24 Dec would be Tue 5 Jan, inside the leave).
    t = team([worker()], [child("C1", status_start=ICPC)], visits=[visit("C1", ICPC)],
             absences=[leave("W1", date(2026, 12, 29), date(2027, 1, 8))])
    result, violations = run(t, standard(CP_PHASED), weeks=6)
    assert CAL.add_working_days(date(2026, 12, 24), 10) == date(2027, 1, 12)
    chain = [ICPC] + visit_dates(result, "C1")
    for a, b in zip(chain, chain[1:], strict=False):
        assert wd_gap(a, b) <= _limit(a), (a, b)
    assert result.breaches == []
    assert unexplained(result, violations) == []


def test_first_phase_leave_is_a_proven_breach():
    # visited on the ICPC (23 Nov): due Mon 30 Nov; a visit then makes the next due
    # 30 Nov + 5 WD = Mon 7 Dec, but the only worker is away Tue 1 - Tue 8 Dec: one breach whichever
    # way, proven unavoidable, and the register accounts for every gap.
    t = team([worker()], [child("C1", status_start=ICPC)], visits=[visit("C1", ICPC)],
             absences=[leave("W1", date(2026, 12, 1), date(2026, 12, 8))])
    result, violations = run(t, standard(CP_PHASED), weeks=5)
    found = breaches_of(result, "C1", "visit")
    assert len(found) == 1
    assert found[0].due_by in (date(2026, 11, 30), date(2026, 12, 7))
    assert found[0].proven_unavoidable
    assert unexplained(result, violations) == []


def test_breached_child_is_seen_as_soon_as_the_worker_returns():
    # Same team. The plan with fewest days late visits on Mon 30 Nov (on time), misses the window
    # due Mon 7 Dec and sees the child on Wed 9 Dec, the worker's first day back (2 days late).
    # Breaching the 30 Nov window instead would leave the child unseen until 9 Dec (9 days late).
    t = team([worker()], [child("C1", status_start=ICPC)], visits=[visit("C1", ICPC)],
             absences=[leave("W1", date(2026, 12, 1), date(2026, 12, 8))])
    result, violations = run(t, standard(CP_PHASED), weeks=5)
    dates = visit_dates(result, "C1")
    assert dates[:2] == [date(2026, 11, 30), date(2026, 12, 9)]
    [b] = breaches_of(result, "C1")
    assert (b.due_by, b.planned_date, b.days_late) == (date(2026, 12, 7), date(2026, 12, 9), 2)
    for a, c in zip(dates[1:], dates[2:], strict=False):  # from the late visit on, the phases hold again
        assert wd_gap(a, c) <= _limit(a), (a, c)
    assert unexplained(result, violations) == []


def test_cic_same_day_then_five_working_days_then_six_weekly():
    # placed Mon 30 Nov: visit the same day (due 30 Nov), then within 5 WD of it
    # (1 2 3 4 7 Dec -> Mon 7 Dec at the latest), then 6 weekly (>= 11 Jan: after the horizon)
    cic = rule("t.cic.visit", "visit", [every({"calendar_days": 0}, occurrences=1),
                                        every({"working_days": 5}, occurrences=2),
                                        every({"weeks": 6})],
               statuses=["cic"], trigger="placement_start")
    c = child("C1", status="cic", status_start=date(2026, 11, 30), placement_type="foster",
              placement_start_date=date(2026, 11, 30))
    result, violations = run(team([worker()], [c]), standard(cic), weeks=5)
    dates = visit_dates(result, "C1")
    assert dates[0] == date(2026, 11, 30)
    assert len(dates) >= 2 and dates[1] <= date(2026, 12, 7)
    assert dates[1] + timedelta(weeks=6) > horizon_end(5)
    assert result.breaches == []
    assert unexplained(result, violations) == []


def test_weekly_until_first_review_then_four_weekly():
    # CIN: weekly (7 calendar days) up to and including the first review on Tue 15 Dec, then
    # 4 weekly. Last visit Fri 27 Nov -> due Fri 4 Dec. A visit on p <= 14 Dec is followed by the
    # weekly phase (p + 1 <= 15 Dec); from 15 Dec on, by 4 weeks.
    review = date(2026, 12, 15)
    cin = rule("t.cin.visit", "visit", [every({"weeks": 1}, event="first_review"), every({"weeks": 4})],
               statuses=["cin"])
    c = child("C1", status="cin", status_start=date(2026, 10, 1), first_review_date=review)
    result, violations = run(team([worker()], [c], visits=[visit("C1", date(2026, 11, 27))]),
                             standard(cin), weeks=5)
    chain = [date(2026, 11, 27)] + visit_dates(result, "C1")
    assert chain[1] <= date(2026, 12, 4)
    for a, b in zip(chain, chain[1:], strict=False):
        limit = 7 if a + timedelta(days=1) <= review else 28
        assert (b - a).days <= limit, (a, b, limit)
    assert result.breaches == []
    assert unexplained(result, violations) == []
