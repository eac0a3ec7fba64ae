"""Swindon Quality Standards (Jan 2020) encoded in constraints/swindon.yaml: worked due dates.

Every expected date is computed by hand in the comment beside it (England bank holidays:
Fri 25 Dec 2026, Mon 28 Dec 2026 (Boxing Day substitute), Fri 1 Jan 2027,
Good Friday 26 Mar 2027, Easter Monday 29 Mar 2027).
"""
from __future__ import annotations

from datetime import date

import pytest

from scheduler.domain import Visit
from scheduler.requirements import phase_in_force
from tests.standards.helpers import CAL, D, Worked

W = Worked("swindon", child_id="C1", where=(51.56, -1.78), born=date(2015, 6, 1), today="2026-12-01")
STD, rule, child, due, applicable = W.std, W.rule, W.child, W.due, W.applicable
dues_by_requirement = W.due_dates_and_rules  # {requirement: (strictest due date, rule id)}


# ------------------------------------------------------------------ Children in Need

def test_cin_first_visit_within_5_working_days_of_referral_across_christmas():
    c = child("cin", "2026-12-18")
    # 5 WD after Fri 18 Dec 2026: Mon 21, Tue 22, Wed 23, Thu 24 (Fri 25, Mon 28 bank holidays), Tue 29
    assert due("swindon.cin.visit", c) == D("2026-12-29")


def test_cin_then_4_weekly():
    c = child("cin", "2026-12-18")
    # first visit Tue 22 Dec 2026 + 28 calendar days -> Tue 19 Jan 2027
    assert due("swindon.cin.visit", c, "2026-12-22") == D("2027-01-19")
    # a later visit Tue 19 Jan 2027 + 28 -> Tue 16 Feb 2027
    assert due("swindon.cin.visit", c, "2026-12-22", "2027-01-19") == D("2027-02-16")


def test_cin_review_planning_meeting_10_wd_after_assessment_then_12_weekly():
    c = child("cin", "2026-11-02", assessment_completed_date=D("2026-12-18"))
    # 10 WD after Fri 18 Dec 2026: 21,22,23,24,29,30,31 Dec, 4,5,6 Jan -> Wed 6 Jan 2027
    assert due("swindon.cin.review", c) == D("2027-01-06")
    # planning meeting Wed 6 Jan 2027 + 12 weeks (84 days) -> Wed 31 Mar 2027
    assert due("swindon.cin.review", c, "2027-01-06") == D("2027-03-31")


def test_cin_review_without_an_assessment_counts_from_the_status_start():
    c = child("cin", "2026-11-02")  # no assessment date (issue 8 item 3): the status start is the fallback
    # 10 WD after Mon 2 Nov 2026: 3, 4, 5, 6, 9, 10, 11, 12, 13, 16 -> Mon 16 Nov 2026
    assert due("swindon.cin.review", c) == D("2026-11-16")


def test_cin_seen_alone_during_assessment_but_not_for_babies():
    # 5 WD after Mon 22 Mar 2027: 23, 24, 25 (Fri 26 Good Friday, Mon 29 Easter Monday), 30, 31 -> Wed 31 Mar
    older = child("cin", "2027-03-22")
    assert due("swindon.cin.seen_alone_assessment", older) == D("2027-03-31")
    # once seen alone, no further seen-alone cadence for CIN
    assert due("swindon.cin.seen_alone_assessment", older, "2027-03-25") is None
    baby = child("cin", "2027-03-22", date_of_birth=date(2026, 9, 1))  # 6 months old
    assert "swindon.cin.seen_alone_assessment" not in applicable(baby, "seen_alone", "2027-03-22")


# ------------------------------------------------------------------ Section 47

def test_s47_visit_within_5_working_days_across_easter_then_nothing_more():
    c = child("s47", "2027-03-22")
    # 5 WD after Mon 22 Mar 2027: 23, 24, 25, (26 Good Friday, 29 Easter Monday), 30, 31 -> Wed 31 Mar 2027
    assert due("swindon.s47.visit", c) == D("2027-03-31")
    assert due("swindon.s47.visit", c, "2027-03-24") is None


