"""The caseload section of rota.html: the rows of `rota caseload`, cell for cell.

Pure: turns the CaseloadReport that `rota caseload` prints (scheduler.caseload.table) into the
context of the template scheduler/outputs/templates/_caseload.html.j2, so the numbers are the
same strings. Children appear by reference only.
"""
from __future__ import annotations

from typing import Any

from .table import CASELOAD_COLUMNS, UNALLOCATED_COLUMNS, CaseloadReport, role_totals

NUMERIC = {"children", "cp", "cin", "cic", "care_leaver", "other", "points", "capacity_points", "demand_hours",
           "available_hours", "utilisation", "days_since_start"}


def caseload_context(report: CaseloadReport) -> dict[str, Any]:
    h = report.horizon
    return {
        "standard_key": report.standard_key, "start": h.start.isoformat(), "end": h.end.isoformat(),
        "columns": CASELOAD_COLUMNS, "unallocated_columns": UNALLOCATED_COLUMNS, "numeric": NUMERIC,
        "rows": [{"worker_id": r.worker_id, "status": r.status, "cells": r.row()} for r in report.rows],
        "totals": [t.line() for t in role_totals(report) if t.points or t.demand_minutes],
        "unallocated": [{"child_id": u.child.child_id, "cells": u.row()} for u in report.unallocated],
    }
