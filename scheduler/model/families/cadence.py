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

from datetime import timedelta

from ...policy import MEETING_ACTIVITY
from ..context import BreachVar, Context
from ..demand import Cadence


def occurrence(ctx: Context, cd: Cadence, di: int):
    cid = cd.child.child_id
    if cd.requirement in ("visit", "seen_alone"):
        return ctx.seen.get((cid, di))  # every planned visit sees a non-exempt child alone
    if cd.requirement == "bedroom":
        return ctx.at_home.get((cid, di))
    return ctx.met.get((cid, MEETING_ACTIVITY[cd.requirement], di))


def add(ctx: Context) -> None:
    for cd in ctx.pb.cadences:
        _add_cadence(ctx, cd)


def _add_cadence(ctx: Context, cd: Cadence) -> None:
    m, pb = ctx.model, ctx.pb
    days = pb.days
    occ = [occurrence(ctx, cd, di) for di in range(len(days))]  # None: cannot happen that day
    last = cd.history[-1] if cd.history else None
    n0 = len(cd.history)
    tag = f"{cd.child.child_id}:{cd.rule.id}"

    # anchor window: from the history (or the trigger) into the horizon
    due0 = cd.due(last, n0)
    if due0 is not None and due0 <= pb.end:
        window = [occ[di] for di, d in enumerate(days) if d <= due0 and occ[di] is not None]
        _soft_window(ctx, cd, due0, window, None, f"anchor:{tag}")
        _lateness(ctx, cd, due0, occ, None, [], f"anchor:{tag}")
        _missed_chain(ctx, cd, due0, n0, occ, None, None, f"anchor:{tag}")

    # after each possible planned occurrence
    thresholds = cd.counts_matter
    span = max(thresholds - n0, 1)  # planned counts j=1..span-1 exact, j>=span steady
    for pi, p in enumerate(days):
        if occ[pi] is None:
            continue
        prefix = [occ[di] for di in range(pi + 1) if occ[di] is not None]
        for j in range(1, span + 1):
            due = cd.due(p, n0 + j)
            if due is None or due > pb.end:
                continue
            window = [occ[di] for di, d in enumerate(days) if p < d <= due and occ[di] is not None]
            conds = [occ[pi]]
            if span > 1:
                cond = m.NewBoolVar(f"count[{tag},{p},{j}]")
                if j < span:
                    m.Add(sum(prefix) != j).OnlyEnforceIf(cond.Not())
                else:
                    m.Add(sum(prefix) <= span - 1).OnlyEnforceIf(cond.Not())
                conds.append(cond)
            _soft_window(ctx, cd, due, window, conds, f"{tag}@{p}#{j}", after=p)
            _lateness(ctx, cd, due, occ, p, conds, f"{tag}@{p}#{j}")
            _missed_chain(ctx, cd, due, n0 + j, occ, p, conds, f"{tag}@{p}#{j}")
            _buffer(ctx, cd, due, p, occ, conds, f"{tag}@{p}#{j}")


def _missed_chain(ctx: Context, cd: Cadence, due, count: int, occ, after, conds, tag: str) -> None:
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
        first = ctx.pb.start if after is None else after
        window = [occ[di] for di, d in enumerate(days)
                  if occ[di] is not None and (d > first or (after is None and d >= first)) and d <= nxt]
        _soft_window(ctx, cd, nxt, window, conds, f"{tag}+{k}", after=after)
        due = nxt


def _soft_window(ctx: Context, cd: Cadence, due, window, conds, name: str, after=None):
    """sum(window) >= 1 when all `conds` hold, unless the breach literal is paid."""
    m = ctx.model
    b = m.NewBoolVar(f"breach[{name}]")
    forced = not window
    if forced:
        if conds is None:
            m.Add(b == 1)
        else:
            m.AddBoolAnd([b]).OnlyEnforceIf(conds)
    else:
        c = m.AddBoolOr(window + [b])
        if conds is not None:
            c.OnlyEnforceIf(conds)
    ctx.derived.append((b, list(conds or []), list(window)))
    # "forced" = the calendar alone forbids it (due before the plan, or no working day in the
    # window); an empty window for other reasons (leave, patterns) is diagnosed like any other
    first = after + timedelta(days=1) if after is not None else ctx.pb.start
    by_dates = not any(first <= d <= due for d in ctx.pb.days)
    ctx.breaches.append(BreachVar(cd, due, b, forced=by_dates and conds is None, window=list(window),
                                  conds=list(conds or []), after=after))
    ctx.term("breach", cd.sev, b)
    return b


def _lateness(ctx: Context, cd: Cadence, due, occ, after, conds, tag: str) -> None:
    """Price days late, tier by tier, so a missed window is still met as soon as possible
    (a missed visit does not end the obligation to see the child)."""
    m, days = ctx.model, ctx.pb.days
    base = max(due, ctx.pb.start - timedelta(days=1))
    prev = 0
    for tier in ctx.pb.params.late_tiers_days:
        limit = base + timedelta(days=tier)
        window = [occ[di] for di, d in enumerate(days)
                  if d <= limit and occ[di] is not None and (after is None or d > after)]
        late = m.NewBoolVar(f"late[{tag},{tier}]")
        if window:
            m.AddBoolOr(window + [late]).OnlyEnforceIf(conds)
        else:
            m.AddBoolAnd([late]).OnlyEnforceIf(conds)
        ctx.derived.append((late, list(conds), window))
        ctx.term("late", cd.sev * (tier - prev), late)
        prev = tier
        if limit >= ctx.pb.end:
            break


def _buffer(ctx: Context, cd: Cadence, due, p, occ, conds, name: str) -> None:
    """Prefer a working day of slack before the last compliant day (a sick day's buffer)."""
    m, days = ctx.model, ctx.pb.days
    early = [occ[di] for di, d in enumerate(days) if p < d < due and occ[di] is not None]
    if not early:
        return
    nb = m.NewBoolVar(f"nobuffer[{name}]")
    m.AddBoolOr(early + [nb]).OnlyEnforceIf(conds)
    ctx.derived.append((nb, list(conds), early))
    ctx.term("buffer", 1, nb)