def test_s47_seen_alone_and_bedroom_on_the_enquiry_visit():
    c = child("s47", "2026-11-26")
    got = dues_by_requirement(c)
    # 5 WD after Thu 26 Nov 2026: 27 Nov, 30 Nov, 1, 2, 3 Dec -> Thu 3 Dec 2026
    assert got["visit"] == (D("2026-12-03"), "swindon.s47.visit")
    assert got["seen_alone"] == (D("2026-12-03"), "swindon.s47.seen_alone")
    assert got["bedroom"] == (D("2026-12-03"), "swindon.s47.bedroom")


def test_s47_seen_alone_respects_exemption_but_bedroom_still_due():
    c = child("s47", "2026-11-26", seen_alone_exempt="non-verbal")
    got = dues_by_requirement(c)
    assert "seen_alone" not in got
    # 5 WD after Thu 26 Nov 2026 -> Thu 3 Dec 2026
    assert got["bedroom"] == (D("2026-12-03"), "swindon.s47.bedroom")


def test_s47_requirements_stop_once_the_enquiry_visit_is_done():
    c = child("s47", "2026-11-26")
    got = dues_by_requirement(c, (Visit("C1", D("2026-11-27"), "W1", True, True),))
    assert got["visit"][0] is None and got["seen_alone"][0] is None and got["bedroom"][0] is None


def test_no_bedroom_rule_for_cp_or_cic():
    assert applicable(child("cp", "2026-11-02", cp_category="neglect"), "bedroom") == []
    assert applicable(child("cic", "2026-11-02", placement_type="short_breaks"), "bedroom") == []


# ------------------------------------------------------------------ Child protection

def test_cp_visit_10_working_days_from_icpc_across_christmas_and_new_year():
    c = child("cp", "2026-12-17", cp_category="neglect", first_review_date=D("2027-03-10"))
    # 10 WD after Thu 17 Dec 2026: 18, 21, 22, 23, 24, 29, 30, 31 Dec, (1 Jan bank holiday), 4, 5 Jan
    assert due("swindon.cp.visit", c) == D("2027-01-05")


def test_cp_visit_phase_changes_at_first_review_but_stays_10_working_days():
    c = child("cp", "2026-12-17", first_review_date=D("2027-03-10"))
    r = rule("swindon.cp.visit")
    before = phase_in_force(c, r, D("2026-12-17"), D("2027-03-10"), 3, CAL)
    after = phase_in_force(c, r, D("2026-12-17"), D("2027-03-11"), 3, CAL)
    assert before.label.startswith("from the Protection Plan") and after.label.startswith("thereafter")
    # visit Wed 10 Mar 2027 (the review day): 10 WD -> 11,12,15,16,17,18,19,22,23,24 Mar -> Wed 24 Mar
    assert due("swindon.cp.visit", c, "2027-03-10") == D("2027-03-24")
    # visit Fri 19 Mar 2027 (after review), 10 WD across Easter:
    # 22(1) 23(2) 24(3) 25(4) (26 GF, 29 EM) 30(5) 31(6) 1 Apr(7) 2(8) 5(9) 6(10) -> Tue 6 Apr 2027
    assert due("swindon.cp.visit", c, "2027-03-10", "2027-03-19") == D("2027-04-06")


def test_core_group_first_within_10_wd_of_icpc_then_4_weekly():
    c = child("cp", "2026-12-18")
    # 10 WD after Fri 18 Dec 2026: 21,22,23,24,29,30,31 Dec, 4,5,6 Jan -> Wed 6 Jan 2027
    assert due("swindon.cp.core_group", c) == D("2027-01-06")
    # core group Wed 6 Jan 2027 + 28 days -> Wed 3 Feb 2027
    assert due("swindon.cp.core_group", c, "2027-01-06") == D("2027-02-03")


