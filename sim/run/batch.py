"""The batch engine: many runs of one or more scenarios, streamed to a results directory.

Public API (used by `escalation batch` and by the sweep/design helpers):

- `make_tasks(scenarios, replications, root_seed, days)` -> list[RunTask]: replication i
  of every scenario gets seed ``SeedSequence(root_seed).spawn(R)[i]`` (common random
  numbers, so scenario differences are not seed noise). Sweeps build their own `RunTask`s
  (sim.run.worker) with `overrides` (dotted scenario paths -> values, applied with
  sim.schema.paths.apply_overrides and recorded as columns), `labels` (recorded only, e.g.
  design_point) and the same seeding rule.
- `run_batch(tasks, out_dir, executor=, workers=, address=, resume=, progress=, run_fn=,
  daily=, chunk_size=, design=)` -> BatchOutcome: runs the tasks in chunks, each one
  ensemble of the model (default about two per worker, up to ENSEMBLE_MAX runs, fewer
  when daily tables are kept: DAILY_BUDGET) on an executor kind (sequential/serial, process,
  dask) or any concurrent.futures.Executor; streams parquet parts as chunks finish
  (sim.run.store) with a bounded number of chunks in flight, so memory stays flat;
  records failed runs and goes on (status "failed", failures.json); with `resume=True`
  runs only what is not on disk yet. `run_fn(scenario, seed=SeedSequence, days=)`, if given,
  runs each task alone instead (tests wrap the model this way); it must be importable by
  name for process/dask workers.
- `batch(scenarios, replications, root_seed, days, out, workers, executor, address,
  resume, ...)`: load scenarios by path or bundled name, then `make_tasks` + `run_batch`.
- `read_table(out, "summary"|"daily"|"events")` (from sim.run.store): read results back.

Results do not depend on the executor, the worker count, the chunking or interruptions:
each run's randomness comes only from its own SeedSequence, and readers sort by run_id.
Layout and columns: docs/RESULTS.md ("A batch or sweep").
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import math
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from sim.run.driver import Driver as _Driver
from sim.run.manifest import batch_manifest, finish_manifest, runs_frame
from sim.run.store import BatchStore, read_table  # noqa: F401  (re-exported for callers)
from sim.run.worker import DAILY_BYTES, RunFn, RunTask, task_days  # noqa: F401  (RunTask re-exported for callers)

DAILY_MODES = ("full", "events", "none")  # daily tables and event log; event log only; summaries only


class BatchError(Exception):
    """A batch that cannot start (bad arguments, a directory holding another batch)."""


@dataclass
class BatchOutcome:
    """How a batch call ended; the files on disk are the results."""

    out: Path
    planned: int
    skipped: int = 0
    ran: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)
    status: str = "running"
    seconds: float = 0.0

    @property
    def completed(self) -> int:
        """Runs whose results are on disk, from this call and earlier ones."""
        return self.skipped + self.ran

    @property
    def failed_run_ids(self) -> list[int]:
        return sorted(f["run_id"] for f in self.failures)


def make_tasks(scenarios: Mapping[str, Any], replications: int, root_seed: int = 0,
               days: int | None = None) -> list[RunTask]:
    """Scenario-major tasks; run_id = position, replication i uses spawn child i everywhere."""
    if replications < 1:
        raise BatchError(f"replications must be at least 1, got {replications}")
    tasks = []
    for name, scenario in scenarios.items():
        for rep in range(replications):
            tasks.append(RunTask(len(tasks), name, scenario, rep, root_seed, days))
    return tasks


def run_batch(tasks: Sequence[RunTask], out_dir: Path | str, *, executor: str | cf.Executor = "sequential",
              workers: int = 1, address: str | None = None, resume: bool = False, progress: bool = True,
              run_fn: RunFn | None = None, daily: str = "full", chunk_size: int | None = None,
              design: Mapping[str, Any] | None = None) -> BatchOutcome:
    """Run `tasks` into `out_dir`; see the module docstring. `executor` is a kind or an Executor."""
    tasks = _check_tasks(tasks, daily)
    store = BatchStore(out_dir)
    manifest = batch_manifest(tasks, executor, workers, daily, design, _plan_hash(tasks, daily))
    done = _open(store, manifest, resume)
    store.write_runs(runs_frame(tasks, done, []))
    todo = [t for t in tasks if t.run_id not in done]
    outcome = BatchOutcome(Path(out_dir), len(tasks), skipped=len(tasks) - len(todo))
    started = time.perf_counter()
    size = chunk_size or _auto_chunk(todo, workers, daily)
    driver = _Driver(store, executor, workers, address, run_fn, daily, progress)
    try:
        driver.run(list(_chunks(todo, size)), total=len(tasks), initial=outcome.skipped)
    except BaseException:
        outcome.status = "interrupted"
        raise
    else:
        outcome.status = "failed" if driver.failures else "complete"
    finally:
        outcome.ran, outcome.failures = driver.ran, driver.failures
        outcome.seconds = time.perf_counter() - started
        failed = {f["run_id"] for f in driver.failures}
        store.write_runs(runs_frame(tasks, done | set(driver.ok_ids), failed))
        store.write_failures(driver.failures)
        store.write_manifest(finish_manifest(manifest, outcome))
    return outcome


def batch(scenarios: Iterable[str | Path | Any], replications: int, root_seed: int = 0,
          days: int | None = None, out: Path | str = "runs/batch", workers: int = 1,
          executor: str = "process", address: str | None = None, resume: bool = False,
          progress: bool = True, daily: str = "full", run_fn: RunFn | None = None) -> BatchOutcome:
    """Load scenarios (paths, bundled names or Scenario objects) and run R replications each."""
    from sim.schema.loader import load_scenario  # raises ScenarioError with a one-line message
    loaded: dict[str, Any] = {}
    for item in scenarios:
        scenario = item if hasattr(item, "model_dump") else load_scenario(item)
        if scenario.name in loaded:
            raise BatchError(f"two scenarios are named '{scenario.name}'; batch results need distinct names")
        loaded[scenario.name] = scenario
    if not loaded:
        raise BatchError("give at least one scenario")
    from sim.run.preflight import plan_batch  # limits before any task is built (LimitError, one line)
    plan_batch(loaded.values(), replications, days, workers, daily)
    tasks = make_tasks(loaded, replications, root_seed, days)
    return run_batch(tasks, out, executor=executor, workers=workers, address=address, resume=resume,
                     progress=progress, run_fn=run_fn, daily=daily)


def _check_tasks(tasks: Sequence[RunTask], daily: str) -> list[RunTask]:
    """Validate the plan and give each override one column type (int or float) across runs."""
    if daily not in DAILY_MODES:
        raise BatchError(f"daily must be one of {', '.join(DAILY_MODES)}, got '{daily}'")
    tasks = list(tasks)
    if len({t.run_id for t in tasks}) != len(tasks):
        raise BatchError("run ids in a batch must be unique")
    floats = {k for t in tasks for k, v in t.overrides.items() if isinstance(v, float)}
    if not floats:
        return tasks
    return [replace(t, overrides={k: float(v) if k in floats and _is_int(v) else v
                                  for k, v in t.overrides.items()}) for t in tasks]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _plan_hash(tasks: Sequence[RunTask], daily: str) -> str:
    """A fingerprint of what the batch computes, so a resume cannot mix two batches."""
    from sim.run.manifest import content_hash
    hashes: dict[int, str] = {}
    h = hashlib.sha256(daily.encode())
    for t in tasks:
        sh = hashes.get(id(t.scenario))
        if sh is None:  # once per distinct scenario object (tasks share them), not once per run
            sh = hashes[id(t.scenario)] = content_hash(t.scenario)
        row = [t.run_id, t.scenario_name, sh, t.replication, t.root_seed, list(t.key), t.days,
               sorted((k, repr(v)) for k, v in t.overrides.items()),
               sorted((k, repr(v)) for k, v in t.labels.items())]
        h.update(json.dumps(row).encode())
    return h.hexdigest()[:16]


def _open(store: BatchStore, manifest: dict[str, Any], resume: bool) -> set[int]:
    """Claim the directory; on resume check it holds this plan and return completed run ids."""
    if store.has_results():
        if not resume:
            raise BatchError(f"{store.root} already holds a batch: pass --resume to finish it or use another --out")
        old = store.read_manifest()
        if old is not None and old.get("plan_hash") != manifest["plan_hash"]:
            raise BatchError(f"{store.root} holds a different batch (other scenarios, seeds or runs); use another --out")
        if old is not None:
            manifest["started"] = old.get("started", manifest["started"])
            manifest["attempts"] = old.get("attempts", 1) + 1
    store.prepare()
    if resume:
        store.clean_uncommitted()
    store.write_manifest(manifest)
    return store.completed_run_ids() if resume else set()


def _auto_chunk(tasks: Sequence[RunTask], workers: int, daily: str) -> int:
    """Runs per chunk: large enough that stepping them together pays, small enough to balance
    the workers (about two chunks each, so a worker that finishes early takes another) and to
    bound a worker's memory.

    A chunk is one ensemble of the model, so its cost per run falls as it grows: a day costs
    a fixed part (the moves' and decisions' small array operations, 0.6 ms at R = 1 and more
    as more kinds of move occur) plus about 2 µs per run (benchmarks/bench_step.py), so the
    fixed part weighs five times less per run at 5,000 runs than at 1,000.
    With daily tables a worker holds about ``DAILY_BYTES`` per run-day (the recorder's arrays,
    the encoded part and the copies made to ship it), kept under ``DAILY_BUDGET``.
    """
    if not tasks:
        return 1
    days = task_days(tasks[0])
    cap = ENSEMBLE_MAX if daily != "full" else max(1, DAILY_BUDGET // (DAILY_BYTES * days))
    return max(1, min(cap, math.ceil(len(tasks) / (max(1, workers) * CHUNKS_PER_WORKER))))


CHUNKS_PER_WORKER = 2
ENSEMBLE_MAX = 5000        # runs stepped together when only summaries are kept (about 80 MB of draws)
DAILY_BUDGET = 80_000_000  # bytes a worker may add for one chunk with daily tables


def _chunks(tasks: list[RunTask], size: int) -> Iterable[list[RunTask]]:
    """Consecutive runs of one scenario at a time, so a part never mixes daily layouts."""
    chunk: list[RunTask] = []
    for task in tasks:
        if chunk and (len(chunk) >= size or task.scenario_name != chunk[0].scenario_name):
            yield chunk
            chunk = []
        chunk.append(task)
    if chunk:
        yield chunk

