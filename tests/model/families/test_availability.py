"""Availability family: a worker-day segment holds what fits in its minutes, and no more visits
than the worker's daily limit."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, time

from scheduler.model.families import availability
from scheduler.policy import visit_minutes
from tests.model.families.harness import built, day_index, feasible, problem
from tests.model.teams import CP_10WD, child, every, rule, standard, team, worker

MON = date(2026, 11, 30)
UNDER_FIVE = date(2023, 1, 1)  # at home in school hours: visited in the am segment


def test_two_visits_do_not_fit_an_hour():
    # 09:00-10:00 is a 60-minute day; one visit to an under-five seen alone takes 40 + 15 = 55
    # minutes plus travel from base (homes ~300 m away: at least 1 minute), i.e. 56; two take
    # 110 minutes plus travel > 60
    assert visit_minutes(1, 1) == 55
    w = worker("W1", day_end=time(10, 0))
    t = team([w], [child("C1", dob=UNDER_FIVE, offset=1), child("C2", dob=UNDER_FIVE, offset=2)])
    pb = problem(t, standard(CP_10WD))
    b = built(pb, [availability])
    di = day_index(pb, MON)
    one, two = b.v.home[("C1", di, "W1", "day")], b.v.home[("C2", di, "W1", "day")]
    assert feasible(b, true=[one])
    assert not feasible(b, true=[one, two])


def test_daily_visit_limit():
    w = worker("W1", max_visits_per_day=1)
    t = team([w], [child("C1", dob=UNDER_FIVE, offset=1), child("C2", dob=UNDER_FIVE, offset=2)])
    pb = problem(t, standard(CP_10WD))
    b = built(pb, [availability])
    di = day_index(pb, MON)
    assert not feasible(b, true=[b.v.home[("C1", di, "W1", "day")], b.v.home[("C2", di, "W1", "day")]])
    b_free = built(pb, [])
    assert feasible(b_free, true=[b_free.v.home[("C1", di, "W1", "day")], b_free.v.home[("C2", di, "W1", "day")]])


def test_travel_from_base_counts_towards_the_day():
    # base 0.1 degree (~11 km) north: 11.1 km x 1.3 road factor at 30 km/h = 29 min each way;
    # a 55-minute visit plus 29 minutes' travel does not fit 09:00-10:00 (84 > 60)
    far = worker("W1", day_end=time(10, 0), base_lat=51.6558)
    pb = problem(team([far], [child("C1", dob=UNDER_FIVE)]), standard(CP_10WD))
    assert pb.base_minutes(far, "C1") == 29
    b = built(pb, [availability])
    assert not feasible(b, true=[b.v.home[("C1", day_index(pb, MON), "W1", "day")]])


def test_after_school_visits_fit_between_half_past_three_and_the_end_of_the_day():
    # school-age children are seen at home from 15:30; a 17:00 finish leaves 90 minutes: two
    # 40-minute visits (no seen-alone rule in this standard) fit (80), three do not (120)
    kids = [child(f"C{i}", offset=i) for i in (1, 2, 3)]  # born 2016: school age
    pb = problem(team([worker("W1")], kids), standard(CP_10WD))
    b = built(pb, [availability])
    di = day_index(pb, MON)
    visits = [b.v.home[(f"C{i}", di, "W1", "after_school")] for i in (1, 2, 3)]
    assert feasible(b, true=visits[:2])
    assert not feasible(b, true=visits)


def test_no_variable_for_a_day_the_worker_does_not_work():
    w = worker("W1", working_days=(1, 2, 3, 4))  # not Mondays
    pb = problem(team([w], [child("C1", dob=UNDER_FIVE)]), standard(CP_10WD))
    b = built(pb, [availability])
    assert not any(di == day_index(pb, MON) for (_, di, _, _) in b.v.home)


def test_a_re_plan_or_the_start_plan_may_keep_a_day_the_planning_margin_would_not_plan():
    # Three under-fives 2, 4 and 6 km north of W1's base, on one road (offsets 6, 12, 18 x 333 m),
    # unallocated, so W1's hub is the base. W1 works 09:00-11:50 (170 minutes). The real route
    # base -> C1 -> C2 -> C3 fits: 3 x 40 minutes' visits (under-fives are not seen alone) and
    # 6 + 5 + 5 minutes' travel (16 more back to base) = 152. The planning margin counts each stop
    # as a star trip from the base (2 x 6, 2 x 11, 2 x 16 minutes): 120 + 66 = 186 > 170, so a plan
    # never puts the three on one day - but a re-plan whose previous plan had that day (the
    # overdue fill-in checks the real route only) may keep it.
    from scheduler.model.families.continuity import kept_variables
    from scheduler.routes import Stop, fits
    from scheduler.solution import PlannedActivity

    w = worker("W1", day_end=time(11, 50))
    kids = [child(f"C{k}", allocated=None, dob=UNDER_FIVE, offset=6 * k) for k in (1, 2, 3)]
    t = team([w], kids)
    fresh = problem(t, standard(CP_10WD))
    previous = tuple(PlannedActivity(MON, time(8 + k), time(8 + k, 40), "W1", "visit", f"C{k}", (f"C{k}",))
                     for k in (1, 2, 3))
    replan = replace(fresh, previous=previous, previous_span=(MON, date(2026, 12, 11)))
    # a plan started from the hand method's plan (Problem.start_from) with that day keeps it too
    started = replace(fresh, start_from=previous)
    base = (w.base_lat, w.base_lon)
    stops = [Stop(k, fresh.location(f"C{k}"), 40, 0, 24 * 60) for k in (1, 2, 3)]
    assert fits(base, 9 * 60, 11 * 60 + 50, stops, fresh.travel.minutes)
    assert [fresh.base_minutes(w, f"C{k}") for k in (1, 2, 3)] == [6, 11, 16]
    for pb, keeps in ((fresh, False), (started, True), (replan, True)):
        b = built(pb, [availability])
        di = day_index(pb, MON)
        day = [b.v.home[(f"C{k}", di, "W1", "day")] for k in (1, 2, 3)]
        assert feasible(b, true=[*day, b.v.plan_mode]) is keeps
        assert feasible(b, true=day, false=[b.v.plan_mode])  # proving: the margin is off anyway
        assert b.v.start == ({x.index for x in day} if pb is started else set())
    # in the re-plan, a stop that is not the previous plan's own brings the margin back
    assert {k.exact.index for k in kept_variables(replan, b.v) if k.exact is not None} == {x.index for x in day}


def test_a_start_plan_day_that_takes_a_new_stop_is_planned_by_the_margin_again():
    # Under-fives (40-minute visits, at home all day) north of W1's base on one road: C1, C2, C3
    # 2, 4 and 6 km away, C4 333 m past C2 (minutes: base-C1 6, C1-C2 6, C2-C3 6, C2-C4 1, C4-C3 5,
    # base-C2 11). W1 works 09:00-12:00. The plan the search starts from has C1, C2 and C3 on
    # Monday; that day's hub is C2 (the medoid of its stops). The real route base -> C1
    # 09:06-09:46 -> C2 09:52-10:32 -> C4 10:33-11:13 -> C3 11:18-11:58 fits, so proving allows all
    # four. The planning margin counts all four as star trips from C2, reached at 09:11:
    # (40 + 2 x 6) + 40 + (40 + 2 x 6) + (40 + 2 x 1) = 186 minutes, done 12:17 - too late: the
    # start plan's three stops may stay as they are, but a day that takes C4 as well is a new day,
    # planned by the margin like any other.
    from scheduler.solution import PlannedActivity

    kids = [child(f"C{k}", allocated=None, dob=UNDER_FIVE, offset=o) for k, o in ((1, 6), (2, 12), (3, 18), (4, 13))]
    start = tuple(PlannedActivity(MON, time(9 + k), time(9 + k, 40), "W1", "visit", f"C{k}", (f"C{k}",))
                  for k in (1, 2, 3))
    w = worker("W1", day_end=time(12, 0))
    pb = replace(problem(team([w], kids), standard(CP_10WD)), start_from=start)
    place = {k: pb.location(f"C{k}") for k in (1, 2, 3, 4)}
    assert pb.hub(w, MON) == place[2]
    minutes = pb.travel.minutes
    assert [minutes((w.base_lat, w.base_lon), place[1]), minutes(place[1], place[2]), minutes(place[2], place[3]),
            minutes(place[2], place[4]), minutes(place[4], place[3]), minutes((w.base_lat, w.base_lon), place[2])] \
        == [6, 6, 6, 1, 5, 11]
    b = built(pb, [availability])
    di = day_index(pb, MON)
    day = [b.v.home[(f"C{k}", di, "W1", "day")] for k in (1, 2, 3, 4)]
    assert feasible(b, true=[*day[:3], b.v.plan_mode], false=day[3:])
    assert not feasible(b, true=[*day, b.v.plan_mode])
    assert feasible(b, true=day, false=[b.v.plan_mode])


def test_a_re_plan_may_add_a_stop_after_a_kept_days_route_as_a_star_trip():
    # The four under-fives of the test above (minutes: base-C1 6, C1-C2 6, C2-C3 6, C2-C4 1, C4-C3
    # 5, base-C3 16, base-C4 12); nobody is allocated, so W1's hub is the base. The previous plan
    # had C1, C2 and C3 on W1's Monday at 09:06-09:46, 09:52-10:32 and 10:38-11:18 (the best route
    # from 09:00); the re-plan wants C4 too. Kept route at those published times: back at the base
    # 11:18 + 16 = 11:34; C4 as a star trip from there: 40 + 2 x 12 = 64 minutes, done 12:38. The
    # planning margin on the whole day: (40 + 2 x 6) + (40 + 2 x 11) + (40 + 2 x 16) + (40 + 2 x 12)
    # = 250 minutes from 09:00, done 13:10. (The real route C1, C2, C4, C3 is done at 11:58.)
    from scheduler.solution import PlannedActivity

    kids = [child(f"C{k}", allocated=None, dob=UNDER_FIVE, offset=o) for k, o in ((1, 6), (2, 12), (3, 18), (4, 13))]
    published = ((time(9, 6), time(9, 46)), (time(9, 52), time(10, 32)), (time(10, 38), time(11, 18)))
    previous = tuple(PlannedActivity(MON, start, end, "W1", "visit", f"C{k}", (f"C{k}",))
                     for k, (start, end) in zip((1, 2, 3), published, strict=True))
    for day_end, adds_c4 in ((time(12, 45), True), (time(12, 30), False)):
        w = worker("W1", day_end=day_end)
        fresh = problem(team([w], kids), standard(CP_10WD))
        replan = replace(fresh, previous=previous, previous_span=(MON, date(2026, 12, 11)))
        assert replan.hub(w, MON) == (w.base_lat, w.base_lon)
        assert [replan.base_minutes(w, f"C{k}") for k in (1, 2, 3, 4)] == [6, 11, 16, 12]
        b = built(replan, [availability])
        di = day_index(replan, MON)
        day = [b.v.home[(f"C{k}", di, "W1", "day")] for k in (1, 2, 3, 4)]
        assert feasible(b, true=[*day, b.v.plan_mode]) is adds_c4, day_end
        assert feasible(b, true=day, false=[b.v.plan_mode])
        # the kept stops may go: C4 after C1 alone still fits the time the kept route left
        assert feasible(b, true=[day[0], day[3], b.v.plan_mode], false=day[1:3])


def test_a_star_trip_after_a_kept_route_starts_after_its_published_times():
    # The same day, but published at 10:00-10:40, 11:00-11:40 and 12:00-12:40: the kept route keeps
    # those times (scheduler.model.extract writes them so) and is back at the base at 12:40 + 16 =
    # 12:56, so C4 as a star trip would end at 14:00. With the day ending at 12:45 C4 cannot join:
    # neither after the route (the best route from 09:00 would end in time only by moving every
    # published visit earlier) nor with the whole day planned afresh (13:10)
    from scheduler.solution import PlannedActivity

    kids = [child(f"C{k}", allocated=None, dob=UNDER_FIVE, offset=o) for k, o in ((1, 6), (2, 12), (3, 18), (4, 13))]
    previous = tuple(PlannedActivity(MON, time(9 + k), time(9 + k, 40), "W1", "visit", f"C{k}", (f"C{k}",))
                     for k in (1, 2, 3))
    w = worker("W1", day_end=time(12, 45))
    replan = replace(problem(team([w], kids), standard(CP_10WD)), previous=previous,
                     previous_span=(MON, date(2026, 12, 11)))
    b = built(replan, [availability])
    di = day_index(replan, MON)
    day = [b.v.home[(f"C{k}", di, "W1", "day")] for k in (1, 2, 3, 4)]
    assert feasible(b, true=day[:3], false=[day[3]]) and feasible(b, true=[*day[:3], b.v.plan_mode], false=[day[3]])
    assert not feasible(b, true=[*day, b.v.plan_mode])
    # with the day to 14:00, it can
    w = worker("W1", day_end=time(14, 0))
    replan = replace(problem(team([w], kids), standard(CP_10WD)), previous=previous,
                     previous_span=(MON, date(2026, 12, 11)))
    b = built(replan, [availability])
    day = [b.v.home[(f"C{k}", di, "W1", "day")] for k in (1, 2, 3, 4)]
    assert feasible(b, true=[*day, b.v.plan_mode])


CORE_GROUP = rule("t.cp.core", "core_group", [every({"working_days": 10})], statuses=["cp"])


def test_a_home_visit_and_a_meeting_at_the_same_home_pay_the_way_there_once():
    # W1's base is ~11 km north of C1's home: 29 minutes' drive (as above). Monday 09:00-11:45 is
    # 165 minutes. A visit to C1 (under five, no seen-alone rule: 40 minutes) and C1's core group
    # at the home (90 minutes) take 29 + 40 + 0 + 90 = 159 minutes on a real route - the verifier
    # accepts the day. Counting the way into the home once per stop (29 + 29) made it 188 > 165:
    # a day the model called impossible (issue 10: proofs against the real rules)
    w = worker("W1", day_start=time(9, 0), day_end=time(11, 45), base_lat=51.6558)
    pb = problem(team([w], [child("C1", dob=UNDER_FIVE)]), standard(CP_10WD, CORE_GROUP))
    b = built(pb, [availability])
    di = day_index(pb, MON)
    home, meet = b.v.home[("C1", di, "W1", "day")], b.v.meet[("C1", "core_group", di, "W1")]
    stops = [ld for ld in b.v.loads[("W1", di)] if ld.var.index in (home.index, meet.index)]
    assert pb.base_minutes(w, "C1") == 29 and sorted(ld.minutes for ld in stops) == [40, 90]
    assert pb.day_fits(w, stops)  # the real route, as the verifier checks it
    assert feasible(b, true=[home, meet])


def test_siblings_school_visits_pay_the_way_to_their_place_once():
    # three school-age siblings of one household, each seen at school (40 minutes, no seen-alone
    # rule), on Monday 09:00-11:40 (160 minutes; school hours 08:45-15:15 cover it), base 29
    # minutes away: 29 + 3 x 40 = 149 minutes on a real route, where a step of 29 minutes
    # between stops at the same place made it 207
    w = worker("W1", day_start=time(9, 0), day_end=time(11, 40), base_lat=51.6558)
    kids = [child(f"C{i}", household="H1") for i in (1, 2, 3)]  # born 2016: at school on Monday
    pb = problem(team([w], kids), standard(CP_10WD))
    b = built(pb, [availability])
    di = day_index(pb, MON)
    school = [b.v.school[(f"C{i}", di, "W1")] for i in (1, 2, 3)]
    stops = [ld for ld in b.v.loads[("W1", di)] if ld.var.index in {x.index for x in school}]
    assert pb.base_minutes(w, "H1") == 29 and [ld.minutes for ld in stops] == [40, 40, 40]
    assert pb.day_fits(w, stops)
    assert feasible(b, true=school)
