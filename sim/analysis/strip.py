"""The drill strip above a time axis: one bar per exercise with its name, staggered over rows.

Every drill gets a label: its full name where there is room, else a short form ("Ulchi Freedom
Shield 23" -> "UFS 23", explained in a key under the strip). No event line is drawn in the strip,
so nothing strikes through a label. A calendar without drills gets no strip at all
(`time_axes` returns only the main axes), so no empty "Drills" row is drawn.
"""

from __future__ import annotations

import re

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from sim.analysis import decor, style

FONT = 7.0
PAD = 4.0  # points between labels in one row


SUFFIX = re.compile(r"\s+('?[\d][\d\-]*)$")


def _plain(name: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", str(name)).strip()  # "(replaces KR/FE)" is a note


def _body_and_year(name: str) -> tuple[str, str]:
    text = _plain(name)
    match = SUFFIX.search(text)
    return (text[:match.start()], match.group(1)) if match else (text, "")


def _initials(body: str) -> str:
    words = body.split()
    return "".join(w[0].upper() for w in words if w[:1].isalpha()) if len(words) > 1 else body


def short_name(name: str) -> str:
    """Initials of the words with the year kept: 'Key Resolve/Foal Eagle 10' -> 'KR/FE 10',
    'Dong Maeng 19-2/CCPT (replaces UFG)' -> 'DM 19-2/CCPT'."""
    out = []
    for part in _plain(name).split("/"):
        body, year = _body_and_year(part)
        out.append(" ".join(x for x in (_initials(body.strip()), year) if x))
    return "/".join(x for x in out if x) or str(name)


def glossary(names) -> str:
    """'FS = Freedom Shield, UFS = Ulchi Freedom Shield' for the names whose short form differs."""
    pairs = {}
    for name in names:
        for part in _plain(name).split("/"):
            body = _body_and_year(part)[0].strip()
            if len(body.split()) > 1:
                pairs[_initials(body)] = body
    return ", ".join(f"{a} = {p}" for a, p in sorted(pairs.items()))


def assign_rows(starts: list[float], ends: list[float], full: list[float], short: list[float],
                tiers: int, right: float = np.inf, pad: float = 0.0) -> tuple[list[int | None], list[bool]]:
    """Rows for drill labels (any unit: days or pixels): full names where every label still finds a
    row, else short names for the labels that would run into the next drill, else all short.
    Returns the row of each label (None: no room, the bar alone) and which labels are short."""
    n = len(starts)
    nxt = [starts[i + 1] if i + 1 < n else np.inf for i in range(n)]
    policies = ([False] * n, [starts[i] + full[i] > nxt[i] for i in range(n)], [True] * n)
    for use_short in policies:
        widths = [s if u else f for s, f, u in zip(short, full, use_short)]
        rows = _first_fit(starts, ends, widths, tiers, right, pad)
        if all(r is not None for r in rows):
            break
    return rows, list(use_short)


def _first_fit(starts, ends, widths, tiers: int, right: float, pad: float) -> list[int | None]:
    busy = [-np.inf] * tiers
    rows: list[int | None] = []
    for x0, x1, w in zip(starts, ends, widths):
        lx = min(x0, right - w)
        row = next((t for t in range(tiers) if busy[t] + pad <= lx), None)
        if row is not None:
            busy[row] = max(x1, lx + w)
        rows.append(row)
    return rows


def strip_tiers(cal: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp, axes_inches: float,
                max_tiers: int = 4) -> tuple[int, bool]:
    """Rows the strip needs so that every drill has a label (estimated from character counts, at
    most max_tiers), and whether some labels will be short. Full names on more rows are preferred
    to short names on fewer."""
    drills = cal[cal["kind"] == "drill"].sort_values("start")
    if drills.empty:
        return 1, False
    per_inch = max((last - first).days, 1) / axes_inches
    width = lambda text: len(text) * FONT * 0.6 / 72 * per_inch + 2  # noqa: E731
    starts = [(r - first).days for r in drills["start"]]
    ends = [(r - first).days + 1 for r in drills["end"]]
    full = [width(str(n)) for n in drills["name"]]
    short = [width(short_name(n)) for n in drills["name"]]
    last_day = float((last - first).days)
    for policy in range(3):
        for tiers in range(1, max_tiers + 1):
            rows, used = assign_rows(starts, ends, full if policy == 0 else short if policy == 2 else
                                     [s if starts[i] + full[i] > (starts[i + 1] if i + 1 < len(starts) else np.inf)
                                      else f for i, (s, f) in enumerate(zip(short, full))],
                                     short, tiers, last_day)
            if all(r is not None for r in rows):
                return tiers, any(used) or policy > 0
    return max_tiers, True


def strip_inches(tiers: int, key: bool = False) -> float:
    return 0.1 + 0.3 * tiers + (0.22 if key else 0.0)


def time_axes(cal: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp, width: float, body: float,
              axes_inches: float, max_tiers: int = 4) -> tuple[Figure, Axes | None, Axes]:
    """A figure with a drill strip above the main axes when the calendar has drills, else without."""
    drills = cal[cal["kind"] == "drill"]
    if drills.empty:
        fig = style.new_figure(width, body + 1.0)
        return fig, None, fig.subplots()
    tiers, shortened = strip_tiers(drills, first, last, axes_inches, max_tiers)
    high = strip_inches(tiers, shortened)
    fig = style.new_figure(width, body + 1.0 + high)
    strip, ax = fig.subplots(2, 1, sharex=True, height_ratios=[high, body])
    calendar_strip(strip, drills, tiers, glossary(drills["name"]) if shortened else "")
    return fig, strip, ax


def calendar_strip(ax: Axes, cal: pd.DataFrame, tiers: int = 3, key: str = "") -> None:
    """Drill bars with their names, staggered over `tiers` rows (placed once the layout is fixed)."""
    ax.set_ylim(0, tiers)
    ax.set_yticks([])
    for side in ("left", "right", "top", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="x", labelbottom=False, length=0)
    ax.set_ylabel("Drills", rotation=0, ha="right", va="center")
    if key:
        ax.set_xlabel(f"Short names: {key}", loc="left", fontsize=FONT, color="#555555", labelpad=1)
    drills = cal[cal["kind"] == "drill"].sort_values("start")
    decor.on_layout(ax.figure, lambda: _place_drills(ax, drills, tiers))


def _place_drills(ax: Axes, drills: pd.DataFrame, tiers: int) -> None:
    renderer = ax.figure.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    to_px = lambda d: ax.transData.transform((mdates.date2num(pd.Timestamp(d)), 0))[0]  # noqa: E731
    names = [str(n) for n in drills["name"]]
    texts = {n: ax.text(0, 0, n, fontsize=FONT, va="top", ha="left", clip_on=True, zorder=3)
             for n in dict.fromkeys(names + [short_name(n) for n in names])}
    width = {n: t.get_window_extent(renderer).width for n, t in texts.items()}
    for t in texts.values():
        t.remove()
    starts = [max(to_px(d), box.x0) for d in drills["start"]]
    ends = [to_px(d + pd.Timedelta(days=1)) for d in drills["end"]]
    rows, use_short = assign_rows(starts, ends, [width[n] for n in names],
                                  [width[short_name(n)] for n in names], tiers, box.x1, PAD)
    busy = [0.0] * tiers
    for row, short, name, x0, x1, d in zip(rows, use_short, names, starts, ends, drills.itertuples()):
        y = lambda t: tiers - 0.5 - t  # noqa: E731
        if row is None:  # no room even for the short name: the bar alone, in the least busy row
            row = int(np.argmin(busy))
        else:
            label = short_name(name) if short else name
            lx = min(x0, box.x1 - width[label])
            text = ax.text(ax.transData.inverted().transform((lx, 0))[0], y(row) - 0.05, label,
                           fontsize=FONT, va="top", ha="left", clip_on=True, zorder=3)
            text.set_in_layout(False)
        busy[row] = max(busy[row], x1)
        ax.add_patch(_bar(d.start, d.end, y(row) + 0.3))


def _bar(start: pd.Timestamp, end: pd.Timestamp, y: float) -> Rectangle:
    x0 = mdates.date2num(start)
    x1 = mdates.date2num(end + pd.Timedelta(days=1))
    return Rectangle((x0, y - 0.12), x1 - x0, 0.24, color=style.DRILL_COLOUR, lw=0, alpha=0.9)
