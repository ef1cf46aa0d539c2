"""Turn a pydantic ValidationError into the one line a user sees."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError

from sim.schema.yamlio import LineMap, shown

from sim.schema.calendar import EVENT_TAGS

_TAGS = set(EVENT_TAGS)
_ROLES = {"provocateur", "ally", "patron"}


def _clean(loc: tuple) -> tuple:
    """Drop the discriminator tags pydantic inserts into paths inside the calendar union."""
    out: list = []
    for i, part in enumerate(loc):
        if isinstance(part, str) and part in _TAGS and i > 0 and isinstance(loc[i - 1], int):
            continue
        if isinstance(part, str) and part in _ROLES and i == 2 and loc[0] == "actors":
            continue
        if isinstance(part, str) and part.startswith("function-after"):
            continue
        out.append(part)
    return tuple(out)


def _message(err: dict) -> str:
    kind, msg = err["type"], err["msg"]
    if kind == "extra_forbidden":
        return f"unknown field '{err['loc'][-1]}'"
    if kind == "missing":
        return "required field is missing"
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    given = err.get("input")
    got = repr(given) if not isinstance(given, (dict, list)) else type(given).__name__
    if len(got) > 40:
        got = got[:37] + "..."
    return f"{msg[0].lower() + msg[1:]} (got {got})"


def describe(err: ValidationError, lines: LineMap, path: Path, prefix: tuple = ()) -> str:
    errors = err.errors()
    first = errors[0]
    loc = prefix + _clean(tuple(first["loc"]))
    message = _message(first)
    inner = re.match(r"^([A-Za-z_]+(?:\.[A-Za-z0-9_]+)*): (.*)$", message)
    if first["type"] == "value_error" and inner:  # a cross-field check that names its own path
        loc = loc + tuple(int(p) if p.isdigit() else p for p in inner.group(1).split("."))
        message = inner.group(2)
    where = lines.find(loc)
    file, line = where if where else (path, 1)
    field = ".".join(str(p) for p in loc) or "(top level)"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return shown(f"{file}:{line}: {field}: {message}{more}")
