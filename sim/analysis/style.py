"""One look for every figure: actor colours, ladder and calendar styles, fonts, saving.

Colours are colour-blind safe. Actors take the Okabe-Ito palette (fixed per actor, so DPRK
is the same vermillion in every figure); actors the table does not know get a colour from a
fallback cycle chosen by a stable hash of their name, so they too keep one colour
everywhere. Scenarios, missile classes and calendar kinds use Paul Tol's palettes, which
are distinct from the actor colours. Ladder rungs use a sequential light-to-dark ramp.

Figures are made with `new_figure` (a bare `matplotlib.figure.Figure` on the Agg canvas,
no pyplot state) and written with `save_figure` (150 dpi; format from the extension).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

DPI = 150
FORMATS = (".png", ".svg", ".pdf")

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {"orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
             "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000"}
ACTOR_COLOURS = {"DPRK": OKABE_ITO["vermillion"], "ROK": OKABE_ITO["blue"], "US": OKABE_ITO["green"],
                 "Japan": OKABE_ITO["purple"], "Russia": OKABE_ITO["orange"], "China": OKABE_ITO["sky"]}
ACTOR_ALIASES = {"NORTHKOREA": "DPRK", "NK": "DPRK", "SOUTHKOREA": "ROK", "SK": "ROK", "KOREA": "ROK",
                 "USA": "US", "UNITEDSTATES": "US", "JAPAN": "Japan", "JPN": "Japan", "JP": "Japan",
                 "RUSSIA": "Russia", "RUS": "Russia", "RF": "Russia", "CHINA": "China", "PRC": "China",
                 "CHN": "China", "DPRK": "DPRK", "ROK": "ROK", "US": "US"}
FALLBACK_COLOURS = ("#000000", "#999999", "#F0E442", "#882255", "#44AA99", "#332288")

# Paul Tol, "bright" (scenarios) and "muted" (missile classes) qualitative schemes.
SCENARIO_COLOURS = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB")
MISSILE_COLOURS = {"SRBM": "#DDCC77", "MRBM_IRBM": "#CC6677", "ICBM": "#882255",
                   "SLBM": "#332288", "HYPERSONIC": "#44AA99"}
MISSILE_FALLBACK = "#BBBBBB"

# Calendar point events: (label, colour, line style). Drills are spans, not lines. Each kind has
# its own hue family and dash pattern so that two kinds never look alike (no three purples).
CALENDAR_KINDS = {
    "summit": ("Summit", "#228833", "-"),
    "visit": ("Visit", "#009988", ":"),
    "election": ("Election", "#4477AA", "-."),
    "government_change": ("Government change", "#EE7733", "-"),
    "leadership": ("Leadership change", "#EE7733", "--"),
    "sanctions_resolution": ("UNSC sanctions", "#AA3377", "--"),
    "sanctions_regime": ("Sanctions regime", "#AA3377", ":"),
    "defense_talks": ("Defence talks", "#999933", ":"),
    "shock": ("Shock", "#000000", "--"),
    "action": ("Scripted action", "#CC3311", ":"),
    "cooperation_milestone": ("Russia-DPRK cooperation", "#E69F00", "--"),
    "treaty": ("Treaty", "#E69F00", "-"),
    "diplomacy_posture": ("Diplomatic posture", "#56B4E9", "-."),
    "party_line": ("Party line", "#882255", "-."),
    "doctrine_law": ("Nuclear doctrine law", "#661100", "--"),
    "weapons_plan": ("Weapons plan", "#661100", "-"),
    "border_closure": ("Border closure", "#555555", "-"),
    "war_context": ("War", "#000000", "-."),
}
# For kinds the table does not know, in order of first appearance in a figure: distinct pairs.
SPARE_KINDS = (("#0077BB", (0, (6, 2))), ("#EE3377", (0, (1, 1))), ("#33BBEE", (0, (4, 1, 1, 1))),
               ("#009988", (0, (8, 2, 2, 2))), ("#BBBBBB", "-"), ("#CC3311", (0, (3, 3))))
DRILL_COLOUR = "#88CCEE"
DRILL_ALPHA = 0.25
LADDER_CMAP = "YlOrRd"
TENSION_CMAP = "viridis"
TENSION_CMAP_DIVERGING = "PuOr_r"
SEQUENTIAL_CMAP = "cividis"

RC = {
    "font.size": 10, "axes.titlesize": 11.5, "axes.labelsize": 10, "xtick.labelsize": 9,
    "ytick.labelsize": 9, "legend.fontsize": 9, "legend.title_fontsize": 9.5,
    "figure.titlesize": 13, "axes.spines.top": False, "axes.spines.right": False,
    "axes.grid": False, "savefig.dpi": DPI, "figure.dpi": 100, "svg.fonttype": "none",
    "pdf.fonttype": 42,
}


def styled(func: Callable[..., Figure]) -> Callable[..., Figure]:
    """Run a plot function under the house rcParams."""
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        with mpl.rc_context(RC):
            return func(*args, **kwargs)
    return wrapper


def new_figure(width: float, height: float) -> Figure:
    """A pyplot-free figure with constrained layout and an Agg canvas (so text can be measured)."""
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def save_figure(fig: Figure, path: str | Path) -> Path:
    """Write `fig` to `path` (PNG at 150 dpi, SVG or PDF by extension); return the path."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"unsupported figure format '{path.suffix}' (use {', '.join(FORMATS)})")
    path.parent.mkdir(parents=True, exist_ok=True)
    with mpl.rc_context(RC):  # savefig/svg/pdf settings are read at save time
        fig.savefig(path, dpi=DPI, format=path.suffix.lower()[1:])
    return path


