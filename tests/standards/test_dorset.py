"""Dorset Children's Social Work Practice Standards V9.0 in constraints/dorset.yaml: worked due dates.

Every expected date is worked by hand in the comment beside it. England bank holidays used:
Fri 25 Dec 2026, Mon 28 Dec 2026 (Boxing Day substitute; 26 Dec is a Saturday), Fri 1 Jan 2027,
Good Friday 26 Mar 2027, Easter Monday 29 Mar 2027.
"""
from __future__ import annotations

from datetime import date

import pytest

from scheduler.domain import Visit
from scheduler.requirements import rules_for
from tests.standards.helpers import D, Worked, all_citations, seed_text

W = Worked("dorset", child_id="C1", where=(50.71, -2.44), born=date(2015, 6, 1), today="2027-01-04")
STD, child, due, applicable = W.std, W.child, W.due, W.applicable
strictest_dues = W.due_dates  # {requirement: strictest due date}


# ------------------------------------------------------------------ the data itself

def test_every_quote_is_verbatim_in_the_seed():
    text = " ".join(seed_text(STD.source.file).split())
    citations = all_citations(STD)
    missing = [c.quote for c in citations if " ".join(c.quote.split()) not in text]
    assert missing == []
    assert len(citations) > 40


def test_every_status_and_placement_type_has_a_visit_rule():
    for status in ("early_help", "cin", "s47", "cp", "private_fostering"):
        assert applicable(child(status, "2026-12-01"), "visit"), status
    for ptype in ("foster", "residential", "connected_person", "parent_ico", "parent_care_order",
                  "adoption", "other_setting", "short_breaks"):
        assert len(applicable(child("cic", "2026-12-01", placement_type=ptype), "visit")) == 1, ptype
    # care leavers: one rule below 21, another 21-24, none from 25
    leaver = child("care_leaver", "2026-01-01", date_of_birth=date(2006, 1, 10))
    assert applicable(leaver, "visit", on="2027-01-09") == ["dorset.care_leaver.visit"]        # aged 20
    assert applicable(leaver, "visit", on="2027-01-10") == ["dorset.care_leaver_21_25.visit"]  # 21st birthday
    assert applicable(leaver, "visit", on="2031-01-10") == []                                  # 25th birthday


# ------------------------------------------------------------------ first visits after the trigger

def test_early_help_first_visit_3_working_days_then_2_weekly():
    c = child("early_help", "2026-12-24")
    # 3 WD after Thu 24 Dec 2026: (25, 28 bank holidays) Tue 29, Wed 30, Thu 31 Dec -> Thu 31 Dec 2026
    assert due("dorset.early_help.visit", c) == D("2026-12-31")
    # visited Thu 31 Dec 2026 + 14 calendar days -> Thu 14 Jan 2027
    assert due("dorset.early_help.visit", c, "2026-12-31") == D("2027-01-14")


def test_cin_first_visit_3_working_days_after_referral_across_christmas():
    c = child("cin", "2026-12-23")
    # 3 WD after Wed 23 Dec 2026: Thu 24, (Fri 25, Mon 28 bank holidays) Tue 29, Wed 30 -> Wed 30 Dec 2026
    assert due("dorset.cin.visit", c) == D("2026-12-30")


def test_cin_2_weekly_during_assessment_then_4_weekly_after_it():
    c = child("cin", "2026-12-23")  # assessment not completed yet: phase does not end
    # visited Wed 30 Dec 2026 + 14 -> Wed 13 Jan 2027
    assert due("dorset.cin.visit", c, "2026-12-24", "2026-12-30") == D("2027-01-13")
    done = child("cin", "2026-12-23", assessment_completed_date="2027-01-20")
    # last visit Tue 19 Jan; the day after (20 Jan) is still within the assessment -> 19 Jan + 14 = Tue 2 Feb
    assert due("dorset.cin.visit", done, "2026-12-24", "2027-01-19") == D("2027-02-02")
    # last visit on the completion day Wed 20 Jan; the day after is past it -> 4 weekly: 20 Jan + 28 = Wed 17 Feb
    assert due("dorset.cin.visit", done, "2026-12-24", "2027-01-20") == D("2027-02-17")


