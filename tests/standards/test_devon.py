"""Devon standards (constraints/devon.yaml): worked due dates, computed by hand.

Devon's visiting table has a statutory column and a "Good Practice Expectations" column; both are
encoded (level statutory / local) and `strictest` must report the local one when it is earlier.
England bank holidays used: Fri 25 Dec 2026, Mon 28 Dec 2026 (Boxing Day substitute), Fri 1 Jan 2027,
Good Friday 26 Mar 2027, Easter Monday 29 Mar 2027.
"""
from __future__ import annotations

import pytest

from scheduler.domain import Child, Meeting, Visit
from tests.standards.helpers import D, Worked, all_citations, seed_text, squash

W = Worked("devon", child_id="C1", where=(50.7, -3.5), born=D("2015-05-05"))
STD, RULES, child, due = W.std, W.rules, W.child, W.due
all_dues = W.dues  # (child, on, visits, meetings) -> every applicable Due
strictest_by_requirement = W.strictest  # (child, on, visits, meetings) -> {requirement: strictest Due}


def visits(*days: str) -> tuple[Visit, ...]:
    return tuple(W.visit(d) for d in days)


def foster(start: str, placed: str, **kw) -> Child:
    return child("cic", start, placement_type="foster", placement_start_date=D(placed), **kw)


# ---------------------------------------------------------------- the file itself

def test_every_quote_and_section_is_verbatim_in_the_seed():
    seed = squash(seed_text(STD.source.file))
    citations = all_citations(STD)
    missing = [c.quote for c in citations if squash(c.quote) not in seed]
    missing += [c.section for c in citations if squash(c.section) not in seed]
    assert missing == []


def test_both_levels_are_encoded_for_foster_care_and_only_local_where_statutory_says_none():
    levels = {r.id: r.level for r in STD.rules}
    assert levels["devon.cic.visit.statutory"] == "statutory"
    assert levels["devon.cic.visit.local"] == "local"
    # the statutory column reads "None in place" for children in need and child protection plans
    for status in ("cin", "cp"):
        assert {r.level for r in STD.rules if r.requirement == "visit" and status in r.applies_to.status} == {"local"}


def test_uncovered_statuses_are_declared_silent():
    silent = {(s.requirement, st) for s in STD.silent for st in s.status}
    assert {("visit", "early_help"), ("visit", "private_fostering"), ("cp_review", "cp"),
            ("cic_review", "cic"), ("core_group", "cp"), ("pep", "cic")} <= silent
    assert strictest_by_requirement(child("early_help", "2026-12-01"), "2026-12-10") == {}


# ---------------------------------------------------------------- local level wins

def test_foster_first_year_local_4_weekly_beats_statutory_6_weekly():
    c = foster("2026-12-14", "2026-12-14")
    dues = all_dues(c, "2026-12-22", visits("2026-12-14", "2026-12-21"))
    by_rule = {d.rule.id: d.due_by for d in dues if d.requirement == "visit"}
    assert by_rule == {
        "devon.cic.visit.local": D("2027-01-18"),  # Mon 21 Dec + 4 weeks
        "devon.cic.visit.statutory": D("2027-02-01"),  # Mon 21 Dec + 6 weeks
    }
    best = strictest_by_requirement(c, "2026-12-22", visits("2026-12-14", "2026-12-21"))["visit"]
    assert (best.due_by, best.rule.level) == (D("2027-01-18"), "local")


def test_foster_placement_day_visit_is_local_only():
    c = foster("2026-12-14", "2026-12-14")
    assert due("devon.cic.visit.local", c) == D("2026-12-14")  # on the day placed
    assert due("devon.cic.visit.statutory", c) == D("2026-12-21")  # within one week
    best = strictest_by_requirement(c, "2026-12-14")["visit"]
    assert (best.due_by, best.rule.level) == (D("2026-12-14"), "local")
    # after the placement-day visit: local within one week of it, statutory now 6 weekly
    assert due("devon.cic.visit.local", c, "2026-12-14") == D("2026-12-21")
    assert due("devon.cic.visit.statutory", c, "2026-12-14") == D("2027-01-25")


def test_after_the_first_year_levels_tie_at_6_weeks_and_local_is_reported():
    c = foster("2025-06-01", "2025-06-01")
    best = strictest_by_requirement(c, "2026-12-22", visits("2025-06-01", "2025-06-05", "2026-12-21"))["visit"]
    assert (best.due_by, best.rule.level) == (D("2027-02-01"), "local")  # Mon 21 Dec + 42 days


