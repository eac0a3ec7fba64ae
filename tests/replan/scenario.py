"""A small hand-checkable team and its previous plan, for the re-plan tests.

Calendar (England): the plan runs two weeks from START = Mon 30 Nov 2026 to Sun 13 Dec 2026.
Standard: a CP child is visited every 10 working days (tests.model.teams.CP_10WD), so each child
needs exactly one visit in the plan (the next one falls due after Sun 13 Dec):
- C5 (W1) last seen Mon 16 Nov -> due Mon 30 Nov (17-20 Nov 4 WD, 23-27 Nov 9, Mon 30 Nov 10)
- C4 (W1) last seen Wed 18 Nov -> due Wed 02 Dec (19, 20, 23-27, 30 Nov, 1 Dec, 2 Dec)
- C1 (W1) last seen Fri 20 Nov -> due Fri 04 Dec (23-27 Nov 5, 30 Nov-4 Dec 10)
- C2 (W2) last seen Mon 23 Nov -> due Mon 07 Dec; C3 (W3) last seen Tue 24 Nov -> due Tue 08 Dec
A visit after 30 Nov is due again 10 working days later, after the horizon (30 Nov + 10 WD =
Mon 14 Dec), so nothing else is due.
W1 may do one visit a day; C4 lives next to W2's base, C1-C3 and C5 next to the shared base. The
children are under five (at home all day); a visit takes 40 minutes (no seen-alone rule here).

The previous plan (written by hand, one visit per child at 10:00-10:40):
W1: C5 Mon 30 Nov, C4 Tue 01 Dec, C1 Wed 02 Dec; W2: C2 Wed 02 Dec; W3: C3 Thu 03 Dec.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from typing import Any

from scheduler.domain import Team
from scheduler.solution import PlannedActivity
from tests.model.teams import BASE, CP_10WD, START, child, leave, standard, team, visit, worker

STANDARD = standard(CP_10WD)
STANDARD_YAML = """key: test
authority: Test Council
source: {file: test.txt, title: test}
rules:
  - {id: t.cp.visit, requirement: visit, applies_to: {status: [cp]}, phases: [{interval: {working_days: 10}}],
     citation: {section: test, quote: test}}
"""
W2_BASE = (BASE[0] + 0.05, BASE[1])  # about 5.6 km north of the shared base
MON, TUE, WED, THU, FRI = date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3), date(2026, 12, 4)
WEEKS = 2
UNDER_FIVE = date(2023, 1, 1)
END = date(2026, 12, 13)


def scenario_team(absent: bool = False, extra_children: tuple[Any, ...] = (), visits: tuple[Any, ...] = ()) -> Team:
    workers = [worker("W1", max_visits_per_day=1), worker("W2", base_lat=W2_BASE[0]), worker("W3")]
    kids = [child("C1", allocated="W1", offset=1, dob=UNDER_FIVE),
            child("C2", allocated="W2", offset=2, dob=UNDER_FIVE),
            child("C3", allocated="W3", offset=3, dob=UNDER_FIVE),
            replace(child("C4", allocated="W1", dob=UNDER_FIVE), lat=W2_BASE[0] + 0.003),
            child("C5", allocated="W1", offset=5, dob=UNDER_FIVE), *extra_children]
    history = [visit("C5", date(2026, 11, 16)), visit("C4", date(2026, 11, 18)), visit("C1", date(2026, 11, 20)),
               visit("C2", date(2026, 11, 23), "W2"), visit("C3", date(2026, 11, 24), "W3"), *visits]
    absences = [leave("W1", TUE, WED, "sickness")] if absent else []
    return team(workers, kids, history, absences=absences)


def act(day: date, worker_id: str, child_id: str, start: time = time(10, 0), end: time = time(10, 40),
        **kw: Any) -> PlannedActivity:
    return PlannedActivity(date=day, start=start, end=end, worker_id=worker_id, activity="visit",
                           household_id=child_id, child_ids=(child_id,), **kw)


PREVIOUS = (act(MON, "W1", "C5"), act(TUE, "W1", "C4"), act(WED, "W1", "C1"), act(WED, "W2", "C2"),
            act(THU, "W3", "C3"))
assert START == MON and WEEKS * 7 - 1 == (END - START).days
