"""Shared builders for the per-authority worked-due-date tests (tests/standards/test_<key>.py).

`Worked(key, ...)` binds one shipped standard to the England calendar, a default child and a
default "today", so each test file states only its dates. The seed documents live beside the
clone (<parent of repo>/shared/seeds), not inside it: tests that read them skip when it is absent.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from scheduler.calendar import WorkingCalendar
from scheduler.domain import Child, Meeting, Team, Visit
from scheduler.requirements import Due, child_dues, next_due, rules_for, strictest
from scheduler.standards import Citation, Rule, Standard, load_standard

# tests/standards/helpers.py -> parents[2] is the repo root; the shared folder sits beside it
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
CAL = WorkingCalendar("england")
D = date.fromisoformat

_DATE_FIELDS = ("date_of_birth", "placement_start_date", "first_review_date", "assessment_completed_date")


def seed_text(file: str) -> str:
    """The text of one seed document; skips the calling test when the seeds folder is absent."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents folder {SEEDS} is absent: cannot check quotes")
    return (SEEDS / file).read_text(encoding="utf-8")


def squash(text: str) -> str:
    """Collapse every run of whitespace (line breaks, table tabs) to one space."""
    return " ".join(text.split())


def all_citations(std: Standard) -> list[Citation]:
    """Every citation in a standard: each rule's own and its `also`, then the not-modelled ones."""
    return [c for r in std.rules for c in (r.citation, *r.also)] + [n.citation for n in std.not_modelled]


class Worked:
    """One standard's rules, worked on the England calendar for a single synthetic child.

    `today` is the default `on` date (ISO string) for `applicable` and the `due_dates*` views.
    """

    def __init__(self, key: str, *, child_id: str = "C1", where: tuple[float, float] = (51.5, -1.8),
                 born: date = date(2015, 6, 1), today: str = "2027-01-04") -> None:
        self.std = load_standard(key)
        self.rules: dict[str, Rule] = {r.id: r for r in self.std.rules}
        self.child_id = child_id
        self.where = where
        self.born = born
        self.today = today

    # ---------------------------------------------------------------- builders

    def rule(self, rule_id: str) -> Rule:
        return self.rules[rule_id]

    def child(self, status: str, start: str, **kw: object) -> Child:
        """A child of `status` since `start`; ISO strings are accepted for the date fields."""
        kw.setdefault("date_of_birth", self.born)  # an explicit None (unborn) is kept
        for key in _DATE_FIELDS:
            if isinstance(kw.get(key), str):
                kw[key] = D(kw[key])  # type: ignore[arg-type]
        return Child(child_id=self.child_id, status=status, status_start_date=D(start),
                     lat=self.where[0], lon=self.where[1], **kw)  # type: ignore[arg-type]

    def visit(self, day: str, seen_alone: bool = True, bedroom: bool = False) -> Visit:
        return Visit(self.child_id, D(day), "W1", seen_alone, bedroom)

    def visits(self, *days: str) -> tuple[Visit, ...]:
        return tuple(self.visit(d) for d in days)

    def meeting(self, kind: str, day: str, status: str = "held") -> Meeting:
        return Meeting(self.child_id, kind, D(day), status)

    # ---------------------------------------------------------------- one rule

    def due(self, rule_id: str, c: Child, *occurrences: str) -> date | None:
        """Next due date of one rule given the ISO dates it was already met on."""
        return next_due(c, self.rules[rule_id], [D(o) for o in occurrences], CAL)[0]

    def applicable(self, c: Child, requirement: str, on: str | None = None) -> list[str]:
        return [r.id for r in rules_for(self.std, c, requirement, D(on or self.today))]

    def rule_due(self, rule_id: str, c: Child, on: str, visits: tuple[Visit, ...] = (),
                 meetings: tuple[Meeting, ...] = ()) -> Due:
        """One rule's row from `child_dues` (the whole engine: which rules apply on `on`, triggers,
        phase-ending events in the records, effective level); fails if the rule does not apply."""
        rows = [d for d in self.dues(c, on, visits, meetings) if d.rule.id == rule_id]
        assert rows, f"{rule_id} does not apply to {c.child_id} on {on}"
        return rows[0]

    # ---------------------------------------------------------------- all rules for the child

    def dues(self, c: Child, on: str, visits: tuple[Visit, ...] = (),
             meetings: tuple[Meeting, ...] = ()) -> list[Due]:
        """Every applicable rule's due row (all levels) on `on`, given a visit/meeting history."""
        team = Team(workers=(), children=(c,), visits=visits, meetings=meetings)
        return child_dues(team, c, self.std, CAL, D(on))

    def strictest(self, c: Child, on: str, visits: tuple[Visit, ...] = (),
                  meetings: tuple[Meeting, ...] = ()) -> dict[str, Due]:
        """The strictest row per requirement."""
        return {d.requirement: d for d in strictest(self.dues(c, on, visits, meetings))}

    # The two views below take (visits, meetings, on) in that order with `on` defaulting to `today`,
    # as the Dorset, Knowsley and Swindon tests call them.

    def due_dates(self, c: Child, visits: tuple[Visit, ...] = (), meetings: tuple[Meeting, ...] = (),
                  on: str | None = None) -> dict[str, date | None]:
        """Strictest due date per requirement."""
        return {k: d.due_by for k, d in self.strictest(c, on or self.today, visits, meetings).items()}

    def due_dates_and_rules(self, c: Child, visits: tuple[Visit, ...] = (), meetings: tuple[Meeting, ...] = (),
                            on: str | None = None) -> dict[str, tuple[date | None, str]]:
        """Strictest (due date, rule id) per requirement."""
        return {k: (d.due_by, d.rule.id) for k, d in self.strictest(c, on or self.today, visits, meetings).items()}
