"""Synthetic SSD extracts from generated teams (made-up people only), for the import tests.

`place_on_postcodes(team)` moves every child and worker base onto a real Great Britain postcode
centroid (so a postcode round-trips to the same coordinates); `to_ssd(team, folder, on)` writes
the team as CSV extracts of the SSD tables, with the field names of the SSD specification; and
`what_the_ssd_holds(team, on)` is the original team reduced to what those tables can carry - the
team an import must give back.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from convertbng.cutil import convert_bng

from scheduler.domain import Child, Meeting, Team, Visit, Worker
from scheduler.importers.ssd import TABLES
from scheduler.postcodes import CodePointOpen

TEAM_ID = "T-SWI-1"
TEAM_NAME = "Swindon Safeguarding Team 1"
PLACEMENT_CODE = {  # ours -> an SSDA903 code that maps back to it
    ("foster", False): "U6", ("foster", True): "U4", ("connected_person", False): "U3",
    ("connected_person", True): "U1", ("residential", False): "K2", ("adoption", False): "A4",
    ("other_setting", False): "H5", ("parent_ico", False): "P1", ("parent_care_order", False): "P1",
    ("short_breaks", False): "U6",
}
LEGAL_CODE = {"parent_ico": "C1", "parent_care_order": "C2", "short_breaks": "V4", "adoption": "E1"}
CP_CATEGORY = {"neglect": "Neglect", "physical": "Physical abuse", "emotional": "Emotional abuse",
               "sexual": "Sexual abuse", "multiple": "Multiple: Neglect, Emotional abuse"}
JOB_TITLE = {"social_worker": "Social Worker", "team_manager": "Team Manager", "personal_adviser": "Personal Adviser",
             "early_help_practitioner": "Early Help Practitioner"}
DROPPED_MEETINGS = ("core_group", "cin_review", "pep", "supervision")  # not in the SSD


def place_on_postcodes(team: Team, area: str = "SN") -> tuple[Team, dict[tuple[float, float], str]]:
    """The team with every location moved to the nearest postcode centroid of `area`, and the
    postcode of each location."""
    lookup = CodePointOpen()
    units = sorted(lookup._area(area).items())  # (postcode, (easting, northing)), read from the shipped file
    points = {(c.lat, c.lon) for c in team.children} | {(w.base_lat, w.base_lon) for w in team.workers}
    postcode_of: dict[tuple[float, float], str] = {}
    moved: dict[tuple[float, float], tuple[float, float]] = {}
    for lat, lon in sorted(points):
        east, north = convert_bng([lon], [lat])
        pc = min(units, key=lambda u: (u[1][0] - east[0]) ** 2 + (u[1][1] - north[0]) ** 2)[0]
        located = lookup.locate(pc)
        assert located is not None
        moved[(lat, lon)] = located
        postcode_of[located] = pc
    children = tuple(replace(c, lat=moved[(c.lat, c.lon)][0], lon=moved[(c.lat, c.lon)][1],
                             postcode=postcode_of[moved[(c.lat, c.lon)]]) for c in team.children)
    workers = tuple(replace(w, base_lat=moved[(w.base_lat, w.base_lon)][0], base_lon=moved[(w.base_lat, w.base_lon)][1])
                    for w in team.workers)
    return replace(team, children=children, workers=workers), postcode_of


def _d(day: date | None, style: int = 0) -> str:
    """Dates in the shapes extracts use: ISO, UK, and SQL Server's datetime."""
    if day is None:
        return ""
    return (day.isoformat(), day.strftime("%d/%m/%Y"), f"{day.isoformat()} 00:00:00.000")[style % 3]


def _pc(postcode: str, style: int) -> str:
    """Postcodes with and without the space, in either case (the SSD removes the space)."""
    return (postcode.replace(" ", ""), postcode, postcode.lower())[style % 3]


