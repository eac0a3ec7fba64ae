"""scheduler.postcodes: shape, the offline Code-Point Open lookup, and the swappable protocol."""
from __future__ import annotations

import math

import pytest

from scheduler.postcodes import (
    CodePointOpen,
    MappingLookup,
    PostcodeLookup,
    default_lookup,
    explain_unknown,
    normalise,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("sn1 2ab", "SN1 2AB"),
    ("SN12AB", "SN1 2AB"),
    ("  sn1   2ab ", "SN1 2AB"),
    ("b1 1aa", "B1 1AA"),
    ("EC1A1BB", "EC1A 1BB"),
    ("w1a 0ax", "W1A 0AX"),
    ("m11ae", "M1 1AE"),
    ("sn1\u00a02ab", "SN1 2AB"),  # a non-breaking space from a spreadsheet
])
def test_normalise_standard_form(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize("text", ["", "SN1", "12345", "SN1 2A", "SN1 2ABC", "S N 1 2 A B C", "not a postcode",
                                  "1SN 2AB"])
def test_normalise_rejects_other_text(text: str) -> None:
    assert normalise(text) is None


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    # equirectangular distance: plenty for checking a point is in the right town
    dlat = math.radians(a[0] - b[0])
    dlon = math.radians(a[1] - b[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    return 6371 * math.hypot(dlat, dlon)


def test_code_point_open_locates_great_britain_postcodes() -> None:
    lookup = CodePointOpen()
    # SN1 1AE is in central Swindon (51.56 N, 1.78 W); SW1A 1AA is Buckingham Palace (51.501 N, 0.142 W)
    swindon = lookup.locate("sn11ae")
    palace = lookup.locate("SW1A 1AA")
    assert swindon is not None and palace is not None
    assert _km(swindon, (51.565, -1.783)) < 0.5
    assert _km(palace, (51.501, -0.1416)) < 0.2
    # the same postcode in any spelling is the same point, to the last digit written
    assert lookup.locate("SN1 1AE") == swindon


def test_unknown_and_uncovered_postcodes_are_none() -> None:
    lookup = default_lookup()
    assert lookup.locate("BT1 1AA") is None  # Northern Ireland: not in Code-Point Open
    assert lookup.locate("JE2 3AB") is None  # Jersey
    assert lookup.locate("ZZ9 9ZZ") is None  # no such area
    assert lookup.locate("SN1 1ZZ") is None  # a real area, no such unit
    assert lookup.locate("not a postcode") is None


def test_postcode_without_coordinates_is_unknown() -> None:
    # Code-Point Open lists some postcodes with positional quality 90 and no coordinates
    # (easting and northing 0); placing them at 0,0 would put a child in the Atlantic
    assert CodePointOpen().locate("AB43 1AG") is None


def test_lookup_is_swappable() -> None:
    table = MappingLookup({"bt1 1aa": (54.597, -5.930)})
    assert isinstance(table, PostcodeLookup)
    assert isinstance(default_lookup(), PostcodeLookup)
    assert table.locate("BT11AA") == (54.597, -5.930)
    assert table.locate("SN1 1AE") is None


def test_explanations_never_repeat_the_postcode() -> None:
    for pc in ("BT1 1AA", "SN1 1ZZ", "nonsense"):
        text = explain_unknown(pc)
        assert pc.lower() not in text.lower()
    assert "Northern Ireland" in explain_unknown("bt11aa")
    assert "lat and lon" in explain_unknown("SN1 1ZZ")
    assert "not a UK postcode" in explain_unknown("nonsense")
