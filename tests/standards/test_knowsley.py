"""Knowsley Practice Standards (Dec 2022) in constraints/knowsley.yaml: worked due dates.

Every expected date is worked by hand in the comment beside it. England bank holidays used:
Fri 25 Dec 2026, Mon 28 Dec 2026 (Boxing Day substitute; 26 Dec is a Saturday), Fri 1 Jan 2027,
Good Friday 26 Mar 2027, Easter Monday 29 Mar 2027.
"""
from __future__ import annotations

from datetime import date

from scheduler.domain import Meeting, Visit
from tests.standards.helpers import D, Worked, all_citations, seed_text

W = Worked("knowsley", child_id="K1", where=(53.45, -2.85), born=date(2015, 6, 1), today="2027-01-04")
STD, child, due, applicable = W.std, W.child, W.due, W.applicable
strictest_dues = W.due_dates_and_rules  # {requirement: (strictest due date, rule id)}


# ------------------------------------------------------------------ the data itself

def test_every_quote_is_verbatim_in_the_seed():
    text = " ".join(seed_text(STD.source.file).split())
    citations = all_citations(STD)
    missing = [c.quote for c in citations if " ".join(c.quote.split()) not in text]
    assert missing == []
    assert len(citations) > 20


def test_statuses_the_document_does_not_cover_get_no_rules_and_are_listed_silent():
    for status in ("early_help", "care_leaver", "private_fostering"):
        c = child(status, "2026-12-01", date_of_birth=date(2008, 1, 1))
        assert [r.id for r in STD.rules if r.applies_to.matches(c, D("2027-01-04"))] == [], status
        assert any(s.requirement == "visit" and status in s.status for s in STD.silent), status
    # S47 is covered, but with no visiting timescale: silent for visits, supervision still applies
    s47 = child("s47", "2026-12-01")
    assert applicable(s47, "visit") == []
    assert applicable(s47, "supervision") == ["knowsley.supervision"]


# ------------------------------------------------------------------ child protection

def test_cp_first_visit_within_4_weeks_of_icpc_then_4_weekly():
    c = child("cp", "2026-12-18")  # ICPC Fri 18 Dec 2026
    # Fri 18 Dec 2026 + 28 calendar days -> Fri 15 Jan 2027
    assert due("knowsley.cp.visit", c) == D("2027-01-15")
    # visited Thu 24 Dec 2026 + 28 -> Thu 21 Jan 2027 (weeks ignore the bank holidays in between)
    assert due("knowsley.cp.visit", c, "2026-12-24") == D("2027-01-21")


def test_cp_core_group_10_working_days_after_icpc_then_every_28_days():
    c = child("cp", "2026-12-18")
    # 10 WD after Fri 18 Dec 2026: 21, 22, 23, 24, (25, 28 holidays) 29, 30, 31, (1 Jan) 4, 5, 6 -> Wed 6 Jan 2027
    assert due("knowsley.cp.core_group", c) == D("2027-01-06")
    # core group Wed 6 Jan 2027 + 28 days -> Wed 3 Feb 2027
    assert due("knowsley.cp.core_group", c, "2027-01-06") == D("2027-02-03")


def test_cp_core_group_first_meeting_across_easter():
    c = child("cp", "2027-03-19")
    # 10 WD after Fri 19 Mar 2027: 22, 23, 24, 25, (Good Fri 26, Easter Mon 29) 30, 31, 1 Apr, 2, 5, 6 -> Tue 6 Apr
    assert due("knowsley.cp.core_group", c) == D("2027-04-06")


def test_cp_seen_alone_on_every_visit_unless_exempt():
    c = child("cp", "2026-12-18")
    dues = strictest_dues(c, visits=(Visit("K1", D("2026-12-24"), "W1", True, False),), on="2026-12-28")
    # next visit Thu 21 Jan 2027 (24 Dec + 28); the child must be seen alone on it
    assert dues["visit"][0] == dues["seen_alone"][0] == D("2027-01-21")
    exempt = child("cp", "2026-12-18", seen_alone_exempt="non-verbal infant")
    assert "seen_alone" not in strictest_dues(exempt, on="2026-12-28")


def test_cp_review_conferences_and_bedrooms_are_silent():
    c = child("cp", "2026-12-18", cp_category="neglect")
    assert applicable(c, "cp_review") == []
    assert applicable(c, "bedroom") == []
    assert {"cp_review", "bedroom"} <= {s.requirement for s in STD.silent}


# ------------------------------------------------------------------ children in need

def test_cin_visits_at_least_every_6_weeks_from_referral():
    c = child("cin", "2026-12-23")
    # Wed 23 Dec 2026 + 42 days -> Wed 3 Feb 2027
    assert due("knowsley.cin.visit", c) == D("2027-02-03")
    # visited Wed 3 Feb 2027 + 42 -> Wed 17 Mar 2027
    assert due("knowsley.cin.visit", c, "2027-02-03") == D("2027-03-17")