def canonical_actor(actor: str) -> str:
    key = "".join(ch for ch in str(actor).upper() if ch.isalnum())
    return ACTOR_ALIASES.get(key, str(actor))


def actor_colour(actor: str) -> str:
    """The one colour of `actor` in every figure."""
    name = canonical_actor(actor)
    if name in ACTOR_COLOURS:
        return ACTOR_COLOURS[name]
    return FALLBACK_COLOURS[zlib.crc32(name.encode()) % len(FALLBACK_COLOURS)]


ACTOR_ORDER = ("DPRK", "ROK", "US", "Japan", "Russia", "China")


def actor_order(actors: Iterable[str]) -> list[str]:
    """Actors in the house order (DPRK, ROK, US, Japan, Russia, China), then the rest by name."""
    rank = {a: i for i, a in enumerate(ACTOR_ORDER)}
    return sorted(dict.fromkeys(actors), key=lambda a: (rank.get(canonical_actor(a), len(rank)), str(a)))


def scenario_colours(scenarios: Iterable[str]) -> dict[str, str]:
    """Colours for the scenarios of one figure, in the order given."""
    return {s: SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)] for i, s in enumerate(scenarios)}


def missile_colour(kind: str) -> str:
    return MISSILE_COLOURS.get(str(kind), MISSILE_FALLBACK)


def calendar_kind_style(kind: str, spare: int = 0) -> tuple[str, str, Any]:
    """(label, colour, line style) of a calendar kind; unknown kinds take spare pair `spare`."""
    if kind in CALENDAR_KINDS:
        return CALENDAR_KINDS[kind]
    colour, dash = SPARE_KINDS[spare % len(SPARE_KINDS)]
    return str(kind).replace("_", " ").capitalize(), colour, dash


def calendar_kinds(cal) -> dict[str, tuple[str, str, Any]]:
    """Styles of the non-drill kinds of a calendar, in order of appearance (unknown kinds distinct)."""
    out: dict[str, tuple[str, str, Any]] = {}
    spare = 0
    for kind in dict.fromkeys(str(k) for k in cal["kind"] if str(k) != "drill"):
        out[kind] = calendar_kind_style(kind, spare)
        spare += kind not in CALENDAR_KINDS
    return out


def rung_colours(n: int) -> list:
    """n colours from light to dark for ladder rungs 0..n-1."""
    cmap = mpl.colormaps[LADDER_CMAP]
    return [cmap(0.05 + 0.9 * i / max(n - 1, 1)) for i in range(n)]


def date_axis(ax: Axes, label: str = "Date") -> None:
    """Concise date ticks (years, then months) on the x axis."""
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if label:
        ax.set_xlabel(label)


def pretty_param(path: str, width: int = 30) -> str:
    """A swept parameter's path, shortened but still recognisable: 'actors.' and 'policy.params.'
    are dropped, and moved-together paths ('a+b') are joined by ' + ', one per line if long.
    'actors.US.policy.params.response_rate+actors.ROK.policy.params.response_rate' ->
    'US.response_rate +\nROK.response_rate'."""
    parts = []
    for part in str(path).split("+"):
        part = part.strip()
        part = part[len("actors."):] if part.startswith("actors.") else part
        parts.append(part.replace(".policy.params.", ".").replace(".params.", "."))
    text = " + ".join(parts)
    return text if len(text) <= width else " +\n".join(parts)


def pretty_outcome(name: str) -> str:
    """'peak_escalation' -> 'Peak escalation (index 0-100)'."""
    units = {"peak_escalation": " (index 0–100)", "mean_escalation": " (index 0–100)",
             "final_escalation": " (index 0–100)", "time_to_first_launch": " (days)",
             "test_days": " (days)", "missiles": " (count)", "mean_tension_provocateur": " (tension)"}
    text = str(name).replace("_", " ")
    return text[:1].upper() + text[1:] + units.get(name, "")
