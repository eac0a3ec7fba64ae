"""Practice standards as data: the schema of `constraints/<authority>.yaml` and its loader.

The engine is generic: a sixth authority is a new YAML file, no code change.
See docs/standards-schema.md for the format, with examples.
"""
from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .calendar import Duration
from .domain import CP_CATEGORIES, PLACEMENT_TYPES, STATUSES, Child

# The shipped standards: data files of the top-level `constraints` package (no code there).
STANDARDS_DIR = Path(str(resources.files("constraints")))

# Every requirement a standard can set, in the order reports list them.
REQUIREMENTS = (
    "visit", "seen_alone", "bedroom", "core_group", "cp_review", "cin_review",
    "cic_review", "pathway_review", "pep", "supervision",
)
VISIT_REQUIREMENTS = ("visit", "seen_alone", "bedroom")  # met by a visit (visits.csv)
MEETING_REQUIREMENTS = ("core_group", "cp_review", "cin_review", "cic_review", "pathway_review", "pep")
# planned in the rota; case supervision is between worker and manager: `rota due` reports it
PLANNED_REQUIREMENTS = VISIT_REQUIREMENTS + MEETING_REQUIREMENTS
# Which recorded occurrence satisfies a requirement (visits.csv or meetings.csv 'held').
OCCURRENCE_SOURCE = {
    "visit": ("visit", None),
    "seen_alone": ("visit", "seen_alone"),
    "bedroom": ("visit", "bedroom_seen"),
    "core_group": ("meeting", "core_group"),
    "cp_review": ("meeting", "rcpc"),
    "cin_review": ("meeting", "cin_review"),
    "cic_review": ("meeting", "cic_review"),
    "pathway_review": ("meeting", "pathway_review"),
    "pep": ("meeting", "pep"),
    "supervision": ("meeting", "supervision"),
}
TRIGGERS = ("status_start", "placement_start", "first_review", "assessment_completed", "date_of_birth")
TriggerName = Literal["status_start", "placement_start", "first_review", "assessment_completed", "date_of_birth"]
# the review meeting whose first holding ends a phase "until the first review", by status
REVIEW_MEETING = {"cic": "cic_review", "cp": "rcpc", "cin": "cin_review"}
EVENTS = ("first_review", "assessment_completed")
LEVELS = ("statutory", "local")


