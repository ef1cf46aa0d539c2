"""The explorer's event timeline, drawn live: a row per actor, a marker per action so far.

It looks like the result figure (sim.analysis.plots_timeline): the action's family decides
its look (filled warm for military pressure, purple for sanctions, grey for ruptures, hollow
green/blue for cooperation) and launches are coloured by missile class and sized by salvo.
The picture is drawn again only on a day with a new action, and the legend made anew only
when an action kind or missile class appears for the first time.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle

from sim.analysis import style
from sim.analysis.actions import FAMILIES, SIZES, ActionStyle, action_label, action_styles
from sim.analysis.plots_timeline import salvo_size
from sim.explore.blit import LivePanel
from sim.explore.panels import date_axis, new_figure, shade_drills

LAUNCH = "Launch (missile class)"
ROW = 0.155  # inches a legend row takes at 8 pt
SPREAD = 0.24  # the kinds of one actor's actions sit side by side within its row, ±SPREAD apart


class TimelinePanel(LivePanel):
    """The actions so far by actor, marker by action family, launches by class and salvo."""

    def __init__(self, trace) -> None:
        super().__init__(trace)
        self.names = style.actor_order(list(trace.model.names))
        self.rows = {a: len(self.names) - 1 - i for i, a in enumerate(self.names)}
        self.marks = []

    def key(self):
        return (len(self.trace.events()), self.trace.day == 0)

    def build(self):
        fig = new_figure(11.0, 1.3 + 0.36 * len(self.names))
        ax, self.key_ax = fig.subplots(1, 2, width_ratios=[8.0, 2.6])
        self.ax = ax
        shade_drills(ax, self.trace)
        ax.set_yticks(list(self.rows.values()), list(self.rows))
        for tick, actor in zip(ax.get_yticklabels(), self.rows):
            tick.set_color(style.actor_colour(actor))
            tick.set_fontweight("bold")
        ax.set_ylim(-0.6, len(self.names) - 0.4)
        ax.grid(axis="y", color="#dddddd", lw=0.6)
        date_axis(ax, self.trace)
        ax.set_title("Actions so far by actor (drills shaded)", loc="left")
        self.key_ax.axis("off")
        self.count = ax.text(1.0, 1.01, "", transform=ax.transAxes, ha="right", va="bottom", fontsize=9,
                             color="#444444")
        self.legend, self._seen_kinds, self.styles, self.marks = None, None, {}, []
        return fig

    def update(self):
        events = self.trace.events()
        kinds = (tuple(dict.fromkeys(e.action for e in events)),
                 tuple(sorted({e.missile_class for e in events} - {""})))
        if kinds != self._seen_kinds:  # a kind or class seen for the first time: a new legend
            frame = pd.DataFrame({"action": [e.action for e in events], "goldstein": [e.goldstein for e in events]})
            self.styles = action_styles(frame) if len(frame) else {}
            if self.legend is not None:
                self.legend.remove()
            self.legend = _legend(self.key_ax, self.styles, kinds[1], self.fig.get_figheight())
            self._seen_kinds = kinds
        for mark in self.marks:
            mark.remove()
        self.marks = self._marks(events)
        self.count.set_text(f"{len(events)} action{'s' if len(events) != 1 else ''}")
        return [*self.marks, self.count, self.legend]

    def _marks(self, events: list) -> list:
        by_actor: dict[str, list] = {}
        for e in events:
            if e.actor in self.rows:
                by_actor.setdefault(e.actor, []).append(e)
        order, out = list(self.styles), []
        for actor, acts in by_actor.items():
            kinds = sorted({e.action for e in acts}, key=order.index, reverse=True)
            offsets = dict(zip(kinds, np.linspace(-SPREAD, SPREAD, len(kinds)) if len(kinds) > 1 else [0.0]))
            for kind in kinds:
                sub = [e for e in acts if e.action == kind]
                out += self._scatter(sub, self.rows[actor] + offsets[kind], self.styles[kind])
        return out

    def _scatter(self, sub: list, y: float, st: ActionStyle) -> list:
        out = []
        x = self.trace.x
        plain = [e for e in sub if not e.missile_class]
        if plain:
            out.append(self.ax.scatter(x[[e.day for e in plain]], np.full(len(plain), y), marker=st.marker,
                                       s=SIZES.get(st.marker, 34), zorder=3, **_look(st)))
        fired = [e for e in sub if e.missile_class]
        if fired:
            out.append(self.ax.scatter(x[[e.day for e in fired]], np.full(len(fired), y), marker=st.marker,
                                       s=salvo_size([e.salvo for e in fired]), edgecolor="black", linewidth=0.5,
                                       c=[style.missile_colour(e.missile_class) for e in fired], zorder=4))
        return out


def _look(st: ActionStyle) -> dict:
    """Scatter keywords as in the result figure: hollow for cooperation, filled with a white rim otherwise."""
    if not MarkerStyle(st.marker).is_filled():
        return {"color": st.colour, "linewidth": 1.4}
    if st.hollow:
        return {"facecolors": "none", "edgecolors": st.colour, "linewidth": 1.4}
    return {"color": st.colour, "edgecolor": "white", "linewidth": 0.3}


def _handle(action: str, st: ActionStyle) -> Line2D:
    filled = MarkerStyle(st.marker).is_filled()
    face = "none" if st.hollow or not filled else st.colour
    return Line2D([], [], ls="", marker=st.marker, ms=7, mfc=face, mec=st.colour,
                  mew=1.3 if st.hollow or not filled else 0.3, label=action_label(action))


def _legend(key, styles: dict[str, ActionStyle], classes: tuple, height: float):
    """The kinds seen so far under their family's heading, then the missile classes launched
    (in two columns when one would not fit the figure's height)."""
    handles = []
    for family, heading in FAMILIES.items():
        items = [(a, s) for a, s in styles.items() if s.family == family]
        if items:
            handles.append(Line2D([], [], ls="", label=heading.split(" (")[0]))
            handles += [_handle(a, s) for a, s in items]
    if classes:
        handles.append(Line2D([], [], ls="", label=LAUNCH))
        handles += [Line2D([], [], ls="", marker="^", mfc=style.missile_colour(c), mec="black", ms=7,
                           label=c.replace("_", "/")) for c in classes]
    if not handles:
        return key.text(0.0, 1.0, "No action yet", transform=key.transAxes, va="top", fontsize=8.5, color="#666666")
    fits = int((height - 0.45) / ROW)
    legend = key.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, 1.04), frameon=False, fontsize=8,
                        handletextpad=0.3, labelspacing=0.25, borderaxespad=0.0, columnspacing=0.8,
                        ncol=1 if len(handles) <= fits else 2)
    headings = {h.split(" (")[0] for h in FAMILIES.values()} | {LAUNCH}
    for text in legend.get_texts():
        if text.get_text() in headings:
            text.set_fontweight("bold")
    return legend
