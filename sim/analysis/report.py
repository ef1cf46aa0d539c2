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

Everything is inline (h.CSS in a <style> element, images as data: URIs): the file can be
mailed or archived alone. Like the rest of `sim.analysis` this reads result files only and
never imports the model.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os
from dataclasses import dataclass, field
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis import html_parts as h
from sim.analysis import labels, sensitivity_checks
from sim.analysis import report_params as rp
from sim.analysis import report_sections as rs
from sim.analysis.memory import is_result_object, open_results
from sim.analysis.figures import make_figure
from sim.analysis.results import ID_COLUMNS, Results, ResultsError, load

__all__ = ["Report", "ResultsError", "build_report", "write_report", "SECTION_TITLES"]

DPI = 100  # embedded figures: ~1000 px wide for the 10-inch figures, small enough to mail
SECTION_TITLES = ("Question", "Scenarios", "Parameters", "Summary outcomes", "Figures",
                  "Sensitivity", "Scenario discovery", "How to reproduce")
Progress = Callable[[str], None]
NOT_OUTCOMES = set(ID_COLUMNS) | {"days", "spawn_key", "root_seed"}
# Daily columns that show a scenario's set-up on the first day (not the day's events).
MAX_SEED_ROWS = 40


@dataclass
class Report:
    """The report's HTML and what went into it (figure count, problems met on the way)."""

    html: str
    title: str
    figures: int = 0
    notes: list[str] = field(default_factory=list)


# ---- entry points --------------------------------------------------------------------------
def write_report(results: str | Path | Any, out: str | Path | None = None, dpi: int = DPI,
                 progress: Progress | None = None) -> tuple[Path, Report]:
    """Build the report of `results` and write it to `out` (default RESULTS/report.html; a result
    object in memory needs `out`). Written whole or not at all (a temporary file, then renamed)."""
    if out is None and is_result_object(results):
        raise ResultsError("a report of a result object in memory needs out= (where to write it)")
    report = build_report(results, dpi=dpi, progress=progress)
    path = Path(out) if out is not None else Path(results) / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(report.html, encoding="utf-8")
    partial.chmod(0o644)
    os.replace(partial, path)
    return path, report


def build_report(results: str | Path | Any, dpi: int = DPI, progress: Progress | None = None) -> Report:
    """The report of a run, batch, sweep or experiment directory, or of a result object in memory;
    ResultsError if it is none. `progress(message)` is told about each step (figures take the time)."""
    if is_result_object(results):
        res = open_results(results)
        builder = _Builder(dpi, progress)
        return builder.page(_title(res, None), _subtitle(res, None), builder.sections(res, None, level=2))
    root = Path(results)
    if not root.is_dir():
        raise ResultsError(f"no results directory at {root}")
    experiment = h.read_json(root / "experiment.json")
    if not (root / "manifest.json").is_file():
        parts = sorted(p for p in root.iterdir() if (p / "manifest.json").is_file())
        if not parts:
            raise ResultsError(f"{root} has no manifest.json and no result directories in it: "
                               "not a results directory")
        if experiment is None:
            raise ResultsError(f"{root} has no manifest.json (its subdirectories do: report on one of them)")
        return _multi_report(root, experiment, [load(p) for p in parts], dpi, progress)
    res = load(root)
    if experiment is None and root.parent != root:
        parent = h.read_json(root.parent / "experiment.json")
        if parent is not None and res.kind == "sweep":
            experiment = parent  # one scenario's sweep inside a several-scenario experiment
    builder = _Builder(dpi, progress)
    title = _title(res, experiment)
    body = builder.sections(res, experiment, level=2)
    return builder.page(title, _subtitle(res, experiment), body)


def _multi_report(root: Path, experiment: dict, parts: list[Results], dpi: int,
                  progress: Progress | None = None) -> Report:
    """An experiment that ran one sweep per scenario into ROOT/SCENARIO."""
    builder = _Builder(dpi, progress)
    title = f"Experiment {experiment.get('name', root.name)}"
    body = [_section("Question", _question_html(None, experiment), 2)]
    nav = [("question", "Question")]
    for res in parts:
        key = "part-" + h.anchor(res.path.name)
        inner = builder.sections(res, experiment, level=3, prefix=key + "-", ask=False)
        label = ", ".join(res.scenarios())
        nav.append((key, label))
        body.append(f'<section class="part"><h2 id="{key}">'
                    f"Scenario {h.e(label)} ({h.e(res.kind)} in {h.e(res.path.name)}/)</h2>"
                    + "".join(inner) + "</section>")
    subtitle = f"{len(parts)} result directories in {root}"
    return builder.page(title, subtitle, body, nav)


