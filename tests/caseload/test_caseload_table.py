"""`rota caseload` figures, checked by hand on a tiny team (arithmetic in the comments)."""
from __future__ import annotations

from datetime import date

import pytest

from scheduler.caseload.demand import DemandModel
from scheduler.caseload.points import WeightsError, load_weights
from scheduler.caseload.table import CASELOAD_COLUMNS, caseload_report
from scheduler.horizon import Horizon
from tests.caseload.helpers import STANDARD, START, core_group
from tests.model.teams import child, leave, team, visit, worker

# Horizon: Mon 30 Nov - Sun 27 Dec 2026 (4 weeks); 19 working days (Fri 25 Dec bank holiday).
HORIZON = Horizon(START, 4)
FAR = 10  # child.offset: 10 x 0.003 deg north of the base = 3.336 km; x1.3 road = 4.337 km at 30 km/h
TRAVEL = 9  # = 8.67 min, rounded up: 9 min each way


def tiny_team():
    return team(
        [worker("W1"),
         worker("W2", working_days=(0, 1, 2), fte=0.6, newly_qualified=True),
         worker("W3", role="personal_adviser", qualified=False)],
        [child("C1", "cp", household="H1", offset=FAR),
         child("C2", "cin", household="H1", offset=FAR),
         child("C3", "cic", placement_type="foster", placement_long_term=True, offset=3),
         child("C4", "cp", allocated=None, status_start=date(2026, 10, 1), offset=4),
         child("C5", "cin", allocated=None, status_start=date(2026, 11, 2), offset=5),
         child("C6", "care_leaver", allocated="W3", offset=6)],
        visits=[visit("C1", date(2026, 11, 23)), visit("C2", date(2026, 11, 23))],
        meetings=[core_group("C1", date(2026, 11, 9))],
        absences=[leave("W1", date(2026, 12, 14), date(2026, 12, 18))])


def test_hand_checked_figures():
    report = caseload_report(tiny_team(), STANDARD, HORIZON, load_weights())
    rows = {r.worker_id: r.row() for r in report.rows}
    w1 = rows["W1"]
    assert [w1[c] for c in ("children", "cp", "cin", "cic", "care_leaver", "other")] == ["3", "1", "1", "1", "0", "0"]
    # points: stable 15 + C1 cp 8 + C2 cin 5 + C3 child in care, settled (long-term placement) 5 = 33 of 100
    assert (w1["points"], w1["capacity_points"]) == ("33", "100")
    # visits to household H1 (C1 cp every 10 working days, C2 cin every 6 weeks; seen together):
    #   last visit Mon 23 Nov; C1 due 10 WD later = 24,25,26,27,30 Nov, 1,2,3,4,7 Dec -> Mon 7 Dec (visit 1);
    #   then 8,9,10,11,14,15,16,17,18,21 Dec -> Mon 21 Dec (visit 2); then 22,23,24,29,... -> after 27 Dec.
    #   C2 (6 weeks from 23 Nov = 4 Jan, then from 7 Dec) never falls due first: seen on the same visits.
    #   each visit: 40 min + 10 for the second child + 15 x 2 seen alone = 80 min -> 2 x 80 = 160
    # core group for C1: held Mon 9 Nov + 4 weeks = Mon 7 Dec -> 1 x 90 min (next 4 Jan)
    # travel: 3 stops x 2 x 9 min = 54.  Total 160 + 90 + 54 = 304 min = 5.07 h
    assert (w1["visits"], w1["meetings"]) == ("2", "1")
    assert w1["demand_hours"] == "5.07" and w1["travel_hours"] == "0.90"
    # available: 19 working days - leave Mon 14-Fri 18 Dec (5) = 14 days x 480 min = 6720 min = 112.00 h
    assert w1["available_hours"] == "112.00"
    # utilisation 304 / 6510 = 0.0467
    assert (w1["utilisation"], w1["status"]) == ("0.05", "ok")

    w2 = rows["W2"]
    # part-time (fte 0.6) and newly qualified: capacity 90 x 0.6 = 54; stable 15 x 0.6 = 9, no cases
    assert (w2["points"], w2["capacity_points"], w2["children"]) == ("9", "54", "0")
    # works Mon-Wed: 30 Nov, 1, 2, 7, 8, 9, 14, 15, 16, 21, 22, 23 Dec = 12 days x 480 min = 96.00 h
    assert (w2["available_hours"], w2["demand_hours"]) == ("96.00", "0.00")
    w3 = rows["W3"]
    # personal adviser: stable 15 + care leaver 4 = 19; no visit rule for care leavers in this standard
    assert (w3["points"], w3["care_leaver"], w3["demand_hours"]) == ("19", "1", "0.00")

    # unallocated, most serious status first, oldest first: C4 (cp since 1 Oct), C5 (cin since 2 Nov)
    assert [(u.child.child_id, u.row()["days_since_start"]) for u in report.unallocated] == [("C4", "60"),
                                                                                          ("C5", "28")]
    assert list(report.rows[0].row())[:len(CASELOAD_COLUMNS)] == CASELOAD_COLUMNS