def test_permanent_placement_statutory_3_monthly_local_stays_6_weekly():
    c = foster("2025-06-01", "2025-06-01", placement_long_term=True)
    occ = ("2025-06-01", "2025-06-05", "2026-12-21")
    assert due("devon.cic.visit.permanent.statutory", c, *occ) == D("2027-03-21")  # 21 Dec + 3 months
    assert not RULES["devon.cic.visit.statutory"].applies_to.matches(c, D("2026-12-22"))
    best = strictest_by_requirement(c, "2026-12-22", visits(*occ))["visit"]
    assert (best.due_by, best.rule.id) == (D("2027-02-01"), "devon.cic.visit.local")


def test_cin_local_first_visit_then_20_working_days_across_christmas():
    c = child("cin", "2026-12-22")
    assert due("devon.cin.first_visit.local", c) == D("2026-12-27")  # Tue 22 Dec + 5 calendar days
    # 20 WD after Tue 22 Dec: 23,24,29,30,31 Dec (5), 4-8 Jan (10), 11-15 Jan (15), 18-22 Jan (20)
    assert due("devon.cin.visit.local", c) == D("2027-01-22")
    assert strictest_by_requirement(c, "2026-12-23")["visit"].due_by == D("2026-12-27")
    # visited Thu 24 Dec: first-visit rule satisfied; 20 WD: 29,30,31 Dec, 4-8, 11-15, 18-22, 25, 26 Jan
    after = strictest_by_requirement(c, "2026-12-24", visits("2026-12-24"))["visit"]
    assert (after.due_by, after.rule.id) == (D("2027-01-26"), "devon.cin.visit.local")


def test_s47_good_practice_24_hours():
    c = child("s47", "2026-12-24")
    assert due("devon.s47.first_visit.local", c) == D("2026-12-25")  # Thu 24 Dec + 1 calendar day
    assert due("devon.s47.first_visit.local", c, "2026-12-24") is None
    assert strictest_by_requirement(c, "2026-12-24")["visit"].rule.level == "local"


def test_cp_10_working_days_after_icpc_across_easter():
    c = child("cp", "2027-03-17")
    # 10 WD after Wed 17 Mar 2027: 18,19,22,23,24,25, [26 Good Fri, 29 Easter Mon], 30,31 Mar, 1,2 Apr
    assert due("devon.cp.visit.local", c) == D("2027-04-02")
    assert strictest_by_requirement(c, "2027-03-18")["seen_alone"].due_by == D("2027-04-02")


# ---------------------------------------------------------------- other placement types

@pytest.mark.parametrize("placement", ["parent_ico", "parent_care_order"])
def test_parents_weekly_until_first_review_then_4_weekly(placement):
    c = child("cic", "2026-12-18", placement_type=placement, placement_start_date=D("2026-12-18"),
              first_review_date=D("2027-01-29"))
    rule = "devon.cic.visit.temporary_approval_or_parent"
    assert due(rule, c) == D("2026-12-25")  # Fri 18 Dec + 7 days (Christmas Day)
    assert due(rule, c, "2026-12-24") == D("2026-12-31")
    assert due(rule, c, "2027-01-29") == D("2027-02-26")  # visited on review day: + 4 weeks
    assert {d.rule.id for d in all_dues(c, "2026-12-20") if d.requirement == "visit"} == {rule}


def test_connected_person_weekly_before_and_after_the_first_review():
    c = child("cic", "2027-03-01", placement_type="connected_person", placement_start_date=D("2027-03-01"),
              first_review_date=D("2027-03-26"))
    occ = visits("2027-03-01", "2027-03-05", "2027-03-12", "2027-03-19", "2027-03-26")
    dues = {d.rule.id: d.due_by for d in all_dues(c, "2027-03-26", occ) if d.requirement == "visit"}
    # issue 8 item 5: regulation 24 (weekly until the first review, then 4 weekly until approved) and a
    # planned placement not yet approved by panel (weekly until approved) cannot be told apart
    assert dues == {
        "devon.cic.visit.local": D("2027-04-23"),  # Fri 26 Mar + 4 weeks (first year)
        "devon.cic.visit.statutory": D("2027-05-07"),  # + 6 weeks
        "devon.cic.visit.connected_person": D("2027-04-02"),  # + 7 days, even after the review
    }
    assert strictest_by_requirement(c, "2027-03-26", occ)["visit"].due_by == D("2027-04-02")