# ---- the builder -----------------------------------------------------------------------------
class _Builder:
    def __init__(self, dpi: int, progress: Progress | None = None) -> None:
        self.dpi = dpi
        self.figures = 0
        self.notes: list[str] = []
        self.progress = progress or (lambda message: None)

    def page(self, title: str, subtitle: str, body: list[str], nav: list[tuple[str, str]] | None = None) -> Report:
        if nav is None:
            nav = [(h.anchor(t), t) for t in SECTION_TITLES if any(f'id="{h.anchor(t)}"' in b for b in body)]
        links = "".join(f'<a href="#{a}">{h.e(t)}</a>' for a, t in nav)
        notes = ""
        if self.notes:
            notes = ('<div class="notes"><strong>Not everything could be shown:</strong><ul>'
                     + "".join(f"<li>{h.e(n)}</li>" for n in self.notes) + "</ul></div>")
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        doc = (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
               f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
               f"<title>{h.e(title)}</title><style>{h.CSS}</style></head><body><main>"
               f"<header><h1>{h.e(title)}</h1><p class=\"sub\">{h.e(subtitle)}</p>"
               f"<nav>{links}</nav></header>{notes}{''.join(body)}"
               f"<footer>Generated {stamp} by <code>escalation report</code> from the result files "
               f"(docs/RESULTS.md).</footer></main></body></html>\n")
        return Report(doc, title, self.figures, list(self.notes))

    def sections(self, res: Results, experiment: dict | None, level: int, prefix: str = "",
                 ask: bool = True) -> list[str]:
        out = [_section("Question", _question_html(res, experiment), level, prefix)] if ask else []
        out += [_section("Scenarios", _scenarios_html(res), level, prefix),
               _section("Parameters", rp.parameters_html(res, self.notes), level, prefix),
               _section("Summary outcomes", self._summary_html(res, experiment), level, prefix),
               _section("Figures", self._figures_html(res, experiment, level + 1), level, prefix)]
        if res.kind == "sweep":
            out.append(_section("Sensitivity", self._sensitivity_html(res), level, prefix))
        found = rs.discovery_html(res.path, level + 1)
        if found:
            out.append(_section("Scenario discovery", found, level, prefix))
        out.append(_section("How to reproduce", _reproduce_html(res, experiment), level, prefix))
        return out

    # ---- summary ---------------------------------------------------------------------------
    def _summary_html(self, res: Results, experiment: dict | None) -> str:
        try:
            summary = res.summary()
        except (ResultsError, OSError, ValueError) as exc:
            self.notes.append(f"summary: {exc}")
            return f'<p class="missing">No summary table: {h.e(exc)}</p>'
        if "status" in summary:
            failed = int((summary["status"] != "ok").sum())
            summary = summary[summary["status"] == "ok"]
        else:
            failed = 0
        params = {part for p in _swept(res) for part in [p, *p.split("+")]}  # 'a+b' writes a and b too
        outcomes = [c for c in summary.columns if c not in NOT_OUTCOMES and c not in params
                    and (pd.api.types.is_numeric_dtype(summary[c]) or pd.api.types.is_bool_dtype(summary[c]))]
        focus = [o for o in (experiment or {}).get("outcomes") or rp.design_of(res).get("outcomes") or [] if o in outcomes]
        outcomes = focus + [o for o in outcomes if o not in focus]
        parts = []
        if res.kind == "run":
            row = summary.iloc[0]
            rows = [[h.outcome_label(o, focus), h.e(h.fmt(row[o]))] for o in outcomes]
            parts.append("<p>The summary outcomes of this single run (summary.json).</p>")
            parts.append(h.table(["outcome", "value"], rows, escape=False, cls="num"))
        else:
            names = res.scenarios() if res.kind != "sweep" else [None]
            head = ["outcome"] + (["all runs (mean [5%–95%])"] if res.kind == "sweep" else
                                  [f"{n} (mean [5%–95%])" for n in names])
            groups = ([summary] if res.kind == "sweep" else
                      [summary[summary["scenario"].astype(str) == n] for n in names])
            counts = [len(g) for g in groups]
            rows = [[h.outcome_label(o, focus)] + [h.e(h.interval(g[o])) for g in groups] for o in outcomes]
            what = ("over all runs of all design points" if res.kind == "sweep"
                    else "over replications, per scenario")
            parts.append(f"<p>Mean and 90% interval (5th to 95th percentile) of each outcome {what}; "
                         f"runs: {', '.join(map(str, counts))}"
                         f"{f' ({failed} failed run(s) left out)' if failed else ''}. "
                         "For yes/no outcomes the mean is the share of runs."
                         + (" The outcomes asked about come first, in bold." if focus else "")
                         + "</p>")
            parts.append(h.table(head, rows, escape=False, cls="num"))
        comparison = res.path / "comparison.csv"
        if comparison.is_file():
            parts.append(rs.comparison_html(comparison))
        else:
            parts.append(rs.paired_html(res, focus))
        return "".join(parts)

    # ---- figures ---------------------------------------------------------------------------
    def _figures_html(self, res: Results, experiment: dict | None, level: int) -> str:
        plan = _figure_plan(res, experiment)
        out = []
        for i, (title, caption, kind, kwargs) in enumerate(plan, start=1):
            self.progress(f"figure {i} of {len(plan)}: {title}")
            out.append(self._figure(res, title, caption, kind, kwargs, level))
        if not out and not rp.has_daily(res):
            return ('<p class="missing">No figures: this directory has no daily tables '
                    "(it was run with <code>--daily none</code>).</p>")
        return "".join(out) or '<p class="missing">No figure applies to this directory.</p>'

    def _figure(self, res: Results, title: str, caption: str, kind: str, kwargs: dict, level: int) -> str:
        heading = f"<h{level}>{h.e(title)}</h{level}>"
        try:
            fig = make_figure(res, kind, **kwargs)
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=self.dpi)
        except ResultsError as exc:
            self.notes.append(f"{title}: {exc}")
            return f'<figure class="missing">{heading}<p>Not drawn: {h.e(exc)}</p></figure>'
        except Exception as exc:  # a figure bug must not cost the whole report
            self.notes.append(f"{title}: {type(exc).__name__}: {exc}")
            return f'<figure class="missing">{heading}<p>Not drawn ({h.e(type(exc).__name__)}): {h.e(exc)}</p></figure>'
        self.figures += 1
        data = base64.b64encode(buf.getvalue()).decode("ascii")
        return (f'<figure>{heading}<img alt="{h.e(title)}" src="data:image/png;base64,{data}">'
                f"<figcaption>{h.e(caption)}</figcaption></figure>")

    # ---- sensitivity -----------------------------------------------------------------------
    def _sensitivity_html(self, res: Results) -> str:
        try:
            frame = res.sensitivity()
        except ResultsError as exc:
            return f'<p class="missing">{h.e(exc)}</p>'
        warn = sensitivity_checks.warning_lines(frame)
        box = ('<div class="notes"><strong>Too few samples:</strong><ul>'
               + "".join(f"<li>{h.e(w)}</li>" for w in warn) + "</ul></div>") if warn else ""
        return box + rs.sensitivity_table(frame, labels.scenario_content(res.manifest))