def test_s47_visit_within_24_hours_then_nothing_more_from_this_rule():
    c = child("s47", "2026-12-24")
    # 24 hours = next calendar day, bank holiday or not: Thu 24 Dec -> Fri 25 Dec 2026
    assert due("dorset.s47.visit", c) == D("2026-12-25")
    assert due("dorset.s47.visit", c, "2026-12-25") is None


# ------------------------------------------------------------------ child protection

def test_cp_5_working_days_in_first_4_weeks_across_christmas():
    c = child("cp", "2026-12-18")  # ICPC Fri 18 Dec 2026
    # 5 WD after Fri 18 Dec: Mon 21, Tue 22, Wed 23, Thu 24, (25, 28 holidays) Tue 29 -> Tue 29 Dec 2026
    assert due("dorset.cp.visit", c) == D("2026-12-29")
    # 5 WD after Tue 29 Dec: Wed 30, Thu 31, (Fri 1 Jan holiday) Mon 4, Tue 5, Wed 6 -> Wed 6 Jan 2027
    assert due("dorset.cp.visit", c, "2026-12-29") == D("2027-01-06")


def test_cp_changes_to_10_working_days_4_weeks_after_icpc():
    c = child("cp", "2026-12-18")  # 4 weeks after Fri 18 Dec 2026 = Fri 15 Jan 2027
    # visit Wed 13 Jan: next day 14 Jan < 15 Jan, still 5 WD: 14, 15, 18, 19, 20 -> Wed 20 Jan 2027
    assert due("dorset.cp.visit", c, "2027-01-13") == D("2027-01-20")
    # visit Thu 14 Jan: next day 15 Jan is not before 15 Jan -> 10 WD: 15,18,19,20,21,22,25,26,27,28 -> Thu 28 Jan
    assert due("dorset.cp.visit", c, "2027-01-14") == D("2027-01-28")


def test_cp_10_working_days_across_easter_2027():
    c = child("cp", "2027-01-04")
    # 10 WD after Mon 22 Mar 2027: 23, 24, 25, (Good Fri 26, Easter Mon 29) 30, 31, 1 Apr, 2, 5, 6, 7 -> Wed 7 Apr
    assert due("dorset.cp.visit", c, "2027-03-22") == D("2027-04-07")


def test_cp_core_group_10_working_days_after_icpc_then_6_weekly():
    c = child("cp", "2026-12-18")
    # 10 WD after Fri 18 Dec 2026: 21, 22, 23, 24, 29, 30, 31 Dec, 4, 5, 6 Jan -> Wed 6 Jan 2027
    assert due("dorset.cp.core_group", c) == D("2027-01-06")
    # core group held Wed 6 Jan 2027 + 42 calendar days -> Wed 17 Feb 2027
    assert due("dorset.cp.core_group", c, "2027-01-06") == D("2027-02-17")


def test_cp_review_conferences_are_silent_not_borrowed():
    assert applicable(child("cp", "2026-12-18"), "cp_review") == []
    assert any(s.requirement == "cp_review" for s in STD.silent)


# ------------------------------------------------------------------ bedroom

def test_cp_neglect_bedroom_on_every_visit_follows_the_visit_due_date():
    c = child("cp", "2026-12-18", cp_category="neglect")
    dues = strictest_dues(c, visits=(Visit("C1", D("2026-12-29"), "W1", True, True),), on="2026-12-30")
    # visit due Wed 6 Jan 2027 (5 WD after Tue 29 Dec), and the bedroom must be seen on that visit
    assert dues["visit"] == D("2027-01-06")
    assert dues["bedroom"] == D("2027-01-06")


def test_cp_other_category_bedroom_twice_between_conferences():
    c = child("cp", "2026-12-18", cp_category="emotional")
    assert [r.id for r in rules_for(STD, c, "bedroom", D("2027-01-04"))] == ["dorset.cp.bedroom"]
    # before the first review: Fri 18 Dec 2026 + 42 days -> Fri 29 Jan 2027
    assert due("dorset.cp.bedroom", c) == D("2027-01-29")
    reviewed = child("cp", "2026-12-18", cp_category="emotional", first_review_date="2027-03-15")
    # bedroom seen Mon 15 Mar 2027 (first review day) -> 3 months -> Tue 15 Jun 2027
    assert due("dorset.cp.bedroom", reviewed, "2027-03-15") == D("2027-06-15")


