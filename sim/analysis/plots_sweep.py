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

from sim.analysis import decor, style
from sim.analysis.results import ID_COLUMNS, Results, ResultsError

Source = Results | str | Path
DISCRETE = 12
DEFAULT_OUTCOME = "peak_escalation"
SOBOL = ("S1", "ST")
MORRIS = ("mu_star", "sigma")


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
    return sweep_figure(table, outcome, params[:6], _design_name(res))


@style.styled
def sweep_figure(table: pd.DataFrame, outcome: str, params: list[str], design: str = "") -> Figure:
    cols = min(len(params), 3)
    rows = -(-len(params) // cols)
    fig = style.new_figure(3.6 * cols + 0.4, 3.0 * rows + 0.7)
    axes = fig.subplots(rows, cols, squeeze=False, sharey=True).ravel()
    for ax, param in zip(axes, params):
        _sweep_panel(ax, table[param], table[outcome])
        ax.set_xlabel(style.pretty_param(param))
    for ax in axes[len(params):]:
        ax.axis("off")
    for ax in axes[::cols]:
        ax.set_ylabel(style.pretty_outcome(outcome))
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
    return heatmap_figure(table, outcome, pair[0], pair[1], _design_name(res))


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


@style.styled
def heatmap_figure(table: pd.DataFrame, outcome: str, px: str, py: str, design: str = "") -> Figure:
    frame = pd.DataFrame({"x": _levels(table[px]), "y": _levels(table[py]), "v": table[outcome].to_numpy()})
    grid = frame.pivot_table(index="y", columns="x", values="v", aggfunc="mean", observed=False)
    fig = style.new_figure(7.5, 5.5)
    ax = fig.subplots()
    image = ax.imshow(grid.to_numpy(dtype=float), origin="lower", aspect="auto", cmap=style.SEQUENTIAL_CMAP)
    ax.set_facecolor("#eeeeee")
    ax.set_xticks(range(grid.shape[1]), [str(c) for c in grid.columns], rotation=30 if grid.shape[1] > 5 else 0,
                  ha="right" if grid.shape[1] > 5 else "center")
    ax.set_yticks(range(grid.shape[0]), [str(c) for c in grid.index])
    if grid.size <= 144:
        _annotate(ax, grid, image)
    ax.set_xlabel(style.pretty_param(px))
    ax.set_ylabel(style.pretty_param(py))
    fig.colorbar(image, ax=ax, label=f"Mean {style.pretty_outcome(outcome)[0].lower()}{style.pretty_outcome(outcome)[1:]}")
    ax.set_title(f"Mean {outcome.replace('_', ' ')} per cell{design} — {len(table)} runs"
                 + ("; grey: no runs" if grid.isna().to_numpy().any() else ""), loc="left")
    return fig


def _annotate(ax: Axes, grid: pd.DataFrame, image) -> None:
    values = grid.to_numpy(dtype=float)
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v):
            r, g, b, _ = image.cmap(image.norm(v))
            dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.5
            ax.text(j, i, f"{v:.1f}" if abs(v) >= 1 else f"{v:.2f}", ha="center", va="center", fontsize=7,
                    color="white" if dark else "black")


# ---- sensitivity indices -----------------------------------------------------------------
@style.styled
def plot_sensitivity(source: Source | pd.DataFrame, outcome: str | None = None) -> Figure:
    """Sobol (S1, ST) and/or Morris (mu*, sigma) indices as horizontal bars with confidence intervals."""
    frame = source if isinstance(source, pd.DataFrame) else decor.as_results(source).sensitivity()
    outcomes = list(dict.fromkeys(frame["outcome"]))
    outcome = outcome or (DEFAULT_OUTCOME if DEFAULT_OUTCOME in outcomes else outcomes[0])
    if outcome not in outcomes:
        raise ResultsError(f"no sensitivity indices for '{outcome}' (outcomes: {', '.join(outcomes)})")
    return sensitivity_figure(frame[frame["outcome"] == outcome], outcome)


@style.styled
def sensitivity_figure(frame: pd.DataFrame, outcome: str) -> Figure:
    methods = [(name, idx) for name, idx in (("Sobol", SOBOL), ("Morris", MORRIS))
               if frame["index"].isin(idx).any()]
    if not methods:
        raise ResultsError(f"no S1/ST or mu_star/sigma indices for '{outcome}' in sensitivity.csv")
    n_params = frame["parameter"].nunique()
    fig = style.new_figure(5.5 * len(methods) + 2.0, 1.6 + 0.5 * n_params)
    axes = np.atleast_1d(fig.subplots(1, len(methods), squeeze=False)).ravel()
    for ax, (name, idx) in zip(axes, methods):
        _index_bars(ax, frame, [i for i in idx if frame["index"].eq(i).any()], name)
    fig.suptitle(f"Sensitivity of {outcome.replace('_', ' ')} to the swept parameters", x=0.02, ha="left")
    return fig


def _conf(frame: pd.DataFrame, param: str, index: str) -> float:
    row = frame[(frame["parameter"] == param) & (frame["index"] == index)]
    alt = frame[(frame["parameter"] == param) & (frame["index"] == f"{index}_conf")]
    conf = float(row["conf"].iat[0]) if len(row) and pd.notna(row["conf"].iat[0]) else np.nan
    return float(alt["value"].iat[0]) if np.isnan(conf) and len(alt) else conf


def _index_bars(ax: Axes, frame: pd.DataFrame, indices: list[str], method: str) -> None:
    wide = frame[frame["index"].isin(indices)].pivot_table(index="parameter", columns="index", values="value")
    wide = wide.sort_values(indices[-1], ascending=True)
    y = np.arange(len(wide))
    height = 0.8 / len(indices)
    labels = {"S1": "first order S1", "ST": "total ST", "mu_star": "μ* (mean |effect|)", "sigma": "σ (interactions)"}
    for k, idx in enumerate(indices):
        conf = [_conf(frame, p, idx) for p in wide.index]
        ax.barh(y - (k - (len(indices) - 1) / 2) * height, wide[idx], height=height * 0.95,
                xerr=None if np.isnan(conf).all() else np.nan_to_num(conf), color=style.SCENARIO_COLOURS[k],
                label=labels.get(idx, idx),
                error_kw={"elinewidth": 0.9, "capsize": 2, "ecolor": "#333333"})
    ax.set_yticks(y, [style.pretty_param(p) for p in wide.index])
    ax.axvline(0, color="#333333", lw=0.6)
    ax.set_xlabel("Sobol index (share of output variance)" if method == "Sobol"
                  else "Elementary effect (outcome units)")
    ax.set_title(f"{method} indices (whiskers: confidence interval)", loc="left", fontsize=9)
    ax.legend(loc="lower right", frameon=False)
