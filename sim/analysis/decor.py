"""Shared drawing pieces: quantile bands, calendar spans and lines, ladder bands, label placement.

Labels that must not overlap (drill names, rung names) are placed after the figure's layout is
fixed: `finish(fig)` runs constrained layout once, then the placement hooks registered by
`calendar_strip` and `ladder_bands`, which measure the rendered text and stagger, shift or drop
labels so that none overlaps another.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from sim.analysis import style
from sim.analysis.results import Results, load

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
_HOOKS = "_escalation_hooks"


def as_results(source: Results | str | Path) -> Results:
    return source if isinstance(source, Results) else load(source)


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
        for hook in hooks:
            hook()
        fig.draw_without_rendering()
        fig.set_layout_engine("none")  # freeze: labels were placed for this layout
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
    kinds = []
    for kind, rows in cal[cal["kind"] != "drill"].groupby("kind", sort=False):
        label, colour, ls = style.CALENDAR_KINDS.get(kind, (kind, "#777777", ":"))
        for row in rows.itertuples():
            ax.axvline(row.start, color=colour, ls=ls, lw=0.8, alpha=0.75, zorder=1)
        kinds.append(kind)
    return kinds


def calendar_handles(cal: pd.DataFrame, kinds: list[str], drill_label: str = "Drill (exercise)") -> list:
    handles = []
    if (cal["kind"] == "drill").any():
        handles.append(Patch(color=style.DRILL_COLOUR, alpha=0.5, label=drill_label))
    for kind in kinds:
        label, colour, ls = style.CALENDAR_KINDS.get(kind, (kind, "#777777", ":"))
        handles.append(Line2D([], [], color=colour, ls=ls, lw=1.2, label=label))
    return handles


def strip_tiers(cal: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp, axes_inches: float,
                max_tiers: int = 3, fontsize: float = 6.5) -> int:
    """Rows the drill strip needs so that labels need not overlap (an estimate; at most max_tiers)."""
    drills = cal[cal["kind"] == "drill"].sort_values("start")
    days_per_inch = max((last - first).days, 1) / axes_inches
    busy: list[pd.Timestamp] = []
    for row in drills.itertuples():
        width = pd.Timedelta(days=len(str(row.name)) * fontsize * 0.6 / 72 * days_per_inch + 2)
        end = max(row.start + width, row.end)
        tier = next((t for t, b in enumerate(busy) if b < row.start), None)
        if tier is None and len(busy) < max_tiers:
            busy.append(end)
        elif tier is not None:
            busy[tier] = end
    return max(1, len(busy))


def strip_inches(tiers: int) -> float:
    return 0.1 + 0.3 * tiers


def calendar_strip(ax: Axes, cal: pd.DataFrame, tiers: int = 3) -> None:
    """A strip of drill bars with their names, staggered over `tiers` rows; names that would
    overlap in every row are dropped (the bar stays)."""
    ax.set_ylim(0, tiers)
    ax.set_yticks([])
    for side in ("left", "right", "top", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="x", labelbottom=False, length=0)
    ax.set_ylabel("Drills", rotation=0, ha="right", va="center")
    drills = cal[cal["kind"] == "drill"].sort_values("start")
    event_lines(ax, cal)
    on_layout(ax.figure, lambda: _place_drills(ax, drills, tiers))


def _place_drills(ax: Axes, drills: pd.DataFrame, tiers: int) -> None:
    renderer = ax.figure.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    to_px = lambda d: ax.transData.transform((mdates.date2num(pd.Timestamp(d)), 0))[0]  # noqa: E731
    busy = [-np.inf] * tiers
    pad = 4.0
    for row in drills.itertuples():
        x0, x1 = to_px(row.start), to_px(row.end + pd.Timedelta(days=1))
        text = ax.text(row.start, 0, str(row.name), fontsize=6.5, va="center", ha="left", clip_on=True,
                       zorder=3, bbox={"fc": "white", "ec": "none", "pad": 0.6, "alpha": 0.85})
        text.set_in_layout(False)
        width = text.get_window_extent(renderer).width
        lx = min(max(x0, box.x0), box.x1 - width)
        tier = next((t for t in range(tiers) if busy[t] + pad <= min(x0, lx)), None)
        y = lambda t: tiers - 0.5 - t  # noqa: E731
        if tier is None:
            text.remove()
            tier = int(np.argmin(busy))
            busy[tier] = max(busy[tier], x1)
        else:
            text.set_position((ax.transData.inverted().transform((lx, 0))[0], y(tier) - 0.05))
            text.set_va("top")
            busy[tier] = max(x1, lx + width)
        ax.add_patch(_bar(ax, row.start, row.end, y(tier) + 0.3))


def _bar(ax: Axes, start: pd.Timestamp, end: pd.Timestamp, y: float) -> Rectangle:
    x0 = mdates.date2num(start)
    x1 = mdates.date2num(end + pd.Timedelta(days=1))
    return Rectangle((x0, y - 0.12), x1 - x0, 0.24, color=style.DRILL_COLOUR, lw=0, alpha=0.9)


# ---- ladder ------------------------------------------------------------------------------
def ladder_top(ladder: pd.DataFrame, peak: float) -> float:
    """The y limit: the upper bound of the rung that contains `peak` (at least one rung)."""
    uppers = ladder["upper"].to_numpy(dtype=float)
    above = uppers[uppers >= peak]
    return float(above.min()) if above.size else float(uppers.max())


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
