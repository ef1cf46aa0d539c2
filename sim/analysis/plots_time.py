"""Figures over time: the escalation curve and the scenario comparison (the event timeline is in
`plots_timeline`).

Each `plot_*` function takes a results directory, an opened `Results` or a result object in
memory, and returns a matplotlib Figure; the `*_figure` functions below them take plain frames.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.analysis import decor, strip, style
from sim.analysis.results import Results, ResultsError

Source = Results | str | Path


# ---- escalation curve --------------------------------------------------------------------
@style.styled
def plot_curve(source: Source, scenario: str | None = None, observed=None) -> Figure:
    """Escalation index of one scenario: median with 50%/90% bands, calendar and ladder rungs.
    `observed`: dates of observed launch days (e.g. the 2010-2019 record), drawn as a rug."""
    res = decor.as_results(source)
    name = res.pick_scenario(scenario)
    columns = ["escalation_index"] + (["test_day"] if "test_day" in res.daily_columns() else [])
    daily = res.daily(columns, scenario=name)
    return curve_figure(daily, res.calendar(name), res.ladder(), name, observed)


@style.styled
def curve_figure(daily: pd.DataFrame, calendar: pd.DataFrame, ladder: pd.DataFrame, scenario: str,
                 observed=None) -> Figure:
    if daily.empty:
        raise ResultsError(f"no daily rows for scenario '{scenario}'")
    n = decor.count_runs(daily)
    bands = decor.quantile_bands(daily)
    first, last = bands.index.min(), bands.index.max()
    cal = decor.clip_calendar(calendar, first, last)
    fig, top, ax = strip.time_axes(cal, first, last, width=10, body=4.3, axes_inches=8.0)
    decor.shade_drills(ax, cal)
    kinds = decor.event_lines(ax, cal)
    decor.ladder_bands(ax, ladder, decor.ladder_top(ladder, float(bands["q95"].max())))
    decor.draw_bands(ax, bands, "#222222", "Median" if n > 1 else "Escalation index", n)
    if n == 1 and "test_day" in daily:
        _mark_launches(ax, daily)
    if observed is not None:
        _observed_rug(ax, observed, first, last)
    ax.set_xlim(first, last)
    ax.set_ylabel("Escalation index (0–100)")
    style.date_axis(ax)
    what = f"{decor.runs_label(daily)}: median with 50% and 90% bands" if n > 1 else "single run"
    (top or ax).set_title(f"Escalation index — scenario '{scenario}' ({what})", loc="left")
    handles = ax.get_legend_handles_labels()[0][::-1] + decor.calendar_handles(cal, kinds)
    fig.legend(handles=handles, loc="outside lower center", ncol=decor.legend_columns(len(handles), most=5),
               frameon=False)
    return decor.finish(fig)


def _mark_launches(ax, daily: pd.DataFrame) -> None:
    """A single run: a triangle on the curve for each DPRK test day (the event that moves it)."""
    hits = daily[daily["test_day"].astype(bool)]
    if len(hits):
        ax.scatter(hits["date"], hits["escalation_index"], marker="^", s=36, zorder=4,
                   color=style.actor_colour("DPRK"), edgecolors="black", linewidths=0.5, label="Simulated DPRK launch day")


def _observed_rug(ax, observed, first: pd.Timestamp, last: pd.Timestamp) -> None:
    """Observed launch days as black ticks along the bottom of the axes."""
    days = pd.to_datetime(pd.Series(np.asarray(observed).ravel())).dt.normalize().drop_duplicates()
    days = days[(days >= first) & (days <= last)]
    ax.plot(days, np.full(len(days), 2.5), ls="", marker="|", ms=9, mew=1.3, color="black", zorder=5,
            label=f"Observed launch day ({len(days)})")


# ---- scenario comparison -----------------------------------------------------------------
@style.styled
def plot_compare(source: Source, scenarios: list[str] | None = None, reference: str | None = None) -> Figure:
    """Median curves with bands of several scenarios, and their paired difference to `reference`."""
    res = decor.as_results(source)
    names = scenarios or res.scenarios()
    if len(names) < 2:
        raise ResultsError(f"a comparison needs at least two scenarios; {res.path} has {', '.join(names)}")
    reference = res.pick_scenario(reference or names[0])
    frames = {s: res.daily(["escalation_index"], scenario=s) for s in names}
    return compare_figure(frames, reference, res.calendar(reference), res.ladder())


def paired_difference(frames: dict[str, pd.DataFrame], scenario: str, reference: str) -> pd.DataFrame:
    """Quantile bands of (scenario - reference) over replications paired by replication index."""
    key = "date"
    a, b = frames[scenario], frames[reference]
    if not set(a["date"]).intersection(b["date"]):
        key = "day"
    merged = a.merge(b, on=[key, "replication"], suffixes=("", "_ref"))
    if merged.empty:
        raise ResultsError(f"scenarios '{scenario}' and '{reference}' share no replication to pair")
    merged["diff"] = merged["escalation_index"] - merged["escalation_index_ref"]
    bands = decor.quantile_bands(merged, "diff", by="date_ref" if key == "day" else "date")
    bands.index.name = "date"
    return bands


@style.styled
def compare_figure(frames: dict[str, pd.DataFrame], reference: str, calendar: pd.DataFrame,
                   ladder: pd.DataFrame) -> Figure:
    colours = style.scenario_colours(frames)
    fig = style.new_figure(10, 6.4)
    ax, dx = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    bands = {s: decor.quantile_bands(f) for s, f in frames.items()}
    ref_idx = bands[reference].index
    cal = decor.clip_calendar(calendar, ref_idx.min(), ref_idx.max())
    for a in (ax, dx):
        decor.shade_drills(a, cal)
    peak = max(float(b["q95"].max()) for b in bands.values())
    decor.ladder_bands(ax, ladder, decor.ladder_top(ladder, peak + 1), fill=False)
    ns = {s: decor.count_runs(f) for s, f in frames.items()}
    for s, b in bands.items():
        decor.draw_bands(ax, b, colours[s], f"{s} (median)", ns[s], band_label=False)
    dx.axhline(0, color=colours[reference], lw=1.0)
    for s in frames:
        if s != reference:
            diff = paired_difference(frames, s, reference)
            decor.draw_bands(dx, diff, colours[s], s, min(ns[s], ns[reference]), band_label=False)
    ax.set_ylabel("Escalation index (0–100)")
    dx.set_ylabel(f"Difference to\n'{reference}' (index points)")
    ax.set_xlim(ref_idx.min(), ref_idx.max())
    style.date_axis(dx)
    least = min(frames.values(), key=decor.count_runs)
    ax.set_title(f"Escalation index by scenario — median, 50% and 90% bands ({decor.runs_label(least)} each)",
                 loc="left")
    dx.set_title(f"Paired difference to '{reference}' (same replication, common random numbers): "
                 "median, 50% and 90% bands", loc="left", fontsize=9)
    handles = [Line2D([], [], color=colours[s], lw=2, label=s) for s in frames]
    handles += decor.calendar_handles(cal[cal["kind"] == "drill"], [], f"Drill (calendar of '{reference}')")
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), frameon=False)
    return decor.finish(fig)


# ---- event timeline (sim.analysis.plots_timeline; names kept here for older imports) -------
from sim.analysis.actions import ACTION_MARKERS, action_label, action_markers  # noqa: E402,F401
from sim.analysis.plots_timeline import plot_timeline, salvo_size, timeline_figure  # noqa: E402,F401
