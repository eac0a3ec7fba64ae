"""Every mapping from a Standard Safeguarding Dataset (SSD) code to ours, as documented tables.

The SSD specification (data-to-insight/ssd-data-model, data/objects/*.yml) fixes the field names
and, for most coded fields, the code set (mostly the DfE's SSDA903 and CIN census codes). Each
table below says where its codes come from. A value that is in no table is an error naming the
file, row, field and value (`UnknownCode`): never a silent default. Code values are not personal
data, so messages may quote them.

Matching: SSDA903 / census codes ("U4", "C2", "PR1") are matched case-insensitively; descriptive
values ("Former Relevant", "Allocated Case Worker", "Physical abuse") case-, space-, hyphen- and
underscore-insensitively.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


class UnknownCode(ValueError):
    """A value with no mapping: `expected` lists what would do."""

    def __init__(self, what: str, expected: str) -> None:
        super().__init__(what)
        self.what = what
        self.expected = expected


def key(value: str) -> str:
    """The form values are compared in: case, spaces, hyphens and underscores ignored."""
    return re.sub(r"[\s_\-]+", " ", value).strip().casefold()


@dataclass(frozen=True)
class CodeTable(Generic[T]):
    """One documented mapping. `rows` maps each accepted value to (ours, what the code means)."""

    name: str  # what the codes are, for messages ("SSDA903 placement type")
    rows: Mapping[str, tuple[T, str]]

    def __post_init__(self) -> None:
        keys = [key(k) for k in self.rows]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{self.name}: two values compare equal")

    def get(self, value: str) -> T:
        wanted = key(value)
        for code, (ours, _meaning) in self.rows.items():
            if key(code) == wanted:
                return ours
        raise UnknownCode(f"is not a known {self.name} code",
                          "expected one of " + ", ".join(self.rows))


# ---------------------------------------------------------------- placements (SSDA903)

@dataclass(frozen=True)
class Placement:
    """What an SSDA903 placement code means for us."""

    placement_type: str | None  # one of domain.PLACEMENT_TYPES; None for the special cases below
    long_term: bool = False  # "long term fostering" codes U1 and U4
    temporary: bool = False  # T0-T4: the usual placement (the latest earlier one) still applies
    with_parents: bool = False  # P1: parent_ico under an interim care order, else parent_care_order


# ssd_cla_placement.clap_cla_placement_type: SSDA903 placement type codes, the full code set in
# the SSD specification. Our types (inputs/README.md) are what the practice standards key visits on.
PLACEMENT_CODES: CodeTable[Placement] = CodeTable("SSDA903 placement type", {
    "A3": (Placement("adoption"), "placed for adoption with consent, with current foster carer(s)"),
    "A4": (Placement("adoption"), "placed for adoption with consent, not with current foster carer(s)"),
    "A5": (Placement("adoption"), "placed for adoption with placement order, with current foster carer(s)"),
    "A6": (Placement("adoption"), "placed for adoption with placement order, not with current foster carer(s)"),
    "H5": (Placement("other_setting"), "semi-independent living not subject to children's homes regulations"),
    "K1": (Placement("residential"), "secure children's home"),
    "K2": (Placement("residential"), "children's home subject to Children's Homes Regulations"),
    "P1": (Placement(None, with_parents=True), "placed with own parent(s) or person(s) with parental "
           "responsibility: parent_ico with legal status C1 (interim care order), parent_care_order with C2"),
    "P2": (Placement("other_setting"), "independent living (flat, lodgings, bedsit, B&B, with friends)"),
    "P3": (Placement("other_setting"), "residential employment"),
    "R1": (Placement("residential"), "residential care home"),
    "R2": (Placement("other_setting"), "NHS/health trust or other establishment providing medical or nursing care"),
    "R3": (Placement("other_setting"), "family centre or mother and baby unit"),
    "R5": (Placement("other_setting"), "young offender institution"),
    "S1": (Placement("residential"), "residential school (not dual-registered as a children's home)"),
    "T0": (Placement(None, temporary=True), "temporary move of any type: the usual placement applies"),
    "T1": (Placement(None, temporary=True), "temporary period in hospital: the usual placement applies"),
    "T2": (Placement(None, temporary=True), "temporary absence on holiday: the usual placement applies"),
    "T3": (Placement(None, temporary=True), "temporary accommodation while the foster carer is on holiday"),
    "T4": (Placement(None, temporary=True), "temporary accommodation of seven days or less"),
    "U1": (Placement("connected_person", long_term=True), "foster placement with relative(s) or friend(s), long term"),
    "U2": (Placement("connected_person"), "foster placement with relative(s) or friend(s) who are approved "
           "adopters (fostering for adoption / concurrent planning)"),
    "U3": (Placement("connected_person"), "foster placement with relative(s) or friend(s), not long term or FFA"),
    "U4": (Placement("foster", long_term=True), "foster placement with other foster carer(s), long term"),
    "U5": (Placement("foster"), "foster placement with other foster carer(s) who are approved adopters (FFA)"),
    "U6": (Placement("foster"), "foster placement with other foster carer(s), not long term or FFA"),
    "Z1": (Placement("other_setting"), "other placement"),
})


# ---------------------------------------------------------------- legal status (SSDA903 and local)

@dataclass(frozen=True)
class LegalStatus:
    looked_after: bool  # an SSDA903 looked-after legal status
    interim_care_order: bool = False  # C1: with placement P1 -> parent_ico
    full_care_order: bool = False  # C2: with placement P1 -> parent_care_order
    short_breaks: bool = False  # V3/V4: placement type short_breaks whatever the placement code
    private_fostering: bool = False  # the child's status is private_fostering


# ssd_legal_status.lega_legal_status: the SSDA903 legal status codes (the SSD's category list,
# data/categories__future_release/legal_status.yml) plus the non-looked-after statuses the SSD
# guidance says extracts also carry (permanence orders, private fostering, care leaver), which
# have no national codes: their usual descriptions are accepted.
LEGAL_STATUS_CODES: CodeTable[LegalStatus] = CodeTable("legal status", {
    "C1": (LegalStatus(True, interim_care_order=True), "interim care order"),
    "C2": (LegalStatus(True, full_care_order=True), "full care order"),
    "D1": (LegalStatus(True), "freeing order granted"),
    "E1": (LegalStatus(True), "placement order granted"),
    "V2": (LegalStatus(True), "single period of accommodation under section 20"),
    "V3": (LegalStatus(True, short_breaks=True), "agreed series of short-term breaks, individual episodes recorded"),
    "V4": (LegalStatus(True, short_breaks=True), "agreed series of short-term breaks, agreements recorded"),
    "L1": (LegalStatus(True), "police protection and in local authority accommodation"),
    "L2": (LegalStatus(True), "emergency protection order"),
    "L3": (LegalStatus(True), "child assessment order and in local authority accommodation"),
    "J1": (LegalStatus(True), "remanded to local authority or youth detention accommodation"),
    "J2": (LegalStatus(True), "placed in local authority accommodation under PACE 1984"),
    "J3": (LegalStatus(True), "youth rehabilitation order with residence or intensive fostering requirement"),
    "Private Fostering": (LegalStatus(False, private_fostering=True), "privately fostered (local status)"),
    "PF": (LegalStatus(False, private_fostering=True), "privately fostered (local code)"),
    "Special Guardianship Order": (LegalStatus(False), "special guardianship order: not looked after"),
    "SGO": (LegalStatus(False), "special guardianship order: not looked after"),
    "Child Arrangements Order": (LegalStatus(False), "child arrangements order: not looked after"),
    "CAO": (LegalStatus(False), "child arrangements order: not looked after"),
    "Residence Order": (LegalStatus(False), "residence order: not looked after"),
    "Adoption Order": (LegalStatus(False), "adopted: not looked after"),
    "Supervision Order": (LegalStatus(False), "supervision order: not looked after"),
    "Care Leaver": (LegalStatus(False), "care leaver (status comes from ssd_care_leavers)"),
})


# ---------------------------------------------------------------- child protection category

# ssd_cp_plans.cppl_cp_plan_latest_category / cppl_cp_plan_initial_category. The SSD code set is
# "Neglect, Physical abuse, Sexual abuse, Emotional abuse, Multiple: [list]"; the CIN census
# abbreviations are accepted too. "Multiple: ..." with any list after the colon is multiple.
CP_CATEGORY_CODES: CodeTable[str] = CodeTable("child protection category", {
    "Neglect": ("neglect", "neglect"),
    "NEG": ("neglect", "neglect (CIN census code)"),
    "Physical abuse": ("physical", "physical abuse"),
    "Physical": ("physical", "physical abuse"),
    "PHY": ("physical", "physical abuse (CIN census code)"),
    "Sexual abuse": ("sexual", "sexual abuse"),
    "Sexual": ("sexual", "sexual abuse"),
    "SAB": ("sexual", "sexual abuse (CIN census code)"),
    "Emotional abuse": ("emotional", "emotional abuse"),
    "Emotional": ("emotional", "emotional abuse"),
    "EMO": ("emotional", "emotional abuse (CIN census code)"),
    "Multiple": ("multiple", "more than one category"),
    "MUL": ("multiple", "more than one category (CIN census code)"),
})


def cp_category(value: str) -> str:
    if key(value).startswith("multiple"):  # "Multiple: Neglect, Emotional abuse"
        return "multiple"
    return CP_CATEGORY_CODES.get(value)


# ---------------------------------------------------------------- yes / no flags

# seen, seen alone, bedroom seen, cancelled, transfer-in flags: the SSD says "Y/N"; its category
# lists (child_seen.yml etc.) say "Yes/No".
FLAG_CODES: CodeTable[bool] = CodeTable("yes/no flag", {
    "Y": (True, "yes"), "Yes": (True, "yes"), "1": (True, "yes"), "True": (True, "yes"),
    "N": (False, "no"), "No": (False, "no"), "0": (False, "no"), "False": (False, "no"),
})


# ---------------------------------------------------------------- care leavers

# ssd_care_leavers.clea_care_leaver_eligibility: the SSD code set. "Eligible" young people are
# still looked after (the open CLA episode then decides their status).
CARE_LEAVER_ELIGIBILITY: CodeTable[bool] = CodeTable("care leaver eligibility", {
    "Relevant": (True, "relevant child: 16-17, no longer looked after"),
    "Former Relevant": (True, "former relevant: 18 or over"),
    "Eligible": (True, "eligible child: 16-17 and still looked after"),
    "Qualifying": (True, "qualifying care leaver: 16-25"),
    "No Current Eligibility": (False, "not a care leaver now"),
})


# ---------------------------------------------------------------- involvements

ALLOCATED = "allocated"  # holds the case: the child's allocated worker, and a team worker
TEAM = "team"  # works in the team on the case without holding it (manager, co-worker): a team worker
OTHER = "other"  # independent of the team (reviewing officer, conference chair, other agency): ignored

# ssd_involvements.invo_professional_role_id: free text in the SSD ("Worker role e.g. Allocated
# Case Worker"); these are the roles case-management systems record. The allocated worker is the
# open ALLOCATED involvement - never a reviewing officer or conference chair.
INVOLVEMENT_ROLES: CodeTable[str] = CodeTable("involvement role", {
    "Allocated Case Worker": (ALLOCATED, "the case holder"),
    "Allocated Worker": (ALLOCATED, "the case holder"),
    "Allocated Social Worker": (ALLOCATED, "the case holder"),
    "Case Worker": (ALLOCATED, "the case holder"),
    "Case Holder": (ALLOCATED, "the case holder"),
    "Key Worker": (ALLOCATED, "the case holder (early help / family support)"),
    "Lead Professional": (ALLOCATED, "the case holder (early help)"),
    "Early Help Practitioner": (ALLOCATED, "the case holder (early help)"),
    "Personal Adviser": (ALLOCATED, "a care leaver's personal adviser"),
    "Personal Advisor": (ALLOCATED, "a care leaver's personal adviser"),
    "Allocated Personal Adviser": (ALLOCATED, "a care leaver's personal adviser"),
    "Allocated Personal Advisor": (ALLOCATED, "a care leaver's personal adviser"),
    "Team Manager": (TEAM, "the team's manager"),
    "Assistant Team Manager": (TEAM, "a manager in the team"),
    "Practice Supervisor": (TEAM, "a supervisor in the team"),
    "Co-worker": (TEAM, "a second worker in the team"),
    "Secondary Worker": (TEAM, "a second worker in the team"),
    "Social Work Assistant": (TEAM, "an assistant in the team"),
    "Family Support Worker": (TEAM, "a family support worker in the team"),
    "Independent Reviewing Officer": (OTHER, "IRO: reviews the plan, not a team worker"),
    "IRO": (OTHER, "IRO: reviews the plan, not a team worker"),
    "Reviewing Officer": (OTHER, "reviews the plan, not a team worker"),
    "Child Protection Chair": (OTHER, "chairs conferences, not a team worker"),
    "Child Protection Adviser": (OTHER, "chairs conferences, not a team worker"),
    "Conference Chair": (OTHER, "chairs conferences, not a team worker"),
    "Supervising Social Worker": (OTHER, "supports the foster carer, not the child's worker"),
    "Fostering Social Worker": (OTHER, "supports the foster carer, not the child's worker"),
    "Adoption Social Worker": (OTHER, "supports the adopters, not the child's worker"),
    "Other Agency": (OTHER, "another agency"),
    "GP": (OTHER, "another agency"),
    "Health Visitor": (OTHER, "another agency"),
    "School Nurse": (OTHER, "another agency"),
    "Youth Offending Worker": (OTHER, "another agency"),
})


# ---------------------------------------------------------------- workers' job titles

# ssd_professionals.prof_professional_job_title is free text ("Professional Job title, e.g.
# Social Worker"). A title maps to the first row whose words it contains; qualification comes
# from the Social Work England registration number (prof_social_worker_registration_no, "SW...").
JOB_TITLE_ROLES: tuple[tuple[str, str, str], ...] = (
    # (words the title contains, our role, why)
    ("team manager", "team_manager", "team manager or assistant team manager"),
    ("practice manager", "team_manager", "manages practice in the team"),
    ("practice supervisor", "team_manager", "supervises practice in the team"),
    ("personal adviser", "personal_adviser", "care leavers' personal adviser"),
    ("personal advisor", "personal_adviser", "care leavers' personal adviser"),
    ("leaving care", "personal_adviser", "leaving care worker"),
    ("early help", "early_help_practitioner", "early help practitioner or worker"),
    ("family support", "early_help_practitioner", "family support worker"),
    ("family practitioner", "early_help_practitioner", "family practitioner"),
    ("family worker", "early_help_practitioner", "family worker"),
    ("key worker", "early_help_practitioner", "early help key worker"),
    ("keyworker", "early_help_practitioner", "early help key worker"),
    ("social worker", "social_worker", "social worker (any grade)"),
    ("social work assistant", "social_worker", "social work assistant (unqualified unless registered)"),
    ("social work practitioner", "social_worker", "social worker"),
    ("advanced practitioner", "social_worker", "senior social worker"),
    ("consultant practitioner", "social_worker", "senior social worker"),
    ("asye", "social_worker", "social worker in the assessed and supported year"),
)
# titles naming the assessed and supported year in employment: newly_qualified = yes
NEWLY_QUALIFIED_WORDS = ("asye", "newly qualified", "nqsw")


def job_title_role(title: str) -> str:
    words = key(title)
    for contains, role, _why in JOB_TITLE_ROLES:
        if contains in words:
            return role
    raise UnknownCode("is a job title with no role",
                      "expected a title containing one of: " + ", ".join(r[0] for r in JOB_TITLE_ROLES))


def newly_qualified(title: str) -> bool:
    words = key(title)
    return any(w in words for w in NEWLY_QUALIFIED_WORDS)


def qualified(registration_no: str) -> bool:
    """A Social Work England registration number (format 'SW' then digits) means qualified."""
    return re.fullmatch(r"SW\s*\d+", registration_no.strip(), re.IGNORECASE) is not None


# ---------------------------------------------------------------- which status wins

# A child's status at the reference date follows the most protective open episode. Private
# fostering (not in the SSD's episode tables; from the legal status) ranks with looked-after
# children in severity (scheduler.policy) and above CIN, below S47.
STATUS_PRIORITY = ("cic", "cp", "s47", "private_fostering", "cin", "care_leaver", "early_help")


__all__ = [
    "ALLOCATED",
    "CARE_LEAVER_ELIGIBILITY",
    "CP_CATEGORY_CODES",
    "FLAG_CODES",
    "INVOLVEMENT_ROLES",
    "JOB_TITLE_ROLES",
    "LEGAL_STATUS_CODES",
    "OTHER",
    "PLACEMENT_CODES",
    "STATUS_PRIORITY",
    "TEAM",
    "CodeTable",
    "LegalStatus",
    "Placement",
    "UnknownCode",
    "cp_category",
    "job_title_role",
    "newly_qualified",
    "qualified",
]
