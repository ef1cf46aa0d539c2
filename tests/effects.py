"""Direction-of-effect claims of the mechanisms M1-M13, measured over ensembles on common random numbers.

Each claim compares the same replications (same seeds) with and without the mechanism's
driver (drills, a visit, an election, low support, ...) and returns named effects with their
standard errors. ``tests/test_mechanisms.py`` requires every effect to be clearly positive
with the mechanism on, and to vanish (within noise, usually exactly) with it switched off.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pandas as pd

from sim.model import EscalationModel
from sim.run import tables
from sim.schema.loader import load_scenario
from sim.schema.paths import apply_overrides

Z = 3.0  # an effect is "clearly positive" above three standard errors


@dataclass(frozen=True)
class Effect:
    mean: float
    se: float

    @property
    def z(self) -> float:
        if self.se == 0:
            return 0.0 if self.mean == 0 else math.copysign(math.inf, self.mean)
        return self.mean / self.se

    def __repr__(self) -> str:
        return f"{self.mean:.4g} (se {self.se:.2g}, z {self.z:.1f})"


def paired(high: np.ndarray, low: np.ndarray) -> Effect:
    d = np.asarray(high, float) - np.asarray(low, float)
    return Effect(float(d.mean()), float(d.std(ddof=1) / math.sqrt(len(d))) if len(d) > 1 else 0.0)


def single(values: np.ndarray) -> Effect:
    return paired(values, np.zeros(len(values)))


def scenario(name: str, mid: str, on: bool, **changes):
    """A bundled scenario at the hand-set values (``uncalibrated``) with dotted-path changes, and
    mechanism ``mid`` off unless ``on``.

    A mechanism's test checks what the mechanism does at the weight it was designed with; the
    calibrated weights (which the record may find weak) are the bundled scenarios' own business.
    """
    sc = uncalibrated(load_scenario(name))
    if not on:
        changes = {**changes, f"mechanisms.{mid}": False}
    return apply_overrides(sc, changes) if changes else sc


def uncalibrated(sc):
    """The scenario with every calibrated parameter back at its documented hand-set default."""
    return apply_overrides(sc, {p: v for p, v in _priors().items()
                                if not p.startswith("actors.") or p.split(".")[1] in sc.actors})


@functools.cache
def _priors() -> dict:
    """The schema default of every parameter the packaged calibration sets."""
    from pathlib import Path

    import yaml

    from sim.schema.loader import calibration_file
    from sim.schema.params import ROLE_PARAMS, ClassWeights, EffectParams

    roles = {name: spec.role for name, spec in load_scenario("baseline").actors.items()}
    table = yaml.safe_load(calibration_file("2010-2019", Path(".")).read_text())["parameters"]
    out = {}
    for path in table:
        parts = path.split(".")
        if parts[0] == "effects":
            out[path] = EffectParams.model_fields[parts[1]].default
        elif parts[-2] == "class_weights":
            out[path] = ClassWeights.model_fields[parts[-1]].default
        else:
            out[path] = ROLE_PARAMS[roles[parts[1]]].model_fields[parts[-1]].default
    return out



class Part:
    """One scenario's replications within a shared ensemble, read as if that scenario ran alone.

    Replication i of an ensemble is a single run bit for bit, also when the ensemble mixes
    scenarios (tests/test_ensemble.py), so a part gives exactly the numbers ``run`` alone would.
    Stepping a claim's arms as one ensemble pays the model's fixed cost per day once.
    """

    def __init__(self, m, reps: slice, shared: dict) -> None:
        self.model, self.reps, self._shared = m, reps, shared
        self.R, self.n_days, self.cast = reps.stop - reps.start, m.n_days, m.cast
        self.calendars = [m.calendars[m.group[reps.start]]]
        self.daily = {k: v[:, reps] for k, v in m.recorder.daily.items()} if m.recorder.keep_daily else {}
        self.world = SimpleNamespace(**{k: v[reps] for k, v in vars(m.world).items()
                                        if isinstance(v, np.ndarray) and v.ndim and len(v) == m.R})

    def summaries(self) -> dict[str, np.ndarray]:
        if "summaries" not in self._shared:
            self._shared["summaries"] = tables.summaries(self.model)
        return {k: v[self.reps] for k, v in self._shared["summaries"].items()}

    def events(self) -> pd.DataFrame:
        if "events" not in self._shared:
            self._shared["events"] = tables.events_frame(self.model)
        ev = self._shared["events"]
        ev = ev[(ev["rep"] >= self.reps.start) & (ev["rep"] < self.reps.stop)]
        return ev.assign(rep=ev["rep"] - self.reps.start)


def runs(*scenarios, R: int | list[int], days: int | None = None, seed: int = 11, daily: bool = False,
         events: bool = False) -> list[Part]:
    """``[run(sc, R) for sc in scenarios]``, stepped as one ensemble (``R`` may differ per scenario)."""
    sizes = [R] * len(scenarios) if isinstance(R, int) else list(R)
    members, seeds, cuts = [], [], [0]
    for sc, r in zip(scenarios, sizes, strict=True):
        members += [sc] * r
        seeds += np.random.SeedSequence(seed).spawn(r)
        cuts.append(cuts[-1] + r)
    m = EscalationModel(members, seeds, days=days, daily=daily, events=events).run()
    shared: dict = {}
    return [Part(m, slice(a, b), shared) for a, b in zip(cuts, cuts[1:])]


@dataclass(frozen=True)
class Ask:
    """A claim's request for ``runs(*scenarios, R=sizes, days=..., daily=..., events=...)``."""

    scenarios: tuple
    sizes: tuple
    days: int | None
    daily: bool
    events: bool


