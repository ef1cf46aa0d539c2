"""Sobol and Morris indices as bars with their intervals, and a warning when they mean little.

Parameters are labelled in words (`sim.analysis.labels`), with the scenario's calendar names
when the manifest records the scenario. When the sample was too small for the indices to be
meaningful (`sim.analysis.sensitivity_checks`), the figure says so above the bars in red.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.analysis import decor, labels, sensitivity_checks, style
from sim.analysis.results import Results, ResultsError

SOBOL = ("S1", "ST")
MORRIS = ("mu_star", "sigma")
DEFAULT_OUTCOME = "peak_escalation"
WARN = "#B2182B"
INDEX_NAMES = {"S1": "first order S1", "ST": "total ST", "mu_star": "μ* (mean |effect|)", "sigma": "σ (interactions)"}


@style.styled
def plot_sensitivity(source: Results | str | Path | pd.DataFrame | Any, outcome: str | None = None) -> Figure:
    """Sobol (S1, ST) and/or Morris (mu*, sigma) indices as horizontal bars with confidence intervals."""
    if isinstance(source, pd.DataFrame):
        frame, content = source, None
    else:
        res = decor.as_results(source)
        frame, content = res.sensitivity(), labels.scenario_content(res.manifest)
    outcomes = list(dict.fromkeys(frame["outcome"]))
    outcome = outcome or (DEFAULT_OUTCOME if DEFAULT_OUTCOME in outcomes else outcomes[0])
    if outcome not in outcomes:
        raise ResultsError(f"no sensitivity indices for '{outcome}' (outcomes: {', '.join(outcomes)})")
    return sensitivity_figure(frame[frame["outcome"] == outcome], outcome, content)


@style.styled
def sensitivity_figure(frame: pd.DataFrame, outcome: str, content: dict | None = None) -> Figure:
    """`content`: the scenario (as the manifest records it), to name calendar entries in labels."""
    methods = [(name, idx) for name, idx in (("Sobol", SOBOL), ("Morris", MORRIS))
               if frame["index"].isin(idx).any()]
    if not methods:
        raise ResultsError(f"no S1/ST or mu_star/sigma indices for '{outcome}' in sensitivity.csv")
    names = {p: labels.param_label(p, content) for p in frame["parameter"].unique()}
    frame = frame.assign(parameter=frame["parameter"].map(names))
    found = sensitivity_checks.sobol_problems(frame) + sensitivity_checks.morris_problems(frame)
    n_params = frame["parameter"].nunique()
    fig = style.new_figure(5.8 * len(methods) + 2.2, 1.9 + 0.55 * n_params + 0.22 * len(found[:4]))
    axes = np.atleast_1d(fig.subplots(1, len(methods), squeeze=False)).ravel()
    for ax, (name, idx) in zip(axes, methods):
        _index_bars(ax, frame, [i for i in idx if frame["index"].eq(i).any()], name, bool(found))
    fig.suptitle(f"Sensitivity of {outcome.replace('_', ' ')} to the swept parameters", x=0.02, ha="left")
    if found:
        shown = found[:4] + ([f"… and {len(found) - 4} more"] if len(found) > 4 else [])
        fig.supxlabel("\n".join([f"⚠ {sensitivity_checks.ADVICE[0].upper()}{sensitivity_checks.ADVICE[1:]}:"] + [f"   {t}" for t in shown]),
                      x=0.02, ha="left", color=WARN, fontsize=9.5)
    return fig


def _conf(frame: pd.DataFrame, param: str, index: str) -> float:
    row = frame[(frame["parameter"] == param) & (frame["index"] == index)]
    alt = frame[(frame["parameter"] == param) & (frame["index"] == f"{index}_conf")]
    conf = float(row["conf"].iat[0]) if len(row) and pd.notna(row["conf"].iat[0]) else np.nan
    return float(alt["value"].iat[0]) if np.isnan(conf) and len(alt) else conf


def _index_bars(ax: Axes, frame: pd.DataFrame, indices: list[str], method: str, doubtful: bool) -> None:
    wide = frame[frame["index"].isin(indices)].pivot_table(index="parameter", columns="index", values="value")
    wide = wide.sort_values(indices[-1], ascending=True)
    y = np.arange(len(wide))
    height = 0.8 / len(indices)
    for k, idx in enumerate(indices):
        conf = [_conf(frame, p, idx) for p in wide.index]
        ax.barh(y - (k - (len(indices) - 1) / 2) * height, wide[idx], height=height * 0.95,
                xerr=None if np.isnan(conf).all() else np.nan_to_num(conf), color=style.SCENARIO_COLOURS[k],
                label=INDEX_NAMES.get(idx, idx), error_kw={"elinewidth": 0.9, "capsize": 2, "ecolor": "#333333"})
    ax.set_yticks(y, [labels.wrap(p, 26) for p in wide.index])
    ax.axvline(0, color="#333333", lw=0.6)
    if method == "Sobol":
        ax.axvline(1, color="#999999", lw=0.6, ls=":")
        ax.set_xlabel("Sobol index (share of output variance, 0–1)" + (" — estimates unreliable" if doubtful else ""))
    else:
        ax.set_xlabel("Elementary effect (outcome units per full parameter range)")
    ax.set_title(f"{method} indices (whiskers: confidence interval)", loc="left", fontsize=10)
    ax.legend(loc="lower right", frameon=False)
