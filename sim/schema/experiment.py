"""The experiment spec: a YAML file that states a question and how to answer it by running.

An experiment names one or more scenarios, how many replications of each, the days and
root seed, an optional parameter sweep and the summary outcomes that answer its question.
Like scenarios, every model is frozen and rejects unknown keys, so a typo is an error, and
the file is read as scenarios are (sim.schema.yamlio: bounded, safe, duplicate keys refused).
Every number must be finite. Load errors are one line, `FILE:LINE: field.path: message`,
raised as `ExperimentError`.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sim.limits import DAYS, RUNS, LimitError

DESIGNS = ("grid", "lhs", "sobol", "morris")
EXECUTORS = ("auto", "sequential", "process", "dask")
Design = Literal["grid", "lhs", "sobol", "morris"]


class ExperimentError(ValueError):
    """A bad experiment spec; `str()` is one line ready for the user."""


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


class ParamRange(_Strict):
    """One swept parameter: a continuous range [low, high] or explicit grid values."""

    path: str = Field(..., min_length=1, description=(
        "dotted scenario path, e.g. world.sanctions; several joined by '+' move together as one "
        "factor, e.g. calendar.0.scale+calendar.1.scale"))
    low: float | None = None
    high: float | None = None
    values: list[float | bool | str] | None = Field(None, min_length=1, description="explicit values (grid)")

    @field_validator("low", "high", mode="before")
    @classmethod
    def _finite(cls, v: Any) -> Any:
        if isinstance(v, float) and not math.isfinite(v):
            raise ValueError(f"expected a finite number, got {v}")
        return v

    @field_validator("values", mode="before")
    @classmethod
    def _finite_values(cls, v: Any) -> Any:
        for item in v if isinstance(v, list) else ():
            if isinstance(item, float) and not math.isfinite(item):
                raise ValueError(f"expected finite numbers, true/false or names, got {item}")
        return v

    @model_validator(mode="after")
    def _one_form(self) -> "ParamRange":
        has_range = self.low is not None or self.high is not None
        if has_range == (self.values is not None):
            raise ValueError("give either low and high, or values")
        if has_range and (self.low is None or self.high is None or not self.low < self.high):
            raise ValueError(f"need low < high, got low={self.low} high={self.high}")
        return self

    @property
    def is_range(self) -> bool:
        """A continuous range (every design) rather than explicit values (grid only)."""
        return self.values is None

    @property
    def paths(self) -> list[str]:
        """The scenario paths this factor sets (one, or several linked with '+')."""
        return [p.strip() for p in self.path.split("+")]

    def overrides(self, value: object) -> dict[str, object]:
        """The scenario overrides for one value of this factor (every linked path gets it)."""
        return {p: value for p in self.paths}


class SweepSpec(_Strict):
    design: Design = "grid"
    samples: Annotated[int, Field(ge=1)] = Field(
        4, description="grid: levels per range; lhs: points; sobol: base N (power of 2); morris: trajectories")
    params: list[ParamRange] = Field(..., min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> "SweepSpec":
        paths = [path for p in self.params for path in p.paths]
        dup = sorted({p for p in paths if paths.count(p) > 1})
        if dup:
            raise ValueError(f"parameter swept twice: {', '.join(dup)}")
        return self


class Experiment(_Strict):
    name: str = Field(..., min_length=1)
    description: str = Field(..., min_length=1)
    question: str = Field(..., min_length=1)
    scenarios: list[str] = Field(..., min_length=1, description="paths relative to the repo root, or bundled names")
    replications: Annotated[int, Field(ge=1)] = 10
    seed: Annotated[int, Field(ge=0)] = 0
    days: Annotated[int, Field(ge=1)] | None = Field(None, description="override each scenario's length")
    sweep: SweepSpec | None = None
    outcomes: list[str] = Field(..., min_length=1, description="summary outcomes that answer the question")
    executor: Literal["auto", "sequential", "process", "dask"] | None = None
    workers: Annotated[int, Field(ge=1)] | None = None

    @field_validator("days")
    @classmethod
    def _days_limit(cls, v: int | None) -> int | None:
        if v is not None and (message := DAYS.excess(v)):
            raise ValueError(message)
        return v

    @field_validator("replications")
    @classmethod
    def _runs_limit(cls, v: int) -> int:
        if message := RUNS.excess(v):
            raise ValueError(message)
        return v


def load_experiment(path: str | Path) -> Experiment:
    """Read and validate an experiment YAML; every failure is one `ExperimentError` line."""
    from sim.schema.errors import describe
    from sim.schema.yamlio import YamlError, read_yaml, shown

    path = Path(path)
    try:
        data, lines = read_yaml(path)
    except (YamlError, LimitError) as exc:
        raise ExperimentError(str(exc)) from None
    except OSError as exc:
        raise ExperimentError(f"{shown(path)}: cannot read ({exc.strerror or exc})") from None
    if not isinstance(data, dict):
        raise ExperimentError(f"{shown(path)}:1: expected a mapping of experiment fields, got {type(data).__name__}")
    try:
        return Experiment.model_validate(data)
    except ValidationError as exc:
        raise ExperimentError(describe(exc, lines, path)) from None
