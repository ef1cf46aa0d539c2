"""One self-contained HTML report of a results directory: `escalation report RESULTS`.

Works on every directory docs/RESULTS.md describes: a single run, a batch, a sweep, and an
experiment (a batch or sweep with experiment.json, or a folder of per-scenario sweeps with
experiment.json at its top). The report says

* which scenario(s) were run and what question each asks (manifest, experiment.json);
* the parameters: what differs between the scenarios (from scenario contents when the
  manifest records them, else what the result files show: content hashes, calendars and
  the state on the first day), the swept parameters of a sweep, the set-up of a single run;
* the summary outcomes: for a single run the values, else per scenario the mean and the
  5th-95th percentile range over replications (and the experiment's paired comparison);
* the figures, drawn by `sim.analysis.figures.make_figure` and embedded as base64 PNG;
* the sensitivity table of a sweep (sensitivity.csv);
* how to reproduce it: the exact command from the manifest, the seeds and the versions.

Everything is inline (CSS in a <style> element, images as data: URIs): the file can be
mailed or archived alone. Like the rest of `sim.analysis` this reads result files only and
never imports the model.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from sim.analysis.figures import make_figure
from sim.analysis.results import ID_COLUMNS, Results, ResultsError, load

__all__ = ["Report", "ResultsError", "build_report", "write_report", "SECTION_TITLES"]

DPI = 100  # embedded figures: ~1000 px wide for the 10-inch figures, small enough to mail
SECTION_TITLES = ("Question", "Scenarios", "Parameters", "Summary outcomes", "Figures",
                  "Sensitivity", "How to reproduce")
NOT_OUTCOMES = set(ID_COLUMNS) | {"days", "spawn_key", "root_seed"}
# Daily columns that show a scenario's set-up on the first day (not the day's events).
SETUP_PREFIXES = ("sanctions", "dialogue_state", "rok_orientation", "russia_cooperation",
                  "public_dialogue_share", "domestic_support", "drill_active", "readiness_",
                  "cohesion_", "capability_")
DIALOGUE = {0: "none", 1: "offered", 2: "talks", 3: "summit"}
MAX_SEED_ROWS = 40


@dataclass
class Report:
    """The report's HTML and what went into it (figure count, problems met on the way)."""

    html: str
    title: str
    figures: int = 0
    notes: list[str] = field(default_factory=list)


# ---- entry points --------------------------------------------------------------------------
def write_report(results: str | Path, out: str | Path | None = None, dpi: int = DPI) -> tuple[Path, Report]:
    """Build the report of `results` and write it to `out` (default RESULTS/report.html)."""
    report = build_report(results, dpi=dpi)
    path = Path(out) if out is not None else Path(results) / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report.html, encoding="utf-8")
    return path, report


def build_report(results: str | Path, dpi: int = DPI) -> Report:
    """The report of a run, batch, sweep or experiment directory; ResultsError if it is none."""
    root = Path(results)
    if not root.is_dir():
        raise ResultsError(f"no results directory at {root}")
    experiment = _read_json(root / "experiment.json")
    if not (root / "manifest.json").is_file():
        parts = sorted(p for p in root.iterdir() if (p / "manifest.json").is_file())
        if not parts:
            raise ResultsError(f"{root} has no manifest.json and no result directories in it: "
                               "not a results directory")
        if experiment is None:
            raise ResultsError(f"{root} has no manifest.json (its subdirectories do: report on one of them)")
        return _multi_report(root, experiment, [load(p) for p in parts], dpi)
    res = load(root)
    if experiment is None and root.parent != root:
        parent = _read_json(root.parent / "experiment.json")
        if parent is not None and res.kind == "sweep":
            experiment = parent  # one scenario's sweep inside a several-scenario experiment
    builder = _Builder(dpi)
    title = _title(res, experiment)
    body = builder.sections(res, experiment, level=2)
    return builder.page(title, _subtitle(res, experiment), body)


