"""Planning policy shared by the model and the verifier: who may do what, how long things take.

These are operational assumptions, not practice standards (those live in constraints/*.yaml).
They are stated once here so the model and the independent verifier agree on them.
"""
from __future__ import annotations

from datetime import date, time

from .domain import Child, Worker

# --- eligibility (issue #3): who may carry out a child's statutory visits and meetings ---
# care leavers -> personal adviser; CP/CIC/CIN (and S47, private fostering) -> qualified
# social worker; early help -> early help practitioner. Team managers do not visit.
ELIGIBLE_ROLE = {
    "care_leaver": "personal_adviser",
    "early_help": "early_help_practitioner",
    "cp": "social_worker",
    "s47": "social_worker",
    "cic": "social_worker",
    "cin": "social_worker",
    "private_fostering": "social_worker",
}
NEEDS_QUALIFIED = {"cp", "s47", "cic", "cin", "private_fostering"}


def role_may_visit(role: str, qualified: bool, status: str) -> bool:
    """May a worker of this role (qualified or not) carry out the visits of a child of this status?"""
    return role == ELIGIBLE_ROLE[status] and (qualified or status not in NEEDS_QUALIFIED)


def eligible(worker: Worker, child: Child) -> bool:
    return role_may_visit(worker.role, worker.qualified, child.status)


# --- severity (issue #3): CP and S47 above CIC above CIN above early help ---
STATUS_SEVERITY = {"cp": 5, "s47": 5, "cic": 4, "private_fostering": 4, "cin": 3,
                   "care_leaver": 2, "early_help": 1}


# a booked conference or review nobody can attend weighs as a statutory CP miss: not moved lightly
BOOKED_MISSED_SEVERITY = 10


def severity(child: Child, level: str) -> int:
    """Statutory misses count double the authority's own (stricter, local) level."""
    base = STATUS_SEVERITY[child.status]
    return 2 * base if level == "statutory" else base


# --- durations (minutes) ---
VISIT_BASE_MINUTES = 40  # a household visit
VISIT_PER_EXTRA_CHILD_MINUTES = 10  # each further child seen in the same visit
SEEN_ALONE_MINUTES = 15  # each child seen alone adds this
MEETING_MINUTES = {"core_group": 90, "rcpc": 90, "cin_review": 60, "cic_review": 90,
                   "pathway_review": 60, "pep": 60, "supervision": 45}
# requirement code (standards) -> activity code (rota.csv, = meetings.csv meeting_type)
MEETING_ACTIVITY = {"core_group": "core_group", "cp_review": "rcpc", "cin_review": "cin_review",
                    "cic_review": "cic_review", "pathway_review": "pathway_review", "pep": "pep",
                    "supervision": "supervision"}


def visit_minutes(n_children: int, n_seen_alone: int) -> int:
    return VISIT_BASE_MINUTES + VISIT_PER_EXTRA_CHILD_MINUTES * max(n_children - 1, 0) \
        + SEEN_ALONE_MINUTES * n_seen_alone


# --- school (seen alone): a school-age child is at school in school hours on term-time weekdays ---
SCHOOL_AGE = (5, 16)  # completed years, inclusive
SCHOOL_START = time(8, 45)
SCHOOL_END = time(15, 15)  # a school visit must be over by then; the model's am segment ends then
AFTER_SCHOOL = time(15, 30)  # earliest home visit that can see a school-age child on a school day


def at_school(child: Child, day: date, is_working_day: bool) -> bool:
    """Term dates are not in the inputs, so every working day is treated as a school day (stricter)."""
    age = child.age_years(day)
    return is_working_day and age is not None and SCHOOL_AGE[0] <= age <= SCHOOL_AGE[1]


# --- travel: straight line x road factor at an average speed (swappable: see travel.py) ---
ROAD_FACTOR = 1.3
AVERAGE_SPEED_KMH = 30.0

# booked meetings of types that are not planned by cadence still take the worker's time
MEETING_MINUTES.update({"strategy": 60, "icpc": 120})
