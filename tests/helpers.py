"""Shared helpers for the model tests: build variants of a scenario and run many seeds."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.run.single import simulate
from sim.schema.loader import load_scenario, scenario_from_dict
from sim.schema.paths import apply_overrides
from sim.schema.scenario import Scenario


def variant(base: Scenario | str, **changes: Any) -> Scenario:
    """A copy of a scenario with dotted-path changes, e.g. variant(sc, **{"world.sanctions": 0.9})."""
    sc = load_scenario(base) if isinstance(base, str) else base
    return apply_overrides(sc, changes)


def summaries(sc: Scenario, seeds: int = 40, days: int | None = None) -> list[dict]:
    return [simulate(sc, seed=s, days=days).summary for s in range(seeds)]


def mean(rows: list[dict], key: str) -> float:
    return float(np.mean([float(r[key]) for r in rows]))


def paired(a: list[dict], b: list[dict], key: str) -> np.ndarray:
    """Paired differences b - a over the same seeds (common random numbers)."""
    return np.array([float(y[key]) - float(x[key]) for x, y in zip(a, b)])


def two_actor(a: float, b: float, m: float, n: float, g: float, h: float, x0: float = 0.0,
              y0: float = 0.0, noise: float = 0.0, actions: bool = False, days: int = 100) -> Scenario:
    """The smallest world: one provocateur and one ally whose tensions follow Richardson exactly."""
    return scenario_from_dict({
        "name": "richardson", "description": "two actors, Richardson dynamics", "start": "2020-01-01", "days": days,
        "actors": {"X": {"role": "provocateur", "restraint": m, "readiness": 0.0},
                   "Y": {"role": "ally", "restraint": n, "readiness": 0.0}},
        "relations": [{"a": "X", "b": "Y", "kind": "adversary", "reaction_ab": a, "reaction_ba": b,
                       "grievance_ab": g, "grievance_ba": h, "tension_ab": x0, "tension_ba": y0}],
        "dynamics": {"noise": noise, "actions": actions},
    })


def rename_actors(sc: Scenario, mapping: dict[str, str]) -> Scenario:
    """The same scenario with every actor renamed consistently (keys, roles, relations, calendar)."""
    data = sc.model_dump(mode="python", exclude_none=True)
    new = lambda name: mapping.get(name, name)  # noqa: E731
    data["actors"] = {new(a): spec for a, spec in data["actors"].items()}
    roles = data.get("roles", {})
    for key, value in list(roles.items()):
        roles[key] = [new(v) for v in value] if isinstance(value, list) else new(value)
    for rel in data.get("relations", []):
        rel["a"], rel["b"] = new(rel["a"]), new(rel["b"])
    for ev in data.get("calendar", []):
        for key in ("participants", "vetoed_by"):
            if ev.get(key) is not None:
                ev[key] = [new(v) for v in ev[key]]
        for key in ("host", "visitor", "actor", "target", "country", "patron", "sponsor"):
            if ev.get(key):
                ev[key] = new(ev[key])
        if "tension" in ev:
            ev["tension"] = {"->".join(new(p.strip()) for p in k.split("->")): v for k, v in ev["tension"].items()}
    return scenario_from_dict(data)