def test_cic_bedroom_twice_a_year_from_placement():
    c = child("cic", "2026-01-10", placement_type="foster", placement_start_date="2026-07-01")
    # no bedroom seen since Wed 1 Jul 2026 placement -> 6 months -> Fri 1 Jan 2027 (calendar months)
    assert due("dorset.cic.bedroom", c) == D("2027-01-01")


def test_care_leaver_accommodation_seen_every_4_weeks_not_16():
    c = child("care_leaver", "2026-12-01", date_of_birth=date(2008, 11, 30))
    # the young person may be in emergency accommodation ("to be seen at emergency accommodation" 4 weekly):
    # Tue 1 Dec 2026 + 28 days -> Tue 29 Dec 2026 (the prose's 16 weeks would be Tue 23 Mar 2027)
    assert due("dorset.care_leaver.accommodation", c) == D("2026-12-29")


# ------------------------------------------------------------------ children in care, by placement type

def test_foster_same_day_then_5_working_days_then_monthly_not_6_weekly():
    c = child("cic", "2026-12-24", placement_type="foster", placement_start_date="2026-12-24")
    assert due("dorset.cic.foster.visit", c) == D("2026-12-24")  # same day
    # 5 WD after Thu 24 Dec 2026: 29, 30, 31 Dec, 4, 5 Jan -> Tue 5 Jan 2027
    assert due("dorset.cic.foster.visit", c, "2026-12-24") == D("2027-01-05")
    # then monthly (prose beats the table's 6 weekly): Tue 5 Jan + 1 month -> Fri 5 Feb 2027 (6 weekly = 16 Feb)
    assert due("dorset.cic.foster.visit", c, "2026-12-24", "2027-01-05") == D("2027-02-05")


def test_long_term_foster_monthly_in_first_year_then_12_weekly_only_with_agreement():
    c = child("cic", "2025-06-01", placement_type="foster", placement_start_date="2026-03-01",
              placement_long_term=True, visit_reduction_agreed=True)
    assert applicable(c, "visit") == ["dorset.cic.foster_long_term.visit"]
    occ = ("2026-03-01", "2026-03-06")
    # 1 year after placement Sun 1 Mar 2026 = Mon 1 Mar 2027
    # last visit Mon 22 Feb 2027: next day 23 Feb is in the first year -> monthly -> Mon 22 Mar 2027
    assert due("dorset.cic.foster_long_term.visit", c, *occ, "2027-02-22") == D("2027-03-22")
    # last visit Mon 1 Mar 2027: next day 2 Mar is after the first year -> 12 weeks -> Mon 24 May 2027
    assert due("dorset.cic.foster_long_term.visit", c, *occ, "2027-03-01") == D("2027-05-24")
    not_lt = child("cic", "2025-06-01", placement_type="foster", placement_start_date="2026-03-01")
    # not long term: still monthly -> Thu 1 Apr 2027
    assert due("dorset.cic.foster.visit", not_lt, *occ, "2027-03-01") == D("2027-04-01")
    # long term without the ADM decision and the child's agreement (issue 8 item 4): monthly -> Thu 1 Apr 2027
    not_agreed = child("cic", "2025-06-01", placement_type="foster", placement_start_date="2026-03-01",
                       placement_long_term=True)
    assert applicable(not_agreed, "visit") == ["dorset.cic.foster_long_term_not_agreed.visit"]
    assert due("dorset.cic.foster_long_term_not_agreed.visit", not_agreed, *occ, "2027-03-01") == D("2027-04-01")


def test_residential_5_working_days_across_easter():
    c = child("cic", "2027-03-24", placement_type="residential", placement_start_date="2027-03-24")
    # 5 WD after Wed 24 Mar 2027: Thu 25, (Good Fri 26, Easter Mon 29) Tue 30, Wed 31, Thu 1, Fri 2 Apr
    assert due("dorset.cic.residential.visit", c, "2027-03-24") == D("2027-04-02")


def test_connected_person_same_day_then_weekly_even_after_the_first_review():
    c = child("cic", "2026-12-07", placement_type="connected_person", placement_start_date="2026-12-07")
    assert due("dorset.cic.connected_person.visit", c) == D("2026-12-07")  # same day
    # weekly, Mon 7 Dec + 7 -> Mon 14 Dec 2026
    assert due("dorset.cic.connected_person.visit", c, "2026-12-07") == D("2026-12-14")
    reviewed = child("cic", "2026-12-07", placement_type="connected_person",
                     placement_start_date="2026-12-07", first_review_date="2027-01-15")
    # issue 8 item 5: 'Temporary Approval' (4 weekly after the first review) and 'approval not agreed by ADM'
    # (weekly until the placement ends) cannot be told apart: visit Fri 15 Jan (review day) + 7 -> Fri 22 Jan 2027
    # (the temporary-approval reading would give + 28 -> Fri 12 Feb 2027)
    assert due("dorset.cic.connected_person.visit", reviewed, "2026-12-07", "2027-01-15") == D("2027-01-22")


