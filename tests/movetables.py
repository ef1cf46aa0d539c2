"""Build policy inputs for move tables: one replication per row of a table.

A policy is a pure function of (snapshot, actor, parameters, draws, switches); these helpers
make each of them from a list of cases, so a test states its cases as rows and reads the
moves back row by row.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from sim.model.cast import Cast
from sim.model.draws import ROLE_DRAWS
from sim.model.setup import Stacker, actor_params, gates
from sim.model.world import NEVER, Snapshot
from sim.schema.loader import load_scenario
from sim.schema.paths import apply_overrides

BASE = load_scenario("baseline")
CAST = Cast.of(BASE)
DPRK, JAPAN, ROK, RUSSIA, US = (CAST.index(a) for a in ("DPRK", "Japan", "ROK", "Russia", "US"))

DEFAULTS = dict(
    drill=0.0, drill_after=0.0, signal=0.0, election=0.0, summit=False, development=0.0, free=True,
    sanctions=0.3, cooperation=0.0, support=0.7, progressive=False, dialogue=0, dialogue_days=0,
    dialogue_by=-1, provocations=0.0, last_launch=NEVER, last_launch_class=-1, last_major=NEVER,
    vote_today=False, pending_vote=False, prov_tension=0.4, allied_readiness=0.4,
)


def snapshot(cases: list[dict], t: int = 100) -> Snapshot:
    """A snapshot with one replication per case; unnamed fields take ``DEFAULTS``.

    ``fear`` (an ally's tension toward the DPRK) and ``rivalry`` (a patron's toward the allies)
    set the tension matrix; ``icbm`` sets the ICBM capability.
    """
    R, n = len(cases), CAST.n
    col = lambda key, dtype=float: np.array([c.get(key, DEFAULTS[key]) for c in cases], dtype=dtype)  # noqa: E731
    tension = np.zeros((R, n, n))
    for r, c in enumerate(cases):
        tension[r, DPRK, [JAPAN, ROK, US]] = c.get("prov_tension", DEFAULTS["prov_tension"])
        tension[r, [JAPAN, ROK, US], DPRK] = c.get("fear", 0.3)
        tension[r, RUSSIA, [JAPAN, ROK, US]] = c.get("rivalry", 0.0)
    capability = np.tile([0.85, 0.6, 0.4, 0.25, 0.1], (R, 1))
    capability[:, 2] = col_or(cases, "icbm", 0.4)
    return Snapshot(
        t=t, cast=CAST, tension=tension, readiness=np.full((R, n), 0.4), capability=capability,
        prov_tension=col("prov_tension"), allied_readiness=col("allied_readiness"), drill=col("drill"),
        drill_after=col("drill_after"), signal=col("signal"), election=col("election"), summit=col("summit", bool),
        war=np.zeros((R, n)), development=col("development"), free=col("free", bool), sanctions=col("sanctions"),
        cooperation=col("cooperation"), support=col("support"), progressive=col("progressive", bool),
        dialogue=col("dialogue", np.int64), dialogue_days=col("dialogue_days", np.int64),
        dialogue_by=col("dialogue_by", np.int64), provocations=col("provocations"),
        last_launch=col("last_launch", np.int64), last_launch_class=col("last_launch_class", np.int64),
        last_major=col("last_major", np.int64), vote_today=col("vote_today", bool),
        pending_vote=col("pending_vote", bool), last_hostile=np.full((R, n, n), -NEVER),
        last_coop=np.full((R, n, n), -NEVER))


def col_or(cases: list[dict], key: str, default: float) -> np.ndarray:
    return np.array([c.get(key, default) for c in cases], dtype=float)


def draws(role: str, cases: list[dict], default: float = 0.999) -> tuple:
    """The role's named draws, one row per case (a draw not named in a case never fires)."""
    kind = ROLE_DRAWS[role]
    return kind(*(col_or(cases, name, default) for name in kind._fields))


def params_and_gates(R: int, **overrides) -> tuple[list[SimpleNamespace], SimpleNamespace]:
    """Every actor's parameters and the mechanism switches as (R,) arrays, after overrides."""
    sc = apply_overrides(BASE, overrides) if overrides else BASE
    stack = Stacker([sc], np.zeros(R, dtype=np.int64))
    return actor_params(stack, CAST), gates(stack)


def moves_by_row(moves, R: int) -> list[list[str]]:
    """For each replication (row), the kinds of the moves made there, in order."""
    out: list[list[str]] = [[] for _ in range(R)]
    for mv in moves:
        for r in np.flatnonzero(mv.mask):
            out[r].append(mv.kind)
    return out
