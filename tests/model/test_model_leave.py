"""Leave: an absent worker has nothing planned; their children's visits are covered and marked."""
from __future__ import annotations

from datetime import date, time

from tests.model.teams import CP_10WD, child, leave, run, standard, team, unexplained, visit, visits_of, wd_gap, worker

LEAVE = (date(2026, 11, 30), date(2026, 12, 11))  # W1 away for the first two weeks


def test_visits_due_during_leave_are_covered_by_a_colleague():
    # C1 last seen Mon 23 Nov -> due Mon 7 Dec, inside W1's leave: W2 must visit, marked cover
    t = team([worker("W1"), worker("W2")], [child("C1", allocated="W1")],
             visits=[visit("C1", date(2026, 11, 23))], absences=[leave("W1", *LEAVE)])
    result, violations = run(t, standard(CP_10WD), weeks=4)
    assert not [a for a in result.activities if a.worker_id == "W1" and LEAVE[0] <= a.date <= LEAVE[1]]
    acts = visits_of(result, "C1")
    during = [a for a in acts if a.date <= LEAVE[1]]
    assert during and during[0].date <= date(2026, 12, 7)
    assert all(a.worker_id == "W2" and a.cover for a in during)
    for a in acts:  # cover means "not the allocated worker", both ways
        assert a.cover == (a.worker_id != "W1")
    chain = [date(2026, 11, 23)] + [a.date for a in acts]
    assert all(wd_gap(x, y) <= 10 for x, y in zip(chain, chain[1:], strict=False))
    assert result.breaches == []
    assert unexplained(result, violations) == []


def test_a_week_of_leave_the_allocated_worker_still_visits_around_it():
    # W1 away Mon 7 - Fri 11 Dec; C1 last seen Mon 23 Nov -> due Mon 7 Dec: W1 can visit in the
    # first week, so no cover is needed (cover is only a fallback)
    t = team([worker("W1"), worker("W2")], [child("C1", allocated="W1")],
             visits=[visit("C1", date(2026, 11, 23))],
             absences=[leave("W1", date(2026, 12, 7), date(2026, 12, 11))])
    result, violations = run(t, standard(CP_10WD), weeks=4)
    assert not [a for a in result.activities
                if a.worker_id == "W1" and date(2026, 12, 7) <= a.date <= date(2026, 12, 11)]
    acts = visits_of(result, "C1")
    assert acts and acts[0].date <= date(2026, 12, 4)
    assert all(a.worker_id == "W1" and not a.cover for a in acts)
    assert result.breaches == []
    assert unexplained(result, violations) == []


def test_sickness_and_part_time_pattern_are_honoured():
    # W1 works Mon-Wed only and is off sick Mon 14 - Wed 16 Dec: nothing on Thu/Fri or in the sickness
    w1 = worker("W1", working_days=(0, 1, 2))
    t = team([w1, worker("W2")], [child("C1"), child("C2", offset=2)],
             visits=[visit("C1", date(2026, 11, 23)), visit("C2", date(2026, 11, 26))],
             absences=[leave("W1", date(2026, 12, 14), date(2026, 12, 16), kind="sickness")])
    result, violations = run(t, standard(CP_10WD), weeks=4)
    for a in result.activities:
        if a.worker_id == "W1":
            assert a.date.weekday() in (0, 1, 2)
            assert not date(2026, 12, 14) <= a.date <= date(2026, 12, 16)
    assert result.breaches == []
    assert unexplained(result, violations) == []


def test_cover_in_a_re_plan_comes_from_the_nearest_colleagues_at_work_that_day():
    # C1 is W1's; colleagues W2, W3, W4 are based 1, 2 and 3 km north of C1's home (nearest
    # first). Planning takes the allocated worker and the two nearest colleagues as cover
    # (SolveParams.plan_cover_candidates = 2). In a re-plan, of those at work that day: with W2 on
    # leave on Mon 30 Nov, Monday's pool is W1, W3, W4; on Tuesday W2 is back: W1, W2, W3. A
    # whole plan keeps W1, W2, W3 (its proof and the hand method's plan use anyone at work).
    from dataclasses import replace

    from scheduler.model.problem import Problem
    from scheduler.solution import PlannedActivity
    from tests.model.teams import CAL, START

    kid = child("C1", allocated="W1", offset=0)
    ws = [worker("W1")] + [worker(f"W{k}", base_lat=kid.lat + 0.009 * (k - 1)) for k in (2, 3, 4)]
    t = team(ws, [kid], absences=[leave("W2", START, START)])
    whole = Problem(t, standard(CP_10WD), CAL, START, date(2026, 12, 4))
    assert [w.worker_id for w in whole.candidates(kid)] == ["W1", "W2", "W3", "W4"]
    assert whole.plan_pool(kid, START) == {"W1", "W2", "W3"}
    previous = (PlannedActivity(date(2026, 12, 2), time(10), time(11),
                                "W1", "visit", "C1", ("C1",)),)
    replan = replace(whole, previous=previous)
    assert replan.plan_pool(kid, START) == {"W1", "W3", "W4"}
    assert replan.plan_pool(kid, date(2026, 12, 1)) == {"W1", "W2", "W3"}
