"""The period a plan covers: first day, length in weeks and the region whose bank holidays apply."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from .calendar import WorkingCalendar


@dataclass(frozen=True)
class Horizon:
    start: date
    weeks: int = 4
    region: str = "england"

    def __post_init__(self) -> None:
        if self.weeks < 1:
            raise ValueError("a plan covers at least one week")

    @property
    def end(self) -> date:
        """Last day of the plan, inclusive: start + 7 x weeks - 1 calendar days."""
        return self.start + timedelta(days=7 * self.weeks - 1)

    @cached_property
    def cal(self) -> WorkingCalendar:
        return WorkingCalendar(self.region)

    @cached_property
    def working_days(self) -> list[date]:
        return self.cal.working_days_in(self.start, self.end)
