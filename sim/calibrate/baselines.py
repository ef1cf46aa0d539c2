"""Three naive forecasters of monthly launch days that any model must beat to claim skill.

Each is fitted on the record up to an origin (`fit(until)`) and then draws launch-day counts
for the calendar months that follow (`sample`), so forecasts are scored out of sample:

    Climatology  a constant daily rate: launch days / days in the whole training window
    Persistence  the same, over the last 12 months only (the recent regime carries on)
    Hawkes       a self-exciting process (sim.calibrate.hawkes) fitted by maximum likelihood,
                 simulated forward from the training history by thinning

A day of the constant-rate forecasters is a launch day with probability p, the fitted rate:
p = k/N is the maximum-likelihood estimate for N days with k launch days, whether one reads
them as Bernoulli days or as days with at least one event of a Poisson process of rate
-log(1-p). A month of d days then has Binomial(d, p) launch days, which is what the sum of
d daily draws gives. Every random draw comes from the `rng` passed to `sample`.

Any other forecaster (the model's own) only has to follow the `Forecaster` protocol.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd

from sim.calibrate import hawkes
from sim.calibrate.observed import LaunchRecord, as_date, observed_record


@runtime_checkable
class Forecaster(Protocol):
    """Fitted on data up to and including `until`; samples (n, months) launch days per month."""

    name: str

    def fit(self, until: dt.date) -> "Forecaster": ...

    def sample(self, start: dt.date, months: int, n: int, rng: np.random.Generator) -> np.ndarray: ...


def month_starts(start: dt.date, months: int) -> pd.DatetimeIndex:
    """The first days of `months` calendar months from `start` (which must be a first)."""
    start = as_date(start)
    if start.day != 1:
        raise ValueError(f"a forecast starts on the first of a month, not on {start}")
    if months < 1:
        raise ValueError(f"a forecast covers at least one month, not {months}")
    return pd.date_range(start, periods=months, freq="MS")


def days_in_months(start: dt.date, months: int) -> np.ndarray:
    return month_starts(start, months).days_in_month.to_numpy()


class _Fitted:
    """What the baselines share: the record they read, the origin they were fitted to."""

    name = "baseline"

    def __init__(self, record: LaunchRecord | None = None):
        self.record = record if record is not None else observed_record()
        self.until: dt.date | None = None

    def _check(self, start: dt.date, months: int, n: int) -> pd.DatetimeIndex:
        if self.until is None:
            raise RuntimeError(f"{self.name}: fit() before sample()")
        if as_date(start) <= self.until:
            raise ValueError(f"{self.name}: a forecast from {start} would overlap its training data "
                             f"(up to {self.until})")
        if n < 1:
            raise ValueError(f"{self.name}: at least one sample, not {n}")
        return month_starts(start, months)


class _ConstantRate(_Fitted):
    """A daily launch-day probability from a window of the training record."""

    rate: float = math.nan
    window: int = 0

    def _fit_window(self, seen: LaunchRecord) -> None:
        self.window = seen.n_days
        self.rate = len(seen.dates) / seen.n_days

    def sample(self, start: dt.date, months: int, n: int, rng: np.random.Generator) -> np.ndarray:
        days = self._check(start, months, n).days_in_month.to_numpy()
        return rng.binomial(days, self.rate, size=(n, months))

    def params(self) -> list[tuple[str, float, float]]:
        """The rate (launch days per day) with its binomial standard error."""
        return [("rate", self.rate, math.sqrt(self.rate * (1 - self.rate) / self.window))]


class Climatology(_ConstantRate):
    """Launch days per day over the whole training window."""

    name = "climatology"

    def fit(self, until: dt.date) -> "Climatology":
        seen = self.record.upto(until)
        self._fit_window(seen)
        self.until = seen.end
        return self


class Persistence(_ConstantRate):
    """Launch days per day over the 12 months up to the origin."""

    name = "persistence"

    def fit(self, until: dt.date) -> "Persistence":
        seen = self.record.upto(until)
        first = (pd.Timestamp(seen.end) - pd.DateOffset(months=12) + pd.Timedelta(days=1)).date()
        if first < seen.start:
            raise ValueError(f"persistence needs 12 months of record before {seen.end}; it starts on {seen.start}")
        self._fit_window(LaunchRecord(tuple(d for d in seen.dates if d >= first), first, seen.end))
        self.until = seen.end
        return self


class Hawkes(_Fitted):
    """A self-exciting process of launch days, continued from the training history.

    A launch day d is an event at time d + 0.5 (days since the record's start), observed on
    [0, days in the window]. Simulated events are mapped back to their day; two on one day
    make one launch day, as in the record.
    """

    name = "hawkes"
    fitted: hawkes.HawkesFit | None = None

    def fit(self, until: dt.date) -> "Hawkes":
        seen = self.record.upto(until)
        self._times = seen.day_index() + 0.5
        self._origin = seen.start
        self.fitted = hawkes.fit_hawkes(self._times, seen.n_days)
        self.until = seen.end
        return self

    def sample(self, start: dt.date, months: int, n: int, rng: np.random.Generator) -> np.ndarray:
        starts = self._check(start, months, n)
        t0 = float((self.until - self._origin).days + 1)  # the end of the last training day
        first = (starts[0].date() - self._origin).days
        last = (starts[-1].date() - self._origin).days + int(starts[-1].days_in_month)
        theta = self.fitted.theta
        pull = hawkes.excitation(self._times, t0, theta[2])
        path, times = hawkes.simulate(theta, t0, float(last), n, rng, pull)
        day = np.floor(times).astype(np.int64)
        hits = np.zeros((n, last - first), dtype=bool)
        keep = day >= first  # days between the origin and `start` are simulated, not counted
        hits[path[keep], day[keep] - first] = True
        edges = np.concatenate([[0], np.cumsum(starts.days_in_month.to_numpy())[:-1]])
        return np.add.reduceat(hits.astype(np.int64), edges, axis=1)

    def params(self) -> list[tuple[str, float, float]]:
        """mu, alpha, beta (per day) and the branching ratio, with standard errors (NaN where the
        observed information is not finite)."""
        return self.fitted.table()


def baselines(record: LaunchRecord | None = None) -> list[Forecaster]:
    """The three baselines, reading `record` (default: the observed 2010-2019 record)."""
    return [Climatology(record), Persistence(record), Hawkes(record)]
