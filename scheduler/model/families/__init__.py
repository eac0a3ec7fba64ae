"""Constraint families: each module's `add(model, pb, v) -> Share` adds the constraints of one
family of rules over the variables of `scheduler.model.variables` (created before any family
runs) and returns its share of the objective. Families may create private auxiliary variables
(breach and lateness literals) but never ones another family reads, so any order gives the same
model (tests/model/test_families_order.py)."""
from . import availability, cadence, continuity, households, meetings, preferences

FAMILIES = (households, meetings, availability, cadence, preferences, continuity)
