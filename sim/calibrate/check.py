"""Posterior predictive check: free runs with the calibrated values against the observed record.

The historical scenario runs with the calibrated parameters and the provocateur free; its
yearly launch days, season and timing around exercises are set beside the record, and the
issue's targets are measured (met or not) and written to ``targets.csv``. In the historical
scenarios the real UN resolutions are inputs, so the allies table none of their own there.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibrate import summaries
from sim.calibrate.replay import BASE
from sim.schema.historical import ANCHOR, RECORD_END

REPS = 100


def historical(params: dict[str, float], until: dt.date = RECORD_END, start: dt.date = ANCHOR, base: str = BASE,
               replay_until: dt.date | None = None):
    """The historical scenario with the calibrated values (the allies' UN tabling left at zero),
    the provocateur's record replayed to ``replay_until`` if given."""
    from sim.schema.loader import load_scenario, scenario_from_dict
    from sim.schema.paths import apply_overrides

    sc = load_scenario(base)
    data = sc.model_dump(mode="json", exclude={"extends", "history", "sources", "calendar", "days"})
    hc = {"start": str(start), "end": str(until)}
    if replay_until is not None:
        hc["replay_until"] = str(replay_until)
    data.update(start=str(start), end=str(until), calendar=[], historical_calendar=hc)
    keep = {k: v for k, v in params.items() if not k.endswith(".un_sponsor")}
    return apply_overrides(scenario_from_dict(data, origin=f"{base} to {until}"), keep)


def run_check(params: dict[str, float], until: dt.date = RECORD_END, reps: int = REPS, seed: int = 0):
    from sim.model import EscalationModel

    sc = historical(params, until)
    m = EscalationModel(sc, np.random.SeedSequence(seed, spawn_key=(3,)).spawn(reps), daily=True, events=True).run()
    return sc, m


def targets(m, until: dt.date = RECORD_END) -> pd.DataFrame:
    """The issue's targets on 2010-2019, measured on the free runs (met or not)."""
    drill = m.calendars[0].drill
    sim = summaries.simulated(m)
    obs = summaries.observed(ANCHOR, until, drill)
    years = [k for k in sim if k.startswith("launch_days_")]
    total = sum(sim[k] for k in years)
    quiet = sum(sim[f"launch_days_{y}"] for y in range(2010, 2014) if f"launch_days_{y}" in sim)
    rows = [_row("total launch days 2010-2019", np.median(total), 68, abs(np.median(total) - 68) <= 0.2 * 68,
                 "within 20% of 68")]
    rows.append(_row("launch days 2010-2013", np.median(quiet), 5, abs(np.median(quiet) - 5) <= 10, "within 10 of 5"))
    if all(f"launch_days_{y}" in sim for y in range(2014, 2020)):
        others = np.stack([sim[f"launch_days_{y}"] for y in (2014, 2015, 2016, 2017, 2019)])
        lowest = np.mean(sim["launch_days_2018"] < others.min(axis=0))
        rows.append(_row("2018 the lowest year of 2014-2019", lowest, 1.0, lowest >= 0.8, "in at least 80% of runs"))
    during, after = summaries._windows(drill)
    for key, window, label in (("share_in_exercises", during, "during exercises"),
                               ("share_after_exercises", after, "within 30 days after")):
        share_days = window.mean()
        ratio_sim, ratio_obs = np.median(sim[key]) / share_days, obs[key] / share_days
        rows.append(_row(f"launch days {label} / days {label}", ratio_sim, ratio_obs,
                         abs(ratio_sim - ratio_obs) <= 0.3, "within 0.3 of the observed ratio"))
    model_crps, clim_crps = monthly_crps(m, until), climatology_crps(until)
    rows.append(_row("monthly CRPS, in sample", model_crps, clim_crps, model_crps < clim_crps, "below climatology's"))
    return pd.DataFrame(rows)


def _row(name, simulated, observed, met, target) -> dict:
    return {"target": name, "simulated": float(simulated), "observed": float(observed), "met": bool(met),
            "criterion": target}


def monthly_counts(m) -> pd.DataFrame:
    """Months (first day) x runs of launch days."""
    dates = pd.DatetimeIndex(m.dates[:m.day])
    frame = pd.DataFrame(m.recorder.daily["test_day"][:m.day].astype(int), index=dates)
    return frame.resample("MS").sum()


def monthly_crps(m, until: dt.date = RECORD_END) -> float:
    """Mean CRPS of the runs' monthly launch days against the record, in sample."""
    from sim.calibrate.observed import observed_record
    from sim.calibrate.scores import crps

    counts = monthly_counts(m)
    obs = observed_record().upto(until).counts("month")
    shared = counts.index.intersection(obs.index)
    return float(np.mean(crps(counts.loc[shared].to_numpy(float).T, obs.loc[shared].to_numpy(float))))


def climatology_crps(until: dt.date = RECORD_END, n: int = 2000, seed: int = 0) -> float:
    """The same score for a constant rate fitted on the whole window (climatology, in sample):
    each month's launch days are Binomial(days in the month, launch days / days of the window)."""
    from sim.calibrate.observed import observed_record
    from sim.calibrate.scores import crps

    record = observed_record().upto(until)
    obs = record.counts("month")
    rate = len(record.dates) / record.n_days
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(11,)))
    samples = rng.binomial(obs.index.days_in_month.to_numpy(), rate, size=(n, len(obs)))
    return float(np.mean(crps(samples, obs.to_numpy(float))))


def posterior_check(params: dict[str, float], out: Path, until: dt.date = RECORD_END, reps: int = REPS,
                    seed: int = 0, progress: bool = True) -> pd.DataFrame:
    """Run the check, write targets.csv and the three figures into ``out``."""
    from sim.analysis.figures import save_figure
    from sim.analysis.plots_history import exercise_share_figure, launch_season_figure, launch_years_figure
    from sim.calibrate.observed import observed_record
    from sim.run.io import atomic_write_bytes

    sc, m = run_check(params, until, reps, seed)
    table = targets(m, until)
    atomic_write_bytes(Path(out) / "targets.csv", table.to_csv(index=False).encode())
    sim = summaries.simulated(m)
    obs = summaries.observed(ANCHOR, until, m.calendars[0].drill)
    what = f"calibrated, {reps} free runs"
    years = sorted(int(k.rsplit("_", 1)[1]) for k in sim if k.startswith("launch_days_"))
    by_year = pd.DataFrame([sim[f"launch_days_{y}"] for y in years], index=years)
    save_figure(launch_years_figure(by_year, observed_record().upto(until).counts("year"), what),
                Path(out) / "check_years.png")
    season = pd.DataFrame([sim[f"month_{k:02d}"] for k in range(1, 13)], index=range(1, 13))
    save_figure(launch_season_figure(season, pd.Series([obs[f"month_{k:02d}"] for k in range(1, 13)],
                                                       index=range(1, 13)), what), Path(out) / "check_season.png")
    during, after = summaries._windows(m.calendars[0].drill)
    rows = {"during": sim["share_in_exercises"], "after": sim["share_after_exercises"]}
    rows["other"] = 1 - rows["during"] - rows["after"]
    observed = [obs["share_in_exercises"], obs["share_after_exercises"],
                1 - obs["share_in_exercises"] - obs["share_after_exercises"]]
    frame = pd.DataFrame(rows).T
    save_figure(exercise_share_figure(frame, pd.Series(observed, index=frame.index),
                                      [during.mean(), after.mean(), 1 - during.mean() - after.mean()], what),
                Path(out) / "check_exercises.png")
    return table
