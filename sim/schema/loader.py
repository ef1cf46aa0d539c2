"""Loading scenario files: safe YAML, ``extends:``, the historical calendar, one-line errors.

A bad file must cost the user one line naming the file, the YAML line, the field path and
what was expected, so every failure here becomes a ``ScenarioError`` with that message.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sim.schema.errors import describe
from sim.schema.scenario import Scenario
from sim.schema.yamlio import LineMap, read_yaml

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "scenarios"


class ScenarioError(Exception):
    """A user error in a scenario file; ``str()`` is the one line to show."""


def bundled_scenarios() -> dict[str, Path]:
    if not SCENARIO_DIR.is_dir():
        return {}
    return {p.stem: p for p in sorted(SCENARIO_DIR.glob("*.yaml"))}


def resolve(ref: str | Path) -> Path:
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise ScenarioError(f"{ref}: no such scenario file")
        return path
    bundled = bundled_scenarios()
    if str(ref) in bundled:
        return bundled[str(ref)]
    raise ScenarioError(f"{ref}: not a file and not a bundled scenario (bundled: {', '.join(bundled) or 'none'})")


def load_scenario(ref: str | Path) -> Scenario:
    path = resolve(ref)
    data, lines = _merged(path, ())
    data = _expand_history(data, path)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        raise ScenarioError(describe(err, lines, path)) from None
    return scenario


def scenario_from_dict(data: dict[str, Any], origin: str = "<dict>") -> Scenario:
    """Validate an in-memory scenario (e.g. after overrides) with the same one-line errors."""
    try:
        scenario = Scenario.model_validate(_expand_history(dict(data), Path(origin)))
    except ValidationError as err:
        raise ScenarioError(describe(err, LineMap(), Path(origin))) from None
    return scenario


def scenario_hash(scenario: Scenario) -> str:
    text = json.dumps(scenario.model_dump(mode="json", exclude={"extends"}), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _merged(path: Path, seen: tuple[Path, ...]) -> tuple[dict[str, Any], LineMap]:
    """Read a file and, if it extends another, lay it over its parent key by key."""
    real = path.resolve()
    if real in seen:
        raise ScenarioError(f"{path}: extends: cycle through {' -> '.join(p.name for p in seen + (real,))}")
    try:
        data, lines = read_yaml(path)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise ScenarioError(f"{path}{where}: not valid YAML: {problem}") from None
    except OSError as err:
        raise ScenarioError(f"{path}: cannot read: {err.strerror}") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}:1: expected a mapping of scenario fields at the top level, got {type(data).__name__}")
    parent_ref = data.get("extends")
    if parent_ref is None:
        return data, lines
    if not isinstance(parent_ref, str):
        raise ScenarioError(f"{path}:{lines.line(('extends',))}: extends: expected a file path")
    parent_path = (path.parent / parent_ref) if not Path(parent_ref).is_absolute() else Path(parent_ref)
    if not parent_path.is_file():
        parent_path = resolve(parent_ref) if parent_ref in bundled_scenarios() else parent_path
    if not parent_path.is_file():
        raise ScenarioError(f"{path}:{lines.line(('extends',))}: extends: no such file '{parent_ref}'")
    base, base_lines = _merged(parent_path, seen + (real,))
    return _overlay(base, data), base_lines.overlaid(lines)


def _overlay(base: Any, top: Any) -> Any:
    """Mappings merge key by key; anything else (lists included) is replaced whole."""
    if isinstance(base, dict) and isinstance(top, dict):
        out = dict(base)
        for k, v in top.items():
            out[k] = _overlay(base[k], v) if k in base else v
        return out
    return top


def _expand_history(data: dict[str, Any], path: Path) -> dict[str, Any]:
    spec = data.get("historical_calendar")
    if not isinstance(spec, dict):
        return data
    from sim.schema.historical import historical_calendar
    from sim.schema.scenario import HistoricalCalendar

    try:
        hc = HistoricalCalendar.model_validate(spec)
    except ValidationError as err:
        raise ScenarioError(describe(err, LineMap(), path, prefix=("historical_calendar",))) from None
    actors = data.get("actors", {}) or {}
    entries = historical_calendar(hc, actors=actors, roles=data.get("roles") or {})
    out = dict(data)
    out["calendar"] = entries + list(data.get("calendar", []) or [])
    out["historical_calendar"] = None
    out["history"] = hc.model_dump(mode="json")
    out["sources"] = list(data.get("sources", []) or []) + [
        f"historical calendar {hc.start}..{hc.end} ({', '.join(hc.include)}) from sim/data (see SOURCES.md)"]
    return out
