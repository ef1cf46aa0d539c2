"""Scenario paths and differences said as a person would say them.

`param_label("actors.DPRK.policy.params.drill_response")` is "DPRK drill_response";
`param_label("calendar.0.scale+calendar.1.scale", content)` is "drill scale (all drills)" when the
scenario's calendar has those two drills and no other. `differences(reference, other)` turns two
scenario contents (as the manifest records them) into lines such as "drills removed: Freedom
Shield 23, Ulchi Freedom Shield 23" or "DPRK drill_response 1.4 → 0.8".
"""

from __future__ import annotations

import json
import re
from typing import Any

ACTOR_PATH = re.compile(r"^actors\.([^.]+)\.(?:policy\.params\.|params\.)?(.+)$")
CALENDAR_PATH = re.compile(r"^calendar\.(\d+)\.(.+)$")
SKIP = ("name", "description", "question", "extends", "sources", "seed")


def scenario_content(manifest: dict[str, Any], scenario: str | None = None) -> dict | None:
    """The scenario content a manifest records (of `scenario`, else the first), or None."""
    content = manifest.get("content") or manifest.get("scenario_content")
    if isinstance(content, dict):
        return content
    scen = manifest.get("scenarios")
    if isinstance(scen, dict) and scen:
        info = scen.get(scenario) if scenario in scen else next(iter(scen.values()))
        if isinstance(info, dict):
            found = info.get("content") or info.get("scenario_content")
            return found if isinstance(found, dict) else None
    return None


def _calendar(content: dict | None) -> list[dict]:
    cal = (content or {}).get("calendar")
    return [c for c in cal if isinstance(c, dict)] if isinstance(cal, list) else []


def _kind(entry: dict) -> str:
    return str(entry.get("type", entry.get("kind", "entry")))


def _calendar_label(indices: list[int], field: str, content: dict | None) -> str:
    cal = _calendar(content)
    if not cal or any(i >= len(cal) for i in indices):
        which = ", ".join(map(str, indices))
        return f"{field} of calendar entr{'y' if len(indices) == 1 else 'ies'} {which}"
    chosen = [cal[i] for i in indices]
    kinds = {_kind(e) for e in chosen}
    noun = kinds.pop() if len(kinds) == 1 else "entry"
    same_kind = [i for i, e in enumerate(cal) if _kind(e) == noun]
    if len(indices) > 1 and sorted(indices) == same_kind:
        return f"{noun} {field} (all {noun}s)"
    names = ", ".join(str(e.get("name", i)) for i, e in zip(indices, chosen))
    return f"{names} {field}"


def _one(path: str) -> tuple[str, str]:
    """(owner, field) of one path: ('DPRK', 'drill_response'), ('world', 'sanctions')."""
    match = ACTOR_PATH.match(path)
    if match:
        return match.group(1), match.group(2).replace(".", " ")
    head, _, rest = path.partition(".")
    if head == "mechanisms" and rest:
        name, _, field = rest.partition(".")
        return f"mechanism {name}", field.replace(".", " ") or "on"
    return head, rest.replace(".", " ")


def param_label(path: str, content: dict | None = None) -> str:
    """A swept parameter's path in words; moved-together paths ('a+b') become one phrase."""
    parts = [p.strip() for p in str(path).split("+") if p.strip()]
    cal = [CALENDAR_PATH.match(p) for p in parts]
    if parts and all(cal) and len({m.group(2) for m in cal}) == 1:
        return _calendar_label([int(m.group(1)) for m in cal], cal[0].group(2), content)
    pairs = [_one(p) for p in parts]
    fields = {f for _, f in pairs}
    if len(pairs) > 1 and len(fields) == 1:
        return f"{' and '.join(o for o, _ in pairs)} {fields.pop()}"
    return " + ".join(f"{o} {f}".strip() for o, f in pairs)


def wrap(text: str, width: int = 28) -> str:
    """Break a label on spaces so that no line is much longer than `width` characters."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join(lines + [line])


# ---- differences between two scenario contents ---------------------------------------------
def show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (dict, list)):
        text = json.dumps(value, default=str)
        return text if len(text) <= 60 else text[:59] + "…"
    return str(value)


def flatten(node: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for k, v in node.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: node}


def calendar_differences(ref: dict, other: dict) -> list[str]:
    """Entries removed or added (by name, grouped by kind) and fields changed in entries of both."""
    a = {str(e.get("name")): e for e in _calendar(ref)}
    b = {str(e.get("name")): e for e in _calendar(other)}
    lines = []
    for verb, names, source in (("removed", [n for n in a if n not in b], a), ("added", [n for n in b if n not in a], b)):
        by_kind: dict[str, list[str]] = {}
        for n in names:
            by_kind.setdefault(_kind(source[n]), []).append(n)
        lines += [f"{k}s {verb}: {', '.join(ns)}" for k, ns in by_kind.items()]
    for name in (n for n in a if n in b):
        for key in sorted(set(a[name]) | set(b[name])):
            if key != "name" and a[name].get(key) != b[name].get(key):
                lines.append(f"{name} {key} {show(a[name].get(key))} → {show(b[name].get(key))}")
    return lines


def differences(ref: dict, other: dict) -> list[str]:
    """What `other` changes relative to `ref`, one short line per change."""
    lines = calendar_differences(ref, other)
    ra, oa = ref.get("actors") or {}, other.get("actors") or {}
    lines += [f"actor {n} removed" for n in ra if n not in oa] + [f"actor {n} added" for n in oa if n not in ra]
    flat_r = {k: v for k, v in flatten({k: v for k, v in ref.items() if k not in SKIP + ("calendar",)}).items()}
    flat_o = {k: v for k, v in flatten({k: v for k, v in other.items() if k not in SKIP + ("calendar",)}).items()}
    gone = [f"actors.{n}." for n in ra if n not in oa] + [f"actors.{n}." for n in oa if n not in ra]
    for key in sorted(set(flat_r) | set(flat_o)):
        if any(key.startswith(g) for g in gone):
            continue
        before, after = flat_r.get(key, "not set"), flat_o.get(key, "not set")
        if json.dumps(before, default=str, sort_keys=True) != json.dumps(after, default=str, sort_keys=True):
            lines.append(f"{param_label(key)} {show(before) if before != 'not set' else 'not set'} → "
                         f"{show(after) if after != 'not set' else 'not set'}")
    return lines
