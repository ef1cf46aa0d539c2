"""Loading scenario files: safe YAML, ``extends:``, the historical calendar, one-line errors.

A bad file must cost the user one line naming the file, the YAML line, the field path and
what was expected, so every failure here becomes a ``ScenarioError`` with that message.
"""

from __future__ import annotations

import datetime as dt

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.limits import ACTORS, CALENDAR, EXTENDS, LimitError, check_date, check_horizon
from sim.schema.errors import describe
from sim.schema.scenario import Scenario
from sim.schema.yamlio import LineMap, YamlError, read_yaml, shown

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "scenarios"


class ScenarioError(Exception):
    """A user error in a scenario file; ``str()`` is the one line to show."""


def bundled_scenarios() -> dict[str, Path]:
    if not SCENARIO_DIR.is_dir():
        return {}
    return {p.stem: p for p in sorted(SCENARIO_DIR.glob("*.yaml"))}


def resolve(ref: str | Path) -> Path:
    """A scenario file, or a bundled scenario by name (`baseline` or `baseline.yaml`)."""
    path = Path(ref)
    if _is_file(path):
        return path
    bundled = bundled_scenarios()
    name = _bundled_name(str(ref))
    if name is not None:
        return bundled[name]
    if path.suffix in (".yaml", ".yml") or _exists(path):
        raise ScenarioError(f"{shown(ref)}: no such scenario file")
    raise ScenarioError(f"{shown(ref)}: not a file and not a bundled scenario (bundled: {', '.join(bundled) or 'none'})")


def _is_file(path: Path) -> bool:
    """Path.is_file, but a name too long or otherwise unusable is simply not a file."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def _bundled_name(ref: str) -> str | None:
    """The bundled scenario a bare name means, with or without .yaml/.yml; None if none."""
    if not ref or Path(ref).name != ref:
        return None
    stem = ref.removesuffix(".yaml").removesuffix(".yml")
    return stem if stem in bundled_scenarios() else None


def load_scenario(ref: str | Path) -> Scenario:
    path = resolve(ref)
    data, lines = _merged(path, ())
    data = _calibrated(data, path, lines)
    _check_counts(data, lines, path)
    data = _expand_history(data, path)
    _check_counts(data, lines, path)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        raise ScenarioError(describe(err, lines, path)) from None
    _check_dates(scenario, lines, path)
    return scenario


def scenario_from_dict(data: dict[str, Any], origin: str = "<dict>") -> Scenario:
    """Validate an in-memory scenario (e.g. after overrides) with the same one-line errors."""
    _check_counts(data, LineMap(), Path(origin))
    data = _calibrated(dict(data), Path(origin), LineMap())
    data = _expand_history(data, Path(origin))
    _check_counts(data, LineMap(), Path(origin))
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        raise ScenarioError(describe(err, LineMap(), Path(origin))) from None
    _check_dates(scenario, LineMap(), Path(origin))
    return scenario


def check_limits(scenario: Scenario, origin: str = "<scenario>") -> None:
    """The limits a loaded scenario must keep, for one built in memory (e.g. by overrides)."""
    _check_counts(scenario.model_dump(include={"actors", "calendar"}), LineMap(), Path(origin))
    _check_dates(scenario, LineMap(), Path(origin))


def scenario_hash(scenario: Scenario) -> str:
    text = json.dumps(scenario.model_dump(mode="json", exclude={"extends"}), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _merged(path: Path, seen: tuple[Path, ...], via: str = "") -> tuple[dict[str, Any], LineMap]:
    """Read a file and, if it extends another, lay it over its parent key by key.

    `via` is the `FILE:LINE: extends:` of the child that named this file, so a parent that
    cannot be read is reported where it was named.
    """
    try:
        data, lines = read_yaml(path)
    except (YamlError, LimitError) as err:
        raise ScenarioError(str(err)) from None
    except OSError as err:
        raise ScenarioError(f"{via or shown(path) + ':'} cannot read {shown(path)}: {err.strerror or err}") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{shown(path)}:1: expected a mapping of scenario fields at the top level, "
                            f"got {type(data).__name__}")
    parent_ref = data.get("extends")
    if parent_ref is None:
        return data, lines
    where = f"{shown(path)}:{lines.line(('extends',))}: extends:"
    parent_path = _parent(parent_ref, path, where)
    real = path.resolve()
    chain = seen + (real,)
    if parent_path.resolve() in chain:
        cycle = " -> ".join(shown(p.name) for p in chain + (parent_path.resolve(),))
        raise ScenarioError(f"{where} cycle {cycle}")
    if len(chain) >= EXTENDS.value:
        raise ScenarioError(f"{where} more than {EXTENDS.value} files in a chain ({EXTENDS.what})")
    base, base_lines = _merged(parent_path, chain, where)
    return _overlay(base, data), base_lines.overlaid(lines)


def _parent(ref: Any, child: Path, where: str) -> Path:
    """The file an `extends:` names: beside the child, absolute, or a bundled scenario."""
    if not isinstance(ref, str) or not ref.strip():
        raise ScenarioError(f"{where} expected a scenario file or a bundled scenario name")
    if "://" in ref:
        raise ScenarioError(f"{where} '{shown(ref)}' is a URL; only local files and bundled scenarios can be extended")
    local = Path(ref) if Path(ref).is_absolute() else child.parent / ref
    name = _bundled_name(ref)
    if not _is_file(local) and name is not None:
        return bundled_scenarios()[name]
    if Path(ref).suffix not in (".yaml", ".yml"):
        bundled = ", ".join(bundled_scenarios()) or "none"
        raise ScenarioError(f"{where} '{shown(ref)}' is neither a .yaml scenario file nor a bundled scenario "
                            f"(bundled: {bundled})")
    if not _is_file(local):
        raise ScenarioError(f"{where} no such file '{shown(ref)}'")
    return local


def _check_counts(data: Any, lines: LineMap, path: Path) -> None:
    """Actors and calendar entries within their limits, before any validation works on them."""
    if not isinstance(data, dict):
        return
    for key, limit in (("actors", ACTORS), ("calendar", CALENDAR)):
        value = data.get(key)
        if isinstance(value, (dict, list)):
            _at(lines, path, (key,), limit.check, len(value), key)


def _check_dates(scenario: Scenario, lines: LineMap, path: Path) -> None:
    """A run length and dates the result tables can hold (no overflow at run time)."""
    field = "days" if scenario.days is not None else "end"
    _at(lines, path, ("start",), check_date, scenario.start, "start")
    _at(lines, path, (field,), check_horizon, scenario.start, scenario.n_days, field, len(scenario.actors))
    for i, ev in enumerate(scenario.calendar):
        for attr in ("date", "start", "end"):
            day = getattr(ev, attr, None)
            if day is not None:
                _at(lines, path, ("calendar", i, attr), check_date, day, f"calendar.{i}.{attr}")


def _at(lines: LineMap, path: Path, loc: tuple, check: Any, *args: Any) -> None:
    """Run a limit check; its error becomes the scenario's one line at `loc`."""
    try:
        check(*args)
    except LimitError as err:
        raise ScenarioError(f"{shown(path)}:{lines.line(loc)}: {err}") from None


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
    out["sources"] += _state_notes(hc, data.get("start"))
    return out