def test_parent_ico_weekly_until_first_review_then_2_weekly():
    c = child("cic", "2026-12-07", placement_type="parent_ico", placement_start_date="2026-12-07",
              first_review_date="2027-01-15")
    # before the review: Thu 31 Dec 2026 + 7 -> Thu 7 Jan 2027 (bank holidays do not matter for weeks)
    assert due("dorset.cic.parent_ico.visit", c, "2026-12-07", "2026-12-31") == D("2027-01-07")
    # after the review: Fri 15 Jan + 14 -> Fri 29 Jan 2027
    assert due("dorset.cic.parent_ico.visit", c, "2026-12-07", "2027-01-15") == D("2027-01-29")


def test_parent_care_order_same_day_5_working_days_then_2_weekly():
    c = child("cic", "2026-06-01", placement_type="parent_care_order", placement_start_date="2026-12-21")
    assert due("dorset.cic.parent_care_order.visit", c) == D("2026-12-21")
    # 5 WD after Mon 21 Dec 2026: 22, 23, 24, (25, 28) 29, 30 -> Wed 30 Dec 2026
    assert due("dorset.cic.parent_care_order.visit", c, "2026-12-21") == D("2026-12-30")
    # Wed 30 Dec + 14 -> Wed 13 Jan 2027
    assert due("dorset.cic.parent_care_order.visit", c, "2026-12-21", "2026-12-30") == D("2027-01-13")


def test_adoption_weekly_until_first_adoption_review_then_monthly():
    c = child("cic", "2026-01-05", placement_type="adoption", placement_start_date="2026-12-14",
              first_review_date="2027-02-01")
    # same day Mon 14 Dec; 5 WD after it: 15, 16, 17, 18, 21 -> Mon 21 Dec 2026
    assert due("dorset.cic.adoption.visit", c, "2026-12-14") == D("2026-12-21")
    # then weekly before the review: Mon 21 Dec + 7 -> Mon 28 Dec 2026 (a bank holiday: weeks are calendar)
    assert due("dorset.cic.adoption.visit", c, "2026-12-14", "2026-12-21") == D("2026-12-28")
    # visit on the review day Mon 1 Feb 2027 -> monthly -> Mon 1 Mar 2027
    assert due("dorset.cic.adoption.visit", c, "2026-12-14", "2026-12-21", "2027-02-01") == D("2027-03-01")


def test_other_setting_same_day_then_5_working_days_then_monthly():
    c = child("cic", "2026-01-05", placement_type="other_setting", placement_start_date="2026-12-18")
    # issue 8 item 5: "the same day for any change in placement" beats the row's '5 days': Fri 18 Dec 2026
    assert due("dorset.cic.other_setting.visit", c) == D("2026-12-18")
    # 5 WD after Fri 18 Dec 2026: 21, 22, 23, 24, (25, 28 bank holidays) 29 -> Tue 29 Dec 2026
    assert due("dorset.cic.other_setting.visit", c, "2026-12-18") == D("2026-12-29")
    # Tue 29 Dec + 1 month -> Fri 29 Jan 2027
    assert due("dorset.cic.other_setting.visit", c, "2026-12-18", "2026-12-29") == D("2027-01-29")


def test_short_breaks_follow_the_stricter_all_cic_prose_not_the_12_weekly_row():
    c = child("cic", "2027-01-02", placement_type="short_breaks", placement_start_date="2027-01-02")
    # prose: seen the same day of coming into care -> Sat 2 Jan 2027 (the row: within 12 weeks, Sat 27 Mar)
    assert due("dorset.cic.short_breaks.visit", c) == D("2027-01-02")
    # 5 WD after Sat 2 Jan 2027: Mon 4, Tue 5, Wed 6, Thu 7, Fri 8 -> Fri 8 Jan 2027
    assert due("dorset.cic.short_breaks.visit", c, "2027-01-02") == D("2027-01-08")
    # then monthly: Fri 8 Jan + 1 month -> Mon 8 Feb 2027 (the row: 12 weekly)
    assert due("dorset.cic.short_breaks.visit", c, "2027-01-02", "2027-01-08") == D("2027-02-08")


