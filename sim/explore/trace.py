"""What the running model has recorded so far, read in O(1) per step for the live page.

The page redraws after every step, so it must not rebuild the daily table or the event log
from scratch each time (sim.run.tables builds them whole, in O(days)). `Trace` reads the
recorder's preallocated daily arrays up to the current day (views, no copies) and takes only
the events logged since its last look. A step writes day t's row and events before it
advances `model.day`, so reading up to `model.day` never sees a half-written day, even while
the Play thread is stepping.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import matplotlib.dates as mdates
import numpy as np

from sim.model.actions import WEIGHTS
from sim.model.ladder import RUNG_NAMES
from sim.schema.params import MISSILE_CLASSES


@dataclass(frozen=True)
class Event:
    """One logged action of replication 0, as the timeline draws it."""

    day: int
    actor: str
    action: str
    missile_class: str  # "" unless a missile launch with a known class
    salvo: int
    goldstein: float


class Trace:
    """The run of `model` so far (replication 0): daily series, totals and the event log."""

    def __init__(self, model) -> None:
        self.model = model
        self.start = np.datetime64(model.spec.start, "D")
        # every day of the horizon as a matplotlib date number, computed once
        self.x = mdates.date2num(self.start + np.arange(model.n_days))
        self._events: list[Event] = []
        self._seen = 0  # entries of model.recorder.log already read

    @property
    def day(self) -> int:
        return int(self.model.day)

    def series(self, name: str, day: int | None = None) -> np.ndarray:
        """Daily column `name` of replication 0 up to `day` (default: today), a view."""
        return self.model.recorder.daily[name][: self.day if day is None else day, 0]

    def date(self, day: int) -> dt.date:
        """The calendar date of (0-based) `day`."""
        return self.model.spec.start + dt.timedelta(days=int(day))

    def last(self) -> dict | None:
        """Yesterday's index and rung and the run's totals so far; None before the first step."""
        day = self.day
        if not day:
            return None
        rec = self.model.recorder
        level = int(rec.daily["ladder_level"][day - 1, 0])
        return {"day": day, "date": self.date(day - 1), "index": float(rec.daily["escalation_index"][day - 1, 0]),
                "rung": RUNG_NAMES[level], "level": level, "tests": int(rec.test_days[0]),
                "missiles": int(rec.missiles[0].sum())}

    def events(self) -> list[Event]:
        """Every action taken so far (waits left out), oldest first; reads only the new log entries."""
        day, log, names = self.day, self.model.recorder.log, self.model.cast.names
        while self._seen < len(log) and log[self._seen].day < day:
            entry = log[self._seen]
            self._seen += 1
            reps = list(entry.rep)
            if 0 not in reps or entry.kind == "wait":
                continue
            self._events.append(_event(entry, reps.index(0), names))
        return self._events


def _event(e, k: int, names: tuple[str, ...]) -> Event:
    cls = int(e.cls[k])
    launch = e.kind == "missile_test" and cls >= 0
    weight = WEIGHTS.get(e.kind)
    return Event(day=int(e.day), actor=names[e.actor], action=e.kind,
                 missile_class=MISSILE_CLASSES[cls] if launch else "", salvo=int(e.salvo[k]) if launch else 0,
                 goldstein=float(weight.goldstein) if weight is not None else float("nan"))