def test_review_conference_3_months_after_icpc_then_6_monthly():
    c = child("cp", "2026-12-18")
    # Fri 18 Dec 2026 + 3 calendar months -> Thu 18 Mar 2027
    assert due("swindon.cp.review_conference", c) == D("2027-03-18")
    # RCPC Mon 15 Mar 2027 + 6 months -> Wed 15 Sep 2027
    assert due("swindon.cp.review_conference", c, "2027-03-15") == D("2027-09-15")


def test_cp_supervision_monthly_others_three_monthly_with_month_end_clamp():
    # ICPC Fri 29 Jan 2027 + 1 calendar month -> 29 Feb does not exist in 2027 -> Sun 28 Feb 2027
    assert due("swindon.supervision.cp", child("cp", "2027-01-29")) == D("2027-02-28")
    # CIN referral Mon 30 Nov 2026 + 3 months -> 30 Feb does not exist -> Sun 28 Feb 2027
    assert due("swindon.supervision.other", child("cin", "2026-11-30")) == D("2027-02-28")
    # a CP child is supervised monthly only (the 3 monthly rule does not also apply)
    assert applicable(child("cp", "2026-11-30"), "supervision") == ["swindon.supervision.cp"]


def test_unborn_cp_child_is_visited_but_not_seen_alone():
    c = child("cp", "2026-11-23", date_of_birth=None)
    got = dues_by_requirement(c)
    # 10 WD after Mon 23 Nov 2026: 24,25,26,27,30 Nov, 1,2,3,4,7 Dec -> Mon 7 Dec 2026
    assert got["visit"] == (D("2026-12-07"), "swindon.cp.visit")
    assert "seen_alone" not in got


# ------------------------------------------------------------------ Looked after: placement types

def test_foster_5_wd_across_easter_then_weekly_until_first_review_then_6_weekly():
    c = child("cic", "2027-03-24", placement_type="foster", placement_start_date=D("2027-03-24"),
              first_review_date=D("2027-04-21"))
    # 5 WD after Wed 24 Mar 2027: 25, (26 GF, 29 EM), 30, 31 Mar, 1, 2 Apr -> Fri 2 Apr 2027
    assert due("swindon.cic.visit", c) == D("2027-04-02")
    # weekly until the first review: visit Thu 1 Apr + 7 -> Thu 8 Apr 2027
    assert due("swindon.cic.visit", c, "2027-04-01") == D("2027-04-08")
    # visit Tue 20 Apr (day after, 21 Apr, is the review day, still weekly) + 7 -> Tue 27 Apr
    assert due("swindon.cic.visit", c, "2027-04-01", "2027-04-20") == D("2027-04-27")
    # visit Wed 21 Apr (review day; day after is past the review) + 42 -> Wed 2 Jun 2027
    assert due("swindon.cic.visit", c, "2027-04-01", "2027-04-21") == D("2027-06-02")


def test_residential_and_other_setting_follow_the_looked_after_cadence():
    for ptype in ("residential", "other_setting"):
        c = child("cic", "2026-12-18", placement_type=ptype, placement_start_date=D("2026-12-18"))
        assert applicable(c, "visit", "2026-12-18") == ["swindon.cic.visit"]
        # 5 WD after Fri 18 Dec 2026: 21, 22, 23, 24, (25, 28 bank holidays), 29 -> Tue 29 Dec 2026
        assert due("swindon.cic.visit", c) == D("2026-12-29")


def test_long_term_placement_6_weekly_in_first_year_then_three_monthly():
    # the first review after this placement (Thu 26 Feb 2026) ends its weekly phase; a review
    # before the placement started would not (issue 8)
    c = child("cic", "2025-06-02", placement_type="foster", placement_start_date=D("2026-02-01"),
              placement_long_term=True, first_review_date=D("2026-02-26"))
    assert applicable(c, "visit") == ["swindon.cic.visit_long_term"]
    # first year of the placement ends Mon 1 Feb 2027
    # visit Fri 29 Jan 2027 (day after 30 Jan, still first year) + 42 -> Fri 12 Mar 2027
    assert due("swindon.cic.visit_long_term", c, "2026-02-03", "2027-01-29") == D("2027-03-12")
    # visit Mon 1 Feb 2027 (day after, 2 Feb, past the first year) + 3 months -> Sat 1 May 2027
    assert due("swindon.cic.visit_long_term", c, "2026-02-03", "2027-02-01") == D("2027-05-01")