def test_cic_pep_20_calendar_days_then_6_monthly_school_age_only():
    c = child("cic", "2026-12-07", placement_type="foster", placement_start_date="2026-12-07")
    # issue 8 item 6: bare '20 days' outside the visiting table are calendar days:
    # Mon 7 Dec 2026 + 20 -> Sun 27 Dec 2026 (20 working days would be Thu 7 Jan 2027)
    assert due("dorset.cic.pep", c) == D("2026-12-27")
    # PEP Thu 17 Dec 2026 + 6 months -> Thu 17 Jun 2027
    assert due("dorset.cic.pep", c, "2026-12-17") == D("2027-06-17")
    baby = child("cic", "2026-12-07", placement_type="foster", date_of_birth=date(2025, 1, 1))
    assert applicable(baby, "pep") == []


def test_first_pep_within_10_days_as_the_child_may_be_uasc():
    c = child("cic", "2026-12-07", placement_type="foster", placement_start_date="2026-12-07")
    # no UASC field: the stricter 10 (calendar) days apply to every school-age child in care:
    # Mon 7 Dec 2026 + 10 -> Thu 17 Dec 2026, earlier than dorset.cic.pep's Sun 27 Dec
    assert due("dorset.cic.pep_uasc", c) == D("2026-12-17")
    assert W.due_dates_and_rules(c, on="2026-12-08")["pep"] == (D("2026-12-17"), "dorset.cic.pep_uasc")
    # PEP held Wed 16 Dec 2026: the UASC rule is done, the 6 monthly review follows -> Wed 16 Jun 2027
    held = (W.meeting("pep", "2026-12-16"),)
    assert W.due_dates_and_rules(c, meetings=held, on="2026-12-17")["pep"] == (D("2027-06-16"), "dorset.cic.pep")


# ------------------------------------------------------------------ private fostering, CIN reviews

def test_private_fostering_phases():
    c = child("private_fostering", "2027-03-19")
    # 5 WD after Fri 19 Mar 2027: 22, 23, 24, 25, (Good Fri 26, Easter Mon 29) Tue 30 Mar -> Tue 30 Mar 2027
    assert due("dorset.private_fostering.visit", c) == D("2027-03-30")
    # during the assessment, 2 weekly: Tue 30 Mar + 14 -> Tue 13 Apr 2027
    assert due("dorset.private_fostering.visit", c, "2027-03-30") == D("2027-04-13")
    assessed = child("private_fostering", "2027-03-19", assessment_completed_date="2027-05-04")
    # visited on the completion day Tue 4 May -> 6 weekly: + 42 -> Tue 15 Jun 2027
    assert due("dorset.private_fostering.visit", assessed, "2027-03-30", "2027-05-04") == D("2027-06-15")
    # first year ends Sun 19 Mar 2028; visit Sat 18 Mar 2028, next day is the 19th -> 12 weekly: + 84 -> Sat 10 Jun 2028
    assert due("dorset.private_fostering.visit", assessed, "2027-03-30", "2028-03-18") == D("2028-06-10")


def test_cin_review_55_working_days_from_referral_across_easter():
    c = child("cin", "2027-02-01")
    # 55 WD after Mon 1 Feb 2027: Feb 2-5 (4), 8-12 (9), 15-19 (14), 22-26 (19), Mar 1-5 (24), 8-12 (29),
    # 15-19 (34), 22-25 (38; Good Fri 26, Easter Mon 29 out), 30-31 (40), Apr 1-2 (42), 5-9 (47),
    # 12-16 (52), 19, 20, 21 (55) -> Wed 21 Apr 2027
    assert due("dorset.cin.cin_review", c) == D("2027-04-21")
    # then every 3 months: Wed 21 Apr + 3 months -> Wed 21 Jul 2027
    assert due("dorset.cin.cin_review", c, "2027-04-21") == D("2027-07-21")


