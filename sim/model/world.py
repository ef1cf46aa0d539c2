"""World state with a replication axis, and the snapshot every actor decides from.

Every state variable is an array whose first axis is the replication: one ``World`` holds R
worlds that share a cast and a horizon. Tension is directed: ``x[r, i, j]`` is actor i's
hostility toward j in replication r. Rules update these arrays elementwise, so replication r
never sees another's numbers, and R = 1 is a single run through the same code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from types import SimpleNamespace

import networkx as nx
import numpy as np

from sim.model.cast import Cast

NEVER = 10**6


class Talks(IntEnum):
    """The dialogue state machine (M8): none -> offered -> talks (-> summit -> talks) -> none."""

    NONE = 0
    OFFERED = 1
    TALKS = 2
    SUMMIT = 3


DIALOGUE_STATES = ("none", "offered", "talks", "summit")


class World:
    """The state of R replications; ``rel`` and ``world`` are the setup's stacked scenario values."""

    def __init__(self, cast: Cast, rel: SimpleNamespace, world: SimpleNamespace, R: int) -> None:
        n = cast.n
        self.cast, self.R, self.n = cast, R, n
        self.x = rel.X.copy()
        self.capability = np.asarray(world.capability, dtype=float).reshape(R, -1).copy()
        self.readiness, self.readiness0 = rel.readiness.copy(), rel.readiness.copy()
        self.cohesion, self.cohesion0 = rel.cohesion.copy(), rel.cohesion.copy()
        self.sanctions = world.sanctions.copy()
        self.cooperation = world.cooperation.copy()
        self.support = world.domestic_support.copy()
        self.public, self.public0 = world.public_dialogue_share.copy(), world.public_dialogue_share.copy()
        self.progressive = world.progressive.copy()
        self.dialogue = world.dialogue.astype(np.int64)
        self.dialogue_since = np.zeros(R, dtype=np.int64)
        self.dialogue_by = np.full(R, -1, dtype=np.int64)
        self.development = world.development_line.copy()
        self.hostility = world.hostility_doctrines.copy()
        self.monitoring = world.monitoring.copy()
        self.provocations = np.zeros(R)
        self.events_stock = np.zeros(R)
        self.last_launch_day = np.full(R, -NEVER, dtype=np.int64)
        self.last_major_day = np.full(R, -NEVER, dtype=np.int64)
        self.last_launch_class = np.full(R, -1, dtype=np.int64)
        self.vote_day = np.full(R, -1, dtype=np.int64)
        self.vote_proposer = np.full(R, -1, dtype=np.int64)
        self.vote_strength = np.zeros(R)
        self.last_hostile = np.full((R, n, n), -NEVER, dtype=np.int64)  # [r, i, j]: day j last escalated at i
        self.last_coop = np.full((R, n, n), -NEVER, dtype=np.int64)     # [r, i, j]: day j last cooperated with i

    def tension_matrix(self, rep: int = 0) -> np.ndarray:
        """Replication ``rep``'s tensions as an (n, n) matrix (a copy)."""
        return self.x[rep].copy()

    def tension_graph(self, rep: int = 0, relations: dict | None = None) -> nx.DiGraph:
        """The relations network with replication ``rep``'s tensions on its edges (for networkx users)."""
        g = nx.DiGraph()
        names = self.cast.names
        g.add_nodes_from((a, {"role": r}) for a, r in zip(names, self.cast.roles))
        kinds = relations or {}
        for i, a in enumerate(names):
            for j, b in enumerate(names):
                if i != j:
                    g.add_edge(a, b, tension=float(self.x[rep, i, j]), kind=kinds.get(frozenset((a, b)), "none"))
        return g

    def flat(self) -> np.ndarray:
        """Tensions as (R, n*n), a view: ``flat()[:, i*n + j]`` is i toward j."""
        return self.x.reshape(self.R, self.n * self.n)

    def cells(self) -> np.ndarray:
        """Tensions as one (R*n*n,) view, cell (r, i, j) at (r*n + i)*n + j: writes reach the world.

        A flat index array addresses a few cells of many replications in one cheap indexing call."""
        if not self.x.flags.c_contiguous:  # reshape would copy, and writes would be lost
            self.x = np.ascontiguousarray(self.x)
        return self.x.reshape(-1)


@dataclass(slots=True)
class Snapshot:
    """What every actor sees at the start of a day: (R,) arrays, read-only by convention.

    Built once a day and shared, so decisions cannot depend on activation order. Tests build
    one directly, a row per case of a move table.
    """

    t: int
    cast: Cast
    tension: np.ndarray          # (R, n, n)
    readiness: np.ndarray        # (R, n)
    capability: np.ndarray       # (R, classes)
    prov_tension: np.ndarray     # mean tension of the provocateur toward the allies
    allied_readiness: np.ndarray
    drill: np.ndarray
    drill_after: np.ndarray
    signal: np.ndarray
    election: np.ndarray
    summit: np.ndarray           # bool: a provocateur-ally summit under way
    war: np.ndarray              # (R, n): actor fighting a war of its own
    development: np.ndarray      # a declared weapons-development line in force
    free: np.ndarray             # bool: the provocateur decides its launches (not replaying the record)
    sanctions: np.ndarray
    cooperation: np.ndarray
    support: np.ndarray
    progressive: np.ndarray      # bool: the front-line ally's government is progressive
    dialogue: np.ndarray         # Talks state
    dialogue_days: np.ndarray
    dialogue_by: np.ndarray
    provocations: np.ndarray
    last_launch: np.ndarray      # days since the provocateur's last launch
    last_launch_class: np.ndarray
    last_major: np.ndarray       # days since an ICBM launch or nuclear test
    vote_today: np.ndarray
    pending_vote: np.ndarray
    last_hostile: np.ndarray
    last_coop: np.ndarray

    @property
    def R(self) -> int:
        return len(self.sanctions)


def mean_over(a: np.ndarray, cols: tuple[int, ...]) -> np.ndarray:
    """Mean of the given columns of an (R, k) array, summed in a fixed order (bit-stable in R)."""
    if not cols:
        return np.zeros(a.shape[0])
    total = a[:, cols[0]].copy()
    for j in cols[1:]:
        total += a[:, j]
    return total / len(cols)


from sim.model.richardson import equilibrium, linear_map, stable  # noqa: E402,F401  (world.stable, world.equilibrium)
