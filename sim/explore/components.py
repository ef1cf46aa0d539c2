"""The explorer's panels: the escalation curve, the event timeline and the relations network so far.

Each `*_figure(model)` draws a matplotlib Figure of the model as it stands (the days run so
far, on the scenario's whole horizon so the curve grows across a fixed axis); `Panels` lays
them out with a status line and redraws them after every step. The figures use the house
style of the result figures (sim.analysis.style): the same actor colours, ladder ramp and
drill shading.
"""

from __future__ import annotations

import time

import matplotlib as mpl
import networkx as nx
import numpy as np
import pandas as pd
import solara
from mesa.visualization.utils import update_counter
import matplotlib.patheffects as pe
from matplotlib.colors import TwoSlopeNorm
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.analysis import style
from sim.analysis.plots_network import positions
from sim.analysis.plots_time import action_label, action_markers
from sim.model.ladder import LADDER
from sim.run import tables

DPI = 90
TENSION_RANGE = (-1.0, 1.5)  # fixed colour range of tension, so colours compare across days
FAINT = 0.04  # tensions closer to 0 are not drawn
NODE = 950
ALLIANCE_COLOUR = "#0072B2"


# ---- what the model has recorded so far ------------------------------------------------------
def recorded(model) -> pd.DataFrame:
    """model.recorder.daily(), read safely while a step may be running in another thread
    (SolaraViz's "Use Threads"): a step appends its row before it advances the day, and for
    that instant the recorder's arrays disagree, so read again."""
    for _ in range(50):
        try:
            return tables.daily_frame(model).drop(columns="rep")
        except ValueError:
            time.sleep(0.002)
    return tables.daily_frame(model).drop(columns="rep")


def status(model) -> dict:
    """Day, date, index and rung after the last step (day 0: nothing run yet)."""
    start = pd.Timestamp(model.spec.start)
    day = int(model.day)
    out = {"day": day, "days": int(model.n_days), "start": start.date(),
           "end": (start + pd.Timedelta(days=model.n_days - 1)).date(), "index": None, "rung": None, "date": None}
    if day:
        daily = recorded(model)
        last = daily.iloc[-1]
        out.update(index=float(last["escalation_index"]), rung=str(last["ladder_rung"]), date=last["date"].date(),
                   tests=int(daily["test_day"].sum()), missiles=int(daily["missiles"].sum()))
    return out


def status_line(model) -> str:
    s = status(model)
    if not s["day"]:
        return f"Day 0 of {s['days']}: press Step or ▶ to run from {s['start']}."
    return (f"Day {s['day']} of {s['days']} ({s['date']}): escalation index {s['index']:.1f}, "
            f"rung '{s['rung']}'; {s['tests']} test days, {s['missiles']} missiles so far.")


def settings_line(model) -> str:
    changed = getattr(model, "changes", {}) or {}
    seed = f"seed {getattr(model, 'seed', '?')}"
    if not changed:
        return f"Scenario '{getattr(model, 'scenario_name', model.spec.name)}' as written, {seed}."
    parts = ", ".join(f"{k} {_num(old)} → {_num(new)}" for k, (old, new) in changed.items())
    return f"Scenario '{getattr(model, 'scenario_name', model.spec.name)}', {seed}; changed: {parts}."


def _num(x: float) -> str:
    return f"{x:.4g}"


def _dates(model) -> pd.DatetimeIndex:
    return pd.date_range(pd.Timestamp(model.spec.start), periods=model.n_days, freq="D")


def _shade_drills(ax, model, dates: pd.DatetimeIndex) -> bool:
    drill = np.asarray(model.calendars[0].drill[: model.n_days]) > 0
    if not drill.any():
        return False
    edges = np.flatnonzero(np.diff(np.r_[0, drill.astype(int), 0]))
    for a, b in zip(edges[::2], edges[1::2]):
        ax.axvspan(dates[a], dates[b - 1] + pd.Timedelta(days=1), color=style.DRILL_COLOUR,
                   alpha=style.DRILL_ALPHA, lw=0, zorder=0)
    return True