def _multi_report(root: Path, experiment: dict, parts: list[Results], dpi: int) -> Report:
    """An experiment that ran one sweep per scenario into ROOT/SCENARIO."""
    builder = _Builder(dpi)
    title = f"Experiment {experiment.get('name', root.name)}"
    body = [_section("Question", _question_html(None, experiment), 2)]
    nav = [("question", "Question")]
    for res in parts:
        key = "part-" + _anchor(res.path.name)
        inner = builder.sections(res, experiment, level=3, prefix=key + "-", ask=False)
        label = ", ".join(res.scenarios())
        nav.append((key, label))
        body.append(f'<section class="part"><h2 id="{key}">'
                    f"Scenario {_e(label)} ({_e(res.kind)} in {_e(res.path.name)}/)</h2>"
                    + "".join(inner) + "</section>")
    subtitle = f"{len(parts)} result directories in {root}"
    return builder.page(title, subtitle, body, nav)


# ---- the builder -----------------------------------------------------------------------------
class _Builder:
    def __init__(self, dpi: int) -> None:
        self.dpi = dpi
        self.figures = 0
        self.notes: list[str] = []

    def page(self, title: str, subtitle: str, body: list[str], nav: list[tuple[str, str]] | None = None) -> Report:
        if nav is None:
            nav = [(_anchor(t), t) for t in SECTION_TITLES if any(f'id="{_anchor(t)}"' in b for b in body)]
        links = "".join(f'<a href="#{a}">{_e(t)}</a>' for a, t in nav)
        notes = ""
        if self.notes:
            notes = ('<div class="notes"><strong>Not everything could be shown:</strong><ul>'
                     + "".join(f"<li>{_e(n)}</li>" for n in self.notes) + "</ul></div>")
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        doc = (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
               f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
               f"<title>{_e(title)}</title><style>{CSS}</style></head><body><main>"
               f"<header><h1>{_e(title)}</h1><p class=\"sub\">{_e(subtitle)}</p>"
               f"<nav>{links}</nav></header>{notes}{''.join(body)}"
               f"<footer>Generated {stamp} by <code>escalation report</code> from the result files "
               f"(docs/RESULTS.md).</footer></main></body></html>\n")
        return Report(doc, title, self.figures, list(self.notes))

    def sections(self, res: Results, experiment: dict | None, level: int, prefix: str = "",
                 ask: bool = True) -> list[str]:
        out = [_section("Question", _question_html(res, experiment), level, prefix)] if ask else []
        out += [_section("Scenarios", _scenarios_html(res), level, prefix),
               _section("Parameters", _parameters_html(res, self.notes), level, prefix),
               _section("Summary outcomes", self._summary_html(res, experiment), level, prefix),
               _section("Figures", self._figures_html(res, experiment, level + 1), level, prefix)]
        if res.kind == "sweep":
            out.append(_section("Sensitivity", self._sensitivity_html(res), level, prefix))
        out.append(_section("How to reproduce", _reproduce_html(res, experiment), level, prefix))
        return out

    # ---- summary ---------------------------------------------------------------------------
    def _summary_html(self, res: Results, experiment: dict | None) -> str:
        try:
            summary = res.summary()
        except (ResultsError, OSError, ValueError) as exc:
            self.notes.append(f"summary: {exc}")
            return f'<p class="missing">No summary table: {_e(exc)}</p>'
        if "status" in summary:
            failed = int((summary["status"] != "ok").sum())
            summary = summary[summary["status"] == "ok"]
        else:
            failed = 0
        params = set(_swept(res))
        outcomes = [c for c in summary.columns if c not in NOT_OUTCOMES and c not in params
                    and (pd.api.types.is_numeric_dtype(summary[c]) or pd.api.types.is_bool_dtype(summary[c]))]
        focus = [o for o in (experiment or {}).get("outcomes") or _design(res).get("outcomes") or [] if o in outcomes]
        outcomes = focus + [o for o in outcomes if o not in focus]
        parts = []
        if res.kind == "run":
            row = summary.iloc[0]
            rows = [[_outcome_label(o, focus), _e(_fmt(row[o]))] for o in outcomes]
            parts.append("<p>The summary outcomes of this single run (summary.json).</p>")
            parts.append(_table(["outcome", "value"], rows, escape=False, cls="num"))
        else:
            names = res.scenarios() if res.kind != "sweep" else [None]
            head = ["outcome"] + (["all runs (mean [5%–95%])"] if res.kind == "sweep" else
                                  [f"{n} (mean [5%–95%])" for n in names])
            groups = ([summary] if res.kind == "sweep" else
                      [summary[summary["scenario"].astype(str) == n] for n in names])
            counts = [len(g) for g in groups]
            rows = [[_outcome_label(o, focus)] + [_e(_interval(g[o])) for g in groups] for o in outcomes]
            what = ("over all runs of all design points" if res.kind == "sweep"
                    else "over replications, per scenario")
            parts.append(f"<p>Mean and 90% interval (5th to 95th percentile) of each outcome {what}; "
                         f"runs: {', '.join(map(str, counts))}"
                         f"{f' ({failed} failed run(s) left out)' if failed else ''}. "
                         "For yes/no outcomes the mean is the share of runs."
                         + (" The outcomes asked about come first, in bold." if focus else "")
                         + "</p>")
            parts.append(_table(head, rows, escape=False, cls="num"))
        comparison = res.path / "comparison.csv"
        if comparison.is_file():
            parts.append(_comparison_html(comparison))
        return "".join(parts)

    # ---- figures ---------------------------------------------------------------------------
    def _figures_html(self, res: Results, experiment: dict | None, level: int) -> str:
        plan = _figure_plan(res, experiment)
        out = []
        for title, caption, kind, kwargs in plan:
            out.append(self._figure(res, title, caption, kind, kwargs, level))
        if not out and not _has_daily(res):
            return ('<p class="missing">No figures: this directory has no daily tables '
                    "(it was run with <code>--daily none</code>).</p>")
        return "".join(out) or '<p class="missing">No figure applies to this directory.</p>'

    def _figure(self, res: Results, title: str, caption: str, kind: str, kwargs: dict, level: int) -> str:
        h = f"<h{level}>{_e(title)}</h{level}>"
        try:
            fig = make_figure(res, kind, **kwargs)
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=self.dpi)
        except ResultsError as exc:
            self.notes.append(f"{title}: {exc}")
            return f'<figure class="missing">{h}<p>Not drawn: {_e(exc)}</p></figure>'
        except Exception as exc:  # a figure bug must not cost the whole report
            self.notes.append(f"{title}: {type(exc).__name__}: {exc}")
            return f'<figure class="missing">{h}<p>Not drawn ({_e(type(exc).__name__)}): {_e(exc)}</p></figure>'
        self.figures += 1
        data = base64.b64encode(buf.getvalue()).decode("ascii")
        return (f'<figure>{h}<img alt="{_e(title)}" src="data:image/png;base64,{data}">'
                f"<figcaption>{_e(caption)}</figcaption></figure>")

    # ---- sensitivity -----------------------------------------------------------------------
    def _sensitivity_html(self, res: Results) -> str:
        try:
            frame = res.sensitivity()
        except ResultsError as exc:
            return f'<p class="missing">{_e(exc)}</p>'
        return _sensitivity_table(frame)


