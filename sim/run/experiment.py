"""Run an experiment spec (experiments/*.yaml) end to end.

An experiment with a `sweep` runs the sweep on each of its scenarios (one scenario: into
OUT; several: into OUT/SCENARIO). One without a sweep runs all its scenarios as one batch
with common random numbers (replication i has the same seed in every scenario), then
writes `comparison.csv`: per scenario and outcome the mean with a 95% t-interval and, for
every scenario after the first, the difference from the first scenario paired by
replication. Pairing is what common random numbers buy: the seed noise shared by the
pair cancels, so the interval on the difference is narrower than the two intervals
suggest. OUT also receives `experiment.json`, the validated spec with resolved scenario
paths, so the results say which question they answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.run.batch import BatchOutcome, make_tasks, read_table, run_batch
from sim.run.store import atomic_write, atomic_write_json
from sim.run.sweep import SweepError, SweepResult, check_outcomes, resolve_executor, sweep
from sim.run.worker import RunFn
from sim.schema.experiment import Experiment, load_experiment

REPO = Path(__file__).resolve().parents[2]


@dataclass
class ExperimentResult:
    out: Path
    spec: Experiment
    batches: list[BatchOutcome] = field(default_factory=list)
    sweeps: list[SweepResult] = field(default_factory=list)
    comparison: pd.DataFrame | None = None

    @property
    def failures(self) -> list[dict[str, Any]]:
        """Failed runs over all batches, for the exit code and the report."""
        return [f for b in self.batches for f in b.failures]


def resolve_scenario(ref: str) -> str:
    """Spec paths are relative to the repository root; bundled names pass through."""
    candidate = REPO / ref
    return str(candidate) if candidate.is_file() else ref


def run_experiment(spec_path: str | Path, out: str | Path | None = None, workers: int | None = None,
                   executor: str | None = None, address: str | None = None, resume: bool = False,
                   progress: bool = True, daily: str = "full", run_fn: RunFn | None = None) -> ExperimentResult:
    """Load the spec (ExperimentError), then run it; CLI options beat the spec's defaults."""
    spec = load_experiment(spec_path)
    out = Path(out) if out is not None else Path("runs") / "experiments" / spec.name
    workers = workers or spec.workers or 1
    kind = resolve_executor(executor or spec.executor or "auto", workers, address)
    check_outcomes(spec.outcomes)
    refs = [resolve_scenario(s) for s in spec.scenarios]
    result = ExperimentResult(out, spec)
    opts = dict(workers=workers, executor=kind, address=address, resume=resume, progress=progress,
                daily=daily, run_fn=run_fn)
    if spec.sweep is not None:
        for ref in refs:
            where = out if len(refs) == 1 else out / _scenario_name(ref)
            res = sweep(ref, list(spec.sweep.params), spec.sweep.design, spec.sweep.samples,
                        spec.replications, spec.seed, spec.days, where, outcomes=spec.outcomes, **opts)
            result.sweeps.append(res)
            result.batches.append(res.batch)
    else:
        batch, result.comparison = _compare(spec, refs, out, opts)
        result.batches.append(batch)
    _write_spec(out, spec, refs)
    return result


def _scenario_name(ref: str) -> str:
    """The scenario's folder name: sanitised, so a name such as `../x` stays inside OUT."""
    from sim.run.store import sanitize
    from sim.schema.loader import load_scenario
    return sanitize(load_scenario(ref).name)


def _compare(spec: Experiment, refs: list[str], out: Path, opts: dict) -> tuple[BatchOutcome, pd.DataFrame]:
    """One CRN batch of every scenario, then comparison.csv."""
    from sim.schema.loader import load_scenario

    loaded: dict[str, Any] = {}
    for ref in refs:
        scenario = load_scenario(ref)
        if scenario.name in loaded:
            raise SweepError(f"scenarios: two are named '{scenario.name}'")
        loaded[scenario.name] = scenario
    tasks = make_tasks(loaded, spec.replications, spec.seed, spec.days)
    design = {"type": "replications", "experiment": spec.name, "question": spec.question,
              "outcomes": list(spec.outcomes), "reference": next(iter(loaded))}
    batch = run_batch(tasks, out, design=design, **opts)
    table = compare(read_table(out, "summary"), list(loaded), list(spec.outcomes))
    atomic_write(out / "comparison.csv", table.to_csv(index=False).encode())
    return batch, table


def compare(summary: pd.DataFrame, scenarios: list[str], outcomes: list[str]) -> pd.DataFrame:
    """Tidy table: scenario, outcome, n, mean, sd, ci_low, ci_high, then the paired difference
    from the first scenario (reference, diff_n, diff_mean, diff_sd, diff_ci_low, diff_ci_high)."""
    ok = summary[summary["status"] == "ok"] if "status" in summary.columns else summary
    rows = []
    for outcome in outcomes:
        wide = ok.pivot_table(index="replication", columns="scenario", values=outcome, aggfunc="first")
        wide = wide.astype("float64")
        for name in scenarios:
            col = wide[name].dropna() if name in wide else pd.Series(dtype=float)
            row = {"scenario": name, "outcome": outcome, **_interval(col.to_numpy(), "")}
            if name != scenarios[0] and scenarios[0] in wide and name in wide:
                pairs = (wide[name] - wide[scenarios[0]]).dropna().to_numpy()
                row.update(reference=scenarios[0], **_interval(pairs, "diff_"))
            rows.append(row)
    cols = ["scenario", "outcome", "n", "mean", "sd", "ci_low", "ci_high",
            "reference", "diff_n", "diff_mean", "diff_sd", "diff_ci_low", "diff_ci_high"]
    return pd.DataFrame(rows).reindex(columns=cols)


def _interval(x: np.ndarray, prefix: str) -> dict[str, float]:
    """Mean and 95% Student-t interval (NaN bounds when n < 2)."""
    n = len(x)
    mean = float(np.mean(x)) if n else np.nan
    sd = float(np.std(x, ddof=1)) if n > 1 else np.nan
    half = float(stats.t.ppf(0.975, n - 1) * sd / np.sqrt(n)) if n > 1 else np.nan
    return {f"{prefix}n": n, f"{prefix}mean": mean, f"{prefix}sd": sd,
            f"{prefix}ci_low": mean - half, f"{prefix}ci_high": mean + half}


def _write_spec(out: Path, spec: Experiment, refs: list[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    record = {**spec.model_dump(mode="json"), "resolved_scenarios": refs}
    atomic_write_json(out / "experiment.json", json.loads(json.dumps(record)))
