"""The earliest-deadline-first planner (the hand method): when it visits, who covers, school hours,
households, booked meetings, and that its rota passes the independent verifier.

Calendar (England): the plans start Mon 30 Nov 2026; bank holidays Fri 25 and Mon 28 Dec 2026.
"""
from __future__ import annotations

import csv
from datetime import date, time

import pytest
from click.testing import CliRunner

from scheduler.cli import main
from scheduler.domain import Meeting
from scheduler.edf import plan_edf
from scheduler.generate import generate_team, write_team
from scheduler.horizon import Horizon
from scheduler.solution import ROTA_COLUMNS, PlanResult
from scheduler.standards import Standard, load_standard
from scheduler.verifier import cadence_breaches
from tests.model.teams import CP_10WD, START, child, leave, rule, standard, team, visit, visits_of, worker

STANDARDS = ("devon", "dorset", "dudley", "knowsley", "swindon")


def edf(t, std: Standard, weeks: int = 4, start: date = START) -> PlanResult:
    return plan_edf(t, std, Horizon(start, weeks))


def test_a_child_is_seen_on_the_third_working_day_before_the_due_date():
    # last seen Mon 23 Nov; every 10 working days -> due Mon 7 Dec. The diary looks 3 days ahead
    # (days the worker is in): on Thu 3 Dec those are Thu 3, Fri 4, Mon 7 -> seen Thu 3 Dec.
    # Next due 10 working days after Thu 3 Dec = Thu 17 Dec -> seen Tue 15 Dec (Tue, Wed, Thu).
    # Next due Thu 31 Dec (25 and 28 Dec are bank holidays): after the 4 weeks (end Sun 27 Dec).
    t = team([worker("W1")], [child("C1")], visits=[visit("C1", date(2026, 11, 23))])
    result = edf(t, standard(CP_10WD))
    assert [a.date for a in visits_of(result, "C1")] == [date(2026, 12, 3), date(2026, 12, 15)]
    assert result.breaches == [] and result.unexplained == []
    assert not any(a.cover for a in result.activities)


def test_cover_only_while_the_allocated_worker_is_away_and_it_says_why():
    # W1 on leave Mon 30 Nov - Fri 11 Dec; C1 due Mon 7 Dec cannot wait for Mon 14 Dec: W2 visits
    # on Thu 3 Dec (the third working day before), as cover. Next due Thu 17 Dec: W1 is back.
    t = team([worker("W1"), worker("W2")], [child("C1")], visits=[visit("C1", date(2026, 11, 23))],
             absences=[leave("W1", date(2026, 11, 30), date(2026, 12, 11))])
    result = edf(t, standard(CP_10WD))
    acts = visits_of(result, "C1")
    assert [(a.date, a.worker_id, a.cover) for a in acts] == [
        (date(2026, 12, 3), "W2", True), (date(2026, 12, 15), "W1", False)]
    assert acts[0].cover_reason.startswith("allocated worker W1 absent (leave)")
    assert acts[1].cover_reason == ""
    assert result.unexplained == []


def test_a_full_day_waits_for_the_allocated_worker_rather_than_going_to_cover():
    # W1 may make 1 visit a day; C1 and C2 (two homes) are both due Mon 7 Dec. On Thu 3 Dec W1
    # sees C1 (same due date: lower id first), C2 on Fri 4 Dec. W2 is free but covers nothing.
    t = team([worker("W1", max_visits_per_day=1), worker("W2")],
             [child("C1"), child("C2", offset=2)],
             visits=[visit("C1", date(2026, 11, 23)), visit("C2", date(2026, 11, 23))])
    result = edf(t, standard(CP_10WD), weeks=1)
    assert [(a.date, a.child_ids) for a in result.activities] == [
        (date(2026, 12, 3), ("C1",)), (date(2026, 12, 4), ("C2",))]
    assert {a.worker_id for a in result.activities} == {"W1"}


def test_school_age_child_seen_alone_after_school_with_the_younger_sibling():
    # C1 is 10 (born 1 Mar 2016) and must be seen alone at every visit: at home only from 15:30
    # on a school day. C2 (3, born 1 Mar 2023) lives with C1 and is seen in the same visit.
    alone = rule("t.alone", "seen_alone", statuses=["cp"], on_every_visit=True)
    t = team([worker("W1")], [child("C1", household="H1"), child("C2", household="H1", dob=date(2023, 3, 1))],
             visits=[visit("C1", date(2026, 11, 23)), visit("C2", date(2026, 11, 23))])
    result = edf(t, standard(CP_10WD, alone), weeks=1)
    [a] = result.activities
    assert a.date == date(2026, 12, 3) and a.child_ids == ("C1", "C2") and a.household_id == "H1"
    assert a.location == "home" and a.start == time(15, 30)
    assert set(a.seen_alone_child_ids) == {"C1", "C2"}
    assert result.unexplained == []


