"""The explorer page's parts: run controls, parameter sliders that show their values, status, panels.

The page keeps a `Live` (sim.explore.live): the model with its trace and live panels. A Step
or a Play frame advances it and draws what changed, then bumps `tick`; only the components
that read `tick` (status, panels, timing) render again, and the sliders do not. A moved
slider takes effect on Reset, which builds a new model from the sliders' values, as Mesa's
SolaraViz does.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

import solara

from sim.explore.live import Live
from sim.explore.model import KNOBS, ExplorerModel
from sim.explore.panels import CurvePanel, NetworkPanel
from sim.explore.timeline import TimelinePanel
from sim.explore.trace import Trace

SPEED = {"value": 15, "min": 1, "max": 60, "step": 1}  # Play speed, simulated days per second
FRAME = 0.1  # seconds: the Play loop draws at most this often
HELP = {k.name: k.help for k in KNOBS} | {"seed": "the seed of the run's random draws",
                                          "days": "how many days the run lasts"}


# ---- words -------------------------------------------------------------------------------------
def status_line(model, trace: Trace | None = None) -> str:
    last = (trace or Trace(model)).last()
    if last is None:
        return f"Day 0 of {model.n_days}: press Step or ▶ to run from {model.spec.start}."
    return (f"Day {last['day']} of {model.n_days} ({last['date']}): escalation index {last['index']:.1f}, "
            f"rung '{last['rung']}'; {last['tests']} test days, {last['missiles']} missiles so far.")


def settings_line(model) -> str:
    changed = getattr(model, "changes", {}) or {}
    name = getattr(model, "scenario_name", model.spec.name)
    seed = f"seed {getattr(model, 'seed', '?')}"
    if not changed:
        return f"Scenario '{name}' as written, {seed}."
    parts = ", ".join(f"{k} {fmt_number(old)} → {fmt_number(new)}" for k, (old, new) in changed.items())
    return f"Scenario '{name}', {seed}; changed: {parts}."


def fmt_number(x: float) -> str:
    return f"{x:.4g}"


def fmt_value(value: float, spec: dict) -> str:
    """A slider's value with as many decimals as its step has."""
    if spec["type"] == "SliderInt":
        return str(int(round(value)))
    step = f"{spec['step']:.10f}".rstrip("0")
    return f"{value:.{len(step.split('.')[1])}f}"


# ---- whole figures, for notebooks and tests ----------------------------------------------------------
def curve_figure(model):
    return CurvePanel(Trace(model)).figure()


def network_figure(model):
    return NetworkPanel(Trace(model)).figure()


def timeline_figure(model):
    return TimelinePanel(Trace(model)).figure()


# ---- components ----------------------------------------------------------------------------------
@solara.component
def Knob(name: str, spec: dict, value: float, on_value: Callable[[Any], None], scenario_value: float | None):
    """One slider with its label and its current value beside it (and the scenario's, if moved)."""
    changed = scenario_value is not None and abs(float(value) - float(scenario_value)) > 1e-9
    with solara.Column(gap="0px", classes=["escalation-knob"]):
        with solara.Row(justify="space-between", gap="8px", classes=["escalation-knob-head"]):
            with solara.Tooltip(HELP.get(name, spec["label"])):
                solara.Text(spec["label"], classes=["escalation-knob-label"])
            solara.Text(fmt_value(value, spec), classes=["escalation-knob-value"]
                        + (["escalation-knob-changed"] if changed else []))
        slider = solara.SliderInt if spec["type"] == "SliderInt" else solara.SliderFloat
        slider("", value=value, on_value=on_value, min=spec["min"], max=spec["max"], step=spec["step"],
               thumb_label=False)
        if changed:
            solara.Text(f"scenario: {fmt_value(scenario_value, spec)}", classes=["escalation-knob-default"])


@solara.component
def Parameters(params: dict, values: solara.Reactive[dict], applied: dict):
    """A Knob per slider of `params`; a note when the values differ from the running model's."""
    sliders = {k: v for k, v in params.items() if isinstance(v, dict) and "type" in v}
    for name, spec in sliders.items():
        Knob(name, spec, values.value[name], lambda v, name=name: values.set({**values.value, name: v}),
             spec["value"])
    if values.value != applied:
        solara.Info("Changed: press Reset to run with these values.", dense=True, classes=["escalation-pending"])