# ---- figures ---------------------------------------------------------------------------------
@style.styled
def curve_figure(model):
    """The escalation index so far on the ladder's rungs, drills shaded, launches marked."""
    dates = _dates(model)
    fig = style.new_figure(8.4, 4.4)
    ax = fig.subplots()
    cmap = mpl.colormaps[style.LADDER_CMAP]
    top = 100.0
    for rung in LADDER:
        colour = cmap(0.08 + 0.8 * rung.level / (len(LADDER) - 1))
        ax.axhspan(rung.lower, rung.upper, color=colour, alpha=0.28, lw=0, zorder=0)
        ax.text(1.005, (rung.lower + rung.upper) / 2 / top, f"{rung.level} {rung.name}", transform=ax.transAxes,
                fontsize=7, va="center", ha="left", color="#444444")
    drills = _shade_drills(ax, model, dates)
    s = status(model)
    handles = [Line2D([], [], color="#222222", lw=1.6, label="Escalation index")]
    if s["day"]:
        daily = recorded(model)
        ax.plot(daily["date"], daily["escalation_index"], color="#222222", lw=1.6, zorder=3)
        last = daily.iloc[-1]
        ax.plot([last["date"]], [last["escalation_index"]], "o", color="#222222", ms=5, zorder=4)
        tests = daily[daily["test_day"]]
        if len(tests):
            ax.scatter(tests["date"], tests["escalation_index"], marker="^", s=28,
                       color=style.actor_colour("DPRK"), zorder=5, edgecolor="white", lw=0.5)
            handles.append(Line2D([], [], marker="^", ls="", color=style.actor_colour("DPRK"), label="DPRK launch"))
    if drills:
        handles.append(Patch(color=style.DRILL_COLOUR, alpha=0.5, label="Drill"))
    ax.set_xlim(dates[0], dates[-1] + pd.Timedelta(days=1))
    ax.set_ylim(0, top)
    ax.set_ylabel("Escalation index (0–100)")
    style.date_axis(ax)
    title = (f"Escalation index — {model.spec.name}, day {s['day']} of {s['days']}"
             + (f" ({s['date']}: {s['index']:.1f}, {s['rung']})" if s["day"] else ""))
    ax.set_title(title, loc="left")
    ax.legend(handles=handles, loc="upper left", frameon=False, ncol=len(handles))
    return fig


@style.styled
def timeline_figure(model):
    """The actions taken so far, a row per actor, marker by action kind."""
    dates = _dates(model)
    names = style.actor_order(list(model.names))
    events = tables.events_frame(model) if model.day else pd.DataFrame(columns=["date", "actor", "action"])
    events = events[events["action"].astype(str) != "wait"]
    fig = style.new_figure(12.0, 1.4 + 0.38 * len(names))
    ax, key = fig.subplots(1, 2, width_ratios=[9.0, 1.6])
    _shade_drills(ax, model, dates)
    rows = {a: len(names) - 1 - i for i, a in enumerate(names)}
    markers = action_markers(list(events["action"].astype(str).unique()))
    for (actor, action), sub in events.groupby([events["actor"].astype(str), events["action"].astype(str)]):
        y = rows.get(actor)
        if y is None:
            continue
        ax.scatter(sub["date"], np.full(len(sub), y), marker=markers[action], s=36,
                   color=style.actor_colour(actor), edgecolor="white" if markers[action] not in "1234+x|_" else None,
                   lw=0.4, zorder=3)
    ax.set_yticks(list(rows.values()), list(rows))
    for tick, actor in zip(ax.get_yticklabels(), rows):
        tick.set_color(style.actor_colour(actor))
        tick.set_fontweight("bold")
    ax.set_ylim(-0.6, len(names) - 0.4)
    ax.set_xlim(dates[0], dates[-1] + pd.Timedelta(days=1))
    ax.grid(axis="y", color="#dddddd", lw=0.6)
    style.date_axis(ax)
    ax.set_title(f"Actions so far by actor ({len(events)} actions; drills shaded)", loc="left")
    key.axis("off")
    handles = [Line2D([], [], marker=m, ls="", color="#555555", label=action_label(a)) for a, m in markers.items()]
    if handles:
        key.legend(handles=handles, loc="upper left", frameon=False, title="Action", fontsize=7)
    return fig


