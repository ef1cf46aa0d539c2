"""The report's "Parameters" section: what differs between the scenarios of a results folder.

From the scenario contents a batch manifest records when it has them; otherwise from what the
result files show (content hashes, calendars, the state on the first day); for a sweep the
swept parameters; for a single run its set-up.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from sim.analysis import html_parts as h
from sim.analysis import labels
from sim.analysis import report_sections as rs
from sim.analysis.labels import scenario_content
from sim.analysis.results import Results, ResultsError

DIALOGUE = {0: "none", 1: "offered", 2: "talks", 3: "summit"}

SETUP_PREFIXES = ("sanctions", "dialogue_state", "orientation", "cooperation", "rok_orientation", "russia_cooperation",
                  "public_dialogue_share", "domestic_support", "drill_active", "readiness_",
                  "cohesion_", "capability_")

def parameters_html(res: Results, notes: list[str]) -> str:
    names = res.scenarios()
    parts = []
    contents = {n: scenario_info(res, n).get("content") for n in names}
    if res.kind == "sweep":
        parts.append(swept_html(res))
    if len(names) > 1:
        parts.append(rs.differences_html(res, names, contents))
    if len(names) > 1 and all(isinstance(c, dict) for c in contents.values()):
        parts.append("<details><summary>Every scenario value that differs</summary>"
                     + content_diff_html(contents) + "</details>")
    elif len(names) > 1:
        parts.append(known_differences_html(res, names, notes))
    if res.kind == "run":
        parts.append(setup_html(res))
    elif len(names) == 1 and res.kind != "sweep":
        parts.append(f"<p>One scenario, <strong>{h.e(names[0])}</strong>: its replications differ only in "
                     "their seeds (see How to reproduce).</p>")
    return "".join(parts)


def swept_html(res: Results) -> str:
    design = design_of(res)
    rows = []
    specs = design.get("params") or []
    table = None
    for p in specs:
        path = str(p.get("path"))
        values = p.get("values")
        rng = (", ".join(h.fmt(v) for v in values) if values is not None
               else f"{h.fmt(p.get('low'))} … {h.fmt(p.get('high'))}")
        rows.append([f"{h.e(labels.param_label(path, scenario_content(res.manifest)))}<br><code>{h.e(path)}</code>",
                     h.e(rng)])
    if not rows:
        try:
            table = res.design()
            for col in res.parameters():
                rows.append([f"<code>{h.e(col)}</code>", h.e(f"{h.fmt(table[col].min())} … {h.fmt(table[col].max())}")])
        except ResultsError:
            pass
    what = (f"A <strong>{h.e(design.get('type', 'sweep'))}</strong> design"
            + (f" ({h.e(design['sampler'])})" if design.get("sampler") else "")
            + f": {h.e(design.get('points', '?'))} design points × {h.e(design.get('replications', res.manifest.get('replications', '?')))} "
            "replication(s). Everything else is the scenario as in its file; "
            "a path joined with '+' moves several scenario values together as one factor.")
    return f"<p>{what}</p>" + h.table(["swept parameter (scenario path)", "range or values"], rows, escape=False)


def flatten(node: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for k, v in node.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(node, list) and node and all(isinstance(x, (dict, list)) for x in node):
        out = {}
        for i, v in enumerate(node):
            out.update(flatten(v, f"{prefix}.{i}"))
        return out
    return {prefix: node}


def content_diff_html(contents: dict[str, dict]) -> str:
    flat = {n: flatten({k: v for k, v in c.items() if k not in ("name", "description", "question", "extends")})
            for n, c in contents.items()}
    keys = sorted(set().union(*flat.values()))
    missing = object()
    rows = []
    for key in keys:
        vals = [flat[n].get(key, missing) for n in contents]
        if any(json.dumps(v, default=str, sort_keys=True) != json.dumps(vals[0], default=str, sort_keys=True)
               for v in vals if v is not missing) or any(v is missing for v in vals):
            rows.append([f"<code>{h.e(key)}</code>"] + ["—" if v is missing else h.e(h.short(v)) for v in vals])
    if not rows:
        return "<p>The scenarios' contents are identical apart from their names.</p>"
    return ("<p>Scenario values that differ (from the scenario contents recorded in the manifest; "
            "'—' means not set):</p>" + h.table(["scenario path", *contents], rows, escape=False))


def known_differences_html(res: Results, names: list[str], notes: list[str]) -> str:
    """Without scenario contents in the manifest: what the result files show."""
    parts = ["<p>The manifest does not record the scenarios' contents, so the parameter values "
             "themselves are not known here. What the result files do show:</p><ul>"]
    hashes = {n: scenario_info(res, n).get("hash") for n in names}
    if all(hashes.values()):
        same = len(set(hashes.values())) == 1
        parts.append("<li>Content hashes: "
                     + ("identical (the scenarios differ only in name)" if same else
                        "all different" if len(set(hashes.values())) == len(names) else "partly different")
                     + f" ({', '.join(f'{h.e(n)} <code>{h.e(h)}</code>' for n, h in hashes.items())}).</li>")
    parts.append("</ul>")
    parts.append(calendar_diff_html(res, names))
    parts.append(first_day_html(res, names, notes))
    return "".join(parts)


def calendar_diff_html(res: Results, names: list[str]) -> str:
    keyed: dict[str, dict[tuple, str]] = {}
    for n in names:
        cal = res.calendar(n)
        entries = {}
        for r in cal.itertuples(index=False):
            key = (str(r.kind), str(r.name), str(pd.Timestamp(r.start).date()) if pd.notna(r.start) else "",
                   str(pd.Timestamp(r.end).date()) if pd.notna(r.end) else "")
            entries[key] = str(getattr(r, "detail", "") or "")
        keyed[n] = entries
    allkeys = sorted(set().union(*(set(k) for k in keyed.values())), key=lambda k: (k[2], k[0], k[1]))
    rows = []
    for key in allkeys:
        present = [key in keyed[n] for n in names]
        details = {keyed[n].get(key) for n in names if key in keyed[n]}
        if all(present) and len(details) == 1:
            continue
        kind, name, start, end = key
        when = start if start == end or not end else f"{start} – {end}"
        rows.append([h.e(kind), h.e(name), h.e(when)] + [("yes" if p else "—") for p in present])
    common = sum(1 for k in allkeys if all(k in keyed[n] for n in names))
    intro = f"<p>Calendars: {common} entries in every scenario"
    if not rows:
        return intro + "; no entry differs.</p>"
    return (intro + f"; {len(rows)} differ (in one scenario and not another, or with other details):</p>"
            + h.table(["kind", "entry", "dates", *names], rows, escape=False))


def first_day_html(res: Results, names: list[str], notes: list[str]) -> str:
    if not has_daily(res):
        return "<p>No daily tables were written (<code>--daily none</code>), so the first-day state is not known.</p>"
    try:
        cols = [c for c in res.daily_columns() if c.startswith(SETUP_PREFIXES)]
        firsts = {}
        for n in names:
            rep = res.first_replication(n)
            d = res.daily(cols, scenario=n, replication=rep)
            if d.empty:
                return ""
            firsts[n] = d.iloc[0]
    except (ResultsError, OSError, ValueError, KeyError) as exc:
        notes.append(f"first-day state: {exc}")
        return ""
    rows = []
    for c in cols:
        vals = [firsts[n][c] for n in names]
        if all(h.close(v, vals[0]) for v in vals):
            continue
        shown = [DIALOGUE.get(int(v), str(v)) if c == "dialogue_state" else h.fmt(v) for v in vals]
        rows.append([f"<code>{h.e(c)}</code>"] + [h.e(s) for s in shown])
    if not rows:
        return "<p>The world state on the first day (sanctions, dialogue, readiness, cohesion, capability) is the same in every scenario.</p>"
    return ("<p>World state on the first day that differs between the scenarios (first replication; "
            "the end of day 1, so it already includes that day's events):</p>"
            + h.table(["daily column", *names], rows, escape=False))


def setup_html(res: Results) -> str:
    m = res.manifest
    parts = []
    content = m.get("content") or m.get("scenario_content")
    roles, policies = m.get("roles") or {}, m.get("policies") or {}
    actors = res.actors()
    if actors:
        rows = [[h.e(a), h.e(roles.get(a, "—")), h.e(policies.get(a, "—"))] for a in actors]
        parts.append("<p>One scenario in one run; its set-up as the manifest records it:</p>"
                     + h.table(["actor", "role", "policy"], rows, escape=False))
    rel = [r for r in (m.get("relations") or []) if isinstance(r, dict)]
    if rel:
        rows = [[h.e(r.get("a")), h.e(r.get("b")), h.e(r.get("kind"))] for r in rel]
        parts.append(h.table(["actor", "actor", "relation"], rows, escape=False))
    cal = res.calendar()
    if len(cal):
        counts = cal["kind"].astype(str).value_counts()
        parts.append("<p>Calendar: " + ", ".join(f"{v} {h.e(k)}" for k, v in counts.items()) + " entries.</p>")
    if isinstance(content, dict):
        flat = flatten(content)
        rows = [[f"<code>{h.e(k)}</code>", h.e(h.short(v))] for k, v in flat.items()
                if k not in ("name", "description", "question")]
        parts.append("<details><summary>All scenario values</summary>"
                     + h.table(["scenario path", "value"], rows, escape=False) + "</details>")
    return "".join(parts)


def scenario_info(res: Results, name: str) -> dict[str, Any]:
    """What the manifest says about one scenario: description, question, hash, content."""
    m = res.manifest
    if res.kind == "run":
        return {"description": m.get("description"), "question": m.get("question"),
                "hash": m.get("scenario_hash"), "content": m.get("content") or m.get("scenario_content")}
    scen = m.get("scenarios")
    if isinstance(scen, dict) and isinstance(scen.get(name), str):
        return {"hash": scen[name]}
    if isinstance(scen, dict) and isinstance(scen.get(name), dict):
        info = dict(scen[name])
        info.setdefault("content", info.get("scenario_content"))
        return info
    if isinstance(scen, list):
        for item in scen:
            if isinstance(item, dict) and str(item.get("name")) == name:
                return dict(item)
    return {}

def design_of(res: Results) -> dict[str, Any]:
    d = res.manifest.get("design")
    if not isinstance(d, dict):
        return {}
    return {"type": d.get("kind", ""), **d} if "type" not in d else d

def has_daily(res: Results) -> bool:
    return res.has_daily()
