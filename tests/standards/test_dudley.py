"""Dudley standards (constraints/dudley.yaml): worked due dates, computed by hand.

England bank holidays used: Fri 25 Dec 2026, Mon 28 Dec 2026 (Boxing Day substitute, 26 Dec is a
Saturday), Fri 1 Jan 2027, Good Friday 26 Mar 2027, Easter Monday 29 Mar 2027.
"""
from __future__ import annotations

import pytest

from scheduler.domain import Meeting, Team
from scheduler.requirements import child_dues
from tests.standards.helpers import CAL, D, Worked, all_citations, seed_text, squash

W = Worked("dudley", child_id="C1", where=(52.5, -2.1), born=D("2015-05-05"))
STD, RULES, child, due, visit = W.std, W.rules, W.child, W.due, W.visit
dues_by_requirement = W.strictest  # (child, on, visits, meetings) -> {requirement: strictest Due}


# ---------------------------------------------------------------- the file itself

def test_every_quote_and_section_is_verbatim_in_the_seed():
    seed = squash(seed_text(STD.source.file))
    citations = all_citations(STD)
    missing = [c.quote for c in citations if squash(c.quote) not in seed]
    missing += [c.section for c in citations if squash(c.section) not in seed]
    assert missing == []


def test_every_status_is_covered_or_declared_silent():
    for status in ("early_help", "cin", "s47", "cp", "cic", "care_leaver", "private_fostering"):
        has_visit = any(r.requirement == "visit" and status in r.applies_to.status for r in STD.rules)
        silent = any(s.requirement == "visit" and status in s.status for s in STD.silent)
        assert has_visit or silent, status
    assert any(s.requirement == "cp_review" for s in STD.silent)  # no RCPC cadence in Dudley


# ---------------------------------------------------------------- first visits after the trigger

def test_cin_visited_every_4_weeks_from_referral():
    c = child("cin", "2026-12-11")
    assert due("dudley.cin.visit", c) == D("2027-01-08")  # Fri 11 Dec 2026 + 28 days
    assert due("dudley.cin.visit", c, "2027-01-08") == D("2027-02-05")  # + 28 days


def test_s47_visit_2_working_days_across_christmas_then_nothing_fixed():
    c = child("s47", "2026-12-23")
    # 2 WD after Wed 23 Dec 2026: Thu 24 (1), [Fri 25, Sat, Sun, Mon 28 bank hols/weekend], Tue 29 (2)
    assert due("dudley.s47.visit", c) == D("2026-12-29")
    assert due("dudley.s47.visit", c, "2026-12-24") is None  # additional visits by need only


def test_cp_48_hours_after_icpc_then_10_working_days_across_new_year():
    c = child("cp", "2026-12-24")
    assert due("dudley.cp.visit", c) == D("2026-12-26")  # Thu 24 Dec + 2 calendar days = Sat 26 Dec
    # 10 WD after Thu 24 Dec: 29,30,31 Dec, [1 Jan bank hol], 4,5,6,7,8,11,12 Jan -> Tue 12 Jan 2027
    assert due("dudley.cp.visit", c, "2026-12-24") == D("2027-01-12")


def test_cp_10_working_days_across_easter_2027():
    c = child("cp", "2027-03-01")
    # 10 WD after Thu 18 Mar: 19,22,23,24,25, [26 Good Fri, 29 Easter Mon], 30,31 Mar, 1,2,5 Apr
    assert due("dudley.cp.visit", c, "2027-03-01", "2027-03-18") == D("2027-04-05")


def test_private_fostering_9_calendar_days_is_stricter_than_7_working_days():
    c = child("private_fostering", "2026-12-18")
    # Fri 18 Dec + 9 calendar days = Sun 27 Dec (7 WD would be Thu 31 Dec: 21,22,23,24,29,30,31)
    assert due("dudley.private_fostering.visit", c) == D("2026-12-27")
    assert due("dudley.private_fostering.visit", c, "2026-12-24") == D("2027-02-04")  # + 6 weeks