def test_short_breaks_visits_and_sleeping_arrangements():
    c = child("cic", "2027-03-27", placement_type="short_breaks", placement_start_date=D("2027-03-27"))
    assert due("devon.cic.visit.short_breaks", c) == D("2027-04-02")  # Sat 27 Mar + 6 = 7th placement day
    # Mon 29 Mar + 83 days = Sun 20 Jun, before 27 Jun (3 months after the first placement day)
    assert due("devon.cic.visit.short_breaks", c, "2027-03-29") == D("2027-06-20")
    assert due("devon.cic.visit.short_breaks", c, "2027-03-29", "2027-06-18") == D("2027-12-18")  # 6 months
    assert due("devon.cic.short_breaks.bedroom", c) == D("2028-03-27")
    bedroom_seen = (Visit("C1", D("2027-03-29"), "W1", True, True),)
    assert strictest_by_requirement(c, "2027-04-01", bedroom_seen)["bedroom"].due_by == D("2028-03-29")


def test_adoption_weekly_then_6_weekly_then_3_monthly():
    c = child("cic", "2026-06-01", placement_type="adoption", placement_start_date=D("2026-12-24"),
              first_review_date=D("2027-02-19"))
    rule = "devon.cic.visit.adoption"
    assert due(rule, c) == D("2026-12-31")  # Thu 24 Dec + 7 days
    assert due(rule, c, "2027-02-19") == D("2027-04-02")  # visited on review day: Fri 19 Feb + 42 days
    assert due(rule, c, "2027-02-19", "2027-12-24") == D("2028-03-24")  # 25 Dec 2027: year 2, 3 months


# ---------------------------------------------------------------- care leavers, meetings, supervision

def test_care_leaver_pa_visits_two_monthly_and_pathway_reviews():
    c = child("care_leaver", "2026-11-30", date_of_birth=D("2008-01-15"))
    assert due("devon.care_leaver.visit", c) == D("2027-01-30")  # 30 Nov + 2 months
    assert due("devon.care_leaver.visit", c, "2026-12-31") == D("2027-02-28")  # clamped to month end
    assert due("devon.pathway_review", c) == D("2023-07-15")  # 15 Jan 2008 + 186 months: long overdue
    assert due("devon.pathway_review", c, "2026-12-24") == D("2027-06-24")
    assert "seen_alone" not in strictest_by_requirement(c, "2026-12-01")


def test_cin_core_group_6_weekly_and_review_12_weekly():
    c = child("cin", "2026-12-24")
    assert due("devon.cin.core_group", c) == D("2027-02-04")  # Thu 24 Dec + 42 days
    assert due("devon.cin.review", c) == D("2027-03-18")  # + 84 days
    held = (Meeting("C1", "cin_review", D("2027-03-18"), "held"),)
    assert strictest_by_requirement(c, "2027-03-19", meetings=held)["cin_review"].due_by == D("2027-06-10")


def test_no_core_group_or_review_conference_cadence_for_cp():
    dues = strictest_by_requirement(child("cp", "2026-12-18"), "2026-12-20")
    assert "core_group" not in dues and "cp_review" not in dues


def test_supervision_monthly_per_child():
    c = child("cp", "2027-01-31")
    assert due("devon.supervision", c) == D("2027-02-28")  # 31 Jan + 1 month, clamped
    assert due("devon.supervision", c, "2027-02-28") == D("2027-03-28")


# ---------------------------------------------------------------- issue 8: no child missed

def test_item1_cic_child_with_no_placement_type_gets_every_looked_after_visit_rule():
    c = child("cic", "2026-10-05")
    got = {d.rule.id for d in all_dues(c, "2026-10-12", visits("2026-10-09")) if d.requirement == "visit"}
    assert got == {"devon.cic.visit.local", "devon.cic.visit.statutory", "devon.cic.visit.connected_person",
                   "devon.cic.visit.temporary_approval_or_parent", "devon.cic.visit.short_breaks",
                   "devon.cic.visit.adoption"}
    # seen Fri 9 Oct 2026: weekly (connected person; parents until the first review) -> Fri 16 Oct 2026
    assert strictest_by_requirement(c, "2026-10-12", visits("2026-10-09"))["visit"].due_by == D("2026-10-16")


@pytest.mark.parametrize(("ptype", "rule_id"), [("adoption", "devon.cic.visit.adoption"),
                                                ("parent_ico", "devon.cic.visit.temporary_approval_or_parent")])
