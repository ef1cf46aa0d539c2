"""The launch hazard: one formula, a sum of named mechanism terms, that also explains a launch.

    P(launch today) = 1 - exp(-base_rate * exp(eta)),   eta = sum_k weight_k * feature_k

which is a complementary log-log model of the daily launch: with the provocateur's launches
replayed, every feature is known day by day and the weights can be estimated by maximum
likelihood (``sim.calibrate``). The terms a launch is logged with are the same numbers.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from sim.model.world import Snapshot, Talks
from sim.schema.params import MISSILE_CLASSES

# term name -> (parameter, mechanism that gates it)
TERMS = {
    "drill": ("drill_response", "M1"),
    "signal": ("diplomatic_signal", "M2"),
    "election": ("election_leverage", "M3"),
    "domestic": ("domestic_need", "M4"),
    "development": ("development_drive", "M6"),
    "tension": ("tension_response", "M7"),
    "talks": ("dialogue_restraint", "M8"),
    "cooperation": ("cooperation_boldness", "M9"),
    "deterrence": ("deterrence_justification", "M10"),
}
TERM_NAMES = tuple(TERMS)
DRILL_CAP = 1.5      # M1: overlapping drills saturate; two full exercises at once read as 1.5
HAZARD_CAP = 30.0    # a runaway regime saturates the hazard instead of overflowing exp()
STANCE_WEIGHT = 0.7  # log-scale shift a hawk (+1) or dove (-1) variant applies to its propensities
CLASS_FLOOR = 0.3    # M6: a fielded class is tested even when immature, and more as it matures
ELECTION_REACH = 3.0  # M3: the ICBM's weight rises by this factor times the election run-up
SIGNAL_REACH = 2.0   # M2: ... and around high-profile diplomatic events
MATURE = 0.5         # M6: a class is testable once its prerequisite class reaches this capability
# M6: the ladder of classes (SRBM -> MRBM/IRBM -> ICBM, SLBM, hypersonic), as column indices
PREREQUISITE = {"SRBM": None, "MRBM_IRBM": "SRBM", "ICBM": "MRBM_IRBM", "SLBM": "MRBM_IRBM", "HYPERSONIC": "MRBM_IRBM"}
_PRE = [MISSILE_CLASSES.index(PREREQUISITE[c] or c) for c in MISSILE_CLASSES]  # column of each prerequisite
_NO_PRE = np.array([PREREQUISITE[c] is None for c in MISSILE_CLASSES])
_ICBM = MISSILE_CLASSES.index("ICBM")
SALVO_CAP = 6        # largest short-range salvo the doctrine fires on one day
LONG_RANGE_PAIR = 0.15  # chance that a longer-range launch day carries two missiles


def features(s: Snapshot) -> np.ndarray:
    """(R, terms): each term's driver today, in ``TERM_NAMES`` order."""
    cols = (
        np.minimum(s.drill, DRILL_CAP) + s.drill_after,
        s.signal,
        s.election,
        1.0 - s.support,
        s.development,
        s.prov_tension,
        -(s.dialogue >= Talks.TALKS).astype(float),
        s.cooperation,
        s.allied_readiness,
    )
    out = np.empty((len(cols), s.R))  # term-major memory: each term's column is contiguous
    for k, c in enumerate(cols):
        out[k] = c
    return out.T


def weights(p: SimpleNamespace, on: SimpleNamespace) -> np.ndarray:
    """(R, terms): each term's weight, zero where its mechanism is switched off.

    Parameters and switches never change during a run, so the last answer is kept for the same
    two objects (compared by identity, so a new run's objects are never mistaken for them)."""
    last = _LAST_WEIGHTS[0]  # one read of one tuple: safe when threads share the module
    if last is not None and last[0] is p and last[1] is on:
        return last[2]
    out = np.stack([getattr(p, param) * getattr(on, mech) for param, mech in TERMS.values()]).T
    out.flags.writeable = False
    _LAST_WEIGHTS[0] = (p, on, out)
    return out


_LAST_WEIGHTS: list = [None]


def log_hazard(terms: np.ndarray, stance: np.ndarray) -> np.ndarray:
    """Sum of the terms in a fixed order (bit-stable whatever R), plus the stance, capped."""
    eta = STANCE_WEIGHT * stance + terms[:, 0]
    for k in range(1, terms.shape[1]):
        eta = eta + terms[:, k]
    return np.minimum(eta, HAZARD_CAP)


def launch_probability(base_rate: np.ndarray, eta: np.ndarray) -> np.ndarray:
    return -np.expm1(-base_rate * np.exp(eta))


def class_weights(s: Snapshot, p: SimpleNamespace, on: SimpleNamespace) -> np.ndarray:
    """(R, classes): propensity to test each class today (M6 ladder; M2/M3 tilt toward reach)."""
    cap = s.capability
    weight = [np.broadcast_to(getattr(p.class_weights, name), cap.shape[:1]) for name in MISSILE_CLASSES]
    w = np.stack(weight, axis=1) * (CLASS_FLOOR + cap)
    w[:, _ICBM] = w[:, _ICBM] * (1.0 + ELECTION_REACH * s.election * on.M3 + SIGNAL_REACH * s.signal * on.M2)
    ok = (cap > 0.0) & ((cap[:, _PRE] >= MATURE) | _NO_PRE)
    return np.where(ok, w, 0.0)


def choose_class(w: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Index of the class drawn with probability proportional to ``w`` (SRBM when none is fielded)."""
    cum = np.cumsum(w, axis=1)
    total = cum[:, -1:]
    share = np.divide(cum, total, out=np.ones_like(cum), where=total > 0)
    return np.minimum((u[:, None] >= share).sum(axis=1), w.shape[1] - 1)


def salvo_size(cls: np.ndarray, u: np.ndarray, salvo_mean: np.ndarray) -> np.ndarray:
    """Short-range salvos are 1 + a capped geometric count; longer-range days one or two missiles."""
    short = 1 + np.minimum(np.floor(-np.log(np.maximum(u, 1e-12)) * (salvo_mean - 1.0)), SALVO_CAP - 1)
    return np.where(cls == 0, short, 1 + (u < LONG_RANGE_PAIR)).astype(np.int64)