@solara.component
def Controls(live: solara.Reactive[Live], playing: solara.Reactive[bool], speed: solara.Reactive[int],
             tick: solara.Reactive[int], on_reset: Callable[[], None]):
    """Reset, Play/Pause and Step, and the Play speed (simulated days per second)."""
    running = live.value.model.running

    def step():
        live.value.advance(1)
        tick.set(tick.value + 1)

    solara.use_thread(lambda cancel: play(cancel, live.value, playing, speed, tick),
                      dependencies=[playing.value, live.value], intrusive_cancel=False)
    with solara.Row(justify="space-between"):
        solara.Button("Reset", color="primary", on_click=on_reset)
        solara.Button("❚❚" if playing.value else "▶", color="primary", disabled=not running,
                      on_click=lambda: playing.set(not playing.value))
        solara.Button("Step", color="primary", disabled=playing.value or not running, on_click=step)
    Knob("speed", {"type": "SliderInt", "label": "Play speed (days per second)", **SPEED}, speed.value, speed.set,
         None)


def play(cancel: threading.Event, live: Live, playing: solara.Reactive[bool], speed: solara.Reactive[int],
         tick: solara.Reactive[int]) -> None:
    """While playing: step as many days as the speed owes since the last frame, draw, repeat.

    The pace holds whatever a frame costs: a slow frame is followed by one that covers more days.
    """
    if not playing.value:
        return
    owed, last = 1.0, time.perf_counter()
    while playing.value and not cancel.is_set() and live.model.running:
        days = int(owed)
        if days:
            owed -= live.advance(days)
            tick.set(tick.value + 1)
        cancel.wait(FRAME)
        now = time.perf_counter()
        owed = min(owed + speed.value * (now - last), float(speed.value))
        last = now
    if not live.model.running and not cancel.is_set():
        playing.set(False)


@solara.component
def Status(live: Live, tick: solara.Reactive[int]):
    tick.value  # noqa: B018 (subscribe: redraw after every step)
    with solara.Card(margin=0):
        solara.Text(status_line(live.model, live.trace), classes=["escalation-status"])
        solara.Text(settings_line(live.model), classes=["escalation-settings"])


@solara.component
def Timings(live: Live, tick: solara.Reactive[int]):
    tick.value  # noqa: B018
    solara.Text(live.last.text(), classes=["escalation-timing"])


@solara.component
def Panels(live: Live, tick: solara.Reactive[int]):
    """The curve and the network side by side, the timeline below; same bytes when unchanged."""
    tick.value  # noqa: B018
    with solara.Columns([3, 2], classes=["escalation-panels"]):
        with solara.Card(margin=0):
            solara.Image(live.png("curve"), classes=["escalation-figure", "escalation-curve"])
        with solara.Card(margin=0):
            solara.Image(live.png("network"), classes=["escalation-figure", "escalation-network"])
    with solara.Card(margin=0):
        solara.Image(live.png("timeline"), classes=["escalation-figure", "escalation-timeline"])


CSS = """
.escalation-status { font-weight: bold; display: block; }
.escalation-settings { display: block; }
.escalation-timing { display: block; font-size: 0.8rem; color: #666; }
.escalation-figure { max-width: 100%; height: auto; display: block; margin: 0 auto; }
.escalation-knob { margin-bottom: 2px; }
.escalation-knob-head { align-items: baseline; }
.escalation-knob-label { font-size: 0.85rem; color: #333; }
.escalation-knob-value { font-weight: bold; font-variant-numeric: tabular-nums; min-width: 3.5em; text-align: right; }
.escalation-knob-changed { color: #b35806; }
.escalation-knob-default { font-size: 0.75rem; color: #888; margin-top: -10px; }
.escalation-knob .v-input { margin-top: 0; }
.escalation-knob .v-input__details, .escalation-knob .v-messages { display: none; }
"""


def new_live(values: dict, scenario: str) -> Live:
    """A Live of a new ExplorerModel with the sliders' `values` laid over `scenario`."""
    return Live(ExplorerModel(scenario_name=scenario, **values))