def test_cin_meeting_10_working_days_after_assessment_wins_when_earlier():
    c = child("cin", "2026-11-30", assessment_completed_date="2026-12-18")
    # 10 WD after Fri 18 Dec 2026 -> Wed 6 Jan 2027; 55 WD after Mon 30 Nov 2026 is later (Feb 2027)
    assert due("dorset.cin.cin_meeting_after_assessment", c) == D("2027-01-06")
    assert strictest_dues(c, on="2026-12-21")["cin_review"] == D("2027-01-06")


# ------------------------------------------------------------------ care leavers

def test_care_leaver_4_weekly_under_21_and_yearly_from_21():
    young = child("care_leaver", "2026-12-01", date_of_birth=date(2008, 11, 30))
    # the table's emergency-accommodation row (4 weekly) cannot be told apart from its 8 weekly row:
    # left care Tue 1 Dec 2026 + 28 days -> Tue 29 Dec 2026 (8 weekly would be Tue 26 Jan 2027)
    assert due("dorset.care_leaver.visit", young) == D("2026-12-29")
    older = child("care_leaver", "2024-06-01", date_of_birth=date(2004, 5, 1))
    assert applicable(older, "visit") == ["dorset.care_leaver_21_25.visit"]
    # last contact Thu 24 Dec 2026 + 1 year -> Fri 24 Dec 2027
    assert due("dorset.care_leaver_21_25.visit", older, "2026-12-24") == D("2027-12-24")


def test_care_leaver_pathway_review_6_monthly():
    c = child("care_leaver", "2026-08-31", date_of_birth=date(2008, 8, 30))
    # Mon 31 Aug 2026 + 6 months -> 28 Feb 2027 (no 31 Feb: end of month clamps)
    assert due("dorset.care_leaver.pathway_review", c) == D("2027-02-28")


# ------------------------------------------------------------------ seen alone, supervision

def test_seen_alone_every_visit_unless_exempt_or_not_social_work():
    c = child("cic", "2026-12-24", placement_type="foster", placement_start_date="2026-12-24")
    dues = strictest_dues(c, visits=(Visit("C1", D("2026-12-24"), "W1", True, False),), on="2026-12-24")
    assert dues["seen_alone"] == dues["visit"] == D("2027-01-05")
    exempt = child("cic", "2026-12-24", placement_type="foster", placement_start_date="2026-12-24",
                   seen_alone_exempt="age")
    assert "seen_alone" not in strictest_dues(exempt, on="2026-12-24")
    assert "seen_alone" not in strictest_dues(child("early_help", "2026-12-24"))


def test_supervision_8_weekly_and_4_weekly_on_cp_plan_or_interim_care_order():
    cin = child("cin", "2026-12-18")
    # Fri 18 Dec 2026 + 56 -> Fri 12 Feb 2027
    assert strictest_dues(cin, on="2026-12-18")["supervision"] == D("2027-02-12")
    cp = child("cp", "2026-12-18")
    # Fri 18 Dec 2026 + 28 -> Fri 15 Jan 2027
    assert strictest_dues(cp, on="2026-12-18")["supervision"] == D("2027-01-15")
    ico = child("cic", "2026-12-18", placement_type="parent_ico", placement_start_date="2026-12-18")
    assert strictest_dues(ico, on="2026-12-18")["supervision"] == D("2027-01-15")
    # any child in care may be in proceedings, any care leaver in unsuitable accommodation: 4 weekly too
    foster = child("cic", "2026-12-18", placement_type="foster", placement_start_date="2026-12-18")
    assert strictest_dues(foster, on="2026-12-18")["supervision"] == D("2027-01-15")
    leaver = child("care_leaver", "2026-12-18", date_of_birth=date(2007, 1, 1))
    assert strictest_dues(leaver, on="2026-12-18")["supervision"] == D("2027-01-15")


@pytest.mark.parametrize("requirement", ["cic_review", "cp_review"])
def test_reviews_the_document_does_not_time_are_silent(requirement: str):
    c = child("cic", "2026-12-07", placement_type="foster")
    assert applicable(c, requirement) == []
    assert any(s.requirement == requirement for s in STD.silent)


# ------------------------------------------------------------------ issue 8: no child missed

CIC_VISIT_RULES = {r.id for r in STD.rules if r.requirement == "visit" and "cic" in r.applies_to.status}


