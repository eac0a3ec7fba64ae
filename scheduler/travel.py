"""Travel time between two points. One swappable component: anything with `minutes(a, b)`.

Default: straight-line (haversine) distance x road factor at an average speed, rounded up
to whole minutes. A routing engine can replace it by implementing the same protocol.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from .policy import AVERAGE_SPEED_KMH, ROAD_FACTOR

Point = tuple[float, float]  # (lat, lon)


class TravelModel(Protocol):
    def minutes(self, a: Point, b: Point) -> int: ...


def haversine_km(a: Point, b: Point) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@dataclass(frozen=True)
class StraightLineTravel:
    road_factor: float = ROAD_FACTOR
    speed_kmh: float = AVERAGE_SPEED_KMH

    def minutes(self, a: Point, b: Point) -> int:
        km = haversine_km(a, b) * self.road_factor
        return math.ceil(round(km / self.speed_kmh * 60.0, 6))
