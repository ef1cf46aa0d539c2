"""Rolling-origin backtests: fit on the record up to an origin, forecast the months after it,
score against what happened, for every forecaster given.

Skill measured on the period a forecaster was fitted to flatters it (the Political Instability
Task Force's re-tests); here each forecaster sees only data up to its origin (it reads the
record through `LaunchRecord.upto`) and is scored on the following 12-24 months, never past
the record's end (2019-12-31). Origins are folds: a forecaster that wins most folds has skill.

Where the model plugs in: `backtest(forecasters=[...])` takes any objects following
`sim.calibrate.baselines.Forecaster` (a `name`, `fit(until)`, `sample(start, months, n, rng)`).
`REGISTRY` maps names to factories (record -> Forecaster) and is what `escalation backtest`
runs. The CLI imports this module only, so the model's entry belongs in `REGISTRY` below, as a
factory that imports the model when called (keeping the baselines' import light);
`register(name, factory)` does the same at run time (tests, notebooks).

Random numbers: forecaster `name` at `origin` draws from a Generator seeded by
SeedSequence(seed, spawn_key=(origin's ordinal, crc32(name))), the key `spawn` would give a
child, but fixed by the pair rather than by position: results are reproducible, and adding,
removing or reordering forecasters or origins changes no other forecast.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from sim.calibrate import scores
from sim.calibrate.baselines import Climatology, Forecaster, Hawkes, Persistence, month_starts
from sim.calibrate.observed import LaunchRecord, as_date, observed_record

DEFAULT_ORIGINS = ("2013-12-31", "2015-12-31", "2017-12-31")
REFERENCE = "climatology"  # skill scores are relative to this forecaster
def _model(record: LaunchRecord) -> Forecaster:
    """The model, calibrated on the record up to each origin (imported only when run)."""
    from sim.calibrate.forecast import ModelForecaster

    return ModelForecaster(record)


REGISTRY: dict[str, Callable[[LaunchRecord], Forecaster]] = {
    "climatology": Climatology, "persistence": Persistence, "hawkes": Hawkes, "model": _model}


class BacktestError(ValueError):
    """A backtest that cannot be run as asked; ``str()`` is one line."""


def register(name: str, factory: Callable[[LaunchRecord], Forecaster]) -> None:
    """Add a forecaster to the ones `escalation backtest` runs (a factory of a record)."""
    REGISTRY[name] = factory


def registered(record: LaunchRecord | None = None) -> list[Forecaster]:
    """One fresh forecaster per registry entry, reading `record`."""
    record = record if record is not None else observed_record()
    return [factory(record) for factory in REGISTRY.values()]


def forecast_rng(seed: int, origin: dt.date, name: str) -> np.random.Generator:
    """The Generator of forecaster `name` at `origin` (see the module docstring)."""
    key = (as_date(origin).toordinal(), zlib.crc32(name.encode("utf-8")))
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


def forecast_window(origin: dt.date, horizon: int, record: LaunchRecord) -> pd.DatetimeIndex:
    """The months forecast from `origin`: from the first month after it, at most `horizon`
    months, and none past the record's end (a month must be whole to be scored)."""
    start = (pd.Timestamp(origin) + pd.offsets.MonthBegin(1)).date()
    last = pd.Timestamp(record.end + dt.timedelta(days=1)) - pd.offsets.MonthBegin(1)  # last whole month
    months = month_starts(start, horizon)
    months = months[months <= last]
    if len(months) == 0:
        raise BacktestError(f"origin {origin}: no whole month of the record ({record.start}..{record.end}) "
                            "is left to forecast")
    return months


def check_origins(origins: Iterable[object], record: LaunchRecord) -> list[dt.date]:
    """Origins as sorted, distinct dates inside the record, each with a month left after it."""
    try:
        dates = sorted({as_date(o) for o in origins})
    except (ValueError, TypeError) as err:
        raise BacktestError(f"an origin is not a date (YYYY-MM-DD): {err}") from None
    if not dates:
        raise BacktestError("no origin to backtest from")
    for origin in dates:
        if not record.start <= origin < record.end:
            raise BacktestError(f"origin {origin} lies outside the record {record.start}..{record.end}")
    return dates


