"""Report sections that compare scenarios and show scenario discovery.

* paired differences: each scenario against the reference (the first), replication i with
  replication i (common random numbers), mean difference with its 95% t-interval;
* what differs, in words ("drills removed: Freedom Shield 23"; "DPRK drill_response 1.4 → 0.8");
* comparison.csv and sensitivity.csv as tables;
* the scenario discovery results `escalation discover` wrote into RESULTS/discovery/.
"""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sim.analysis import html_parts as h
from sim.analysis import labels
from sim.analysis.results import Results, ResultsError

MAIN_OUTCOMES = ("peak_escalation", "mean_escalation", "final_escalation", "test_days", "missiles",
                 "nuclear_tests", "armed_clash", "time_to_first_launch", "sanctions_adopted",
                 "sanctions_vetoed", "summits", "dialogue_episodes")


# ---- paired differences ----------------------------------------------------------------------
def paired_differences(summary: pd.DataFrame, reference: str, scenarios: list[str],
                       outcomes: list[str]) -> pd.DataFrame:
    """One row per (outcome, scenario): n pairs, the two means, the mean paired difference with
    its 95% t-interval, and the share of pairs where the scenario is higher."""
    ok = summary[summary["status"] == "ok"] if "status" in summary else summary
    ref = ok[ok["scenario"].astype(str) == reference].set_index("replication")
    rows = []
    for scen in scenarios:
        other = ok[ok["scenario"].astype(str) == scen].set_index("replication")
        common = ref.index.intersection(other.index)
        for out in outcomes:
            a = pd.to_numeric(ref.loc[common, out].astype("float64"), errors="coerce")
            b = pd.to_numeric(other.loc[common, out].astype("float64"), errors="coerce")
            d = (b - a).dropna()
            rows.append({"outcome": out, "scenario": scen, "n": len(d), "reference_mean": a.mean(),
                         "mean": b.mean(), "diff": d.mean() if len(d) else np.nan, **_interval(d),
                         "share_higher": float((d > 0).mean()) if len(d) else np.nan})
    return pd.DataFrame(rows)


def _interval(d: pd.Series) -> dict[str, float]:
    if len(d) < 2:
        return {"ci_low": np.nan, "ci_high": np.nan}
    sem = d.std(ddof=1) / np.sqrt(len(d))
    if sem == 0:
        return {"ci_low": float(d.mean()), "ci_high": float(d.mean())}
    lo, hi = stats.t.interval(0.95, len(d) - 1, loc=d.mean(), scale=sem)
    return {"ci_low": float(lo), "ci_high": float(hi)}


def paired_html(res: Results, focus: list[str]) -> str:
    """The paired-difference table of a batch of several scenarios ('' if it does not apply)."""
    names = res.scenarios()
    if res.kind != "batch" or len(names) < 2:
        return ""
    try:
        summary = res.summary()
    except (ResultsError, OSError, ValueError):
        return ""
    if "replication" not in summary or "scenario" not in summary:
        return ""
    numeric = [c for c in summary.columns if pd.api.types.is_numeric_dtype(summary[c]) or pd.api.types.is_bool_dtype(summary[c])]
    main = list(dict.fromkeys([o for o in focus if o in numeric] + [o for o in MAIN_OUTCOMES if o in numeric]))
    table = paired_differences(summary, names[0], names[1:], main)
    rows = []
    for r in table.itertuples():
        diff = "–" if np.isnan(r.diff) else f"{h.fmt(r.diff)} [{h.fmt(r.ci_low)}, {h.fmt(r.ci_high)}]"
        clear = not np.isnan(r.ci_low) and (r.ci_low > 0 or r.ci_high < 0)
        rows.append([h.e(r.outcome), h.e(r.scenario), h.e(h.fmt(r.n)), h.e(h.fmt(r.reference_mean)), h.e(h.fmt(r.mean)),
                     f"<strong>{h.e(diff)}</strong>" if clear else h.e(diff),
                     h.e("–" if np.isnan(r.share_higher) else f"{r.share_higher:.0%}")])
    intro = (f"<h4>Paired differences from {h.e(names[0])}</h4><p>Replication <em>i</em> of each scenario "
             f"is paired with replication <em>i</em> of <strong>{h.e(names[0])}</strong> (same seed: common random "
             "numbers), so the difference is the scenario's effect with the run-to-run noise largely cancelled. "
             "Mean difference with its 95% t-interval; in bold where the interval excludes 0. "
             "Yes/no outcomes count as 1/0.</p>")
    return intro + h.table(["outcome", "scenario", "pairs", f"{names[0]} mean", "scenario mean",
                            "difference [95% CI]", "pairs higher"], rows, escape=False, cls="num")


