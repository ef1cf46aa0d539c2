"""Global sensitivity of summary outcomes to swept parameters (SALib Sobol and Morris).

The model is stochastic, so each design point is run R times with common random numbers
(replication i uses the same seed at every point). The analyzers need one number per
point: we use the mean of the outcome over that point's successful replications (a
boolean outcome becomes a probability). Averaging removes most of the run-to-run noise
from the indices; the noise that is left shows up in the bootstrap confidence intervals.
A point with no usable value (all runs failed, or the outcome was NaN in every run, e.g.
`time_to_first_launch` when nothing was launched) makes the outcome unanalysable: its rows
get NaN values and a `note` instead of misleading numbers.

Output is tidy: one row per (parameter, outcome, index) with columns
`parameter, outcome, index, value, conf, note`. Sobol gives S1, ST (with conf) and S2
(parameter `A,B`); Morris gives mu, mu_star (conf = mu_star_conf) and sigma, as SALib's
unscaled elementary effects: the change in the outcome per full LOW..HIGH range of the
parameter, so mu_star is comparable across parameters with different units.
With a stochastic model, replication noise left after averaging shows up in Sobol' ST
(and S2) as apparent interaction; compare ST with S1 and with the conf column.

Indices from too small a sample (S1/ST outside [0, 1] beyond their interval, S1 adding up to
more than 1, intervals wider than the index, a Morris mu* interval below zero) get a `note`
saying so (sim.analysis.sensitivity_checks); `warning_lines(table)` gives the same findings as
one line per outcome for the command line.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze

from sim.analysis.sensitivity_checks import warning_lines, with_notes
from sim.run.designs import MORRIS_LEVELS

__all__ = ["COLUMNS", "METHODS", "analyze", "point_means", "warning_lines"]

COLUMNS = ["parameter", "outcome", "index", "value", "conf", "note"]
METHODS = ("sobol", "morris")


def point_means(design: pd.DataFrame, summary: pd.DataFrame, outcome: str) -> np.ndarray:
    """Mean of `outcome` per design point over successful runs, in design order."""
    if outcome not in summary.columns:
        raise ValueError(f"outcome: unknown '{outcome}' (summary has: {', '.join(map(str, summary.columns))})")
    rows = summary
    if "status" in rows.columns:
        rows = rows[rows["status"] == "ok"]
    values = pd.to_numeric(rows[outcome].astype("float64"), errors="coerce")
    means = values.groupby(rows["design_point"]).mean()
    return means.reindex(design["design_point"]).to_numpy(dtype=float)


def analyze(design: pd.DataFrame, problem: dict[str, Any], summary: pd.DataFrame,
            outcomes: list[str], method: str, seed: int = 0, num_resamples: int = 100) -> pd.DataFrame:
    """Tidy sensitivity table of each outcome to each parameter of `problem`."""
    if method not in METHODS:
        raise ValueError(f"sensitivity: no analysis for the '{method}' design (only {', '.join(METHODS)})")
    frames = []
    for outcome in outcomes:
        y = point_means(design, summary, outcome)
        if np.isnan(y).any():
            note = f"{int(np.isnan(y).sum())} of {len(y)} design points have no value"
            frames.append(_empty(problem, outcome, method, note))
        elif method == "sobol":
            frames.append(_sobol(problem, y, outcome, seed, num_resamples))
        else:
            x = design[problem["names"]].to_numpy(dtype=float)
            frames.append(_morris(problem, x, y, outcome, seed, num_resamples))
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return with_notes(pd.concat(frames, ignore_index=True)[COLUMNS])


def _quiet(fn, *args, **kwargs) -> dict:
    """Run a SALib analyzer without its divide-by-zero chatter for constant outcomes."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return fn(*args, **kwargs)


def _sobol(problem: dict, y: np.ndarray, outcome: str, seed: int, resamples: int) -> pd.DataFrame:
    res = _quiet(sobol_analyze.analyze, problem, y, calc_second_order=True,
                 num_resamples=resamples, seed=seed)
    names = problem["names"]
    note = "outcome is constant across design points" if np.ptp(y) == 0 else ""
    rows = []
    for i, name in enumerate(names):
        rows.append((name, outcome, "S1", res["S1"][i], res["S1_conf"][i], note))
        rows.append((name, outcome, "ST", res["ST"][i], res["ST_conf"][i], note))
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            rows.append((f"{names[i]},{names[j]}", outcome, "S2", res["S2"][i, j], res["S2_conf"][i, j], note))
    return pd.DataFrame(rows, columns=COLUMNS)


def _morris(problem: dict, x: np.ndarray, y: np.ndarray, outcome: str, seed: int, resamples: int) -> pd.DataFrame:
    res = _quiet(morris_analyze.analyze, problem, x, y, num_resamples=resamples,
                 num_levels=MORRIS_LEVELS, seed=seed)
    note = "outcome is constant across design points" if np.ptp(y) == 0 else ""
    rows = []
    for i, name in enumerate(problem["names"]):
        rows.append((name, outcome, "mu", res["mu"][i], np.nan, note))
        rows.append((name, outcome, "mu_star", res["mu_star"][i], res["mu_star_conf"][i], note))
        rows.append((name, outcome, "sigma", res["sigma"][i], np.nan, note))
    return pd.DataFrame(rows, columns=COLUMNS)


def _empty(problem: dict, outcome: str, method: str, note: str) -> pd.DataFrame:
    indices = ("S1", "ST") if method == "sobol" else ("mu", "mu_star", "sigma")
    rows = [(n, outcome, k, np.nan, np.nan, note) for n in problem["names"] for k in indices]
    return pd.DataFrame(rows, columns=COLUMNS)
