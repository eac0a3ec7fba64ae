"""Constraint families: each module adds its rules to a model context and its share of the
objective. Order matters only in that variables are created before they are constrained."""
from . import availability, cadence, meetings, preferences, visits

FAMILIES = (visits, meetings, availability, cadence, preferences)
