"""`escalation calibrate`: estimate the model's parameters from the observed record, with uncertainty.

1. Likelihood (``sim.calibrate.likelihood``): the record replayed through the model; the launch
   hazard, the class and the salvo fitted to the 68 observed launch days of 2010-2019.
2. Simulation (``sim.calibrate.simulation``): with those estimates in place, the parameters the
   likelihood cannot reach fitted to summary statistics of free runs (the provocateur decides).
3. Output: ``parameters.yaml`` (estimate, interval, mechanism and method of each parameter, usable
   by any scenario as ``calibration: FILE``), ``samples.parquet`` (draws from the approximate
   posterior), the estimates and trials as CSV, and a posterior predictive check
   (``sim.calibrate.check``). Data after ``until`` are never read; nothing after 2019 exists.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibrate import likelihood, simulation, summaries
from sim.calibrate.replay import BASE, REPLAYS, replay_scenario, run_replay
from sim.schema.historical import ANCHOR, RECORD_END
from sim.schema.loader import load_scenario
from sim.schema.paths import apply_overrides

SAMPLES = 1000


@dataclass
class Calibration:
    out: Path
    estimates: pd.DataFrame
    parameters: dict[str, float]
    info: dict


def calibrate(until: dt.date = RECORD_END, out: Path | str = "runs/calibration", trials: int = 256,
              replays: int = REPLAYS, workers: int = 1, executor: str = "auto", address: str | None = None,
              seed: int = 0, resume: bool = False, progress: bool = True, check: bool = True,
              proposals: int = simulation.POSTERIOR_POINTS) -> Calibration:
    """Both stages, their files, and (``check``) the posterior predictive check."""
    from sim.run.executors import make_executor
    from sim.run.io import atomic_write_bytes, atomic_write_text

    until = min(until, RECORD_END)
    out = Path(out)
    _claim(out, until, resume)
    stage_a, info = fit_likelihood(until, replays, seed)
    fitted = {e.path: e.estimate for e in stage_a if e.method != "reference"}
    free = free_scenario(until, fitted)
    spec = simulation.specs(free)
    observed = summaries.observed(ANCHOR, until, _drill_days(free))
    kind = "dask" if address else ("process" if workers > 1 and executor in ("auto", "process") else executor)
    ex = make_executor("sequential" if kind == "auto" else kind, workers, address)
    try:
        stage_b = simulation.run_stage(free, observed, out / "optuna.journal", trials, seed, ex, workers, progress,
                                       proposals=proposals)
    finally:
        ex.shutdown()
    # the simulated values shape the replayed drivers too: fit the likelihood again with them in place
    stage_a, info = fit_likelihood(until, replays, seed, values=simulation.overrides(stage_b.best, spec))
    estimates = pd.DataFrame([e.row() for e in stage_a + stage_b.estimates])
    params = {row.path: float(row.estimate) for row in estimates.itertuples() if row.method != "reference"}
    atomic_write_text(out / "parameters.yaml", parameter_file(estimates, until, info))
    atomic_write_bytes(out / "estimates.csv", estimates.to_csv(index=False).encode())
    atomic_write_bytes(out / "trials.csv", stage_b.trials.to_csv(index=False).encode())
    _write_samples(out / "samples.parquet", info, stage_b, seed, spec)
    meta = {"until": str(until), "trials": trials, "replays": replays, "seed": seed, "likelihood": _plain(info),
            "observed": stage_b.observed, "scales": stage_b.sd, "dispersion": stage_b.dispersion}
    atomic_write_bytes(out / "proposals.csv", stage_b.proposals.to_csv(index=False).encode())
    atomic_write_text(out / "calibration.json", json.dumps(meta, indent=2, default=str))
    if check:
        from sim.calibrate.check import posterior_check
        posterior_check(params, out, until, seed=seed, progress=progress)
    return Calibration(out, estimates, params, meta)


def fit_likelihood(until: dt.date, replays: int, seed: int, values: dict | None = None):
    """Stage 1: the launch hazard, class and salvo by likelihood on the replayed record."""
    rp = run_replay(replay_scenario(until, values=values), replays, seed)
    hazard, info = likelihood.fit_hazard(rp)
    return hazard + likelihood.fit_classes(rp) + [likelihood.fit_salvo(rp)], info


def free_scenario(until: dt.date, fitted: dict[str, float], base: str = BASE):
    """The record's window with the provocateur free and the UN tabling resolutions itself
    (the real resolutions left out, so the model's own are compared with them)."""
    sc = load_scenario(base)
    hc = {"start": str(ANCHOR), "end": str(until), "include": ["exercises", "diplomacy", "politics", "policy"]}
    data = sc.model_dump(mode="json", exclude={"extends", "history", "sources", "calendar", "days"})
    data.update(start=str(ANCHOR), end=str(until), calendar=[], historical_calendar=hc)
    from sim.schema.loader import scenario_from_dict

    return apply_overrides(scenario_from_dict(data, origin=f"{base} to {until}, provocateur free"), fitted)


def _drill_days(sc) -> np.ndarray:
    from sim.model.calendar import compile_calendar
    from sim.model.cast import Cast

    return compile_calendar(sc, Cast.of(sc), sc.n_days).drill


def parameter_file(estimates: pd.DataFrame, until: dt.date, info: dict) -> str:
    """The YAML a scenario names as ``calibration:``: estimate, interval, mechanism and method."""
    import yaml

    rows = {}
    for r in estimates.itertuples():
        entry = {"estimate": _num(r.estimate), "low": _num(r.low), "high": _num(r.high), "se": _num(r.se),
                 "mechanism": r.mechanism, "method": r.method}
        if r.note:
            entry["note"] = r.note
        if not math.isnan(r.mle):
            entry["mle"] = _num(r.mle)
        rows[r.path] = entry
    doc = {"calibrated_on": f"{ANCHOR}..{until}", "data": "the packaged observed record (sim/data); nothing after 2019",
           "launch_days": info["launch_days"], "days": info["days"], "parameters": rows}
    return "# Written by `escalation calibrate`; intervals are 95%.\n" + yaml.safe_dump(doc, sort_keys=False)


def _num(v: float):
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else round(float(v), 6)


def _write_samples(path: Path, info: dict, stage_b, seed: int, spec: list[tuple]) -> None:
    """Draws of the approximate posterior: the likelihood stage's normal (mode and curvature) beside
    the simulation stage's (the curvature of its deviance surface)."""
    from sim.run.io import atomic_write_bytes
    from sim.run.store import frame_to_parquet

    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(7,)))
    names, mean, cov = info["posterior"]
    draws = rng.multivariate_normal(mean, cov, size=SAMPLES)
    frame = pd.DataFrame(draws, columns=names)
    frame.insert(0, info["base_rate_path"], np.exp(frame.pop("log_base_rate")))
    picks = rng.choice(len(stage_b.sample), size=SAMPLES)
    for name, paths, *_ in spec:
        for p in paths:
            frame[p] = stage_b.sample[name].to_numpy()[picks]
    atomic_write_bytes(path, frame_to_parquet(frame))


def _plain(info: dict) -> dict:
    """The likelihood's facts for calibration.json: a missing value (no finite MLE) as null."""
    return {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in info.items() if k != "posterior"}


def _claim(out: Path, until: dt.date, resume: bool) -> None:
    """A folder holding another calibration is refused; ``resume`` continues this one."""
    meta = out / "calibration.json"
    journal = out / "optuna.journal"
    if journal.exists() and not resume:
        raise CalibrationError(f"{out} already holds a calibration: pass --resume to finish it or use another --out")
    if meta.exists() and resume and json.loads(meta.read_text()).get("until") not in (None, str(until)):
        raise CalibrationError(f"{out} holds a calibration to another date; use another --out")
    out.mkdir(parents=True, exist_ok=True)


class CalibrationError(Exception):
    """A calibration that cannot start; one line."""