def test_not_long_term_placement_stays_6_weekly_after_first_year():
    c = child("cic", "2025-06-02", placement_type="foster", placement_start_date=D("2026-02-01"),
              first_review_date=D("2026-02-26"))  # first review of this placement
    # Mon 1 Feb 2027 + 42 -> Mon 15 Mar 2027
    assert due("swindon.cic.visit", c, "2026-02-03", "2027-02-01") == D("2027-03-15")


@pytest.mark.parametrize("ptype", ["connected_person", "parent_ico"])
def test_reg24_and_ico_weekly_until_first_review_then_4_weekly(ptype):
    c = child("cic", "2026-12-21", placement_type=ptype, placement_start_date=D("2026-12-21"),
              first_review_date=D("2027-01-15"))
    assert applicable(c, "visit", "2026-12-21") == ["swindon.cic.visit_reg24_ico"]
    # Mon 21 Dec 2026 + 7 calendar days -> Mon 28 Dec 2026 (a bank holiday: weeks are calendar days)
    assert due("swindon.cic.visit_reg24_ico", c) == D("2026-12-28")
    # visit Thu 14 Jan 2027, before the Fri 15 Jan review: + 7 -> Thu 21 Jan 2027
    assert due("swindon.cic.visit_reg24_ico", c, "2026-12-24", "2027-01-14") == D("2027-01-21")
    # visit Fri 15 Jan 2027 (review day): + 28 -> Fri 12 Feb 2027
    assert due("swindon.cic.visit_reg24_ico", c, "2026-12-24", "2027-01-15") == D("2027-02-12")


def test_care_order_with_parents_within_one_week_then_6_weekly():
    c = child("cic", "2026-12-23", placement_type="parent_care_order", placement_start_date=D("2026-12-23"))
    # Wed 23 Dec 2026 + 7 -> Wed 30 Dec 2026
    assert due("swindon.cic.visit_care_order_parents", c) == D("2026-12-30")
    # visit Wed 30 Dec 2026 + 42 -> Wed 10 Feb 2027
    assert due("swindon.cic.visit_care_order_parents", c, "2026-12-30") == D("2027-02-10")


def test_adoption_5_wd_across_christmas_weekly_until_review_then_monthly():
    c = child("cic", "2026-06-01", placement_type="adoption", placement_start_date=D("2026-12-24"),
              first_review_date=D("2027-02-10"))
    # 5 WD after Thu 24 Dec 2026: (25, 28 bank holidays) 29, 30, 31 Dec, (1 Jan) 4, 5 Jan -> Tue 5 Jan 2027
    assert due("swindon.cic.visit_adoption", c) == D("2027-01-05")
    # visit Tue 5 Jan 2027 + 7 -> Tue 12 Jan 2027
    assert due("swindon.cic.visit_adoption", c, "2027-01-05") == D("2027-01-12")
    # visit Wed 10 Feb 2027 (review day) + 1 month -> Wed 10 Mar 2027
    assert due("swindon.cic.visit_adoption", c, "2027-01-05", "2027-02-10") == D("2027-03-10")


def test_short_breaks_placement_6_weekly_only():
    c = child("cic", "2026-11-02", placement_type="short_breaks", placement_start_date=D("2026-11-02"))
    assert applicable(c, "visit") == ["swindon.short_breaks.visit"]
    # Mon 2 Nov 2026 + 42 -> Mon 14 Dec 2026
    assert due("swindon.short_breaks.visit", c) == D("2026-12-14")