# ---- sections --------------------------------------------------------------------------------
def _section(title: str, inner: str, level: int, prefix: str = "") -> str:
    return f'<section><h{level} id="{prefix}{h.anchor(title)}">{h.e(title)}</h{level}>{inner}</section>'


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
        parts.append(f'<p class="question">{h.e(h.clean(experiment.get("question")))}</p>')
        if experiment.get("description"):
            parts.append(f"<p>{h.e(h.clean(experiment['description']))}</p>")
        if experiment.get("outcomes"):
            parts.append(f"<p>Outcomes that answer it: {h.codes(experiment['outcomes'])}.</p>")
    elif res is not None:
        design = rp.design_of(res)
        asked = res.manifest.get("question") or design.get("question")
        per = rs.question_lines(res, rp.scenario_info)
        if asked:
            parts.append(f'<p class="question">{h.e(h.clean(asked))}</p>')
        elif len({q for _, q in per}) == 1:
            parts.append(f'<p class="question">{h.e(per[0][1])}</p>')
        elif per:
            parts.append("".join(f'<p class="question"><strong>{h.e(n)}</strong>: {h.e(q)}</p>' for n, q in per))
        else:
            parts.append('<p class="missing">The manifest records no question for this directory; '
                         "the scenario descriptions below say what was run.</p>")
        if res.kind == "sweep" and design.get("params"):
            parts.append(f"<p>A {h.e(design.get('type', ''))} design over "
                         f"{len(design['params'])} parameter(s): how do they move "
                         f"{h.codes(design.get('outcomes') or ['the summary outcomes'])}?</p>")
    return "".join(parts)


