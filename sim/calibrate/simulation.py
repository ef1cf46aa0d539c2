"""Simulation-based calibration of what the launch likelihood cannot reach.

The allies' answers, the strength of the drills' pull on tension, the UN's tabling of
resolutions and the provocateur's appetite for talks shape the free-running record, not the
likelihood of the replayed one. They are fitted to summary statistics of the observed record
(``sim.calibrate.summaries``) by minimising a Gaussian synthetic deviance with optuna's TPE
sampler; their uncertainty comes from the curvature of a quadratic surface fitted to the deviance
of proposals around the optimum (``intervals``). Trials are asked for in batches and a batch runs as ensembles of the model, on every
replication's common random numbers, split over the workers of an executor (local processes or
a Dask cluster). The study lives in an optuna journal file, so a killed calibration resumes with
the trials it had finished.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

from sim.calibrate import summaries
from sim.calibrate.likelihood import Estimate

# (name, whose parameter by role, low, high, mechanism): the parameters fitted by simulation.
# "allies" sets every ally (one shared value), "sponsor" the ally that tables UN resolutions.
SIMULATED = (
    ("response_rate", "allies", 0.0, 1.0, "M5"),
    ("drill_pressure", "effects", 0.0, 0.05, "M1"),
    ("un_sponsor", "sponsor", 0.0, 1.0, "M8"),
    ("accept_rate", "provocateur", 0.0, 0.5, "core"),
)
REPS = 8          # replications per trial (common random numbers across trials)
POSTERIOR_POINTS = 256  # proposals around the optimum the deviance surface is fitted to
POSTERIOR_DRAWS = 1000
BATCH = 16        # trials asked for at a time (one ensemble of BATCH x REPS runs per worker chunk)
SD_FLOOR = 0.1    # a statistic's sd is never taken below this share of its observed size (or of 1)


def specs(sc) -> list[tuple]:
    """SIMULATED with each parameter's scenario paths, read from the scenario's declared roles."""
    allies = sc.actors_with("ally")
    whose = {"allies": allies, "provocateur": [sc.provocateur],
             "sponsor": [sc.roles.sponsor or sc.roles.leverage or allies[0]]}
    out = []
    for name, who, low, high, mech in SIMULATED:
        paths = (f"effects.{name}",) if who == "effects" else tuple(f"actors.{a}.policy.params.{name}" for a in whose[who])
        out.append((name, paths, low, high, mech))
    return out


@dataclass
class StageB:
    estimates: list[Estimate]
    trials: Any               # a DataFrame of every trial: parameters and deviance
    best: dict[str, float]
    observed: dict[str, float]
    sd: dict[str, float]
    sample: Any = None        # draws of the posterior (a DataFrame, one column per parameter)
    dispersion: float = 1.0
    proposals: Any = None     # the points whose deviance the surface was fitted to


def overrides(values: dict[str, float], spec: list[tuple]) -> dict[str, float]:
    return {path: float(values[name]) for name, paths, *_ in spec for path in paths}


def evaluate_chunk(scenario_json: str, trial_values: list[dict[str, float]], reps: int, seed: int) -> list[dict]:
    """Run one chunk of trials as one ensemble; return each trial's mean and sd of every statistic."""
    from sim.model import EscalationModel
    from sim.schema.paths import apply_overrides
    from sim.schema.scenario import Scenario

    base = Scenario.model_validate_json(scenario_json)
    spec = specs(base)
    scenarios, seeds = [], []
    common = np.random.SeedSequence(seed).spawn(reps)
    for values in trial_values:
        sc = apply_overrides(base, overrides(values, spec))
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
              workers: int, progress: bool = True, reps: int = REPS, batch: int = BATCH,
              proposals: int = POSTERIOR_POINTS) -> StageB:
    """Minimise the synthetic deviance over ``SIMULATED`` with optuna, resuming a journal if there is one."""
    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend
    from sim.run.progress import progress_bar

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = JournalStorage(JournalFileBackend(str(journal)))
    study = optuna.create_study(study_name="simulated", storage=storage, direction="minimize", load_if_exists=True)
    dists = {name: optuna.distributions.FloatDistribution(low, high) for name, _, low, high, _ in SIMULATED}
    text = scenario.model_dump_json(exclude={"extends"})
    pilot = _pilot(text, scenario, reps, seed, executor)
    sd = {k: max(pilot[k][1], SD_FLOOR * max(abs(observed[k]), 1.0)) for k in observed}
    bar = progress_bar(total=trials, desc="calibrate (simulation)", unit="trial", disable=not progress)
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
    points, devs, phi = posterior(text, frame, best, observed, sd, seed + 2, executor, workers, proposals)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(6,)))
    spec = specs(scenario)
    estimates, draws = intervals(best, points, devs, phi, rng, POSTERIOR_DRAWS, spec)
    names = [name for name, *_ in SIMULATED]
    proposals = pd.DataFrame(points, columns=names).assign(deviance=devs)
    mode = {e.path: e.estimate for e in estimates}
    best = {name: mode[paths[0]] for name, paths, *_ in spec}
    return StageB(estimates, frame, best, observed, sd, pd.DataFrame(draws, columns=names), phi, proposals)