# ---- sections --------------------------------------------------------------------------------
def _section(title: str, inner: str, level: int, prefix: str = "") -> str:
    return f'<section><h{level} id="{prefix}{_anchor(title)}">{_e(title)}</h{level}>{inner}</section>'


def _title(res: Results, experiment: dict | None) -> str:
    if experiment:
        return f"Experiment {experiment.get('name', res.path.name)}"
    names = ", ".join(res.scenarios())
    return {"run": f"Run of {names}", "batch": f"Batch: {names}", "sweep": f"Sweep of {names}"}[res.kind]


def _subtitle(res: Results, experiment: dict | None) -> str:
    m = res.manifest
    bits = [f"{res.kind} results in {res.path}"]
    if m.get("start") and m.get("end"):
        bits.append(f"{m['start']} – {m['end']}")
    if m.get("days"):
        bits.append(f"{m['days']} days")
    if res.kind != "run":
        bits.append(f"{m.get('runs_complete', m.get('runs', '?'))} runs")
    bits.append(f"status {m.get('status', 'unknown')}")
    return "; ".join(str(b) for b in bits)


def _question_html(res: Results | None, experiment: dict | None) -> str:
    parts = []
    if experiment:
        parts.append(f'<p class="question">{_e(_clean(experiment.get("question")))}</p>')
        if experiment.get("description"):
            parts.append(f"<p>{_e(_clean(experiment['description']))}</p>")
        if experiment.get("outcomes"):
            parts.append(f"<p>Outcomes that answer it: {_codes(experiment['outcomes'])}.</p>")
    elif res is not None:
        design = _design(res)
        asked = res.manifest.get("question") or design.get("question")
        per = [q for q in (_scenario_info(res, n).get("question") for n in res.scenarios()) if q]
        if asked:
            parts.append(f'<p class="question">{_e(_clean(asked))}</p>')
        elif len(per) == 1:
            parts.append(f'<p class="question">{_e(_clean(per[0]))}</p>')
        elif per:
            parts.append("<p>Each scenario asks its own question (see Scenarios).</p>")
        else:
            parts.append('<p class="missing">The manifest records no question for this directory; '
                         "the scenario descriptions below say what was run.</p>")
        if res.kind == "sweep" and design.get("params"):
            parts.append(f"<p>A {_e(design.get('type', ''))} design over "
                         f"{len(design['params'])} parameter(s): how do they move "
                         f"{_codes(design.get('outcomes') or ['the summary outcomes'])}?</p>")
    return "".join(parts)