class StandardError(Exception):
    """A standards file that does not follow the schema; message is user-facing."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


def _to_duration(value: object) -> Duration:
    if isinstance(value, Duration):
        return value
    if not isinstance(value, dict) or len(value) != 1:
        raise ValueError("a duration is one unit and an amount, e.g. {working_days: 10} or {weeks: 6}")
    (unit, amount), = value.items()
    if not isinstance(amount, int):
        raise ValueError(f"duration amount must be a whole number, got {amount!r}")
    return Duration(amount, unit)


class Citation(_Strict):
    section: str
    quote: str
    file: str | None = None  # defaults to the standard's source file


class Until(_Strict):
    """When a phase ends; the earliest of the given conditions wins."""

    after: Duration | None = None  # trigger + duration (the phase covers days before that date)
    event: Literal["first_review", "assessment_completed"] | None = None  # up to and including it
    occurrences: int | None = Field(default=None, ge=1)  # once this many have happened since the trigger

    @field_validator("after", mode="before")
    @classmethod
    def _dur(cls, v: object) -> Duration | None:
        return None if v is None else _to_duration(v)

    @model_validator(mode="after")
    def _one_condition(self) -> Until:
        if self.after is None and self.event is None and self.occurrences is None:
            raise ValueError("'until' needs at least one of after, event, occurrences")
        return self


class Phase(_Strict):
    interval: Duration | None  # None: nothing further is required in this phase
    until: Until | None = None  # None: the phase lasts for good
    label: str = ""

    @field_validator("interval", mode="before")
    @classmethod
    def _dur(cls, v: object) -> Duration | None:
        return None if v is None else _to_duration(v)


class AppliesTo(_Strict):
    status: tuple[str, ...] = ()
    placement_type: tuple[str, ...] = ()
    placement_long_term: bool | None = None
    cp_category: tuple[str, ...] = ()
    age_min: int | None = None  # completed years, inclusive
    age_max: int | None = None  # completed years, inclusive
    unborn: bool | None = None
    # a less frequent cadence a document allows only after a recorded decision (ADM, senior
    # manager): applies only when children.csv says visit_reduction_agreed = yes
    visit_reduction_agreed: bool | None = None

    @field_validator("status")
    @classmethod
    def _statuses(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return _check_codes(v, STATUSES, "status")

    @field_validator("placement_type")
    @classmethod
    def _placements(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return _check_codes(v, PLACEMENT_TYPES, "placement_type")

    @field_validator("cp_category")
    @classmethod
    def _categories(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return _check_codes(v, CP_CATEGORIES, "cp_category")

    def matches(self, child: Child, on: date) -> bool:
        if self.status and child.status not in self.status:
            return False
        if self.placement_type and child.placement_type not in self.placement_type:
            return False
        if self.placement_long_term is not None and child.placement_long_term != self.placement_long_term:
            return False
        if self.cp_category and child.cp_category not in self.cp_category:
            return False
        age = child.age_years(on)
        if self.unborn is not None and (age is None) != self.unborn:
            return False
        if self.visit_reduction_agreed is not None and child.visit_reduction_agreed != self.visit_reduction_agreed:
            return False
        if self.age_min is not None and (age is None or age < self.age_min):
            return False
        if self.age_max is not None and age is not None and age > self.age_max:
            return False
        return True


def _check_codes(values: tuple[str, ...], allowed: tuple[str, ...], what: str) -> tuple[str, ...]:
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ValueError(f"unknown {what} {', '.join(bad)}; expected one of {', '.join(allowed)}")
    return values


class Rule(_Strict):
    id: str
    requirement: Literal[REQUIREMENTS]  # type: ignore[valid-type]
    level: Literal["statutory", "local"] = "statutory"
    applies_to: AppliesTo = AppliesTo()
    # one trigger, or several in order of preference: the first the child has a date for is used
    trigger: TriggerName | tuple[TriggerName, ...] = "status_start"
    phases: tuple[Phase, ...] = ()
    on_every_visit: bool = False  # seen_alone / bedroom required at every visit, not on a cadence
    citation: Citation
    also: tuple[Citation, ...] = ()  # further passages (e.g. the other side of a contradiction)
    note: str = ""

    @model_validator(mode="after")
    def _shape(self) -> Rule:
        if self.on_every_visit:
            if self.requirement not in ("seen_alone", "bedroom"):
                raise ValueError("on_every_visit is only for seen_alone and bedroom rules")
        elif not self.phases:
            raise ValueError("a rule needs phases (or on_every_visit: true)")
        for phase in self.phases[:-1]:
            if phase.until is None:
                raise ValueError("only the last phase may lack 'until'")
        return self

    @property
    def triggers(self) -> tuple[str, ...]:
        return (self.trigger,) if isinstance(self.trigger, str) else self.trigger

    def citation_text(self, source_file: str) -> str:
        parts = [self.citation, *self.also]
        return "; ".join(f'{c.file or source_file} "{c.section}": "{c.quote}"' for c in parts)


class Silence(_Strict):
    """Something another authority's standard covers that this one does not (no silent borrowing)."""

    requirement: str
    status: tuple[str, ...] = ()
    note: str


class NotModelled(_Strict):
    """A timescale in the document that the input data cannot schedule (e.g. 'missing from care')."""

    what: str
    citation: Citation
    why: str


class Source(_Strict):
    file: str
    title: str


class Standard(_Strict):
    key: str
    authority: str
    source: Source
    # what a child's status_start_date means under this document, per status (for managers:
    # `rota standards` prints it), e.g. cp: "the date of the initial child protection conference"
    status_start: dict[str, str] = Field(default_factory=dict)
    rules: tuple[Rule, ...]
    silent: tuple[Silence, ...] = ()
    not_modelled: tuple[NotModelled, ...] = ()
    notes: tuple[str, ...] = ()

    @field_validator("status_start")
    @classmethod
    def _glossary_statuses(cls, v: dict[str, str]) -> dict[str, str]:
        _check_codes(tuple(v), STATUSES, "status")
        return v

    @model_validator(mode="after")
    def _unique_ids(self) -> Standard:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"duplicate rule id {rule.id}")
            seen.add(rule.id)
        return self


def available_standards() -> list[str]:
    return sorted(p.stem for p in STANDARDS_DIR.glob("*.yaml"))


def load_standard(name_or_path: str | Path) -> Standard:
    """A shipped authority by name (e.g. 'dorset') or any YAML file by path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = STANDARDS_DIR / f"{name_or_path}.yaml"
        if not path.exists():
            raise StandardError(
                f"unknown standard {name_or_path!r}; shipped: {', '.join(available_standards())} "
                "(or pass a path to your own .yaml file)"
            )
    if not path.exists():
        raise StandardError(f"{path}: standards file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise StandardError(f"{path}: not readable YAML: {exc}") from None
    try:
        return Standard.model_validate(raw)
    except ValidationError as exc:
        problems = "\n".join(
            f"{path}: {'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise StandardError(problems) from None