def _state_notes(hc, start) -> list[str]:
    """What a run starting from the data's state should say about it (README, "History as input")."""
    from sim.schema.historical import ANCHOR, RECORD_END

    try:
        first = dt.date.fromisoformat(str(start))
    except ValueError:
        return []  # the schema reports a bad start
    notes = []
    if hc.state and first > ANCHOR:
        notes.append(f"state on {first}: the record from {ANCHOR} replayed by the model (the stated world is {ANCHOR}'s)")
        if first > RECORD_END + dt.timedelta(days=1):
            notes.append(f"capability learnt from observed launches to {RECORD_END} only: the packaged record ends there")
    if hc.replay_until is not None:
        notes.append(f"the provocateur's observed launches replayed to {min(hc.replay_until, RECORD_END)}; "
                     "it decides freely afterwards")
    return notes


PACKAGED_CALIBRATIONS = {"2010-2019": "calibration_2010_2019.yaml"}


def calibration_file(ref: str, scenario_path: Path) -> Path:
    """A calibration by packaged name (e.g. ``2010-2019``) or a file beside the scenario."""
    if ref in PACKAGED_CALIBRATIONS:
        from importlib import resources

        return Path(str(resources.files("sim.data").joinpath(PACKAGED_CALIBRATIONS[ref])))
    path = Path(ref)
    return path if path.is_absolute() else scenario_path.parent / path


def _fits(parts: list[str], actors: dict) -> bool:
    """A calibrated actor parameter applies to an actor of that name whose role has the parameter."""
    from sim.schema.params import ROLE_PARAMS

    spec = actors.get(parts[1]) if len(parts) > 4 else None
    role = spec.get("role") if isinstance(spec, dict) else None
    return role in ROLE_PARAMS and parts[4] in ROLE_PARAMS[role].model_fields


def _calibrated(data: dict[str, Any], path: Path, lines: LineMap) -> dict[str, Any]:
    """Lay a calibration's estimates under the scenario: its own written values still win.

    Paths naming an actor the scenario does not have, or a parameter its role does not have, are
    left out (a calibration names the actors it was fitted with).
    """
    ref = data.get("calibration")
    if ref is None:
        return data
    where = f"{shown(path)}:{lines.line(('calibration',))}: calibration"
    if not isinstance(ref, str):
        raise ScenarioError(f"{where}: expected a packaged name ({', '.join(PACKAGED_CALIBRATIONS)}) or a file")
    file = calibration_file(ref, path)
    try:
        doc, _ = read_yaml(file)
    except (YamlError, LimitError) as err:
        raise ScenarioError(str(err)) from None
    except OSError as err:
        raise ScenarioError(f"{where}: cannot read '{ref}': {err.strerror or err}") from None
    table = doc.get("parameters") if isinstance(doc, dict) else None
    if not isinstance(table, dict):
        raise ScenarioError(f"{where}: '{ref}' has no 'parameters' mapping (write it with `escalation calibrate`)")
    layer: dict[str, Any] = {}
    actors = data.get("actors") if isinstance(data.get("actors"), dict) else {}  # else the schema says why
    for key, entry in table.items():
        parts = str(key).split(".")
        if parts[0] == "actors" and not _fits(parts, actors):
            continue
        value = entry.get("estimate") if isinstance(entry, dict) else entry
        if value is None:
            continue
        node = layer
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _overlay(layer, data)
