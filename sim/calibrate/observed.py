"""The observed DPRK launch record as launch days, the unit every forecast here is scored in.

A launch day is a distinct UTC date with at least one ballistic missile or SLV launch in the
packaged record (sim/data, 2010-01-01..2019-12-31: 114 missiles on 68 days). Days without a
launch are data too, so every series keeps its zeros. The project holds nothing after 2019,
and `LaunchRecord` refuses to answer for a day outside its span rather than guess.

`LaunchRecord.upto(until)` is the only way a forecaster sees the record: the view it returns
ends at `until`, so a forecaster fitted through it cannot read what came after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

RECORD = ("2010-01-01", "2019-12-31")  # what the packaged record covers
START, END = (dt.date.fromisoformat(d) for d in RECORD)
FREQ = {"year": "YS", "month": "MS", "day": "D"}


def observed_launch_dates() -> pd.Series:
    """The days with at least one observed DPRK launch, 2010-2019 (the packaged record)."""
    from sim.data import observed_launches  # packaged data, not the model

    return pd.Series(sorted(observed_launches()["date_utc"].dropna().unique()), name="date")


def observed_launch_days(period: str = "year") -> pd.Series:
    """Observed DPRK launch days per year or month from the packaged 2010-2019 record."""
    return observed_record().counts(period)


def as_date(value: object) -> dt.date:
    """A date from a date, a Timestamp or an ISO string (a datetime loses its time)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


@dataclass(frozen=True)
class LaunchRecord:
    """Launch days between `start` and `end` (both included); `dates` are the launch days."""

    dates: tuple[dt.date, ...]
    start: dt.date = START
    end: dt.date = END

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"a record cannot end ({self.end}) before it starts ({self.start})")
        outside = [d for d in self.dates if not self.start <= d <= self.end]
        if outside:
            raise ValueError(f"launch day {outside[0]} lies outside the record {self.start}..{self.end}")

    @classmethod
    def from_dates(cls, dates: object, start: object = START, end: object = END) -> "LaunchRecord":
        days = sorted({as_date(d) for d in pd.to_datetime(pd.Series(dates, dtype=object))})
        return cls(tuple(days), as_date(start), as_date(end))

    def upto(self, until: object) -> "LaunchRecord":
        """The record as known at the end of `until`: asking past the record's end is an error,
        because the record cannot say whether those days had launches."""
        until = as_date(until)
        if until > self.end:
            raise ValueError(f"the record ends on {self.end}: nothing is known up to {until}")
        if until < self.start:
            raise ValueError(f"the record starts on {self.start}: nothing is known up to {until}")
        return LaunchRecord(tuple(d for d in self.dates if d <= until), self.start, until)

    @property
    def n_days(self) -> int:
        return (self.end - self.start).days + 1

    def day_index(self) -> np.ndarray:
        """Launch days as whole days since `start` (0 is the first day)."""
        return np.array([(d - self.start).days for d in self.dates], dtype=np.int64)

    def daily(self) -> pd.Series:
        """1 on a launch day and 0 otherwise, one row per day of the record."""
        span = pd.date_range(self.start, self.end, freq="D")
        return pd.Series(span.isin(pd.DatetimeIndex(self.dates)).astype(int), index=span, name="launch day")

    def counts(self, period: str = "month") -> pd.Series:
        """Launch days per 'day', 'month' (index: first of the month) or 'year' (index: the year),
        zeros kept; a partial first or last period counts only the days inside the record."""
        if period not in FREQ:
            raise ValueError(f"period must be 'day', 'month' or 'year', not '{period}'")
        counts = self.daily().resample(FREQ[period]).sum()
        if period == "year":
            counts.index = counts.index.year
        return counts.astype(int).rename("observed launch days")


def observed_record() -> LaunchRecord:
    """The packaged 2010-2019 record as launch days."""
    return LaunchRecord.from_dates(observed_launch_dates(), START, END)
