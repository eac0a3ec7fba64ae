"""Working-day calendar and duration arithmetic (pure functions).

Conventions (issue #2, stated once here and used everywhere):
- "N working days after D" is the Nth working day after D (weekends and the region's
  bank holidays excluded); 0 working days is D itself.
- "N weeks" / "N weekly" is 7N calendar days; "N calendar days" is N days.
- "N months" / "N years" are calendar months/years (end of month clamps: 31 Jan + 1 month = 28/29 Feb).
- "24/48/72 hours" is D+1/2/3 calendar days; "same day" is D.
"""
from __future__ import annotations

import calendar as _stdcal
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

# The holidays package only includes England's Easter Monday and August bank holiday
# when the subdivision is given, so a region always maps to a subdivision.
REGIONS = {
    "england": "ENG",
    "wales": "WLS",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}

UNITS = ("working_days", "calendar_days", "weeks", "months", "years", "hours")


@dataclass(frozen=True)
class Duration:
    """An amount of time in one explicit unit."""

    amount: int
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r}; expected one of {', '.join(UNITS)}")
        if self.amount < 0:
            raise ValueError("a duration cannot be negative")
        if self.unit == "hours" and self.amount % 24:
            raise ValueError("hours must be a multiple of 24 (24/48/72 hours = 1/2/3 calendar days)")

    def __str__(self) -> str:
        if self.amount == 0:
            return "same day"
        unit = self.unit.replace("_", " ")
        if self.amount == 1:
            unit = unit.rstrip("s")
        return f"{self.amount} {unit}"


@lru_cache(maxsize=64)
def _bank_holidays(region: str, year: int) -> frozenset[date]:
    if region not in REGIONS:
        raise ValueError(f"unknown region {region!r}; expected one of {', '.join(REGIONS)}")
    return frozenset(holidays.country_holidays("GB", subdiv=REGIONS[region], years=year).keys())


@dataclass(frozen=True)
class WorkingCalendar:
    region: str = "england"

    def __post_init__(self) -> None:
        if self.region not in REGIONS:
            raise ValueError(f"unknown region {self.region!r}; expected one of {', '.join(REGIONS)}")

    def is_bank_holiday(self, day: date) -> bool:
        return day in _bank_holidays(self.region, day.year)

    def bank_holiday_name(self, day: date) -> str | None:
        if not self.is_bank_holiday(day):
            return None
        return holidays.country_holidays("GB", subdiv=REGIONS[self.region], years=day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_bank_holiday(day)

    def add_working_days(self, day: date, n: int) -> date:
        """The nth working day after `day` (n=0: `day` itself)."""
        current = day
        while n > 0:
            current += timedelta(days=1)
            if self.is_working_day(current):
                n -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1 for k in range(1, (end - start).days + 1) if self.is_working_day(start + timedelta(days=k))
        )

    def working_days_in(self, start: date, end: date) -> list[date]:
        """Working days in [start, end]."""
        return [start + timedelta(days=k) for k in range((end - start).days + 1)
                if self.is_working_day(start + timedelta(days=k))]

    def add(self, day: date, duration: Duration) -> date:
        """`day` + `duration` under the conventions in the module docstring."""
        n, unit = duration.amount, duration.unit
        if unit == "working_days":
            return self.add_working_days(day, n)
        if unit == "calendar_days":
            return day + timedelta(days=n)
        if unit == "hours":
            return day + timedelta(days=n // 24)
        if unit == "weeks":
            return day + timedelta(days=7 * n)
        if unit == "months":
            return add_months(day, n)
        if unit == "years":
            return add_months(day, 12 * n)
        raise ValueError(unit)  # unreachable: Duration validates its unit


def add_months(day: date, months: int) -> date:
    """Calendar months, clamping to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, _stdcal.monthrange(year, month)[1]))