def test_private_fostering_12_weekly_in_the_second_year():
    c = child("private_fostering", "2026-12-18")
    # last visit Mon 20 Dec 2027: the next day is past notification + 12 months (18 Dec 2027)
    assert due("dudley.private_fostering.visit", c, "2026-12-24", "2027-12-20") == D("2028-03-13")  # + 84 days
    # last visit Thu 16 Dec 2027: the next day is still in the first twelve months -> 6 weeks
    assert due("dudley.private_fostering.visit", c, "2026-12-24", "2027-12-16") == D("2028-01-27")


def test_care_leaver_every_2_months_from_18_only():
    c = child("care_leaver", "2026-11-02", date_of_birth=D("2007-06-01"))
    assert due("dudley.care_leaver.visit", c) == D("2027-01-02")  # 2 Nov 2026 + 2 months
    assert due("dudley.care_leaver.visit", c, "2026-12-31") == D("2027-02-28")  # 31 Dec + 2 months, clamped
    young = child("care_leaver", "2026-11-02", date_of_birth=D("2009-06-01"))  # 17 on 1 Dec 2026
    assert "visit" not in dues_by_requirement(young, "2026-12-01")


def test_early_help_has_no_fixed_visit_cadence():
    dues = dues_by_requirement(child("early_help", "2026-12-01"), "2026-12-10")
    assert "visit" not in dues
    assert dues["seen_alone"].due_by is None  # nothing to attach it to
    assert dues["supervision"].due_by == D("2027-01-26")  # 1 Dec 2026 + 8 weeks


# ---------------------------------------------------------------- children in care, by placement type

@pytest.mark.parametrize("placement", ["foster", "residential", "other_setting"])
def test_in_care_same_day_then_1_week_then_6_weekly(placement):
    c = child("cic", "2026-12-21", placement_type=placement, placement_start_date=D("2026-12-21"))
    assert due("dudley.cic.visit", c) == D("2026-12-21")  # on the day placed
    assert due("dudley.cic.visit", c, "2026-12-21") == D("2026-12-28")  # + 1 week (a bank holiday)
    assert due("dudley.cic.visit", c, "2026-12-21", "2026-12-28") == D("2027-02-08")  # + 6 weeks
    assert RULES["dudley.cic.visit"].applies_to.matches(c, D("2026-12-22"))
    assert not RULES["dudley.cic.visit.permanent"].applies_to.matches(c, D("2026-12-22"))


def test_permanent_placement_three_monthly_after_the_first_year():
    c = child("cic", "2025-01-10", placement_type="foster", placement_start_date=D("2026-02-01"),
              placement_long_term=True)
    first = ["2026-02-01", "2026-02-05"]
    # last visit Sat 30 Jan 2027: next day 31 Jan is in the first year (ends 1 Feb 2027) -> 6 weeks
    assert due("dudley.cic.visit.permanent", c, *first, "2027-01-30") == D("2027-03-13")
    # last visit Sun 31 Jan 2027: next day is 1 Feb 2027 -> 3 months, clamped to 30 Apr
    assert due("dudley.cic.visit.permanent", c, *first, "2027-01-31") == D("2027-04-30")
    # the non-permanent rule stays 6 weekly in later years
    other = child("cic", "2025-01-10", placement_type="foster", placement_start_date=D("2026-02-01"))
    assert due("dudley.cic.visit", other, *first, "2027-01-31") == D("2027-03-14")


def test_parent_ico_weekly_until_first_review_then_4_weekly():
    c = child("cic", "2026-12-14", placement_type="parent_ico", placement_start_date=D("2026-12-14"),
              first_review_date=D("2027-01-15"))
    rule = "dudley.cic.visit.temporary_approval_or_ico"
    assert due(rule, c) == D("2026-12-21")  # Mon 14 Dec + 1 week
    assert due(rule, c, "2026-12-22") == D("2026-12-29")
    assert due(rule, c, "2027-01-12") == D("2027-01-19")  # 13 Jan is before the review: still weekly
    assert due(rule, c, "2027-01-15") == D("2027-02-12")  # review day visited; next day is after it: 4 weeks


