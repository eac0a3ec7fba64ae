"""Checks every shipped standards file (constraints/*.yaml), whichever authorities exist.

- each file loads and its key matches its file name;
- every quoted citation and its section heading appear verbatim in its seed document (only
  whitespace is ignored: line breaks and table tabs);
- no YAML key is given twice (a repeated key would silently drop the first);
- every status a status-start rule applies to says what its status start means;
- no child is left without a visit rule (issue 8): every combination of placement type (or none),
  long-term flag, agreed reduction, CP category (or none) and age gets at least one;
- rule ids are unique and prefixed with the key;
- every child status has a visit rule or is declared silent; cp, cin, cic have visit rules;
- a sixth authority is just another YAML file (no code change);
- golden snapshot of the due dates for a fixed set of synthetic children
  (`python scripts/update_snapshots.py` rewrites tests/standards/snapshots/<key>.json).
"""
from __future__ import annotations

import itertools
import json
import os
import re
import textwrap
from datetime import date
from pathlib import Path

import pytest
import yaml

from scheduler.domain import CP_CATEGORIES, PLACEMENT_TYPES, STATUSES, Child, Meeting, Team, Visit
from scheduler.requirements import cadence_rules, child_dues, next_due, strictest
from scheduler.standards import REQUIREMENTS, STANDARDS_DIR, Citation, Standard, available_standards, load_standard
from tests.standards.helpers import CAL, SEEDS, D

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
KEYS = available_standards()


def _normalise(text: str) -> str:
    """Collapse whitespace (table tabs and line breaks); nothing else is ignored (issue 8 item 10)."""
    return re.sub(r"\s+", " ", text).strip()


def _citations(std: Standard) -> list[tuple[str, Citation]]:
    out = []
    for rule in std.rules:
        out += [(rule.id, c) for c in (rule.citation, *rule.also)]
    out += [(f"not_modelled: {n.what}", n.citation) for n in std.not_modelled]
    return out


@pytest.fixture(params=KEYS)
def std(request: pytest.FixtureRequest) -> Standard:
    return load_standard(request.param)


def test_some_standards_are_shipped():
    assert KEYS, "no constraints/*.yaml found"


@pytest.mark.parametrize("key", KEYS)
def test_file_loads_and_key_matches_file_name(key: str):
    std = load_standard(key)
    assert std.key == key
    assert std.rules


def test_every_citation_quote_is_verbatim_in_its_seed(std: Standard):
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents folder {SEEDS} is absent: cannot check quotes")
    seeds: dict[str, str] = {}
    missing = []
    for where, cit in _citations(std):
        name = cit.file or std.source.file
        if name not in seeds:
            path = SEEDS / name
            assert path.is_file(), f"{std.key}: seed file {name} not found in {SEEDS}"
            seeds[name] = _normalise(path.read_text(encoding="utf-8"))
        quote = _normalise(cit.quote)
        if not quote or quote not in seeds[name]:
            missing.append(f"{where}: {cit.quote!r}")
        if _normalise(cit.section) not in seeds[name]:
            missing.append(f"{where}: section {cit.section!r}")
    assert not missing, f"{std.key}: quotes not found verbatim in the seed:\n" + "\n".join(missing)


@pytest.mark.parametrize("key", KEYS)
def test_no_yaml_key_is_given_twice(key: str):
    class Strict(yaml.SafeLoader):
        pass

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
        keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        assert not repeated, f"{key}.yaml line {node.start_mark.line + 1}: key(s) given twice: {repeated}"
        return yaml.SafeLoader.construct_mapping(loader, node, deep)

    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    yaml.load((STANDARDS_DIR / f"{key}.yaml").read_text(encoding="utf-8"), Loader=Strict)


def test_every_status_with_a_status_start_clock_says_what_its_status_start_means(std: Standard):
    counted = {s for r in std.rules if not r.on_every_visit
               and {"status_start", "placement_start"} & set(r.triggers)
               for s in (r.applies_to.status or STATUSES)}
    assert counted <= set(std.status_start), f"{std.key}: no status_start meaning for {counted - set(std.status_start)}"


