"""The escalation index and its ladder of named rungs.

The index combines the two things an observer of the peninsula weighs: how hostile the
actors are toward each other (mean adversarial tension, the slow structural part) and what
they have recently done (the decayed sum of action scores, the fast event part):

    index = 100 * (1 - exp(-(tension_mean / TENSION_SCALE + events / EVENT_SCALE)))

so it is 0 in a world of friends and saturates toward 100. Rungs follow the groups of
Kahn's ladder (subcrisis manoeuvring, traditional crises, intense crises) compressed to the
range a Korean crisis has actually covered, with a top rung for armed conflict.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

TENSION_SCALE = 1.5
EVENT_SCALE = 80.0


class Rung(NamedTuple):
    level: int
    name: str
    lower: float
    upper: float


LADDER: tuple[Rung, ...] = (
    Rung(0, "Status quo", 0.0, 15.0),
    Rung(1, "Rhetoric and posturing", 15.0, 30.0),
    Rung(2, "Show of force", 30.0, 45.0),
    Rung(3, "Provocation crisis", 45.0, 60.0),
    Rung(4, "Intense crisis", 60.0, 75.0),
    Rung(5, "Military confrontation", 75.0, 90.0),
    Rung(6, "Armed conflict", 90.0, 100.0),
)
THRESHOLDS = tuple(r.lower for r in LADDER[1:])
RUNG_NAMES = tuple(r.name for r in LADDER)


N_LEVELS = len(LADDER)
CLASH_FLOOR = 5  # on the day of an armed clash the ladder stands at least at military confrontation


def escalation_index(tension_mean: np.ndarray, events: np.ndarray) -> np.ndarray:
    x = np.maximum(tension_mean, 0.0) / TENSION_SCALE + np.maximum(events, 0.0) / EVENT_SCALE
    return 100.0 * (1.0 - np.exp(-x))


def ladder_level(index: np.ndarray, clash: np.ndarray) -> np.ndarray:
    """Rung of each index value; an armed clash holds the ladder at ``CLASH_FLOOR`` or above that day."""
    level = np.searchsorted(THRESHOLDS, index, side="right")
    return np.where(clash, np.maximum(level, CLASH_FLOOR), level).astype(np.int64)


def ladder_table() -> list[dict]:
    return [r._asdict() for r in LADDER]