def _complete(study) -> list:
    import optuna

    return [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]


def _pilot(text: str, scenario, reps: int, seed: int, executor) -> dict[str, tuple[float, float]]:
    """The statistics' spread at the centre of the prior box: the synthetic likelihood's scales."""
    values = {name: (low + high) / 2 for name, _, low, high, _ in SIMULATED}
    return evaluate_chunk(text, [values], max(reps, 32), seed + 1)[0]


def _evaluate(text: str, values: list[dict], reps: int, seed: int, executor, workers: int) -> list[dict]:
    chunks = [values[i::max(workers, 1)] for i in range(max(workers, 1))]
    futures = [(c, executor.submit(evaluate_chunk, text, c, reps, seed)) for c in chunks if c]
    by_id: dict[int, dict] = {}
    for chunk, fut in futures:
        for v, r in zip(chunk, fut.result()):
            by_id[id(v)] = r
    return [by_id[id(v)] for v in values]


def posterior(text: str, trials, best: dict[str, float], observed: dict[str, float], sd: dict[str, float],
              seed: int, executor, workers: int, n: int = POSTERIOR_POINTS, reps: int = REPS):
    """Proposals around the optimum and their deviances, for the surface ``intervals`` fits.

    They come from a normal around the optimum whose spread is that of the best trials
    (widened), kept inside the prior box. phi, the best deviance per degree of freedom (at least
    1), is returned to scale the likelihood as a quasi-likelihood's would: the summary statistics
    are not all matched, and pretending they were would make intervals too narrow.
    """
    from scipy import stats

    names = [name for name, *_ in SIMULATED]
    low = np.array([spec[2] for spec in SIMULATED])
    high = np.array([spec[3] for spec in SIMULATED])
    centre = np.array([best[k] for k in names])
    top = trials.nsmallest(max(20, len(trials) // 10), "value")[names].to_numpy()
    cov = np.cov(top, rowvar=False) * SPREAD + np.diag((FLOOR * (high - low)) ** 2)
    proposal = stats.multivariate_normal(centre, cov)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(5,)))
    points = np.empty((0, len(names)))
    while len(points) < n:
        draw = proposal.rvs(size=4 * n, random_state=rng).reshape(-1, len(names))
        points = np.vstack([points, draw[((draw >= low) & (draw <= high)).all(axis=1)]])
    points = points[:n]
    values = [dict(zip(names, p)) for p in points]
    devs = np.array([deviance(r, observed, sd, reps) for r in _evaluate(text, values, reps, seed, executor, workers)])
    floor = min(devs.min(), float(trials["value"].min()))
    phi = max(floor / max(len(observed) - len(names), 1), 1.0)
    return points, devs, phi


SPREAD = 4.0   # the proposal's covariance: the best trials' spread, widened this many times
FLOOR = 0.02   # ... and never narrower than this share of a parameter's prior range