def _write(folder: Path, table: str, rows: Iterable[dict[str, str]], extra: tuple[str, ...] = ()) -> None:
    required, optional = TABLES.get(table, ((), ()))
    rows = list(rows)
    names = list(dict.fromkeys([*required, *optional, *extra, *(k for r in rows for k in r)]))
    with open(folder / f"{table}.csv", "w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, names, restval="", lineterminator="\n")
        out.writeheader()
        out.writerows(rows)


def office(team: Team) -> tuple[float, float]:
    """Where most workers start: the team's office."""
    bases = [(w.base_lat, w.base_lon) for w in team.workers]
    return max(set(bases), key=bases.count)


def to_ssd(team: Team, folder: Path, on: date, postcode_of: dict[tuple[float, float], str]) -> None:
    """Write `team` (placed on postcodes) as an SSD extract in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    base = office(team)
    meetings: dict[str, list[Meeting]] = {}
    for m in team.meetings:
        meetings.setdefault(m.child_id, []).append(m)
    tables: dict[str, list[dict[str, str]]] = {t: [] for t in TABLES}
    tables["ssd_department"] = [{"dept_team_id": TEAM_ID, "dept_team_name": TEAM_NAME},
                                {"dept_team_id": "T-IRO", "dept_team_name": "Independent Reviewing Service"}]
    for i, w in enumerate(team.workers):
        title = JOB_TITLE[w.role]
        if w.role == "social_worker" and not w.qualified:
            title = "Social Work Assistant"
        elif w.newly_qualified:
            title = "Social Worker (ASYE)"
        tables["ssd_professionals"].append({
            "prof_professional_id": w.worker_id, "prof_staff_id": f"S{i:04d}", "prof_professional_name": w.name,
            "prof_social_worker_registration_no": f"SW{100200 + i}" if w.qualified else "",
            "prof_professional_job_title": title, "prof_professional_department": TEAM_NAME,
            "prof_full_time_equivalency": str(w.fte),
            # our extension: only workers who do not start at the office
            "prof_base_postcode": "" if (w.base_lat, w.base_lon) == base else postcode_of[(w.base_lat, w.base_lon)],
        })
    tables["ssd_professionals"].append({  # an IRO: involved with children in care, never a team worker
        "prof_professional_id": "IRO1", "prof_professional_name": "Made-up Reviewing Officer",
        "prof_social_worker_registration_no": "SW999001",
        "prof_professional_job_title": "Independent Reviewing Officer",
        "prof_professional_department": "Independent Reviewing Service"})
    manager = next((w.worker_id for w in team.workers if w.role == "team_manager"), None)
    households: dict[str, int] = {}
    for k, c in enumerate(team.children):
        pid = c.child_id
        first, _, surname = (c.name or "Made Up").partition(" ")
        unborn = c.date_of_birth is None
        tables["ssd_person"].append({
            "pers_person_id": pid, "pers_forename": first, "pers_surname": surname, "pers_sex": "U",
            "pers_dob": _d(c.date_of_birth, k), "pers_expected_dob": _d(on + timedelta(days=60)) if unborn else ""})
        # the address: one per household; a UPRN on every other household, else matched by its text
        h = households.setdefault(c.household_id, len(households))
        number, _, street = (c.address or f"{h} Made Up Street").partition(" ")
        address = {"ROOM": "", "FLOOR": "", "FLAT": "", "BUILDING": "", "HOUSE": number, "STREET": street,
                   "TOWN": "Swindon", "UPRN": str(100090000000 + h) if h % 2 == 0 else "", "EASTING": "",
                   "NORTHING": "", "_H": str(h)}
        if h % 2 == 1:
            address["BUILDING"] = f"Made-up House {h}"  # distinct text for distinct households
        del address["_H"]
        postcode = postcode_of[(c.lat, c.lon)]
        tables["ssd_address"].append({
            "addr_table_id": f"A{k}", "addr_address_json": json.dumps(address), "addr_person_id": pid,
            "addr_address_type": "Placement" if c.status == "cic" else "Primary Address",
            "addr_address_start_date": _d(c.status_start_date - timedelta(days=400), k), "addr_address_end_date": "",
            "addr_address_postcode": _pc(postcode, k)})
        # an old address that ended: never the current one
        tables["ssd_address"].append({
            "addr_table_id": f"A{k}old", "addr_address_json": json.dumps({"HOUSE": "1", "STREET": "Old Road"}),
            "addr_person_id": pid, "addr_address_type": "Primary Address",
            "addr_address_start_date": _d(c.status_start_date - timedelta(days=900)),
            "addr_address_end_date": _d(c.status_start_date - timedelta(days=400)), "addr_address_postcode": "SN1 1AE"})
        # allocation: the allocated case worker, the team manager, an IRO for children in care
        if c.allocated_worker_id is not None:
            tables["ssd_involvements"].append({
                "invo_involvements_id": f"I{k}", "invo_professional_id": c.allocated_worker_id,
                "invo_professional_role_id": "Allocated Case Worker", "invo_professional_team": TEAM_ID,
                "invo_involvement_start_date": _d(c.allocated_since, k), "invo_involvement_end_date": "",
                "invo_person_id": pid})
        if manager is not None:
            tables["ssd_involvements"].append({
                "invo_involvements_id": f"I{k}m", "invo_professional_id": manager,
                "invo_professional_role_id": "Team Manager", "invo_professional_team": TEAM_ID,
                "invo_involvement_start_date": _d(c.status_start_date), "invo_involvement_end_date": "",
                "invo_person_id": pid})
        if c.status == "cic":
            tables["ssd_involvements"].append({
                "invo_involvements_id": f"I{k}iro", "invo_professional_id": "IRO1",
                "invo_professional_role_id": "Independent Reviewing Officer", "invo_professional_team": "T-IRO",
                "invo_involvement_start_date": _d(c.status_start_date), "invo_involvement_end_date": "",
                "invo_person_id": pid})
        _episodes(tables, c, k, on, meetings.get(pid, []), postcode)
    for v in team.visits:
        _visit(tables, team.child(v.child_id), v)
    # visits where the child was not seen: never counted
    for k, c in enumerate(team.children[:3]):
        tables["ssd_cin_visits"].append({"cinv_cin_visit_id": f"NS{k}", "cinv_person_id": c.child_id,
                                         "cinv_cin_visit_date": _d(on - timedelta(days=2)), "cinv_cin_visit_seen": "N",
                                         "cinv_cin_visit_seen_alone": "N", "cinv_cin_visit_bedroom": "N"})
    for table, rows in tables.items():
        _write(folder, table, rows)


def _episodes(tables: dict[str, list[dict[str, str]]], c: Child, k: int, on: date, meetings: list[Meeting],
              postcode: str) -> None:
    pid, s = c.child_id, c.status_start_date
    # statutory work sits inside a CIN episode: one is open for every child but early help and care leavers
    if c.status not in ("early_help", "care_leaver"):
        tables["ssd_cin_episodes"].append({
            "cine_referral_id": f"R{k}", "cine_person_id": pid, "cine_referral_date": _d(s, k),
            "cine_cin_primary_need_code": "N1", "cine_close_date": "", "cine_referral_team": TEAM_ID})
    if c.status == "cin" and c.assessment_completed_date is not None:
        tables["ssd_cin_assessments"].append({
            "cina_assessment_id": f"AS{k}", "cina_person_id": pid, "cina_referral_id": f"R{k}",
            "cina_assessment_start_date": _d(s), "cina_assessment_auth_date": _d(c.assessment_completed_date, k)})
    if c.status == "cp":
        tables["ssd_cp_plans"].append({
            "cppl_cp_plan_id": f"CP{k}", "cppl_referral_id": f"R{k}", "cppl_person_id": pid,
            "cppl_cp_plan_start_date": _d(s, k), "cppl_cp_plan_end_date": "",
            "cppl_cp_plan_initial_category": "Neglect",
            "cppl_cp_plan_latest_category": CP_CATEGORY[c.cp_category] if c.cp_category else ""})
    if c.status == "s47":
        tables["ssd_s47_enquiry"].append({
            "s47e_s47_enquiry_id": f"S{k}", "s47e_referral_id": f"R{k}", "s47e_person_id": pid,
            "s47e_s47_start_date": _d(s, k), "s47e_s47_end_date": "", "s47e_s47_completed_by_team": TEAM_ID})
    if c.status == "private_fostering":
        tables["ssd_legal_status"].append({
            "lega_legal_status_id": f"L{k}", "lega_person_id": pid, "lega_legal_status": "Private Fostering",
            "lega_legal_status_start_date": _d(s, k), "lega_legal_status_end_date": ""})
    if c.status == "early_help":
        tables["ssd_early_help_episodes"].append({
            "earl_episode_id": f"E{k}", "earl_person_id": pid, "earl_episode_start_date": _d(s, k),
            "earl_episode_end_date": "", "earl_episode_worker_id": c.allocated_worker_id or "",
            "earl_episode_organisation": TEAM_ID})
    if c.status == "care_leaver":
        held = sorted(m.date for m in meetings if m.meeting_type == "pathway_review" and m.status == "held")
        tables["ssd_care_leavers"].append({
            "clea_table_id": f"CL{k}", "clea_person_id": pid, "clea_care_leaver_eligibility": "Former Relevant",
            "clea_care_leaver_in_touch": "YES", "clea_care_leaver_latest_contact": "",  # filled from the visits
            "clea_pathway_plan_review_date": _d(held[-1]) if held else "",
            "clea_care_leaver_worker_id": c.allocated_worker_id or "", "clea_care_leaver_allocated_team": TEAM_ID})
    if c.status == "cic":
        cla_id = f"CLA{k}"
        tables["ssd_cla_episodes"].append({
            "clae_cla_episode_id": f"EP{k}", "clae_person_id": pid, "clae_cla_episode_start_date": _d(s, k),
            "clae_cla_episode_start_reason": "S", "clae_cla_episode_ceased_date": "", "clae_cla_id": cla_id,
            "clae_entered_care_date": _d(s)})
        code = PLACEMENT_CODE[(c.placement_type or "foster", c.placement_long_term)]
        tables["ssd_legal_status"].append({
            "lega_legal_status_id": f"L{k}", "lega_person_id": pid,
            "lega_legal_status": LEGAL_CODE.get(c.placement_type or "", "C2"),
            "lega_legal_status_start_date": _d(s), "lega_legal_status_end_date": ""})
        tables["ssd_cla_placement"].append({
            "clap_cla_placement_id": f"P{k}", "clap_cla_placement_start_date": _d(c.placement_start_date, k),
            "clap_cla_placement_type": code, "clap_cla_id": cla_id, "clap_cla_placement_provider": "PR1",
            "clap_cla_placement_postcode": _pc(postcode, k + 1), "clap_cla_placement_end_date": "",
            "clap_person_id": pid})
        reviews = {m.date: m.status for m in meetings if m.meeting_type == "cic_review"}
        if c.first_review_date is not None:
            reviews.setdefault(c.first_review_date, "held")
        for j, (day, status) in enumerate(sorted(reviews.items())):
            tables["ssd_cla_reviews"].append({
                "clar_cla_review_id": f"CR{k}-{j}", "clar_cla_id": cla_id, "clar_cla_review_due_date": _d(day),
                "clar_cla_review_date": _d(day, j) if status == "held" else "", "clar_cla_review_cancelled": "N"})
    for j, m in enumerate(meetings):
        if m.meeting_type == "strategy":  # a strategy discussion starts an S47 enquiry
            if c.status == "s47" and m.date == s:
                continue  # the open enquiry above
            tables["ssd_s47_enquiry"].append({
                "s47e_s47_enquiry_id": f"S{k}-{j}", "s47e_person_id": pid, "s47e_s47_start_date": _d(m.date, j),
                "s47e_s47_end_date": _d(min(m.date + timedelta(days=10),
                                            s if c.status == "cp" else on - timedelta(1)))})
        if m.meeting_type == "icpc":
            tables["ssd_initial_cp_conference"].append({
                "icpc_icpc_id": f"IC{k}-{j}", "icpc_person_id": pid, "icpc_icpc_date": _d(m.date, j),
                "icpc_cp_plan_id": f"CP{k}" if c.status == "cp" and m.date == s else ""})
        if m.meeting_type == "rcpc":
            tables["ssd_cp_reviews"].append({
                "cppr_cp_review_id": f"RC{k}-{j}", "cppr_person_id": pid, "cppr_cp_plan_id": f"CP{k}",
                "cppr_cp_review_due": _d(m.date), "cppr_cp_review_date": _d(m.date, j) if m.status == "held" else ""})


def _visit(tables: dict[str, list[dict[str, str]]], c: Child, v: Visit) -> None:
    yn = {True: "Y", False: "N"}
    if c.status == "cic":
        tables["ssd_cla_visits"].append({
            "clav_cla_visit_id": f"V{len(tables['ssd_cla_visits'])}", "clav_person_id": c.child_id,
            "clav_cla_visit_date": _d(v.date), "clav_cla_visit_seen": "Y",
            "clav_cla_visit_seen_alone": yn[v.seen_alone]})
    elif c.status == "cp":
        tables["ssd_cp_visits"].append({
            "cppv_cp_visit_id": f"V{len(tables['ssd_cp_visits'])}", "cppv_person_id": c.child_id,
            "cppv_cp_visit_date": _d(v.date, 1), "cppv_cp_visit_seen": "Yes",
            "cppv_cp_visit_seen_alone": yn[v.seen_alone], "cppv_cp_visit_bedroom": yn[v.bedroom_seen]})
    elif c.status == "care_leaver":  # the SSD keeps only the latest contact
        row = next(r for r in tables["ssd_care_leavers"] if r["clea_person_id"] == c.child_id)
        row["clea_care_leaver_latest_contact"] = _d(v.date)  # visits come in date order: the last one stays
    elif c.status != "early_help":  # no early help visits in the SSD
        tables["ssd_cin_visits"].append({
            "cinv_cin_visit_id": f"V{len(tables['ssd_cin_visits'])}", "cinv_person_id": c.child_id,
            "cinv_cin_visit_date": _d(v.date, 2), "cinv_cin_visit_seen": "Y",
            "cinv_cin_visit_seen_alone": yn[v.seen_alone], "cinv_cin_visit_bedroom": yn[v.bedroom_seen]})


def prepare(team: Team) -> Team:
    """Fill what the generator leaves blank but an SSD extract always has: when each child was
    allocated (the allocated case-worker involvement's start)."""
    return replace(team, children=tuple(
        replace(c, allocated_since=c.status_start_date if c.allocated_worker_id else None) for c in team.children))


def what_the_ssd_holds(team: Team) -> Team:
    """The team reduced to what the SSD tables carry (see NOT_IN_SSD in scheduler.importers.ssd)."""
    workers = tuple(replace(w, working_days=(0, 1, 2, 3, 4), day_start=Worker.day_start, day_end=Worker.day_end,
                            max_visits_per_day=4) for w in team.workers)
    by_child: dict[str, list[Meeting]] = {}
    for m in team.meetings:
        by_child.setdefault(m.child_id, []).append(m)
    children, meetings = [], []
    members: dict[str, list[str]] = {}
    for c in team.children:
        members.setdefault(c.household_id, []).append(c.child_id)
    for c in team.children:
        mine = [m for m in by_child.get(c.child_id, []) if m.meeting_type not in DROPPED_MEETINGS]
        if c.status == "care_leaver":  # the latest pathway plan review only
            held = sorted(m.date for m in mine if m.meeting_type == "pathway_review" and m.status == "held")
            mine = [m for m in mine if m.meeting_type != "pathway_review"] + \
                [Meeting(c.child_id, "pathway_review", held[-1], "held")] * bool(held)
        else:  # a looked-after teenager's pathway reviews: the SSD holds them for care leavers only
            mine = [m for m in mine if m.meeting_type != "pathway_review"]
        first_review = c.first_review_date
        if c.status == "cic" and first_review is not None and not any(
                m.meeting_type == "cic_review" and m.date == first_review for m in mine):
            mine.append(Meeting(c.child_id, "cic_review", first_review, "held"))
        if c.status == "cp":  # the first review conference held under the plan
            held = [m.date for m in mine if m.meeting_type == "rcpc" and m.status == "held"
                    and m.date >= c.status_start_date]
            first_review = min(held) if held else None
        group = members[c.household_id]
        children.append(replace(c, household_id=f"H-{min(group)}" if len(group) > 1 else c.child_id,
                                seen_alone_exempt=None, first_review_date=first_review))
        meetings += mine
    by_id = {c.child_id: c for c in children}
    visits: dict[str, list[Visit]] = {}
    for v in team.visits:
        c = by_id[v.child_id]
        if c.status == "early_help" or c.allocated_worker_id is None:
            continue  # no early help visits in the SSD; nobody to give an unallocated child's visit to
        v = replace(v, worker_id=c.allocated_worker_id, bedroom_seen=v.bedroom_seen and c.status != "cic")
        if c.status == "care_leaver":
            v = replace(v, seen_alone=False, bedroom_seen=False)
        visits.setdefault(v.child_id, []).append(v)
    kept = [vs[-1:] if by_id[cid].status == "care_leaver" else vs for cid, vs in visits.items()]
    return replace(team, workers=workers, children=tuple(children),
                   visits=tuple(sorted((v for vs in kept for v in vs), key=lambda v: (v.date, v.child_id))),
                   meetings=tuple(sorted(meetings, key=lambda m: (m.date, m.child_id, m.meeting_type))))


def one_of_each(team: Team) -> dict[str, Any]:
    """How many children of each status, placement type and CP category: what a test needs to
    know the extract covers every mapping it claims to."""
    out: dict[str, Any] = {}
    for c in team.children:
        out.setdefault("status", set()).add(c.status)
        if c.placement_type:
            out.setdefault("placement", set()).add((c.placement_type, c.placement_long_term))
        if c.cp_category:
            out.setdefault("cp_category", set()).add(c.cp_category)
    return out


__all__ = ["office", "one_of_each", "place_on_postcodes", "prepare", "to_ssd", "what_the_ssd_holds"]