def _visit_rules(std: Standard, child: Child, on: date) -> list[str]:
    return [r.id for r in cadence_rules(std, child, on) if r.requirement == "visit"]


@pytest.mark.parametrize("placement", [*PLACEMENT_TYPES, None])
def test_no_child_in_care_is_left_without_a_visit_rule(std: Standard, placement: str | None):
    if not any(r.requirement == "visit" and "cic" in r.applies_to.status for r in std.rules):
        pytest.skip(f"{std.key} has no looked-after visit rule")
    on = date(2026, 12, 1)
    for long_term, agreed, born in itertools.product((False, True), (False, True),
                                                    (date(2026, 6, 1), date(2016, 6, 1), date(2009, 6, 1))):
        child = Child("X", "cic", date(2026, 1, 5), 51.5, -1.8, date_of_birth=born, placement_type=placement,
                      placement_start_date=date(2026, 1, 5) if placement else None,
                      placement_long_term=long_term, visit_reduction_agreed=agreed)
        assert _visit_rules(std, child, on), (std.key, placement, long_term, agreed, born)


@pytest.mark.parametrize("category", [*CP_CATEGORIES, None])
def test_no_child_on_a_plan_is_left_without_a_visit_rule(std: Standard, category: str | None):
    on = date(2026, 12, 1)
    for born in (None, date(2026, 6, 1), date(2012, 6, 1)):
        child = Child("X", "cp", date(2026, 11, 2), 51.5, -1.8, date_of_birth=born, cp_category=category)
        assert _visit_rules(std, child, on), (std.key, category, born)


def test_rule_ids_unique_and_prefixed_with_key(std: Standard):
    ids = [r.id for r in std.rules]
    assert len(ids) == len(set(ids)), f"duplicate ids in {std.key}"
    bad = [i for i in ids if not i.startswith(f"{std.key}.")]
    assert not bad, f"{std.key}: ids not prefixed with '{std.key}.': {bad}"


def _has_visit_rule(std: Standard, status: str) -> bool:
    return any(r.requirement == "visit" and (not r.applies_to.status or status in r.applies_to.status)
               for r in std.rules)


def _declared_silent_on_visits(std: Standard, status: str) -> bool:
    # a silent entry for visits, or a catch-all entry (requirement not a single requirement, e.g. "all")
    return any(status in s.status and (s.requirement == "visit" or s.requirement not in REQUIREMENTS)
               for s in std.silent)


def test_every_status_has_a_visit_rule_or_is_declared_silent(std: Standard):
    uncovered = [s for s in STATUSES if not _has_visit_rule(std, s) and not _declared_silent_on_visits(std, s)]
    assert not uncovered, f"{std.key}: statuses with neither a visit rule nor a silent entry: {uncovered}"


@pytest.mark.parametrize("status", ["cp", "cin", "cic"])
def test_core_statuses_have_visit_rules(std: Standard, status: str):
    assert _has_visit_rule(std, status), f"{std.key}: no visit rule for {status}"


def test_a_sixth_authority_needs_no_code_change(tmp_path: Path):
    path = tmp_path / "elsewhere.yaml"
    path.write_text(textwrap.dedent("""\
        key: elsewhere
        authority: Elsewhere Council
        source: {file: none.txt, title: "Made-up standards"}
        rules:
          - id: elsewhere.cp.visit
            requirement: visit
            applies_to: {status: [cp]}
            trigger: status_start
            phases:
              - {label: first, interval: {working_days: 3}, until: {occurrences: 1}}
              - {label: then, interval: {weeks: 2}}
            citation: {section: "Visits", quote: "every two weeks"}
        silent:
          - {requirement: visit, status: [cin], note: "not covered"}
        """), encoding="utf-8")
    std = load_standard(path)
    assert std.key == "elsewhere"
    rule = std.rules[0]
    child = Child("X1", "cp", date(2026, 12, 23), 0.0, 0.0, date_of_birth=date(2020, 1, 1))
    # 3 WD after Wed 23 Dec 2026: Thu 24, (25, 28 bank holidays), Tue 29, Wed 30 -> Wed 30 Dec 2026
    assert next_due(child, rule, [], CAL)[0] == date(2026, 12, 30)
    # after a visit Tue 29 Dec 2026: + 14 calendar days -> Tue 12 Jan 2027
    assert next_due(child, rule, [date(2026, 12, 29)], CAL)[0] == date(2027, 1, 12)


