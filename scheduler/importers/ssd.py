"""Standard Safeguarding Dataset (SSD) extract -> team folder.

`read_ssd(folder, on, ...)` reads CSV extracts of the SSD tables (file name = table name, e.g.
`ssd_person.csv`; header = the SSD field names of data-to-insight/ssd-data-model; dates
dd/mm/yyyy or ISO, with or without a time; postcodes with or without the space) and returns the
rows of a team folder (inputs/README.md) plus an import report. `write_team_folder` writes them.

What is read, and how (every code mapping is a table in `ssd_codes`):
- children: every person with an episode open on the reference date `on` (start <= on, and no
  end or an end after on). Status = the most protective open episode: looked after
  (ssd_cla_episodes) > child protection plan (ssd_cp_plans) > S47 enquiry (ssd_s47_enquiry) >
  private fostering (ssd_legal_status) > CIN episode (ssd_cin_episodes) > care leaver
  (ssd_care_leavers) > early help (ssd_early_help_episodes). Two open episodes of one kind for
  one child is an error. Ids are kept: child_id = pers_person_id.
- where a child lives: the current address (ssd_address) - for a looked-after child the current
  placement's postcode (ssd_cla_placement) - located by the postcode lookup
  (scheduler.postcodes). A household is the children at the same address (same UPRN, or the same
  address text and postcode), never merely the same postcode.
- the allocated worker: the open involvement (ssd_involvements) whose role is an allocated
  case-worker role (never a reviewing officer or conference chair); for care leavers and early
  help, failing that, the episode's own allocated worker id.
- workers: the professionals (ssd_professionals) holding an open allocated or team involvement
  with an imported child (and, with a team, those whose department is the team); worker_id =
  prof_professional_id; role from the job title, qualified from the Social Work England
  registration number, fte from prof_full_time_equivalency. The SSD holds no worker location:
  every worker's base is the team's office postcode, unless the extract carries our extension
  column prof_base_postcode.
- visits (ssd_cin_visits, ssd_cp_visits, ssd_cla_visits; a care leaver's latest contact): only
  visits where the child was seen; seen alone / bedroom seen as recorded, blank = no. The SSD does
  not say who visited: the visit is given to the worker allocated on that day.
- meetings: strategy discussions (S47 start), initial and review child protection conferences,
  looked-after reviews and the latest pathway plan review, held or booked (a review with a due
  date and no date held is booked on its due date).

Privacy: names, addresses, postcodes and dates of birth are written only into the team folder's
personal columns; messages give the file, row and field, never their values.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from ..calendar import add_months
from ..inputs.problems import Warned
from ..loading import Bad, InputErrors, Problem, load_team_with_warnings, parse_date
from ..outputs.atomic import new_folder_beside
from ..postcodes import PostcodeLookup, default_lookup, explain_unknown, normalise
from . import ssd_codes as codes
from .ssd_codes import UnknownCode

T = TypeVar("T")

# ---------------------------------------------------------------- the tables read

# (required fields, optional fields) per table, as named in the SSD specification. A missing
# table or required field is an error; optional fields may be absent from an extract.
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ssd_person": (("pers_person_id", "pers_dob"),
                   ("pers_forename", "pers_surname", "pers_expected_dob", "pers_death_date")),
    "ssd_address": (("addr_person_id", "addr_address_postcode", "addr_address_start_date",
                     "addr_address_end_date"), ("addr_address_json", "addr_address_type", "addr_table_id")),
    "ssd_professionals": (("prof_professional_id", "prof_professional_job_title",
                           "prof_social_worker_registration_no"),
                          ("prof_professional_name", "prof_full_time_equivalency", "prof_professional_department",
                           "prof_base_postcode")),  # prof_base_postcode: our extension, not in the SSD
    "ssd_involvements": (("invo_professional_id", "invo_professional_role_id", "invo_person_id",
                          "invo_involvement_start_date", "invo_involvement_end_date"), ("invo_professional_team",)),
    "ssd_cin_episodes": (("cine_referral_id", "cine_person_id", "cine_referral_date", "cine_close_date"),
                         ("cine_referral_team",)),
    "ssd_cin_assessments": (("cina_person_id", "cina_assessment_auth_date"), ("cina_referral_id",)),
    "ssd_s47_enquiry": (("s47e_person_id", "s47e_s47_start_date", "s47e_s47_end_date"),
                        ("s47e_s47_completed_by_team",)),
    "ssd_initial_cp_conference": (("icpc_person_id", "icpc_icpc_date"), ("icpc_icpc_id", "icpc_cp_plan_id")),
    "ssd_cp_plans": (("cppl_cp_plan_id", "cppl_person_id", "cppl_cp_plan_start_date", "cppl_cp_plan_end_date",
                      "cppl_cp_plan_latest_category"), ("cppl_cp_plan_initial_category", "cppl_icpc_id")),
    "ssd_cp_reviews": (("cppr_person_id", "cppr_cp_review_date", "cppr_cp_review_due"), ("cppr_cp_plan_id",)),
    "ssd_cla_episodes": (("clae_person_id", "clae_cla_episode_start_date", "clae_cla_episode_ceased_date"),
                         ("clae_cla_id", "clae_entered_care_date")),
    "ssd_legal_status": (("lega_person_id", "lega_legal_status", "lega_legal_status_start_date",
                          "lega_legal_status_end_date"), ()),
    "ssd_cla_placement": (("clap_person_id", "clap_cla_placement_start_date", "clap_cla_placement_end_date",
                           "clap_cla_placement_type", "clap_cla_placement_postcode"), ("clap_cla_id",)),
    "ssd_cla_reviews": (("clar_cla_id", "clar_cla_review_date", "clar_cla_review_due_date"),
                        ("clar_cla_review_cancelled",)),
    "ssd_care_leavers": (("clea_person_id", "clea_care_leaver_eligibility"),
                         ("clea_care_leaver_latest_contact", "clea_pathway_plan_review_date",
                          "clea_care_leaver_worker_id", "clea_care_leaver_allocated_team")),
    "ssd_early_help_episodes": (("earl_person_id", "earl_episode_start_date", "earl_episode_end_date"),
                                ("earl_episode_worker_id", "earl_episode_organisation")),
    "ssd_cin_visits": (("cinv_person_id", "cinv_cin_visit_date", "cinv_cin_visit_seen", "cinv_cin_visit_seen_alone",
                        "cinv_cin_visit_bedroom"), ()),
    "ssd_cp_visits": (("cppv_person_id", "cppv_cp_visit_date", "cppv_cp_visit_seen", "cppv_cp_visit_seen_alone",
                       "cppv_cp_visit_bedroom"), ()),
    "ssd_cla_visits": (("clav_person_id", "clav_cla_visit_date", "clav_cla_visit_seen",
                        "clav_cla_visit_seen_alone"), ()),
}
OPTIONAL_TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ssd_department": (("dept_team_id", "dept_team_name"), ()),  # to match --team by name as well as id
    "ssd_cin_plans": (("cinp_person_id", "cinp_cin_plan_start_date", "cinp_cin_plan_end_date"),
                      ("cinp_cin_plan_team",)),  # the team of an unallocated CIN child
}
# fields whose values are personal: never quoted in a message
PRIVATE_FIELDS = frozenset({"pers_forename", "pers_surname", "pers_dob", "pers_expected_dob", "pers_death_date",
                            "addr_address_json", "addr_address_postcode", "clap_cla_placement_postcode"})

# the team folder written (columns of inputs/README.md, plus postcode / base_postcode)
WORKER_COLUMNS = ("worker_id", "name", "role", "base_lat", "base_lon", "base_postcode", "qualified",
                  "working_days", "day_start", "day_end", "max_visits_per_day", "fte", "newly_qualified")
CHILD_COLUMNS = ("child_id", "status", "status_start_date", "lat", "lon", "postcode", "household_id",
                 "allocated_worker_id", "allocated_since", "date_of_birth", "placement_type",
                 "placement_start_date", "placement_long_term", "first_review_date", "assessment_completed_date",
                 "cp_category", "seen_alone_exempt", "name", "address")
VISIT_COLUMNS = ("child_id", "date", "worker_id", "seen_alone", "bedroom_seen")
MEETING_COLUMNS = ("child_id", "meeting_type", "date", "status")
DEFAULT_PATTERN = {"working_days": "Mon Tue Wed Thu Fri", "day_start": "09:00", "day_end": "17:00",
                   "max_visits_per_day": "4"}
REPORT_FILE = "import_report.txt"

NOT_IN_SSD = (
    "The SSD does not hold these; add them before planning:",
    "- workers.csv: working_days, day_start, day_end and max_visits_per_day are the defaults "
    "(Mon-Fri, 09:00-17:00, 4 visits a day): change them for part-time workers and other hours;",
    "- absences.csv (leave, sickness, training, court): not written; add it if anyone will be away;",
    "- children.csv: seen_alone_exempt (reasons a child need not be seen alone) is blank;",
    "- meetings.csv: core groups, CIN reviews, PEPs and case supervision are not in the SSD; add the held "
    "and booked ones, or `rota due` will count them as never held;",
    "- visits.csv: the SSD does not say who visited (each visit is given to the worker allocated that day), "
    "has no bedroom flag for looked-after children's visits (taken as not seen), and no early help visits.",
)


# ---------------------------------------------------------------- reading

@dataclass
class Row:
    table: str
    file: str
    number: int  # spreadsheet row: the header is row 1
    cells: dict[str, str]

    def text(self, name: str) -> str:
        return self.cells.get(name, "").strip()


@dataclass
class Problems:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, row: Row | None, name: str | None, message: str, file: str | None = None) -> None:
        self.errors.append(Problem(file or (row.file if row else ""), row.number if row else None, name, message))

    def warn(self, row: Row | None, name: str | None, message: str, file: str | None = None) -> None:
        self.warnings.append(Problem(file or (row.file if row else ""), row.number if row else None, name, message))

    def shown(self, row: Row, name: str) -> str:
        return "the value" if name in PRIVATE_FIELDS else repr(row.text(name))

    def date(self, row: Row, name: str) -> date | None:
        """The field as a date; None when blank or unreadable (an error is recorded)."""
        text = row.text(name)
        if not text:
            return None
        # SQL Server exports add a time: 2026-11-30 00:00:00.000, 30/11/2026 00:00
        m = re.fullmatch(r"(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4})"
                         r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", text)
        try:
            if not m:
                raise Bad("is not a date", "expected a date as dd/mm/yyyy (30/11/2026) or yyyy-mm-dd (2026-11-30)")
            day = parse_date(m.group(1))
            if isinstance(day, Warned):
                assert isinstance(day.value, date)  # a warned date is still a date
                return day.value
            return day
        except Bad as e:
            self.error(row, name, f"{self.shown(row, name)} {e.what}; {e.expected}")
            return None

    def code(self, row: Row, name: str, convert: Callable[[str], T]) -> T | None:
        """The field through a mapping table; None when blank or unmapped (an error is recorded)."""
        text = row.text(name)
        if not text:
            return None
        try:
            return convert(text)
        except UnknownCode as e:
            self.error(row, name, f"{text!r} {e.what}; {e.expected}")
            return None


def _read_csv(path: Path, table: str, problems: Problems) -> list[Row] | None:
    file = path.name
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        problems.error(None, None, f"file is not UTF-8 encoded (byte {e.start}); expected a UTF-8 CSV extract",
                       file=file)
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        problems.error(None, None, f"file is empty; expected a header row of {table} field names", file=file)
        return None
    names = [h.strip().lower() for h in header]
    rows = []
    for i, values in enumerate(reader):
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(names):
            problems.error(None, None, "row has more cells than the header; expected one cell per field",
                           file=f"{file}:{i + 2}")
            continue
        rows.append(Row(table, file, i + 2, dict(zip(names, values, strict=False))))
    required, optional = TABLES.get(table) or OPTIONAL_TABLES[table]
    for name in required:
        if name not in names:
            problems.error(None, name, f"missing field; expected the SSD field {name} in the header row", file=file)
    for name in optional:  # absent optional fields read as blank
        if name not in names:
            for r in rows:
                r.cells[name] = ""
    return rows


def read_tables(folder: Path, problems: Problems) -> dict[str, list[Row]]:
    """Every table the import needs, by name; missing tables and fields are errors."""
    found = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    tables: dict[str, list[Row]] = {}
    for table in (*TABLES, *OPTIONAL_TABLES):
        path = found.get(f"{table}.csv")
        if path is None:
            if table in TABLES:
                problems.error(None, None, f"missing table; expected {table}.csv (a CSV extract of the SSD table "
                               f"{table}, header = its field names) in the extract folder", file=f"{table}.csv")
            tables[table] = []
            continue
        rows = _read_csv(path, table, problems)
        tables[table] = rows or []
    return tables


# ---------------------------------------------------------------- episodes open on a date

@dataclass(frozen=True)
class Spell:
    row: Row
    start: date
    end: date | None  # None: still open

    def open_on(self, day: date) -> bool:
        # an episode that ended on `day` is closed: SSDA903 starts the next one the same day
        return self.start <= day and (self.end is None or self.end > day)

    def covers(self, day: date) -> bool:  # for "who was allocated on the day of a visit"
        return self.start <= day and (self.end is None or self.end >= day)


def _spells(rows: Iterable[Row], person: str, start: str, end: str, problems: Problems) -> dict[str, list[Spell]]:
    out: dict[str, list[Spell]] = defaultdict(list)
    for r in rows:
        pid = r.text(person)
        if not pid:
            problems.error(r, person, "is blank; expected the person's id (pers_person_id)")
            continue
        s, e = problems.date(r, start), problems.date(r, end)
        if s is None:
            if not r.text(start):
                problems.error(r, start, "is blank; a start date is required")
            continue
        if e is not None and e < s:
            problems.error(r, end, f"{e.isoformat()} is before {start} ({s.isoformat()}); expected an end on or "
                           "after the start")
            continue
        out[pid].append(Spell(r, s, e))
    return out


def _one_open(spells: list[Spell], on: date, what: str, problems: Problems) -> Spell | None:
    """The spell open on `on`; two open at once is an error naming both rows."""
    open_ = sorted((s for s in spells if s.open_on(on)), key=lambda s: s.row.number)
    for extra in open_[1:]:
        table = extra.row.table
        problems.error(extra.row, _START_FIELD[table],
                       f"a second {what} open on {on.isoformat()} for person {extra.row.text(_PERSON_FIELD[table])!r} "
                       f"(the other is on row {open_[0].row.number}); expected at most one open at a time: close "
                       "the earlier one with its end date")
    return open_[0] if open_ else None


_PERSON_FIELD = {"ssd_cla_episodes": "clae_person_id", "ssd_cp_plans": "cppl_person_id",
                 "ssd_s47_enquiry": "s47e_person_id", "ssd_cin_episodes": "cine_person_id",
                 "ssd_early_help_episodes": "earl_person_id", "ssd_cla_placement": "clap_person_id",
                 "ssd_legal_status": "lega_person_id", "ssd_address": "addr_person_id",
                 "ssd_care_leavers": "clea_person_id"}
_START_FIELD = {"ssd_cla_episodes": "clae_cla_episode_start_date", "ssd_cp_plans": "cppl_cp_plan_start_date",
                "ssd_s47_enquiry": "s47e_s47_start_date", "ssd_cin_episodes": "cine_referral_date",
                "ssd_early_help_episodes": "earl_episode_start_date",
                "ssd_cla_placement": "clap_cla_placement_start_date",
                "ssd_legal_status": "lega_legal_status_start_date", "ssd_address": "addr_address_start_date",
                "ssd_care_leavers": "clea_person_id"}


# ---------------------------------------------------------------- the result

@dataclass
class ImportResult:
    workers: list[dict[str, str]]
    children: list[dict[str, str]]
    visits: list[dict[str, str]]
    meetings: list[dict[str, str]]
    report: list[str]  # counts and what the SSD cannot provide: no personal details
    warnings: list[Problem]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _address_identity(row: Row, postcode: str) -> tuple[str, ...]:
    """Two rows are the same address when they share a UPRN, or the same address text at the same
    postcode. addr_address_json is JSON in SSD extracts; text that is not JSON is compared as it is."""
    text = row.text("addr_address_json")
    try:
        parts = json.loads(text) if text else {}
    except json.JSONDecodeError:
        parts = None
    if isinstance(parts, dict):
        fields = {str(k).upper(): str(v).strip() for k, v in parts.items() if v is not None}
        if fields.get("UPRN"):
            return ("uprn", fields["UPRN"])
        words = [codes.key(fields.get(k, "")) for k in ("ROOM", "FLOOR", "FLAT", "BUILDING", "HOUSE", "STREET")]
        return ("text", *words, postcode)
    return ("raw", codes.key(text), postcode)


def _address_text(row: Row) -> str:
    """The address for a worker's own documents ("Flat 2, 14 Mill Lane, Swindon")."""
    text = row.text("addr_address_json")
    try:
        parts = json.loads(text) if text else {}
    except json.JSONDecodeError:
        return text
    if not isinstance(parts, dict):
        return text
    p = {str(k).upper(): str(v).strip() for k, v in parts.items() if v is not None}
    street = " ".join(x for x in (p.get("HOUSE", ""), p.get("STREET", "")) if x)
    return ", ".join(x for x in (p.get("ROOM", ""), p.get("FLOOR", ""), p.get("FLAT", ""), p.get("BUILDING", ""),
                                 street, p.get("TOWN", "")) if x)


