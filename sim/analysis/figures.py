"""One entry point for every figure kind: `make_figure(results_dir, kind, ...)` and `save_figure`.

Used by `escalation plot` and by the run writer (escalation.png). Kinds:

    curve        escalation index: median, 50%/90% bands, calendar, ladder rungs
    compare      scenarios' curves and their paired difference to a reference scenario
    timeline     one run's actions by actor (marker by action, launches by class and salvo)
    tension      dyad x time heatmap of tension
    network      relations network at chosen dates (small multiples)
    sweep        outcome against each swept parameter
    heatmap      mean outcome over two swept parameters
    sensitivity  Sobol / Morris indices with confidence intervals
    years        launch days per year: simulated median and bands beside the observed record
    months       launch days per month: a fan (median, 50%/90% bands) with observed months as dots

Where the simulated period overlaps the packaged observed record (2010-2019), `curve`, `years`
and `months` show the observed launch days too (`observed=False` leaves them out).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from sim.analysis import (plots_history, plots_network, plots_sensitivity, plots_sweep, plots_time,
                          plots_timeline)
from sim.analysis.memory import open_results
from sim.analysis.results import Results, ResultsError
from sim.analysis.style import save_figure

KINDS = ("curve", "compare", "timeline", "tension", "network", "sweep", "heatmap", "sensitivity", "years", "months")
__all__ = ["KINDS", "default_kind", "make_figure", "save_figure", "ResultsError"]


def default_kind(res: Results) -> str:
    """curve for a run or a one-scenario batch, compare for several scenarios, sweep for a sweep."""
    if res.kind == "sweep":
        return "sweep"
    return "compare" if len(res.scenarios()) > 1 else "curve"


def make_figure(source: Results | str | Path | Any, kind: str | None = None, *, scenario: str | None = None,
                reference: str | None = None, dates: list[str] | None = None, outcome: str | None = None,
                replication: int | None = None, parameters: list[str] | None = None,
                observed: bool = True) -> Figure:
    """The figure of `kind` for a results directory or a result object in memory; ResultsError if it
    cannot be drawn from it."""
    res = open_results(source)
    kind = kind or default_kind(res)
    if kind not in KINDS:
        raise ResultsError(f"unknown figure kind '{kind}' (choose from {', '.join(KINDS)})")
    out = plots_sweep.DEFAULT_OUTCOME if outcome is None else outcome
    makers: dict[str, Any] = {
        "curve": lambda: plots_time.plot_curve(res, scenario, record(res, scenario, "day") if observed else None),
        "compare": lambda: plots_time.plot_compare(res, reference=reference),
        "timeline": lambda: plots_timeline.plot_timeline(res, scenario, replication),
        "tension": lambda: plots_network.plot_tension(res, scenario),
        "network": lambda: plots_network.plot_network(res, dates, scenario),
        "sweep": lambda: plots_sweep.plot_sweep(res, out, parameters),
        "heatmap": lambda: plots_sweep.plot_sweep_heatmap(res, out, parameters),
        "sensitivity": lambda: plots_sensitivity.plot_sensitivity(res, outcome),
        "years": lambda: plots_history.plot_launch_years(res, record(res, scenario, "year") if observed else None, scenario),
        "months": lambda: plots_history.plot_launch_fan(res, record(res, scenario, "month") if observed else None, scenario),
    }
    return makers[kind]()


def record(res: Results, scenario: str | None, period: str):
    """The observed launch days (dates, or counts per year/month) inside the simulated period,
    or None when the period does not overlap the packaged record."""
    days = res.daily([], scenario=res.pick_scenario(scenario), replication=None)["date"]
    first, last = days.min(), days.max()
    start, end = (pd.Timestamp(d) for d in plots_history.RECORD)
    if pd.isna(first) or last < start or first > end:
        return None
    if period == "day":
        dates = plots_history.observed_launch_dates()
        return dates[(dates >= first) & (dates <= last)]
    counts = plots_history.observed_launch_days(period)
    keys = pd.Index(counts.index)
    inside = (keys >= first.year) & (keys <= last.year) if period == "year" else (keys >= first.to_period("M").start_time) & (keys <= last)
    return counts[inside]