# ---- tables read from files ----------------------------------------------------------------
def comparison_html(path: Path) -> str:
    try:
        table = pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        return f'<p class="missing">comparison.csv unreadable: {h.e(exc)}</p>'
    rows = []
    for r in table.itertuples(index=False):
        diff = "reference" if pd.isna(getattr(r, "reference", np.nan)) else (
            f"{h.fmt(r.diff_mean)} [{h.fmt(r.diff_ci_low)}, {h.fmt(r.diff_ci_high)}]")
        rows.append([h.e(r.outcome), h.e(r.scenario), h.e(h.fmt(r.n)),
                     h.e(f"{h.fmt(r.mean)} [{h.fmt(r.ci_low)}, {h.fmt(r.ci_high)}]"), h.e(diff)])
    ref = next((str(x) for x in table.get("reference", pd.Series(dtype=object)).dropna()), "the first scenario")
    return (f"<h4>Paired comparison (comparison.csv)</h4><p>Mean with its 95% t-interval, and the "
            f"difference from <strong>{h.e(ref)}</strong> paired by replication (common random numbers): "
            "an interval that excludes 0 is an effect the replications resolve.</p>"
            + h.table(["outcome", "scenario", "n", "mean [95% CI]", f"difference from {ref} [95% CI]"],
                     rows, escape=False, cls="num"))


def sensitivity_table(frame: pd.DataFrame, content: dict | None = None) -> str:
    frame = frame.copy()
    frame["shown"] = [(h.fmt(v) + (f" ± {h.fmt(c)}" if pd.notna(c) else "")) if pd.notna(v) else "—"
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
        rows = [[f"{h.e(labels.param_label(p, content))}<br><code>{h.e(p)}</code>"] + [h.e(wide.at[p, i]) if p in wide.index and pd.notna(wide.at[p, i]) else "—"
                                              for i in order] for p in params]
        parts.append(f"<h4>{h.e(outcome)}</h4>" + h.table(["parameter", *order], rows, escape=False, cls="num"))
    return "".join(parts)


# ---- differences in words ----------------------------------------------------------------------
def differences_html(res: Results, names: list[str], contents: dict[str, dict | None]) -> str:
    """Per scenario, what it changes relative to the first, said in words."""
    ref = names[0]
    items = []
    for n in names[1:]:
        if isinstance(contents.get(ref), dict) and isinstance(contents.get(n), dict):
            lines = labels.differences(contents[ref], contents[n])
        else:
            lines = calendar_lines(res, ref, n)
        said = "; ".join(lines) if lines else "nothing but its name (identical contents)"
        items.append(f"<li><strong>{h.e(n)}</strong> against <strong>{h.e(ref)}</strong>: {h.e(said)}</li>")
    return "<p>What each scenario changes:</p><ul>" + "".join(items) + "</ul>" if items else ""


def calendar_lines(res: Results, ref: str, other: str) -> list[str]:
    """Without contents: calendar entries removed or added, from the calendar files."""
    def entries(name: str) -> dict[str, str]:
        cal = res.calendar(name)
        return {str(r.name): str(r.kind) for r in cal.itertuples()}
    a, b = entries(ref), entries(other)
    lines = []
    for verb, names, kinds in (("removed", [n for n in a if n not in b], a), ("added", [n for n in b if n not in a], b)):
        grouped: dict[str, list[str]] = {}
        for n in names:
            grouped.setdefault(kinds[n], []).append(n)
        lines += [f"{k}s {verb}: {', '.join(v)}" for k, v in grouped.items()]
    return lines


# ---- scenario discovery --------------------------------------------------------------------------
def discovery_html(root: Path, level: int) -> str:
    """The section for RESULTS/discovery/ ('' when discovery has not been run)."""
    folder = root / "discovery"
    meta = h.read_json(folder / "discovery.json") if (folder / "discovery.json").is_file() else None
    if meta is None:
        return ""
    try:
        boxes = pd.read_csv(folder / "boxes.csv")
    except (OSError, ValueError) as exc:
        return f'<p class="missing">discovery/boxes.csv unreadable: {h.e(exc)}</p>'
    method = str(meta.get("method", "prim")).upper()
    parts = [f"<p>{h.e(method)} over {h.e(meta.get('runs'))} runs: which combinations of the swept parameters "
             f"give <strong>{h.e(meta.get('rule'))}</strong> ({h.e(meta.get('runs_of_interest'))} runs)? "
             "Coverage: the share of those runs inside the box; density: the share of the box's runs that are of "
             "interest; mass: the share of all runs inside the box.</p>"]
    rows = [[h.e(r.box), h.e(r.description), h.e(f"{r.coverage:.2f}"), h.e(f"{r.density:.2f}"), h.e(f"{r.mass:.2f}")]
            for r in boxes.itertuples()]
    parts.append(h.table(["box", "limits", "coverage", "density", "mass"], rows, escape=False, cls="num"))
    for name, title in (("peeling.png", "Peeling trajectory"), ("box.png", "The chosen box")):
        if (folder / name).is_file():
            data = base64.b64encode((folder / name).read_bytes()).decode("ascii")
            parts.append(f'<figure><h{level}>{h.e(title)}</h{level}><img alt="{h.e(title)}" '
                         f'src="data:image/png;base64,{data}"></figure>')
    parts.append(f"<p>Files in discovery/: {h.e(', '.join(meta.get('files', [])))}; the command: "
                 f"<code>escalation discover RESULTS --outcome {h.e(meta.get('outcome'))} …</code></p>")
    return "".join(parts)


def question_lines(res: Results, scenario_info) -> list[tuple[str, str]]:
    """(scenario, question) for every scenario whose manifest entry records one."""
    out = []
    for name in res.scenarios():
        q = scenario_info(res, name).get("question")
        if q:
            out.append((name, h.clean(q)))
    return out
