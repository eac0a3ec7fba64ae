"""Checks across rows and files, once every cell has been read: duplicate ids, ids that would
share a file name, unknown ids, households in two places, dates in the wrong order or after the
reference date, and the warnings (suspicious but loadable)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from ..domain import PLACEMENT_TYPES
from ..policy import ELIGIBLE_ROLE, NEEDS_QUALIFIED, role_may_visit
from ..textsafe import file_key
from .privacy import Quoter
from .problems import Problem

Record = tuple[int, dict[str, Any]]  # (row, column -> parsed value; absent when unreadable)
LOCATED = "__located_by_postcode__"  # set in a record whose lat/lon came from its postcode
CARE_LEAVING_AGE = 18


def _show(value: Any) -> str:
    return value.strftime("%H:%M") if isinstance(value, time) else value.isoformat()


@dataclass
class Checks:
    on: date
    quoter: Quoter
    errors: list[Problem]
    warnings: list[Problem]

    def error(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(Problem(file, row, column, message))

    def warn(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.warnings.append(Problem(file, row, column, message))

    def quote_id(self, text: str, prefix: str = " ") -> str:
        """An id for a message: quoted when that is safe (see privacy.Quoter), else nothing."""
        return prefix + repr(text) if self.quoter.may_quote("id", text) else ""

    def unique(self, file: str, records: list[Record], column: str, what: str) -> None:
        first: dict[str, int] = {}
        for row, v in records:
            key = v.get(column)
            if key is None:
                continue
            if key in first:
                self.error(file, row, column, f"duplicate {column}{self.quote_id(key)} (already on row {first[key]}); "
                           f"expected each {what} to appear once")
            else:
                first[key] = row

    def one_file_name_each(self, file: str, ids: list[tuple[int, str]], column: str, what: str) -> None:
        """Distinct ids must stay distinct as file names (case-folded, punctuation as '_')."""
        seen: dict[str, tuple[int, str]] = {}
        for row, ident in ids:
            key = file_key(ident)
            if key in seen and seen[key][1] != ident:
                other_row, other = seen[key]
                self.error(file, row, column,
                           f"{column}{self.quote_id(ident)} and the {column}{self.quote_id(other)} on row "
                           f"{other_row} differ only in case, spaces or punctuation, so they would share one "
                           f"file name in the outputs; expected {what} ids that differ in their letters or digits")
            seen.setdefault(key, (row, ident))

    def known(self, file: str, records: list[Record], column: str, ids: set[str], source: str,
              optional: bool = False) -> None:
        for row, v in records:
            key = v.get(column)
            if key is None or (optional and key == ""):
                continue
            if key not in ids:
                shown = self.quote_id(key, "")
                self.error(file, row, column, f"{shown or 'the value'} is not in {source}; expected a "
                           f"{column.removeprefix('allocated_')} listed there")

    def order(self, file: str, records: list[Record], first: str, second: str, strict: bool) -> None:
        for row, v in records:
            a, b = v.get(first), v.get(second)
            if a is None or b is None:
                continue
            if b < a or (strict and b == a):
                rel = "after" if strict else "on or after"
                self.error(file, row, second, f"{second} ({_show(b)}) is {'not after' if strict else 'before'} "
                           f"{first} ({_show(a)}); expected {second} {rel} {first}")

    def not_after_on(self, file: str, records: list[Record], column: str, what: str,
                     keep: Callable[[dict[str, Any]], bool] = lambda v: True) -> None:
        for row, v in records:
            d = v.get(column)
            if d is not None and keep(v) and d > self.on:
                self.error(file, row, column, f"{what} dated {d.isoformat()} is after the reference date "
                           f"{self.on.isoformat()}; expected only {what}s that have already happened")

    def households(self, file: str, children: list[Record]) -> None:
        """A household is one place: its children share lat/lon; household ids name files too."""
        first: dict[str, Record] = {}
        for row, v in children:
            if "child_id" not in v or "household_id" not in v:
                continue
            household = v["household_id"] or v["child_id"]
            if household not in first:
                first[household] = (row, v)
                continue
            row0, v0 = first[household]
            differ = [c for c in ("lat", "lon") if c in v and c in v0 and abs(v[c] - v0[c]) > 1e-6]
            if differ:
                column = "postcode" if v.get(LOCATED) else differ[0]
                where = ("postcodes differ" if v.get(LOCATED) or v0.get(LOCATED) else
                         f"{' and '.join(differ)} {'differ' if len(differ) > 1 else 'differs'}")
                self.error(file, row, column,
                           f"the child lives in household{self.quote_id(household)} with the child on row {row0}, "
                           f"but at a different place ({where}); a household is one place: expected the "
                           f"same location as row {row0}, or a different household_id")
        self.one_file_name_each(file, [(r, h) for h, (r, _) in first.items()], "household_id", "household")

    def children(self, file: str, children: list[Record]) -> None:
        on = self.on
        for row, v in children:
            status = v.get("status")
            if status is None:
                continue
            if status != "cic" and v.get("placement_type"):
                self.warn(file, row, "placement_type", f"given for a child whose status is {status!r}, not 'cic'; "
                          "it is ignored (expected placement_type only for cic children)")
            if status == "cic" and "placement_type" in v and v["placement_type"] is None:
                self.warn(file, row, "placement_type",
                          "blank for a looked-after (cic) child, so the strictest looked-after visit rules of "
                          f"the standard apply to this child; expected one of {', '.join(PLACEMENT_TYPES)}")
            dob = v.get("date_of_birth")
            if status == "cic" and dob is not None and dob <= on:
                age = on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
                if age >= CARE_LEAVING_AGE:
                    self.warn(file, row, "status",
                              f"'cic' for a young person aged {CARE_LEAVING_AGE} or over on {on.isoformat()} "
                              "(from date_of_birth): a care leaver now? They are planned as looked after; "
                              "expected care_leaver once they have left care")
            if status != "cp" and v.get("cp_category"):
                self.warn(file, row, "cp_category", f"given for a child whose status is {status!r}, not 'cp'; "
                          "it is ignored (expected cp_category only for cp children)")
            start = v.get("status_start_date")
            if start is not None and start > on:
                self.warn(file, row, "status_start_date", f"{start.isoformat()} is after the reference date "
                          f"{on.isoformat()}; expected the date the current status began")
            if dob is not None and dob > on:
                self.error(file, row, "date_of_birth", "is after the reference date; expected a date of birth "
                           "in the past, or blank for an unborn child")


    def allocations(self, file: str, children: list[Record], wfile: str, workers: list[Record]) -> None:
        """A child allocated to a worker who may not do that child's visits (policy.eligible): the
        plan runs, but every visit for the child is cover by someone else."""
        staff: dict[str, dict[str, Any]] = {}
        for _, w in workers:
            staff.setdefault(w.get("worker_id", ""), w)
        for row, v in children:
            worker, status = staff.get(v.get("allocated_worker_id") or ""), v.get("status")
            if worker is None or status is None or "role" not in worker or "qualified" not in worker:
                continue
            role, qualified = worker["role"], worker["qualified"]
            if role_may_visit(role, qualified, status):
                continue
            who = f"the worker{self.quote_id(v['allocated_worker_id'])} ({wfile})"
            need = ELIGIBLE_ROLE[status].replace("_", " ")
            if status in NEEDS_QUALIFIED:
                need = f"qualified {need}"
            if role == "team_manager":
                why = f"{who} is a team manager, and team managers do not visit"
            elif role == ELIGIBLE_ROLE[status]:
                why = f"{who} is not qualified (qualified: no), and a {status} child's visits need a {need}"
            else:
                why = f"{who} is a {role.replace('_', ' ')}, and a {status} child's visits need a {need}"
            self.warn(file, row, "allocated_worker_id",
                      f"{why}; the plan still runs, but every visit for this child will be cover by another "
                      f"worker (expected a {need} as the allocated worker)")


def check(on: date, quoter: Quoter, parsed: dict[str, tuple[str, list[Record]]],
          incomplete: set[str] | frozenset[str] = frozenset()) -> Checks:
    """Checks across rows and files. A file in `incomplete` had rows that could not be read, so
    ids missing from it are not reported elsewhere (the unreadable rows are reported instead)."""
    c = Checks(on, quoter, [], [])
    wfile, workers = parsed.get("workers", ("workers.csv", []))
    cfile, children = parsed.get("children", ("children.csv", []))
    worker_ids = {v["worker_id"] for _, v in workers if "worker_id" in v}
    child_ids = {v["child_id"] for _, v in children if "child_id" in v}
    have_workers = "workers" in parsed and "workers" not in incomplete
    have_children = "children" in parsed and "children" not in incomplete

    c.unique(wfile, workers, "worker_id", "worker")
    c.one_file_name_each(wfile, [(r, v["worker_id"]) for r, v in workers if "worker_id" in v], "worker_id",
                         "worker")
    c.order(wfile, workers, "day_start", "day_end", strict=True)
    c.unique(cfile, children, "child_id", "child")
    if have_workers:
        c.known(cfile, children, "allocated_worker_id", worker_ids, wfile, optional=True)
        c.allocations(cfile, children, wfile, workers)
    c.children(cfile, children)
    c.households(cfile, children)

    if "visits" in parsed:
        file, visits = parsed["visits"]
        if have_children:
            c.known(file, visits, "child_id", child_ids, cfile)
        if have_workers:
            c.known(file, visits, "worker_id", worker_ids, wfile)
        c.not_after_on(file, visits, "date", "visit")
    if "meetings" in parsed:
        file, meetings = parsed["meetings"]
        if have_children:
            c.known(file, meetings, "child_id", child_ids, cfile)
        c.not_after_on(file, meetings, "date", "held meeting", keep=lambda v: v.get("status") == "held")
        for row, v in meetings:
            d = v.get("date")
            if v.get("status") == "booked" and d is not None and d < on:
                c.warn(file, row, "status", f"meeting booked for {d.isoformat()}, before the reference date "
                       f"{on.isoformat()}; expected 'held' if it took place (a booked meeting does not count)")
            elif v.get("status") == "booked" and d is not None and d.weekday() >= 5:
                c.warn(file, row, "date", f"meeting booked for a {d:%A} ({d.isoformat()}); rotas are planned "
                       "on working days only, so it will not appear in one (expected a weekday)")
    if "absences" in parsed:
        file, absences = parsed["absences"]
        if have_workers:
            c.known(file, absences, "worker_id", worker_ids, wfile)
        c.order(file, absences, "start_date", "end_date", strict=False)
    return c
