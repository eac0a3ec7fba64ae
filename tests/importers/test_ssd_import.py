"""`rota import ssd` on small hand-made SSD extracts (made-up people): statuses, allocation,
households, every mapped code, and the errors a team manager can fix."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scheduler.cli import main
from scheduler.importers import ssd_codes as codes
from scheduler.importers.ssd import TABLES, ImportResult, read_ssd
from scheduler.loading import InputErrors

ON = date(2026, 11, 20)  # a Friday: the reference date of every test here
# real Great Britain postcodes (central Swindon), so the offline lookup finds them
HOME, OTHER, THIRD, OFFICE = "SN1 1AE", "SN1 1AF", "SN1 1AG", "SN1 1BA"

Tables = dict[str, list[dict[str, str]]]


def address(
    pid: str,
    postcode: str,
    house: str = "12",
    street: str = "Made Up Lane",
    uprn: str = "",
    start: str = "01/01/2020",
    end: str = "",
) -> dict[str, str]:
    return {
        "addr_person_id": pid,
        "addr_address_postcode": postcode,
        "addr_address_start_date": start,
        "addr_address_end_date": end,
        "addr_address_json": json.dumps(
            {
                "ROOM": "",
                "FLOOR": "",
                "FLAT": "",
                "BUILDING": "",
                "HOUSE": house,
                "STREET": street,
                "TOWN": "Swindon",
                "UPRN": uprn,
                "EASTING": "",
                "NORTHING": "",
            }
        ),
    }


def person(pid: str, dob: str = "01/02/2015", **more: str) -> dict[str, str]:
    return {"pers_person_id": pid, "pers_forename": "Made", "pers_surname": f"Up{pid}", "pers_dob": dob, **more}


def allocated(
    pid: str,
    worker: str = "W1",
    start: str = "2026-01-05",
    role: str = "Allocated Case Worker",
    end: str = "",
    team: str = "T1",
) -> dict[str, str]:
    return {
        "invo_person_id": pid,
        "invo_professional_id": worker,
        "invo_professional_role_id": role,
        "invo_involvement_start_date": start,
        "invo_involvement_end_date": end,
        "invo_professional_team": team,
    }


def worker(wid: str = "W1", title: str = "Social Worker", reg: str = "SW100001", **more: str) -> dict[str, str]:
    return {
        "prof_professional_id": wid,
        "prof_professional_name": f"Worker {wid}",
        "prof_professional_job_title": title,
        "prof_social_worker_registration_no": reg,
        **more,
    }


def cin(pid: str, start: str = "05/01/2026", end: str = "", rid: str = "") -> dict[str, str]:
    return {
        "cine_referral_id": rid or f"R-{pid}",
        "cine_person_id": pid,
        "cine_referral_date": start,
        "cine_close_date": end,
    }


def one_cin_child() -> Tables:
    """One child in need (P1, referred 5 Jan 2026) allocated to W1, living at HOME."""
    tables: Tables = {t: [] for t in TABLES}
    tables["ssd_person"] = [person("P1")]
    tables["ssd_address"] = [address("P1", HOME)]
    tables["ssd_professionals"] = [worker()]
    tables["ssd_involvements"] = [allocated("P1")]
    tables["ssd_cin_episodes"] = [cin("P1")]
    return tables


def write(tables: Tables, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in tables.items():
        required, optional = TABLES.get(table, ((), ()))
        names = list(dict.fromkeys([*required, *optional, *(k for r in rows for k in r)]))
        with open(folder / f"{table}.csv", "w", encoding="utf-8", newline="") as f:
            out = csv.DictWriter(f, names, restval="", lineterminator="\n")
            out.writeheader()
            out.writerows(rows)
    return folder


def run(tables: Tables, tmp_path: Path, **kw: Any) -> ImportResult:
    kw.setdefault("base_postcode", OFFICE)
    return read_ssd(write(tables, tmp_path / "ssd"), kw.pop("on", ON), **kw)


def errors(tables: Tables, tmp_path: Path, **kw: Any) -> list[str]:
    with pytest.raises(InputErrors) as exc:
        run(tables, tmp_path, **kw)
    return [str(p) for p in exc.value.problems]


def child(result: ImportResult, pid: str = "P1") -> dict[str, str]:
    return next(c for c in result.children if c["child_id"] == pid)


# ---------------------------------------------------------------- the basics


def test_one_child_in_need(tmp_path: Path) -> None:
    r = run(one_cin_child(), tmp_path)
    c = child(r)
    assert (c["status"], c["status_start_date"], c["allocated_worker_id"], c["allocated_since"]) == (
        "cin",
        "2026-01-05",
        "W1",
        "2026-01-05",
    )
    assert c["postcode"] == HOME and 51.5 < float(c["lat"]) < 51.6 and -1.8 < float(c["lon"]) < -1.7
    assert c["household_id"] == "" and c["date_of_birth"] == "2015-02-01"
    [w] = r.workers
    assert (w["worker_id"], w["role"], w["qualified"], w["fte"], w["base_postcode"]) == (
        "W1",
        "social_worker",
        "yes",
        "1.0",
        OFFICE,
    )
    assert w["working_days"] == "Mon Tue Wed Thu Fri"  # not in the SSD: the default, and the report says so
    assert any("working_days" in line for line in r.report)
    assert any("absences.csv" in line for line in r.report)


def test_dates_and_postcodes_as_extracts_write_them(tmp_path: Path) -> None:
    t = one_cin_child()
    t["ssd_cin_episodes"] = [cin("P1", start="2026-01-05 00:00:00.000")]
    t["ssd_address"] = [address("P1", "sn11ae", start="2020-01-01T00:00:00")]
    c = child(run(t, tmp_path))
    assert c["status_start_date"] == "2026-01-05" and c["postcode"] == HOME


def test_closed_episodes_and_ended_addresses_are_history(tmp_path: Path) -> None:
    t = one_cin_child()
    # the CIN episode closed on the reference date itself: closed (SSDA903 starts the next one that day)
    t["ssd_cin_episodes"] = [cin("P1", end="20/11/2026")]
    t["ssd_person"].append(person("P2"))
    t["ssd_cin_episodes"].append(cin("P2", start="01/03/2026"))
    t["ssd_involvements"].append(allocated("P2"))
    t["ssd_address"] += [
        address("P2", OTHER, start="01/01/2019", end="01/06/2026"),
        address("P2", THIRD, start="01/06/2026"),
    ]
    r = run(t, tmp_path)
    assert [c["child_id"] for c in r.children] == ["P2"]
    assert child(r, "P2")["postcode"] == THIRD  # the address that ended on 1 June is not where P2 lives


# ---------------------------------------------------------------- status: the most protective open episode


def _child_with(tmp_path: Path, **episodes: list[dict[str, str]]) -> dict[str, str]:
    t = one_cin_child()
    for table, rows in episodes.items():
        t[table] += rows
    return child(run(t, tmp_path))


def test_looked_after_wins_over_cp_and_cin(tmp_path: Path) -> None:
    c = _child_with(
        tmp_path,
        ssd_cla_episodes=[
            {
                "clae_person_id": "P1",
                "clae_cla_episode_start_date": "01/09/2026",
                "clae_cla_episode_ceased_date": "",
                "clae_cla_id": "CLA1",
                "clae_entered_care_date": "15/08/2026",
            }
        ],
        ssd_cp_plans=[
            {
                "cppl_cp_plan_id": "CP1",
                "cppl_person_id": "P1",
                "cppl_cp_plan_start_date": "01/03/2026",
                "cppl_cp_plan_end_date": "",
                "cppl_cp_plan_latest_category": "Neglect",
            }
        ],
        ssd_cla_placement=[
            {
                "clap_person_id": "P1",
                "clap_cla_placement_start_date": "01/09/2026",
                "clap_cla_placement_end_date": "",
                "clap_cla_placement_type": "U6",
                "clap_cla_placement_postcode": OTHER,
            }
        ],
        ssd_legal_status=[
            {
                "lega_person_id": "P1",
                "lega_legal_status": "C2",
                "lega_legal_status_start_date": "01/09/2026",
                "lega_legal_status_end_date": "",
            }
        ],
    )
    # status starts when the child entered care (15 Aug), not at the latest episode (1 Sep)
    assert (c["status"], c["status_start_date"], c["placement_type"], c["placement_start_date"]) == (
        "cic",
        "2026-08-15",
        "foster",
        "2026-09-01",
    )
    assert c["postcode"] == OTHER  # a looked-after child lives at the placement
    assert c["cp_category"] == ""  # the CP plan lost to looked after: no category carried over


def test_cp_wins_over_s47_and_cin_and_starts_at_the_icpc(tmp_path: Path) -> None:
    c = _child_with(
        tmp_path,
        ssd_s47_enquiry=[{"s47e_person_id": "P1", "s47e_s47_start_date": "02/11/2026", "s47e_s47_end_date": ""}],
        ssd_cp_plans=[
            {
                "cppl_cp_plan_id": "CP1",
                "cppl_person_id": "P1",
                "cppl_cp_plan_start_date": "10/11/2026",
                "cppl_cp_plan_end_date": "",
                "cppl_cp_plan_initial_category": "Neglect",
                "cppl_cp_plan_latest_category": "Multiple: Neglect, Emotional abuse",
                "cppl_icpc_id": "IC1",
            }
        ],
        ssd_initial_cp_conference=[{"icpc_icpc_id": "IC1", "icpc_person_id": "P1", "icpc_icpc_date": "09/11/2026"}],
    )
    assert (c["status"], c["status_start_date"], c["cp_category"]) == ("cp", "2026-11-09", "multiple")


def test_s47_wins_over_cin(tmp_path: Path) -> None:
    c = _child_with(
        tmp_path,
        ssd_s47_enquiry=[{"s47e_person_id": "P1", "s47e_s47_start_date": "16/11/2026", "s47e_s47_end_date": ""}],
    )
    assert (c["status"], c["status_start_date"]) == ("s47", "2026-11-16")


def test_private_fostering_wins_over_cin(tmp_path: Path) -> None:
    c = _child_with(
        tmp_path,
        ssd_legal_status=[
            {
                "lega_person_id": "P1",
                "lega_legal_status": "Private Fostering",
                "lega_legal_status_start_date": "01/04/2026",
                "lega_legal_status_end_date": "",
            }
        ],
    )
    assert (c["status"], c["status_start_date"]) == ("private_fostering", "2026-04-01")


def test_cin_wins_over_care_leaver_and_care_leaver_over_early_help(tmp_path: Path) -> None:
    t = one_cin_child()
    t["ssd_person"] = [person("P1", dob="01/02/2007"), person("P2", dob="10/03/2007")]
    t["ssd_care_leavers"] = [
        {"clea_person_id": pid, "clea_care_leaver_eligibility": "Former Relevant", "clea_care_leaver_worker_id": "PA1"}
        for pid in ("P1", "P2")
    ]
    t["ssd_early_help_episodes"] = [
        {
            "earl_person_id": "P2",
            "earl_episode_start_date": "01/10/2026",
            "earl_episode_end_date": "",
            "earl_episode_worker_id": "PA1",
        }
    ]
    t["ssd_professionals"].append(worker("PA1", "Personal Adviser", ""))
    t["ssd_address"].append(address("P2", OTHER))
    r = run(t, tmp_path)
    assert child(r, "P1")["status"] == "cin"
    p2 = child(r, "P2")
    # a care leaver's status starts on the 18th birthday when no episode of care ended: 10 Mar 2007 + 18 y
    assert (p2["status"], p2["status_start_date"], p2["allocated_worker_id"]) == ("care_leaver", "2025-03-10", "PA1")
    assert next(w for w in r.workers if w["worker_id"] == "PA1")["role"] == "personal_adviser"


def test_no_current_eligibility_is_not_a_care_leaver(tmp_path: Path) -> None:
    t = one_cin_child()
    t["ssd_cin_episodes"] = []
    t["ssd_care_leavers"] = [{"clea_person_id": "P1", "clea_care_leaver_eligibility": "No Current Eligibility"}]
    # nobody to import: not an error of the reader; the command says so (test_cli_refuses_an_empty_team)
    assert run(t, tmp_path).children == []


# ---------------------------------------------------------------- allocation


def test_allocated_worker_is_the_open_case_worker_not_the_iro_or_chair(tmp_path: Path) -> None:
    t = one_cin_child()
    t["ssd_professionals"] += [
        worker("W0"),
        worker("IRO", "Independent Reviewing Officer"),
        worker("CH", "Child Protection Chair"),
    ]
    t["ssd_involvements"] = [
        allocated("P1", "W0", start="2025-06-01", end="2026-01-05"),  # the previous worker: ended
        allocated("P1", "W1", start="2026-01-05"),
        allocated("P1", "IRO", start="2026-10-01", role="Independent Reviewing Officer", team="IRO"),
        allocated("P1", "CH", start="2026-11-01", role="Conference Chair", team="CP"),
    ]
    r = run(t, tmp_path)
    assert child(r)["allocated_worker_id"] == "W1"
    assert [w["worker_id"] for w in r.workers] == ["W1"]  # neither the IRO, the chair nor the old worker


def test_unallocated_child_keeps_no_worker(tmp_path: Path) -> None:
    t = one_cin_child()
    t["ssd_involvements"] = []
    t["ssd_cin_visits"] = [
        {
            "cinv_person_id": "P1",
            "cinv_cin_visit_date": "01/11/2026",
            "cinv_cin_visit_seen": "Y",
            "cinv_cin_visit_seen_alone": "Y",
            "cinv_cin_visit_bedroom": "N",
        }
    ]
    r = run(t, tmp_path)
    assert child(r)["allocated_worker_id"] == "" and r.workers == [] and r.visits == []
    assert any("unallocated" in line for line in r.report)


def test_team_filter(tmp_path: Path) -> None:
    t = one_cin_child()
    t["ssd_department"] = [
        {"dept_team_id": "T1", "dept_team_name": "Made-up Team One"},
        {"dept_team_id": "T2", "dept_team_name": "Made-up Team Two"},
    ]
    t["ssd_person"].append(person("P2"))
    t["ssd_address"].append(address("P2", OTHER))
    t["ssd_cin_episodes"].append(cin("P2"))
    t["ssd_professionals"].append(worker("W2", reg="SW100002"))
    t["ssd_involvements"].append(allocated("P2", "W2", team="T2"))
    by_id = run(t, tmp_path, team="T2")
    by_name = run(t, tmp_path / "again", team="made-up team two")
    for r in (by_id, by_name):
        assert [c["child_id"] for c in r.children] == ["P2"] and [w["worker_id"] for w in r.workers] == ["W2"]
    assert [c["child_id"] for c in run(t, tmp_path / "all").children] == ["P1", "P2"]


def test_job_titles_registration_and_fte(tmp_path: Path) -> None:
    t = one_cin_child()
    t["ssd_professionals"] = [
        worker("W1", "Social Worker (ASYE)", "SW123456", prof_full_time_equivalency="0.6"),
        worker("W2", "Social Work Assistant", ""),
        worker("W3", "Assistant Team Manager", "SW223344"),
        worker("W4", "Family Support Worker", ""),
    ]
    t["ssd_involvements"] += [
        allocated("P1", "W2", role="Co-worker"),
        allocated("P1", "W3", role="Team Manager"),
        allocated("P1", "W4", role="Family Support Worker"),
    ]
    r = run(t, tmp_path)
    got = {w["worker_id"]: (w["role"], w["qualified"], w["newly_qualified"], w["fte"]) for w in r.workers}
    assert got == {
        "W1": ("social_worker", "yes", "yes", "0.6"),
        "W2": ("social_worker", "no", "no", "1.0"),
        "W3": ("team_manager", "yes", "no", "1.0"),
        "W4": ("early_help_practitioner", "no", "no", "1.0"),
    }
    assert any("unqualified" in str(w) for w in r.warnings)  # W2: a social worker title without registration


def test_worker_base_from_the_extension_column(tmp_path: Path) -> None:
    t = one_cin_child()
    t["ssd_professionals"] = [worker(prof_base_postcode="sn11ag")]
    assert run(t, tmp_path).workers[0]["base_postcode"] == THIRD


# ---------------------------------------------------------------- households


def test_household_is_the_same_address_not_the_same_postcode(tmp_path: Path) -> None:
    t = one_cin_child()
    t["ssd_person"] += [person("P2"), person("P3"), person("P4")]
    t["ssd_cin_episodes"] += [cin("P2"), cin("P3"), cin("P4")]
    t["ssd_involvements"] += [allocated("P2"), allocated("P3"), allocated("P4")]
    t["ssd_address"] += [
        address("P2", "SN11AE"),  # P1's address, postcode without the space: P1's household
        address("P3", HOME, house="14"),  # same postcode, next door: a household of its own
        address("P4", OTHER, uprn="100012345678"),
    ]
    t["ssd_address"][0] = address("P1", HOME)
    r = run(t, tmp_path)
    households = {c["child_id"]: c["household_id"] or c["child_id"] for c in r.children}
    assert households == {"P1": "H-P1", "P2": "H-P1", "P3": "P3", "P4": "P4"}


def test_same_uprn_is_one_household_whatever_the_text(tmp_path: Path) -> None:
    t = one_cin_child()
    t["ssd_person"].append(person("P2"))
    t["ssd_cin_episodes"].append(cin("P2"))
    t["ssd_involvements"].append(allocated("P2"))
    t["ssd_address"] = [address("P1", HOME, house="12", uprn="100099"), address("P2", HOME, house="12a", uprn="100099")]
    r = run(t, tmp_path)
    assert {c["household_id"] for c in r.children} == {"H-P1"}


# ---------------------------------------------------------------- placements and legal status


def _in_care(placements: list[tuple[str, str, str]], legal: str | None = "C2") -> Tables:
    """P1 looked after since 1 Mar 2026 with these (code, start, end) placements."""
    t = one_cin_child()
    t["ssd_cla_episodes"] = [
        {
            "clae_person_id": "P1",
            "clae_cla_episode_start_date": "01/03/2026",
            "clae_cla_episode_ceased_date": "",
            "clae_cla_id": "CLA1",
        }
    ]
    t["ssd_cla_placement"] = [
        {
            "clap_person_id": "P1",
            "clap_cla_placement_type": code,
            "clap_cla_placement_start_date": start,
            "clap_cla_placement_end_date": end,
            "clap_cla_placement_postcode": OTHER,
        }
        for code, start, end in placements
    ]
    if legal:
        t["ssd_legal_status"] = [
            {
                "lega_person_id": "P1",
                "lega_legal_status": legal,
                "lega_legal_status_start_date": "01/03/2026",
                "lega_legal_status_end_date": "",
            }
        ]
    return t


@pytest.mark.parametrize("code", sorted(codes.PLACEMENT_CODES.rows))
def test_every_placement_code(tmp_path: Path, code: str) -> None:
    kind = codes.PLACEMENT_CODES.get(code)
    # a temporary code (T0-T4) since 10 Nov interrupts the usual U4 placement that began on 1 Mar
    placements = (
        [("U4", "01/03/2026", "10/11/2026"), (code, "10/11/2026", "")] if kind.temporary else [(code, "01/03/2026", "")]
    )
    r = run(_in_care(placements, legal="C1"), tmp_path)
    c = child(r)
    if kind.temporary:
        assert (c["placement_type"], c["placement_long_term"], c["placement_start_date"]) == (
            "foster",
            "yes",
            "2026-03-01",
        )
    elif kind.with_parents:
        assert c["placement_type"] == "parent_ico"  # with an interim care order (C1)
    else:
        assert (c["placement_type"], c["placement_long_term"]) == (
            kind.placement_type,
            "yes" if kind.long_term else "no",
        )


def test_placed_with_parents_follows_the_order(tmp_path: Path) -> None:
    assert (
        child(run(_in_care([("P1", "01/03/2026", "")], legal="C2"), tmp_path))["placement_type"] == "parent_care_order"
    )
    r = run(_in_care([("P1", "01/03/2026", "")], legal="V2"), tmp_path / "v2")
    assert child(r)["placement_type"] == "parent_ico"  # no care order recorded: the stricter cadence, with a warning
    assert any("P1 (with parents)" in str(w) for w in r.warnings)


@pytest.mark.parametrize("code", sorted(codes.LEGAL_STATUS_CODES.rows))
def test_every_legal_status_code(tmp_path: Path, code: str) -> None:
    status = codes.LEGAL_STATUS_CODES.get(code)
    c = child(run(_in_care([("U6", "01/03/2026", "")], legal=code), tmp_path))
    assert c["status"] == "cic"  # the open CLA episode decides looked after, whatever the legal status
    assert c["placement_type"] == ("short_breaks" if status.short_breaks else "foster")


@pytest.mark.parametrize("value", sorted(codes.CP_CATEGORY_CODES.rows) + ["Multiple: Physical abuse, Neglect"])
def test_every_cp_category(tmp_path: Path, value: str) -> None:
    c = _child_with(
        tmp_path,
        ssd_cp_plans=[
            {
                "cppl_cp_plan_id": "CP1",
                "cppl_person_id": "P1",
                "cppl_cp_plan_start_date": "10/11/2026",
                "cppl_cp_plan_end_date": "",
                "cppl_cp_plan_latest_category": value,
            }
        ],
    )
    assert c["cp_category"] == codes.cp_category(value)
    assert c["cp_category"] in ("neglect", "physical", "emotional", "sexual", "multiple")


@pytest.mark.parametrize("value", sorted(codes.CARE_LEAVER_ELIGIBILITY.rows))
def test_every_care_leaver_eligibility(tmp_path: Path, value: str) -> None:
    t = one_cin_child()
    t["ssd_cin_episodes"] = []
    t["ssd_person"] = [person("P1", dob="01/02/2007")]
    t["ssd_care_leavers"] = [{"clea_person_id": "P1", "clea_care_leaver_eligibility": value}]
    r = run(t, tmp_path)
    assert [c["status"] for c in r.children] == (["care_leaver"] if codes.CARE_LEAVER_ELIGIBILITY.get(value) else [])


@pytest.mark.parametrize("role", sorted(codes.INVOLVEMENT_ROLES.rows))
def test_every_involvement_role(tmp_path: Path, role: str) -> None:
    t = one_cin_child()
    t["ssd_involvements"] = [allocated("P1", "W1", role=role)]
    r = run(t, tmp_path)
    kind = codes.INVOLVEMENT_ROLES.get(role)
    assert child(r)["allocated_worker_id"] == ("W1" if kind == codes.ALLOCATED else "")
    assert [w["worker_id"] for w in r.workers] == ([] if kind == codes.OTHER else ["W1"])


@pytest.mark.parametrize(("title", "role"), [(t[0], t[1]) for t in codes.JOB_TITLE_ROLES])
def test_every_job_title(title: str, role: str) -> None:
    assert codes.job_title_role(title.title()) == role


@pytest.mark.parametrize("flag", sorted(codes.FLAG_CODES.rows))
def test_every_flag(tmp_path: Path, flag: str) -> None:
    t = one_cin_child()
    t["ssd_cin_visits"] = [
        {
            "cinv_person_id": "P1",
            "cinv_cin_visit_date": "02/11/2026",
            "cinv_cin_visit_seen": "Y",
            "cinv_cin_visit_seen_alone": flag,
            "cinv_cin_visit_bedroom": flag,
        }
    ]
    [v] = run(t, tmp_path).visits
    yes = "yes" if codes.FLAG_CODES.get(flag) else "no"
    assert (v["date"], v["worker_id"], v["seen_alone"], v["bedroom_seen"]) == ("2026-11-02", "W1", yes, yes)


# ---------------------------------------------------------------- history


def test_visits_count_only_when_the_child_was_seen(tmp_path: Path) -> None:
    t = one_cin_child()
    row = {"cinv_person_id": "P1", "cinv_cin_visit_seen_alone": "Y", "cinv_cin_visit_bedroom": ""}
    t["ssd_cin_visits"] = [
        {**row, "cinv_cin_visit_date": "02/11/2026", "cinv_cin_visit_seen": "Y"},
        {**row, "cinv_cin_visit_date": "09/11/2026", "cinv_cin_visit_seen": "N"},
        {**row, "cinv_cin_visit_date": "16/11/2026", "cinv_cin_visit_seen": ""},
        {**row, "cinv_cin_visit_date": "23/11/2026", "cinv_cin_visit_seen": "Y"},
    ]  # after ON
    r = run(t, tmp_path)
    # blank bedroom flag: not seen (the stricter reading)
    assert r.visits == [
        {"child_id": "P1", "date": "2026-11-02", "worker_id": "W1", "seen_alone": "yes", "bedroom_seen": "no"}
    ]


def test_visit_goes_to_the_worker_allocated_that_day(tmp_path: Path) -> None:
    t = one_cin_child()
    t["ssd_professionals"].append(worker("W0", reg="SW100000"))
    t["ssd_involvements"] = [
        allocated("P1", "W0", start="2026-01-05", end="2026-10-31"),
        allocated("P1", "W1", start="2026-10-31"),
    ]
    t["ssd_professionals"][1]["prof_professional_department"] = "T1"
    v = {
        "cinv_person_id": "P1",
        "cinv_cin_visit_seen": "Y",
        "cinv_cin_visit_seen_alone": "Y",
        "cinv_cin_visit_bedroom": "Y",
    }
    t["ssd_cin_visits"] = [{**v, "cinv_cin_visit_date": "15/10/2026"}, {**v, "cinv_cin_visit_date": "15/11/2026"}]
    r = run(t, tmp_path, team="T1")  # W0 is in the team (department T1), so the October visit is theirs
    assert [(x["date"], x["worker_id"]) for x in r.visits] == [("2026-10-15", "W0"), ("2026-11-15", "W1")]


def test_reviews_and_conferences_held_and_booked(tmp_path: Path) -> None:
    t = one_cin_child()
    t["ssd_s47_enquiry"] = [
        {"s47e_person_id": "P1", "s47e_s47_start_date": "20/10/2026", "s47e_s47_end_date": "03/11/2026"}
    ]
    t["ssd_initial_cp_conference"] = [{"icpc_person_id": "P1", "icpc_icpc_date": "03/11/2026", "icpc_icpc_id": "IC1"}]
    t["ssd_cp_plans"] = [
        {
            "cppl_cp_plan_id": "CP1",
            "cppl_person_id": "P1",
            "cppl_cp_plan_start_date": "03/11/2026",
            "cppl_cp_plan_end_date": "",
            "cppl_cp_plan_latest_category": "Neglect",
            "cppl_icpc_id": "IC1",
        }
    ]
    # the first review conference is due three months after the ICPC: 3 Feb 2027, not yet held
    t["ssd_cp_reviews"] = [
        {
            "cppr_person_id": "P1",
            "cppr_cp_plan_id": "CP1",
            "cppr_cp_review_due": "03/02/2027",
            "cppr_cp_review_date": "",
        }
    ]
    r = run(t, tmp_path)
    assert [(m["meeting_type"], m["date"], m["status"]) for m in r.meetings] == [
        ("strategy", "2026-10-20", "held"),
        ("icpc", "2026-11-03", "held"),
        ("rcpc", "2027-02-03", "booked"),
    ]
    c = child(r)
    assert (c["status"], c["status_start_date"], c["first_review_date"]) == ("cp", "2026-11-03", "")


def test_looked_after_reviews_follow_the_period_of_care(tmp_path: Path) -> None:
    t = _in_care([("U6", "01/03/2026", "")])
    t["ssd_cla_reviews"] = [
        {"clar_cla_id": "CLA1", "clar_cla_review_date": "26/03/2026", "clar_cla_review_due_date": "29/03/2026"},
        {"clar_cla_id": "CLA1", "clar_cla_review_date": "", "clar_cla_review_due_date": "20/12/2026"},
        {
            "clar_cla_id": "CLA1",
            "clar_cla_review_date": "01/06/2026",
            "clar_cla_review_due_date": "01/06/2026",
            "clar_cla_review_cancelled": "Y",
        },
        {"clar_cla_id": "OLD", "clar_cla_review_date": "01/01/2024", "clar_cla_review_due_date": "01/01/2024"},
    ]
    r = run(t, tmp_path)
    assert child(r)["first_review_date"] == "2026-03-26"
    assert [(m["meeting_type"], m["date"], m["status"]) for m in r.meetings] == [
        ("cic_review", "2026-03-26", "held"),
        ("cic_review", "2026-12-20", "booked"),
    ]


def test_unborn_child(tmp_path: Path) -> None:
    t = one_cin_child()
    t["ssd_person"] = [person("P1", dob="", pers_expected_dob="01/02/2027")]
    assert child(run(t, tmp_path))["date_of_birth"] == ""


# ---------------------------------------------------------------- errors a manager can fix


def test_a_bad_code_names_file_row_field_and_value(tmp_path: Path) -> None:
    errs = errors(_in_care([("X9", "01/03/2026", "")]), tmp_path)
    assert errs == [
        "ssd_cla_placement.csv:2: clap_cla_placement_type: 'X9' is not a known SSDA903 placement type "
        "code; expected one of " + ", ".join(codes.PLACEMENT_CODES.rows)
    ]


@pytest.mark.parametrize(
    ("table", "row", "field", "value"),
    [
        (
            "ssd_legal_status",
            {
                "lega_person_id": "P1",
                "lega_legal_status": "Z7",
                "lega_legal_status_start_date": "01/03/2026",
                "lega_legal_status_end_date": "",
            },
            "lega_legal_status",
            "Z7",
        ),
        (
            "ssd_care_leavers",
            {"clea_person_id": "P1", "clea_care_leaver_eligibility": "Maybe"},
            "clea_care_leaver_eligibility",
            "Maybe",
        ),
        ("ssd_involvements", allocated("P1", role="Dog Walker"), "invo_professional_role_id", "Dog Walker"),
        ("ssd_professionals", worker("W9", "Chief Executive"), "prof_professional_job_title", "Chief Executive"),
        (
            "ssd_cin_visits",
            {
                "cinv_person_id": "P1",
                "cinv_cin_visit_date": "02/11/2026",
                "cinv_cin_visit_seen": "Perhaps",
                "cinv_cin_visit_seen_alone": "Y",
                "cinv_cin_visit_bedroom": "Y",
            },
            "cinv_cin_visit_seen",
            "Perhaps",
        ),
    ],
)
def test_every_unmapped_value_is_an_error(
    tmp_path: Path, table: str, row: dict[str, str], field: str, value: str
) -> None:
    t = one_cin_child()
    t[table].append(row)
    if table == "ssd_professionals":
        t["ssd_involvements"].append(allocated("P1", "W9", role="Team Manager"))
    errs = errors(t, tmp_path)
    assert any(e.startswith(f"{table}.csv:") and f": {field}: {value!r} " in e for e in errs), errs


def test_a_missing_table(tmp_path: Path) -> None:
    t = one_cin_child()
    folder = write(t, tmp_path / "ssd")
    (folder / "ssd_cp_plans.csv").unlink()
    with pytest.raises(InputErrors) as exc:
        read_ssd(folder, ON, base_postcode=OFFICE)
    assert [str(p) for p in exc.value.problems] == [
        "ssd_cp_plans.csv: missing table; expected ssd_cp_plans.csv (a CSV extract of the SSD table ssd_cp_plans, "
        "header = its field names) in the extract folder"
    ]


def test_a_missing_field(tmp_path: Path) -> None:
    folder = write(one_cin_child(), tmp_path / "ssd")
    text = (folder / "ssd_person.csv").read_text().replace("pers_dob", "date_of_birth")
    (folder / "ssd_person.csv").write_text(text)
    with pytest.raises(InputErrors) as exc:
        read_ssd(folder, ON, base_postcode=OFFICE)
    assert [str(p) for p in exc.value.problems] == [
        "ssd_person.csv: pers_dob: missing field; expected the SSD field pers_dob in the header row"
    ]


def test_a_child_with_two_open_episodes(tmp_path: Path) -> None:
    t = one_cin_child()
    plan = {"cppl_person_id": "P1", "cppl_cp_plan_end_date": "", "cppl_cp_plan_latest_category": "Neglect"}
    t["ssd_cp_plans"] = [
        {**plan, "cppl_cp_plan_id": "CP1", "cppl_cp_plan_start_date": "01/06/2026"},
        {**plan, "cppl_cp_plan_id": "CP2", "cppl_cp_plan_start_date": "01/10/2026"},
    ]
    assert errors(t, tmp_path) == [
        "ssd_cp_plans.csv:3: cppl_cp_plan_start_date: a second child protection plan open on 2026-11-20 for person "
        "'P1' (the other is on row 2); expected at most one open at a time: close the earlier one with its end date"
    ]


def test_an_unknown_postcode_is_reported_without_repeating_it(tmp_path: Path) -> None:
    t = one_cin_child()
    t["ssd_address"] = [address("P1", "SN1 1ZZ")]
    assert errors(t, tmp_path) == [
        "ssd_address.csv:2: addr_address_postcode: the postcode is not in the offline postcode list (it may be "
        "mistyped, new, or retired); check it, or give the location in lat and lon (base_lat and base_lon for a worker)"
    ]
    t["ssd_address"] = [address("P1", "BT1 1AA")]
    [err] = errors(t, tmp_path / "ni")
    assert "Northern Ireland" in err and "BT1" not in err


def test_base_postcode_is_required_and_checked(tmp_path: Path) -> None:
    assert errors(one_cin_child(), tmp_path, base_postcode=None) == [
        "--base-postcode: is needed: the SSD holds no worker locations; expected --base-postcode with the team "
        "office's postcode (every worker's day starts there; edit base_lat, base_lon in workers.csv afterwards for "
        "anyone who starts elsewhere)"
    ]
    [err] = errors(one_cin_child(), tmp_path / "bad", base_postcode="SN99 9ZZ")
    assert (
        err == "--base-postcode: the postcode is not in the offline postcode list (Great Britain only); expected the "
        "team office's postcode, e.g. SN1 2AB"
    )


def test_a_bad_date_and_a_private_one(tmp_path: Path) -> None:
    t = one_cin_child()
    t["ssd_cin_episodes"] = [cin("P1", start="31/02/2026")]
    t["ssd_person"] = [person("P1", dob="2015-13-01")]
    errs = errors(t, tmp_path)
    assert (
        "ssd_cin_episodes.csv:2: cine_referral_date: '31/02/2026' is not a real calendar date; expected a date "
        "as YYYY-MM-DD (2026-11-30) or DD/MM/YYYY (30/11/2026)" in errs
    )
    # a date of birth is personal: the row and field say where, the value is not repeated
    t["ssd_cin_episodes"] = [cin("P1")]
    errs = errors(t, tmp_path / "dob")
    assert any(e.startswith("ssd_person.csv:2: pers_dob: the value is not a real calendar date") for e in errs), errs


def test_blank_date_of_birth_without_an_expected_one(tmp_path: Path) -> None:
    t = one_cin_child()
    t["ssd_person"] = [person("P1", dob="")]
    assert errors(t, tmp_path) == [
        "ssd_person.csv:2: pers_dob: is blank and so is pers_expected_dob; expected the date of birth, or the expected "
        "date of birth of an unborn child"
    ]


# ---------------------------------------------------------------- the command


def test_cli_writes_a_folder_rota_check_accepts_and_never_prints_personal_details(tmp_path: Path) -> None:
    t = one_cin_child()
    folder = write(t, tmp_path / "ssd")
    out = tmp_path / "team"
    runner = CliRunner()
    res = runner.invoke(
        main, ["import", "ssd", str(folder), "--out", str(out), "--on", "20/11/2026", "--base-postcode", "sn11ba"]
    )
    assert res.exit_code == 0, res.output
    for secret in ("UpP1", "Made Up Lane", HOME, "SN11AE", "2015-02-01"):
        assert secret not in res.output
    assert "Ordnance Survey" in res.output  # the postcode data's attribution
    assert sorted(p.name for p in out.iterdir()) == [
        "children.csv",
        "import_report.txt",
        "meetings.csv",
        "visits.csv",
        "workers.csv",
    ]
    check = runner.invoke(main, ["check", str(out), "--on", "2026-11-20"])
    assert check.exit_code == 0, check.output
    # a second import into the same folder needs --force
    again = runner.invoke(
        main, ["import", "ssd", str(folder), "--out", str(out), "--on", "20/11/2026", "--base-postcode", OFFICE]
    )
    assert again.exit_code == 2 and "--force" in again.output
    forced = runner.invoke(
        main,
        ["import", "ssd", str(folder), "--out", str(out), "--on", "20/11/2026", "--base-postcode", OFFICE, "--force"],
    )
    assert forced.exit_code == 0, forced.output
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".team")]  # no temporary folders left


def test_cli_reports_problems_and_writes_nothing(tmp_path: Path) -> None:
    t = one_cin_child()
    t["ssd_address"] = [address("P1", "SN1 1ZZ")]
    folder = write(t, tmp_path / "ssd")
    res = CliRunner().invoke(
        main,
        [
            "import",
            "ssd",
            str(folder),
            "--out",
            str(tmp_path / "team"),
            "--on",
            "2026-11-20",
            "--base-postcode",
            OFFICE,
        ],
    )
    assert res.exit_code == 2
    assert "ssd_address.csv:2: addr_address_postcode:" in res.output and "SN1 1ZZ" not in res.output
    assert not (tmp_path / "team").exists()


def test_cli_refuses_an_empty_team(tmp_path: Path) -> None:
    folder = write(one_cin_child(), tmp_path / "ssd")
    res = CliRunner().invoke(
        main,
        [
            "import",
            "ssd",
            str(folder),
            "--out",
            str(tmp_path / "team"),
            "--on",
            "2026-11-20",
            "--base-postcode",
            OFFICE,
            "--team",
            "NOPE",
        ],
    )
    assert res.exit_code == 2 and "no child has an open episode" in res.output
    assert not (tmp_path / "team").exists()
