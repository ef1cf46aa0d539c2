"""The model as a forecaster: calibrated on the record up to an origin, then run freely on the
real calendar that follows (inputs only: the UN resolutions after the origin, which answered
the launches being forecast, are left out), for the backtest (``sim.calibrate.backtest``).

It follows the forecasters' protocol: ``fit(until)`` reads the observed record up to ``until``
and nothing after; ``sample(start, months, n, rng)`` returns (n, months) simulated launch-day
counts per calendar month from ``start``, drawing every seed from ``rng``.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import numpy as np

from sim.calibrate.check import historical
from sim.schema.historical import ANCHOR


class ModelForecaster:
    name = "model"

    def __init__(self, record=None, trials: int = 128, replays: int = 32, workers: int = 1, seed: int = 0,
                 progress: bool = False) -> None:
        self.record = record  # the record it may read (sim.calibrate.observed.LaunchRecord), up to each origin
        self.trials, self.replays, self.workers, self.seed, self.progress = trials, replays, workers, seed, progress
        self.params: dict[str, float] = {}
        self.until: dt.date | None = None

    def fit(self, until: dt.date) -> "ModelForecaster":
        from sim.calibrate.calibrate import calibrate

        if self.record is not None:
            self.record.upto(until)  # the record must reach the origin; nothing after it is read

        with tempfile.TemporaryDirectory(prefix="calibration-") as tmp:
            result = calibrate(until, Path(tmp), trials=self.trials, replays=self.replays, workers=self.workers,
                               executor="process" if self.workers > 1 else "sequential", seed=self.seed,
                               progress=self.progress, check=False)
        self.params, self.until = result.parameters, until
        return self

    def sample(self, start: dt.date, months: int, n: int, rng: np.random.Generator) -> np.ndarray:
        """Replay the record to the origin, then let the provocateur decide on the real calendar."""
        from sim.model import EscalationModel

        if self.until is None:
            raise RuntimeError("fit the forecaster before sampling")
        end = _month_end(start, months)
        sc = without_reactions(historical(self.params, end, ANCHOR, replay_until=self.until), self.until)
        seeds = np.random.SeedSequence(int(rng.integers(2**63))).spawn(n)
        m = EscalationModel(sc, seeds, daily=False, events=False).run()
        first = (start - sc.start).days
        days = np.datetime64(start, "D") + np.arange(m.n_days - first)
        launch = m.recorder.launch_days[first:m.n_days]
        month = days.astype("datetime64[M]").astype(int)
        out = np.zeros((n, months))
        for k, mo in enumerate(np.unique(month)[:months]):
            out[:, k] = launch[month == mo].sum(axis=0)
        return out


def without_reactions(sc, until: dt.date):
    """The calendar without UN resolutions after the origin: they answered the launches being
    forecast, so they are outcomes the forecast must not be told (the rest are inputs)."""
    from sim.schema.paths import apply_overrides

    keep = [e.model_dump(mode="json") for e in sc.calendar
            if not (e.type == "sanctions_resolution" and e.date > until)]
    return apply_overrides(sc, {"calendar": keep}) if len(keep) < len(sc.calendar) else sc


def _month_end(start: dt.date, months: int) -> dt.date:
    year, month = divmod(start.month - 1 + months, 12)
    return dt.date(start.year + year, month + 1, 1) - dt.timedelta(days=1)
