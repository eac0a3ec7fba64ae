"""Continuity family (issue 11 item 4): a re-plan prices every change from the previous plan,
keeps frozen activities, and plans afresh only the households the change touches.

Team and previous plan: tests/replan/scenario.py (Mon 30 Nov-Sun 13 Dec 2026; C5, C4, C1 with
W1 on Mon/Tue/Wed, C2 with W2 on Wed, C3 with W3 on Thu; under-fives, at home all day)."""
from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, time

from scheduler.model.build import build
from scheduler.model.families import FAMILIES, continuity
from scheduler.model.problem import Problem
from scheduler.replan.neighbourhood import prepare
from tests.model.families.harness import CAL, built, day_index, feasible
from tests.model.fingerprint import fingerprint
from tests.model.teams import visit
from tests.replan.scenario import END, MON, PREVIOUS, STANDARD, START, THU, TUE, WED, act, scenario_team

SPAN = (START, END)


def _pb(absent: bool = False, previous=PREVIOUS, freeze_until: date | None = None, **team_kw) -> Problem:
    # a re-plan's Problem as plan() builds it: with its neighbourhood worked out
    return prepare(Problem(scenario_team(absent=absent, **team_kw), STANDARD, CAL, START, END,
                           previous=tuple(previous), freeze_until=freeze_until, previous_span=SPAN))


def _terms(b, name: str) -> dict[str, int]:
    return {x.name: c for c, x in b.share.terms.get(name, [])}


def test_without_a_previous_plan_the_family_adds_nothing():
    pb = Problem(scenario_team(), STANDARD, CAL, START, END)
    b = built(pb, [continuity])
    assert b.share.terms == {} and b.share.hint == [] and pb.replan_open is None


def test_losing_a_previous_activity_costs_and_so_does_another_slot_the_same_day():
    pb = replace(_pb(), params=replace(_pb().params, replan_whole_team=True), replan_open=None)  # every variable
    b = built(pb, [continuity])
    change = _terms(b, "change")
    lost = [n for n in change if n.startswith("lost[W2,2026-12-02,C2,")]
    assert len(lost) == 1 and change[lost[0]] == continuity.LOST
    # C2 is an under-five at home all day: one visit kind ("day") and no school visit, so W2's
    # Wednesday has one variable for C2, the exact one, which costs nothing
    exact = b.v.home[("C2", day_index(pb, WED), "W2", "day")]
    assert exact.name not in change
    # the same visit by W3, or by W2 on Thursday, is an addition
    added = _terms(b, "added")
    assert added[b.v.home[("C2", day_index(pb, WED), "W3", "day")].name] == continuity.ADDED
    assert added[b.v.home[("C2", day_index(pb, THU), "W2", "day")].name] == continuity.ADDED


def test_a_school_age_childs_other_slot_is_a_retime():
    # a school-age child is at school until 15:15: W2 may see C2 at home after school or at school;
    # the previous plan had the after-school home visit, so the school visit that day is a retime
    kids_age = date(2016, 3, 1)
    pb0 = _pb()
    t = pb0.team
    t = replace(t, children=tuple(replace(c, date_of_birth=kids_age) if c.child_id == "C2" else c
                                  for c in t.children))
    prev = tuple(replace(a, start=time(15, 30), end=time(16, 10)) if a.child_ids == ("C2",) else a
                 for a in PREVIOUS)
    pb = replace(pb0, team=t, previous=prev, params=replace(pb0.params, replan_whole_team=True), replan_open=None)
    b = built(pb, [continuity])
    di = day_index(pb, WED)
    change = _terms(b, "change")
    assert change[b.v.school[("C2", di, "W2")].name] == continuity.RETIMED
    assert b.v.home[("C2", di, "W2", "after_school")].name not in change


def test_nothing_is_added_after_the_previous_plans_last_day():
    pb = replace(_pb(), previous_span=(START, date(2026, 12, 6)),
                 params=replace(_pb().params, replan_whole_team=True), replan_open=None)
    b = built(pb, [continuity])
    added = _terms(b, "added")
    assert b.v.home[("C2", day_index(pb, THU), "W3", "day")].name in added
    assert b.v.home[("C2", day_index(pb, date(2026, 12, 7)), "W3", "day")].name not in added


def test_an_activity_that_can_no_longer_happen_costs_nothing():
    # W1 is away Tue-Wed: no variable keeps C4's Tuesday visit or C1's Wednesday one
    b = built(_pb(absent=True), [continuity])
    names = list(_terms(b, "change"))
    assert not any(n.startswith(("lost[W1,2026-12-01", "lost[W1,2026-12-02")) for n in names)
    assert any(n.startswith("lost[W1,2026-11-30,C5,") for n in names)


