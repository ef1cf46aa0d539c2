"""Shared drawing pieces: quantile bands, calendar spans and lines, ladder bands, label placement.

Labels that must not overlap (drill names, rung names) are placed after the figure's layout is
fixed: `finish(fig)` runs constrained layout once, then the placement hooks registered by
`calendar_strip` and `ladder_bands`, which measure the rendered text and stagger, shift or drop
labels so that none overlaps another.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.analysis import style
from sim.analysis.memory import open_results
from sim.analysis.results import Results

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
_HOOKS = "_escalation_hooks"


def as_results(source: Results | str | Path | Any) -> Results:
    """A results folder, an opened Results or a result object in memory (see sim.analysis.memory)."""
    return open_results(source)


def run_key(daily: pd.DataFrame) -> str:
    """The column telling runs apart: run_id (a sweep has many runs per replication index)."""
    return "run_id" if "run_id" in daily and daily["run_id"].nunique() >= daily["replication"].nunique() \
        else "replication"


def count_runs(daily: pd.DataFrame) -> int:
    return int(daily[run_key(daily)].nunique())


def runs_label(daily: pd.DataFrame) -> str:
    """'single run', '20 replications' (of one scenario) or '192 runs' (of a sweep)."""
    n = count_runs(daily)
    if n == 1:
        return "single run"
    return f"{n} replications" if n == daily["replication"].nunique() else f"{n} runs"


def quantile_bands(daily: pd.DataFrame, value: str = "escalation_index", by: str = "date") -> pd.DataFrame:
    """Per `by` value: q05, q25, q50, q75, q95 of `value` over runs (replications)."""
    wide = daily.pivot_table(index=by, columns=run_key(daily), values=value, aggfunc="first")
    qs = np.nanquantile(wide.to_numpy(dtype=float), QUANTILES, axis=1)
    return pd.DataFrame(qs.T, index=wide.index, columns=["q05", "q25", "q50", "q75", "q95"])


def draw_bands(ax: Axes, bands: pd.DataFrame, colour: str, label: str, n: int, band_label: bool = True) -> None:
    """Median line with 50% and 90% bands (bands only when there is more than one replication)."""
    x = bands.index
    if n > 1:
        ax.fill_between(x, bands["q05"], bands["q95"], color=colour, alpha=0.15, lw=0,
                        label="90% band" if band_label else None)
        ax.fill_between(x, bands["q25"], bands["q75"], color=colour, alpha=0.35, lw=0,
                        label="50% band" if band_label else None)
    ax.plot(x, bands["q50"], color=colour, lw=1.4, label=label)


def legend_columns(n: int, most: int = 6) -> int:
    """Columns for a legend of n entries: one row if it fits, else rows of even length."""
    rows = -(-n // most)
    return max(1, -(-n // rows))


# ---- post-layout hooks -------------------------------------------------------------------
def on_layout(fig: Figure, hook: Callable[[], None]) -> None:
    if not hasattr(fig, _HOOKS):
        setattr(fig, _HOOKS, [])
    getattr(fig, _HOOKS).append(hook)


def finish(fig: Figure) -> Figure:
    """Fix the layout, then place the labels that depend on it."""
    hooks = getattr(fig, _HOOKS, [])
    if hooks:
        fig.draw_without_rendering()
        fig.set_layout_engine("none")  # freeze: the labels are placed for this layout
        for hook in hooks:
            hook()
        fig.draw_without_rendering()
    return fig


# ---- calendar ----------------------------------------------------------------------------
def clip_calendar(cal: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    return cal[(cal["end"] >= first) & (cal["start"] <= last)].reset_index(drop=True)


def shade_drills(ax: Axes, cal: pd.DataFrame) -> None:
    for row in cal[cal["kind"] == "drill"].itertuples():
        ax.axvspan(row.start, row.end + pd.Timedelta(days=1), color=style.DRILL_COLOUR,
                   alpha=style.DRILL_ALPHA, lw=0, zorder=0)


def event_lines(ax: Axes, cal: pd.DataFrame) -> list[str]:
    """Vertical lines for the dated (non-drill) calendar entries; return the kinds drawn."""
    kinds = style.calendar_kinds(cal)
    for kind, rows in cal[cal["kind"] != "drill"].groupby("kind", sort=False):
        _, colour, ls = kinds[kind]
        for row in rows.itertuples():
            ax.axvline(row.start, color=colour, ls=ls, lw=1.1, alpha=0.85, zorder=1)
    return list(kinds)


def calendar_handles(cal: pd.DataFrame, kinds: list[str], drill_label: str = "Drill (exercise)") -> list:
    handles = []
    if (cal["kind"] == "drill").any():
        handles.append(Patch(color=style.DRILL_COLOUR, alpha=0.5, label=drill_label))
    styles = style.calendar_kinds(cal)
    for kind in kinds:
        label, colour, ls = styles.get(kind, style.calendar_kind_style(kind))
        handles.append(Line2D([], [], color=colour, ls=ls, lw=1.4, label=label))
    return handles


# ---- ladder ------------------------------------------------------------------------------
INDEX_TOP = 100.0  # every figure of the escalation index shows its whole 0-100 scale


def ladder_top(ladder: pd.DataFrame, peak: float | None = None) -> float:
    """The y limit of an escalation-index axis: the top of the scale (0-100), the same in every
    figure so that heights compare across figures; higher only if a rung or the data go above it."""
    uppers = ladder["upper"].to_numpy(dtype=float) if len(ladder) else np.array([INDEX_TOP])
    return float(max(INDEX_TOP, min(uppers.max(), peak if peak is not None else INDEX_TOP)))


def ladder_bands(ax: Axes, ladder: pd.DataFrame, top: float, fill: bool = True) -> None:
    """Light horizontal bands per rung up to `top` (or only their bounds if not `fill`), named at
    the right edge (nudged apart)."""
    colours = style.rung_colours(len(ladder))
    ax.set_ylim(0, top)
    texts = []
    for colour, rung in zip(colours, ladder.itertuples()):
        lo, hi = float(rung.lower), min(float(rung.upper), top)
        if lo >= top:
            continue
        if fill:
            ax.axhspan(lo, hi, color=colour, alpha=0.2, lw=0, zorder=0)
        ax.axhline(lo, color="#999999", lw=0.4, zorder=0)
        mid = (lo + hi) / 2
        texts.append(ax.text(1.01, mid, f"{int(rung.level)} {rung.name}", transform=ax.get_yaxis_transform(),
                             fontsize=7, va="center", ha="left", color="#444444"))
    texts and ax.text(1.01, 1.0, "Ladder rung", transform=ax.transAxes, fontsize=7, va="bottom",
                      ha="left", weight="bold", color="#444444")
    on_layout(ax.figure, lambda: _spread(ax, texts))


def _spread(ax: Axes, texts: list) -> None:
    """Move rung labels apart vertically so that none overlaps its neighbour."""
    if not texts:
        return
    renderer = ax.figure.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    ys = np.array([ax.transData.transform((0, t.get_position()[1]))[1] for t in texts])
    h = max(t.get_window_extent(renderer).height for t in texts) + 1.0
    order = np.argsort(ys)
    placed = ys[order].copy()
    for i in range(1, len(placed)):
        placed[i] = max(placed[i], placed[i - 1] + h)
    overflow = placed[-1] - (box.y1 - h)  # keep the "Ladder rung" header clear
    if overflow > 0:
        placed -= overflow
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - h)
    for idx, y in zip(order, placed):
        texts[idx].set_transform(ax.transAxes)
        texts[idx].set_position((1.01, (y - box.y0) / box.height))