def deviance_of(values: dict[str, float], text: str, observed, sd, reps: int, seed: int) -> float:
    return deviance(evaluate_chunk(text, [values], reps, seed)[0], observed, sd, reps)


def intervals(best: dict[str, float], points: np.ndarray, devs: np.ndarray, phi: float,
              rng: np.random.Generator, n: int, spec: list[tuple]) -> tuple[list[Estimate], np.ndarray]:
    """The posterior from a quadratic surface of the deviance fitted to the proposals.

    The deviance of a few replications is noisy; a quadratic in the parameters, fitted to all
    proposals around the optimum, smooths it. Its minimum is the estimate, and with curvature H
    the posterior is normal with covariance 2 phi H^-1 (kept inside the prior box). Where the
    surface is not jointly convex, the best trial stands and each parameter gets the interval of
    its own curvature; a parameter along which it does not curve up at all is barely informed.
    """
    names = [name for name, *_ in SIMULATED]
    low = np.array([spec[2] for spec in SIMULATED])
    high = np.array([spec[3] for spec in SIMULATED])
    mode, H = _quadratic(points, devs, low, high)
    flat = np.diag(H) <= 0
    if np.linalg.eigvalsh(H).min() > 0:
        cov, note = 2 * phi * np.linalg.inv(H), ""
    else:  # not convex jointly: each parameter on its own curvature (others held), flat ones unknown
        mode = np.array([best[k] for k in names])
        cov = np.diag(np.where(flat, ((high - low) / 2) ** 2, 2 * phi / np.where(flat, 1.0, np.diag(H))))
        note = "one parameter at a time (the surface is not jointly convex)"
    draws = _truncated_normal(mode, cov, low, high, rng, n)
    out = []
    for k, (name, paths, lo_b, hi_b, mech) in enumerate(spec):
        lo, hi = (float(q) for q in np.quantile(draws[:, k], [0.025, 0.975]))
        if not lo <= mode[k] <= hi:  # the mode at a bound of the box: the interval reaches that bound
            lo, hi = (lo_b, hi) if mode[k] < lo else (lo, hi_b)
        se = float(draws[:, k].std())
        wide = flat[k] or (hi - lo) > 0.8 * (hi_b - lo_b)
        text = "; ".join(x for x in (note, "barely informed by these statistics" if wide else "") if x)
        for path in paths:
            out.append(Estimate(path, mech, float(mode[k]), se, lo, hi, METHOD, text))
    return out, draws


def _quadratic(points: np.ndarray, devs: np.ndarray, low: np.ndarray, high: np.ndarray):
    """(minimum inside the box, Hessian) of a quadratic fitted to the deviance by least squares."""
    import statsmodels.api as sm

    z = (points - low) / (high - low)
    k = z.shape[1]
    pairs = [(i, j) for i in range(k) for j in range(i, k)]
    X = np.column_stack([np.ones(len(z)), z] + [z[:, i] * z[:, j] for i, j in pairs])
    coef = sm.OLS(devs, X).fit().params
    H = np.zeros((k, k))
    for c, (i, j) in zip(coef[1 + k:], pairs):
        H[i, j] = H[j, i] = 2 * c if i == j else c
    mode = np.clip(np.linalg.lstsq(H, -coef[1:1 + k], rcond=None)[0], 0.0, 1.0)
    scale = high - low
    return low + mode * scale, H / np.outer(scale, scale)


def _truncated_normal(mean, cov, low, high, rng, n: int) -> np.ndarray:
    out = np.empty((0, len(mean)))
    for _ in range(100):
        draw = rng.multivariate_normal(mean, cov, size=4 * n)
        out = np.vstack([out, draw[((draw >= low) & (draw <= high)).all(axis=1)]])
        if len(out) >= n:
            return out[:n]
    return np.clip(rng.multivariate_normal(mean, cov, size=n), low, high)


METHOD = ("simulation: Gaussian synthetic deviance of summary statistics, searched with optuna TPE, "
          "smoothed by a quadratic surface; normal posterior from its curvature")


def stat_names(start, until) -> Sequence[str]:
    return summaries.names(start, until)