def test_item1_cic_child_with_no_placement_type_gets_every_looked_after_visit_rule():
    c = child("cic", "2026-10-05")  # no placement type, no placement start: the status start is the trigger
    got = set(applicable(c, "visit", on="2026-10-13"))
    # every looked-after visit rule whose other conditions hold (not long term, no agreed reduction)
    assert got == CIC_VISIT_RULES - {"dorset.cic.foster_long_term.visit",
                                     "dorset.cic.foster_long_term_not_agreed.visit"}
    # seen Mon 5 Oct (same day) and Mon 12 Oct (within 5 WD): the connected-person / ICO / adoption rules
    # are weekly -> Mon 12 Oct + 7 = Mon 19 Oct 2026 (foster alone would be monthly, Thu 12 Nov)
    visits = W.visits("2026-10-05", "2026-10-12")
    assert W.due_dates(c, visits=visits, on="2026-10-13")["visit"] == D("2026-10-19")
    assert W.rule_due("dorset.cic.foster.visit", c, "2026-10-13", visits).due_by == D("2026-11-12")


def test_item2_adoption_weekly_until_a_first_review_held_after_the_placement():
    # placed for adoption Mon 2 Nov 2026; first looked-after review 25 Jun 2025, before this placement
    c = child("cic", "2025-06-01", placement_type="adoption", placement_start_date="2026-11-02",
              first_review_date="2025-06-25")
    visits = W.visits("2026-11-02", "2026-11-09")  # same day, then 5 WD after: 3,4,5,6,9 Nov
    # the 2025 review never ends this placement's weekly phase: Mon 9 Nov + 7 -> Mon 16 Nov 2026
    # (before the fix: monthly after the old review -> Wed 9 Dec 2026)
    assert W.rule_due("dorset.cic.adoption.visit", c, "2026-11-10", visits).due_by == D("2026-11-16")
    # a cic_review held Fri 20 Nov 2026 (after the placement) ends it: seen Mon 23 Nov -> monthly -> Wed 23 Dec
    review = (W.meeting("cic_review", "2026-11-20"),)
    later = visits + W.visits("2026-11-16", "2026-11-23")
    assert W.rule_due("dorset.cic.adoption.visit", c, "2026-11-24", later, review).due_by == D("2026-12-23")


def test_item2_a_review_conference_held_after_the_icpc_ends_the_cp_bedroom_phase():
    # ICPC Mon 7 Sep 2026; a first review date from an earlier plan (2025) must not end anything
    c = child("cp", "2026-09-07", cp_category="emotional", first_review_date="2025-03-02")
    seen = (W.visit("2026-11-30", bedroom=True),)
    # still 'twice before the first review conference' (6 weeks): Mon 30 Nov + 42 -> Mon 11 Jan 2027
    assert W.rule_due("dorset.cp.bedroom", c, "2026-11-30", seen).due_by == D("2027-01-11")
    # an RCPC held Mon 30 Nov 2026 ends that phase: 30 Nov + 3 months -> 28 Feb 2027 (month end clamps)
    rcpc = (W.meeting("rcpc", "2026-11-30"),)
    assert W.rule_due("dorset.cp.bedroom", c, "2026-11-30", seen, rcpc).due_by == D("2027-02-28")


def test_item2_an_assessment_completed_before_the_referral_does_not_end_the_assessment_phase():
    # referral Mon 2 Nov 2026; the recorded assessment (1 Jun 2026) belongs to an earlier episode
    c = child("cin", "2026-11-02", assessment_completed_date="2026-06-01")
    # seen Wed 4 Nov (within 3 WD); still 'during the assessment', 2 weekly: + 14 -> Wed 18 Nov 2026
    # (4 weekly would be Wed 2 Dec)
    assert W.rule_due("dorset.cin.visit", c, "2026-11-05", W.visits("2026-11-04")).due_by == D("2026-11-18")


def test_item4_a_three_year_old_in_long_term_foster_care_is_not_relaxed_without_agreement():
    c = child("cic", "2024-01-08", placement_type="foster", placement_start_date="2024-01-08",
              placement_long_term=True, date_of_birth=date(2023, 6, 1))
    visits = W.visits("2024-01-08", "2024-01-12", "2026-11-02")
    # last visit Mon 2 Nov 2026, placement over a year old: monthly -> Wed 2 Dec 2026 (12 weekly: Mon 25 Jan 2027)
    assert W.due_dates_and_rules(c, visits=visits, on="2026-11-03")["visit"] == (
        D("2026-12-02"), "dorset.cic.foster_long_term_not_agreed.visit")
    agreed = child("cic", "2024-01-08", placement_type="foster", placement_start_date="2024-01-08",
                   placement_long_term=True, date_of_birth=date(2023, 6, 1), visit_reduction_agreed=True)
    assert W.due_dates(agreed, visits=visits, on="2026-11-03")["visit"] == D("2027-01-25")  # 2 Nov + 84


