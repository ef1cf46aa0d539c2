"""A move: one kind of action by one actor, in the replications where it happens.

Policies return moves; effects apply them. ``mask`` says in which replications the move is
made; the other fields are arrays over replications (or one value for all). ``cause`` names
what drove it and ``detail`` holds the numbers the event log quotes, so every logged action
keeps its cause.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# The canonical order actions apply in on a day: provocations and answers, then sanctions and
# votes, then the dialogue state machine; within a kind, by actor index. Decisions are all taken
# first from one snapshot, so this order (never the activation order) decides the outcome.
ACTION_ORDER = (
    "missile_test", "nuclear_test", "threat", "joint_drill", "trilateral_drill", "show_of_force", "readiness",
    "military_cooperation", "unilateral_sanctions", "un_sanctions_propose", "veto", "un_sanctions_adopted",
    "un_sanctions_vetoed", "walk_out", "dialogue_accept", "dialogue_offer", "talks", "summit", "armed_clash",
)
RANK = {kind: i for i, kind in enumerate(ACTION_ORDER)}


@dataclass(slots=True)
class Move:
    kind: str
    actor: int
    mask: np.ndarray                               # (R,) bool
    target: np.ndarray | int = -1
    missile_class: np.ndarray | int = -1
    salvo: np.ndarray | int = 0
    strength: np.ndarray | float | None = None    # None: the kind's own magnitude
    cause: str = ""
    detail: np.ndarray | tuple | None = None       # (R, k) numbers the cause's text quotes, or k (R,) columns
    source: str = "policy"
    success: np.ndarray | None = None              # a replayed launch's observed outcome
    label: str = ""                                # a calendar entry's name, for the event log
    felt: np.ndarray | None = None                 # (R,) share of the act's tension impulse felt (None: all)
    order: int = 0                                 # position among calendar entries of the day

    def key(self) -> tuple[int, int, int]:
        return (0 if self.source == "calendar" else 1, self.order if self.source == "calendar" else RANK[self.kind],
                self.actor)


def pick(values: np.ndarray | int | float, ix: np.ndarray) -> np.ndarray:
    """The value of a per-replication field (or a constant) in replications ``ix`` (indices)."""
    if isinstance(values, np.ndarray) and values.ndim:
        return values[ix]
    return np.full(len(ix), values)
