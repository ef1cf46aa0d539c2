"""Parameter sweeps: a design over scenario paths, run as one batch, then analysed.

`sweep(...)` loads a scenario, checks every swept path at both ends of its range (so a typo
fails before any run), draws the design (sim.run.designs), and runs each design point R
times through the batch engine (sim.run.batch). Replication i uses the seed
``SeedSequence(root_seed).spawn(R)[i]`` at every design point: common random numbers, so
differences between points are the parameters' doing, not seed noise. The run_id of
replication r at point d is ``d * R + r``; summary rows carry `design_point` and one
column per swept path (a factor of linked paths `A+B` gives a column for each of A and B;
design.parquet has the factor `A+B`).

Files written to OUT besides the batch layout (docs/RESULTS.md):

* `design.parquet`    - the design: `design_point` and one column per path (written first,
                        so an interrupted sweep is self-describing);
* `point_means.csv`   - per design point and outcome: n (successful runs), mean, sd;
* `sensitivity.csv`   - sobol/morris only: the tidy table of sim.run.sensitivity.
The manifest's `design` field records the design, its parameters and the SALib problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

from sim.run.batch import BatchOutcome, read_table, run_batch
from sim.run.designs import make_design
from sim.run.sensitivity import METHODS, analyze
from sim.run.store import atomic_write
from sim.run.worker import RunFn, RunTask
from sim.schema.experiment import ParamRange
from sim.schema.paths import check_paths, parse_param_spec

DEFAULT_OUTCOMES = ("peak_escalation", "mean_escalation", "test_days")


class SweepError(Exception):
    """A sweep that cannot start (bad parameter, design or outcome); one-line message."""


@dataclass
class SweepResult:
    out: Path
    design: pd.DataFrame
    batch: BatchOutcome
    sensitivity: pd.DataFrame | None


def known_outcomes() -> tuple[str, ...]:
    """Summary outcome names (docs/RESULTS.md, "summary outcomes")."""
    from sim.run.summary import OUTCOMES
    return OUTCOMES


def check_outcomes(outcomes: Sequence[str]) -> list[str]:
    """Reject an unknown outcome before running rather than after hours of runs."""
    known = known_outcomes()
    for name in outcomes:
        if name not in known:
            raise SweepError(f"outcome: unknown '{name}' (expected one of: {', '.join(known)})")
    return list(outcomes)


def resolve_executor(executor: str, workers: int, address: str | None) -> str:
    """`auto`: dask with an address, a process pool with several workers, else in-process."""
    kinds = ("auto", "sequential", "serial", "process", "dask")
    if executor not in kinds:
        raise SweepError(f"executor: unknown '{executor}' (expected one of: {', '.join(kinds)})")
    if executor != "auto":
        if address and executor != "dask":
            raise SweepError("--address needs --executor dask")
        return executor
    return "dask" if address else ("process" if workers > 1 else "sequential")


def as_params(params: Sequence[ParamRange | str]) -> list[ParamRange]:
    """Accept parsed ranges or `PATH=LOW:HIGH` / `PATH=v1,v2` strings; paths must be unique."""
    try:
        out = [p if isinstance(p, ParamRange) else parse_param_spec(p) for p in params]
    except ValueError as exc:
        raise SweepError(str(exc)) from None
    if not out:
        raise SweepError("give at least one --param PATH=LOW:HIGH")
    paths = [path for p in out for path in p.paths]
    dup = sorted({p for p in paths if paths.count(p) > 1})
    if dup:
        raise SweepError(f"{dup[0]}: swept twice")
    return out


def plan(scenario: Any, params: list[ParamRange], design: str, samples: int, replications: int,
         root_seed: int, days: int | None) -> tuple[pd.DataFrame, dict, list[RunTask]]:
    """Check the parameters, draw the design and build the tasks (design point major)."""
    if replications < 1:
        raise SweepError(f"replications: must be at least 1, got {replications}")
    try:
        check_paths(scenario, params)
        frame, problem = make_design(params, design, samples, root_seed)
    except ValueError as exc:
        raise SweepError(str(exc)) from None
    tasks = []
    for row in frame.itertuples(index=False):
        point = int(row[0])
        overrides = {k: v for p, value in zip(params, row[1:]) for k, v in p.overrides(_plain(value)).items()}
        for rep in range(replications):
            tasks.append(RunTask(len(tasks), scenario.name, scenario, rep, root_seed, days,
                                 overrides=overrides, labels={"design_point": point}))
    return frame, problem, tasks


def _plain(v: Any) -> Any:
    """numpy scalars become Python ones: they are recorded, hashed and validated as such."""
    return v.item() if isinstance(v, np.generic) else v


def design_record(params: list[ParamRange], design: str, samples: int, replications: int,
                  root_seed: int, frame: pd.DataFrame, problem: dict, outcomes: list[str]) -> dict:
    """What the manifest's `design` field says: enough to redraw the design exactly."""
    samplers = {"grid": "itertools.product of numpy.linspace levels / given values",
                "lhs": "scipy.stats.qmc.LatinHypercube",
                "sobol": "SALib.sample.sobol (Saltelli, calc_second_order=True)",
                "morris": "SALib.sample.morris (num_levels=4)"}
    return {"type": design, "sampler": samplers[design], "samples": samples, "seed": root_seed,
            "points": len(frame), "replications": replications, "runs": len(frame) * replications,
            "params": [p.model_dump(exclude_none=True) for p in params], "problem": problem,
            "outcomes": outcomes, "file": "design.parquet"}