def test_connected_person_gets_the_stricter_of_general_and_temporary_approval():
    c = child("cic", "2026-12-01", placement_type="connected_person", placement_start_date=D("2026-12-01"),
              first_review_date=D("2026-12-29"))
    visits = tuple(visit(d) for d in ("2026-12-01", "2026-12-08", "2026-12-15", "2026-12-22", "2026-12-29"))
    dues = dues_by_requirement(c, "2026-12-30", visits)
    # general: 29 Dec + 6 weeks = 9 Feb; temporary approval: after the review, 29 Dec + 4 weeks = 26 Jan
    assert dues["visit"].due_by == D("2027-01-26")
    assert dues["visit"].rule.id == "dudley.cic.visit.temporary_approval_or_ico"
    assert dues["seen_alone"].due_by == D("2027-01-26")  # on every visit


def test_care_order_at_home_weekly_until_review_across_easter():
    c = child("cic", "2027-03-22", placement_type="parent_care_order", placement_start_date=D("2027-03-22"),
              first_review_date=D("2027-04-30"))
    rule = "dudley.cic.visit.parent_care_order"
    assert due(rule, c) == D("2027-03-29")  # Mon 22 Mar + 7 days = Easter Monday (calendar weeks)
    assert due(rule, c, "2027-03-25") == D("2027-04-01")
    assert due(rule, c, "2027-04-30") == D("2027-06-11")  # after the first review: + 6 weeks


def test_adoption_weekly_to_first_review_six_weekly_first_year_then_three_monthly():
    c = child("cic", "2026-06-01", placement_type="adoption", placement_start_date=D("2026-12-07"),
              first_review_date=D("2027-02-01"))
    rule = "dudley.cic.visit.adoption"
    assert due(rule, c) == D("2026-12-14")
    assert due(rule, c, "2027-02-01") == D("2027-03-15")  # review day; next day after review: + 6 weeks
    assert due(rule, c, "2027-02-01", "2027-12-05") == D("2028-01-16")  # 6 Dec 2027 still first year
    assert due(rule, c, "2027-02-01", "2027-12-06") == D("2028-03-06")  # 7 Dec 2027: year 2, 3 months


def test_short_breaks_visits_bedroom_and_review():
    c = child("cic", "2026-12-19", placement_type="short_breaks", placement_start_date=D("2026-12-19"))
    assert due("dudley.cic.visit.short_breaks", c) == D("2026-12-25")  # Sat 19 Dec + 6 = 7th placement day
    # 83 calendar days after Mon 21 Dec = Sun 14 Mar 2027, before 19 Mar (3 months after the first day)
    assert due("dudley.cic.visit.short_breaks", c, "2026-12-21") == D("2027-03-14")
    assert due("dudley.cic.visit.short_breaks", c, "2026-12-21", "2027-03-10") == D("2027-09-10")  # 6 months
    assert due("dudley.cic.short_breaks.bedroom", c) == D("2027-12-19")  # annually
    assert due("dudley.cic.short_breaks.review", c) == D("2027-03-19")  # within 3 months
    assert due("dudley.cic.short_breaks.review", c, "2027-03-15") == D("2027-09-15")  # then 6 months
    dues = dues_by_requirement(c, "2026-12-20")
    assert dues["supervision"].due_by == D("2027-03-13")  # short breaks: 12 weekly from 19 Dec
    assert "visit" in dues and dues["visit"].rule.id == "dudley.cic.visit.short_breaks"


def test_bedroom_only_counts_visits_that_saw_it():
    c = child("cic", "2026-12-19", placement_type="short_breaks", placement_start_date=D("2026-12-19"))
    visits = (visit("2026-12-21", bedroom=False), visit("2027-01-04", bedroom=True))
    assert dues_by_requirement(c, "2027-01-10", visits)["bedroom"].due_by == D("2028-01-04")


# ---------------------------------------------------------------- seen alone