def _scenario_info(res: Results, name: str) -> dict[str, Any]:
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


def _scenarios_html(res: Results) -> str:
    rows = []
    for name in res.scenarios():
        info = _scenario_info(res, name)
        q = info.get("question")
        rows.append([f"<strong>{_e(name)}</strong>", _e(_clean(info.get("description")) or "—"),
                     _e(_clean(q)) if q else '<span class="missing">not recorded in the manifest</span>',
                     f"<code>{_e(info.get('hash') or '—')}</code>"])
    return _table(["scenario", "description", "question", "content hash"], rows, escape=False)


def _parameters_html(res: Results, notes: list[str]) -> str:
    names = res.scenarios()
    parts = []
    contents = {n: _scenario_info(res, n).get("content") for n in names}
    if res.kind == "sweep":
        parts.append(_swept_html(res))
    if len(names) > 1 and all(isinstance(c, dict) for c in contents.values()):
        parts.append(_content_diff_html(contents))
    elif len(names) > 1:
        parts.append(_known_differences_html(res, names, notes))
    if res.kind == "run":
        parts.append(_setup_html(res))
    elif len(names) == 1 and res.kind != "sweep":
        parts.append(f"<p>One scenario, <strong>{_e(names[0])}</strong>: its replications differ only in "
                     "their seeds (see How to reproduce).</p>")
    return "".join(parts)


def _swept_html(res: Results) -> str:
    design = _design(res)
    rows = []
    specs = design.get("params") or []
    table = None
    for p in specs:
        path = str(p.get("path"))
        values = p.get("values")
        rng = (", ".join(_fmt(v) for v in values) if values is not None
               else f"{_fmt(p.get('low'))} … {_fmt(p.get('high'))}")
        rows.append([f"<code>{_e(path)}</code>", _e(rng)])
    if not rows:
        try:
            table = res.design()
            for col in res.parameters():
                rows.append([f"<code>{_e(col)}</code>", _e(f"{_fmt(table[col].min())} … {_fmt(table[col].max())}")])
        except ResultsError:
            pass
    what = (f"A <strong>{_e(design.get('type', 'sweep'))}</strong> design"
            + (f" ({_e(design['sampler'])})" if design.get("sampler") else "")
            + f": {_e(design.get('points', '?'))} design points × {_e(design.get('replications', res.manifest.get('replications', '?')))} "
            "replication(s). Everything else is the scenario as in its file; "
            "a path joined with '+' moves several scenario values together as one factor.")
    return f"<p>{what}</p>" + _table(["swept parameter (scenario path)", "range or values"], rows, escape=False)


