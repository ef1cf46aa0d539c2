"""Parameter sweeps: outcome against one parameter, a two-parameter heatmap, and sensitivity bars.

Continuous designs (LHS, Sobol, Morris) are binned on quantiles of the parameter; grids and
explicit value lists (at most `DISCRETE` distinct values) are grouped by value.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from matplotlib.colors import Normalize, TwoSlopeNorm

from sim.analysis import decor, labels, style
from sim.analysis.results import ID_COLUMNS, Results, ResultsError

Source = Results | str | Path
DISCRETE = 12
DEFAULT_OUTCOME = "peak_escalation"
MIN_SPAN = 0.2  # of the outcome's natural scale: the least range the heatmap colours stand for
INDEX_OUTCOMES = ("peak_escalation", "mean_escalation", "final_escalation")


def _table(source: Source, outcome: str) -> tuple[Results, pd.DataFrame, list[str]]:
    res = decor.as_results(source)
    if res.kind != "sweep":
        raise ResultsError(f"{res.path} is a {res.kind}, not a sweep (no design.parquet)")
    table = res.sweep_table()
    if outcome not in table:
        outcomes = [c for c in table.select_dtypes("number").columns
                    if c not in res.parameters() and c not in ID_COLUMNS]
        more = ", ..." if len(outcomes) > 12 else ""
        raise ResultsError(f"no outcome '{outcome}' in the sweep summary (outcomes: {', '.join(outcomes[:12])}{more})")
    return res, table, res.parameters()


def binned(values: pd.Series, outcome: pd.Series, bins: int = 10) -> pd.DataFrame:
    """Quantiles of `outcome` per level (discrete) or quantile bin (continuous) of `values`."""
    frame = pd.DataFrame({"x": values, "y": outcome}).dropna(subset=["y"])
    numeric = pd.api.types.is_numeric_dtype(frame["x"])
    if numeric and frame["x"].nunique() > DISCRETE:
        k = int(max(3, min(bins, len(frame) // 8)))
        frame["key"] = pd.qcut(frame["x"], k, duplicates="drop")
    else:
        frame["key"] = frame["x"]
    grouped = frame.groupby("key", observed=True)
    out = grouped["y"].quantile([0.05, 0.25, 0.5, 0.75, 0.95]).unstack()
    out.columns = ["q05", "q25", "q50", "q75", "q95"]
    out["x"] = grouped["x"].median() if numeric else list(out.index.astype(str))
    out["n"] = grouped.size()
    return out.reset_index(drop=True)


# ---- outcome vs one parameter ----------------------------------------------------------------
@style.styled
def plot_sweep(source: Source, outcome: str = DEFAULT_OUTCOME, parameters: list[str] | None = None) -> Figure:
    """One panel per parameter: runs as dots, median with 50% and 90% bands per level/bin."""
    res, table, params = _table(source, outcome)
    params = parameters or params
    missing = [p for p in params if p not in table]
    if missing:
        raise ResultsError(f"no parameter {', '.join(missing)} in the sweep (parameters: {', '.join(res.parameters())})")
    return sweep_figure(table, outcome, params[:6], _design_name(res), labels.scenario_content(res.manifest))


@style.styled
def sweep_figure(table: pd.DataFrame, outcome: str, params: list[str], design: str = "",
                 content: dict | None = None) -> Figure:
    cols = min(len(params), 3)
    rows = -(-len(params) // cols)
    fig = style.new_figure(3.6 * cols + 0.4, 3.0 * rows + 0.7)
    axes = fig.subplots(rows, cols, squeeze=False, sharey=True).ravel()
    for ax, param in zip(axes, params):
        _sweep_panel(ax, table[param], table[outcome])
        ax.set_xlabel(labels.wrap(labels.param_label(param, content), 34))
    for ax in axes[len(params):]:
        ax.axis("off")
    for ax in axes[::cols]:
        ax.set_ylabel(style.pretty_outcome(outcome))
    if outcome in INDEX_OUTCOMES:
        axes[0].set_ylim(0, 100)  # shared: the whole index scale, as in every other figure
    handles, _ = axes[0].get_legend_handles_labels()
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), frameon=False)
    fig.suptitle(f"{style.pretty_outcome(outcome)} across the sweep{design} — {len(table)} runs",
                 x=0.02, ha="left")
    return fig


def _sweep_panel(ax: Axes, x: pd.Series, y: pd.Series) -> None:
    stats = binned(x, y)
    numeric = pd.api.types.is_numeric_dtype(x)
    xs = stats["x"] if numeric else np.arange(len(stats))
    if numeric:
        ax.scatter(x, y, s=6, color="#999999", alpha=0.45, lw=0, label="run", zorder=1)
    else:
        pos = {v: i for i, v in enumerate(stats["x"])}
        jitter = np.random.default_rng(0).uniform(-0.12, 0.12, len(x))
        ax.scatter(x.astype(str).map(pos) + jitter, y, s=6, color="#999999", alpha=0.45, lw=0, label="run")
        ax.set_xticks(xs, stats["x"])
    ax.fill_between(xs, stats["q05"], stats["q95"], color=style.SCENARIO_COLOURS[0], alpha=0.15, lw=0,
                    label="90% band")
    ax.fill_between(xs, stats["q25"], stats["q75"], color=style.SCENARIO_COLOURS[0], alpha=0.35, lw=0,
                    label="50% band")
    ax.plot(xs, stats["q50"], color=style.SCENARIO_COLOURS[0], marker="o", ms=3, lw=1.5,
            label="median per bin" if numeric and x.nunique() > DISCRETE else "median per level")


def _design_name(res: Results) -> str:
    design = res.manifest.get("design")
    kind = next((design[k] for k in ("type", "kind", "design") if k in design), None) if isinstance(design, dict) else design
    return f" ({kind} design)" if isinstance(kind, str) and kind else ""


# ---- heatmap over two parameters -------------------------------------------------------------
@style.styled
def plot_sweep_heatmap(source: Source, outcome: str = DEFAULT_OUTCOME, parameters: list[str] | None = None) -> Figure:
    """Mean outcome over a grid of two parameters (binned if continuous)."""
    res, table, params = _table(source, outcome)
    pair = (parameters or params)[:2]
    if len(pair) < 2:
        raise ResultsError("a sweep heatmap needs two parameters; this sweep has one")
    return heatmap_figure(table, outcome, pair[0], pair[1], _design_name(res), labels.scenario_content(res.manifest))


def _levels(values: pd.Series, bins: int = 6) -> pd.Series:
    """Values as ordered levels: quantile bins labelled by the range of the values they hold."""
    if pd.api.types.is_numeric_dtype(values) and values.nunique() > DISCRETE:
        codes = pd.qcut(values, bins, labels=False, duplicates="drop")
        spans = values.groupby(codes).agg(["min", "max"])
        span = float(values.max() - values.min()) or 1.0
        digits = int(max(0, 2 - np.floor(np.log10(span))))
        names = [f"{lo:.{digits}f}–{hi:.{digits}f}" for lo, hi in spans.itertuples(index=False)]
        return pd.Categorical.from_codes(codes.astype(int), categories=names, ordered=True)
    return values


def colour_scale(values: np.ndarray, outcome: str) -> tuple[Normalize, str, str]:
    """Norm, colour map and a note for a heatmap. The colours never stretch a small range over the
    whole map: the scale spans at least MIN_SPAN of the outcome's natural scale (20 points of the
    0-100 index; 0.2 of a share; else 20% of the largest magnitude), and it is diverging, centred
    on 0, when the values take both signs (a difference)."""
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    if lo < 0 < hi:
        edge = max(-lo, hi)
        return TwoSlopeNorm(0.0, -edge, edge), "RdBu_r", f"diverging around 0; data {lo:.3g} to {hi:.3g}"
    if outcome in INDEX_OUTCOMES:
        span, floor, ceil = MIN_SPAN * 100, 0.0, 100.0
    elif 0 <= lo and hi <= 1:
        span, floor, ceil = MIN_SPAN, 0.0, 1.0
    else:
        span, floor, ceil = MIN_SPAN * max(abs(lo), abs(hi), 1e-12), (0.0 if lo >= 0 else -np.inf), np.inf
    if hi - lo >= span:
        return Normalize(lo, hi), style.SEQUENTIAL_CMAP, f"colours span the data, {lo:.3g}–{hi:.3g}"
    mid = (lo + hi) / 2
    vmin = max(floor, mid - span / 2)
    vmax = min(ceil, vmin + span)
    vmin = max(floor, vmax - span)
    return (Normalize(vmin, vmax), style.SEQUENTIAL_CMAP,
            f"colours span {vmin:.3g}–{vmax:.3g} (at least {span:.3g}); data only {lo:.3g}–{hi:.3g}")


@style.styled
def heatmap_figure(table: pd.DataFrame, outcome: str, px: str, py: str, design: str = "",
                   content: dict | None = None) -> Figure:
    frame = pd.DataFrame({"x": _levels(table[px]), "y": _levels(table[py]), "v": table[outcome].to_numpy()})
    grid = frame.pivot_table(index="y", columns="x", values="v", aggfunc="mean", observed=False)
    values = grid.to_numpy(dtype=float)
    norm, cmap, note = colour_scale(values, outcome)
    fig = style.new_figure(7.8, 5.9)
    ax = fig.subplots()
    image = ax.imshow(values, origin="lower", aspect="auto", cmap=cmap, norm=norm)
    ax.set_facecolor("#eeeeee")
    ax.set_xticks(range(grid.shape[1]), [str(c) for c in grid.columns], rotation=30 if grid.shape[1] > 5 else 0,
                  ha="right" if grid.shape[1] > 5 else "center")
    ax.set_yticks(range(grid.shape[0]), [str(c) for c in grid.index])
    if grid.size <= 144:
        _annotate(ax, grid, image)
    ax.set_xlabel(labels.wrap(labels.param_label(px, content), 40))
    ax.set_ylabel(labels.wrap(labels.param_label(py, content), 30))
    name = style.pretty_outcome(outcome)
    fig.colorbar(image, ax=ax, label=f"Mean {name[0].lower()}{name[1:]}")
    ax.set_title(f"Mean {outcome.replace('_', ' ')} per cell{design} — {len(table)} runs"
                 + ("; grey: no runs" if grid.isna().to_numpy().any() else "") + f"\n{note}", loc="left")
    return fig


def _annotate(ax: Axes, grid: pd.DataFrame, image) -> None:
    values = grid.to_numpy(dtype=float)
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v):
            r, g, b, _ = image.cmap(image.norm(v))
            dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.5
            ax.text(j, i, f"{v:.1f}" if abs(v) >= 1 else f"{v:.2f}", ha="center", va="center", fontsize=7,
                    color="white" if dark else "black")


# ---- sensitivity indices (sim.analysis.plots_sensitivity; names kept here for older imports) --
from sim.analysis.plots_sensitivity import MORRIS, SOBOL, plot_sensitivity, sensitivity_figure  # noqa: E402,F401
