"""Who is hostile to whom: the dyad tension heatmap and the relations network at chosen dates.

For a batch the tension shown is the median over replications of one scenario; for a run it
is the run's own value. Directed dyads are read from the `tension_A->B` columns of daily.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.patheffects as pe
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.colors import Normalize, TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.analysis import decor, strip, style
from sim.analysis.results import Results, ResultsError

Source = Results | str | Path
PREFIX = "tension_"
NODE = 650
FAINT = 0.05  # arrows whose |tension| is below this share of the scale are left out


def tension_columns(columns) -> list[str]:
    return [c for c in columns if c.startswith(PREFIX) and "->" in c]


def dyad(column: str) -> tuple[str, str]:
    a, b = column[len(PREFIX):].split("->", 1)
    return a, b


def median_tension(daily: pd.DataFrame) -> pd.DataFrame:
    """date x tension column: the median over replications."""
    cols = tension_columns(daily.columns)
    if not cols:
        raise ResultsError("daily has no tension_A->B columns")
    return daily.groupby("date")[cols].median()


def tension_norm(values: np.ndarray) -> tuple[Normalize, str]:
    """A diverging norm centred on 0 when tensions go negative (cooperation), else sequential."""
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    if lo < 0 < hi:
        edge = max(-lo, hi)
        return TwoSlopeNorm(0.0, -edge, edge), style.TENSION_CMAP_DIVERGING
    return Normalize(min(lo, 0.0), hi if hi > lo else lo + 1), style.TENSION_CMAP


def _load(source: Source, scenario: str | None) -> tuple[Results, str, pd.DataFrame]:
    res = decor.as_results(source)
    name = res.pick_scenario(scenario)
    cols = tension_columns(res.daily_columns())
    daily = res.daily(["escalation_index", *cols], scenario=name)
    return res, name, daily


def _what(runs: str) -> str:
    return runs if runs == "single run" else f"median of {runs}"


# ---- heatmap -------------------------------------------------------------------------------
@style.styled
def plot_tension(source: Source, scenario: str | None = None) -> Figure:
    """Dyads (rows) x time heatmap of tension, with the drill calendar above."""
    res, name, daily = _load(source, scenario)
    return tension_figure(median_tension(daily), res.calendar(name), res.actors(), name,
                          decor.runs_label(daily))


def order_dyads(columns: list[str], actors: list[str]) -> list[str]:
    rank = {a: i for i, a in enumerate(actors)}
    return sorted(columns, key=lambda c: (rank.get(dyad(c)[0], 99), rank.get(dyad(c)[1], 99), c))


@style.styled
def tension_figure(tension: pd.DataFrame, calendar: pd.DataFrame, actors: list[str], scenario: str,
                   runs: str) -> Figure:
    cols = order_dyads(list(tension.columns), actors)
    values = tension[cols].to_numpy(dtype=float).T
    norm, cmap = tension_norm(values)
    first, last = tension.index.min(), tension.index.max()
    cal = decor.clip_calendar(calendar, first, last)
    cal = cal[cal["kind"] == "drill"]
    body = max(2.0, 0.24 * len(cols))
    fig, top, ax = strip.time_axes(cal, first, last, width=10, body=body, axes_inches=7.0, max_tiers=3)
    x0, x1 = mdates.date2num(first), mdates.date2num(last + pd.Timedelta(days=1))
    image = ax.imshow(values, aspect="auto", cmap=cmap, norm=norm, interpolation="nearest",
                      extent=(x0, x1, len(cols) - 0.5, -0.5))
    ax.set_yticks(range(len(cols)), [f"{a} → {b}" for a, b in map(dyad, cols)])
    for tick, col in zip(ax.get_yticklabels(), cols):
        tick.set_color(style.actor_colour(dyad(col)[0]))
    ax.set_ylabel("Dyad (hostility of A toward B)")
    ax.set_xlim(x0, x1)
    style.date_axis(ax)
    fig.colorbar(image, ax=[a for a in (top, ax) if a is not None], label="Tension (A toward B)",
                 shrink=0.9, pad=0.01)
    (top or ax).set_title(f"Tension by directed dyad — scenario '{scenario}' ({_what(runs)})", loc="left")
    return decor.finish(fig)


# ---- network small multiples ---------------------------------------------------------------
def pick_dates(index: pd.DatetimeIndex, dates: list[str] | None, count: int = 4) -> list[pd.Timestamp]:
    """The requested dates snapped to the nearest simulated day, or `count` evenly spaced ones."""
    index = pd.DatetimeIndex(index).sort_values()
    if not dates:
        pos = np.linspace(0, len(index) - 1, count).round().astype(int)
        return [index[i] for i in dict.fromkeys(pos)]
    out = []
    for text in dates:
        try:
            when = pd.Timestamp(text)
        except ValueError as exc:
            raise ResultsError(f"'{text}' is not a date (use YYYY-MM-DD)") from exc
        if when < index[0] - pd.Timedelta(days=1) or when > index[-1] + pd.Timedelta(days=1):
            raise ResultsError(f"date {when.date()} is outside the simulated period "
                               f"{index[0].date()} – {index[-1].date()}")
        out.append(index[int(np.abs((index - when).days).argmin())])
    return out


@style.styled
def plot_network(source: Source, dates: list[str] | None = None, scenario: str | None = None,
                 layout: str = "map") -> Figure:
    """Small multiples of the relations network at `dates`: edges coloured by tension."""
    res, name, daily = _load(source, scenario)
    tension = median_tension(daily)
    index = daily.groupby("date")["escalation_index"].median()
    return network_figure(tension, index, pick_dates(tension.index, dates), res.actors(),
                          res.relations(), name, decor.runs_label(daily), layout)


# Rough map positions (north up): the reader finds each capital where it is on a map.
MAP = {"Russia": (0.25, 1.0), "China": (-1.3, 0.35), "DPRK": (-0.5, 0.3), "ROK": (-0.3, -0.6),
       "Japan": (0.75, -0.1), "US": (1.25, -0.95)}


def positions(actors: list[str], relations: list[tuple[str, str, str]], layout: str = "map") -> dict:
    """Fixed node positions for every panel: `map` when every actor has a map place, else circular
    (or `spring`, seeded, on the relations graph)."""
    canon = {a: style.canonical_actor(a) for a in actors}
    if layout == "map" and all(c in MAP for c in canon.values()):
        return {a: np.array(MAP[c]) for a, c in canon.items()}
    if layout == "spring":
        graph = nx.Graph()
        graph.add_nodes_from(actors)
        graph.add_edges_from((a, b) for a, b, _ in relations if a in actors and b in actors)
        return nx.spring_layout(graph, seed=7)
    return nx.circular_layout(actors)


@style.styled
def network_figure(tension: pd.DataFrame, index: pd.Series, dates: list[pd.Timestamp], actors: list[str],
                   relations: list[tuple[str, str, str]], scenario: str, runs: str,
                   layout: str = "map") -> Figure:
    actors = list(actors) + sorted({x for c in tension.columns for x in dyad(c)} - set(actors))
    pos = positions(actors, relations, layout)
    norm, cmap_name = tension_norm(tension.loc[dates].to_numpy(dtype=float))
    cmap = mpl.colormaps[cmap_name]
    cols = min(len(dates), 4)
    rows = -(-len(dates) // cols)
    fig = style.new_figure(2.9 * cols + 1.0, 3.0 * rows + 0.9)
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    for ax, when in zip(axes, dates):
        _network_panel(ax, tension.loc[when], pos, relations, norm, cmap)
        ax.set_title(f"{when.date()} (escalation index {index.loc[when]:.0f})", fontsize=9)
    xs, ys = zip(*pos.values())
    for ax in axes:
        ax.set_xlim(min(xs) - 0.35, max(xs) + 0.35)
        ax.set_ylim(min(ys) - 0.3, max(ys) + 0.3)
    for ax in axes[len(dates):]:
        ax.axis("off")
    fig.colorbar(mpl.cm.ScalarMappable(norm, cmap), ax=list(axes), label="Tension (A toward B, arrow A→B)",
                 shrink=0.8)
    fig.suptitle(f"Relations network — scenario '{scenario}' ({_what(runs)})", x=0.02, ha="left")
    kinds = {k for _, _, k in relations}
    handles = [Line2D([], [], color="#555555", lw=3, ls=ls, label=k.title()) for k, ls in
               (("alliance", "--"), ("partnership", ":")) if k in kinds]
    handles += [Line2D([], [], color=cmap(0.85), lw=1.5, marker=">",
                      label=f"Tension A → B (colour; |tension| < {FAINT * norm.vmax:.2g} not drawn)")]
    fig.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False)
    return fig


def _network_panel(ax, row: pd.Series, pos: dict, relations, norm: Normalize, cmap) -> None:
    ax.set_axis_off()
    ax.set_aspect("equal")
    for kind, ls, lw in (("alliance", "--", 3.5), ("partnership", ":", 2.5)):
        edges = [(a, b) for a, b, k in relations if k == kind and a in pos and b in pos]
        nx.draw_networkx_edges(nx.Graph(edges), pos, ax=ax, edgelist=edges, style=ls, width=lw,
                               edge_color="#555555", alpha=0.6)
    graph = nx.DiGraph()
    graph.add_nodes_from(pos)
    shown = [c for c in row.index if all(x in pos for x in dyad(c)) and abs(row[c]) >= FAINT * norm.vmax]
    edges = [dyad(c) for c in shown]
    values = [float(row[c]) for c in shown]
    graph.add_edges_from(edges)
    nx.draw_networkx_edges(graph, pos, ax=ax, edgelist=edges, edge_color=[cmap(norm(v)) for v in values],
                           width=1.8, arrows=True, arrowstyle="-|>", arrowsize=10, node_size=NODE,
                           connectionstyle="arc3,rad=0.18")
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=NODE, linewidths=0,
                           node_color=[style.actor_colour(a) for a in graph.nodes])
    labels = nx.draw_networkx_labels(graph, pos, ax=ax, font_size=7, font_weight="bold", font_color="white")
    for text in labels.values():
        text.set_path_effects([pe.withStroke(linewidth=1.5, foreground="#333333")])
