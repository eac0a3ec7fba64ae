"""A made-up authority for trials and benchmarks: generated teams (scheduler.demo) over one
county's towns and rural areas, one team folder each, ready for `rota plan-authority`.

Teams go to towns in order of size, one per town until every town has one, then more to the
larger towns (by the D'Hondt rule: a town's size over its teams plus one), so a county town has
several teams and a market town one. Teams that share a town are based about 3 km apart, each
around its own part of the town. A team in a market town covers the countryside around it: its
households are spread twice as far from the office (travel is a larger part of its week). The
authority's children are shared among the teams about equally (within 15%), so caseloads, and
so risk, differ from team to team as they do in life.

Everything here is made up: the towns are real places, the people and addresses are not.
"""
from __future__ import annotations

import csv
import math
import random
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..domain import Team
from ..loading import UK_LAT, UK_LON
from ..outputs.atomic import new_folder_beside

RURAL_SPREAD = 2.0  # a market-town team's households: this many times further from the office
TOWN_OFFSET_KM = 3.0  # between the bases of two teams in one town
NEAR_KM = 10.0  # households closer than this to the office are "the team's patch" (spread applies)
SIZE_JITTER = 0.15  # teams' shares of the children differ by up to this much


@dataclass(frozen=True)
class Town:
    name: str
    lat: float
    lon: float
    size: int  # relative population (how many teams it gets)
    rural: bool  # a market town whose teams cover the countryside around it


@dataclass(frozen=True)
class County:
    key: str
    standard: str  # the shipped standard to plan its teams against
    towns: tuple[Town, ...]


def _towns(rows: str) -> tuple[Town, ...]:
    out = []
    for line in rows.strip().splitlines():
        name, lat, lon, size, kind = (part.strip() for part in line.split(","))
        out.append(Town(name, float(lat), float(lon), int(size), kind == "rural"))
    return tuple(out)


# towns of the county councils' areas (the unitary cities beside them are other authorities)
COUNTIES = {
    "devon": County("devon", "devon", _towns("""
        Exeter, 50.7236, -3.5275, 13, town
        Exmouth, 50.6200, -3.4137, 5, town
        Newton Abbot, 50.5290, -3.6100, 3, town
        Barnstaple, 51.0800, -4.0580, 3, town
        Tiverton, 50.9020, -3.4910, 2, rural
        Bideford, 51.0160, -4.2080, 2, town
        Teignmouth, 50.5470, -3.4960, 2, town
        Dawlish, 50.5810, -3.4660, 2, town
        Sidmouth, 50.6800, -3.2390, 1, rural
        Honiton, 50.7990, -3.1890, 1, rural
        Okehampton, 50.7390, -4.0030, 1, rural
        Tavistock, 50.5500, -4.1440, 1, rural
        Totnes, 50.4320, -3.6840, 1, rural
        Ilfracombe, 51.2080, -4.1220, 1, town
        Crediton, 50.7910, -3.6560, 1, rural
        Cullompton, 50.8560, -3.3920, 1, rural
        Kingsbridge, 50.2840, -3.7770, 1, rural
        Axminster, 50.7820, -2.9950, 1, rural
        South Molton, 51.0170, -3.8360, 1, rural
        Holsworthy, 50.8110, -4.3530, 1, rural
        Great Torrington, 50.9530, -4.1440, 1, rural
        Ivybridge, 50.3900, -3.9200, 1, town
        Dartmouth, 50.3510, -3.5790, 1, rural
        Seaton, 50.7060, -3.0710, 1, rural
        Bovey Tracey, 50.5920, -3.6760, 1, rural
        Ashburton, 50.5160, -3.7550, 1, rural
    """)),
    "dorset": County("dorset", "dorset", _towns("""
        Weymouth, 50.6144, -2.4576, 5, town
        Dorchester, 50.7154, -2.4367, 3, town
        Ferndown, 50.8070, -1.8990, 2, town
        Bridport, 50.7336, -2.7584, 1, rural
        Sherborne, 50.9470, -2.5170, 1, rural
        Blandford Forum, 50.8560, -2.1650, 1, rural
        Wimborne Minster, 50.7990, -1.9880, 1, town
        Gillingham, 51.0380, -2.2750, 1, rural
        Shaftesbury, 51.0050, -2.1980, 1, rural
        Swanage, 50.6080, -1.9600, 1, rural
        Wareham, 50.6860, -2.1100, 1, rural
        Verwood, 50.8800, -1.8700, 1, town
        Lyme Regis, 50.7250, -2.9370, 1, rural
        Sturminster Newton, 50.9260, -2.3050, 1, rural
        Portland, 50.5500, -2.4400, 1, town
    """)),
}


@dataclass(frozen=True)
class TeamPlace:
    team_id: str
    town: Town
    lat: float
    lon: float
    children: int
    seed: int


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def teams_per_town(towns: Sequence[Town], n_teams: int) -> list[int]:
    """One team per town, largest first, then the D'Hondt rule for the rest."""
    order = sorted(range(len(towns)), key=lambda i: (-towns[i].size, towns[i].name))
    counts = [0] * len(towns)
    for i in order[:n_teams]:
        counts[i] = 1
    for _ in range(max(0, n_teams - len(towns))):
        best = max(order, key=lambda i: (towns[i].size / (counts[i] + 1), -order.index(i)))
        counts[best] += 1
    return counts