def test_cin_seen_alone_once_per_6_week_interval():
    c = child("cin", "2026-12-23")
    # seen alone Tue 16 Feb 2027 + 42 -> Tue 30 Mar 2027 (the day after Easter Monday; weeks are calendar)
    assert due("knowsley.cin.seen_alone", c, "2027-02-16") == D("2027-03-30")


def test_cin_meeting_10_days_after_assessment_then_6_weekly_reviews():
    c = child("cin", "2026-12-01", assessment_completed_date="2026-12-23")
    # '10 days' = calendar days: Wed 23 Dec 2026 + 10 -> Sat 2 Jan 2027
    assert due("knowsley.cin.cin_review", c) == D("2027-01-02")
    # meeting Mon 4 Jan 2027 + 42 -> Mon 15 Feb 2027
    assert due("knowsley.cin.cin_review", c, "2027-01-04") == D("2027-02-15")
    # no assessment date (issue 8 item 3): counted from the status start, Tue 1 Dec 2026 + 10 -> Fri 11 Dec 2026
    assert due("knowsley.cin.cin_review", child("cin", "2026-12-01")) == D("2026-12-11")


# ------------------------------------------------------------------ children in care

def test_cic_first_visit_3_days_not_1_week_then_6_weekly():
    c = child("cic", "2026-12-23", placement_type="foster", placement_start_date="2026-12-23")
    assert applicable(c, "visit") == ["knowsley.cic.visit"]
    # contradiction resolved to the stricter 3 calendar days: Wed 23 Dec 2026 + 3 -> Sat 26 Dec 2026
    # (section 8's 'within 1 week' would be Wed 30 Dec)
    assert due("knowsley.cic.visit", c) == D("2026-12-26")
    # visited Thu 24 Dec 2026 + 42 -> Thu 4 Feb 2027
    assert due("knowsley.cic.visit", c, "2026-12-24") == D("2027-02-04")


def test_cic_residential_4_weekly_wins_over_6_weekly():
    c = child("cic", "2026-12-23", placement_type="residential", placement_start_date="2026-12-23")
    assert sorted(applicable(c, "visit")) == ["knowsley.cic.residential.visit", "knowsley.cic.visit"]
    dues = strictest_dues(c, visits=(Visit("K1", D("2026-12-24"), "W1", True, False),), on="2026-12-29")
    # Thu 24 Dec 2026 + 28 -> Thu 21 Jan 2027 (6 weekly would be Thu 4 Feb)
    assert dues["visit"] == (D("2027-01-21"), "knowsley.cic.residential.visit")


def test_cic_every_other_placement_type_uses_the_general_rule():
    for ptype in ("connected_person", "parent_ico", "parent_care_order", "adoption", "other_setting",
                  "short_breaks"):
        c = child("cic", "2027-03-24", placement_type=ptype, placement_start_date="2027-03-24")
        assert applicable(c, "visit") == ["knowsley.cic.visit"], ptype
        # Wed 24 Mar 2027 + 3 calendar days -> Sat 27 Mar 2027 (Easter weekend; calendar days)
        assert due("knowsley.cic.visit", c) == D("2027-03-27")


def test_cic_placement_move_restarts_the_clock():
    c = child("cic", "2026-06-01", placement_type="foster", placement_start_date="2027-01-04")
    # a visit before the move (Thu 31 Dec 2026) does not count: Mon 4 Jan 2027 + 3 -> Thu 7 Jan 2027
    assert due("knowsley.cic.visit", c, "2026-12-31") == D("2027-01-07")


def test_cic_seen_alone_at_regular_intervals():
    c = child("cic", "2026-12-23", placement_type="foster", placement_start_date="2026-12-23")
    # no seen-alone visit since Wed 23 Dec 2026 placement -> + 42 -> Wed 3 Feb 2027
    assert due("knowsley.cic.seen_alone", c) == D("2027-02-03")


def test_cic_pep_15_days_after_placement_then_termly():
    c = child("cic", "2027-03-20", placement_type="foster", placement_start_date="2027-03-20")
    # Sat 20 Mar 2027 + 15 calendar days -> Sun 4 Apr 2027 (Easter Sunday; '15 days' read as calendar days)
    assert due("knowsley.cic.pep", c) == D("2027-04-04")
    # PEP Thu 1 Apr 2027 + 4 calendar months (one school term) -> Sun 1 Aug 2027
    assert due("knowsley.cic.pep", c, "2027-04-01") == D("2027-08-01")
    toddler = child("cic", "2027-03-20", placement_type="foster", date_of_birth=date(2024, 6, 1))
    assert applicable(toddler, "pep") == []


def test_cic_reviews_and_pathway_reviews_are_silent():
    c = child("cic", "2026-12-23", placement_type="foster", date_of_birth=date(2010, 1, 1))
    assert applicable(c, "cic_review") == []
    assert applicable(c, "pathway_review") == []


# ------------------------------------------------------------------ supervision