def sweep(scenario_path: str | Path, params: Sequence[ParamRange | str], design: str = "morris",
          samples: int = 4, replications: int = 1, root_seed: int = 0, days: int | None = None,
          out: str | Path = "runs/sweep", workers: int = 1, executor: str = "auto",
          address: str | None = None, resume: bool = False, outcomes: Sequence[str] = (),
          progress: bool = True, daily: str = "full", run_fn: RunFn | None = None) -> SweepResult:
    """Run a design over one scenario and write design, per-point means and sensitivity."""
    from sim.schema.loader import load_scenario  # ScenarioError reaches the caller as is

    scenario = load_scenario(scenario_path)
    params = as_params(params)
    outcomes = check_outcomes(outcomes or DEFAULT_OUTCOMES)
    kind = resolve_executor(executor, workers, address)
    from sim.run.preflight import plan_sweep  # limits before the design is drawn (LimitError, one line)
    plan_sweep(scenario, params, design, samples, replications, days, workers, daily)
    frame, problem, tasks = plan(scenario, params, design, samples, replications, root_seed, days)
    out = Path(out)
    _claim_design(out, frame, resume)
    record = design_record(params, design, samples, replications, root_seed, frame, problem, outcomes)
    outcome = run_batch(tasks, out, executor=kind, workers=workers, address=address, resume=resume,
                        progress=progress, run_fn=run_fn, daily=daily, design=record)
    table = write_analysis(out, frame, problem, design, outcomes, root_seed)
    return SweepResult(out, frame, outcome, table)


def _claim_design(out: Path, frame: pd.DataFrame, resume: bool) -> None:
    """Write design.parquet before running, never over another batch's files."""
    from sim.run.store import BatchStore

    path = out / "design.parquet"
    if BatchStore(out).has_results():
        if not resume:
            raise SweepError(f"{out} already holds a batch: pass --resume to finish it or use another --out")
        if path.exists() and not pd.read_parquet(path).equals(frame):
            raise SweepError(f"{out} holds a sweep with another design; use another --out")
    out.mkdir(parents=True, exist_ok=True)
    _write_frame(path, frame)


def write_analysis(out: Path, frame: pd.DataFrame, problem: dict, design: str,
                   outcomes: list[str], seed: int) -> pd.DataFrame | None:
    """design.parquet, point_means.csv and (sobol/morris) sensitivity.csv from the summary."""
    _write_frame(out / "design.parquet", frame)
    summary = read_table(out, "summary")
    if summary.empty:
        return None
    _write_frame(out / "point_means.csv", point_means(frame, summary, outcomes))
    if design not in METHODS:
        return None
    table = analyze(frame, problem, summary, outcomes, design, seed=seed)
    _write_frame(out / "sensitivity.csv", table)
    return table


def point_means(frame: pd.DataFrame, summary: pd.DataFrame, outcomes: list[str]) -> pd.DataFrame:
    """Tidy per-point statistics over successful replications (booleans become rates)."""
    ok = summary[summary["status"] == "ok"] if "status" in summary.columns else summary
    long = ok.melt(id_vars=["design_point"], value_vars=outcomes, var_name="outcome")
    long["value"] = pd.to_numeric(long["value"].astype("float64"), errors="coerce")
    stats = long.groupby(["design_point", "outcome"])["value"].agg(n="count", mean="mean", sd="std")
    return frame.merge(stats.reset_index(), on="design_point", how="left")


def _write_frame(path: Path, frame: pd.DataFrame) -> None:
    """Atomic like every other result file: a reader never sees half a table."""
    if path.suffix == ".parquet":
        from sim.run.store import frame_to_parquet
        atomic_write(path, frame_to_parquet(frame))
    else:
        atomic_write(path, frame.to_csv(index=False).encode())
