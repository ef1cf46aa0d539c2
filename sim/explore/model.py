"""The explorer's model: EscalationModel built from keyword parameters, as SolaraViz wants it.

SolaraViz re-creates the model on Reset as ``type(model)(**params)`` with the values of its
sliders, so `ExplorerModel` takes the scenario by name and a handful of key parameters as
plain floats, lays them over the scenario, and is otherwise the EscalationModel itself:

    ExplorerModel(scenario_name="baseline", seed=1, days=120, drill_response=2.0)

A parameter left at None, or at the scenario's own value, leaves the scenario as it is, so
the explorer with its sliders untouched runs exactly what `escalation run SCENARIO --seed S
--days D` runs.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from typing import Any

from sim.model import EscalationModel
from sim.schema.loader import load_scenario, scenario_from_dict
from sim.schema.scenario import Scenario

TOLERANCE = 1e-9  # plus half a slider step: a slider snaps a calibrated value (0.617) to its grid (0.6)
SCENARIO_ENV = "ESCALATION_EXPLORE_SCENARIO"  # the scenario the served page explores (set by the command)


@dataclass(frozen=True)
class Knob:
    """One slider: which scenario value(s) it sets, its label and range."""

    name: str
    label: str
    where: str          # "provocateur", "ally" or "patron" (policy parameter of every such actor), or "world"/"dynamics"
    low: float
    high: float
    step: float
    help: str


KNOBS: tuple[Knob, ...] = (
    Knob("drill_response", "DPRK: launch response to drills", "provocateur", 0.0, 4.0, 0.05,
         "M1: log-hazard of a launch during and just after allied drills"),
    Knob("election_leverage", "DPRK: US election leverage", "provocateur", 0.0, 3.0, 0.05,
         "M3: log-hazard in the run-up to a US presidential election"),
    Knob("tension_response", "DPRK: response to tension", "provocateur", 0.0, 3.0, 0.05,
         "M7: log-hazard per unit of tension toward its adversaries"),
    Knob("response_rate", "Allies: answer launches", "ally", 0.0, 1.0, 0.01,
         "M5: chance an ally answers a launch with a show of force or drill (sets every ally)"),
    Knob("cooperation_rate", "Russia: military cooperation", "patron", 0.0, 0.05, 0.001,
         "M9: the patron's daily chance of an act of military cooperation (sets every patron)"),
    Knob("sanctions", "World: initial sanctions", "world", 0.0, 1.0, 0.01,
         "initial sanctions pressure on the DPRK (0..1)"),
    Knob("noise", "Dynamics: tension noise", "dynamics", 0.0, 0.1, 0.001,
         "standard deviation of the daily tension noise"),
)
KNOB_NAMES = tuple(k.name for k in KNOBS)


@functools.lru_cache(maxsize=32)
def base_scenario(ref: str) -> Scenario:
    """The scenario file or bundled name, loaded once (ScenarioError if bad)."""
    return load_scenario(ref)


@functools.lru_cache(maxsize=32)
def scenario_values(ref: str) -> dict[str, float]:
    """The value of every knob in the scenario as run: policy defaults with the scenario's overrides.

    A role's knob reads the first actor of that role (the provocateur; US, else the first ally;
    the first patron). Read from the model's own actors, so doctrine defaults and switched-off
    mechanisms count exactly as in a run.
    """
    sc = base_scenario(ref)
    out: dict[str, float] = {}
    for knob in KNOBS:
        if knob.where == "world":
            out[knob.name] = float(sc.world.sanctions)
        elif knob.where == "dynamics":
            out[knob.name] = float(sc.dynamics.noise)
        else:
            actors = _actors_of(sc, knob.where)
            out[knob.name] = float(getattr(sc.actors[actors[0]].policy.params, knob.name)) if actors else float("nan")
    return out


def _actors_of(sc: Scenario, role: str) -> list[str]:
    names = sorted(n for n, a in sc.actors.items() if a.role == role)
    lead = sc.roles.leverage
    if role == "ally" and lead in names:  # the leverage power speaks for the allies' default
        names.remove(lead)
        names.insert(0, lead)
    return names


def configure(ref: str, **values: float | None) -> tuple[Scenario, dict[str, tuple[float, float]]]:
    """The scenario with the knobs' values laid over it, and the changes made {knob: (old, new)}."""
    unknown = sorted(set(values) - set(KNOB_NAMES))
    if unknown:
        raise ValueError(f"unknown explorer parameter '{unknown[0]}' (expected one of: {', '.join(KNOB_NAMES)})")
    sc = base_scenario(ref)
    current = scenario_values(ref)
    changes = {k: (current[k], float(v)) for k, v in values.items()
               if v is not None and not abs(float(v) - current[k]) <= TOLERANCE + _half_step(k)}
    if not changes:
        return sc, {}
    data = copy.deepcopy(sc.model_dump(mode="python", exclude={"extends"}))
    by_name = {k.name: k for k in KNOBS}
    for name, (_, new) in changes.items():
        knob = by_name[name]
        if knob.where == "world":
            data["world"]["sanctions"] = new
        elif knob.where == "dynamics":
            data["dynamics"]["noise"] = new
        else:
            for actor in _actors_of(sc, knob.where):
                data["actors"][actor]["policy"]["params"][name] = new
    return scenario_from_dict(data, origin=f"{ref} (explorer)"), changes


class ExplorerModel(EscalationModel):
    """EscalationModel of a scenario with the explorer's knobs; keyword parameters only (SolaraViz).

    `seed` None means the scenario's own seed; `days` None its own horizon. The remaining
    parameters are the knobs of KNOBS (None: as in the scenario).
    """

    def __init__(self, scenario_name: str = "baseline", seed: int | None = None, days: int | None = None,
                 drill_response: float | None = None, election_leverage: float | None = None,
                 tension_response: float | None = None, response_rate: float | None = None,
                 cooperation_rate: float | None = None, sanctions: float | None = None,
                 noise: float | None = None) -> None:
        knobs = dict(drill_response=drill_response, election_leverage=election_leverage,
                     tension_response=tension_response, response_rate=response_rate,
                     cooperation_rate=cooperation_rate, sanctions=sanctions, noise=noise)
        scenario, self.changes = configure(scenario_name, **knobs)
        self.scenario_name = scenario_name
        self.seed = int(seed) if seed is not None else int(scenario.seed)
        super().__init__(scenario, days=int(days) if days else None, rng=self.seed)


def model_params(ref: str) -> dict[str, Any]:
    """SolaraViz's model_params: the scenario (fixed), seed and days, and one slider per knob."""
    sc = base_scenario(ref)
    values = scenario_values(ref)
    params: dict[str, Any] = {
        "scenario_name": ref,
        "seed": {"type": "SliderInt", "value": int(sc.seed), "min": 0, "max": max(999, int(sc.seed)), "step": 1,
                 "label": "Seed"},
        "days": {"type": "SliderInt", "value": int(sc.n_days), "min": 10, "max": max(730, int(sc.n_days)), "step": 5,
                 "label": "Days"},
    }
    for knob in KNOBS:
        value = values[knob.name]
        if value != value:  # NaN: the scenario has no actor of that role
            continue
        high = max(knob.high, round(2 * value, 6))
        params[knob.name] = {"type": "SliderFloat", "value": value, "min": knob.low, "max": high,
                             "step": knob.step, "label": knob.label}
    return params


def _half_step(name: str) -> float:
    """Half the slider step of a knob: a value within it of the scenario's is the scenario's."""
    return next((k.step / 2 for k in KNOBS if k.name == name), 0.0)
