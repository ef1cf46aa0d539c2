"""Figures of scenario discovery: the peeling trajectory and the chosen box.

* peeling: coverage against density of every box on PRIM's trajectory (CART: of every leaf),
  coloured by the number of restricted parameters, the chosen box ringed.
* box: for each parameter the chosen box restricts, its limits on the parameter's range scaled
  to 0-1 (the real values written at the ends), with coverage, density and mass in the title.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.analysis import labels, style


@style.styled
def peeling_figure(d) -> Figure:
    """Coverage vs density along the trajectory (a `sim.analysis.discovery.Discovery`)."""
    traj = d.trajectory
    fig = style.new_figure(6.8, 5.0)
    ax = fig.subplots()
    dims = traj["res_dim"].astype(int)
    cmap = mpl.colormaps["viridis"].resampled(max(int(dims.max()) + 1, 2))
    norm = mpl.colors.BoundaryNorm(np.arange(-0.5, int(dims.max()) + 1.5), cmap.N)
    for box, part in traj.groupby("box", sort=True):
        if d.method == "prim":
            ax.plot(part["coverage"], part["density"], color="#bbbbbb", lw=0.8, zorder=1)
    points = ax.scatter(traj["coverage"], traj["density"], c=dims, cmap=cmap, norm=norm, s=28, zorder=2,
                        edgecolors="white", linewidths=0.3)
    chosen = traj[traj["chosen"].astype(bool)]
    ax.scatter(chosen["coverage"], chosen["density"], s=150, facecolors="none", edgecolors="#D55E00",
               linewidths=1.8, zorder=3)
    base = d.n_interest / d.n
    ax.axhline(base, color="#777777", ls=":", lw=1)
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("Coverage (share of the runs of interest inside the box)")
    ax.set_ylabel("Density (share of the box's runs of interest)")
    fig.colorbar(points, ax=ax, label="Restricted parameters", ticks=range(int(dims.max()) + 1))
    what = "peeling trajectory" if d.method == "prim" else "tree leaves"
    ax.set_title(f"{d.method.upper()} {what}: {d.rule}\n{d.n_interest} of {d.n} runs of interest", loc="left")
    ring = "Chosen box" if d.method == "prim" else "Leaves reported as boxes (density > 0.5)"
    handles = [Line2D([], [], ls="", marker="o", mfc="none", mec="#D55E00", mew=1.8, ms=11, label=ring),
               Line2D([], [], color="#777777", ls=":", label=f"Share of interest overall ({base:.2f})")]
    fig.legend(handles=handles, loc="outside lower center", ncol=2, frameon=False)
    return fig


@style.styled
def box_figure(d, box: int | None = None) -> Figure:
    """The limits of one box (default: the first) on normalised parameter axes."""
    if d.stats.empty:
        fig = style.new_figure(6.8, 2.0)
        fig.subplots().text(0.5, 0.5, f"No box found for {d.rule}", ha="center", va="center")
        return fig
    box = int(d.stats["box"].iloc[0]) if box is None else box
    stat = d.stats[d.stats["box"] == box].iloc[0]
    lim = d.limits[(d.limits["box"] == box) & d.limits["restricted"]].reset_index(drop=True)
    fig = style.new_figure(7.6, 2.1 + 0.65 * max(len(lim), 1))
    ax = fig.subplots()
    for i, r in enumerate(lim.itertuples()):
        y = len(lim) - 1 - i
        ax.barh(y, 1, color="#eeeeee", height=0.5, zorder=0)
        if r.values:
            ax.text(0.5, y, f"{{{r.values.replace(';', ', ')}}}", ha="center", va="center", fontsize=9)
            continue
        lo, hi = d.bounds[r.parameter]
        span = hi - lo or 1.0
        a, b = (r.lower - lo) / span, (r.upper - lo) / span
        ax.barh(y, b - a, left=a, color=style.SCENARIO_COLOURS[0], height=0.5, zorder=1)
        ax.text(a, y + 0.32, f"{r.lower:.3g}", ha="center", va="bottom", fontsize=8.5)
        ax.text(b, y + 0.32, f"{r.upper:.3g}", ha="center", va="bottom", fontsize=8.5)
        ax.text(0, y - 0.3, f"swept from {lo:.3g}", ha="left", va="top", fontsize=7.5, color="#777777")
        ax.text(1, y - 0.3, f"to {hi:.3g}", ha="right", va="top", fontsize=7.5, color="#777777")
    names = [labels.wrap(labels.param_label(p, d.content), 26) for p in lim["parameter"]]
    ax.set_yticks(range(len(lim)), names[::-1])
    ax.set_xlim(-0.04, 1.04)
    ax.set_ylim(-0.7, max(len(lim), 1) - 0.2)
    ax.set_xlabel("Position in the swept range (0 = lowest value swept, 1 = highest)")
    ax.set_title(f"{d.method.upper()} box {box} for {d.rule}\ncoverage {stat['coverage']:.2f}, "
                 f"density {stat['density']:.2f}, mass {stat['mass']:.2f}", loc="left")
    return fig


def limits_table(d, box: int) -> pd.DataFrame:
    """The restricted limits of one box with readable names (for the report)."""
    lim = d.limits[(d.limits["box"] == box) & d.limits["restricted"]]
    return lim.assign(name=[labels.param_label(p, d.content) for p in lim["parameter"]])
