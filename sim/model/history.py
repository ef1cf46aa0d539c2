"""The world at the start of a run: as the scenario states it, or as the historical record left it.

A scenario built from the packaged data (``historical_calendar`` with ``state: true``) that
starts after ``ANCHOR`` starts from the world the data say it was in on its start date: the
model itself replays the record from the anchor to the day before (UN resolutions, the
governments in office, the patron's milestones, declared lines, the observed launches and
their lessons), with every actor scripted so that only dated facts move the stocks, and
hands the final state on. The scenario's own stated world is the world of the anchor day.
The packaged launch record ends on ``RECORD_END``: a later start learns from it up to then.
"""

from __future__ import annotations

import datetime as dt
import functools
from types import SimpleNamespace

from sim.model.cast import Cast
from sim.model.setup import Stacker
from sim.model.world import DIALOGUE_STATES
from sim.schema.historical import ANCHOR, RECORD_END
from sim.schema.params import MISSILE_CLASSES
from sim.schema.scenario import Scenario

STOCKS = ("sanctions", "cooperation", "progressive", "development", "hostility", "monitoring")


def initial_world(stack: Stacker, cast: Cast, scenarios) -> SimpleNamespace:
    """Per-replication starting values of the world's stocks and policy state."""
    states = [start_state(sc) for sc in scenarios]

    def pick(name: str, own):
        return stack(lambda sc: states[scenarios.index(sc)][name] if states[scenarios.index(sc)] else own(sc))

    w = lambda attr: (lambda sc: getattr(sc.world, attr))  # noqa: E731
    return SimpleNamespace(
        sanctions=pick("sanctions", w("sanctions")), cooperation=pick("cooperation", w("cooperation")),
        domestic_support=stack(w("domestic_support")), public_dialogue_share=stack(w("public_dialogue_share")),
        progressive=pick("progressive", lambda sc: sc.world.orientation == "progressive"),
        dialogue=stack(lambda sc: DIALOGUE_STATES.index(sc.world.dialogue_state), int),
        development_line=pick("development", w("development_line")),
        hostility_doctrines=pick("hostility", w("hostility_doctrines")), monitoring=pick("monitoring", w("monitoring")),
        capability=pick("capability", lambda sc: [getattr(sc.actors[sc.provocateur].capability, k)
                                                  for k in MISSILE_CLASSES]),
    )


def start_state(sc: Scenario) -> dict | None:
    """The data's world on ``sc.start`` (None when the scenario states its own start)."""
    if sc.history is None or not sc.history.state or sc.start <= ANCHOR:
        return None
    return dict(_replayed(sc.model_dump_json(exclude={"extends"})))


@functools.lru_cache(maxsize=32)
def _replayed(scenario_json: str) -> tuple:
    from sim.model.model import EscalationModel

    sc = Scenario.model_validate_json(scenario_json)
    m = EscalationModel(prior_scenario(sc), 0, daily=False, events=False).run()
    w = m.world
    return (("sanctions", float(w.sanctions[0])), ("cooperation", float(w.cooperation[0])),
            ("progressive", bool(w.progressive[0])), ("development", float(w.development[0])),
            ("hostility", float(w.hostility[0])), ("monitoring", float(w.monitoring[0])),
            ("capability", tuple(float(v) for v in w.capability[0])))


def prior_scenario(sc: Scenario) -> Scenario:
    """The record from the anchor to the day before ``sc.start``, replayed with every actor scripted."""
    from sim.schema.loader import scenario_from_dict

    h = sc.history
    end = sc.start - dt.timedelta(days=1)
    data = sc.model_dump(mode="json", exclude={"extends", "history", "calendar", "sources", "days", "end"})
    for spec in data["actors"].values():
        spec["policy"]["name"] = "scripted"
    data.update(name=f"{sc.name} (record to {end})", start=str(ANCHOR), end=str(end), calendar=[],
                historical_calendar={"start": str(ANCHOR), "end": str(end), "include": list(h.include), "state": False,
                                     "replay_until": str(min(end, RECORD_END)), "aliases": dict(h.aliases),
                                     "replay_record": h.replay_record})
    if h.replay_record == "calendar":  # a synthetic record: the scenario's own forced launches before its start
        data["calendar"] = [e.model_dump(mode="json") for e in sc.calendar
                            if e.type == "action" and e.actor == sc.provocateur and e.date <= end]
    data["dynamics"]["noise"] = 0.0
    return scenario_from_dict(data, origin=f"{sc.name}: the record before {sc.start}")
