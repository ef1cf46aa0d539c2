"""Figures over time: the escalation curve, the scenario comparison and the event timeline.

Each `plot_*` function takes a results directory (or an opened `Results`) and returns a
matplotlib Figure; the `*_figure` functions below them take plain frames.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle

from sim.analysis import decor, strip, style
from sim.analysis.results import Results, ResultsError

Source = Results | str | Path


# ---- escalation curve --------------------------------------------------------------------
@style.styled
def plot_curve(source: Source, scenario: str | None = None, observed=None) -> Figure:
    """Escalation index of one scenario: median with 50%/90% bands, calendar and ladder rungs.
    `observed`: dates of observed launch days (e.g. the 2010-2019 record), drawn as a rug."""
    res = decor.as_results(source)
    name = res.pick_scenario(scenario)
    columns = ["escalation_index"] + (["test_day"] if "test_day" in res.daily_columns() else [])
    daily = res.daily(columns, scenario=name)
    return curve_figure(daily, res.calendar(name), res.ladder(), name, observed)


@style.styled
def curve_figure(daily: pd.DataFrame, calendar: pd.DataFrame, ladder: pd.DataFrame, scenario: str,
                 observed=None) -> Figure:
    if daily.empty:
        raise ResultsError(f"no daily rows for scenario '{scenario}'")
    n = decor.count_runs(daily)
    bands = decor.quantile_bands(daily)
    first, last = bands.index.min(), bands.index.max()
    cal = decor.clip_calendar(calendar, first, last)
    fig, top, ax = strip.time_axes(cal, first, last, width=10, body=4.3, axes_inches=8.0)
    decor.shade_drills(ax, cal)
    kinds = decor.event_lines(ax, cal)
    decor.ladder_bands(ax, ladder, decor.ladder_top(ladder, float(bands["q95"].max())))
    decor.draw_bands(ax, bands, "#222222", "Median" if n > 1 else "Escalation index", n)
    if n == 1 and "test_day" in daily:
        _mark_launches(ax, daily)
    if observed is not None:
        _observed_rug(ax, observed, first, last)
    ax.set_xlim(first, last)
    ax.set_ylabel("Escalation index (0–100)")
    style.date_axis(ax)
    what = f"{decor.runs_label(daily)}: median with 50% and 90% bands" if n > 1 else "single run"
    (top or ax).set_title(f"Escalation index — scenario '{scenario}' ({what})", loc="left")
    handles = ax.get_legend_handles_labels()[0][::-1] + decor.calendar_handles(cal, kinds)
    fig.legend(handles=handles, loc="outside lower center", ncol=decor.legend_columns(len(handles)), frameon=False)
    return decor.finish(fig)


def _mark_launches(ax, daily: pd.DataFrame) -> None:
    """A single run: a triangle on the curve for each DPRK test day (the event that moves it)."""
    hits = daily[daily["test_day"].astype(bool)]
    if len(hits):
        ax.scatter(hits["date"], hits["escalation_index"], marker="^", s=36, zorder=4,
                   color=style.actor_colour("DPRK"), edgecolors="black", linewidths=0.5, label="DPRK test day")


def _observed_rug(ax, observed, first: pd.Timestamp, last: pd.Timestamp) -> None:
    """Observed launch days as black ticks along the bottom of the axes."""
    days = pd.to_datetime(pd.Series(np.asarray(observed).ravel())).dt.normalize().drop_duplicates()
    days = days[(days >= first) & (days <= last)]
    ax.plot(days, np.full(len(days), 2.5), ls="", marker="|", ms=9, mew=1.3, color="black", zorder=5,
            label=f"Observed launch day ({len(days)})")


# ---- scenario comparison -----------------------------------------------------------------
@style.styled
def plot_compare(source: Source, scenarios: list[str] | None = None, reference: str | None = None) -> Figure:
    """Median curves with bands of several scenarios, and their paired difference to `reference`."""
    res = decor.as_results(source)
    names = scenarios or res.scenarios()
    if len(names) < 2:
        raise ResultsError(f"a comparison needs at least two scenarios; {res.path} has {', '.join(names)}")
    reference = res.pick_scenario(reference or names[0])
    frames = {s: res.daily(["escalation_index"], scenario=s) for s in names}
    return compare_figure(frames, reference, res.calendar(reference), res.ladder())


def paired_difference(frames: dict[str, pd.DataFrame], scenario: str, reference: str) -> pd.DataFrame:
    """Quantile bands of (scenario - reference) over replications paired by replication index."""
    key = "date"
    a, b = frames[scenario], frames[reference]
    if not set(a["date"]).intersection(b["date"]):
        key = "day"
    merged = a.merge(b, on=[key, "replication"], suffixes=("", "_ref"))
    if merged.empty:
        raise ResultsError(f"scenarios '{scenario}' and '{reference}' share no replication to pair")
    merged["diff"] = merged["escalation_index"] - merged["escalation_index_ref"]
    bands = decor.quantile_bands(merged, "diff", by="date_ref" if key == "day" else "date")
    bands.index.name = "date"
    return bands


@style.styled
def compare_figure(frames: dict[str, pd.DataFrame], reference: str, calendar: pd.DataFrame,
                   ladder: pd.DataFrame) -> Figure:
    colours = style.scenario_colours(frames)
    fig = style.new_figure(10, 6.4)
    ax, dx = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    bands = {s: decor.quantile_bands(f) for s, f in frames.items()}
    ref_idx = bands[reference].index
    cal = decor.clip_calendar(calendar, ref_idx.min(), ref_idx.max())
    for a in (ax, dx):
        decor.shade_drills(a, cal)
    peak = max(float(b["q95"].max()) for b in bands.values())
    decor.ladder_bands(ax, ladder, decor.ladder_top(ladder, peak + 1), fill=False)
    ns = {s: decor.count_runs(f) for s, f in frames.items()}
    for s, b in bands.items():
        decor.draw_bands(ax, b, colours[s], f"{s} (median)", ns[s], band_label=False)
    dx.axhline(0, color=colours[reference], lw=1.0)
    for s in frames:
        if s != reference:
            diff = paired_difference(frames, s, reference)
            decor.draw_bands(dx, diff, colours[s], s, min(ns[s], ns[reference]), band_label=False)
    ax.set_ylabel("Escalation index (0–100)")
    dx.set_ylabel(f"Difference to\n'{reference}' (index points)")
    ax.set_xlim(ref_idx.min(), ref_idx.max())
    style.date_axis(dx)
    least = min(frames.values(), key=decor.count_runs)
    ax.set_title(f"Escalation index by scenario — median, 50% and 90% bands ({decor.runs_label(least)} each)",
                 loc="left")
    dx.set_title(f"Paired difference to '{reference}' (same replication, common random numbers): "
                 "median, 50% and 90% bands", loc="left", fontsize=9)
    handles = [Line2D([], [], color=colours[s], lw=2, label=s) for s in frames]
    handles += decor.calendar_handles(cal[cal["kind"] == "drill"], [], f"Drill (calendar of '{reference}')")
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), frameon=False)
    return decor.finish(fig)


# ---- event timeline ----------------------------------------------------------------------
# Escalatory moves point up or are angular, cooperative ones point down/sideways.
ACTION_MARKERS = {"missile_test": "^", "nuclear_test": "*", "armed_clash": "X", "threat": "o",
                  "show_of_force": "D", "joint_drill": "s", "trilateral_drill": "h", "readiness": "p",
                  "unilateral_sanctions": "P", "un_sanctions_adopted": "d", "military_cooperation": "2",
                  "summit": "8", "dialogue_offer": "v", "dialogue_accept": "<", "talks": ">",
                  "un_sanctions_propose": "+", "un_sanctions_vetoed": "1", "veto": "x", "walk_out": "|"}
ACTION_LABELS = {"un_sanctions_propose": "UN sanctions proposed", "un_sanctions_adopted": "UN sanctions adopted",
                 "un_sanctions_vetoed": "UN sanctions vetoed", "joint_drill": "joint drill",
                 "trilateral_drill": "trilateral drill", "walk_out": "walk-out"}
SPARE_MARKERS = ("1", "2", "3", "4", "_")
BIG_MARKERS = {"*": 90, "X": 50, "x": 40, "|": 50, "+": 45, "1": 55, "2": 55}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action.replace("_", " "))


def action_markers(actions: list[str]) -> dict[str, str]:
    """A marker per action kind: a fixed one for known kinds, spare shapes for the rest."""
    out = {a: m for a, m in ACTION_MARKERS.items() if a in set(actions)}  # in the table's order
    spare = [m for m in SPARE_MARKERS if m not in out.values()] or list(SPARE_MARKERS)
    for i, a in enumerate(sorted(a for a in actions if a not in out)):
        out[a] = spare[i % len(spare)]
    return out


@style.styled
def plot_timeline(source: Source, scenario: str | None = None, replication: int | None = None) -> Figure:
    """One run's actions: a row per actor, marker shape by action, launches by class and salvo."""
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
    fig = style.new_figure(10, 1.6 + 0.5 * len(actors))
    ax, key = fig.subplots(1, 2, width_ratios=[7, 1])
    decor.shade_drills(ax, decor.clip_calendar(calendar, *span))
    markers = action_markers(list(events["action"].astype(str).unique()))
    rows = {a: len(actors) - 1 - i for i, a in enumerate(actors)}
    for actor, acts in events.groupby("actor", sort=False):
        kinds = sorted(acts["action"].astype(str).unique(), key=list(markers).index, reverse=True)
        offsets = dict(zip(kinds, np.linspace(-0.22, 0.22, len(kinds)) if len(kinds) > 1 else [0.0]))
        for kind, sub in acts.groupby(acts["action"].astype(str)):
            _scatter(ax, sub, rows[actor] + offsets[kind], markers[kind], style.actor_colour(actor))
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
    _timeline_legends(fig, key, events, markers)
    return fig


