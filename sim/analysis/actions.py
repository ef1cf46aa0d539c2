"""How each kind of action looks in a figure: its family, marker, colour and label.

Hostile and cooperative acts must be told apart at a glance, so the family decides the look:
military pressure is filled and warm (reds and oranges, angular shapes), sanctions filled purple,
ruptures and vetoes grey line-markers, and cooperation hollow in greens and blues (round or
pointing sideways/down). Within a family each action keeps its own shape, so every known kind
still has a distinct marker. Kinds this table does not know are placed by the sign of their
Goldstein score (positive: cooperative) when the event log has one, else as "other".
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

FAMILIES = {  # family -> legend heading, in legend order
    "hostile": "Military pressure (filled, warm)",
    "coercive": "Sanctions (filled, purple)",
    "rupture": "Rupture and veto (grey)",
    "cooperative": "Cooperation (hollow, green/blue)",
    "other": "Other",
}


@dataclass(frozen=True)
class ActionStyle:
    family: str
    marker: str
    colour: str

    @property
    def hollow(self) -> bool:
        return self.family == "cooperative"


STYLES = {
    "missile_test": ActionStyle("hostile", "^", "#B2182B"),
    "nuclear_test": ActionStyle("hostile", "*", "#67001F"),
    "armed_clash": ActionStyle("hostile", "X", "#67001F"),
    "show_of_force": ActionStyle("hostile", "D", "#D73027"),
    "threat": ActionStyle("hostile", "o", "#F46D43"),
    "readiness": ActionStyle("hostile", "p", "#B35806"),
    "joint_drill": ActionStyle("hostile", "s", "#E08214"),
    "trilateral_drill": ActionStyle("hostile", "h", "#E08214"),
    "unilateral_sanctions": ActionStyle("coercive", "P", "#762A83"),
    "un_sanctions_adopted": ActionStyle("coercive", "d", "#762A83"),
    "un_sanctions_propose": ActionStyle("coercive", "8", "#9970AB"),
    "veto": ActionStyle("rupture", "x", "#4D4D4D"),
    "un_sanctions_vetoed": ActionStyle("rupture", "+", "#4D4D4D"),
    "walk_out": ActionStyle("rupture", "|", "#4D4D4D"),
    "dialogue_offer": ActionStyle("cooperative", "v", "#4393C3"),
    "dialogue_accept": ActionStyle("cooperative", "<", "#2166AC"),
    "talks": ActionStyle("cooperative", ">", "#1B7837"),
    "summit": ActionStyle("cooperative", "H", "#1B7837"),
    "military_cooperation": ActionStyle("cooperative", "2", "#35978F"),
}
ACTION_MARKERS = {a: s.marker for a, s in STYLES.items()}
SPARE_MARKERS = ("3", "4", "_", "1", "$?$")
FAMILY_FALLBACK = {"hostile": "#A50026", "cooperative": "#01665E", "other": "#777777"}
LABELS = {"un_sanctions_propose": "UN sanctions proposed", "un_sanctions_adopted": "UN sanctions adopted",
          "un_sanctions_vetoed": "UN sanctions vetoed", "joint_drill": "joint drill",
          "trilateral_drill": "trilateral drill", "walk_out": "walk-out"}
SIZES = {"*": 110, "X": 60, "x": 50, "|": 60, "+": 60, "1": 65, "2": 65, "3": 65, "4": 65, "H": 50}


def action_label(action: str) -> str:
    return LABELS.get(action, action.replace("_", " "))


def action_styles(events: pd.DataFrame) -> dict[str, ActionStyle]:
    """The style of every action kind in `events`, in family order (the legend's order)."""
    kinds = list(dict.fromkeys(events["action"].astype(str)))
    out = {a: STYLES[a] for a in STYLES if a in kinds}
    score = events.groupby(events["action"].astype(str))["goldstein"].mean() if "goldstein" in events else None
    used = {s.marker for s in out.values()}
    spare = [m for m in SPARE_MARKERS if m not in used] or list(SPARE_MARKERS)
    for i, a in enumerate(sorted(a for a in kinds if a not in out)):
        g = score.get(a) if score is not None else None
        family = "other" if g is None or pd.isna(g) or g == 0 else "cooperative" if g > 0 else "hostile"
        out[a] = ActionStyle(family, spare[i % len(spare)], FAMILY_FALLBACK[family])
    order = list(FAMILIES)
    return dict(sorted(out.items(), key=lambda kv: order.index(kv[1].family)))


def action_markers(actions: list[str]) -> dict[str, str]:
    """A marker per action kind: a fixed one for known kinds, spare shapes for the rest."""
    styles = action_styles(pd.DataFrame({"action": list(actions)}))
    return {a: s.marker for a, s in styles.items()}