def test_a_booked_meeting_is_held_on_its_date_by_a_colleague_when_the_worker_is_away():
    # a review conference booked for Wed 2 Dec; W1 is at court that day, so W2 attends
    t = team([worker("W1"), worker("W2")], [child("C1")], visits=[visit("C1", date(2026, 11, 30))],
             meetings=[Meeting("C1", "rcpc", date(2026, 12, 2), "booked")],
             absences=[leave("W1", date(2026, 12, 2), date(2026, 12, 2), "court")])
    result = edf(t, standard(CP_10WD), weeks=1)
    [m] = [a for a in result.activities if a.activity == "rcpc"]
    assert (m.date, m.worker_id, m.cover) == (date(2026, 12, 2), "W2", True)
    assert "absent (court)" in m.cover_reason and "booked in the diary" in m.cover_reason
    assert result.unexplained == []


@pytest.mark.parametrize("std_key", STANDARDS)
@pytest.mark.parametrize("seed", (1, 2, 3))
def test_generated_teams_pass_the_verifier_apart_from_the_breaches_it_lists(std_key, seed):
    start = date(2026, 12, 14)  # two weeks across Christmas
    t = generate_team(3, 14, seed=seed, start=start)
    result = edf(t, load_standard(std_key), weeks=2, start=start)
    assert result.unexplained == []
    assert {(b.child_id, b.requirement, b.due_by) for b in result.breaches
            if b.rule_id != "booked"} == cadence_breaches(result.violations)
    assert all(a.cover_reason for a in result.activities if a.cover)
    assert not [a for a in result.activities if a.date in (date(2026, 12, 25), date(2026, 12, 28))]


def test_rota_plan_method_edf_writes_the_same_files(tmp_path):
    folder, out = tmp_path / "team", tmp_path / "out"
    write_team(generate_team(3, 10, seed=4, start=START), folder)
    run = CliRunner().invoke(main, ["plan", str(folder), "--standard", "dorset", "--start", "2026-11-30",
                                    "--weeks", "2", "--method", "edf", "--quiet", "--out", str(out)])
    assert run.exit_code == 0, run.output
    assert "earliest deadline first" in run.output and "verifier: every rule re-checked" in run.output
    with open(out / "rota.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ROTA_COLUMNS and len(rows) > 1
    for name in ("breaches.csv", "rota.html", "rota.xlsx", "map.html"):
        assert (out / name).is_file()


def test_a_second_look_over_the_plan_uses_the_earlier_days_the_diary_did_not_reach():
    # W1 does one visit a day. C1-C5 were last seen Fri 27 Nov: all due Fri 11 Dec (30 Nov-4 Dec
    # 5 WD, 7-11 Dec 10). Day by day the diary looks 3 days ahead, so the five come in on Wed 9
    # Dec and W1 sees C1, C2, C3 on Wed 9, Thu 10, Fri 11; C4 and C5 would miss, with nothing
    # planned in the two weeks (to Sun 13 Dec) although W1 had free days - a rota the verifier
    # rejects. The second look puts C4 on the latest free day in time, Tue 8 Dec, and C5 on
    # Mon 7 Dec: no breach. (Their next visits fall due 10 working days later, after the plan.)
    kids = [child(f"C{k}", dob=date(2023, 1, 1), offset=k) for k in range(1, 6)]
    t = team([worker("W1", max_visits_per_day=1)], kids, visits=[visit(c.child_id, date(2026, 11, 27)) for c in kids])
    result = edf(t, standard(CP_10WD), weeks=2)
    assert {c: [a.date for a in visits_of(result, c)] for c in ("C1", "C2", "C3", "C4", "C5")} == {
        "C1": [date(2026, 12, 9)], "C2": [date(2026, 12, 10)], "C3": [date(2026, 12, 11)],
        "C4": [date(2026, 12, 8)], "C5": [date(2026, 12, 7)]}
    assert result.breaches == [] and result.unexplained == []
