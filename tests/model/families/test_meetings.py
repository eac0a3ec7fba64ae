"""Meetings family: a booked meeting happens on its day or is a breach of its own; a cadence
meeting is held at most once a day."""
from __future__ import annotations

from datetime import date

from scheduler.domain import Meeting
from scheduler.model.families import meetings
from scheduler.policy import BOOKED_MISSED_SEVERITY
from tests.model.families.harness import built, day_index, feasible, problem
from tests.model.teams import child, every, rule, standard, team, worker

WED = date(2026, 12, 2)
CORE_GROUP = rule("t.cp.core", "core_group", [every({"working_days": 10})], statuses=["cp"])


def test_a_booked_meeting_is_attended_or_counted_missed_never_both():
    t = team([worker("W1")], [child("C1")], meetings=[Meeting("C1", "core_group", WED, "booked")])
    pb = problem(t, standard(CORE_GROUP))
    b = built(pb, [meetings])
    di = day_index(pb, WED)
    (cid, act, day, missed), = b.v.booked_missed
    assert (cid, act, day) == ("C1", "core_group", WED)
    attend = b.v.meet[("C1", "core_group", di, "W1")]
    assert not feasible(b, true=[attend, missed])
    assert not feasible(b, false=[attend, missed])
    assert feasible(b, true=[missed])
    assert (BOOKED_MISSED_SEVERITY, missed) in b.share.terms["breach"]
    # and as late as a window never met (severity x the widest lateness tier, 21 days): the later
    # stage may re-spend the breach total, and a booked meeting must not be the free thing to drop
    assert (BOOKED_MISSED_SEVERITY * 21, missed) in b.share.terms["late"]


def test_a_cadence_meeting_is_held_at_most_once_a_day():
    # status start 1 Jun 2026 with no core group since: due long before the plan, so the
    # meeting is wanted on every day of the horizon, by W1 (allocated) or W2 (cover)
    t = team([worker("W1"), worker("W2")], [child("C1")])
    pb = problem(t, standard(CORE_GROUP))
    b = built(pb, [meetings])
    di = day_index(pb, WED)
    both = [b.v.meet[("C1", "core_group", di, "W1")], b.v.meet[("C1", "core_group", di, "W2")]]
    assert not feasible(b, true=both)
    assert feasible(b, true=both[:1])
