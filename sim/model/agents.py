"""The actors: Mesa agents that hold a policy and its parameters, and decide."""

from __future__ import annotations

from typing import Sequence

import mesa

from sim.model.actions import Action
from sim.model.observation import Observation
from sim.model.policies import make_params, resolve_policy
from sim.schema.scenario import ActorSpec


class Actor(mesa.Agent):
    """A state. Its policy is a pure function; the agent only binds it to its parameters."""

    def __init__(self, model: mesa.Model, name: str, idx: int, spec: ActorSpec, mech) -> None:
        super().__init__(model)
        self.name, self.idx, self.role = name, idx, spec.role
        self.policy_name = spec.policy.name
        self.policy = resolve_policy(spec.policy.name, spec.role)
        self.params = make_params(spec.policy.name, spec.role, dict(spec.policy.params))
        for key in mech.zero_params.get(spec.role, ()):
            setattr(self.params, key, 0.0)

    def decide(self, obs: Observation, u: Sequence[float]) -> tuple[Action, ...]:
        return self.policy(obs, self.idx, self.params, u)