def shares(total: int, n: int, rng: random.Random) -> list[int]:
    """`total` split into n whole shares of about total/n each (within SIZE_JITTER), each >= 1."""
    weights = [1 + rng.uniform(-SIZE_JITTER, SIZE_JITTER) for _ in range(n)]
    exact = [total * w / sum(weights) for w in weights]
    out = [max(1, int(x)) for x in exact]
    while sum(out) < total:  # largest remainder first
        i = max(range(n), key=lambda k: (exact[k] - out[k], -k))
        out[i] += 1
    while sum(out) > total:  # only when the floor of 1 pushed it over
        i = max(range(n), key=lambda k: (out[k] - exact[k], out[k]))
        out[i] -= 1
    return out


def _offset(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    return (lat + km * math.cos(bearing) / 111.0,
            lon + km * math.sin(bearing) / (111.32 * math.cos(math.radians(lat))))


def layout(county: County, n_teams: int, children: int, seed: int) -> list[TeamPlace]:
    """Where each team is based and how many children it has (deterministic in the arguments)."""
    if n_teams < 1:
        raise ValueError("an authority needs at least one team")
    if children < n_teams:
        raise ValueError(f"{children} children cannot be shared among {n_teams} teams (each needs one at least)")
    rng = random.Random(seed)
    counts = teams_per_town(county.towns, n_teams)
    places: list[tuple[str, Town, float, float]] = []
    for town, k in zip(county.towns, counts, strict=True):
        # k teams on a circle round the town centre, neighbours TOWN_OFFSET_KM apart
        radius = 0.0 if k <= 1 else TOWN_OFFSET_KM / (2 * math.sin(math.pi / k))
        for j in range(k):
            lat, lon = _offset(town.lat, town.lon, radius, 2 * math.pi * j / k)
            team_id = slug(town.name) if k == 1 else f"{slug(town.name)}-{j + 1:0{len(str(k))}d}"
            places.append((team_id, town, round(lat, 5), round(lon, 5)))
    places.sort(key=lambda p: p[0])
    sizes = shares(children, len(places), rng)
    return [TeamPlace(tid, town, lat, lon, n, seed * 1000 + i + 1)
            for i, ((tid, town, lat, lon), n) in enumerate(zip(places, sizes, strict=True))]


def spread(team: Team, centre: tuple[float, float], factor: float) -> Team:
    """The team's nearby households moved `factor` times further from the office (same bearing);
    households further out (placements out of the area) stay where they are."""
    from ..travel import haversine_km

    def move(lat: float, lon: float) -> tuple[float, float]:
        if haversine_km(centre, (lat, lon)) > NEAR_KM:
            return lat, lon
        new_lat = min(max(centre[0] + (lat - centre[0]) * factor, UK_LAT[0]), UK_LAT[1])
        new_lon = min(max(centre[1] + (lon - centre[1]) * factor, UK_LON[0]), UK_LON[1])
        return round(new_lat, 5), round(new_lon, 5)

    children = tuple(replace(c, lat=moved[0], lon=moved[1]) for c in team.children
                     for moved in [move(c.lat, c.lon)])
    return replace(team, children=children)


def build_team(place: TeamPlace, workers: int, start: date) -> Team:
    from ..demo import generate_team

    team = generate_team(workers, place.children, place.seed, start, region_centre=(place.lat, place.lon))
    return spread(team, (place.lat, place.lon), RURAL_SPREAD) if place.town.rural else team


TEAMS_FILE = "teams.csv"
TEAMS_COLUMNS = ["team_id", "town", "area", "base_lat", "base_lon", "workers", "children", "seed"]


def generate_authority(outdir: Path, n_teams: int, workers_per_team: int, children: int, seed: int,
                       start: date, county: str = "devon") -> list[TeamPlace]:
    """Write one team folder per team into outdir (which must not exist or be empty), and
    teams.csv listing them. Written aside and moved into place, so a failure leaves nothing."""
    from ..demo import write_team
    from ..loading import load_team_with_warnings

    if workers_per_team < 1:
        raise ValueError("each team needs at least one worker")
    outdir = Path(outdir)
    if outdir.exists() and (not outdir.is_dir() or any(outdir.iterdir())):
        raise FileExistsError(f"{outdir} exists and is not empty; expected a new folder for the authority")
    places = layout(COUNTIES[county], n_teams, children, seed)
    staging = new_folder_beside(outdir, f".{outdir.name}.generating-")  # (not private: a team's folder)
    try:
        for place in places:
            folder = staging / place.team_id
            write_team(build_team(place, workers_per_team, start), folder)
            load_team_with_warnings(folder, start)  # what we wrote must read back (raises if not)
        with open(staging / TEAMS_FILE, "w", encoding="utf-8", newline="") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(TEAMS_COLUMNS)
            for p in places:
                out.writerow([p.team_id, p.town.name, "rural" if p.town.rural else "town", p.lat, p.lon,
                              workers_per_team, p.children, p.seed])
        if outdir.exists():
            outdir.rmdir()  # empty, checked above
        staging.rename(outdir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return places
