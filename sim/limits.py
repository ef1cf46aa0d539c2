"""Resource limits, checked before any work starts.

Scenario and experiment files travel between students and labs, and a batch may run for
hours on a shared machine. A file that asks for a century of days, six hundred actors or a
billion runs must cost its author one line, not the machine's memory. Every limit here has
a default that comfortably covers real use (README, "Limits and guarantees") and, where
raising it makes sense, an environment variable that does so; the error names both.

The dates limit is not a choice: result tables store days as pandas datetime64[ns], which
holds 1678-01-01 .. 2262-04-11 only.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from dataclasses import dataclass


class LimitError(ValueError):
    """A request beyond a limit; ``str()`` is the one line to show."""


@dataclass(frozen=True)
class Limit:
    """One limit: its name in messages, default, unit and the variable that raises it."""

    what: str
    default: int
    unit: str
    env: str | None = None

    @property
    def value(self) -> int:
        """The limit now: read on every use, so a test or a shell can raise it."""
        if not self.env or not os.environ.get(self.env, "").strip():
            return self.default
        text = os.environ[self.env].strip()
        try:
            value = int(text)
        except ValueError:
            raise LimitError(f"{self.env}={text!r}: expected a whole number of {self.unit}") from None
        if value < 1:
            raise LimitError(f"{self.env}={text!r}: must be at least 1")
        return value

    def excess(self, amount: int) -> str | None:
        """What to tell the user when `amount` exceeds the limit (None when it does not)."""
        limit = self.value
        if amount <= limit:
            return None
        return f"{amount:,} {self.unit} is over the limit of {limit:,} {self.unit} ({self.what}){self.hint()}"

    def check(self, amount: int, where: str) -> None:
        """Raise LimitError naming the limit (and how to raise it) when `amount` exceeds it."""
        message = self.excess(amount)
        if message:
            raise LimitError(f"{where}: {message}")

    def hint(self) -> str:
        return f"; raise it with {self.env}=N if you mean it" if self.env else ""


FILE_MB = Limit("size of a scenario or experiment file", 2, "MB", "ESCALATION_MAX_FILE_MB")
YAML_DEPTH = Limit("YAML nesting depth", 32, "levels", "ESCALATION_MAX_YAML_DEPTH")
YAML_NODES = Limit("YAML values after expanding aliases", 200_000, "values", "ESCALATION_MAX_YAML_NODES")
EXTENDS = Limit("length of an extends: chain", 16, "files")
CALENDAR = Limit("calendar entries of a scenario", 10_000, "entries", "ESCALATION_MAX_CALENDAR")
ACTORS = Limit("actors in a scenario", 64, "actors", "ESCALATION_MAX_ACTORS")
DAYS = Limit("run length, about a century", 36_600, "days", "ESCALATION_MAX_DAYS")
RUNS = Limit("runs in one batch, sweep or experiment", 100_000, "runs", "ESCALATION_MAX_RUNS")
# A run's daily table has a tension column per ordered pair of actors, and recording it
# costs about 160 bytes per cell: 64 actors for a year take 385 MB. Ten million cells is a
# century for 16 actors, 6.7 years for 64.
RUN_CELLS = Limit("days x actors^2 of one run, about 1.6 GB of memory", 10_000_000, "day-pairs",
                  "ESCALATION_MAX_RUN_CELLS")
NAME_CHARS = 100  # longest folder name made from a scenario or experiment name

FIRST_DATE = dt.date(1678, 1, 1)
LAST_DATE = dt.date(2262, 4, 10)
ALL = (FILE_MB, YAML_DEPTH, YAML_NODES, EXTENDS, CALENDAR, ACTORS, DAYS, RUNS, RUN_CELLS)


def file_bytes() -> int:
    return FILE_MB.value * 1024 * 1024


def check_file_size(size: int, where: str) -> None:
    limit = FILE_MB.value
    if size > limit * 1024 * 1024:
        raise LimitError(f"{where}: the file is {size / 1024 / 1024:.1f} MB, over the limit of {limit} MB "
                         f"({FILE_MB.what}){FILE_MB.hint()}")


def check_date(day: dt.date, where: str) -> None:
    """A date the result tables can hold (pandas datetime64[ns])."""
    if not FIRST_DATE <= day <= LAST_DATE:
        raise LimitError(f"{where}: {day} is outside {FIRST_DATE} .. {LAST_DATE}, the dates the result tables can hold")


def check_horizon(start: dt.date, days: int, where: str, actors: int = 0) -> None:
    """A run of `days` from `start`: at most DAYS long, ending on a date the tables hold and,
    with `actors` actors, small enough to record."""
    DAYS.check(days, where)
    message = RUN_CELLS.excess(days * actors * actors)
    if message:
        raise LimitError(f"{where}: {days:,} days with {actors} actors: {message}")
    check_date(start, where)
    last = start + dt.timedelta(days=days - 1)  # days <= DAYS keeps this far from date.max
    if last > LAST_DATE:
        raise LimitError(f"{where}: {days:,} days from {start} end on {last}, after {LAST_DATE}, "
                         "the last date the result tables can hold")


def design_points(design: str, samples: int, levels: list[int | None]) -> int:
    """Points of a design without drawing it (levels: a grid axis's value count, None for a range).

    Exact Python integers: a grid of 10**8 levels over three ranges is 10**24 points, which
    must be refused, not computed.
    """
    k = len(levels)
    if design == "grid":
        return math.prod(samples if n is None else n for n in levels)
    return {"lhs": samples, "sobol": samples * (2 * k + 2), "morris": samples * (k + 1)}.get(design, samples)


def check_runs(runs: int, where: str) -> None:
    RUNS.check(runs, where)


# Rough costs of one simulated day of one run of the five-actor baseline per --daily mode:
# core seconds and bytes written, measured on 20,000 one-year runs in chunks as the batch
# sizes them (benchmarks/), rounded up. They only size a notice; small ensembles cost more
# per run-day, and costs grow with actors and events.
SECONDS_PER_RUN_DAY = {"full": 2.5e-5, "events": 6e-6, "none": 4e-6}
BYTES_PER_RUN_DAY = {"full": 260, "events": 5, "none": 3}


def estimate(runs: int, days: int, workers: int, daily: str = "full") -> tuple[float, float]:
    """(seconds, bytes) a batch of `runs` runs of `days` days will roughly take."""
    run_days = runs * days
    seconds = run_days * SECONDS_PER_RUN_DAY.get(daily, SECONDS_PER_RUN_DAY["full"]) / max(1, workers)
    return seconds, run_days * BYTES_PER_RUN_DAY.get(daily, BYTES_PER_RUN_DAY["full"])


def describe_estimate(seconds: float, size: float) -> str:
    """'about 2 h and 3.1 GB': the form a person reads."""
    if seconds >= 3600:
        took = f"{seconds / 3600:.1f} h"
    elif seconds >= 60:
        took = f"{seconds / 60:.0f} min"
    else:
        took = f"{seconds:.0f} s"
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if size >= scale:
            return f"about {took} and {size / scale:.1f} {unit}"
    return f"about {took} and {size:.0f} B"
