"""An ensemble's numbers: every scenario value as an array with a leading replication axis.

Replications may come from different scenarios (a batch, a sweep's design points, a
calibration's particles) as long as they share one cast and horizon. Each distinct scenario
is read once; its values are then gathered to the replications that use it, so a value can
differ per replication while every rule stays one vectorised expression.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Callable, Sequence

import numpy as np
from pydantic import BaseModel

from sim.model.cast import Cast
from sim.schema.params import MECHANISMS, MISSILE_CLASSES
from sim.schema.scenario import Scenario

STANCE = {"hawk": 1.0, "dove": -1.0}  # the hawk and dove variants of a reactive doctrine


class Stacker:
    """Gather per-scenario values into per-replication arrays."""

    def __init__(self, scenarios: Sequence[Scenario], group: np.ndarray) -> None:
        self.scenarios, self.group = list(scenarios), np.asarray(group)

    def __call__(self, get: Callable[[Scenario], Any], dtype=float) -> np.ndarray:
        values = np.array([get(sc) for sc in self.scenarios], dtype=dtype)
        return values[self.group]

    def model(self, get: Callable[[Scenario], BaseModel]) -> SimpleNamespace:
        """A pydantic parameter model as a namespace of (R,) arrays (nested models as namespaces)."""
        first = get(self.scenarios[0])
        out = {}
        for name, value in first:
            if isinstance(value, BaseModel):
                out[name] = self.model(lambda sc, name=name: getattr(get(sc), name))
            else:
                out[name] = self(lambda sc, name=name: getattr(get(sc), name))
        return SimpleNamespace(**out)


def distinct(scenarios: Sequence[Scenario]) -> tuple[list[Scenario], np.ndarray]:
    """Distinct scenario objects and, per replication, which one it runs."""
    seen: dict[int, int] = {}
    unique: list[Scenario] = []
    group = np.empty(len(scenarios), dtype=np.int64)
    for r, sc in enumerate(scenarios):
        if id(sc) not in seen:
            seen[id(sc)] = len(unique)
            unique.append(sc)
        group[r] = seen[id(sc)]
    return unique, group


def ensemble_key(sc: Scenario, days: int | None) -> tuple:
    """Scenarios with equal keys can be stepped together in one ensemble."""
    from sim.model.doctrines.policies import POLICIES

    return (Cast.of(sc).key(), sc.start, days or sc.n_days, sc.dynamics.actions,
            tuple(POLICIES[sc.actors[a].policy.name] for a in sorted(sc.actors)))


def check_compatible(scenarios: Sequence[Scenario], days: int | None) -> Cast:
    cast, first = Cast.of(scenarios[0]), ensemble_key(scenarios[0], days)
    for sc in {id(s): s for s in scenarios[1:]}.values():
        if ensemble_key(sc, days) != first:
            raise ValueError(f"scenario '{sc.name}' differs from '{scenarios[0].name}' in cast, start, horizon "
                             "or policy family: run them as separate ensembles")
    return cast


def gates(stack: Stacker) -> SimpleNamespace:
    """Mechanism switches as (R,) 0/1 floats: a rule multiplies (or masks) each of its paths by one."""
    return SimpleNamespace(**{m: stack(lambda sc, m=m: sc.mechanism_on(m)) for m in MECHANISMS})


def actor_params(stack: Stacker, cast: Cast) -> list[SimpleNamespace]:
    """Per actor: its policy parameters as (R,) arrays, plus its stance (hawk +1, dove -1)."""
    out = []
    for name in cast.names:
        ns = stack.model(lambda sc, name=name: sc.actors[name].policy.params)
        ns.stance = stack(lambda sc, name=name: STANCE.get(sc.actors[name].policy.name, 0.0))
        out.append(ns)
    return out


def relation_arrays(stack: Stacker, cast: Cast) -> SimpleNamespace:
    """Richardson reaction K, grievance G and starting tension X as (R, n, n)."""
    n, ix = cast.n, {a: i for i, a in enumerate(cast.names)}

    def matrix(sc: Scenario, ab: str, ba: str) -> np.ndarray:
        m = np.zeros((n, n))
        for r in sc.relations:
            i, j = ix[r.a], ix[r.b]
            m[i, j], m[j, i] = getattr(r, ab), getattr(r, ba)
        return m

    def cohesion(sc: Scenario) -> list[float]:
        c = {tuple(sorted((ix[r.a], ix[r.b]))): r.cohesion for r in sc.relations if r.kind == "alliance"}
        return [c[pair] for pair in cast.alliances]

    per_actor = lambda attr: stack(lambda sc: [getattr(sc.actors[a], attr) for a in cast.names])  # noqa: E731
    return SimpleNamespace(
        K=stack(lambda sc: matrix(sc, "reaction_ab", "reaction_ba")),
        G=stack(lambda sc: matrix(sc, "grievance_ab", "grievance_ba")),
        X=stack(lambda sc: matrix(sc, "tension_ab", "tension_ba")),
        cohesion=stack(cohesion).reshape(len(stack.group), len(cast.alliances)),
        restraint=per_actor("restraint"), sensitivity=per_actor("sensitivity"),
        exposure=per_actor("exposure"), readiness=per_actor("readiness"),
        capability=stack(lambda sc: [getattr(sc.actors[cast.names[cast.prov]].capability, k) for k in MISSILE_CLASSES]),
    )