def _launches(frame: pd.DataFrame) -> pd.Series:
    cls = frame["missile_class"].fillna("").astype(str)
    return (cls != "") & (cls.str.lower() != "nan") & (cls.str.lower() != "none")


def salvo_size(salvo) -> np.ndarray:
    return 20 + 30 * np.clip(np.asarray(salvo, dtype=float), 1, 12)


def _scatter(ax, sub: pd.DataFrame, y: float, marker: str, colour: str) -> None:
    launch = _launches(sub)
    plain = sub[~launch]
    if len(plain):
        edges = {"edgecolor": "white", "linewidth": 0.3} if MarkerStyle(marker).is_filled() else {"linewidth": 1.2}
        ax.scatter(plain["date"], np.full(len(plain), y), marker=marker, s=BIG_MARKERS.get(marker, 26),
                   color=colour, zorder=3, **edges)
    fired = sub[launch]
    if len(fired):
        ax.scatter(fired["date"], np.full(len(fired), y), marker=marker, s=salvo_size(fired["salvo"]),
                   c=[style.missile_colour(c) for c in fired["missile_class"]], edgecolor="black",
                   linewidth=0.5, zorder=4)


def _timeline_legends(fig: Figure, key, events: pd.DataFrame, markers: dict[str, str]) -> None:
    key.axis("off")
    handles = [Line2D([], [], ls="", marker=m, color="#555555", ms=6, label=action_label(a))
               for a, m in markers.items()]
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncol=decor.legend_columns(len(handles)),
                   title="Action (colour = actor)", frameon=False)
    launches = events[_launches(events)]
    if launches.empty:
        return
    classes = [c for c in style.MISSILE_COLOURS if c in set(launches["missile_class"])]
    classes += sorted(set(launches["missile_class"]) - set(classes))
    cls = [Line2D([], [], ls="", marker="^", mfc=style.missile_colour(c), mec="black", ms=7, label=c.replace("_", "/"))
           for c in classes]
    first = key.legend(handles=cls, loc="upper left", title="Missile class", frameon=False,
                       bbox_to_anchor=(0, 1))
    key.add_artist(first)
    sizes = sorted({1, int(launches["salvo"].max())} | {2, 4} if launches["salvo"].max() >= 4 else {1, 2, 3})
    sal = [Line2D([], [], ls="", marker="^", mfc="white", mec="black", ms=float(np.sqrt(salvo_size(s))),
                  label=str(s)) for s in sizes]
    key.legend(handles=sal, loc="lower left", title="Salvo (missiles)", frameon=False, bbox_to_anchor=(0, 0),
               labelspacing=1.2)