class _Import:
    """One import: the tables, the reference date, problems found so far."""

    def __init__(self, tables: dict[str, list[Row]], on: date, team: str | None, base_postcode: str | None,
                 lookup: PostcodeLookup, problems: Problems) -> None:
        self.t, self.on, self.team, self.base_postcode = tables, on, team, base_postcode
        self.lookup, self.p = lookup, problems
        self.notes: list[str] = []
        self.counts: dict[str, int] = defaultdict(int)

    # ---- team membership
    def team_keys(self) -> set[str]:
        assert self.team is not None
        keys = {codes.key(self.team)}
        for r in self.t["ssd_department"]:
            if codes.key(r.text("dept_team_id")) in keys or codes.key(r.text("dept_team_name")) in keys:
                keys |= {codes.key(r.text("dept_team_id")), codes.key(r.text("dept_team_name"))}
        keys.discard("")
        return keys

    def in_team(self, value: str) -> bool:
        return self.team is None or codes.key(value) in self._team_keys

    # ---- the run
    def run(self) -> ImportResult:
        on, p = self.on, self.p
        self._team_keys = self.team_keys() if self.team else set()
        persons: dict[str, Row] = {}
        for r in self.t["ssd_person"]:
            pid = r.text("pers_person_id")
            if not pid:
                p.error(r, "pers_person_id", "is blank; expected the person's id")
            elif pid in persons:
                p.error(r, "pers_person_id", f"duplicate person id {pid!r} (already on row {persons[pid].number}); "
                        "expected each person once")
            else:
                persons[pid] = r

        self.cla = cla = _spells(self.t["ssd_cla_episodes"], "clae_person_id", "clae_cla_episode_start_date",
                                 "clae_cla_episode_ceased_date", p)
        cp = _spells(self.t["ssd_cp_plans"], "cppl_person_id", "cppl_cp_plan_start_date", "cppl_cp_plan_end_date", p)
        s47 = _spells(self.t["ssd_s47_enquiry"], "s47e_person_id", "s47e_s47_start_date", "s47e_s47_end_date", p)
        cin = _spells(self.t["ssd_cin_episodes"], "cine_person_id", "cine_referral_date", "cine_close_date", p)
        eh = _spells(self.t["ssd_early_help_episodes"], "earl_person_id", "earl_episode_start_date",
                     "earl_episode_end_date", p)
        legal = _spells(self.t["ssd_legal_status"], "lega_person_id", "lega_legal_status_start_date",
                        "lega_legal_status_end_date", p)
        placements = _spells(self.t["ssd_cla_placement"], "clap_person_id", "clap_cla_placement_start_date",
                             "clap_cla_placement_end_date", p)
        addresses = _spells(self.t["ssd_address"], "addr_person_id", "addr_address_start_date",
                            "addr_address_end_date", p)
        self.invo = _spells(self.t["ssd_involvements"], "invo_person_id", "invo_involvement_start_date",
                            "invo_involvement_end_date", p)
        leavers: dict[str, Row] = {}
        for r in self.t["ssd_care_leavers"]:
            pid = r.text("clea_person_id")
            if pid in leavers:
                p.error(r, "clea_person_id", f"a second care leaver record for person {pid!r} (the other is on row "
                        f"{leavers[pid].number}); expected one record per young person")
                continue
            eligible = p.code(r, "clea_care_leaver_eligibility", codes.CARE_LEAVER_ELIGIBILITY.get)
            if eligible:
                leavers[pid] = r
            elif not r.text("clea_care_leaver_eligibility"):
                p.error(r, "clea_care_leaver_eligibility", "is blank; expected the care leaver eligibility "
                        "(Relevant, Former Relevant, Eligible, Qualifying or No Current Eligibility)")

        # every code of every open legal status is checked, then private fostering is read from it
        legal_open: dict[str, list[tuple[Spell, codes.LegalStatus]]] = defaultdict(list)
        for pid, legal_spells in legal.items():
            for spell in legal_spells:
                legal_status = p.code(spell.row, "lega_legal_status", codes.LEGAL_STATUS_CODES.get)
                if legal_status is None and not spell.row.text("lega_legal_status"):
                    p.error(spell.row, "lega_legal_status", "is blank; expected an SSDA903 legal status code, "
                            "e.g. C2")
                if legal_status is not None and spell.open_on(on):
                    legal_open[pid].append((spell, legal_status))
            looked_after = [x for x in legal_open[pid] if x[1].looked_after]
            for extra, _ in looked_after[1:]:
                p.error(extra.row, "lega_legal_status_start_date",
                        f"a second looked-after legal status open on {on.isoformat()} for person {pid!r} (the other is "
                        f"on row {looked_after[0][0].row.number}); expected at most one open at a time: close the "
                        "earlier one with its end date")

        open_: dict[str, dict[str, Spell]] = defaultdict(dict)
        for kind, spells_by_person, what in (("cic", cla, "looked-after episode"), ("cp", cp, "child protection plan"),
                                             ("s47", s47, "S47 enquiry"), ("cin", cin, "CIN episode"),
                                             ("early_help", eh, "early help episode")):
            for pid, spells in spells_by_person.items():
                one = _one_open(spells, on, what, p)
                if one is not None:
                    open_[pid][kind] = one
        for pid, held_statuses in legal_open.items():
            pf = [spell for spell, ls in held_statuses if ls.private_fostering]
            if pf:
                open_[pid]["private_fostering"] = pf[0]

        statuses: dict[str, str] = {}
        candidates = sorted(set(open_) | set(leavers))
        for pid in candidates:
            kinds = set(open_[pid]) | ({"care_leaver"} if pid in leavers else set())
            status = next(k for k in codes.STATUS_PRIORITY if k in kinds)
            person = persons.get(pid)
            if person is None:
                row = open_[pid][status].row if status in open_[pid] else leavers[pid]
                p.error(row, _PERSON_FIELD.get(row.table, None), f"person {pid!r} is not in ssd_person; expected every "
                        "child with an open episode to be listed in ssd_person.csv")
                continue
            death = p.date(person, "pers_death_date")
            if death is not None and death <= on:
                self.counts["died"] += 1
                continue
            statuses[pid] = status

        # allocated worker (and with it the team the child belongs to)
        allocated: dict[str, tuple[str, Spell | None]] = {}
        for pid, status in statuses.items():
            choice = self.allocated_worker(pid, status, open_[pid], leavers.get(pid))
            if choice is not None:
                allocated[pid] = choice
        if self.team is not None:
            statuses = {pid: s for pid, s in statuses.items() if self.child_in_team(pid, allocated.get(pid), open_[pid],
                                                                                  leavers.get(pid))}
        professionals = self.professionals()
        workers = self.workers(statuses, allocated, professionals)
        children = []
        for pid in sorted(statuses):
            child = self.child(pid, statuses[pid], persons[pid], open_[pid], leavers.get(pid), allocated.get(pid),
                               workers, addresses.get(pid, []), placements.get(pid, []), legal_open.get(pid, []))
            if child is not None:
                children.append(child)
        self.households(children)
        visits = self.visits(children, workers, leavers)
        meetings = self.meetings(children, open_, leavers)
        if p.errors:
            raise InputErrors(p.errors, p.warnings)

        worker_rows = [w for _, w in sorted(workers.items())]
        child_rows = [{k: _cell(c.get(k)) for k in CHILD_COLUMNS} for c in children]
        return ImportResult(worker_rows, child_rows, visits, meetings, self.report(worker_rows, child_rows, visits,
                                                                                    meetings), p.warnings)

    # ---- allocation
    def allocated_worker(self, pid: str, status: str, open_: dict[str, Spell],
                         leaver: Row | None) -> tuple[str, Spell | None] | None:
        p, on = self.p, self.on
        held = []
        for s in self.invo.get(pid, []):
            role = p.code(s.row, "invo_professional_role_id", codes.INVOLVEMENT_ROLES.get)
            if role is None and not s.row.text("invo_professional_role_id"):
                p.error(s.row, "invo_professional_role_id", "is blank; expected the involvement role, e.g. "
                        "Allocated Case Worker")
            if role == codes.ALLOCATED and s.open_on(on):
                held.append(s)
        if held:
            latest = max(s.start for s in held)
            newest = sorted((s for s in held if s.start == latest), key=lambda s: s.row.number)
            workers = {s.row.text("invo_professional_id") for s in newest}
            if len(workers) > 1:
                p.error(newest[1].row, "invo_professional_id",
                        f"two allocated workers start on {latest.isoformat()} for person {pid!r} (the other is on row "
                        f"{newest[0].row.number}); expected one allocated case worker: end the other involvement")
            if len(held) > 1:
                self.counts["several allocated involvements"] += 1
            return newest[0].row.text("invo_professional_id"), newest[0]
        # the SSD's own allocated-worker ids for care leavers and early help
        if status == "care_leaver" and leaver is not None and leaver.text("clea_care_leaver_worker_id"):
            return leaver.text("clea_care_leaver_worker_id"), None
        if status == "early_help" and open_["early_help"].row.text("earl_episode_worker_id"):
            return open_["early_help"].row.text("earl_episode_worker_id"), None
        return None

    def child_in_team(self, pid: str, allocation: tuple[str, Spell | None] | None, open_: dict[str, Spell],
                      leaver: Row | None) -> bool:
        if allocation is not None and allocation[1] is not None and allocation[1].row.text("invo_professional_team"):
            return self.in_team(allocation[1].row.text("invo_professional_team"))
        # no team on the allocation: the team the open episodes name
        named = []
        if leaver is not None:
            named.append(leaver.text("clea_care_leaver_allocated_team"))
        if "early_help" in open_:
            named.append(open_["early_help"].row.text("earl_episode_organisation"))
        if "s47" in open_:
            named.append(open_["s47"].row.text("s47e_s47_completed_by_team"))
        if "cin" in open_:
            named.append(open_["cin"].row.text("cine_referral_team"))
        for r in self.t["ssd_cin_plans"]:
            s, e = self.p.date(r, "cinp_cin_plan_start_date"), self.p.date(r, "cinp_cin_plan_end_date")
            if r.text("cinp_person_id") == pid and s is not None and Spell(r, s, e).open_on(self.on):
                named.append(r.text("cinp_cin_plan_team"))
        if allocation is not None:  # the allocated worker's department
            for r in self.t["ssd_professionals"]:
                if r.text("prof_professional_id") == allocation[0]:
                    named.append(r.text("prof_professional_department"))
        return any(self.in_team(n) for n in named if n)

    # ---- workers
    def professionals(self) -> dict[str, Row]:
        out: dict[str, Row] = {}
        for r in self.t["ssd_professionals"]:
            wid = r.text("prof_professional_id")
            if not wid:
                self.p.error(r, "prof_professional_id", "is blank; expected the professional's id")
            elif wid in out:
                self.p.error(r, "prof_professional_id", f"duplicate professional id {wid!r} (already on row "
                             f"{out[wid].number}); expected each professional once")
            else:
                out[wid] = r
        return out

    def workers(self, statuses: dict[str, str], allocated: dict[str, tuple[str, Spell | None]],
                professionals: dict[str, Row]) -> dict[str, dict[str, str]]:
        p, on = self.p, self.on
        wanted: dict[str, Row | None] = {}  # worker id -> the row that brought them in
        for pid in statuses:
            if pid in allocated:
                wid, spell = allocated[pid]
                wanted.setdefault(wid, spell.row if spell else None)
            for s in self.invo.get(pid, []):
                try:
                    kind = codes.INVOLVEMENT_ROLES.get(s.row.text("invo_professional_role_id"))
                except UnknownCode:
                    continue  # already reported
                if kind == codes.TEAM and s.open_on(on) and self.in_team(s.row.text("invo_professional_team")):
                    wanted.setdefault(s.row.text("invo_professional_id"), s.row)
        if self.team is not None:
            for wid, prof in professionals.items():
                department = prof.text("prof_professional_department")
                if department and self.in_team(department):
                    wanted.setdefault(wid, None)
        base = self.base()
        out: dict[str, dict[str, str]] = {}
        for wid, via in sorted(wanted.items()):
            r = professionals.get(wid)
            if r is None:
                if via is not None:
                    p.error(via, "invo_professional_id", f"professional {wid!r} is not in ssd_professionals; "
                            "expected every allocated worker to be listed in ssd_professionals.csv")
                else:
                    p.error(None, "prof_professional_id", f"professional {wid!r} (an episode's allocated worker) "
                            "is not in ssd_professionals; expected every allocated worker to be listed there",
                            file="ssd_professionals.csv")
                continue
            title = r.text("prof_professional_job_title")
            role = p.code(r, "prof_professional_job_title", codes.job_title_role)
            if not title:
                p.error(r, "prof_professional_job_title", "is blank; expected the job title (e.g. Social Worker), "
                        "from which the worker's role is read")
            name = r.text("prof_professional_name")
            if not name:
                name = f"Worker {wid}"
                p.warn(r, "prof_professional_name", f"is blank; the worker is named {name!r}")
            qualified = codes.qualified(r.text("prof_social_worker_registration_no"))
            if role == "social_worker" and not qualified:
                p.warn(r, "prof_social_worker_registration_no", "has no Social Work England number (SW...): the "
                       "worker is imported as unqualified and will not be planned for CP, CIN or looked-after "
                       "children; expected the registration number of a qualified social worker")
            fte = self.fte(r)
            location = self.worker_base(r, base)
            if role is None or location is None or fte is None:
                continue
            out[wid] = {
                "worker_id": wid, "name": name, "role": role, "base_lat": _cell(location[0]),
                "base_lon": _cell(location[1]), "base_postcode": location[2], "qualified": _cell(qualified),
                **DEFAULT_PATTERN, "fte": _cell(fte), "newly_qualified": _cell(codes.newly_qualified(title)),
            }
        return out

    def fte(self, r: Row) -> float | None:
        text = r.text("prof_full_time_equivalency")
        if not text:
            return 1.0
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        if not 0 < value <= 1:
            self.p.error(r, "prof_full_time_equivalency", f"{text!r} is not a full-time equivalent; expected a "
                         "decimal above 0 and at most 1, e.g. 1 or 0.6")
            return None
        return value

    def base(self) -> tuple[float, float, str] | None:
        if self.base_postcode is None:
            return None
        pc = normalise(self.base_postcode)
        located = self.lookup.locate(pc) if pc else None
        if pc is None or located is None:
            what = ("the postcode is not a UK postcode" if pc is None else
                    "the postcode is not in the offline postcode list (Great Britain only)")
            self.p.error(None, None, f"{what}; expected the team office's postcode, e.g. SN1 2AB",
                         file="--base-postcode")
            return None
        return located[0], located[1], pc

    def worker_base(self, r: Row, base: tuple[float, float, str] | None) -> tuple[float, float, str] | None:
        own = r.text("prof_base_postcode")
        if own:
            pc = normalise(own)
            located = self.lookup.locate(pc) if pc else None
            if pc is None or located is None:
                self.p.error(r, "prof_base_postcode", explain_unknown(own))
                return None
            return located[0], located[1], pc
        if base is None and self.base_postcode is None:
            if not any(e.file == "--base-postcode" for e in self.p.errors):
                self.p.error(None, None, "is needed: the SSD holds no worker locations; expected --base-postcode "
                             "with the team office's postcode (every worker's day starts there; edit base_lat, "
                             "base_lon in workers.csv afterwards for anyone who starts elsewhere)",
                             file="--base-postcode")
            return None
        return base

    # ---- children
    def child(self, pid: str, status: str, person: Row, open_: dict[str, Spell], leaver: Row | None,
              allocation: tuple[str, Spell | None] | None, workers: dict[str, dict[str, str]],
              addresses: list[Spell], placements: list[Spell],
              legal: list[tuple[Spell, codes.LegalStatus]]) -> dict[str, Any] | None:
        p, on = self.p, self.on
        dob = p.date(person, "pers_dob")
        if dob is None and not person.text("pers_dob"):
            expected = p.date(person, "pers_expected_dob")
            if expected is None:
                p.error(person, "pers_dob", "is blank and so is pers_expected_dob; expected the date of birth, or the "
                        "expected date of birth of an unborn child")
            elif expected <= on:
                p.error(person, "pers_dob", "is blank but the expected date of birth has passed (on "
                        f"{on.isoformat()}); expected the date of birth now the child is born")
        elif dob is not None and dob > on:
            p.error(person, "pers_dob", f"is after the reference date {on.isoformat()}; expected a date of birth in "
                    "the past, or pers_expected_dob for an unborn child")
        name = " ".join(x for x in (person.text("pers_forename"), person.text("pers_surname")) if x)
        c: dict[str, Any] = {"child_id": pid, "status": status, "date_of_birth": dob, "name": name}
        c["status_start_date"] = self.status_start(pid, status, open_, dob, person)
        if allocation is not None and allocation[0] in workers:  # (a worker not written was reported there)
            c["allocated_worker_id"] = allocation[0]
            c["allocated_since"] = allocation[1].start if allocation[1] else None
        if status == "cic":
            self.placement(c, pid, placements, legal)
            c["first_review_date"] = self.first_cla_review(open_["cic"], c["status_start_date"])
        if status == "cp":
            plan = open_["cp"].row
            c["cp_category"] = p.code(plan, "cppl_cp_plan_latest_category", codes.cp_category) or \
                p.code(plan, "cppl_cp_plan_initial_category", codes.cp_category)
            c["first_review_date"] = self.first_cp_review(pid, open_["cp"])
        if status == "cin":
            c["assessment_completed_date"] = self.assessment(pid, open_["cin"])
        self.location(c, pid, status, addresses, placements)
        return c

    def status_start(self, pid: str, status: str, open_: dict[str, Spell], dob: date | None,
                     person: Row) -> date | None:
        p, on = self.p, self.on
        if status == "cic":
            episode = open_["cic"]
            entered = p.date(episode.row, "clae_entered_care_date")
            if entered is not None:
                return entered
            # no entry date: walk back through the episodes that follow on without a gap
            start, spells = episode.start, sorted(self._cla_spells(pid), key=lambda s: s.start, reverse=True)
            for s in spells:
                if s.end == start:
                    start = s.start
            return start
        if status == "cp":
            return self.icpc_date(pid, open_["cp"]) or open_["cp"].start
        if status == "care_leaver":
            ended = [s.end for s in self._cla_spells(pid) if s.end is not None and s.end <= on]
            if ended:
                return max(ended)
            if dob is not None and add_months(dob, 18 * 12) <= on:
                return add_months(dob, 18 * 12)
            p.error(person, "pers_dob", "a care leaver with no ended looked-after episode and no 18th birthday "
                    "yet; expected the episodes of care in ssd_cla_episodes (the status starts when care ended)")
            return None
        return open_[status].start

    def _cla_spells(self, pid: str) -> list[Spell]:
        return self.cla.get(pid, [])

    def icpc_date(self, pid: str, plan: Spell) -> date | None:
        """The initial conference that made the plan: linked by id, else the latest held on or before
        the plan started."""
        plan_id, icpc_id = plan.row.text("cppl_cp_plan_id"), plan.row.text("cppl_icpc_id")
        best: date | None = None
        for r in self.t["ssd_initial_cp_conference"]:
            if r.text("icpc_person_id") != pid:
                continue
            d = self.p.date(r, "icpc_icpc_date")
            if d is None:
                continue
            linked = (icpc_id and r.text("icpc_icpc_id") == icpc_id) or \
                (plan_id and r.text("icpc_cp_plan_id") == plan_id)
            if linked:
                return d
            if d <= plan.start and (best is None or d > best):
                best = d
        return best

    def first_cp_review(self, pid: str, plan: Spell) -> date | None:
        plan_id = plan.row.text("cppl_cp_plan_id")
        held = []
        for r in self.t["ssd_cp_reviews"]:
            if r.text("cppr_person_id") != pid:
                continue
            if r.text("cppr_cp_plan_id") and plan_id and r.text("cppr_cp_plan_id") != plan_id:
                continue
            d = self.p.date(r, "cppr_cp_review_date")
            if d is not None and plan.start <= d <= self.on:
                held.append(d)
        return min(held) if held else None

    def _cla_ids(self, episode: Spell) -> set[str]:
        cla_id = episode.row.text("clae_cla_id")
        return {cla_id} if cla_id else set()

    def first_cla_review(self, episode: Spell, start: date | None) -> date | None:
        """The first looked-after review held in the current period of care (reviews are linked to the
        period by clae_cla_id / clar_cla_id)."""
        ids = self._cla_ids(episode)
        held = []
        for r in self.t["ssd_cla_reviews"]:
            if r.text("clar_cla_id") not in ids:
                continue
            if self.p.code(r, "clar_cla_review_cancelled", codes.FLAG_CODES.get):
                continue
            d = self.p.date(r, "clar_cla_review_date")
            if d is not None and (start is None or d >= start) and d <= self.on:
                held.append(d)
        return min(held) if held else None

    def assessment(self, pid: str, episode: Spell) -> date | None:
        referral = episode.row.text("cine_referral_id")
        done = []
        for r in self.t["ssd_cin_assessments"]:
            if r.text("cina_person_id") != pid:
                continue
            if r.text("cina_referral_id") and referral and r.text("cina_referral_id") != referral:
                continue
            d = self.p.date(r, "cina_assessment_auth_date")
            if d is not None and episode.start <= d <= self.on:
                done.append(d)
        return max(done) if done else None

    def placement(self, c: dict[str, Any], pid: str, placements: list[Spell],
                  legal: list[tuple[Spell, codes.LegalStatus]]) -> None:
        p, on = self.p, self.on
        current = _one_open(placements, on, "placement", p)
        if current is None:
            first = next(iter(placements), None)
            p.error(first.row if first else None, "clap_cla_placement_start_date",
                    f"looked-after child {pid!r} has no placement open on {on.isoformat()}; expected the current "
                    "placement in ssd_cla_placement (standards set visits by placement type)",
                    file="ssd_cla_placement.csv")
            return
        kind = p.code(current.row, "clap_cla_placement_type", codes.PLACEMENT_CODES.get)
        if kind is None:
            if not current.row.text("clap_cla_placement_type"):
                p.error(current.row, "clap_cla_placement_type", "is blank; expected an SSDA903 placement type code "
                        "such as U6")
            return
        usual = current
        if kind.temporary:  # the placement the child returns to
            earlier = [s for s in placements if s.start < current.start]
            for s in sorted(earlier, key=lambda s: s.start, reverse=True):
                k = p.code(s.row, "clap_cla_placement_type", codes.PLACEMENT_CODES.get)
                if k is not None and not k.temporary:
                    kind, usual = k, s
                    break
            else:
                p.error(current.row, "clap_cla_placement_type", f"{current.row.text('clap_cla_placement_type')!r} is a "
                        "temporary placement with no earlier placement to return to; expected the child's usual "
                        "placement in ssd_cla_placement")
                return
        placement_type = kind.placement_type
        statuses = [status for _, status in legal if status.looked_after]
        if kind.with_parents:
            if any(s.full_care_order for s in statuses):
                placement_type = "parent_care_order"
            else:
                placement_type = "parent_ico"
                if not any(s.interim_care_order for s in statuses):
                    p.warn(usual.row, "clap_cla_placement_type", "placement P1 (with parents) without an open "
                           "legal status C1 or C2: planned as parent_ico (interim care order), the stricter cadence; "
                           "expected the current legal status in ssd_legal_status")
        if any(s.short_breaks for s in statuses):
            placement_type = "short_breaks"  # V3/V4: accommodated under a series of short breaks
        c["placement_type"] = placement_type
        c["placement_start_date"] = usual.start
        c["placement_long_term"] = kind.long_term
        c["_placement_row"] = current.row

    def location(self, c: dict[str, Any], pid: str, status: str, addresses: list[Spell],
                 placements: list[Spell]) -> None:
        p, on = self.p, self.on
        current = [s for s in addresses if s.open_on(on)]
        address: Spell | None = None
        if current:
            latest = max(s.start for s in current)
            newest = sorted((s for s in current if s.start == latest), key=lambda s: s.row.number)
            identities = {_address_identity(s.row, normalise(s.row.text("addr_address_postcode")) or "")
                          for s in newest}
            if len(identities) > 1:
                p.error(newest[1].row, "addr_address_start_date", f"two different current addresses start on the same "
                        f"day for person {pid!r} (the other is on row {newest[0].row.number}); expected one current "
                        "address: end the old one with addr_address_end_date")
            address = newest[0]
        source_row: Row | None = None
        source_field = ""
        if status == "cic" and c.get("_placement_row") is not None and c["_placement_row"].text(
                "clap_cla_placement_postcode"):
            source_row, source_field = c["_placement_row"], "clap_cla_placement_postcode"
        elif address is not None:
            source_row, source_field = address.row, "addr_address_postcode"
        if source_row is None:
            where = "a current placement postcode or a current address" if status == "cic" else "a current address"
            p.error(None, "addr_address_postcode", f"person {pid!r} has no {where} with a postcode on "
                    f"{on.isoformat()}; expected the address where the child lives (addr_address_start_date on or "
                    "before the reference date, addr_address_end_date blank or after it)", file="ssd_address.csv")
            return
        text = source_row.text(source_field)
        postcode = normalise(text)
        located = self.lookup.locate(postcode) if postcode else None
        if postcode is None or located is None:
            p.error(source_row, source_field, explain_unknown(text) if text else
                    "is blank; expected the postcode where the child lives")
            return
        c["lat"], c["lon"], c["postcode"] = located[0], located[1], postcode
        if address is not None and normalise(address.row.text("addr_address_postcode")) == postcode:
            c["address"] = _address_text(address.row)
            c["_household"] = _address_identity(address.row, postcode)

    def households(self, children: list[dict[str, Any]]) -> None:
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for c in children:
            if "_household" in c:
                groups[c["_household"]].append(c)
        for members in groups.values():
            if len(members) > 1:
                hid = "H-" + min(m["child_id"] for m in members)
                for m in members:
                    m["household_id"] = hid

    # ---- history
    def visits(self, children: list[dict[str, Any]], workers: dict[str, dict[str, str]],
               leavers: dict[str, Row]) -> list[dict[str, str]]:
        p, on = self.p, self.on
        by_id = {c["child_id"]: c for c in children}
        seen: dict[tuple[str, date], tuple[bool, bool]] = {}
        tables = (("ssd_cin_visits", "cinv_person_id", "cinv_cin_visit_date", "cinv_cin_visit_seen",
                   "cinv_cin_visit_seen_alone", "cinv_cin_visit_bedroom"),
                  ("ssd_cp_visits", "cppv_person_id", "cppv_cp_visit_date", "cppv_cp_visit_seen",
                   "cppv_cp_visit_seen_alone", "cppv_cp_visit_bedroom"),
                  ("ssd_cla_visits", "clav_person_id", "clav_cla_visit_date", "clav_cla_visit_seen",
                   "clav_cla_visit_seen_alone", None))
        for table, person, day_f, seen_f, alone_f, bedroom_f in tables:
            for r in self.t[table]:
                if r.text(person) not in by_id:
                    continue
                day = p.date(r, day_f)
                was_seen = p.code(r, seen_f, codes.FLAG_CODES.get)
                alone = p.code(r, alone_f, codes.FLAG_CODES.get)
                bedroom = p.code(r, bedroom_f, codes.FLAG_CODES.get) if bedroom_f else None
                if day is None:
                    if not r.text(day_f):
                        p.error(r, day_f, "is blank; expected the date of the visit")
                    continue
                if day > on:
                    self.counts["visits after the reference date (ignored)"] += 1
                    continue
                if not was_seen:  # not seen, or not recorded as seen: the visit does not count
                    self.counts["visits where the child was not recorded as seen (ignored)"] += 1
                    continue
                if bedroom_f is None:
                    self.counts["looked-after visits without a bedroom flag (taken as not seen)"] += 1
                k = (r.text(person), day)
                before = seen.get(k, (False, False))
                seen[k] = (before[0] or bool(alone), before[1] or bool(bedroom))
        for pid, r in leavers.items():
            day = p.date(r, "clea_care_leaver_latest_contact")
            if pid in by_id and day is not None and day <= on and (pid, day) not in seen:
                seen[(pid, day)] = (False, False)  # the SSD keeps a care leaver's latest contact only
                self.counts["care leavers' latest contacts taken as visits"] += 1
        out = []
        for (pid, day), (alone, bedroom) in sorted(seen.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            worker = self.worker_on(pid, day, workers) or by_id[pid].get("allocated_worker_id")
            if worker is None:
                self.counts["visits to unallocated children with no worker on the day (not imported)"] += 1
                continue
            out.append({"child_id": pid, "date": day.isoformat(), "worker_id": worker,
                        "seen_alone": _cell(alone), "bedroom_seen": _cell(bedroom)})
        return out

    def worker_on(self, pid: str, day: date, workers: dict[str, dict[str, str]]) -> str | None:
        """The allocated worker on a day (the SSD does not record who visited)."""
        best: Spell | None = None
        for s in self.invo.get(pid, []):
            try:
                role = codes.INVOLVEMENT_ROLES.get(s.row.text("invo_professional_role_id"))
            except UnknownCode:
                continue
            if role == codes.ALLOCATED and s.covers(day) and s.row.text("invo_professional_id") in workers \
                    and (best is None or s.start > best.start):
                best = s
        return best.row.text("invo_professional_id") if best else None

    def meetings(self, children: list[dict[str, Any]], open_: dict[str, dict[str, Spell]],
                 leavers: dict[str, Row]) -> list[dict[str, str]]:
        p, on = self.p, self.on
        ids = {c["child_id"] for c in children}
        found: set[tuple[str, str, date, str]] = set()

        def add(pid: str, kind: str, day: date | None, booked_day: date | None = None) -> None:
            if pid not in ids:
                return
            if day is not None:
                found.add((pid, kind, day, "held" if day <= on else "booked"))
            elif booked_day is not None:
                found.add((pid, kind, booked_day, "booked"))

        for r in self.t["ssd_s47_enquiry"]:  # the strategy discussion starts the enquiry
            d = p.date(r, "s47e_s47_start_date")
            if d is not None and d <= on:
                add(r.text("s47e_person_id"), "strategy", d)
        for r in self.t["ssd_initial_cp_conference"]:
            add(r.text("icpc_person_id"), "icpc", p.date(r, "icpc_icpc_date"))
        for r in self.t["ssd_cp_reviews"]:
            add(r.text("cppr_person_id"), "rcpc", p.date(r, "cppr_cp_review_date"), p.date(r, "cppr_cp_review_due"))
        cla_person = {}
        for r in self.t["ssd_cla_episodes"]:
            if r.text("clae_cla_id"):
                cla_person[r.text("clae_cla_id")] = r.text("clae_person_id")
        for r in self.t["ssd_cla_reviews"]:
            if p.code(r, "clar_cla_review_cancelled", codes.FLAG_CODES.get):
                continue
            pid = cla_person.get(r.text("clar_cla_id"))
            if pid is None:
                continue
            add(pid, "cic_review", p.date(r, "clar_cla_review_date"), p.date(r, "clar_cla_review_due_date"))
        for pid, r in leavers.items():
            add(pid, "pathway_review", p.date(r, "clea_pathway_plan_review_date"))
        rows = sorted(found, key=lambda m: (m[2], m[0], m[1]))
        booked_past = sum(1 for m in rows if m[3] == "booked" and m[2] < on)
        if booked_past:
            self.counts["reviews due before the reference date with no date held (written as booked: check them)"] += \
                booked_past
        return [{"child_id": pid, "meeting_type": kind, "date": d.isoformat(), "status": status}
                for pid, kind, d, status in rows]

    # ---- report
    def report(self, workers: list[dict[str, str]], children: list[dict[str, str]], visits: list[dict[str, str]],
               meetings: list[dict[str, str]]) -> list[str]:
        by_status: dict[str, int] = defaultdict(int)
        for c in children:
            by_status[c["status"]] += 1
        by_role: dict[str, int] = defaultdict(int)
        for w in workers:
            by_role[w["role"]] += 1
        households = {c["household_id"] or c["child_id"] for c in children}
        lines = [
            f"SSD import on {self.on.isoformat()}" + (f" for team {self.team}" if self.team else ""),
            f"workers: {len(workers)} (" + ", ".join(f"{n} {r}" for r, n in sorted(by_role.items())) + ")",
            f"children: {len(children)} (" + ", ".join(f"{by_status[s]} {s}" for s in codes.STATUS_PRIORITY
                                                       if by_status[s]) + f"); {len(households)} households; "
            f"{sum(1 for c in children if not c['allocated_worker_id'])} unallocated",
            f"visits: {len(visits)}",
            f"meetings: {len(meetings)} ({sum(1 for m in meetings if m['status'] == 'booked')} booked)",
        ]
        lines += [f"{what}: {n}" for what, n in sorted(self.counts.items())]
        lines += ["", *NOT_IN_SSD]
        return lines


def read_ssd(folder: Path | str, on: date, *, team: str | None = None, base_postcode: str | None = None,
             lookup: PostcodeLookup | None = None) -> ImportResult:
    """Read an SSD extract folder into team-folder rows; raises InputErrors listing every problem."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputErrors([Problem(str(folder), None, None, "extract folder not found; expected a folder of SSD "
                                   "table extracts such as ssd_person.csv")])
    problems = Problems()
    tables = read_tables(folder, problems)
    if problems.errors:  # without every table and field, statuses could be wrong: stop here
        raise InputErrors(problems.errors, problems.warnings)
    return _Import(tables, on, team, base_postcode, lookup or default_lookup(), problems).run()


# ---------------------------------------------------------------- writing

class FolderNotEmpty(Exception):
    """The output folder has files in it and --force was not given."""


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(columns)
        out.writerows([r.get(c, "") for c in columns] for r in rows)


def write_team_folder(result: ImportResult, out: Path | str, on: date, force: bool = False) -> list[Problem]:
    """Write the team folder: into a new folder beside `out`, checked with the loader, then renamed
    into place, so `out` is either the old folder or the whole new one. A non-empty `out` is only
    replaced with force=True. Returns the loader's warnings."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not force:
        raise FolderNotEmpty(str(out))
    tmp = new_folder_beside(out, f".{out.name}.")
    try:
        _write_csv(tmp / "workers.csv", WORKER_COLUMNS, result.workers)
        _write_csv(tmp / "children.csv", CHILD_COLUMNS, result.children)
        _write_csv(tmp / "visits.csv", VISIT_COLUMNS, result.visits)
        _write_csv(tmp / "meetings.csv", MEETING_COLUMNS, result.meetings)
        (tmp / REPORT_FILE).write_text("\n".join(result.report) + "\n", encoding="utf-8")
        _team, warnings = load_team_with_warnings(tmp, on)  # the folder must pass `rota check` as written
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            os.replace(out, old / out.name)
            os.replace(tmp, out)
            shutil.rmtree(old)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [Problem(p.file, p.row, p.column, p.message) for p in warnings]


__all__ = ["TABLES", "FolderNotEmpty", "ImportResult", "read_ssd", "write_team_folder"]
