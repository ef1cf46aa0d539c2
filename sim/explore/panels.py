"""The explorer's escalation curve and relations network, drawn live (sim.explore.blit).

The curve's static part is the ladder (rung bands and names), the drills and the axes; after
each day only the line, the launch markers and the day's readout are drawn again. The
network's static part is the title, colour bar and legend; its arrows, alliance bands and
nodes are drawn again only when a tension or a cohesion has moved visibly (by VISIBLE) since
the picture on screen was drawn. Colours follow the result figures (sim.analysis.style).
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.patheffects as pe
import networkx as nx
import numpy as np
from matplotlib.colors import TwoSlopeNorm
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.analysis import style
from sim.analysis.plots_network import positions
from sim.explore.blit import DPI, LivePanel
from sim.model.ladder import LADDER

TENSION_RANGE = (-1.0, 1.5)  # fixed colour range of tension, so colours compare across days
FAINT = 0.04  # tensions closer to 0 are not drawn
VISIBLE = 0.05  # a change of tension or cohesion smaller than this does not redraw the network
NODE = 900
ALLIANCE_COLOUR = "#0072B2"
TOP = 100.0


def new_figure(width: float, height: float):
    fig = style.new_figure(width, height)
    fig.set_dpi(DPI)
    return fig


def shade_drills(ax, trace) -> bool:
    """Shade the days with an allied drill under way; False if the scenario has none."""
    drill = np.asarray(trace.model.calendars[0].drill[: trace.model.n_days]) > 0
    if not drill.any():
        return False
    edges = np.flatnonzero(np.diff(np.r_[0, drill.astype(int), 0]))
    for a, b in zip(edges[::2], edges[1::2]):
        ax.axvspan(trace.x[a], trace.x[b - 1] + 1, color=style.DRILL_COLOUR, alpha=style.DRILL_ALPHA, lw=0, zorder=0)
    return True


def date_axis(ax, trace) -> None:
    ax.xaxis_date()
    ax.set_xlim(trace.x[0], trace.x[-1] + 1)
    style.date_axis(ax, label="")


class CurvePanel(LivePanel):
    """The escalation index so far on the ladder's rungs, drills shaded, DPRK launches marked."""

    def key(self):
        return self.trace.day

    def build(self):
        t = self.trace
        fig = new_figure(6.8, 3.6)
        ax = self.ax = fig.subplots()
        cmap = mpl.colormaps[style.LADDER_CMAP]
        for rung in LADDER:
            ax.axhspan(rung.lower, rung.upper, color=cmap(0.08 + 0.8 * rung.level / (len(LADDER) - 1)), alpha=0.28,
                       lw=0, zorder=0)
            ax.text(1.008, (rung.lower + rung.upper) / 2 / TOP, f"{rung.level} {rung.name}", transform=ax.transAxes,
                    fontsize=8, va="center", ha="left", color="#444444")
        drills = shade_drills(ax, t)
        date_axis(ax, t)
        ax.set_ylim(0, TOP)
        ax.set_ylabel("Escalation index (0–100)")
        ax.set_title("Escalation index", loc="left")
        launch = style.actor_colour("DPRK")
        handles = [Line2D([], [], color="#222222", lw=1.6, label="Escalation index"),
                   Line2D([], [], marker="^", ls="", color=launch, mec="white", mew=0.5, label="DPRK launch")]
        if drills:
            handles.append(Patch(color=style.DRILL_COLOUR, alpha=0.5, label="Drill"))
        ax.legend(handles=handles, loc="upper left", frameon=False, ncol=len(handles), fontsize=8.5)
        self.line, = ax.plot([], [], color="#222222", lw=1.6, zorder=3)
        self.launches, = ax.plot([], [], "^", color=launch, ms=6.5, mec="white", mew=0.5, zorder=5)
        self.now, = ax.plot([], [], "o", color="#222222", ms=5, zorder=4)
        self.readout = ax.text(1.0, 1.012, "", transform=ax.transAxes, ha="right", va="bottom", fontsize=9,
                               color="#222222")
        return fig

    def update(self):
        t = self.trace
        day = t.day
        x, y = t.x[:day], t.series("escalation_index", day)
        self.line.set_data(x, y)
        tests = t.series("test_day", day)
        self.launches.set_data(x[tests], y[tests])
        last = t.last()
        if last:
            self.now.set_data([x[-1]], [y[-1]])
            self.readout.set_text(f"day {day} ({last['date']}): {last['index']:.1f}, {last['rung']}")
        else:
            self.now.set_data([], [])
            self.readout.set_text("day 0: not run yet")
        return [self.line, self.launches, self.now, self.readout]


