"""The explorer page, for the Solara server: `escalation explore [SCENARIO]` serves this module.

The scenario comes from the environment (ESCALATION_EXPLORE_SCENARIO, set by the command;
default baseline), so one page explores one scenario and the sliders start at that
scenario's own values. Each browser session gets its own model. Mesa's SolaraViz supplies
the controls (Reset, Play/Pause, Step) and the parameter sliders; a moved slider takes
effect on Reset, which re-creates the model with the sliders' values.
"""

from __future__ import annotations

import os

import solara
from mesa.visualization import SolaraViz

from sim.explore.components import Panels
from sim.explore.model import SCENARIO_ENV, ExplorerModel, model_params

SCENARIO = os.environ.get(SCENARIO_ENV) or "baseline"
PARAMS = model_params(SCENARIO)


def initial_kwargs(params: dict) -> dict:
    """The model's keyword arguments at the sliders' starting values."""
    return {k: (v["value"] if isinstance(v, dict) and "type" in v else v) for k, v in params.items()}


@solara.component
def Page():
    # One model per browser session, in a reactive variable shared with SolaraViz: its Reset
    # replaces the model, its Step/Play advance it and bump Mesa's update counter.
    model = solara.use_reactive(solara.use_memo(lambda: ExplorerModel(**initial_kwargs(PARAMS)), []))
    SolaraViz(model, components=[], model_params=PARAMS, play_interval=150,
              name=f"Korean peninsula escalation — {model.value.spec.name}")
    Panels(model.value)
