"""Simulation-based calibration of what the launch likelihood cannot reach.

The allies' answers, the strength of the drills' pull on tension, the UN's tabling of
resolutions and the provocateur's appetite for talks shape the free-running record, not the
likelihood of the replayed one. They are fitted to summary statistics of the observed record
(``sim.calibrate.summaries``) by minimising a Gaussian synthetic deviance with optuna's TPE
sampler. Trials are asked for in batches and a batch runs as ensembles of the model, on every
replication's common random numbers, split over the workers of an executor (local processes or
a Dask cluster). The study lives in an optuna journal file, so a killed calibration resumes with
the trials it had finished. Intervals come from a quadratic response surface of the deviance
fitted to the trials near the optimum (its curvature, as a Laplace approximation would).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from sim.calibrate import summaries
from sim.calibrate.likelihood import CHI2, Estimate

# (name, scenario paths it sets, low, high, mechanism): the parameters fitted by simulation
SIMULATED = (
    ("response_rate", ("actors.US.policy.params.response_rate", "actors.ROK.policy.params.response_rate",
                       "actors.Japan.policy.params.response_rate"), 0.0, 1.0, "M5"),
    ("drill_pressure", ("effects.drill_pressure",), 0.0, 0.05, "M1"),
    ("un_sponsor", ("actors.US.policy.params.un_sponsor",), 0.0, 1.0, "M8"),
    ("accept_rate", ("actors.DPRK.policy.params.accept_rate",), 0.0, 0.2, "M8"),
)
REPS = 8          # replications per trial (common random numbers across trials)
BATCH = 16        # trials asked for at a time (one ensemble of BATCH x REPS runs per worker chunk)
SD_FLOOR = 0.02   # a statistic's sd is never taken below this share of its observed scale
NEAR = 0.4        # share of the best trials the response surface is fitted to


@dataclass
class StageB:
    estimates: list[Estimate]
    trials: Any               # a DataFrame of every trial: parameters and deviance
    best: dict[str, float]
    observed: dict[str, float]
    sd: dict[str, float]


def overrides(values: dict[str, float], specs=SIMULATED) -> dict[str, float]:
    return {path: float(values[name]) for name, paths, *_ in specs for path in paths}


def evaluate_chunk(scenario_json: str, trial_values: list[dict[str, float]], reps: int, seed: int) -> list[dict]:
    """Run one chunk of trials as one ensemble; return each trial's mean and sd of every statistic."""
    from sim.model import EscalationModel
    from sim.schema.paths import apply_overrides
    from sim.schema.scenario import Scenario

    base = Scenario.model_validate_json(scenario_json)
    scenarios, seeds = [], []
    common = np.random.SeedSequence(seed).spawn(reps)
    for values in trial_values:
        sc = apply_overrides(base, overrides(values))
        scenarios += [sc] * reps
        seeds += common
    m = EscalationModel(scenarios, seeds, daily=True, events=True).run()
    stats = summaries.simulated(m)
    out = []
    for i in range(len(trial_values)):
        block = slice(i * reps, (i + 1) * reps)
        out.append({k: (float(v[block].mean()), float(v[block].std())) for k, v in stats.items()})
    return out


def deviance(sim: dict[str, tuple[float, float]], observed: dict[str, float], sd: dict[str, float], reps: int) -> float:
    """-2 log synthetic likelihood (diagonal Gaussian), the simulation mean's own noise included."""
    return float(sum((sim[k][0] - observed[k]) ** 2 / (sd[k] ** 2 * (1 + 1 / reps)) for k in observed))