def _flatten(node: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for k, v in node.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(node, list) and node and all(isinstance(x, (dict, list)) for x in node):
        out = {}
        for i, v in enumerate(node):
            out.update(_flatten(v, f"{prefix}.{i}"))
        return out
    return {prefix: node}


def _content_diff_html(contents: dict[str, dict]) -> str:
    flat = {n: _flatten({k: v for k, v in c.items() if k not in ("name", "description", "question", "extends")})
            for n, c in contents.items()}
    keys = sorted(set().union(*flat.values()))
    missing = object()
    rows = []
    for key in keys:
        vals = [flat[n].get(key, missing) for n in contents]
        if any(json.dumps(v, default=str, sort_keys=True) != json.dumps(vals[0], default=str, sort_keys=True)
               for v in vals if v is not missing) or any(v is missing for v in vals):
            rows.append([f"<code>{_e(key)}</code>"] + ["—" if v is missing else _e(_short(v)) for v in vals])
    if not rows:
        return "<p>The scenarios' contents are identical apart from their names.</p>"
    return ("<p>Scenario values that differ (from the scenario contents recorded in the manifest; "
            "'—' means not set):</p>" + _table(["scenario path", *contents], rows, escape=False))


def _known_differences_html(res: Results, names: list[str], notes: list[str]) -> str:
    """Without scenario contents in the manifest: what the result files show."""
    parts = ["<p>The manifest does not record the scenarios' contents, so the parameter values "
             "themselves are not known here. What the result files do show:</p><ul>"]
    hashes = {n: _scenario_info(res, n).get("hash") for n in names}
    if all(hashes.values()):
        same = len(set(hashes.values())) == 1
        parts.append("<li>Content hashes: "
                     + ("identical (the scenarios differ only in name)" if same else
                        "all different" if len(set(hashes.values())) == len(names) else "partly different")
                     + f" ({', '.join(f'{_e(n)} <code>{_e(h)}</code>' for n, h in hashes.items())}).</li>")
    parts.append("</ul>")
    parts.append(_calendar_diff_html(res, names))
    parts.append(_first_day_html(res, names, notes))
    return "".join(parts)


def _calendar_diff_html(res: Results, names: list[str]) -> str:
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
        rows.append([_e(kind), _e(name), _e(when)] + [("yes" if p else "—") for p in present])
    common = sum(1 for k in allkeys if all(k in keyed[n] for n in names))
    intro = f"<p>Calendars: {common} entries in every scenario"
    if not rows:
        return intro + "; no entry differs.</p>"
    return (intro + f"; {len(rows)} differ (in one scenario and not another, or with other details):</p>"
            + _table(["kind", "entry", "dates", *names], rows, escape=False))


def _first_day_html(res: Results, names: list[str], notes: list[str]) -> str:
    if not _has_daily(res):
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
        if all(_close(v, vals[0]) for v in vals):
            continue
        shown = [DIALOGUE.get(int(v), str(v)) if c == "dialogue_state" else _fmt(v) for v in vals]
        rows.append([f"<code>{_e(c)}</code>"] + [_e(s) for s in shown])
    if not rows:
        return "<p>The world state on the first day (sanctions, dialogue, readiness, cohesion, capability) is the same in every scenario.</p>"
    return ("<p>World state on the first day that differs between the scenarios (first replication; "
            "the end of day 1, so it already includes that day's events):</p>"
            + _table(["daily column", *names], rows, escape=False))


def _setup_html(res: Results) -> str:
    m = res.manifest
    parts = []
    content = m.get("content") or m.get("scenario_content")
    roles, policies = m.get("roles") or {}, m.get("policies") or {}
    actors = res.actors()
    if actors:
        rows = [[_e(a), _e(roles.get(a, "—")), _e(policies.get(a, "—"))] for a in actors]
        parts.append("<p>One scenario in one run; its set-up as the manifest records it:</p>"
                     + _table(["actor", "role", "policy"], rows, escape=False))
    rel = [r for r in (m.get("relations") or []) if isinstance(r, dict)]
    if rel:
        rows = [[_e(r.get("a")), _e(r.get("b")), _e(r.get("kind"))] for r in rel]
        parts.append(_table(["actor", "actor", "relation"], rows, escape=False))
    cal = res.calendar()
    if len(cal):
        counts = cal["kind"].astype(str).value_counts()
        parts.append("<p>Calendar: " + ", ".join(f"{v} {_e(k)}" for k, v in counts.items()) + " entries.</p>")
    if isinstance(content, dict):
        flat = _flatten(content)
        rows = [[f"<code>{_e(k)}</code>", _e(_short(v))] for k, v in flat.items()
                if k not in ("name", "description", "question")]
        parts.append("<details><summary>All scenario values</summary>"
                     + _table(["scenario path", "value"], rows, escape=False) + "</details>")
    return "".join(parts)


def _comparison_html(path: Path) -> str:
    try:
        table = pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        return f'<p class="missing">comparison.csv unreadable: {_e(exc)}</p>'
    rows = []
    for r in table.itertuples(index=False):
        diff = "reference" if pd.isna(getattr(r, "reference", np.nan)) else (
            f"{_fmt(r.diff_mean)} [{_fmt(r.diff_ci_low)}, {_fmt(r.diff_ci_high)}]")
        rows.append([_e(r.outcome), _e(r.scenario), _e(_fmt(r.n)),
                     _e(f"{_fmt(r.mean)} [{_fmt(r.ci_low)}, {_fmt(r.ci_high)}]"), _e(diff)])
    ref = next((str(x) for x in table.get("reference", pd.Series(dtype=object)).dropna()), "the first scenario")
    return (f"<h4>Paired comparison (comparison.csv)</h4><p>Mean with its 95% t-interval, and the "
            f"difference from <strong>{_e(ref)}</strong> paired by replication (common random numbers): "
            "an interval that excludes 0 is an effect the replications resolve.</p>"
            + _table(["outcome", "scenario", "n", "mean [95% CI]", f"difference from {ref} [95% CI]"],
                     rows, escape=False, cls="num"))


def _sensitivity_table(frame: pd.DataFrame) -> str:
    frame = frame.copy()
    frame["shown"] = [(_fmt(v) + (f" ± {_fmt(c)}" if pd.notna(c) else "")) if pd.notna(v) else "—"
                      for v, c in zip(frame["value"], frame["conf"])]
    indices = list(dict.fromkeys(i for i in frame["index"] if not str(i).endswith("_conf")))
    parts = ["<p>sensitivity.csv: the indices of each swept parameter for each outcome "
             "(± the confidence half-width where the method gives one). Sobol: S1 first-order, "
             "ST total; Morris: mu* mean absolute elementary effect, sigma its spread.</p>"]
    for outcome, sub in frame.groupby("outcome", sort=False):
        wide = sub.pivot_table(index="parameter", columns="index", values="shown", aggfunc="first")
        order = [i for i in indices if i in wide.columns]
        lead = next((i for i in ("ST", "mu_star") if i in sub["index"].values), None)
        params = list(dict.fromkeys(sub["parameter"]))
        if lead:
            vals = sub[sub["index"] == lead].set_index("parameter")["value"]
            params = sorted(params, key=lambda p: -(vals.get(p, -np.inf) if pd.notna(vals.get(p, np.nan)) else -np.inf))
        rows = [[f"<code>{_e(p)}</code>"] + [_e(wide.at[p, i]) if p in wide.index and pd.notna(wide.at[p, i]) else "—"
                                              for i in order] for p in params]
        parts.append(f"<h4>{_e(outcome)}</h4>" + _table(["parameter", *order], rows, escape=False, cls="num"))
    return "".join(parts)


def _reproduce_html(res: Results, experiment: dict | None) -> str:
    m = res.manifest
    parts = []
    cmd = m.get("command")
    if cmd:
        parts.append("<p>The command that wrote this directory (from the manifest):</p>"
                     f"<pre><code>{_e(cmd)}</code></pre>")
    else:
        parts.append('<p class="missing">The manifest records no command.</p>')
    if res.kind == "run":
        parts.append(f"<p>Seed: <code>{_e(json.dumps(m.get('seed')))}</code>. The same scenario file "
                     f"(content hash <code>{_e(m.get('scenario_hash', '?'))}</code>) and seed give the same run.</p>")
    else:
        root = m.get("root_seed")
        parts.append(f"<p>Root seed <code>{_e(json.dumps(root))}</code>, {_e(m.get('replications', '?'))} "
                     "replication(s) per scenario"
                     + (" and design point" if res.kind == "sweep" else "")
                     + ". Each run draws from <code>numpy.random.SeedSequence(root_seed, spawn_key=KEY)</code> "
                     "with its own spawn key (by default its replication, so replication <em>i</em> has the same "
                     "seed in every scenario: common random numbers).</p>")
        parts.append(_seed_table(res))
    if experiment and experiment.get("resolved_scenarios"):
        parts.append("<p>Scenario files (as resolved when the experiment ran):</p><ul>"
                     + "".join(f"<li><code>{_e(s)}</code></li>" for s in experiment["resolved_scenarios"]) + "</ul>")
    versions = m.get("versions") or {}
    if versions:
        parts.append("<p>Versions: " + ", ".join(f"{_e(k)} {_e(v)}" for k, v in versions.items()) + ".</p>")
    failed = m.get("failed_runs") or []
    if failed:
        parts.append(f'<p class="missing">{len(failed)} run(s) failed; rerun with <code>--resume</code>: '
                     + ", ".join(_e(str(f.get("run_id"))) for f in failed[:10]) + ("…" if len(failed) > 10 else "")
                     + "</p>")
    return "".join(parts)


def _seed_table(res: Results) -> str:
    try:
        runs = res.runs()
    except (ResultsError, OSError, ValueError):
        return ""
    cols = [c for c in ("run_id", "scenario", "replication", "design_point", "root_seed", "spawn_key", "status")
            if c in runs]
    if not cols:
        return ""
    shown = runs[cols].head(MAX_SEED_ROWS)
    rows = [[_e(_fmt(v)) for v in r] for r in shown.itertuples(index=False)]
    more = (f"<p>… and {len(runs) - MAX_SEED_ROWS} more runs in runs/.</p>" if len(runs) > MAX_SEED_ROWS else "")
    return ("<details><summary>Every run's seed (the experiments table, runs/)</summary>"
            + _table(cols, rows, escape=False, cls="num") + more + "</details>")


# ---- which figures -----------------------------------------------------------------------------
def _figure_plan(res: Results, experiment: dict | None) -> list[tuple[str, str, str, dict]]:
    names = res.scenarios()
    plan: list[tuple[str, str, str, dict]] = []
    if res.kind == "sweep":
        design = _design(res)
        outcomes = list((experiment or {}).get("outcomes") or design.get("outcomes") or ["peak_escalation"])
        try:
            summary_cols = set(res.summary().columns)
            outcomes = [o for o in outcomes if o in summary_cols] or ["peak_escalation"]
        except (ResultsError, OSError, ValueError):
            pass
        for o in outcomes[:3]:
            plan.append((f"{_label(o)} against each swept parameter",
                         "Each run as a dot; median with 50% and 90% bands per level or bin.",
                         "sweep", {"outcome": o}))
        if len(_swept(res)) >= 2:
            plan.append((f"{_label(outcomes[0])} over the first two swept parameters",
                         "Mean outcome per cell of the two parameters.", "heatmap", {"outcome": outcomes[0]}))
        try:
            sens = res.sensitivity() if any(res.path.rglob("sensitivity.csv")) else None
        except (ResultsError, OSError, ValueError):
            sens = None  # the Sensitivity section says what is wrong with it
        if sens is not None:
            for o in list(dict.fromkeys(sens["outcome"]))[:3]:
                plan.append((f"Sensitivity of {_label(o)}", "Indices from sensitivity.csv with their confidence intervals.",
                             "sensitivity", {"outcome": o}))
    if _has_daily(res):
        if len(names) > 1:
            plan.append(("Scenarios compared", "Median escalation index of each scenario with bands, and the "
                         "paired difference from the first scenario.", "compare", {}))
        for n in names:
            tag = f" — {n}" if len(names) > 1 else ""
            across = ("over all design points" if res.kind == "sweep" else
                      "single run" if res.kind == "run" else "median with 50% and 90% bands over replications")
            plan += [
                (f"Escalation curve{tag}", f"The escalation index ({across}), ladder rungs and the calendar.",
                 "curve", {"scenario": n}),
                (f"Event timeline{tag}", "One run's actions by actor"
                 + ("" if res.kind == "run" else " (the first completed replication)") + "; drills shaded.",
                 "timeline", {"scenario": n}),
                (f"Tension heatmap{tag}", "Hostility of each actor toward each other actor over time"
                 + ("" if res.kind == "run" else " (median over runs)") + ".", "tension", {"scenario": n}),
                (f"Relations network{tag}", "The network at four dates: edges coloured by tension, alliances drawn distinctly.",
                 "network", {"scenario": n}),
            ]
    return plan


def _has_daily(res: Results) -> bool:
    if res.kind == "run":
        return True
    d = res.path / "daily"
    return d.is_dir() and any(d.iterdir())


def _design(res: Results) -> dict[str, Any]:
    d = res.manifest.get("design")
    if not isinstance(d, dict):
        return {}
    return {"type": d.get("kind", ""), **d} if "type" not in d else d


def _swept(res: Results) -> list[str]:
    if res.kind != "sweep":
        return []
    try:
        return res.parameters()
    except ResultsError:
        return [str(p.get("path")) for p in _design(res).get("params") or []]


# ---- formatting ----------------------------------------------------------------------------------
def _read_json(path: Path) -> dict | None:
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ResultsError(f"{path}: unreadable ({exc})") from exc
    return data if isinstance(data, dict) else None


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _clean(text: Any) -> str:
    return " ".join(str(text).split()) if text else ""


def _anchor(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


def _codes(items: list[str]) -> str:
    return ", ".join(f"<code>{_e(i)}</code>" for i in items)


def _label(outcome: str) -> str:
    return outcome.replace("_", " ").capitalize()


def _outcome_label(outcome: str, focus: list[str]) -> str:
    return f"<strong>{_e(outcome)}</strong>" if outcome in focus else _e(outcome)


def _fmt(value: Any) -> str:
    """Numbers to 3-4 significant figures, integers as integers, missing as '–'."""
    if value is None:
        return "–"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if math.isnan(x):
            return "–"
        if x.is_integer() and abs(x) < 1e9:
            return str(int(x))
        a = abs(x)
        if a >= 100:
            return f"{x:.0f}"
        if a >= 10:
            return f"{x:.1f}"
        if a >= 0.01:
            return f"{x:.3g}"
        return f"{x:.2g}"
    return str(value)


def _interval(values: pd.Series) -> str:
    x = pd.to_numeric(values, errors="coerce").astype(float)
    none = int(x.isna().sum())
    x = x.dropna()
    if x.empty:
        return "–"
    if len(x) == 1:
        text = _fmt(x.iloc[0])
    else:
        lo, hi = np.quantile(x, [0.05, 0.95])
        text = f"{_fmt(x.mean())} [{_fmt(lo)} – {_fmt(hi)}]"
    return text + (f" ({none} none)" if none else "")


def _close(a: Any, b: Any) -> bool:
    try:
        return abs(float(a) - float(b)) < 1e-9
    except (TypeError, ValueError):
        return str(a) == str(b)


def _short(value: Any, limit: int = 120) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _table(head: list[str], rows: list[list[str]], escape: bool = True, cls: str = "") -> str:
    """A table; cells are HTML already unless `escape`."""
    cell: Callable[[Any], str] = _e if escape else str
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{cell(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f'<div class="scroll"><table class="{cls}"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></div>'


CSS = """
:root{--ink:#1d2330;--muted:#5b6475;--line:#d9dde5;--accent:#0072B2;--bg:#fbfbfc}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:24px 28px 48px;background:#fff;box-shadow:0 0 0 1px var(--line)}
header{border-bottom:3px solid var(--accent);margin-bottom:12px;padding-bottom:8px}
h1{font-size:1.7em;margin:0 0 4px}
h2{font-size:1.3em;margin:32px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:1.1em;margin:22px 0 6px}
h4{font-size:1em;margin:16px 0 6px}
.sub{color:var(--muted);margin:0 0 8px}
nav a{margin-right:14px;color:var(--accent);text-decoration:none;font-size:.92em}
nav a:hover{text-decoration:underline}
.question{font-size:1.12em;font-style:italic;border-left:4px solid var(--accent);padding:4px 12px;margin:8px 0;background:#f2f7fb}
.missing{color:#8a5a00}
.notes{background:#fff6e5;border:1px solid #f0d199;padding:8px 14px;margin:12px 0;font-size:.92em}
.scroll{overflow-x:auto;margin:8px 0 12px}
table{border-collapse:collapse;font-size:.9em;min-width:40%}
th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}
th{background:#f3f5f8;font-weight:600;white-space:nowrap}
table.num td+td{font-variant-numeric:tabular-nums;white-space:nowrap}
tbody tr:hover{background:#f8fafc}
figure{margin:18px 0 26px}
figure img{max-width:100%;height:auto;border:1px solid var(--line)}
figcaption{color:var(--muted);font-size:.9em;margin-top:4px}
pre{background:#f3f5f8;padding:10px 12px;overflow-x:auto;border-radius:4px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
details{margin:8px 0}
summary{cursor:pointer;color:var(--accent)}
section.part{border-top:3px double var(--line);margin-top:28px}
footer{margin-top:36px;color:var(--muted);font-size:.85em;border-top:1px solid var(--line);padding-top:8px}
"""
