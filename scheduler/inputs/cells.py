"""Cell parsers: one cell's text (already stripped, never blank) to a value, or `Bad`.

A parser may return `Warned(value, message)` when the cell is readable but suspicious. Digits
are ASCII only everywhere: Python's `int`, `float` and `\\d` also accept Arabic-Indic and
full-width digits, which a spreadsheet would not read as numbers.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from datetime import date, time

from ..domain import WEEKDAYS
from .problems import Bad, Warned

MAX_ID = 64
FIRST_YEAR, LAST_YEAR = 1900, 2100
# a cell a spreadsheet would run as a formula (the usual CSV-injection defence)
FORMULA_START = ("=", "+", "-", "@")


def non_ascii_digit(s: str) -> bool:
    return not s.isascii() and any(ch.isdigit() and not ch.isascii() for ch in s)


def _ascii_digits_only(s: str, expected: str) -> None:
    if non_ascii_digit(s):
        raise Bad("contains digits that are not the ASCII digits 0-9 (e.g. Arabic-Indic or full-width digits)",
                  expected)


def parse_text(s: str) -> str:
    return s


def parse_id(s: str) -> str:
    """An identifier: 1-64 printable characters, not starting like a spreadsheet formula."""
    expected = f"expected an id of 1-{MAX_ID} letters, digits and punctuation that starts with a letter or digit"
    bad = next((ch for ch in s if not ch.isprintable()), None)
    if bad is not None:
        raise Bad(f"contains a control or invisible character (U+{ord(bad):04X})", expected)
    if len(s) > MAX_ID:
        raise Bad(f"is {len(s)} characters long", expected)
    if s.startswith(FORMULA_START):
        raise Bad(f"starts with {s[0]!r}, which a spreadsheet would run as a formula", expected)
    return s


_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_UK = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
# dates case-management systems use for "no date"
_PLACEHOLDER_YEARS = range(2900, 10000)


# a date exported with a time of day (spreadsheets and databases add one): midnight is the date itself
_WITH_TIME = re.compile(r"(\S+)[ T]([0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.0+)?)?)")
_MIDNIGHT = re.compile(r"0{1,2}:00(?::00(?:\.0+)?)?")


def parse_date(s: str) -> date | Warned:
    expected = "expected a date as YYYY-MM-DD (2026-11-30) or DD/MM/YYYY (30/11/2026)"
    _ascii_digits_only(s, expected)
    timed = _WITH_TIME.fullmatch(s)
    if timed and (_ISO.fullmatch(timed.group(1)) or _UK.fullmatch(timed.group(1))):
        if not _MIDNIGHT.fullmatch(timed.group(2)):
            raise Bad("has a time of day after the date", "expected a date without a time, as YYYY-MM-DD "
                      "(2026-11-30) or DD/MM/YYYY (30/11/2026); a time of 00:00 after it is accepted")
        s = timed.group(1)
    m = _ISO.fullmatch(s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _UK.fullmatch(s)
        if not m:
            raise Bad("is not a date", expected)
        d, mo, y = (int(g) for g in m.groups())
    if y in _PLACEHOLDER_YEARS:
        raise Bad(f"has the year {y}, which looks like a 'no date' placeholder",
                  f"expected a real date in {FIRST_YEAR}-{LAST_YEAR}", placeholder=True)
    if not FIRST_YEAR <= y <= LAST_YEAR:
        raise Bad(f"has the year {y}, outside {FIRST_YEAR}-{LAST_YEAR}",
                  f"expected a real date in {FIRST_YEAR}-{LAST_YEAR}", placeholder=y < 100)
    try:
        value = date(y, mo, d)
    except ValueError:
        raise Bad("is not a real calendar date", expected) from None
    if y == FIRST_YEAR:
        return Warned(value, "is in 1900, a year spreadsheets and case systems use as a 'no date' placeholder; "
                             "it is read as given (expected the real date, or a blank cell where the column "
                             "is optional)")
    return value


_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::00)?")


def parse_time(s: str) -> time:
    expected = "expected HH:MM on the 24-hour clock, e.g. 09:00 or 17:30"
    _ascii_digits_only(s, expected)
    m = _TIME.fullmatch(s)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise Bad("is not a time", expected)
    return time(int(m.group(1)), int(m.group(2)))


def parse_bool(s: str) -> bool:
    v = s.lower()
    if v in ("yes", "no"):
        return v == "yes"
    raise Bad("is not yes/no", "expected yes or no")


MAX_VISITS_PER_DAY = 20  # far above any real day; keeps the model's arithmetic small


def parse_visits_per_day(s: str) -> int:
    expected = f"expected a whole number from 1 to {MAX_VISITS_PER_DAY}, e.g. 4"
    _ascii_digits_only(s, expected)
    if re.fullmatch(r"[0-9]{1,3}", s) and 1 <= int(s) <= MAX_VISITS_PER_DAY:
        return int(s)
    raise Bad("is not a whole number from 1 to 20" if re.fullmatch(r"[0-9]+", s)
              else "is not a positive whole number", expected)


_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def decimal(s: str, expected: str) -> float:
    """A plain decimal number (no exponent, nan, inf or digit separators: float() takes those)."""
    _ascii_digits_only(s, expected)
    if not _DECIMAL.fullmatch(s):
        raise Bad("is not a number", expected)
    return float(s)


def parse_fte(s: str) -> float:
    expected = "expected the full-time equivalent as a decimal above 0 and at most 1, e.g. 1 or 0.6"
    value = decimal(s, expected)
    if not 0 < value <= 1:
        raise Bad("is outside 0-1", expected)
    return value


def coordinate(kind: str, bounds: tuple[float, float]) -> Callable[[str], float]:
    lo, hi = bounds
    expected = f"expected a decimal {kind} between {lo} and {hi} (inside the UK)"

    def parse(s: str) -> float:
        value = decimal(s, expected)
        if not lo <= value <= hi:
            raise Bad("is outside the UK", expected)
        return value
    return parse


def code(kind: str, codes: tuple[str, ...]) -> Callable[[str], str]:
    def parse(s: str) -> str:
        v = s.lower()
        if v in codes:
            return v
        near = difflib.get_close_matches(v.replace(" ", "_").replace("-", "_"), codes, n=1, cutoff=0.6)
        hint = f"; did you mean {near[0]}?" if near else ""
        raise Bad(f"is an unknown {kind} code{hint}", "expected one of " + ", ".join(codes))
    return parse


_FULL_DAY = dict(zip(WEEKDAYS, ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
                     strict=True))


def _day(token: str) -> int:
    code_ = token[:3].title()
    if code_ not in WEEKDAYS or token.lower() not in (code_.lower(), _FULL_DAY[code_]):
        raise Bad("contains an unknown day", "expected day codes from Mon Tue Wed Thu Fri Sat Sun "
                                             "separated by spaces, e.g. 'Mon Tue Thu' (or a range, 'Mon-Fri')")
    return WEEKDAYS.index(code_)


def parse_working_days(s: str) -> tuple[int, ...]:
    days: set[int] = set()
    for token in re.split(r"[\s,;/]+", s.strip()):
        if "-" in token:  # a range such as Mon-Fri
            first, _, last = token.partition("-")
            a, b = _day(first), _day(last)
            if b < a:
                raise Bad("has a range running backwards", "expected a range such as Mon-Fri")
            days.update(range(a, b + 1))
        elif token:
            days.add(_day(token))
    if not days:
        raise Bad("lists no days", "expected day codes such as 'Mon Tue Thu'")
    return tuple(sorted(days))


# seen_alone_exempt holds a reason. These say "not exempt" (or give no reason): such a value
# must not exempt a child, so it is read as blank (must be seen alone) with a warning.
NOT_A_REASON = frozenset({
    "no", "n", "false", "f", "0", "none", "nil", "null", "na", "n/a", "n.a.", "nan", "not exempt",
    "not applicable", "no exemption", "not known", "unknown", "tbc", "tbd", "x",
    "yes", "y", "true", "t", "1", "exempt",
})


def parse_exemption(s: str) -> str | Warned | None:
    if s.startswith(FORMULA_START):
        raise Bad(f"starts with {s[0]!r}, which a spreadsheet would run as a formula",
                  "expected the reason in words, e.g. 'non-verbal; seen with trusted adult'")
    normal = " ".join(s.lower().split()).strip(" .;:!")
    letters = sum(ch.isalpha() for ch in s)
    if normal in NOT_A_REASON or letters < 3:
        return Warned(None, "gives no reason (a value such as no, none, n/a, 0 or yes), so the child is NOT "
                            "treated as exempt and must be seen alone; expected the reason the child need not "
                            "be seen alone, or a blank cell")
    return s
