"""The observed record replayed through the model: what the likelihood conditions on.

With the provocateur's launches replayed (``historical_calendar.replay_until``), everything
else evolves in the model: sanctions, the allies' answers, tensions, support, the patron's
help. Each day's drivers of the launch hazard are then known up to the model's own noise,
which an ensemble of replays averages out. ``Replay`` holds, per day of the training window,
the mean drivers, whether a launch was observed, and per observed launch its class and salvo
with the capability the class choice saw.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from sim.model import EscalationModel
from sim.model.hazard import TERM_NAMES, class_weights
from sim.schema.historical import ANCHOR, RECORD_END
from sim.schema.loader import load_scenario, scenario_from_dict
from sim.schema.params import MISSILE_CLASSES
from sim.schema.scenario import Scenario

BASE = "historical_2010_2019"
REPLAYS = 64  # replications averaged: the drivers' model noise shrinks as 1/sqrt(REPLAYS)


@dataclass
class Replay:
    dates: np.ndarray            # (T,) datetime64[D]
    features: np.ndarray         # (T, terms): mean hazard drivers, TERM_NAMES order
    launched: np.ndarray         # (T,) bool: an observed launch day
    free: np.ndarray             # (T,) bool: the provocateur's own decision (not a summit day)
    choices: np.ndarray          # (L,) class index of each observed (day, class) launch entry
    reach: np.ndarray            # (L, classes): the class propensities with unit class weights
    salvos: np.ndarray           # (L,) missiles of each entry
    scenario: Scenario


def replay_scenario(until: dt.date = RECORD_END, base: str | Scenario = BASE, start: dt.date = ANCHOR,
                    record: list[dict] | None = None, values: dict | None = None) -> Scenario:
    """The base scenario from ``start`` to ``until`` with the launch record replayed to ``until``.

    ``record`` (forced-action entries) replaces the packaged observed record: a synthetic record
    for tests that calibration recovers known parameters.
    """
    sc = load_scenario(base) if isinstance(base, str) else base
    data = sc.model_dump(mode="json", exclude={"extends", "history", "sources", "calendar", "days"})
    hc = {"start": str(start), "end": str(until), "replay_until": str(until), "state": False}
    if record is not None:
        hc["replay_record"] = "calendar"
    data.update(start=str(start), end=str(until), calendar=list(record or []), historical_calendar=hc)
    out = scenario_from_dict(data, origin=f"replay of {sc.name} to {until}")
    if values:
        from sim.schema.paths import apply_overrides
        out = apply_overrides(out, values)
    return out


def run_replay(sc: Scenario, replays: int = REPLAYS, seed: int = 0) -> Replay:
    """Run the replay ensemble and collect what the likelihood needs."""
    return run_replays([sc], replays, seed)[0]


def run_replays(scenarios: list[Scenario], replays: int = REPLAYS, seed: int = 0) -> list[Replay]:
    """Several replays (same cast and window, e.g. synthetic records) stepped as one ensemble.

    Each scenario's replications use the seeds ``run_replay`` gives it, so each Replay equals
    the one ``run_replay`` returns alone, bit for bit; stepping them together pays the model's
    fixed cost per day once."""
    seeds = np.random.SeedSequence(seed).spawn(replays)
    m = EscalationModel([sc for sc in scenarios for _ in range(replays)], list(seeds) * len(scenarios),
                        daily=True, events=False, hazard_features=True).run()
    return [_collect(m, sc, slice(k * replays, (k + 1) * replays)) for k, sc in enumerate(scenarios)]


def _collect(m, sc: Scenario, reps: slice) -> Replay:
    T = m.n_days
    days = np.datetime64(sc.start, "D") + np.arange(T)
    launched = np.zeros(T, dtype=bool)
    entries = [e for e in sc.calendar if e.type == "action" and e.action == "missile_test" and e.actor == sc.provocateur]
    capability = m.recorder.daily["capability"][:, reps].mean(axis=1)           # (T, classes)
    calendar = m.calendars[m.group[reps.start]]
    choices, reach, salvos = [], [], []
    for e in entries:
        t = (e.date - sc.start).days
        if not 0 <= t < T:
            continue
        launched[t] = True
        choices.append(MISSILE_CLASSES.index(e.missile_class))
        salvos.append(e.salvo)
        reach.append(_reach(calendar, t, capability[t - 1] if t else capability[0]))
    return Replay(days, m.recorder.features[:, reps].mean(axis=1), launched, ~calendar.summit[:T],
                  np.array(choices, dtype=np.int64), np.array(reach).reshape(len(choices), len(MISSILE_CLASSES)),
                  np.array(salvos, dtype=np.int64), sc)


def _reach(cal, t: int, capability: np.ndarray) -> np.ndarray:
    """The class propensities on day t with every class weight 1 (the M6 ladder and M2/M3 tilts)."""
    from types import SimpleNamespace

    from sim.model.world import Snapshot  # noqa: F401  (the fields class_weights reads)

    snap = SimpleNamespace(capability=capability[None, :], election=np.array([cal.election[t]]),
                           signal=np.array([cal.signal[t]]))
    unit = SimpleNamespace(class_weights=SimpleNamespace(**{k: 1.0 for k in MISSILE_CLASSES}))
    on = SimpleNamespace(M2=np.ones(1), M3=np.ones(1))
    return class_weights(snap, unit, on)[0]


__all__ = ["BASE", "REPLAYS", "Replay", "TERM_NAMES", "replay_scenario", "run_replay", "run_replays"]