@style.styled
def network_figure(model):
    """The relations network now: arrows coloured by each actor's tension toward the other
    (the house diverging scale, on a fixed range so colours compare across days), alliances
    as broad blue bands whose width is their cohesion, partnerships dotted."""
    g = model.tension_graph()
    names = list(model.names)
    relations = [(a, b, d.get("kind", "none")) for a, b, d in g.edges(data=True)]
    pos = positions(names, relations)
    fig = style.new_figure(5.6, 4.4)
    ax = fig.subplots()
    ax.set_aspect("equal")
    cohesion = {tuple(sorted((model.names[i], model.names[j]))): float(model.world.cohesion[0, k])
                for k, (i, j) in enumerate(model.cast.alliances)}
    for (a, b), c in cohesion.items():
        ax.plot([pos[a][0], pos[b][0]], [pos[a][1], pos[b][1]], color=ALLIANCE_COLOUR, lw=3 + 9 * c,
                alpha=0.22, solid_capstyle="round", zorder=1)
    partners = [(a, b) for a, b, k in relations if k == "partnership" and a < b]
    for a, b in partners:
        ax.plot([pos[a][0], pos[b][0]], [pos[a][1], pos[b][1]], color="#777777", lw=2.5, ls=":", zorder=1)
    norm = TwoSlopeNorm(0.0, *TENSION_RANGE)
    cmap = mpl.colormaps[style.TENSION_CMAP_DIVERGING]
    shown = [(a, b, d["tension"]) for a, b, d in g.edges(data=True) if abs(d.get("tension", 0.0)) >= FAINT]
    if shown:
        nx.draw_networkx_edges(g, pos, ax=ax, edgelist=[(a, b) for a, b, _ in shown],
                               edge_color=[cmap(norm(t)) for _, _, t in shown],
                               width=[1.0 + 2.0 * min(abs(t), 1.5) for _, _, t in shown],
                               arrows=True, arrowstyle="-|>", arrowsize=12, connectionstyle="arc3,rad=0.16",
                               node_size=NODE)
    nx.draw_networkx_nodes(g, pos, ax=ax, nodelist=names, node_size=NODE, linewidths=0,
                           node_color=[style.actor_colour(n) for n in names])
    labels = nx.draw_networkx_labels(g, pos, ax=ax, labels={n: n for n in names}, font_size=8,
                                     font_color="white", font_weight="bold")
    for text in labels.values():
        text.set_path_effects([pe.withStroke(linewidth=1.5, foreground="#333333")])
    fig.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.75,
                 label="Tension of A toward B (arrow A→B)")
    handles = [Line2D([], [], color=ALLIANCE_COLOUR, lw=6, alpha=0.35, label="Alliance (width: cohesion)")]
    if partners:
        handles.append(Line2D([], [], color="#777777", lw=2.5, ls=":", label="Partnership"))
    handles.append(Line2D([], [], color=cmap(0.9), lw=1.5, marker=">", label=f"Tension (|t| < {FAINT} not drawn)"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=3, frameon=False, fontsize=7)
    day = f"day {model.day}" + (f" ({status(model)['date']})" if model.day else " (start)")
    ax.set_title(f"Relations network on {day}", loc="left")
    xs, ys = zip(*pos.values())
    ax.set_xlim(min(xs) - 0.35, max(xs) + 0.35)
    ax.set_ylim(min(ys) - 0.3, max(ys) + 0.3)
    ax.axis("off")
    return fig


# ---- the panels ----------------------------------------------------------------------------------
# Laid out here rather than through SolaraViz's `components` (a draggable grid whose front-end
# library needs Vue 2 and stays blank under the Vue 3 front-end of current ipyvue); the panels
# subscribe to Mesa's update counter, so they redraw after every step, like SolaraViz's own.
@solara.component
def Panels(model):
    """Status, the curve on top, the timeline and the network side by side below."""
    update_counter.get()
    with solara.Column(gap="6px", style={"padding": "8px 16px"}) as main:
        with solara.Card(margin=0):
            solara.Text(status_line(model), classes=["escalation-status"], style={"font-weight": "bold"})
            solara.Text(settings_line(model), classes=["escalation-settings"], style={"display": "block"})
        with solara.Columns([3, 2]):
            with solara.Card(margin=0):
                solara.FigureMatplotlib(curve_figure(model), format="png", dpi=DPI)
            with solara.Card(margin=0):
                solara.FigureMatplotlib(network_figure(model), format="png", dpi=DPI)
        with solara.Card(margin=0):
            solara.FigureMatplotlib(timeline_figure(model), format="png", dpi=DPI)
    return main