def test_supervision_every_28_days():
    c = child("cic", "2026-12-04", placement_type="foster", placement_start_date="2026-12-04")
    # Fri 4 Dec 2026 + 28 -> Fri 1 Jan 2027 (a bank holiday, but '28 days' are calendar days)
    assert due("knowsley.supervision", c) == D("2027-01-01")
    held = (Meeting("K1", "supervision", D("2026-12-30"), "held"),
            Meeting("K1", "supervision", D("2027-01-20"), "booked"))
    # only held meetings count: Wed 30 Dec 2026 + 28 -> Wed 27 Jan 2027
    assert strictest_dues(c, meetings=held, on="2027-01-04")["supervision"][0] == D("2027-01-27")


# ------------------------------------------------------------------ issue 8: no child missed

def test_item3_cin_child_without_an_assessment_gets_a_cin_meeting_from_the_status_start():
    # the worked case: CIN since Mon 5 Oct 2026 (e.g. stepped down from a CP plan), no assessment
    # date, no meetings: Mon 5 Oct + 10 calendar days -> Thu 15 Oct 2026
    c = child("cin", "2026-10-05")
    row = W.rule_due("knowsley.cin.cin_review", c, "2026-10-05")
    assert row.due_by == D("2026-10-15")
    assert strictest_dues(c, on="2026-10-05")["cin_review"] == (D("2026-10-15"), "knowsley.cin.cin_review")
    # with an assessment completed Wed 21 Oct 2026, that date is preferred: + 10 -> Sat 31 Oct 2026
    assessed = child("cin", "2026-10-05", assessment_completed_date="2026-10-21")
    assert W.rule_due("knowsley.cin.cin_review", assessed, "2026-10-21").due_by == D("2026-10-31")
    # the meeting held Thu 15 Oct: reviews 6 weekly -> Thu 26 Nov 2026
    held = (W.meeting("cin_review", "2026-10-15"),)
    assert W.rule_due("knowsley.cin.cin_review", c, "2026-10-16", meetings=held).due_by == D("2026-11-26")


def test_item1_cic_child_with_no_placement_type_gets_the_residential_4_weekly_too():
    c = child("cic", "2026-10-05")  # no placement type recorded
    assert set(applicable(c, "visit", on="2026-10-09")) == {"knowsley.cic.visit", "knowsley.cic.residential.visit"}
    # seen Thu 8 Oct: general 6 weekly -> Thu 19 Nov; residential 4 weekly -> Thu 5 Nov 2026 (earliest wins)
    visits = (Visit("K1", D("2026-10-08"), "W1", True, False),)
    assert strictest_dues(c, visits=visits, on="2026-10-09")["visit"] == (
        D("2026-11-05"), "knowsley.cic.residential.visit")


def test_item8_pep_stops_on_the_18th_birthday_and_starts_on_the_4th():
    # in care since Mon 5 Jan 2026; 18 on Sun 20 Dec 2026
    old = child("cic", "2026-01-05", placement_type="foster", placement_start_date="2026-01-05",
                date_of_birth=date(2008, 12, 20))
    held = (Meeting("K1", "pep", D("2026-09-14"), "held"),)
    # PEP Mon 14 Sep 2026 + 4 months = Thu 14 Jan 2027, after the last day the rule applies (Sat 19 Dec 2026)
    assert W.rule_due("knowsley.cic.pep", old, "2026-12-01", meetings=held).due_by is None
    assert applicable(old, "pep", on="2026-12-20") == []
    # 4 on Tue 15 Dec 2026: placement Mon 5 Jan 2026 + 15 = 20 Jan 2026, before the rule applied -> due 15 Dec
    young = child("cic", "2026-01-05", placement_type="foster", placement_start_date="2026-01-05",
                  date_of_birth=date(2022, 12, 15))
    assert W.rule_due("knowsley.cic.pep", young, "2026-12-15").due_by == D("2026-12-15")


def test_item9_cin_meeting_counted_from_before_the_history_is_warned():
    from scheduler.domain import Team
    from scheduler.history_check import history_warnings
    from tests.standards.helpers import CAL

    c = child("cin", "2025-01-06")  # CIN since Mon 6 Jan 2025, no assessment date
    team = Team(workers=(), children=(c,), visits=(Visit("K1", D("2026-09-01"), "W1", True, False),), meetings=())
    lines = history_warnings(team, STD, CAL, D("2026-11-02"))
    assert any(line.startswith("meetings.csv: child K1: rule knowsley.cin.cin_review") and "2025-01-06" in line
               and "2026-09-01" in line for line in lines)
    # a CIN meeting on record since the status start: the count-based phase is complete, nothing to warn
    team = Team(workers=(), children=(c,), visits=team.visits,
                meetings=(Meeting("K1", "cin_review", D("2026-09-10"), "held"),))
    assert not any("knowsley.cin.cin_review" in line for line in history_warnings(team, STD, CAL, D("2026-11-02")))