def test_seen_alone_every_visit_unless_exempt_or_unborn():
    c = child("cp", "2026-12-24")
    assert dues_by_requirement(c, "2026-12-24")["seen_alone"].due_by == D("2026-12-26")
    exempt = child("cp", "2026-12-24", seen_alone_exempt="non-verbal, manager decision")
    assert "seen_alone" not in dues_by_requirement(exempt, "2026-12-24")
    unborn = child("cp", "2026-12-24", date_of_birth=None)
    assert "seen_alone" not in dues_by_requirement(unborn, "2026-12-24")


# ---------------------------------------------------------------- meetings

def test_core_group_10_days_then_6_weeks_then_2_monthly():
    c = child("cp", "2026-12-18")
    rule = "dudley.cp.core_group"
    assert due(rule, c) == D("2026-12-28")  # Fri 18 Dec + 10 calendar days (a bank holiday)
    assert due(rule, c, "2026-12-23") == D("2027-02-03")  # within 6 weeks of the first
    assert due(rule, c, "2026-12-23", "2027-02-03") == D("2027-04-03")  # + 2 months
    meetings = (Meeting("C1", "core_group", D("2026-12-23"), "held"),
                Meeting("C1", "core_group", D("2027-01-05"), "booked"))  # booked does not count
    assert dues_by_requirement(c, "2027-01-06", meetings=meetings)["core_group"].due_by == D("2027-02-03")


def test_cin_review_three_monthly():
    c = child("cin", "2026-12-31")
    assert due("dudley.cin.review", c) == D("2027-03-31")
    assert due("dudley.cin.review", c, "2027-03-29") == D("2027-06-29")


def test_pathway_review_by_15_and_a_half_then_six_monthly():
    c = child("cic", "2020-01-01", date_of_birth=D("2011-06-30"), placement_type="foster",
              placement_start_date=D("2020-01-01"))
    assert due("dudley.pathway_review", c) == D("2026-12-30")  # 30 Jun 2011 + 186 months
    assert due("dudley.pathway_review", c, "2026-12-29") == D("2027-06-29")
    assert "pathway_review" in dues_by_requirement(c, "2026-12-01")  # 15 years 5 months
    assert "pathway_review" not in dues_by_requirement(c, "2026-06-29")  # still 14


def test_pep_10_days_after_entering_care_then_12_weeks():
    c = child("cic", "2026-12-21", placement_type="foster", placement_start_date=D("2026-12-21"))
    assert due("dudley.cic.pep", c) == D("2026-12-31")  # Mon 21 Dec + 10 calendar days
    assert due("dudley.cic.pep", c, "2026-12-30") == D("2027-03-24")  # + 84 days


def test_supervision_8_weekly_but_12_weekly_for_long_term_placements():
    cin = child("cin", "2026-12-07")
    assert dues_by_requirement(cin, "2026-12-08")["supervision"].due_by == D("2027-02-01")  # + 56 days
    foster = child("cic", "2026-12-07", placement_type="foster", placement_start_date=D("2026-12-07"))
    assert dues_by_requirement(foster, "2026-12-08")["supervision"].due_by == D("2027-02-01")
    long_term = child("cic", "2026-12-07", placement_type="foster", placement_start_date=D("2026-12-07"),
                      placement_long_term=True)
    sup = [d for d in child_dues(Team((), (long_term,)), long_term, STD, CAL, D("2026-12-08"))
           if d.requirement == "supervision"]
    assert [(d.rule.id, d.due_by) for d in sup] == [("dudley.cic.supervision.long_term", D("2027-03-01"))]


# ---------------------------------------------------------------- issue 8: no child missed

