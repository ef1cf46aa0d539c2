"""The event timeline: one run's actions, a row per actor, hostile and cooperative acts told apart.

The look of each action comes from `sim.analysis.actions`: filled warm markers for military
pressure, purple for sanctions, grey for ruptures and vetoes, hollow greens and blues for
cooperation. Missile launches are triangles coloured by missile class and sized by salvo. The
legend is grouped by family, one column each.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle

from sim.analysis import decor, style
from sim.analysis.actions import FAMILIES, SIZES, ActionStyle, action_label, action_styles
from sim.analysis.results import Results, ResultsError

Source = Results | str | Path


@style.styled
def plot_timeline(source: Source, scenario: str | None = None, replication: int | None = None) -> Figure:
    """One run's actions: a row per actor, marker by action family, launches by class and salvo."""
    res = decor.as_results(source)
    name = res.pick_scenario(scenario)
    rep = replication if replication is not None else res.first_replication(name)
    events = res.events(scenario=name, replication=rep)
    days = res.daily(["escalation_index"], scenario=name, replication=rep)
    if days.empty:
        raise ResultsError(f"no replication {rep} of scenario '{name}' in {res.path}")
    which = f"replication {rep}" if res.kind != "run" else f"seed {res.manifest.get('seed', '?')}"
    return timeline_figure(events, res.calendar(name), res.actors(), name, which,
                           (days["date"].min(), days["date"].max()))


@style.styled
def timeline_figure(events: pd.DataFrame, calendar: pd.DataFrame, actors: list[str], scenario: str,
                    which: str, span: tuple[pd.Timestamp, pd.Timestamp]) -> Figure:
    """`which` names the run shown, e.g. 'replication 0' or 'seed 1'."""
    events = events[events["action"].astype(str) != "wait"]
    actors = list(actors) + sorted(set(events["actor"]) - set(actors))
    fig = style.new_figure(10, 2.4 + 0.5 * len(actors))
    ax, key = fig.subplots(1, 2, width_ratios=[7, 1])
    decor.shade_drills(ax, decor.clip_calendar(calendar, *span))
    styles = action_styles(events)
    rows = {a: len(actors) - 1 - i for i, a in enumerate(actors)}
    for actor, acts in events.groupby("actor", sort=False):
        kinds = sorted(acts["action"].astype(str).unique(), key=list(styles).index, reverse=True)
        offsets = dict(zip(kinds, np.linspace(-0.24, 0.24, len(kinds)) if len(kinds) > 1 else [0.0]))
        for kind, sub in acts.groupby(acts["action"].astype(str)):
            _scatter(ax, sub, rows[actor] + offsets[kind], styles[kind])
    ax.set_yticks(list(rows.values()), list(rows))
    for tick, actor in zip(ax.get_yticklabels(), rows):
        tick.set_color(style.actor_colour(actor))
        tick.set_fontweight("bold")
    ax.set_ylim(-0.6, len(actors) - 0.25)
    ax.set_xlim(*span)
    ax.grid(axis="y", color="#dddddd", lw=0.6)
    style.date_axis(ax)
    ax.set_title(f"Actions by actor — scenario '{scenario}', {which} "
                 f"({len(events)} actions; drills shaded)", loc="left")
    _family_legend(fig, styles)
    _launch_legends(key, events)
    return fig


def _launches(frame: pd.DataFrame) -> pd.Series:
    cls = frame["missile_class"].fillna("").astype(str)
    return (cls != "") & (cls.str.lower() != "nan") & (cls.str.lower() != "none")


def salvo_size(salvo) -> np.ndarray:
    return 24 + 30 * np.clip(np.asarray(salvo, dtype=float), 1, 12)


def _look(st: ActionStyle) -> dict:
    """Scatter keywords: hollow for cooperation, filled with a white rim otherwise."""
    if not MarkerStyle(st.marker).is_filled():
        return {"color": st.colour, "linewidth": 1.4}
    if st.hollow:
        return {"facecolors": "none", "edgecolors": st.colour, "linewidth": 1.4}
    return {"color": st.colour, "edgecolor": "white", "linewidth": 0.3}


def _scatter(ax, sub: pd.DataFrame, y: float, st: ActionStyle) -> None:
    launch = _launches(sub)
    plain = sub[~launch]
    if len(plain):
        ax.scatter(plain["date"], np.full(len(plain), y), marker=st.marker, s=SIZES.get(st.marker, 34),
                   zorder=3, **_look(st))
    fired = sub[launch]
    if len(fired):
        ax.scatter(fired["date"], np.full(len(fired), y), marker=st.marker, s=salvo_size(fired["salvo"]),
                   c=[style.missile_colour(c) for c in fired["missile_class"]], edgecolor="black",
                   linewidth=0.5, zorder=4)


def _handle(action: str, st: ActionStyle) -> Line2D:
    filled = MarkerStyle(st.marker).is_filled()
    face = "none" if st.hollow or not filled else st.colour
    return Line2D([], [], ls="", marker=st.marker, ms=8 if st.marker in SIZES else 6.5, mfc=face,
                  mec=st.colour, mew=1.4 if st.hollow or not filled else 0.3, label=action_label(action))


def _family_legend(fig: Figure, styles: dict[str, ActionStyle]) -> None:
    """One legend column per family, headed by the family's name (bold)."""
    groups = {f: [(a, s) for a, s in styles.items() if s.family == f] for f in FAMILIES}
    groups = {f: g for f, g in groups.items() if g}
    if not groups:
        return
    depth = max(len(g) for g in groups.values()) + 1
    handles = []
    for family, items in groups.items():
        column = [Line2D([], [], ls="", label=FAMILIES[family])] + [_handle(a, s) for a, s in items]
        column += [Line2D([], [], ls="", label=" ")] * (depth - len(column))
        handles += column
    legend = fig.legend(handles=handles, loc="outside lower center", ncol=len(groups), frameon=False,
                        handletextpad=0.4, columnspacing=1.6)
    for text in legend.get_texts():
        if text.get_text() in FAMILIES.values():
            text.set_fontweight("bold")


def _launch_legends(key, events: pd.DataFrame) -> None:
    key.axis("off")
    launches = events[_launches(events)]
    if launches.empty:
        return
    classes = [c for c in style.MISSILE_COLOURS if c in set(launches["missile_class"])]
    classes += sorted(set(launches["missile_class"]) - set(classes))
    cls = [Line2D([], [], ls="", marker="^", mfc=style.missile_colour(c), mec="black", ms=8, label=c.replace("_", "/"))
           for c in classes]
    first = key.legend(handles=cls, loc="upper left", title="Missile launch\n(class)", frameon=False,
                       bbox_to_anchor=(0, 1))
    key.add_artist(first)
    sizes = sorted({1, int(launches["salvo"].max())} | {2, 4} if launches["salvo"].max() >= 4 else {1, 2, 3})
    sal = [Line2D([], [], ls="", marker="^", mfc="white", mec="black", ms=float(np.sqrt(salvo_size(s))),
                  label=str(s)) for s in sizes]
    key.legend(handles=sal, loc="lower left", title="Salvo (missiles)", frameon=False, bbox_to_anchor=(0, 0),
               labelspacing=1.2)
