"""What a worker does with one chunk of runs: simulate each, isolate failures, encode results.

This module runs inside worker processes (process pool or dask), so it is small and
imports the model lazily. A chunk is a list of `RunTask`s; `run_chunk` returns a
`ChunkResult` holding parquet-encoded bytes per table. Why bytes: they are compact to send
back (snappy-compressed, dictionary-encoded strings), and the parent only has to write them
atomically, so the parent stays cheap however many workers feed it and needs no model code.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd

from sim.run.store import frame_to_parquet

RunFn = Callable[..., Any]


@dataclass(frozen=True)
class RunTask:
    """One run of a batch: which scenario, with which seed, overrides and horizon.

    The seed of a run is ``SeedSequence(root_seed, spawn_key=spawn_key)``, which equals
    ``SeedSequence(root_seed).spawn(R)[replication]`` for the default key ``(replication,)``:
    replication i of every scenario gets the same child (common random numbers), and only
    two integers travel to the worker. `scenario` is the loaded Scenario object; pickling a
    chunk stores each distinct object once, so carrying it per task costs nothing.
    `overrides` (dotted path -> value) are applied to the scenario before the run and
    recorded as columns; `labels` (e.g. a sweep's design_point) are only recorded.
    """

    run_id: int
    scenario_name: str
    scenario: Any
    replication: int
    root_seed: int
    days: int | None = None
    overrides: Mapping[str, Any] = field(default_factory=dict)
    spawn_key: tuple[int, ...] = ()
    labels: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[int, ...]:
        return tuple(self.spawn_key) or (self.replication,)

    def seed_sequence(self) -> np.random.SeedSequence:
        return np.random.SeedSequence(self.root_seed, spawn_key=self.key)

    def run_columns(self) -> dict[str, Any]:
        """The identifying columns every result row of this run starts with."""
        cols = {"run_id": self.run_id, "scenario": self.scenario_name, "replication": self.replication,
                "root_seed": self.root_seed, "spawn_key": ",".join(map(str, self.key))}
        cols.update(self.labels)
        cols.update(self.overrides)
        return cols


@dataclass
class ChunkResult:
    """A chunk's results as parquet bytes (None when a table has no rows) plus failures."""

    summary: bytes | None = None
    daily: bytes | None = None
    events: bytes | None = None
    calendars: dict[str, str] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)
    ok: list[int] = field(default_factory=list)

    def parts(self) -> dict[str, bytes | None]:
        return {"summary": self.summary, "daily": self.daily, "events": self.events}


def default_run_fn() -> RunFn:
    """The real model, imported only where runs happen."""
    from sim.run.single import simulate
    return simulate


def failure_record(task: RunTask, error: str, trace: str) -> dict[str, Any]:
    """What the manifest and failures.json keep about a run that did not finish."""
    rec = task.run_columns()
    rec.update(error=error, traceback=trace)
    return rec


def run_one(task: RunTask, run_fn: RunFn) -> Any:
    """Apply the task's overrides to its scenario and simulate it with the task's seed."""
    scenario = task.scenario
    if task.overrides:
        from sim.schema.paths import apply_overrides
        scenario = apply_overrides(scenario, dict(task.overrides))
    return run_fn(scenario, seed=task.seed_sequence(), days=task.days)


def run_chunk(tasks: list[RunTask], run_fn: RunFn | None = None, daily: str = "full") -> ChunkResult:
    """Run every task; a run that raises is recorded and the chunk goes on."""
    fn = run_fn or default_run_fn()
    out = ChunkResult()
    summaries: list[dict[str, Any]] = []
    dailies: list[tuple[RunTask, pd.DataFrame]] = []
    events: list[tuple[RunTask, pd.DataFrame]] = []
    for task in tasks:
        try:
            result = run_one(task, fn)
        except Exception as exc:
            out.failures.append(failure_record(task, f"{type(exc).__name__}: {exc}", traceback.format_exc()))
            continue
        out.ok.append(task.run_id)
        summaries.append({**task.run_columns(), **result.summary})
        if daily == "full":
            dailies.append((task, result.daily))
        events.append((task, result.events))
        if task.scenario_name not in out.calendars:
            out.calendars[task.scenario_name] = result.calendar.to_csv(index=False)
    if summaries:
        out.summary = frame_to_parquet(pd.DataFrame(summaries))
    out.daily = _stack(dailies)
    out.events = _stack(events)
    return out


def _stack(frames: list[tuple[RunTask, pd.DataFrame]]) -> bytes | None:
    """Concatenate per-run frames behind the run's identity (run_id, scenario, replication,
    root_seed, spawn_key: every row says which seed made it); encode as parquet."""
    frames = [(t, f) for t, f in frames if len(f)]
    if not frames:
        return None
    counts = [len(f) for _, f in frames]
    ids = pd.DataFrame({
        "run_id": np.repeat(np.array([t.run_id for t, _ in frames], dtype=np.int64), counts),
        "scenario": np.repeat(np.array([t.scenario_name for t, _ in frames], dtype=object), counts),
        "replication": np.repeat(np.array([t.replication for t, _ in frames], dtype=np.int64), counts),
        "root_seed": np.repeat(np.array([t.root_seed for t, _ in frames], dtype=np.int64), counts),
        "spawn_key": np.repeat(np.array([",".join(map(str, t.key)) for t, _ in frames], dtype=object), counts),
    })
    body = pd.concat([f for _, f in frames], ignore_index=True)
    return frame_to_parquet(pd.concat([ids, body], axis=1))
