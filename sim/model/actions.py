"""The action menu and its escalation weights: the one table every score comes from.

Two published scales are carried side by side (docs and README show this table):

* ``goldstein``: the Goldstein conflict-cooperation weight (-10..+10) of the CAMEO event
  code we code the action as. CAMEO has no code for a military exercise or a missile test;
  coding them as 150 "demonstrate military power" is our modelling choice.
* ``score``: the escalation score of Rivera et al. (2024), "Escalation Risks from Language
  Models in Military and Diplomatic Decision-Making": violent escalation 28, non-violent
  escalation 12, posturing 4, status quo 0, de-escalation -2. The daily escalation index
  is built from these scores, as in that study. Placing a nuclear *test* at the
  violent-escalation score (28) rather than at nuclear *use* (60), and a missile test at
  non-violent escalation (12) scaled by missile class, are our choices.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.schema.params import MISSILE_CLASSES

class Weight(NamedTuple):
    cameo: str
    goldstein: float
    score: float
    category: str


NUCLEAR, VIOLENT, NONVIOLENT, POSTURING, STATUS_QUO, DEESCALATION = 60.0, 28.0, 12.0, 4.0, 0.0, -2.0

WEIGHTS: dict[str, Weight] = {
    "wait": Weight("", 0.0, STATUS_QUO, "status quo"),
    "joint_drill": Weight("150", -7.2, POSTURING, "posturing"),
    "trilateral_drill": Weight("150", -7.2, POSTURING, "posturing"),
    "show_of_force": Weight("150", -7.2, POSTURING, "posturing"),
    "readiness": Weight("152", -7.2, POSTURING, "posturing"),
    "threat": Weight("138", -7.0, POSTURING, "posturing"),
    "missile_test": Weight("150", -7.2, NONVIOLENT, "non-violent escalation"),
    "nuclear_test": Weight("2042", -10.0, VIOLENT, "violent escalation"),
    "unilateral_sanctions": Weight("163", -8.0, NONVIOLENT, "non-violent escalation"),
    "un_sanctions_propose": Weight("1312", -5.8, POSTURING, "posturing"),
    "un_sanctions_adopted": Weight("163", -8.0, NONVIOLENT, "non-violent escalation"),
    "un_sanctions_vetoed": Weight("111", -2.0, STATUS_QUO, "status quo"),
    "veto": Weight("111", -2.0, STATUS_QUO, "status quo"),
    "military_cooperation": Weight("050", 3.5, POSTURING, "posturing"),
    "dialogue_offer": Weight("036", 4.0, DEESCALATION, "de-escalation"),
    "dialogue_accept": Weight("030", 4.0, DEESCALATION, "de-escalation"),
    "talks": Weight("046", 7.0, DEESCALATION, "de-escalation"),
    "summit": Weight("057", 8.0, DEESCALATION, "de-escalation"),
    "walk_out": Weight("164", -7.0, POSTURING, "posturing"),
    "armed_clash": Weight("190", -10.0, VIOLENT, "violent escalation"),
}

# Our choice: longer reach and harder-to-intercept classes weigh more in the index.
CLASS_FACTOR = {"SRBM": 1.0, "MRBM_IRBM": 1.25, "ICBM": 1.5, "SLBM": 1.25, "HYPERSONIC": 1.25}
CLASS_FACTOR_BY_INDEX = np.array([CLASS_FACTOR[c] for c in MISSILE_CLASSES])


def action_score(kind: str, missile_class: np.ndarray | int = -1) -> np.ndarray | float:
    """Escalation score (Rivera et al. categories), class-scaled for launches (class index or -1)."""
    w = WEIGHTS[kind].score
    if kind != "missile_test":
        return w
    return w * CLASS_FACTOR_BY_INDEX[np.maximum(missile_class, 0)]