class NetworkPanel(LivePanel):
    """The relations network now: arrows coloured by each actor's tension toward the other (the
    house diverging scale, on a fixed range so colours compare across days), alliances as broad
    blue bands whose width is their cohesion, partnerships dotted."""

    def __init__(self, trace) -> None:
        super().__init__(trace)
        m = trace.model
        self.names = list(m.names)
        kinds = {frozenset((r.a, r.b)): r.kind for r in m.spec.relations}
        self.relations = [(a, b, kinds.get(frozenset((a, b)), "none")) for a in self.names for b in self.names if a != b]
        self.pos = positions(self.names, self.relations)
        self.norm = TwoSlopeNorm(0.0, *TENSION_RANGE)
        self.cmap = mpl.colormaps[style.TENSION_CMAP_DIVERGING]
        self._shown = None
        self._version = 0

    def state(self) -> np.ndarray:
        """Every tension (off the diagonal) and every cohesion of replication 0, as one vector."""
        w = self.trace.model.world
        n = len(self.names)
        return np.concatenate([w.x[0].reshape(-1)[[i * n + j for i in range(n) for j in range(n) if i != j]],
                               np.asarray(w.cohesion[0], dtype=float)])

    def key(self):
        now = self.state()
        if self._shown is None or np.max(np.abs(now - self._shown), initial=0.0) >= VISIBLE:
            self._shown = now
            self._version += 1
        return self._version

    def build(self):
        fig = new_figure(4.6, 3.6)
        ax = self.ax = fig.subplots()
        ax.set_aspect("equal")
        xs, ys = zip(*self.pos.values())
        ax.set_xlim(min(xs) - 0.35, max(xs) + 0.35)
        ax.set_ylim(min(ys) - 0.3, max(ys) + 0.3)
        ax.axis("off")
        ax.set_title("Relations network", loc="left")
        fig.colorbar(mpl.cm.ScalarMappable(norm=self.norm, cmap=self.cmap), ax=ax, shrink=0.8,
                     label="Tension of A toward B (arrow A→B)")
        partners = [(a, b) for a, b, k in self.relations if k == "partnership" and a < b]
        for a, b in partners:
            ax.plot(*zip(self.pos[a], self.pos[b]), color="#777777", lw=2.5, ls=":", zorder=1)
        handles = [Line2D([], [], color=ALLIANCE_COLOUR, lw=6, alpha=0.35, label="Alliance (width: cohesion)")]
        if partners:
            handles.append(Line2D([], [], color="#777777", lw=2.5, ls=":", label="Partnership"))
        handles.append(Line2D([], [], color=self.cmap(0.9), lw=1.5, marker=">", label=f"Tension (|t| < {FAINT} not drawn)"))
        fig.legend(handles=handles, loc="outside lower center", ncol=2, frameon=False, fontsize=8, columnspacing=1.2)
        self.bands = [ax.plot(*zip(self.pos[self.names[i]], self.pos[self.names[j]]), color=ALLIANCE_COLOUR, alpha=0.22,
                              solid_capstyle="round", zorder=1)[0] for i, j in self.trace.model.cast.alliances]
        g = nx.DiGraph()
        g.add_nodes_from(self.names)
        self.graph = g
        self.nodes = nx.draw_networkx_nodes(g, self.pos, ax=ax, nodelist=self.names, node_size=NODE, linewidths=0,
                                            node_color=[style.actor_colour(n) for n in self.names])
        labels = nx.draw_networkx_labels(g, self.pos, ax=ax, labels={n: n for n in self.names}, font_size=8,
                                         font_color="white", font_weight="bold")
        for text in labels.values():
            text.set_path_effects([pe.withStroke(linewidth=1.5, foreground="#333333")])
        self.labels = list(labels.values())
        self.arrows = []
        return fig

    def update(self):
        w = self.trace.model.world
        for band, c in zip(self.bands, np.asarray(w.cohesion[0], dtype=float)):
            band.set_linewidth(3 + 9 * c)
        for arrow in self.arrows:
            arrow.remove()
        index = {n: i for i, n in enumerate(self.names)}
        shown = [(a, b, float(w.x[0, index[a], index[b]])) for a, b, _ in self.relations]
        shown = [(a, b, t) for a, b, t in shown if abs(t) >= FAINT]
        self.arrows = []
        if shown:
            self.arrows = list(nx.draw_networkx_edges(
                self.graph, self.pos, ax=self.ax, edgelist=[(a, b) for a, b, _ in shown],
                edge_color=[self.cmap(self.norm(t)) for _, _, t in shown],
                width=[1.0 + 2.0 * min(abs(t), 1.5) for _, _, t in shown], arrows=True, arrowstyle="-|>",
                arrowsize=12, connectionstyle="arc3,rad=0.16", node_size=NODE))
        return [*self.bands, *self.arrows, self.nodes, *self.labels]