def test_item2_weekly_until_the_first_review_of_this_placement(ptype, rule_id):
    # placed Mon 2 Nov 2026, seen that day; first review on file 25 Jun 2025 (an earlier placement)
    c = child("cic", "2025-06-01", placement_type=ptype, placement_start_date=D("2026-11-02"),
              first_review_date=D("2025-06-25"))
    # weekly: Mon 2 Nov + 7 -> Mon 9 Nov 2026 (not six weeks / four weeks after it)
    assert W.rule_due(rule_id, c, "2026-11-03", visits("2026-11-02")).due_by == D("2026-11-09")
    assert strictest_by_requirement(c, "2026-11-03", visits("2026-11-02"))["visit"].due_by == D("2026-11-09")


def test_item4_permanent_placement_local_3_monthly_only_with_an_agreed_reduction():
    occ = ("2025-06-01", "2025-06-05", "2026-12-21")
    agreed = foster("2025-06-01", "2025-06-01", placement_long_term=True, visit_reduction_agreed=True)
    # Mon 21 Dec 2026, second year of the placement: local 3 monthly -> Sun 21 Mar 2027 (ties the statutory)
    assert W.rule_due("devon.cic.visit.permanent.local", agreed, "2026-12-22", visits(*occ)).due_by == D("2027-03-21")
    assert "devon.cic.visit.local" not in {d.rule.id for d in all_dues(agreed, "2026-12-22", visits(*occ))}
    best = strictest_by_requirement(agreed, "2026-12-22", visits(*occ))["visit"]
    assert (best.due_by, best.rule.level) == (D("2027-03-21"), "local")
    # no agreement recorded: the local level stays 6 weekly -> Mon 1 Feb 2027
    not_agreed = foster("2025-06-01", "2025-06-01", placement_long_term=True)
    assert strictest_by_requirement(not_agreed, "2026-12-22", visits(*occ))["visit"].due_by == D("2027-02-01")
    # an agreed reduction for a placement that is not permanent changes nothing: 6 weekly -> Mon 1 Feb 2027
    temporary = foster("2025-06-01", "2025-06-01", visit_reduction_agreed=True)
    assert strictest_by_requirement(temporary, "2026-12-22", visits(*occ))["visit"].due_by == D("2027-02-01")


@pytest.mark.parametrize(("status", "rule_id"), [("cp", "devon.cp.visit.local"), ("cin", "devon.cin.visit.local"),
                                                 ("s47", "devon.s47.first_visit.local")])
def test_item7_local_only_visits_weigh_as_statutory(status, rule_id):
    from scheduler.policy import severity
    from scheduler.requirements import effective_level, rule_severity

    c = child(status, "2026-11-02")
    row = W.rule_due(rule_id, c, "2026-11-02")
    assert (RULES[rule_id].level, row.level) == ("local", "statutory")
    assert rule_severity(STD, c, RULES[rule_id], D("2026-11-02")) == severity(c, "statutory")
    # where a statutory rule for the same requirement also applies, local stays less severe
    f = foster("2026-11-02", "2026-11-02")
    assert effective_level(STD, f, RULES["devon.cic.visit.local"], D("2026-11-02")) == "local"
    assert rule_severity(STD, f, RULES["devon.cic.visit.local"], D("2026-11-02")) < severity(f, "statutory")


def test_item8_pathway_review_rule_applies_from_the_15th_birthday():
    c = child("cic", "2024-01-08", placement_type="foster", placement_start_date=D("2024-01-08"),
              date_of_birth=D("2011-12-20"))  # 15 on Sun 20 Dec 2026
    assert "pathway_review" not in strictest_by_requirement(c, "2026-12-19")
    # 20 Dec 2011 + 186 months -> Sun 20 Jun 2027
    assert W.rule_due("devon.pathway_review", c, "2026-12-20").due_by == D("2027-06-20")


def test_item9_placement_before_the_history_is_warned():
    from scheduler.domain import Team
    from scheduler.history_check import history_gaps
    from tests.standards.helpers import CAL

    c = foster("2024-01-08", "2024-01-08")
    team = Team(workers=(), children=(c,), visits=visits("2026-10-01"), meetings=())
    gaps = {g.rule.id: g for g in history_gaps(team, STD, CAL, D("2026-11-02"))}
    # local: same day, then within a week (2 visits); statutory: within a week (1 visit, on record)
    assert (gaps["devon.cic.visit.local"].counted, gaps["devon.cic.visit.local"].needed) == (1, 2)
    assert "devon.cic.visit.statutory" not in gaps
