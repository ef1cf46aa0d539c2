"""Dotted paths into a scenario, so sweeps and experiments can vary any field.

A path such as `actors.DPRK.policy.params.drill_response`, `world.sanctions` or
`calendar.3.scale` names one value of a `Scenario`. Overrides are applied to the plain
`model_dump` of the scenario and the result is validated again, so an override can never
produce a scenario the schema would reject when written by hand. Errors are one line that
names the path and what was expected: they reach the user unchanged.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.schema.experiment import ParamRange
from sim.schema.scenario import Scenario


def apply_overrides(scenario: Scenario, overrides: dict[str, Any]) -> Scenario:
    """Return a copy of `scenario` with each dotted PATH set to its value (validated)."""
    if not overrides:
        return scenario
    data = scenario.model_dump(mode="python")
    for path, value in overrides.items():
        _set_path(scenario, data, path, value)
    try:
        out = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ValueError(_one_line(exc, overrides)) from None
    return out


def _set_path(scenario: Scenario, data: dict, path: str, value: Any) -> None:
    """Walk the model and its dump side by side; set the last segment in the dump.

    The model tells us which keys are fixed fields (an unknown one is an error listing
    the allowed names) and which are free dict keys (a new key may be created only at
    the end of the path, e.g. a policy parameter not yet in `params`).
    """
    parts = path.split(".")
    if not path or any(p == "" for p in parts):
        raise ValueError(f"{path!r}: a path is dot-separated names, e.g. world.sanctions")
    obj: Any = scenario
    node: Any = data
    for depth, part in enumerate(parts):
        here = ".".join(parts[: depth + 1])
        last = depth == len(parts) - 1
        if isinstance(obj, BaseModel):
            fields = type(obj).model_fields
            if part not in fields:
                raise ValueError(f"{here}: unknown field '{part}' (expected one of: {', '.join(fields)})")
            key: Any = part
            child = getattr(obj, part)
        elif isinstance(obj, dict):
            if part not in obj and not last:
                have = ", ".join(map(str, obj)) or "none"
                raise ValueError(f"{here}: unknown key '{part}' (have: {have})")
            key, child = part, obj.get(part)
        elif isinstance(obj, list):
            key = _index(here, part, len(obj))
            child = obj[key]
        else:
            raise ValueError(f"{here}: '{parts[depth - 1]}' is a value ({type(obj).__name__}), not a section")
        if last:
            node[key] = _coerce(child, value)
        else:
            obj, node = child, node[key]


def _index(here: str, part: str, size: int) -> int:
    """A list segment must be an in-range integer index."""
    try:
        idx = int(part)
    except ValueError:
        raise ValueError(f"{here}: expected a list index 0..{size - 1}, got '{part}'") from None
    if not 0 <= idx < size:
        raise ValueError(f"{here}: index {idx} out of range (the list has {size} entries)")
    return idx


def _coerce(current: Any, value: Any) -> Any:
    """Fit a sampled number to the field's current type: designs produce floats.

    Integer fields get the rounded value and boolean fields (e.g. a mechanism switch swept
    over 0/1) get `value >= 0.5`; anything else is left to pydantic's validation.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if isinstance(current, bool):
        return bool(value >= 0.5)
    if isinstance(current, int):
        return int(round(value))
    return value


def _one_line(exc: ValidationError, overrides: dict[str, Any]) -> str:
    """The first pydantic error as `path: message`, naming the overrides that caused it."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    given = ", ".join(f"{k}={v!r}" for k, v in overrides.items())
    return f"{loc or 'scenario'}: {err['msg']} (overrides: {given})"


def parse_param_spec(spec: str) -> ParamRange:
    """Parse `PATH=LOW:HIGH` (a range) or `PATH=v1,v2,...` (explicit grid values).

    PATH may join several paths with '+' (`calendar.0.scale+calendar.1.scale=0.5:2`): they
    are one factor of the design and all take its value, e.g. the scale of every drill.

    Values that read as numbers become floats, `true`/`false` become booleans and
    anything else stays a string (e.g. `world.orientation=conservative,progressive`).
    """
    path, sep, rhs = spec.partition("=")
    path, rhs = path.strip(), rhs.strip()
    if not sep or not path or not rhs:
        raise ValueError(f"{spec!r}: expected PATH=LOW:HIGH or PATH=v1,v2,...")
    if ":" in rhs:
        low, _, high = rhs.partition(":")
        lo, hi = _number(path, low), _number(path, high)
        if not lo < hi:
            raise ValueError(f"{path}: LOW must be below HIGH, got {lo}:{hi}")
        return _range(path=path, low=lo, high=hi)
    values = [_scalar(path, v.strip()) for v in rhs.split(",")]
    if any(v == "" for v in values):
        raise ValueError(f"{path}: empty value in {rhs!r} (expected v1,v2,...)")
    return _range(path=path, values=values)


def _range(**fields: Any) -> ParamRange:
    """A ParamRange whose validation error is one line naming the parameter."""
    try:
        return ParamRange(**fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ValueError(f"{fields['path']}: {err['msg'].removeprefix('Value error, ')}") from None


def _number(path: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{path}: expected a number, got {text.strip()!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"{path}: expected a finite number, got {text.strip()!r}")
    return value


def _scalar(path: str, text: str) -> float | bool | str:
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        value = float(text)
    except ValueError:
        return text
    if not math.isfinite(value):
        raise ValueError(f"{path}: expected a finite number, got {text!r}")
    return value


def check_paths(scenario: Scenario, params: list[ParamRange]) -> None:
    """Fail fast, before any run: every parameter must apply at both ends of its range, and
    the scenario it makes must keep the limits (a swept `start` must not overflow the dates)."""
    from sim.schema.loader import ScenarioError, check_limits

    for p in params:
        for v in ([p.low, p.high] if p.values is None else p.values):
            changed = apply_overrides(scenario, p.overrides(v))
            try:
                check_limits(changed, origin=f"{p.path}={v}")
            except ScenarioError as exc:
                raise ValueError(str(exc).replace(":1: ", ": ", 1)) from None