def test_item1_cic_child_with_no_placement_type_last_seen_1_october():
    # in care since Mon 6 Jan 2025; no placement type, no placement start, no review; last seen Thu 1 Oct 2026
    c = child("cic", "2025-01-06")
    assert set(W.applicable(c, "visit", "2026-11-30")) == {
        "dudley.cic.visit", "dudley.cic.visit.temporary_approval_or_ico", "dudley.cic.visit.parent_care_order",
        "dudley.cic.visit.adoption", "dudley.cic.visit.short_breaks"}
    # general rule: 1 visit on record since the trigger -> 'within 1 week' phase: Thu 1 Oct + 7 -> Thu 8 Oct;
    # the weekly-until-first-review rules give the same: due Thu 8 Oct 2026 (overdue on 30 Nov)
    dues = dues_by_requirement(c, "2026-11-30", (visit("2026-10-01"),))
    assert dues["visit"].due_by == D("2026-10-08")


def test_item2_adoption_placed_2_nov_seen_that_day_old_first_review():
    # the worked case: placed for adoption Mon 2 Nov 2026, seen that day, first looked-after review
    # 25 Jun 2025 (before this placement): weekly until the first review -> Mon 2 Nov + 7 = Mon 9 Nov 2026
    # (the product said Mon 14 Dec: 2 Nov + 6 weeks, as if the 2025 review had ended the weekly phase)
    c = child("cic", "2025-06-01", placement_type="adoption", placement_start_date=D("2026-11-02"),
              first_review_date=D("2025-06-25"))
    dues = dues_by_requirement(c, "2026-11-02", (visit("2026-11-02"),))
    assert (dues["visit"].due_by, dues["visit"].rule.id) == (D("2026-11-09"), "dudley.cic.visit.adoption")
    # a review held Fri 20 Nov 2026 (meetings.csv) is the first review of this placement: seen Mon 23 Nov,
    # then every six weeks for the first year -> Mon 23 Nov + 42 = Mon 4 Jan 2027
    review = (Meeting("C1", "cic_review", D("2026-11-20"), "held"),)
    later = tuple(visit(d) for d in ("2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"))
    assert W.rule_due("dudley.cic.visit.adoption", c, "2026-11-24", later, review).due_by == D("2027-01-04")


@pytest.mark.parametrize("ptype", ["parent_care_order", "parent_ico", "connected_person"])
def test_item2_weekly_phases_of_other_placements_ignore_an_earlier_review(ptype):
    rule_id = {"parent_care_order": "dudley.cic.visit.parent_care_order"}.get(
        ptype, "dudley.cic.visit.temporary_approval_or_ico")
    c = child("cic", "2025-06-01", placement_type=ptype, placement_start_date=D("2026-11-02"),
              first_review_date=D("2025-06-25"))
    # seen Mon 2 Nov 2026: weekly until this placement's first review -> Mon 9 Nov 2026
    assert W.rule_due(rule_id, c, "2026-11-03", (visit("2026-11-02"),)).due_by == D("2026-11-09")


def test_item8_care_leaver_visits_start_on_the_18th_birthday():
    # left care Mon 1 Jun 2026 aged 17; 18 on Fri 15 Jan 2027 ('Young people aged 18-25')
    c = child("care_leaver", "2026-06-01", date_of_birth=D("2009-01-15"))
    assert "visit" not in dues_by_requirement(c, "2027-01-14")
    # 1 Jun 2026 + 2 months = 1 Aug 2026, before the rule applied: due on the birthday, Fri 15 Jan 2027
    assert W.rule_due("dudley.care_leaver.visit", c, "2027-01-15").due_by == D("2027-01-15")
    # visited on the birthday: + 2 months -> Mon 15 Mar 2027
    assert W.rule_due("dudley.care_leaver.visit", c, "2027-01-16", (visit("2027-01-15"),)).due_by == D("2027-03-15")


def test_item9_export_that_starts_after_the_placement_is_warned():
    from scheduler.history_check import history_warnings

    c = child("cic", "2025-01-06")  # the item 1 child: 1 of the 2 count-based visits on record
    team = Team(workers=(), children=(c,), visits=(visit("2026-10-01"),), meetings=())
    lines = history_warnings(team, STD, CAL, D("2026-11-30"))
    assert any(line.startswith("visits.csv: child C1: rule dudley.cic.visit counts visits") for line in lines)
    assert all("export may not reach back far enough" in line for line in lines)