def ask(*scenarios, R: int | list[int], days: int | None = None, daily: bool = False, events: bool = False) -> Ask:
    sizes = tuple([R] * len(scenarios) if isinstance(R, int) else R)
    return Ask(scenarios, sizes, days, daily, events)


def measure(claim, *switches: bool) -> list[dict]:
    """``[claim(on) for on in switches]``, the claims stepped in lockstep: each round of their
    requests runs as one ensemble (what is recorded is the union of what they ask for, which
    changes no run), so the mechanism on and off pay the model's fixed cost per day once."""
    gens = [claim(on) for on in switches]
    asks = [next(g) for g in gens]
    while True:
        days = {a.days for a in asks}
        assert len(days) == 1, f"a claim's arms must share a horizon in lockstep: {days}"
        parts = runs(*[sc for a in asks for sc in a.scenarios], R=[r for a in asks for r in a.sizes],
                     days=days.pop(), daily=any(a.daily for a in asks), events=any(a.events for a in asks))
        replies, k = [], 0
        for a in asks:
            replies.append(parts[k:k + len(a.scenarios)])
            k += len(a.scenarios)
        done, asks = [], []
        for g, reply in zip(gens, replies):
            try:
                asks.append(g.send(reply))
            except StopIteration as stop:
                done.append(stop.value)
        if done:
            assert len(done) == len(gens), "a claim must ask the same rounds whatever its switch"
            return done


def run(sc, R: int, days: int | None = None, seed: int = 11, daily: bool = False, events: bool = False) -> Part:
    return runs(sc, R=R, days=days, seed=seed, daily=daily, events=events)[0]


def outcome(part: Part, name: str) -> np.ndarray:
    return part.summaries()[name]


def count_events(part: Part, actor: str | None = None, kinds=(), source: str | None = "policy") -> np.ndarray:
    ev = part.events()
    keep = ev["action"].isin(kinds)
    if actor:
        keep &= ev["actor"] == actor
    if source:
        keep &= ev["source"] == source
    return np.bincount(ev.loc[keep, "rep"].to_numpy(), minlength=part.R)


def launches(months=range(1, 13), cls: str = "MRBM_IRBM", day: int = 10, year: int = 2023, every: int = 0) -> list[dict]:
    """Forced DPRK launches: on ``day`` of each month, or every ``every`` days of the year."""
    import datetime as dt
    dates = ([dt.date(year, 1, 1) + dt.timedelta(days=d) for d in range(5, 360, every)] if every
             else [dt.date(year, mo, day) for mo in months])
    return [{"type": "action", "date": d, "actor": "DPRK", "action": "missile_test", "missile_class": cls,
             "target": "US", "salvo": 2} for d in dates]


def scripted(name: str, mid: str, on: bool, calendar: list[dict], **changes):
    """The DPRK does only what the calendar forces (so launches are the experiment's driver)."""
    return scenario(name, mid, on, **{"actors.DPRK.policy.name": "scripted", "calendar": calendar, **changes})


def window_launches(part: Part, first: int, last: int) -> np.ndarray:
    test = part.daily["test_day"]
    return test[max(first, 0):last + 1].sum(axis=0)
