"""Simulated launch days against the record: yearly bars, a monthly fan and a PIT histogram.

The observed values are the caller's: a pandas Series indexed by year (int) or by month
(Timestamp or Period), or a plain array aligned with the simulated periods. The project holds
observations only up to 2019 (`observed_launch_days`, from sim.calibrate.observed, counts them); a
period without an observation simply has no observed bar or dot. The simulated side comes from
the daily tables (`test_day`), per run, so bands are over replications.

    launch_counts(daily, "year"|"month")        periods x runs table of launch days
    plot_launch_years(source, observed=None)    yearly bars: median, 50%/90% bands, observed
    plot_launch_fan(source, observed=None)      monthly fan: median, 50%/90% bands, observed dots
    forecast_fans_figure(tables, observed)      one fan per forecaster, stacked (backtests)
    pit_histogram(samples, observed)            non-randomised PIT for counts (Czado et al. 2009)
    pit_figure(values=None, heights=None)       PIT histogram against the uniform
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.analysis import decor, style
from sim.analysis.results import Results, ResultsError
from sim.calibrate.observed import RECORD, observed_launch_dates, observed_launch_days  # noqa: F401  (re-exported)

Source = Results | str | Path | Any
SIM = style.SCENARIO_COLOURS[0]
OBS = "#000000"
FREQ = {"year": "YS", "month": "MS"}


def launch_counts(daily: pd.DataFrame, period: str = "year") -> pd.DataFrame:
    """Launch days per period (rows) and run (columns) from daily rows with `test_day`."""
    if period not in FREQ:
        raise ResultsError(f"period must be 'year' or 'month', not '{period}'")
    if "test_day" in daily:
        hits = daily["test_day"].astype(bool)
    elif "missiles" in daily:
        hits = daily["missiles"].fillna(0) > 0
    else:
        raise ResultsError("daily has neither test_day nor missiles: launch days cannot be counted")
    key = decor.run_key(daily) if "replication" in daily else None
    frame = pd.DataFrame({"date": pd.to_datetime(daily["date"]), "hit": hits.to_numpy(),
                          "run": daily[key].to_numpy() if key else 0})
    frame["period"] = frame["date"].dt.to_period("Y" if period == "year" else "M").dt.start_time
    table = frame.pivot_table(index="period", columns="run", values="hit", aggfunc="sum", fill_value=0)
    if period == "year":
        table.index = table.index.year
    return table.astype(int)


def _align(observed: Any, index: pd.Index) -> pd.Series | None:
    """Observed values on the simulated periods (NaN where not observed)."""
    if observed is None:
        return None
    if isinstance(observed, pd.Series):
        obs = observed.copy()
        if isinstance(obs.index, pd.PeriodIndex):
            obs.index = obs.index.start_time
        if not isinstance(index, pd.DatetimeIndex) and pd.api.types.is_integer_dtype(pd.Index(index)):  # years
            obs.index = [i.year if isinstance(i, pd.Timestamp) else int(i) for i in obs.index]
        elif not isinstance(index, pd.DatetimeIndex):  # named categories, as given
            pass
        else:
            obs.index = pd.to_datetime(obs.index).to_period("M").start_time
        return obs.reindex(index).astype(float)
    values = np.asarray(observed, dtype=float).ravel()
    if len(values) != len(index):
        raise ResultsError(f"observed has {len(values)} values for {len(index)} simulated periods")
    return pd.Series(values, index=index)


def _counts(source: Source, scenario: str | None, period: str) -> tuple[pd.DataFrame, str, str]:
    res = decor.as_results(source)
    name = res.pick_scenario(scenario)
    cols = [c for c in ("test_day", "missiles") if c in res.daily_columns()]
    daily = res.daily(cols, scenario=name)
    if daily.empty:
        raise ResultsError(f"no daily rows for scenario '{name}'")
    return launch_counts(daily, period), name, decor.runs_label(daily)


def _quantiles(table: pd.DataFrame) -> pd.DataFrame:
    q = np.quantile(table.to_numpy(dtype=float), [0.05, 0.25, 0.5, 0.75, 0.95], axis=1)
    return pd.DataFrame(q.T, index=table.index, columns=["q05", "q25", "q50", "q75", "q95"])


# ---- yearly bars -----------------------------------------------------------------------------
@style.styled
def plot_launch_years(source: Source, observed: Any = None, scenario: str | None = None) -> Figure:
    """Launch days per year: simulated median with 50%/90% bands beside the observed values."""
    table, name, runs = _counts(source, scenario, "year")
    return launch_years_figure(table, observed, f"scenario '{name}', {runs}")


@style.styled
def launch_years_figure(table: pd.DataFrame, observed: Any = None, what: str = "") -> Figure:
    """`table`: years x runs of launch days (launch_counts); `observed`: Series by year or array."""
    return period_bars_figure(table, observed, "Year", "Launch days per year",
                              f"DPRK launch days per year — {what}".rstrip(" —,"))


@style.styled
def launch_season_figure(table: pd.DataFrame, observed: Any = None, what: str = "") -> Figure:
    """`table`: months of the year (1..12) x runs of the share of launch days in that month."""
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return period_bars_figure(table, observed, "Month of the year", "Share of launch days",
                              f"DPRK launch days by month of the year — {what}".rstrip(" —,"), labels=names,
                              fmt="{:.2f}")


@style.styled
def exercise_share_figure(table: pd.DataFrame, observed: Any = None, days: Any = None, what: str = "") -> Figure:
    """`table`: rows "during", "after", "other" x runs of the share of launch days in each window;
    `days`: the share of calendar days each window covers (drawn as ticks: no clustering at all)."""
    fig = period_bars_figure(table, observed, "When, relative to US-ROK exercises", "Share of launch days",
                             f"DPRK launch days around exercises — {what}".rstrip(" —,"),
                             labels=["during an exercise", "within 30 days after", "other days"], fmt="{:.2f}")
    if days is not None:
        ax = fig.axes[0]
        for x, share in enumerate(np.asarray(days, dtype=float)):
            ax.hlines(share, x - 0.42, x + 0.42, color="#333333", lw=1.4, ls=":",
                      label="Share of calendar days" if x == 0 else None)
        fig.legends[0].remove()
        fig.legend(loc="outside lower center", ncol=3, frameon=False)
    return fig


def period_bars_figure(table: pd.DataFrame, observed: Any, xlabel: str, ylabel: str, title: str,
                       labels: list[str] | None = None, fmt: str = "{:.0f}") -> Figure:
    """Simulated median bars with 50%/90% bands per period, beside the observed value where given."""
    q = _quantiles(table)
    obs = _align(observed, q.index)
    has_obs = obs is not None and obs.notna().any()
    x = np.arange(len(q))
    width = 0.38 if has_obs else 0.6
    fig = style.new_figure(max(6.5, 0.75 * len(q) + 2.5), 4.6)
    ax = fig.subplots()
    left = x - width / 2 if has_obs else x
    ax.bar(left, q["q50"], width, color=SIM, alpha=0.55, label="Simulated median")
    ax.vlines(left, q["q05"], q["q95"], color=SIM, lw=1.2, label="Simulated 90% band")
    ax.vlines(left, q["q25"], q["q75"], color=SIM, lw=4.5, label="Simulated 50% band")
    if has_obs:
        ax.bar(x + width / 2, obs.fillna(0), width, color="white", edgecolor=OBS, hatch="///", lw=0.8,
               label="Observed")
        for xi, value in zip(x, obs):
            text = "no data" if pd.isna(value) else fmt.format(value)
            ax.text(xi + width / 2, 0 if pd.isna(value) else value, text, ha="center", va="bottom", fontsize=8,
                    rotation=90 if pd.isna(value) else 0, color="#777777" if pd.isna(value) else OBS)
    ax.set_xticks(x, labels or [str(i) for i in q.index])
    top = max(float(q["q95"].max()), float(obs.max()) if has_obs else 0.0)
    ax.set_ylim(0, max(top, 1.0 if fmt == "{:.0f}" else 0.05) * 1.12)
    ax.set_ylabel(ylabel)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", color="#e5e5e5", lw=0.6)
    ax.set_axisbelow(True)
    ax.set_title(title, loc="left")
    fig.legend(loc="outside lower center", ncol=4, frameon=False)
    return fig


# ---- monthly fan -----------------------------------------------------------------------------
@style.styled
def plot_launch_fan(source: Source, observed: Any = None, scenario: str | None = None) -> Figure:
    """Launch days per month: a fan of median, 50% and 90% bands, with observed months as dots."""
    table, name, runs = _counts(source, scenario, "month")
    return launch_fan_figure(table, observed, f"scenario '{name}', {runs}")


@style.styled
def launch_fan_figure(table: pd.DataFrame, observed: Any = None, what: str = "", origin: Any = None) -> Figure:
    """`table`: months (Timestamps) x runs; `origin`: a date drawn as the forecast origin."""
    fig = style.new_figure(10, 4.4)
    ax = fig.subplots()
    _fan(ax, table, observed, origin)
    ax.set_title(f"DPRK launch days per month — {what}".rstrip(" —,"), loc="left")
    fig.legend(loc="outside lower center", ncol=5, frameon=False)
    return fig


@style.styled
def forecast_fans_figure(tables: dict[str, pd.DataFrame], observed: Any = None, what: str = "",
                         origin: Any = None, history: pd.Series | None = None) -> Figure:
    """One fan per forecaster (`tables`: name -> months x draws) over the same months, stacked,
    so forecasters are compared on one x axis; `history` (observed counts before the origin)
    shows what each was fitted to."""
    if not tables:
        raise ResultsError("no forecast to draw")
    fig = style.new_figure(10, 1.0 + 2.2 * len(tables))
    axes = fig.subplots(len(tables), 1, sharex=True, sharey=True, squeeze=False)[:, 0]
    top = 1.0
    for ax, (name, table) in zip(axes, tables.items()):
        top = max(top, _fan(ax, table, observed, origin, history, mean=True))
        ax.set_title(name, loc="left", fontsize=9)
        ax.set_xlabel("")
    axes[0].set_ylim(-0.04 * top, top * 1.1)  # observed zeros stay visible above the axis line
    axes[-1].set_xlabel("Month")
    fig.suptitle(f"DPRK launch days per month — {what}".rstrip(" —,"), x=0.01, ha="left")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=len(handles), frameon=False)
    return fig


def _fan(ax: Any, table: pd.DataFrame, observed: Any, origin: Any, history: pd.Series | None = None,
         mean: bool = False) -> float:
    """Draw a fan of `table` (months x runs) with observed dots on `ax`; return the y-extent.
    `mean` adds the forecast mean, which says more than a median of small counts (often 0)."""
    q = _quantiles(table)
    obs = _align(observed, q.index)
    x = q.index + pd.Timedelta(days=14)  # mid-month
    ax.fill_between(x, q["q05"], q["q95"], color=SIM, alpha=0.18, lw=0, step="mid", label="90% band")
    ax.fill_between(x, q["q25"], q["q75"], color=SIM, alpha=0.4, lw=0, step="mid", label="50% band")
    ax.plot(x, q["q50"], color=SIM, lw=1.6, drawstyle="steps-mid", label="Median")
    if mean:
        ax.plot(x, table.mean(axis=1), color="#c44e52", lw=1.3, drawstyle="steps-mid", label="Mean")
    top = max(float(q["q95"].max()), 1.0)
    if obs is not None and obs.notna().any():
        seen = obs.dropna()
        ax.scatter(seen.index + pd.Timedelta(days=14), seen, s=18, color=OBS, zorder=4, label="Observed")
        top = max(top, float(seen.max()))
    first = q.index.min()
    if history is not None and len(history):
        past = pd.Series(history).astype(float)
        ax.scatter(pd.DatetimeIndex(past.index) + pd.Timedelta(days=14), past, s=12, color="#9a9a9a", zorder=3,
                   label="Observed (training)")
        top = max(top, float(past.max()))
        first = min(first, pd.Timestamp(past.index.min()))
    if origin is not None:
        ax.axvline(pd.Timestamp(origin), color="#555555", ls="--", lw=1.0, label="Forecast origin")
    ax.set_ylim(0, top * 1.1)
    ax.set_xlim(first, q.index.max() + pd.offsets.MonthBegin(1))
    ax.set_ylabel("Launch days per month")
    style.date_axis(ax)
    return top


# ---- PIT -------------------------------------------------------------------------------------
def pit_histogram(samples: pd.DataFrame, observed: Any, bins: int = 10) -> np.ndarray:
    """Mean non-randomised PIT histogram of count forecasts (Czado, Gneiting & Held 2009): for each
    period with an observation y, the PIT is spread uniformly over [F(y-1), F(y)] of the
    simulated distribution. Returns `bins` densities (1 everywhere for a calibrated forecast)."""
    obs = _align(observed, samples.index)
    edges = np.linspace(0, 1, bins + 1)
    rows = []
    for period, y in obs.dropna().items():
        draws = samples.loc[period].to_numpy(dtype=float)
        lo, hi = float(np.mean(draws < y)), float(np.mean(draws <= y))
        cdf = np.clip((edges - lo) / (hi - lo), 0, 1) if hi > lo else (edges >= hi).astype(float)
        rows.append(np.diff(cdf))
    if not rows:
        raise ResultsError("no period has both a forecast and an observation: no PIT")
    return np.mean(rows, axis=0) * bins


@style.styled
def pit_figure(values: Any = None, *, heights: Any = None, bins: int = 10, n: int | None = None,
               title: str = "PIT histogram") -> Figure:
    """PIT histogram: from PIT `values` in [0, 1], or from bin `heights` (densities, e.g.
    pit_histogram). `n` (the number of forecasts) draws the 90% range a calibrated forecast would
    show by chance."""
    if (values is None) == (heights is None):
        raise ResultsError("give either PIT values or histogram heights")
    if heights is None:
        v = np.asarray(values, dtype=float)
        v = v[np.isfinite(v)]
        heights = np.histogram(v, bins=bins, range=(0, 1))[0] / max(len(v), 1) * bins
        n = n or len(v)
    heights = np.asarray(heights, dtype=float)
    k = len(heights)
    fig = style.new_figure(6.0, 4.2)
    ax = fig.subplots()
    ax.bar((np.arange(k) + 0.5) / k, heights, width=1 / k * 0.95, color=SIM, alpha=0.8, label="PIT")
    handles = [Patch(color=SIM, alpha=0.8, label="PIT (density)"), Line2D([], [], color=OBS, ls="--", label="Calibrated (uniform)")]
    ax.axhline(1, color=OBS, ls="--", lw=1)
    if n:
        from scipy.stats import binom
        lo, hi = binom.ppf([0.05, 0.95], n, 1 / k) / n * k
        ax.axhspan(lo, hi, color="#999999", alpha=0.2, lw=0)
        handles.append(Patch(color="#999999", alpha=0.3, label=f"90% range by chance (n = {n})"))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, max(2.0, float(heights.max()) * 1.15))
    ax.set_xlabel("Probability integral transform")
    ax.set_ylabel("Density")
    ax.set_title(title, loc="left")
    fig.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False)
    return fig
