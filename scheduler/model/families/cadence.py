"""Cadence windows: every minimum frequency in the standard, phase-aware, from each child's history.

For a cadence rule (constraints/<authority>.yaml) the next occurrence is due by
due(last, count) (scheduler.requirements: "the cadence in force the day after the last
occurrence governs"). In the model:
- anchor: from the history's last occurrence (or the trigger), one occurrence in [start, due0];
- after every planned occurrence p: one occurrence in (p, due(p, count at p)], where the count
  matters only for phases that end after N occurrences (e.g. "same day", then "within 5 WD");
- each window is soft: its breach literal costs the rule's severity. A window whose due date is
  before the plan starts (or has no working day) is a forced breach; lateness tiers then price
  how long after the due date the child is seen.
Windows whose due date is after the horizon are left to the next plan.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ortools.sat.python import cp_model

from ...policy import MEETING_ACTIVITY
from ..problem import Cadence, Problem
from ..share import Lit, Share, Window
from ..variables import Variables


def occurrence(v: Variables, cd: Cadence, di: int) -> Lit | None:
    """The literal meaning "an occurrence of this cadence's requirement on day di" (None: cannot)."""
    cid = cd.child.child_id
    if cd.requirement in ("visit", "seen_alone"):
        return v.seen.get((cid, di))  # every planned visit sees a non-exempt child alone
    if cd.requirement == "bedroom":
        return v.at_home.get((cid, di))
    return v.met.get((cid, MEETING_ACTIVITY[cd.requirement], di))


def _occurrences(v: Variables, cd: Cadence, n_days: int) -> dict[int, Lit]:
    """Day index -> occurrence literal, for the days an occurrence can happen at all."""
    out = {}
    for di in range(n_days):
        x = occurrence(v, cd, di)
        if x is not None:
            out[di] = x
    return out


def _between(occ: dict[int, Lit], days: list[date], after: date | None, until: date) -> list[Lit]:
    """The occurrence literals of the days in (after, until], in day order (after=None: from the
    plan's first day)."""
    return [x for di, x in occ.items() if (after is None or days[di] > after) and days[di] <= until]


@dataclass
class _Ctx:
    m: cp_model.CpModel
    pb: Problem
    share: Share


def add(m: cp_model.CpModel, pb: Problem, v: Variables) -> Share:
    ctx = _Ctx(m, pb, Share())
    for cd in pb.cadences:
        _add_cadence(ctx, v, cd)
    return ctx.share


def _add_cadence(ctx: _Ctx, v: Variables, cd: Cadence) -> None:
    m, pb = ctx.m, ctx.pb
    days = pb.days
    occ = _occurrences(v, cd, len(days))
    last = cd.history[-1] if cd.history else None
    n0 = len(cd.history)
    tag = f"{cd.child.child_id}:{cd.rule.id}"

    # anchor window: from the history (or the trigger) into the horizon
    due0 = cd.due(last, n0)
    if due0 is not None and due0 <= pb.end:
        window = _between(occ, days, None, due0)
        _soft_window(ctx, cd, due0, window, None, f"anchor:{tag}")
        _unseen(ctx, cd, occ, None, None, f"anchor:{tag}")
        _lateness(ctx, cd, due0, occ, None, [], f"anchor:{tag}")
        _missed_chain(ctx, cd, due0, n0, occ, None, None, f"anchor:{tag}")

    # after each possible planned occurrence
    thresholds = cd.counts_matter
    span = max(thresholds - n0, 1)  # planned counts j=1..span-1 exact, j>=span steady
    for pi, p in enumerate(days):
        if pi not in occ:
            continue
        prefix = [x for di, x in occ.items() if di <= pi]
        for j in range(1, span + 1):
            due = cd.due(p, n0 + j)
            if due is None or due > pb.end:
                continue
            window = _between(occ, days, p, due)
            conds = [occ[pi]]
            if span > 1:
                cond = m.new_bool_var(f"count[{tag},{p},{j}]")
                if j < span:
                    m.add(sum(prefix) != j).only_enforce_if(~cond)
                else:
                    m.add(sum(prefix) <= span - 1).only_enforce_if(~cond)
                conds.append(cond)
            _soft_window(ctx, cd, due, window, conds, f"{tag}@{p}#{j}", after=p)
            _unseen(ctx, cd, occ, p, conds, f"{tag}@{p}#{j}")
            _lateness(ctx, cd, due, occ, p, conds, f"{tag}@{p}#{j}")
            _missed_chain(ctx, cd, due, n0 + j, occ, p, conds, f"{tag}@{p}#{j}")
            _buffer(ctx, cd, due, p, occ, conds, f"{tag}@{p}#{j}")


def _missed_chain(ctx: _Ctx, cd: Cadence, due: date, count: int, occ: dict[int, Lit], after: date | None,
                  conds: list[Lit] | None, tag: str) -> None:
    """While the child is still not seen, every further interval is another breach: the clock
    restarts from each missed due date, or from the eve of the plan for a date before it (a
    history of misses is one breach, "overdue since"); a missed visit is not an occurrence, so
    the count stays. The verifier walks the same chain."""
    days, end = ctx.pb.days, ctx.pb.end
    eve = ctx.pb.start - timedelta(days=1)
    k = 0
    while True:
        nxt = cd.due(max(due, eve), count)
        if nxt is None or nxt > end or nxt <= due:
            return
        k += 1
        window = _between(occ, days, after, nxt)
        _soft_window(ctx, cd, nxt, window, conds, f"{tag}+{k}", after=after)
        due = nxt


def _soft_window(ctx: _Ctx, cd: Cadence, due: date, window: list[Lit], conds: list[Lit] | None, name: str,
                 after: date | None = None) -> Lit:
    """sum(window) >= 1 when all `conds` hold, unless the breach literal is paid."""
    m = ctx.m
    b = m.new_bool_var(f"breach[{name}]")
    forced = not window
    if forced:
        if conds is None:
            m.add(b == 1)
            ctx.share.fixed_cost += cd.sev
        else:
            m.add_bool_and([b]).only_enforce_if(conds)
    else:
        c = m.add_bool_or(window + [b])
        if conds is not None:
            c.only_enforce_if(conds)
    ctx.share.derived.append((b, list(conds or []), list(window)))
    # "forced" = the calendar alone forbids it (due before the plan, or no working day in the
    # window); an empty window for other reasons (leave, patterns) is diagnosed like any other
    first = after + timedelta(days=1) if after is not None else ctx.pb.start
    by_dates = not any(first <= d <= due for d in ctx.pb.days)
    ctx.share.windows.append(Window(cd, due, b, forced=by_dates and conds is None, window=list(window),
                                    conds=list(conds or []), after=after))
    ctx.share.term("breach", cd.sev, b)
    return b


def _unseen(ctx: _Ctx, cd: Cadence, occ: dict[int, Lit], after: date | None, conds: list[Lit] | None,
            name: str) -> None:
    """Overdue children first (issue 10): a requirement due in the plan that is not met at all in
    the rest of the horizon costs as much again as its breach, in the fewest-breaches stage, so
    the solver never leaves an overdue child unplanned to meet a window that is not yet due."""
    m = ctx.m
    later = _between(occ, ctx.pb.days, after, ctx.pb.end)
    u = m.new_bool_var(f"unseen[{name}]")
    if later:
        c = m.add_bool_or(later + [u])
    else:
        c = m.add_bool_and([u])
        if not conds:
            ctx.share.fixed_cost += cd.sev
    if conds:
        c.only_enforce_if(conds)
    ctx.share.derived.append((u, list(conds or []), later))
    ctx.share.term("breach", cd.sev, u)


def _lateness(ctx: _Ctx, cd: Cadence, due: date, occ: dict[int, Lit], after: date | None, conds: list[Lit],
              tag: str) -> None:
    """Price days late, tier by tier, so a missed window is still met as soon as possible
    (a missed visit does not end the obligation to see the child)."""
    m, days = ctx.m, ctx.pb.days
    base = max(due, ctx.pb.start - timedelta(days=1))
    prev = 0
    for tier in ctx.pb.params.late_tiers_days:
        limit = base + timedelta(days=tier)
        window = _between(occ, days, after, limit)
        late = m.new_bool_var(f"late[{tag},{tier}]")
        if window:
            m.add_bool_or(window + [late]).only_enforce_if(conds)
        else:
            m.add_bool_and([late]).only_enforce_if(conds)
        ctx.share.derived.append((late, list(conds), window))
        ctx.share.term("late", cd.sev * (tier - prev), late)
        prev = tier
        if limit >= ctx.pb.end:
            break


def _buffer(ctx: _Ctx, cd: Cadence, due: date, p: date, occ: dict[int, Lit], conds: list[Lit], name: str) -> None:
    """Prefer a working day of slack before the last compliant day (a sick day's buffer)."""
    m, days = ctx.m, ctx.pb.days
    early = _between(occ, days, p, due - timedelta(days=1))
    if not early:
        return
    nb = m.new_bool_var(f"nobuffer[{name}]")
    m.add_bool_or(early + [nb]).only_enforce_if(conds)
    ctx.share.derived.append((nb, list(conds), early))
    ctx.share.term("buffer", 1, nb)