def _scenarios_html(res: Results) -> str:
    rows = []
    for name in res.scenarios():
        info = rp.scenario_info(res, name)
        q = info.get("question")
        rows.append([f"<strong>{h.e(name)}</strong>", h.e(h.clean(info.get("description")) or "—"),
                     h.e(h.clean(q)) if q else '<span class="missing">not recorded in the manifest</span>',
                     f"<code>{h.e(info.get('hash') or '—')}</code>"])
    return h.table(["scenario", "description", "question", "content hash"], rows, escape=False)


def _reproduce_html(res: Results, experiment: dict | None) -> str:
    m = res.manifest
    parts = []
    cmd = m.get("command")
    if cmd:
        parts.append("<p>The command that wrote this directory (from the manifest):</p>"
                     f"<pre><code>{h.e(cmd)}</code></pre>")
    else:
        parts.append('<p class="missing">The manifest records no command.</p>')
    if res.kind == "run":
        parts.append(f"<p>Seed: <code>{h.e(json.dumps(m.get('seed')))}</code>. The same scenario file "
                     f"(content hash <code>{h.e(m.get('scenario_hash', '?'))}</code>) and seed give the same run.</p>")
    else:
        root = m.get("root_seed")
        parts.append(f"<p>Root seed <code>{h.e(json.dumps(root))}</code>, {h.e(m.get('replications', '?'))} "
                     "replication(s) per scenario"
                     + (" and design point" if res.kind == "sweep" else "")
                     + ". Each run draws from <code>numpy.random.SeedSequence(root_seed, spawn_key=KEY)</code> "
                     "with its own spawn key (by default its replication, so replication <em>i</em> has the same "
                     "seed in every scenario: common random numbers).</p>")
        parts.append(_seed_table(res))
    if experiment and experiment.get("resolved_scenarios"):
        parts.append("<p>Scenario files (as resolved when the experiment ran):</p><ul>"
                     + "".join(f"<li><code>{h.e(s)}</code></li>" for s in experiment["resolved_scenarios"]) + "</ul>")
    versions = m.get("versions") or {}
    if versions:
        parts.append("<p>Versions: " + ", ".join(f"{h.e(k)} {h.e(v)}" for k, v in versions.items()) + ".</p>")
    failed = m.get("failed_runs") or []
    if failed:
        parts.append(f'<p class="missing">{len(failed)} run(s) failed; rerun with <code>--resume</code>: '
                     + ", ".join(h.e(str(f.get("run_id"))) for f in failed[:10]) + ("…" if len(failed) > 10 else "")
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
    rows = [[h.e(h.fmt(v)) for v in r] for r in shown.itertuples(index=False)]
    more = (f"<p>… and {len(runs) - MAX_SEED_ROWS} more runs in runs/.</p>" if len(runs) > MAX_SEED_ROWS else "")
    return ("<details><summary>Every run's seed (the experiments table, runs/)</summary>"
            + h.table(cols, rows, escape=False, cls="num") + more + "</details>")


# ---- which figures -----------------------------------------------------------------------------
def _figure_plan(res: Results, experiment: dict | None) -> list[tuple[str, str, str, dict]]:
    names = res.scenarios()
    plan: list[tuple[str, str, str, dict]] = []
    if res.kind == "sweep":
        design = rp.design_of(res)
        outcomes = list((experiment or {}).get("outcomes") or design.get("outcomes") or ["peak_escalation"])
        try:
            summary_cols = set(res.summary().columns)
            outcomes = [o for o in outcomes if o in summary_cols] or ["peak_escalation"]
        except (ResultsError, OSError, ValueError):
            pass
        for o in outcomes[:3]:
            plan.append((f"{h.label(o)} against each swept parameter",
                         "Each run as a dot; median with 50% and 90% bands per level or bin.",
                         "sweep", {"outcome": o}))
        if len(_swept(res)) >= 2:
            plan.append((f"{h.label(outcomes[0])} over the first two swept parameters",
                         "Mean outcome per cell of the two parameters.", "heatmap", {"outcome": outcomes[0]}))
        try:
            sens = res.sensitivity() if any(res.path.rglob("sensitivity.csv")) else None
        except (ResultsError, OSError, ValueError):
            sens = None  # the Sensitivity section says what is wrong with it
        if sens is not None:
            for o in list(dict.fromkeys(sens["outcome"]))[:3]:
                plan.append((f"Sensitivity of {h.label(o)}", "Indices from sensitivity.csv with their confidence intervals.",
                             "sensitivity", {"outcome": o}))
    if rp.has_daily(res):
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


def _swept(res: Results) -> list[str]:
    if res.kind != "sweep":
        return []
    try:
        return res.parameters()
    except ResultsError:
        return [str(p.get("path")) for p in rp.design_of(res).get("params") or []]
