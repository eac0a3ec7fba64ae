"""`rota due`: for every child, what is due under the authority's standard, and by when."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .calendar import WorkingCalendar
from .domain import Team
from .requirements import child_dues, strictest
from .standards import REQUIREMENTS, Standard

DUE_COLUMNS = ["child_id", "requirement", "due_by", "last_done", "state", "rule"]
DUE_SOON_WORKING_DAYS = 5  # "due" = within the next 5 working days (issue #2)


@dataclass(frozen=True)
class DueRow:
    child_id: str
    requirement: str
    due_by: date
    last_done: date | None
    state: str
    rule: str

    def row(self) -> dict[str, str]:
        return {"child_id": self.child_id, "requirement": self.requirement,
                "due_by": self.due_by.isoformat(),
                "last_done": self.last_done.isoformat() if self.last_done else "",
                "state": self.state, "rule": self.rule}


def state_of(due_by: date, on: date, cal: WorkingCalendar) -> str:
    if due_by < on:
        return "overdue"
    if due_by <= cal.add_working_days(on, DUE_SOON_WORKING_DAYS):
        return "due"
    return "ok"


def due_rows(team: Team, standard: Standard, cal: WorkingCalendar, on: date) -> list[DueRow]:
    rows: list[DueRow] = []
    for child in sorted(team.children, key=lambda c: c.child_id):
        for d in strictest(child_dues(team, child, standard, cal, on)):
            if d.due_by is None:
                continue  # nothing further required by this standard
            rule_text = f"{d.rule.id} ({d.rule.level}): {d.rule.citation_text(standard.source.file)}"
            rows.append(DueRow(child.child_id, d.requirement, d.due_by, d.last_done,
                               state_of(d.due_by, on, cal), rule_text))
    order = {r: i for i, r in enumerate(REQUIREMENTS)}
    rows.sort(key=lambda r: (r.child_id, order.get(r.requirement, 99)))
    return rows