def test_frozen_activities_are_kept():
    pb = _pb(freeze_until=WED)
    b = built(pb, [continuity])
    monday = b.v.home[("C5", day_index(pb, MON), "W1", "day")]
    thursday = b.v.home[("C3", day_index(pb, THU), "W3", "day")]
    assert not feasible(b, false=[monday])
    assert feasible(b, false=[thursday])  # after the freeze: a change costs, but is allowed


def test_frozen_activities_that_no_longer_fit_their_day_are_not_forced():
    # W1 may now do one visit a day, and the previous plan froze two on Monday (C5 and C1):
    # keeping both is impossible, so neither is forced (the solver chooses, paying for the change)
    prev = (act(MON, "W1", "C5"), act(MON, "W1", "C1", time(11, 0), time(11, 40)))
    pb = _pb(previous=prev, freeze_until=WED)
    b = built(pb, [continuity])
    di = day_index(pb, MON)
    c5, c1 = b.v.home[("C5", di, "W1", "day")], b.v.home[("C1", di, "W1", "day")]
    assert feasible(b, false=[c5]) and feasible(b, false=[c1])


def test_a_stop_that_does_not_fit_a_kept_day_is_cut_before_solving():
    # W1 does one visit a day: with C5 kept on Monday, no other visit can join it
    pb = _pb(previous=(act(MON, "W1", "C5"),))
    b = built(pb, [continuity])
    di = day_index(pb, MON)
    kept = b.v.home[("C5", di, "W1", "day")]
    other = b.v.home[("C1", di, "W1", "day")]
    assert not feasible(b, true=[kept, other])
    assert feasible(b, true=[other], false=[kept])


def test_only_the_households_the_change_touches_are_planned_afresh():
    # W1 away Tue-Wed: C4 and C1 lose their visits; the others keep theirs, so only their own
    # previous slots exist as variables
    pb = _pb(absent=True)
    assert pb.replan_open == frozenset({"C4", "C1"})
    b = build(pb)
    assert {(k[1], k[2]) for k in b.v.home if k[0] == "C2"} == {(day_index(pb, WED), "W2")}
    assert {k[2] for k in b.v.home if k[0] == "C4"} == {"W1", "W2", "W3"}


def test_a_new_child_is_planned_afresh_and_an_old_breach_opens_nothing():
    # N1 is new and due on the first day (last seen Mon 16 Nov + 10 WD = Mon 30 Nov)
    from tests.model.teams import child
    n1 = child("N1", allocated="W3", offset=4, dob=date(2023, 1, 1))
    pb = _pb(extra_children=(n1,), visits=(visit("N1", date(2026, 11, 16), "W3"),))
    assert pb.replan_open == frozenset({"N1"})
    # a child the previous plan already left overdue, with the breach in its register (C9, last
    # seen Mon 2 Nov: due Mon 16 Nov, before the plan; seen Mon 30 Nov) is not the change's doing:
    # its household stays as it was
    c9 = child("C9", allocated="W3", offset=6, dob=date(2023, 1, 1))
    pb = _pb(extra_children=(c9,), visits=(visit("C9", date(2026, 11, 2), "W3"),),
             previous=(*PREVIOUS, act(MON, "W3", "C9")))
    assert pb.replan_open == frozenset({"C9"})  # (without the register it cannot tell)
    register = frozenset({("C9", "visit", date(2026, 11, 16))})
    assert prepare(replace(pb, previous_breaches=register)).replan_open == frozenset()


def test_the_previous_plan_is_the_starting_solution():
    pb = _pb(absent=True)
    b = built(pb, [continuity])
    hinted = {x.name for x, val in b.share.hint if val}
    assert b.v.home[("C5", day_index(pb, MON), "W1", "day")].name in hinted
    # C4's lost Tuesday visit: repaired to the same day with the nearest colleague who can take it
    assert b.v.home[("C4", day_index(pb, TUE), "W2", "day")].name in hinted


def test_every_order_of_the_families_builds_the_same_re_plan_model():
    pb = _pb(absent=True, freeze_until=WED)
    reference = fingerprint(build(pb).model)
    orders = list(itertools.permutations(FAMILIES))
    for order in orders[:: max(1, len(orders) // 10)] + [tuple(reversed(FAMILIES))]:
        assert fingerprint(build(pb, families=order).model) == reference, [f.__name__ for f in order]
