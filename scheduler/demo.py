"""The team generator's old home: kept so `from scheduler.demo import generate_team, write_team`
keeps working. The generator is scheduler/generate.py."""
from __future__ import annotations

from .generate import SWINDON, generate_team, write_team

__all__ = ["SWINDON", "generate_team", "write_team"]
