"""Visit gaps: a CP child's visits are never more than 10 working days apart (history + plan)."""
from __future__ import annotations

from datetime import date

from tests.model.teams import (
    CAL,
    CP_10WD,
    assert_working_days_only,
    child,
    horizon_end,
    leave,
    run,
    standard,
    team,
    unexplained,
    visit,
    visit_dates,
    wd_gap,
    worker,
)


def test_cp_gaps_never_exceed_ten_working_days_across_christmas():
    # last visit Mon 23 Nov; 10 WD later: 24 25 26 27 30 Nov, 1 2 3 4 7 Dec -> due Mon 7 Dec
    t = team([worker()], [child("C1")], visits=[visit("C1", date(2026, 11, 23))])
    result, violations = run(t, standard(CP_10WD), weeks=5)  # Mon 30 Nov - Sun 3 Jan 2027
    assert CAL.add_working_days(date(2026, 11, 23), 10) == date(2026, 12, 7)

    dates = visit_dates(result, "C1")
    assert dates and dates[0] <= date(2026, 12, 7)
    chain = [date(2026, 11, 23)] + dates
    for a, b in zip(chain, chain[1:], strict=False):
        assert 1 <= wd_gap(a, b) <= 10, (a, b)
    # nothing due inside the horizon is left unplanned: the next due date falls after it
    assert CAL.add_working_days(chain[-1], 10) > horizon_end(5)
    assert_working_days_only(result)
    assert result.breaches == []
    assert unexplained(result, violations) == []


def test_bank_holidays_stretch_the_window_and_the_plan_uses_it():
    # start Mon 14 Dec; last visit Fri 11 Dec; 10 WD: 14 15 16 17 18 21 22 23 24 Dec, (25 Fri and
    # 28 Mon are bank holidays) 29 Dec -> due Tue 29 Dec. The worker is on leave 14-24 Dec, so the
    # only compliant day is Tue 29 Dec; counting 25/28 Dec as working days would make it a breach.
    start = date(2026, 12, 14)
    t = team([worker()], [child("C1")], visits=[visit("C1", date(2026, 12, 11))],
             absences=[leave("W1", date(2026, 12, 14), date(2026, 12, 24))])
    result, violations = run(t, standard(CP_10WD), weeks=3, start=start)  # to Sun 3 Jan
    assert CAL.add_working_days(date(2026, 12, 11), 10) == date(2026, 12, 29)

    assert visit_dates(result, "C1")[0] == date(2026, 12, 29)
    assert result.breaches == []
    assert_working_days_only(result)
    assert not [a for a in result.activities if a.date <= date(2026, 12, 24)]  # on leave
    assert unexplained(result, violations) == []


def test_several_children_each_keep_their_own_gap():
    # three CP children last seen on different days; one worker can see them all in time
    last = {"C1": date(2026, 11, 20), "C2": date(2026, 11, 25), "C3": date(2026, 11, 27)}
    t = team([worker()], [child(cid, offset=k + 1) for k, cid in enumerate(last)],
             visits=[visit(cid, d) for cid, d in last.items()])
    result, violations = run(t, standard(CP_10WD), weeks=4)  # to Sun 27 Dec
    for cid, first in last.items():
        chain = [first] + visit_dates(result, cid)
        assert all(wd_gap(a, b) <= 10 for a, b in zip(chain, chain[1:], strict=False)), (cid, chain)
        assert CAL.add_working_days(chain[-1], 10) > horizon_end(4)
    assert result.breaches == []
    assert unexplained(result, violations) == []
