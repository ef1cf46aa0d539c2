"""Recording: summaries accumulated day by day, and (on request) the daily table and event log.

Summaries come from running arrays, never from pandas, so a batch that keeps only summaries
builds no table at all. The daily table is written into arrays preallocated for the whole run
and turned into one DataFrame for all replications at the end; the event log keeps every
action with its cause, as arrays, and is formatted once at the end (``sim.model.eventlog``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.hazard import TERM_NAMES, features
from sim.model.ladder import N_LEVELS
from sim.model.moves import Move, pick
from sim.schema.params import MISSILE_CLASSES

SCALARS = ("escalation_index", "sanctions", "public_dialogue_share", "cooperation", "provocation_stock",
           "domestic_support")
COUNTED = ("nuclear_test", "un_sanctions_adopted", "un_sanctions_vetoed", "unilateral_sanctions", "summit",
           "armed_clash")


@dataclass(frozen=True, slots=True)
class Entry:
    """One applied move as the log keeps it: its values in the replications that moved and
    nothing else, so no full-width array of the day (a snapshot, a mask) outlives the day."""

    day: int
    kind: str
    actor: int
    source: str
    cause: str
    label: str
    rep: np.ndarray      # (k,) replications that moved
    target: np.ndarray   # (k,) target actor or -1
    cls: np.ndarray      # (k,) missile class or -1
    score: np.ndarray    # (k,) escalation score
    success: np.ndarray  # (k,) bool
    salvo: np.ndarray    # (k,) missiles (0 unless a launch)
    detail: np.ndarray | None  # (k, j) numbers the cause's sentence quotes


class Recorder:
    def __init__(self, m, daily: bool, events: bool, hazard_features: bool = False) -> None:
        R, n, days = m.R, m.cast.n, m.n_days
        self.m, self.keep_daily, self.keep_events = m, daily, events
        self.peak = np.full(R, -np.inf)
        self.total = np.zeros(R)
        self.last = np.zeros(R)
        self.levels = np.zeros((R, N_LEVELS), dtype=np.int64)
        self.episodes = np.zeros(R, dtype=np.int64)
        self._talking = np.zeros(R, dtype=bool)
        self.test_days = np.zeros(R, dtype=np.int64)
        self.missiles = np.zeros((R, len(MISSILE_CLASSES)), dtype=np.int64)
        self.first_launch = np.full(R, np.nan)
        self.counts = {k: np.zeros(R, dtype=np.int64) for k in COUNTED}
        self.tension_sum = np.zeros(R)
        self._launched = np.zeros(R, dtype=bool)
        self._missiles = np.zeros(R, dtype=np.int64)
        self._acts = np.zeros((R, n), dtype=np.int64)
        if daily:
            self.daily = _daily_arrays(days, R, n, len(m.cast.alliances))
        self.log: list[Entry] = []
        self.features = np.zeros((days, R, len(TERM_NAMES))) if hazard_features else None
        self.launch_days = np.zeros((days, R), dtype=bool)  # kept even without daily tables: cheap, and forecasts count it

    def hazard(self, t: int, snap) -> None:
        """The provocateur's launch-hazard drivers of the day (for the likelihood: sim.calibrate)."""
        if self.features is not None:
            self.features[t] = features(snap)

    def event(self, t: int, mv: Move, ix: np.ndarray, cls: np.ndarray | None, score, success) -> None:
        """Count an applied move in replications ``ix`` (distinct indices, so ``+=`` counts each once).

        ``cls`` is None unless the move is a launch; ``score`` one number or one per replication."""
        m = self.m
        if mv.kind in self.counts:
            self.counts[mv.kind][ix] += 1
        if self.keep_daily and mv.source != "world":  # the daily table's count of acts, nothing else reads it
            self._acts[ix, mv.actor] += 1
        if mv.kind == "missile_test" and mv.actor == m.cast.prov:
            self._launched[ix] = True
            salvo = pick(mv.salvo, ix)
            self._missiles[ix] += salvo
            self.missiles[ix, cls] += salvo
        if self.keep_events:
            self.log.append(Entry(
                day=t, kind=mv.kind, actor=mv.actor, source=mv.source, cause=mv.cause, label=mv.label, rep=ix,
                target=pick(mv.target, ix), cls=pick(mv.missile_class, ix) if cls is None else cls,
                score=np.full(len(ix), score, dtype=float) if np.ndim(score) == 0 else score,
                success=np.ones(len(ix), dtype=bool) if success is None else np.asarray(success, bool),
                salvo=pick(mv.salvo, ix) if mv.kind == "missile_test" else np.zeros(len(ix), dtype=np.int64),
                detail=_detail(mv.detail, ix)))

    def record(self, t: int, index: np.ndarray, level: np.ndarray) -> None:
        m, w = self.m, self.m.world
        np.maximum(self.peak, index, out=self.peak)
        self.total += index
        self.last = index
        self.levels[np.arange(m.R), level] += 1
        talking = w.dialogue >= 2
        self.episodes += talking & ~self._talking
        self._talking = talking
        launched = self._launched
        self.test_days += launched
        self.launch_days[t] = launched
        first = launched & np.isnan(self.first_launch)
        self.first_launch[first] = t
        self.tension_sum += m.prov_tension_all()
        if self.keep_daily:
            self._write_daily(t, index, level)
        self._launched = np.zeros(m.R, dtype=bool)
        self._missiles = np.zeros(m.R, dtype=np.int64)
        if self.keep_daily:
            self._acts = np.zeros((m.R, m.cast.n), dtype=np.int64)

    def _write_daily(self, t: int, index: np.ndarray, level: np.ndarray) -> None:
        w, d = self.m.world, self.daily
        for name, value in zip(SCALARS, (index, w.sanctions, w.public, w.cooperation, w.provocations, w.support)):
            d[name][t] = value
        d["ladder_level"][t], d["test_day"][t], d["missiles"][t] = level, self._launched, self._missiles
        d["dialogue_state"][t], d["progressive"][t] = w.dialogue, w.progressive > 0
        d["readiness"][t], d["cohesion"][t], d["capability"][t] = w.readiness, w.cohesion, w.capability
        d["tension"][t] = w.flat()[:, self.m.off_diagonal]
        d["actions"][t] = self._acts


def _detail(detail, ix: np.ndarray) -> np.ndarray | None:
    """A move's numbers at the replications that moved: an (R, k) array, or a tuple of (R,)
    columns stacked here as floats (so a policy builds no full-width table the log may not keep)."""
    if detail is None:
        return None
    if isinstance(detail, tuple):
        return np.stack([np.asarray(col)[ix] for col in detail], axis=1).astype(float)
    return np.asarray(detail)[ix]


def _daily_arrays(days: int, R: int, n: int, n_alliances: int) -> dict[str, np.ndarray]:
    out = {name: np.zeros((days, R)) for name in SCALARS}
    out.update(ladder_level=np.zeros((days, R), dtype=np.int8), test_day=np.zeros((days, R), dtype=bool),
               missiles=np.zeros((days, R), dtype=np.int64), dialogue_state=np.zeros((days, R), dtype=np.int8),
               progressive=np.zeros((days, R), dtype=bool), readiness=np.zeros((days, R, n)),
               cohesion=np.zeros((days, R, n_alliances)), capability=np.zeros((days, R, len(MISSILE_CLASSES))),
               tension=np.zeros((days, R, n * (n - 1))), actions=np.zeros((days, R, n), dtype=np.int64))
    return out
