"""Proper scores of monthly launch-day forecasts given as samples (Brandt, Freeman & Schrodt 2014).

    crps(samples, observed)     CRPS of each month's count (scoringrules.crps_ensemble)
    brier(samples, observed)    Brier score of "at least one launch day in the month"
    pit_bounds(samples, obs)    the non-randomised PIT of a count (Czado, Gneiting & Held 2009):
                                uniform on [F(y-1), F(y)]; its histogram is
                                sim.analysis.plots_history.pit_histogram
    score_months(...)           all of them, with the forecast's mean and quantiles, per month

`samples` is (n draws, months), as a Forecaster's `sample` returns; `observed` is (months,).
The CRPS is that of the samples' empirical distribution, E|X - y| - E|X - X'|/2 with both
expectations over the samples (the "energy" form; scoringrules' default quantile-decomposition
estimator computes exactly this in n log n time). Lower is better for both scores.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scoringrules as sr


def _arrays(samples: np.ndarray, observed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(samples, dtype=float)
    y = np.asarray(observed, dtype=float).ravel()
    if x.ndim != 2 or x.shape[1] != len(y):
        raise ValueError(f"samples must be (draws, {len(y)} months), got shape {x.shape}")
    if x.shape[0] < 1:
        raise ValueError("no samples to score")
    return x, y


def crps(samples: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Per-month CRPS of the samples' empirical distribution."""
    x, y = _arrays(samples, observed)
    return np.asarray(sr.crps_ensemble(y, x, m_axis=0, estimator="qd"), dtype=float)


def prob_any(samples: np.ndarray) -> np.ndarray:
    """The forecast probability of at least one launch day, per month."""
    return np.mean(np.asarray(samples) >= 1, axis=0)


def brier(samples: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Per-month Brier score of "at least one launch day" against what happened."""
    x, y = _arrays(samples, observed)
    return np.asarray(sr.brier_score((y >= 1).astype(float), prob_any(x)), dtype=float)


def pit_bounds(samples: np.ndarray, observed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(F(y-1), F(y)) per month: the PIT of a count is uniform between the two."""
    x, y = _arrays(samples, observed)
    return np.mean(x < y, axis=0), np.mean(x <= y, axis=0)


def score_months(samples: np.ndarray, observed: np.ndarray, months: pd.DatetimeIndex) -> pd.DataFrame:
    """One row per forecast month: the observation, the forecast's summary and its scores."""
    x, y = _arrays(samples, observed)
    lo, hi = pit_bounds(x, y)
    q05, q50, q95 = np.quantile(x, [0.05, 0.5, 0.95], axis=0)
    return pd.DataFrame({
        "month": pd.DatetimeIndex(months), "observed": y.astype(int), "mean": x.mean(axis=0),
        "median": q50, "q05": q05, "q95": q95, "p_any": prob_any(x),
        "crps": crps(x, y), "brier": brier(x, y), "pit_lo": lo, "pit_hi": hi,
    })
