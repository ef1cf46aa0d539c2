"""The actors: Mesa agents that each decide, for every replication at once, from one snapshot."""

from __future__ import annotations

import mesa

from sim.model.doctrines import resolve_policy
from sim.model.moves import Move
from sim.model.world import Snapshot


class Actor(mesa.Agent):
    """A state. Its policy is a pure function; the agent binds it to its index, parameters and draws.

    ``decide`` only reads the shared snapshot and stores its moves: the model applies every
    actor's moves afterwards in a canonical order, so the order Mesa activates agents in
    cannot change a result.
    """

    def __init__(self, model: mesa.Model, name: str, idx: int, role: str, policy: str, params) -> None:
        super().__init__(model)
        self.name, self.idx, self.role, self.policy_name = name, idx, role, policy
        self.policy = resolve_policy(policy, role)
        self.params = params
        self.moves: list[Move] = []

    def decide(self, snapshot: Snapshot, draws) -> None:
        self.moves = self.policy(snapshot, self.idx, self.params, draws.actor(self.idx), self.model.on)
