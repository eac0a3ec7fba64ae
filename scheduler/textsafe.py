"""Text that crosses into other programs: file names, spreadsheet cells, the terminal.

One home for each defence, used by every writer and by `rota check` (which refuses identifiers
that two of these would make the same).
"""
from __future__ import annotations

import re
import unicodedata

# names Windows reserves in every folder, whatever the extension
WINDOWS_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                              *(f"LPT{i}" for i in range(1, 10))})
MAX_STEM = 64
# a cell a spreadsheet would read as a formula (the usual CSV-injection defence, OWASP)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def file_stem(identifier: str) -> str:
    """An identifier as a file name stem that is safe on Windows, macOS and Linux: ASCII letters,
    digits, '-' and '_' only (anything else becomes '_'), no leading dot, at most 64 characters,
    never a name Windows reserves. Two identifiers may give the same stem: see file_key."""
    stem = re.sub(r"[^A-Za-z0-9_-]", "_", identifier)[:MAX_STEM] or "_"
    if stem.upper() in WINDOWS_RESERVED:
        stem += "_"
    return stem


def file_key(identifier: str) -> str:
    """What must be unique among identifiers that name files: the stem, case-folded (Windows and
    macOS file systems ignore case)."""
    return file_stem(identifier).casefold()


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: one beginning with = + - @ tab or carriage return
    gets a leading apostrophe, which spreadsheets hide and which stops formula evaluation."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def terminal_safe(text: str) -> str:
    """Plain text for a terminal: control characters (ANSI escapes included) shown as U+FFFD."""
    return _CONTROL.sub("\ufffd", unicodedata.normalize("NFC", text))
