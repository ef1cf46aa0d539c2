"""Mechanism switches: ``mechanisms: {M1: false}`` in a scenario turns one channel off.

Each mechanism M1-M13 (README, "Mechanisms") is carried by named policy parameters and
world effects; switching it off zeroes the ones listed here. What stays on is documented in
docs/ODD.md: calendar entries still happen (forced drills still log their actions), the
election and signal windows still tilt the missile class choice (M2, M3), launches still
strain alliances (M5 off removes the answers), and a scenario's starting cooperation still
speeds sanctions evasion (M9 off removes new cooperation, its boldness and its vetoes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.schema.scenario import Scenario

ZERO: dict[str, dict[str, tuple[str, ...]]] = {
    "M1": {"provocateur": ("drill_response",)},
    "M2": {"provocateur": ("diplomatic_signal",)},
    "M3": {"provocateur": ("election_leverage",)},
    "M4": {"provocateur": ("domestic_need",)},
    "M5": {"ally": ("response_rate",)},
    "M7": {"provocateur": ("tension_response",)},
    "M8": {"ally": ("shift_slope",)},
    "M9": {"patron": ("cooperation_rate", "veto_cooperation"), "provocateur": ("cooperation_boldness",)},
    "M10": {"provocateur": ("deterrence_justification",)},
    "M11": {"ally": ("readiness_rate",)},
}


@dataclass
class Switches:
    zero_params: dict[str, list[str]] = field(default_factory=dict)
    drill_pressure: bool = True      # M1/M7
    readiness_pressure: bool = True  # M7
    deterrence: float = 0.6          # M10: how much full deterrence cuts clash risk
    clash: bool = True               # M13
    government: bool = True          # M12


def switch_off(sc: Scenario, world) -> Switches:
    s = Switches()
    for mid, on in sc.mechanisms.items():
        if on:
            continue
        for role, keys in ZERO.get(mid, {}).items():
            s.zero_params.setdefault(role, []).extend(keys)
        if mid == "M1":
            s.drill_pressure = False
        elif mid == "M6":
            world.research = 0.0
            world.learning = False
        elif mid == "M7":
            s.readiness_pressure = False
        elif mid == "M10":
            s.deterrence = 0.0
        elif mid == "M11":
            world.exposure = [0.0] * world.n
        elif mid == "M12":
            s.government = False
            world.rok_progressive = False
        elif mid == "M13":
            s.clash = False
    return s
