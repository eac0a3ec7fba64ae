"""When a message may quote a cell: never for personal details, even when cells have shifted.

Columns are read by position, so a cut-off row, a renamed header or an unquoted comma can put a
child's name into, say, the cp_category column. A message therefore quotes a cell only when
(1) its column is not personal, (2) the text has the shape that column's values have (a code,
an id, a date... never free text), and (3) no word of it occurs in a personal cell of the team
folder (names, addresses, postcodes, dates of birth, locations). Otherwise the message says
"the value" and the file, row and column say where it is.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from ..domain import (
    ABSENCE_KINDS,
    CP_CATEGORIES,
    MEETING_STATES,
    MEETING_TYPES,
    PLACEMENT_TYPES,
    ROLES,
    STATUSES,
    WEEKDAYS,
)

# the shape a value of each kind of column has, when it is worth quoting
_SHAPES: dict[str, re.Pattern[str]] = {
    "id": re.compile(r"[A-Za-z0-9][A-Za-z0-9_./ -]{0,63}"),
    "code": re.compile(r"[A-Za-z][A-Za-z_ -]{0,29}"),
    "date": re.compile(r"[0-9][0-9 ./:T-]{0,24}"),
    "time": re.compile(r"[0-9][0-9:. ]{0,7}(?:[AaPp]\.?[Mm]\.?)?"),
    "number": re.compile(r"[0-9.+-][0-9., +-]{0,19}|[a-z]{1,12}"),
    "bool": re.compile(r"[a-z0-9]{1,8}|TRUE|FALSE|True|False|Y|N|YES|NO|Yes|No"),
    "days": re.compile(r"[A-Za-z][A-Za-z ,;/-]{0,40}"),
}
_POSTCODE_LIKE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}", re.IGNORECASE)
_TITLE_WORD = re.compile(r"\b[A-Z][a-z]{2,}")  # "Green", "Harrow": how names and streets are written
_WORD = re.compile(r"[^\W_]+")
_DAY_PREFIXES = ("mo", "tu", "we", "th", "fr", "sa", "su")
# words of the format itself: quoting them never reveals anything
_VOCABULARY = frozenset(
    w for codes in (ROLES, STATUSES, PLACEMENT_TYPES, CP_CATEGORIES, MEETING_TYPES, MEETING_STATES,
                    ABSENCE_KINDS) for c in codes for w in c.split("_")
) | {d.lower() for d in WEEKDAYS} | {"yes", "no", "true", "false"}


def _compact(text: str) -> str:
    return "".join(text.split()).casefold()


class Quoter:
    """Decides whether a cell may be quoted in a message (see the module docstring)."""

    def __init__(self) -> None:
        self._words: set[str] = set()  # words of names, addresses and postcodes
        self._cells: set[str] = set()  # whole personal cells, compacted (dates of birth, lat/lon too)

    def add_personal(self, texts: Iterable[str], words: bool = True) -> None:
        for text in texts:
            if not text:
                continue
            self._cells.add(_compact(text))
            if words:
                self._words.update(w for w in (m.casefold() for m in _WORD.findall(text))
                                   if len(w) >= 3 and w not in _VOCABULARY)

    def personal(self, text: str) -> bool:
        if _compact(text) in self._cells:
            return True
        return any(w.casefold() in self._words for w in _WORD.findall(text))

    def may_quote(self, kind: str, text: str) -> bool:
        shape = _SHAPES.get(kind)
        if shape is None or not text.isascii() or not shape.fullmatch(text):
            return False
        if _POSTCODE_LIKE.search(text) and kind not in ("date", "time", "number"):
            return False
        if kind == "id" and (not re.search(r"[0-9]", text) or _TITLE_WORD.search(text)):
            return False  # ids carry a number; "Kai Green" or "Harrow Road" is not an id
        if kind == "code" and _TITLE_WORD.search(text):
            return False
        if kind == "days" and not all(t[:2].lower() in _DAY_PREFIXES for t in re.split(r"[\s,;/-]+", text) if t):
            return False
        return not self.personal(text)

    def show(self, kind: str, text: str) -> str:
        """The cell as it may appear in a message: quoted, or 'the value'."""
        return repr(text) if self.may_quote(kind, text) else "the value"