def run_stage(scenario, observed: dict[str, float], journal: Path, trials: int, seed: int, executor,
              workers: int, progress: bool = True, reps: int = REPS, batch: int = BATCH) -> StageB:
    """Minimise the synthetic deviance over ``SIMULATED`` with optuna, resuming a journal if there is one."""
    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend
    from tqdm import tqdm

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = JournalStorage(JournalFileBackend(str(journal)))
    study = optuna.create_study(study_name="simulated", storage=storage, direction="minimize", load_if_exists=True)
    dists = {name: optuna.distributions.FloatDistribution(low, high) for name, _, low, high, _ in SIMULATED}
    text = scenario.model_dump_json(exclude={"extends"})
    pilot = _pilot(text, scenario, reps, seed, executor)
    sd = {k: max(pilot[k][1], SD_FLOOR * max(abs(observed[k]), 1.0)) for k in observed}
    bar = tqdm(total=trials, desc="calibrate (simulation)", unit="trial", disable=not progress)
    done = _complete(study)
    bar.update(len(done))
    while len(done) < trials:
        study.sampler = optuna.samplers.TPESampler(seed=seed + len(done), multivariate=True, n_startup_trials=batch)
        asked = [study.ask(dists) for _ in range(min(batch, trials - len(done)))]
        results = _evaluate(text, [t.params for t in asked], reps, seed, executor, workers)
        for t, sim in zip(asked, results):
            study.tell(t, deviance(sim, observed, sd, reps))
        bar.update(len(asked))
        done = _complete(study)
    bar.close()
    frame = study.trials_dataframe(attrs=("number", "value", "params", "state"))
    frame = frame[frame["state"] == "COMPLETE"].rename(columns=lambda c: c.removeprefix("params_"))
    best = {name: float(study.best_params[name]) for name, *_ in SIMULATED}
    return StageB(_intervals(frame, best), frame, best, observed, sd)


def _complete(study) -> list:
    import optuna

    return [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]


def _pilot(text: str, scenario, reps: int, seed: int, executor) -> dict[str, tuple[float, float]]:
    """The statistics' spread at the scenario's own values: the synthetic likelihood's scales."""
    values = {name: _current(scenario, paths[0]) for name, paths, *_ in SIMULATED}
    return evaluate_chunk(text, [values], max(reps, 32), seed + 1)[0]


def _current(scenario, path: str) -> float:
    obj = scenario
    for part in path.split("."):
        obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
    return float(obj)


def _evaluate(text: str, values: list[dict], reps: int, seed: int, executor, workers: int) -> list[dict]:
    chunks = [values[i::max(workers, 1)] for i in range(max(workers, 1))]
    futures = [(c, executor.submit(evaluate_chunk, text, c, reps, seed)) for c in chunks if c]
    by_id: dict[int, dict] = {}
    for chunk, fut in futures:
        for v, r in zip(chunk, fut.result()):
            by_id[id(v)] = r
    return [by_id[id(v)] for v in values]


def _intervals(frame, best: dict[str, float]) -> list[Estimate]:
    """Intervals from a quadratic surface of the deviance fitted to the best trials (Laplace)."""
    import statsmodels.api as sm

    names = [name for name, *_ in SIMULATED]
    spans = {name: high - low for name, _, low, high, _ in SIMULATED}
    near = frame.nsmallest(max(int(len(frame) * NEAR), 3 * len(names) ** 2), "value")
    z = np.column_stack([(near[n] - best[n]) / spans[n] for n in names])
    cols = [np.ones(len(z))] + [z[:, i] for i in range(len(names))] + [
        z[:, i] * z[:, j] for i in range(len(names)) for j in range(i, len(names))]
    fit = sm.OLS(near["value"].to_numpy(), np.column_stack(cols)).fit()
    H = np.zeros((len(names), len(names)))
    k = 1 + len(names)
    for i in range(len(names)):
        for j in range(i, len(names)):
            c = fit.params[k]
            H[i, j] = H[j, i] = 2 * c if i == j else c
            k += 1
    out = []
    cov = _covariance(H)
    for i, (name, paths, low, high, mech) in enumerate(SIMULATED):
        half = math.sqrt(max(cov[i, i], 0.0) * CHI2) * spans[name] if cov is not None else math.nan
        se = math.sqrt(max(cov[i, i], 0.0)) * spans[name] if cov is not None else math.nan
        lo = max(low, best[name] - half) if half == half else math.nan
        hi = min(high, best[name] + half) if half == half else math.nan
        note = "" if cov is not None else "the deviance surface is flat here: not informed by these statistics"
        for path in paths:
            out.append(Estimate(path, mech, best[name], se, lo, hi,
                                "simulation: optuna TPE on a Gaussian synthetic deviance of summary statistics", note))
    return out


def _covariance(H: np.ndarray) -> np.ndarray | None:
    """The inverse of half the deviance's Hessian (a covariance), if the surface curves upward."""
    vals = np.linalg.eigvalsh(H)
    if vals.min() <= 1e-9:
        return None
    return np.linalg.inv(H / 2)


def stat_names(start, until) -> Sequence[str]:
    return summaries.names(start, until)
