"""The explorer page, for the Solara server: `escalation explore [SCENARIO]` serves this module.

The scenario comes from the environment (ESCALATION_EXPLORE_SCENARIO, set by the command;
default baseline), so one page explores one scenario and the sliders start at that
scenario's own values. Each browser session gets its own model. The page is laid out here
rather than by Mesa's SolaraViz: SolaraViz's sliders do not show their values, its Play
redraws every component after every step, and its panel grid needs a Vue 2 library that
stays blank under current ipyvue's Vue 3 front-end. The controls keep SolaraViz's meaning:
a moved slider takes effect on Reset, which builds a new model from the sliders' values.
"""

from __future__ import annotations

import os
import warnings

import solara

from sim.explore import components as ui
from sim.explore.model import SCENARIO_ENV, model_params

# Solara warns, on every page load over plain http from any host name but "localhost", that it
# cannot set a samesite=none cookie (needed only when the page is embedded in another site's
# iframe) and falls back to samesite=lax. For a page served to this machine that is the right
# cookie, and the 12-line warning is noise, so it is silenced here and by the command.
warnings.filterwarnings("ignore", message="Cookies with samesite=none require https", category=UserWarning)

SCENARIO = os.environ.get(SCENARIO_ENV) or "baseline"
PARAMS = model_params(SCENARIO)


def initial_values(params: dict) -> dict:
    """The sliders' starting values (the scenario's own), by parameter name."""
    return {k: v["value"] for k, v in params.items() if isinstance(v, dict) and "type" in v}


@solara.component
def Page():
    start = solara.use_memo(lambda: initial_values(PARAMS), [])
    values = solara.use_reactive(start)  # the sliders, as moved
    applied = solara.use_reactive(start)  # the values the running model was built with
    live = solara.use_reactive(solara.use_memo(lambda: ui.new_live(start, SCENARIO), []))
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(ui.SPEED["value"])
    tick = solara.use_reactive(0)

    def reset():
        playing.set(False)
        chosen = dict(values.value)
        live.set(ui.new_live(chosen, SCENARIO))
        applied.set(chosen)

    solara.Title(f"Escalation explorer — {live.value.model.spec.name}")
    with solara.AppBar():
        solara.AppBarTitle(f"Korean peninsula escalation — {live.value.model.spec.name}")
    with solara.Sidebar():
        with solara.Card("Run", margin=0):
            ui.Controls(live, playing, speed, tick, reset)
        with solara.Card("Model parameters", margin=0, style={"margin-top": "12px"}):
            ui.Parameters(PARAMS, values, applied.value)
        with solara.Card("Information", margin=0, style={"margin-top": "12px"}):
            ui.Timings(live.value, tick)
    with solara.Column(gap="8px", style={"padding": "0 16px 8px 16px"}):
        solara.Style(ui.CSS)
        ui.Status(live.value, tick)
        ui.Panels(live.value, tick)