@dataclass
class Backtest:
    """Scores per origin and forecaster (`summary`), per month (`months`), fitted parameters
    (`fits`), the samples themselves and the settings that made them."""

    summary: pd.DataFrame
    months: pd.DataFrame
    fits: pd.DataFrame
    samples: dict[tuple[dt.date, str], np.ndarray] = field(repr=False)
    settings: dict


def _one(forecaster: Forecaster, origin: dt.date, window: pd.DatetimeIndex, n: int, seed: int,
         observed: np.ndarray) -> tuple[np.ndarray, pd.DataFrame, list[tuple]]:
    name = forecaster.name
    try:
        fitted = forecaster.fit(origin)
        draws = np.asarray(fitted.sample(window[0].date(), len(window), n, forecast_rng(seed, origin, name)))
    except ValueError as err:
        raise BacktestError(f"{name} at origin {origin}: {err}") from None
    if draws.shape != (n, len(window)):
        raise BacktestError(f"{name} returned samples of shape {draws.shape}, not {(n, len(window))}")
    table = scores.score_months(draws, observed, window)
    table.insert(0, "forecaster", name)
    table.insert(0, "origin", origin)
    params = getattr(fitted, "params", None)
    fits = [(origin, name, *row) for row in (params() if callable(params) else [])]
    return draws, table, fits


def backtest(origins: Iterable[object] = DEFAULT_ORIGINS, horizon: int = 24, samples: int = 2000, seed: int = 0,
             forecasters: list[Forecaster] | None = None, record: LaunchRecord | None = None,
             progress: bool = False) -> Backtest:
    """Fit every forecaster at every origin, forecast `horizon` months, score against `record`.

    `forecasters` defaults to the registry (the three baselines until the model registers).
    """
    record = record if record is not None else observed_record()
    forecasters = forecasters if forecasters is not None else registered(record)
    names = [f.name for f in forecasters]
    if len(set(names)) != len(names) or not names:
        raise BacktestError(f"forecaster names must be distinct and at least one: {names}")
    if horizon < 1 or samples < 1:
        raise BacktestError(f"horizon and samples must be at least 1 (got {horizon}, {samples})")
    dates = check_origins(origins, record)
    counts = record.counts("month")
    windows = {o: forecast_window(o, horizon, record) for o in dates}
    from sim.run.progress import progress_bar

    draws, tables, fits = {}, [], []
    with progress_bar(notebook=True, total=len(dates) * len(forecasters), desc="backtest", unit="fit",
                      disable=not progress) as bar:
        for origin in dates:
            observed = counts.reindex(windows[origin]).to_numpy()
            for forecaster in forecasters:
                bar.set_postfix_str(f"{forecaster.name} @ {origin}")
                draws[(origin, forecaster.name)], table, rows = _one(
                    forecaster, origin, windows[origin], samples, seed, observed)
                tables.append(table)
                fits += rows
                bar.update()
    months = pd.concat(tables, ignore_index=True)
    settings = {"origins": [d.isoformat() for d in dates], "horizon": horizon, "samples": samples,
                "seed": seed, "forecasters": names, "record": [record.start.isoformat(), record.end.isoformat()]}
    fit_table = pd.DataFrame(fits, columns=["origin", "forecaster", "parameter", "estimate", "se"])
    return Backtest(summarise(months), months, fit_table, draws, settings)


def summarise(months: pd.DataFrame) -> pd.DataFrame:
    """Mean CRPS and Brier per origin and forecaster, with skill against climatology
    (1 - score / climatology's score: positive is better, NaN without climatology)."""
    keys = ["origin", "forecaster"]
    table = (months.groupby(keys, sort=False)
             .agg(first=("month", "min"), last=("month", "max"), months=("month", "size"),
                  observed=("observed", "sum"), expected=("mean", "sum"), crps=("crps", "mean"),
                  brier=("brier", "mean"))
             .reset_index())
    reference = table[table["forecaster"] == REFERENCE].set_index("origin")[["crps", "brier"]]
    for score in ("crps", "brier"):
        ref = table["origin"].map(reference[score]) if len(reference) else np.nan
        with np.errstate(divide="ignore", invalid="ignore"):
            skill = 1.0 - table[score] / ref
        table[f"{score}_skill"] = skill.replace([np.inf, -np.inf], np.nan) if len(reference) else np.nan
    return table
