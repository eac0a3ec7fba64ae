"""A small hand-built team and plan for the output writer tests.

Three workers (W3 has nothing planned), four children in three households (C1 and C2 share
H1), two weeks from Mon 24 Mar 2025 (clocks go forward on Sun 30 Mar: week 2 is BST).
Children have names/addresses so tests can check they never leak.
"""
from __future__ import annotations

from datetime import date, time

import pytest

from scheduler.domain import Absence, Child, Team, Worker
from scheduler.solution import Breach, PlannedActivity, PlanResult

NAMES = ("Alice Zebedee", "Bobby Zebedee", "Carla Quint", "Dev Ormsby")
ADDRESSES = ("12 Larkspur Close", "12 Larkspur Close", "3 Mill Yard", "Flat 9 Harbour View")
POSTCODES = ("DT1 1AA", "DT1 1AA", "DT2 7QQ", "BH15 9ZZ")


def make_team() -> Team:
    workers = (
        Worker("W1", "Sam Porter", "social_worker", 50.7150, -2.4400),
        Worker("W2", "Jo Reeve", "social_worker", 50.6100, -2.4600, working_days=(0, 1, 2, 3, 4, 5)),
        Worker("W3", "Kit Lane", "personal_adviser", 50.7000, -2.3000),
    )
    coords = ((50.7300, -2.4100), (50.7300, -2.4100), (50.6500, -2.5000), (50.7200, -1.9800))
    households = ("H1", "H1", "H2", "H3")
    children = tuple(
        Child(f"C{i + 1}", "cp", date(2025, 1, 6), lat, lon, household_id=households[i],
              allocated_worker_id="W1" if i < 3 else "W2", date_of_birth=date(2015, 5, 1),
              name=NAMES[i], address=ADDRESSES[i], postcode=POSTCODES[i])
        for i, (lat, lon) in enumerate(coords))
    absences = (Absence("W1", date(2025, 4, 3), date(2025, 4, 4), "leave"),)
    return Team(workers=workers, children=children, absences=absences, source="fixture")


def act(day: date, start: str, end: str, worker: str, household: str, children: tuple[str, ...],
        activity: str = "visit", alone: tuple[str, ...] = (), bedroom: tuple[str, ...] = (),
        travel: int = 0, cover: bool = False) -> PlannedActivity:
    return PlannedActivity(day, time.fromisoformat(start), time.fromisoformat(end), worker, activity,
                           household, children, alone, bedroom, travel, cover)


def make_result() -> PlanResult:
    d = date
    activities = [
        act(d(2025, 3, 24), "09:30", "10:30", "W1", "H1", ("C1", "C2"), alone=("C1",), bedroom=("C1", "C2"),
            travel=12),
        act(d(2025, 3, 24), "11:00", "12:00", "W1", "H2", ("C3",), alone=("C3",), travel=20),
        act(d(2025, 3, 26), "14:00", "15:00", "W1", "H1", ("C1", "C2"), activity="core_group", travel=12),
        act(d(2025, 3, 31), "09:30", "10:30", "W1", "H1", ("C1", "C2"), alone=("C2",), travel=12),
        act(d(2025, 3, 25), "10:00", "11:00", "W2", "H3", ("C4",), alone=("C4",), bedroom=("C4",), travel=35),
        act(d(2025, 3, 29), "10:00", "11:00", "W2", "H2", ("C3",), alone=("C3",), travel=18, cover=True),
        act(d(2025, 4, 1), "13:00", "14:00", "W2", "H3", ("C4",), travel=35),
        act(d(2025, 4, 1), "15:00", "16:00", "W2", "H2", ("C3",), travel=25, cover=True),
    ]
    breaches = [
        Breach("C3", "visit", d(2025, 3, 28), d(2025, 3, 29), 1, 5,
               "W1 at capacity on 27-28 Mar; covered by W2 on Sat", False),
        Breach("C4", "cp_review", d(2025, 4, 2), None, 2, 9,
               "No chair available before the horizon ends", True),
    ]
    return PlanResult(activities=activities, breaches=breaches, status="OPTIMAL", solve_seconds=1.5,
                      start=d(2025, 3, 24), end=d(2025, 4, 4), standard_key="dorset",
                      requirements_total=10)


@pytest.fixture
def team() -> Team:
    return make_team()


@pytest.fixture
def result() -> PlanResult:
    return make_result()
