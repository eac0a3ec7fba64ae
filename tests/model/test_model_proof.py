"""The proof of the fewest breaches (scheduler.model.solve._breach_bound) searches without the
planning margins; when that search finds a rota with fewer breaches whose days all fit a real
route, that rota is the plan, proven."""
from __future__ import annotations

from datetime import date, time

from scheduler.horizon import Horizon
from scheduler.params import SolveParams
from scheduler.plan import plan
from scheduler.routes import Stop, fits
from tests.model.teams import CP_10WD, START, child, standard, team, visit, visit_dates, worker

UNDER_FIVE = date(2023, 1, 1)  # at home all day, not seen alone: a 40-minute visit


def test_a_day_the_planning_margin_rejects_but_a_real_route_fits_is_planned_and_proven():
    # W1 works Mondays only, 09:00-11:50 (170 minutes). C1-C3 (unallocated, so the planning hub
    # is the base) live 2, 4 and 6 km north of the
    # base on one road, each last seen Mon 16 Nov: due 16 Nov + 10 working days = Mon 30 Nov, the
    # plan's only working day for W1. The real route base -> C1 -> C2 -> C3 is 3 x 40 minutes plus
    # 6 + 5 + 5 minutes' travel = 136 (152 with the way back); the planning margin counts star trips
    # from the base, 120 + 2 x (6 + 11 + 16) = 186 > 170, so planning sees two of them and misses
    # one: a breach of severity 10, and 10 again for a child not seen at all in the plan (the
    # overdue-first term), 20 in all. The proof's search, without the margin, sees all three: that
    # rota is kept, with no breach, and the fewest breaches (none) is proven.
    w = worker("W1", day_end=time(11, 50), working_days=(0,))
    kids = [child(f"C{k}", allocated=None, dob=UNDER_FIVE, offset=6 * k) for k in (1, 2, 3)]
    t = team([w], kids, visits=[visit(f"C{k}", date(2026, 11, 16)) for k in (1, 2, 3)])
    horizon = Horizon(START, 1)
    result = plan(t, standard(CP_10WD), horizon, SolveParams(time_limit=30, seed=1, start_from_edf=False))
    assert [visit_dates(result, f"C{k}") for k in (1, 2, 3)] == [[START]] * 3
    assert result.breaches == [] and result.unexplained == []
    assert result.breaches_proven_optimal
    assert result.stats["breaches found by the proof"] == 20
    # (the day really fits: the same check the verifier makes)
    from scheduler.model.problem import Problem

    pb = Problem(t, standard(CP_10WD), horizon.cal, START, horizon.end)
    stops = [Stop(k, pb.location(f"C{k}"), 40, 0, 24 * 60) for k in (1, 2, 3)]
    assert fits((w.base_lat, w.base_lon), 9 * 60, 11 * 60 + 50, stops, pb.travel.minutes)


def test_the_hand_methods_plan_is_kept_when_it_misses_fewer():
    # C1 (W1's) was last seen Mon 16 Nov: due Mon 30 Nov. W1 is away all week; W2 is in. Planning
    # here may use the allocated worker only (plan_cover_candidates=0), so the search cannot see
    # C1 at all: 10 for the missed visit and 10 for a child not seen in the plan. By hand, W2
    # covers on Monday (earliest deadline first; cover when the allocated worker is away). The
    # search starts from the hand method's plan, whole, its cover included: it misses nothing the
    # calendar does not forbid, so it is the plan, with no search and none left to prove.
    from tests.model.teams import leave

    t = team([worker("W1"), worker("W2")], [child("C1", allocated="W1", dob=UNDER_FIVE)],
             visits=[visit("C1", date(2026, 11, 16))], absences=[leave("W1", START, date(2026, 12, 4))])
    result = plan(t, standard(CP_10WD), Horizon(START, 1),
                  SolveParams(time_limit=30, seed=1, plan_cover_candidates=0))
    assert [(a.date, a.worker_id, a.cover) for a in result.activities] == [(START, "W2", True)]
    assert result.breaches == [] and result.unexplained == [] and result.breaches_proven_optimal
    assert result.stats["stage breaches"] == "the hand method's plan: it misses only what the calendar forbids"