# ------------------------------------------------------------------ golden snapshots

ON = date(2026, 12, 1)


def _kid(cid: str, status: str, start: str, **kw: object) -> Child:
    kw.setdefault("date_of_birth", date(2014, 5, 5))
    return Child(cid, status, D(start), 51.5, -1.8, **kw)


# One child per status / placement type, with a fixed history (all before ON).
SNAPSHOT_CHILDREN = (
    _kid("EH1", "early_help", "2026-10-05"),
    _kid("CIN1", "cin", "2026-09-01", assessment_completed_date=D("2026-10-13")),
    _kid("S471", "s47", "2026-11-25", date_of_birth=date(2019, 2, 2)),
    _kid("CP1", "cp", "2026-09-14", cp_category="neglect", first_review_date=D("2026-12-07")),
    _kid("CP2", "cp", "2026-11-02", cp_category="physical", date_of_birth=None),
    _kid("CIC1", "cic", "2026-06-01", placement_type="foster", placement_start_date=D("2026-06-01"),
         first_review_date=D("2026-06-26")),
    _kid("CIC2", "cic", "2023-03-01", placement_type="foster", placement_start_date=D("2024-02-05"),
         placement_long_term=True, first_review_date=D("2023-03-28")),
    _kid("CIC3", "cic", "2026-11-20", placement_type="residential", placement_start_date=D("2026-11-20")),
    _kid("CIC4", "cic", "2026-10-01", placement_type="connected_person", placement_start_date=D("2026-10-01"),
         first_review_date=D("2026-10-28")),
    _kid("CIC5", "cic", "2026-11-09", placement_type="parent_ico", placement_start_date=D("2026-11-09")),
    _kid("CIC6", "cic", "2025-04-01", placement_type="parent_care_order", placement_start_date=D("2026-08-03"),
         first_review_date=D("2025-04-28")),
    _kid("CIC7", "cic", "2025-09-01", placement_type="adoption", placement_start_date=D("2026-10-12"),
         first_review_date=D("2025-09-26")),
    _kid("CIC8", "cic", "2026-03-02", placement_type="other_setting", placement_start_date=D("2026-07-06"),
         first_review_date=D("2026-03-27"), date_of_birth=date(2009, 4, 4)),
    _kid("CIC9", "cic", "2026-05-04", placement_type="short_breaks", placement_start_date=D("2026-05-04"),
         first_review_date=D("2026-05-29")),
    _kid("CL1", "care_leaver", "2026-03-10", date_of_birth=date(2008, 3, 1)),
    _kid("PF1", "private_fostering", "2026-10-19", date_of_birth=date(2011, 7, 7)),
    # issue 8: a CIN child with no assessment date (stepped down from a plan)
    _kid("CIN2", "cin", "2026-10-05"),
    # issue 8: looked after, no placement type recorded, history from 1 Oct 2026 only
    _kid("CIC10", "cic", "2025-01-06"),
    # issue 8: long-term foster placement whose reduced visiting has been agreed
    _kid("CIC11", "cic", "2023-03-01", placement_type="foster", placement_start_date=D("2024-02-05"),
         placement_long_term=True, visit_reduction_agreed=True, first_review_date=D("2023-03-28")),
    # issue 8: placed for adoption Mon 2 Nov 2026 after a first review in 2025
    _kid("CIC12", "cic", "2025-06-01", placement_type="adoption", placement_start_date=D("2026-11-02"),
         first_review_date=D("2025-06-25")),
    # issue 8: CP plan under 'multiple' categories, and one with no category recorded
    _kid("CP3", "cp", "2026-11-02", cp_category="multiple"),
    _kid("CP4", "cp", "2026-11-02"),
)
_V = [  # (child, date, seen_alone, bedroom_seen)
    ("EH1", "2026-10-20", True, False), ("CIN1", "2026-09-04", True, False), ("CIN1", "2026-10-01", False, False),
    ("CIN1", "2026-10-29", True, False), ("CP1", "2026-11-16", True, True), ("CP1", "2026-11-27", False, True),
    ("CP2", "2026-11-10", False, False), ("CIC1", "2026-06-04", True, False), ("CIC1", "2026-10-20", True, True),
    ("CIC2", "2026-09-10", True, False), ("CIC4", "2026-10-27", False, False), ("CIC4", "2026-11-24", True, False),
    ("CIC5", "2026-11-13", False, False), ("CIC6", "2026-10-15", True, False), ("CIC7", "2026-11-11", True, True),
    ("CIC8", "2026-11-02", True, False), ("CIC9", "2026-10-30", False, True), ("CL1", "2026-11-05", True, False),
    ("PF1", "2026-10-26", True, True), ("CIC10", "2026-10-01", True, False), ("CIC11", "2026-09-10", True, False),
    ("CIC12", "2026-11-02", True, False), ("CIC12", "2026-11-09", True, False), ("CP3", "2026-11-04", True, True),
    ("CP4", "2026-11-04", True, False),
]
_M = [  # (child, meeting type, date, status)
    ("CIN1", "cin_review", "2026-10-22", "held"), ("CIN1", "supervision", "2026-09-15", "held"),
    ("CP1", "core_group", "2026-09-24", "held"), ("CP1", "core_group", "2026-10-22", "held"),
    ("CP1", "core_group", "2026-11-19", "held"), ("CP1", "supervision", "2026-11-02", "held"),
    ("CP1", "rcpc", "2026-12-07", "booked"), ("CIC1", "cic_review", "2026-06-26", "held"),
    ("CIC1", "cic_review", "2026-09-25", "held"), ("CIC1", "pep", "2026-06-15", "held"),
    ("CIC2", "cic_review", "2023-03-28", "held"), ("CIC2", "cic_review", "2023-06-27", "held"),
    ("CIC2", "cic_review", "2026-08-20", "held"), ("CIC2", "pep", "2026-04-14", "held"),
    ("CIC8", "pathway_review", "2026-09-01", "held"), ("CL1", "pathway_review", "2026-08-01", "held"),
    ("PF1", "supervision", "2026-11-30", "held"), ("CIC11", "cic_review", "2026-08-20", "held"),
    ("CIC12", "cic_review", "2026-11-20", "held"),
]
SNAPSHOT_TEAM = Team(
    workers=(), children=SNAPSHOT_CHILDREN,
    visits=tuple(Visit(c, D(d), "W1", sa, bed) for c, d, sa, bed in _V),
    meetings=tuple(Meeting(c, t, D(d), s) for c, t, d, s in _M),
)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _snapshot(std: Standard) -> dict[str, dict[str, dict[str, str | None]]]:
    out: dict[str, dict[str, dict[str, str | None]]] = {}
    for child in SNAPSHOT_CHILDREN:
        rows = strictest(child_dues(SNAPSHOT_TEAM, child, std, CAL, ON))
        out[child.child_id] = {
            d.requirement: {"due_by": _iso(d.due_by), "last_done": _iso(d.last_done), "rule": d.rule.id}
            for d in sorted(rows, key=lambda d: d.requirement)
        }
    return out


def test_golden_snapshot_of_due_dates(std: Standard):
    path = SNAPSHOTS / f"{std.key}.json"
    actual = _snapshot(std)
    if os.environ.get("UPDATE_SNAPSHOTS") == "1" or not path.exists():
        created = not path.exists()
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(json.dumps(actual, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        pytest.skip(f"snapshot {'created' if created else 'updated'}, review it: {path}")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert actual == expected, (
        f"{std.key}: due dates on {ON} changed; if intended, run "
        f"`python scripts/update_snapshots.py {std.key}` and review {path}"
    )