def test_over_by_points_or_by_hours():
    # W1 holds 11 cp children in 11 households: 15 + 11 x 8 = 103 points > 100 -> over
    many = [child(f"K{i:02d}", "cp", offset=1) for i in range(11)]
    row = caseload_report(team([worker("W1")], many), STANDARD, HORIZON, load_weights()).rows[0]
    assert row.points == 103 and row.status == "over" and row.over_points and not row.over_hours
    assert row.why() == "103 of 100 points"

    # 10 of them (15 + 80 = 95 points: ok) held by a worker who works Mondays only: 30 Nov, 7, 14,
    # 21 Dec = 4 x 480 min = 1920 min = 32 h. Each child (cp since 1 Jun, no history) is overdue:
    # visit on Mon 30 Nov, next due 10 WD later = Mon 14 Dec, then 29 Dec (after the horizon):
    # 2 visits x (40 + 15 seen alone) = 110 min; core group overdue (1 Jun + 4 weeks): held Mon
    # 30 Nov, next 28 Dec: 90 min; travel 3 stops x 2 x 1 min (0.003 deg = 0.33 km x 1.3 at
    # 30 km/h = 0.87 -> 1 min) = 6 min. 10 x (110 + 90 + 6) = 2060 min = 34.33 h > 32 h.
    row = caseload_report(team([worker("W1", working_days=(0,))], many[:10]), STANDARD, HORIZON,
                          load_weights()).rows[0]
    assert (row.points, row.available_hours, row.demand_hours) == (95, 32.0, 34.33)
    # utilisation 2060 / 1920 = 1.073
    assert (row.utilisation, row.status, row.over_points) == (1.07, "over", False)
    assert row.why() == "34.33 h demanded of 32 h available"


def test_weights_file_overrides_only_the_keys_it_gives(tmp_path):
    f = tmp_path / "w.yaml"
    f.write_text("full_time_points: 120\ncase_points: {cp: 10}\nextra_responsibilities: {W1: 5}\n")
    w = load_weights(f)
    assert (w.full_time_points, w.case_points.cp, w.case_points.cin, w.stable_points) == (120, 10, 5, 15)
    report = caseload_report(tiny_team(), STANDARD, HORIZON, w)
    # W1: 15 + extra 5 + C1 10 + C2 5 + C3 5 = 40 of 120
    assert report.rows[0].row()["points"] == "40" and report.rows[0].row()["capacity_points"] == "120"
    bad = tmp_path / "bad.yaml"
    bad.write_text("case_points: {cp: -1, unknown: 3}\n")
    with pytest.raises(WeightsError) as exc:
        load_weights(bad)
    assert "case_points.cp" in str(exc.value) and "case_points.unknown" in str(exc.value)


def test_demand_is_the_same_whoever_holds_the_children_except_travel():
    t = tiny_team()
    model = DemandModel(t, STANDARD, HORIZON)
    kids = [c for c in t.children if c.household_id == "H1"]
    near, far = worker("N"), worker("F", base_lat=51.5558 + 0.03)
    # far base is where the household lives: 0 min travel; near base: 9 min each way (see above)
    assert model.worker_demand(far, kids).minutes == 160 + 90
    assert model.worker_demand(near, kids).minutes == 160 + 90 + 3 * 2 * 9


def test_a_worker_away_for_the_whole_horizon_is_over_with_any_work():
    # leave Mon 30 Nov - Sun 27 Dec: no plannable minute; C1's visits still fall due
    t = team([worker("W1")], [child("C1", "cp")], absences=[leave("W1", START, date(2026, 12, 27))])
    row = caseload_report(t, STANDARD, HORIZON, load_weights()).rows[0]
    assert row.available_minutes == 0 and row.demand.minutes > 0
    assert (row.row()["utilisation"], row.status) == ("inf", "over")
