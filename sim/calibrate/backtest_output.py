"""A backtest's files: tables as CSV, a fan figure per origin, a PIT histogram per forecaster.

    OUT/backtest.json                what was asked (origins, horizon, samples, seed,
                                     forecasters), package versions and the files written
    OUT/backtest_summary.csv         per origin and forecaster: months, mean CRPS and Brier,
                                     skill against climatology
    OUT/backtest_months.csv          per origin, forecaster and month: observation, forecast
                                     summary, CRPS, Brier, PIT bounds
    OUT/backtest_fits.csv            fitted parameters with standard errors (where a
                                     forecaster reports them)
    OUT/figures/backtest_fan_ORIGIN.png   one fan per forecaster, observed months as dots
    OUT/figures/backtest_pit_NAME.png     PIT histogram over all origins

Every file is written atomically (sim.run.io) into a staging folder and moved into place
when all are whole, backtest.json last, so a folder with a backtest.json holds a whole backtest. A rerun into the same folder replaces the files the
previous backtest listed and touches nothing else.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.analysis import plots_history, style
from sim.calibrate.backtest import Backtest
from sim.run import io as _io
from sim.run.store import atomic_write_json, sanitize

MANIFEST = "backtest.json"
CONTEXT_MONTHS = 24  # training months shown before each forecast


def fan_figure(result: Backtest, origin, record_counts: pd.Series) -> Figure:
    """The forecasters' fans from one origin, with the observed months before and after it."""
    tables = {name: _months_by_draws(result, origin, name) for name in result.settings["forecasters"]}
    window = next(iter(tables.values())).index
    history = record_counts[(record_counts.index < window[0])].iloc[-CONTEXT_MONTHS:]
    what = f"forecasts from {origin}, {result.settings['samples']} samples each"
    return plots_history.forecast_fans_figure(tables, record_counts, what, origin=pd.Timestamp(origin)
                                              + pd.Timedelta(days=1), history=history)


def pit_figure(result: Backtest, name: str, record_counts: pd.Series, bins: int = 10) -> Figure:
    """PIT histogram of one forecaster over every origin's months (heights weighted by months)."""
    heights, weights = [], []
    for origin in (pd.Timestamp(o).date() for o in result.settings["origins"]):
        table = _months_by_draws(result, origin, name)
        heights.append(plots_history.pit_histogram(table, record_counts, bins=bins))
        weights.append(len(table))
    pooled = np.average(heights, axis=0, weights=weights)
    return plots_history.pit_figure(heights=pooled, n=int(sum(weights)), bins=bins,
                                    title=f"PIT of monthly launch days — {name}, all origins")


def _months_by_draws(result: Backtest, origin, name: str) -> pd.DataFrame:
    draws = result.samples[(origin, name)]
    rows = result.months[(result.months["origin"] == origin) & (result.months["forecaster"] == name)]
    return pd.DataFrame(draws.T, index=pd.DatetimeIndex(rows["month"]))


def _write_figure(fig: Figure, path: Path) -> Path:
    """A PNG written beside its name and renamed into place, like every other file here."""
    def write(tmp: str) -> None:
        with mpl.rc_context(style.RC):
            fig.savefig(tmp, dpi=style.DPI, format="png")
    try:
        return _io.atomic_write_with(path, write)
    finally:
        fig.clear()


def versions() -> dict[str, str]:
    """The versions a backtest's numbers depend on."""
    found = {"python": platform.python_version()}
    for dist in ("korea-escalation", "numpy", "scipy", "pandas", "scoringrules"):
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = "unknown"
    return found


def write_backtest(result: Backtest, out: Path | str, record_counts: pd.Series) -> list[Path]:
    """Write the tables and figures into `out`; return the paths written.

    Everything is built in a hidden staging folder inside `out` and moved into place only when
    whole, backtest.json last: a failure (a full disk, a figure that cannot be drawn) leaves
    `out` as it was, and folders this call created are removed again.
    """
    out = Path(out)
    created = [p for p in (out, *out.parents) if not p.exists()]
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out, prefix=".staging-"))
    try:
        names = _build(result, staging, record_counts)
        previous = _previous_files(out)
        for name in names:
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, out / name)
        for stale in sorted(set(previous) - set(names)):
            (out / stale).unlink(missing_ok=True)
        atomic_write_json(out / MANIFEST, {"kind": "backtest", **result.settings, "versions": versions(),
                                           "files": names})
    except BaseException:
        if created:
            shutil.rmtree(created[-1], ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [*(out / n for n in names), out / MANIFEST]


def _build(result: Backtest, folder: Path, record_counts: pd.Series) -> list[str]:
    """Every file but the manifest, written into `folder`; their names relative to it."""
    written = [
        _io.atomic_write_frame(result.summary, folder / "backtest_summary.csv"),
        _io.atomic_write_frame(result.months, folder / "backtest_months.csv"),
        _io.atomic_write_frame(result.fits, folder / "backtest_fits.csv"),
    ]
    for origin in (pd.Timestamp(o).date() for o in result.settings["origins"]):
        written.append(_write_figure(fan_figure(result, origin, record_counts),
                                     folder / "figures" / f"backtest_fan_{origin.isoformat()}.png"))
    for name in result.settings["forecasters"]:
        written.append(_write_figure(pit_figure(result, name, record_counts),
                                     folder / "figures" / f"backtest_pit_{sanitize(name)}.png"))
    return [p.relative_to(folder).as_posix() for p in written]


def _previous_files(out: Path) -> list[str]:
    """The files a previous backtest in `out` listed (only plain names inside `out`)."""
    try:
        listed = json.loads((out / MANIFEST).read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [f for f in listed if isinstance(f, str) and ".." not in Path(f).parts and not Path(f).is_absolute()]