def test_looked_after_reviews_20_wd_then_3_months_then_6_monthly():
    c = child("cic", "2027-03-24", placement_type="foster", placement_start_date=D("2027-03-24"))
    # 20 WD after Wed 24 Mar 2027: 25 (1), (26 GF, 29 EM), 30 (2), 31 (3), Apr 1 (4), 2 (5), 5-9 (6-10),
    # 12-16 (11-15), 19-23 (16-20) -> Fri 23 Apr 2027
    assert due("swindon.cic.review", c) == D("2027-04-23")
    # first review Wed 21 Apr 2027 + 3 months -> Wed 21 Jul 2027
    assert due("swindon.cic.review", c, "2027-04-21") == D("2027-07-21")
    # second review Tue 20 Jul 2027 + 6 months -> Thu 20 Jan 2028
    assert due("swindon.cic.review", c, "2027-04-21", "2027-07-20") == D("2028-01-20")


def test_pep_20_calendar_days_then_yearly():
    c = child("cic", "2026-12-18", placement_type="foster")
    # Fri 18 Dec 2026 + 20 calendar days -> Thu 7 Jan 2027 (bank holidays do not matter)
    assert due("swindon.cic.pep", c) == D("2027-01-07")
    # PEP Wed 6 Jan 2027 + 1 year -> Thu 6 Jan 2028
    assert due("swindon.cic.pep", c, "2027-01-06") == D("2028-01-06")


# ------------------------------------------------------------------ Leaving care and silences

def test_pathway_plan_reviews_6_monthly_from_leaving_care():
    c = child("care_leaver", "2026-08-31", date_of_birth=date(2008, 8, 20))
    # Mon 31 Aug 2026 + 6 months -> 31 Feb does not exist -> Sun 28 Feb 2027
    assert due("swindon.care_leaver.pathway_review", c) == D("2027-02-28")
    # review Thu 25 Feb 2027 + 6 months -> Wed 25 Aug 2027
    assert due("swindon.care_leaver.pathway_review", c, "2027-02-25") == D("2027-08-25")
    assert applicable(c, "visit") == []  # no care-leaver contact frequency: declared silent


@pytest.mark.parametrize("status", ["early_help", "private_fostering", "care_leaver"])
def test_statuses_without_a_visiting_standard_are_declared_silent(status):
    c = child(status, "2026-10-01")
    assert applicable(c, "visit") == []
    assert any(status in s.status and s.requirement == "visit" for s in STD.silent)


def test_early_help_gets_nothing_from_this_document():
    assert dues_by_requirement(child("early_help", "2026-10-01")) == {}


def test_private_fostering_only_gets_case_supervision():
    got = dues_by_requirement(child("private_fostering", "2026-10-01"))
    # Thu 1 Oct 2026 + 3 months -> Fri 1 Jan 2027 (calendar months: bank holiday irrelevant)
    assert got == {"supervision": (D("2027-01-01"), "swindon.supervision.other")}


# ------------------------------------------------------------------ issue 8: no child missed

def test_item3_cin_planning_meeting_10_working_days_from_the_status_start_without_an_assessment():
    # the worked case: CIN since Mon 5 Oct 2026, no assessment date, no meetings:
    # 10 WD after Mon 5 Oct: 6, 7, 8, 9, 12, 13, 14, 15, 16, 19 -> Mon 19 Oct 2026
    c = child("cin", "2026-10-05")
    assert W.rule_due("swindon.cin.review", c, "2026-10-05").due_by == D("2026-10-19")
    assert dues_by_requirement(c, on="2026-10-05")["cin_review"] == (D("2026-10-19"), "swindon.cin.review")
    # planning meeting held Mon 19 Oct: reviews 12 weekly -> Mon 11 Jan 2027
    held = (W.meeting("cin_review", "2026-10-19"),)
    assert W.rule_due("swindon.cin.review", c, "2026-10-20", meetings=held).due_by == D("2027-01-11")