@pytest.mark.parametrize("category", ["neglect", "multiple", None])
def test_item5_bedroom_on_every_visit_when_the_plan_may_include_neglect(category):
    c = child("cp", "2026-11-02", cp_category=category)
    # ICPC Mon 2 Nov, seen Wed 4 Nov: next visit 5 WD -> 5,6,9,10,11 -> Wed 11 Nov 2026, bedroom on that visit
    dues = W.due_dates_and_rules(c, visits=W.visits("2026-11-04"), on="2026-11-05")
    assert dues["visit"][0] == dues["bedroom"][0] == D("2026-11-11")
    assert dues["bedroom"][1] == "dorset.cp_neglect.bedroom"


def test_item5_physical_abuse_plan_gets_the_bedroom_twice_between_conferences_only():
    c = child("cp", "2026-11-02", cp_category="physical")
    dues = W.due_dates_and_rules(c, visits=W.visits("2026-11-04"), on="2026-11-05")
    assert dues["bedroom"] == (D("2026-12-14"), "dorset.cp.bedroom")  # Mon 2 Nov + 42 days


def test_item8_a_rule_that_starts_on_a_birthday_is_due_that_day_at_the_latest():
    # in care since Mon 5 Jan 2026; turns 4 on Tue 15 Dec 2026, when the (school-age) PEP rules start
    c = child("cic", "2026-01-05", placement_type="foster", placement_start_date="2026-01-05",
              date_of_birth=date(2022, 12, 15))
    assert applicable(c, "pep", on="2026-12-14") == []  # aged 3
    # 5 Jan 2026 + 20 days = 25 Jan 2026, before the rule applied: due on the birthday, Tue 15 Dec 2026
    assert W.rule_due("dorset.cic.pep", c, "2026-12-15").due_by == D("2026-12-15")
    assert W.rule_due("dorset.cic.pep_uasc", c, "2026-12-15").due_by == D("2026-12-15")


def test_item8_care_leaver_contact_changes_rule_on_the_21st_birthday():
    c = child("care_leaver", "2024-06-03", date_of_birth=date(2006, 1, 10))  # 21 on Sun 10 Jan 2027
    visits = W.visits("2026-12-14")
    # aged 20 on Mon 4 Jan 2027: 4 weekly would be Mon 11 Jan, after the last day the rule applies (9 Jan)
    assert W.rule_due("dorset.care_leaver.visit", c, "2027-01-04", visits).due_by is None
    # from the birthday the yearly contact applies: Mon 14 Dec 2026 + 1 year -> Tue 14 Dec 2027
    assert W.rule_due("dorset.care_leaver_21_25.visit", c, "2027-01-10", visits).due_by == D("2027-12-14")


def test_item9_history_that_does_not_reach_back_to_the_placement_is_warned():
    from scheduler.domain import Team
    from scheduler.history_check import history_gaps
    from tests.standards.helpers import CAL

    c = child("cic", "2024-01-08", placement_type="foster", placement_start_date="2024-01-08")
    team = Team(workers=(), children=(c,), visits=W.visits("2026-10-01"), meetings=())
    gaps = {g.rule.id: g for g in history_gaps(team, STD, CAL, D("2026-11-02"))}
    gap = gaps["dorset.cic.foster.visit"]  # same day, then 5 WD, then monthly: 1 of 2 visits on record
    assert (gap.start, gap.earliest, gap.counted, gap.needed) == (D("2024-01-08"), D("2026-10-01"), 1, 2)
    assert "the export may not reach back far enough" in gap.message()
    assert "dorset.cic.foster.visit" in gap.message() and "2024-01-08" in gap.message()
    # placed after the history starts: nothing to warn about
    new = child("cic", "2026-10-05", placement_type="foster", placement_start_date="2026-10-05")
    team = Team(workers=(), children=(new,), visits=W.visits("2026-10-01", "2026-10-05"), meetings=())
    assert "dorset.cic.foster.visit" not in {g.rule.id for g in history_gaps(team, STD, CAL, D("2026-11-02"))}
