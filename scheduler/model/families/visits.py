"""Visits: households seen together, seen alone around school hours, bedroom on home visits.

- Households (issue #3): siblings in one household are seen in one home visit; the visit's
  duration grows with each child and each child seen alone (policy.visit_minutes).
- Seen alone: every statutory visit sees the child alone unless exempt (each standard's
  seen_alone rule); a school-age child is at school in school hours on term-time weekdays, so
  a home visit sees them only after school (pm segment), or the visit is at school.
- Bedroom: only a home visit can see the bedroom; a child whose bedroom must be seen on every
  visit (e.g. Dorset CP neglect) is never visited at school.
"""
from __future__ import annotations

from ...policy import at_school, eligible, visit_minutes
from ..context import Context
from ..demand import SEGMENTS


def add(ctx: Context) -> None:
    m, pb = ctx.model, ctx.pb
    for hid, kids in pb.households.items():
        for di, day in enumerate(pb.days):
            per_child: dict[str, list] = {c.child_id: [] for c in kids}
            home_of: dict[str, list] = {c.child_id: [] for c in kids}
            any_visit = []
            for w in pb.household_candidates(hid):
                if not (ctx.diagnostic or pb.available(w, day)):
                    continue
                for seg in SEGMENTS:
                    seen = pb.visit_children(hid, w, day, seg)
                    if not seen:
                        continue
                    v = m.NewBoolVar(f"home[{hid},{day},{w.worker_id},{seg}]")
                    ctx.home[(hid, di, w.worker_id, seg)] = v
                    n_alone = sum(1 for c in seen if pb.needs_alone(c))
                    minutes = visit_minutes(len(seen), n_alone) + 2 * pb.base_minutes(w, hid)
                    ctx.register(v, w.worker_id, di, "home", seg, minutes)
                    any_visit.append(v)
                    for c in seen:
                        per_child[c.child_id].append(v)
                        home_of[c.child_id].append(v)
                # school visit: one school-age child, seen alone, no bedroom
                for c in kids:
                    if c.child_id not in per_child or not at_school(c, day, True):
                        continue
                    if pb.every_visit(c, "bedroom") or not eligible(w, c):
                        continue
                    v = m.NewBoolVar(f"school[{c.child_id},{day},{w.worker_id}]")
                    ctx.school[(c.child_id, di, w.worker_id)] = v
                    minutes = visit_minutes(1, 1 if pb.needs_alone(c) else 0) + 2 * pb.base_minutes(w, hid)
                    ctx.register(v, w.worker_id, di, "school", "am", minutes)
                    any_visit.append(v)
                    per_child[c.child_id].append(v)
            # one visit per household per day keeps occurrences unambiguous
            if len(any_visit) > 1:
                m.AddAtMostOne(any_visit)
            for c in kids:
                for store, lits, name in ((ctx.seen, per_child[c.child_id], "seen"),
                                          (ctx.at_home, home_of[c.child_id], "athome")):
                    v = _or(m, lits, f"{name}[{c.child_id},{day}]")
                    if v is not None:
                        store[(c.child_id, di)] = v


def _or(m, lits: list, name: str):
    """A literal equal to the OR of `lits` (a constant false when there are none)."""
    if not lits:
        return None  # no visit can see this child that day
    if len(lits) == 1:
        return lits[0]
    v = m.NewBoolVar(name)
    m.AddBoolOr(lits).OnlyEnforceIf(v)
    for lit in lits:
        m.AddImplication(lit, v)
    return v