def test_item1_cic_child_with_no_placement_type_gets_every_looked_after_visit_rule():
    c = child("cic", "2026-10-05")  # no placement type, no placement start
    assert set(applicable(c, "visit", "2026-10-12")) == {
        "swindon.cic.visit", "swindon.cic.visit_reg24_ico", "swindon.cic.visit_care_order_parents",
        "swindon.cic.visit_adoption", "swindon.short_breaks.visit"}
    # seen Fri 9 Oct: weekly until the first review (none yet) -> Fri 16 Oct 2026
    due_by, _ = dues_by_requirement(c, visits=(W.visit("2026-10-09"),), on="2026-10-12")["visit"]
    assert due_by == D("2026-10-16")


@pytest.mark.parametrize(("ptype", "rule_id", "after_review"), [
    # adoption: monthly after the review: seen Mon 23 Nov + 1 month -> Wed 23 Dec 2026
    ("adoption", "swindon.cic.visit_adoption", "2026-12-23"),
    # Reg 24 connected person: 4 weekly after the review: Mon 23 Nov + 28 -> Mon 21 Dec 2026
    ("connected_person", "swindon.cic.visit_reg24_ico", "2026-12-21"),
])
def test_item2_weekly_until_the_first_review_of_this_placement(ptype, rule_id, after_review):
    # placed Mon 2 Nov 2026 and seen that day; the only first review on file (25 Jun 2025) predates it
    c = child("cic", "2025-06-01", placement_type=ptype, placement_start_date=D("2026-11-02"),
              first_review_date=D("2025-06-25"))
    seen = W.visits("2026-11-02")
    # weekly: Mon 2 Nov + 7 -> Mon 9 Nov 2026 (before the fix: monthly / 4 weekly from 2 Nov)
    assert W.rule_due(rule_id, c, "2026-11-03", seen).due_by == D("2026-11-09")
    # a looked-after review held Fri 20 Nov 2026 ends the weekly phase
    review = (W.meeting("cic_review", "2026-11-20"),)
    later = seen + W.visits("2026-11-09", "2026-11-16", "2026-11-23")
    assert W.rule_due(rule_id, c, "2026-11-24", later, review).due_by == D(after_review)


def test_item8_seen_alone_rule_starts_on_the_second_birthday():
    # referral Mon 2 Nov 2026; the child turns 2 on Tue 10 Nov 2026 ('babies and young toddlers' are exempt)
    c = child("cin", "2026-11-02", date_of_birth=date(2024, 11, 10))
    assert "swindon.cin.seen_alone_assessment" not in applicable(c, "seen_alone", "2026-11-09")
    # 5 WD after Mon 2 Nov = Mon 9 Nov, before the rule applies: due on the birthday, Tue 10 Nov 2026
    assert W.rule_due("swindon.cin.seen_alone_assessment", c, "2026-11-10").due_by == D("2026-11-10")


def test_item9_looked_after_reviews_counted_from_before_the_history_are_warned():
    from scheduler.domain import Meeting, Team
    from scheduler.history_check import history_gaps

    c = child("cic", "2019-08-12", placement_type="foster", placement_start_date=D("2024-03-04"),
              first_review_date=D("2019-09-06"))
    team = Team(workers=(), children=(c,), visits=(W.visit("2026-03-05"),),
                meetings=(Meeting("C1", "cic_review", D("2026-03-05"), "held"),))
    gaps = {g.rule.id: g for g in history_gaps(team, STD, CAL, D("2026-11-02"))}
    # first review, second review, then 6 monthly: 1 of the 2 reviews that end the count is on record
    assert (gaps["swindon.cic.review"].counted, gaps["swindon.cic.review"].needed) == (1, 2)
    assert gaps["swindon.cic.review"].message().startswith("meetings.csv: child C1: rule swindon.cic.review")


def test_item10_every_quote_and_section_heading_is_verbatim():
    from tests.standards.helpers import all_citations, seed_text, squash

    seed = squash(seed_text(STD.source.file))
    citations = all_citations(STD)
    assert [c.quote for c in citations if squash(c.quote) not in seed] == []
    assert [c.section for c in citations if squash(c.section) not in seed] == []
