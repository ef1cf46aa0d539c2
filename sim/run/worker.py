"""What a worker does with one chunk of runs: step them together, isolate failures, encode results.

This module runs inside worker processes (process pool or dask), so it is small and
imports the model lazily. A chunk is a list of `RunTask`s; `run_chunk` steps them as one
ensemble of the model (runs of one cast and horizon, whatever their parameters) and returns a
`ChunkResult` holding parquet-encoded bytes per table. If the ensemble raises, each run is
retried alone so the failure is pinned on the runs that cause it. Why bytes: they are compact
to send back, and the parent only has to write them atomically, so it needs no model code.
"""

from __future__ import annotations

import ctypes
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd

from sim.run.store import PartWriter, frame_to_parquet

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


def default_run_fn() -> RunFn | None:
    """None: the real model, stepped as an ensemble (a custom function runs task by task)."""
    return None


def failure_record(task: RunTask, error: str, trace: str) -> dict[str, Any]:
    """What the manifest and failures.json keep about a run that did not finish."""
    rec = task.run_columns()
    rec.update(error=error, traceback=trace)
    return rec


def task_scenario(task: RunTask, cache: dict | None = None) -> Any:
    """The task's scenario with its overrides applied (each distinct override set validated once)."""
    if not task.overrides:
        return task.scenario
    key = (id(task.scenario), tuple(sorted((k, repr(v)) for k, v in task.overrides.items())))
    if cache is not None and key in cache:
        return cache[key]
    from sim.schema.paths import apply_overrides
    out = apply_overrides(task.scenario, dict(task.overrides))
    if cache is not None:
        cache[key] = out
    return out


def run_one(task: RunTask, run_fn: RunFn) -> Any:
    """Apply the task's overrides to its scenario and simulate it with the task's seed."""
    return run_fn(task_scenario(task), seed=task.seed_sequence(), days=task.days)


def run_chunk(tasks: list[RunTask], run_fn: RunFn | None = None, daily: str = "full") -> ChunkResult:
    """Run every task; a run that raises is recorded and the chunk goes on."""
    fn = run_fn or default_run_fn()
    out = ChunkResult()
    parts = _Parts(daily)
    if fn is None:
        _ensemble_parts(tasks, daily, out, parts)
    else:
        _one_by_one(tasks, fn, daily, out, parts)
    if parts.summaries:
        out.summary = frame_to_parquet(pd.concat(parts.summaries, ignore_index=True))
    out.daily, out.events = parts.daily.getvalue(), parts.events.getvalue()
    del parts
    if chunk_bytes(tasks, daily) >= RELEASE_BYTES:
        _give_back_memory()
    return out


DAILY_BYTES = 1_900         # measured peak per run-day of a chunk with daily tables (benchmarks/bench_memory.py)
RUN_BYTES = 16_000          # per run stepped together, daily tables or not: its draws (80 MB at 5,000 runs)
RELEASE_BYTES = 16_000_000  # a chunk that held less is not worth a full garbage collection


def task_days(task: RunTask) -> int:
    """The days a run covers: its own horizon, else its scenario's (a stand-in: one year)."""
    return task.days or getattr(task.scenario, "n_days", 365)


def chunk_bytes(tasks: list[RunTask], daily: str) -> int:
    """About how much memory stepping and encoding ``tasks`` takes at its peak."""
    run_days = sum(task_days(t) for t in tasks)
    return len(tasks) * RUN_BYTES + (run_days * DAILY_BYTES if daily == "full" else 0)


def _give_back_memory() -> None:
    """Return the chunk's freed memory to the system before the next chunk.

    Without this a worker's footprint ratchets up chunk after chunk: arrow's pool keeps what
    it allocated for encoding, and glibc keeps freed numpy buffers in its arenas (measured on
    60-run chunks with daily tables: 232 MB after the first chunk, 311 MB after the eighth,
    against a flat 182 MB with the release). Only chunks of ``RELEASE_BYTES`` or more pay
    for it: a full collection costs time in proportion to everything the process holds (in
    a test or notebook process with pandas and matplotlib loaded, 0.1 to 0.2 s), while a
    small chunk's garbage is a few MB that the next chunk reuses.
    """
    import gc

    import pyarrow as pa

    gc.collect()
    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


SLICE_ROWS = 16_384  # daily rows encoded at a time: bounds a worker's memory whatever the chunk size


class _Parts:
    """A chunk's tables as they are built: summary frames, and daily and event parts encoded as
    each ensemble finishes (daily a slice of replications at a time)."""

    def __init__(self, daily: str) -> None:
        self.mode, self.summaries = daily, []
        self.daily, self.events = PartWriter(), PartWriter()

    def add(self, ids: list[RunTask], summary: pd.DataFrame, model=None, result=None) -> None:
        from sim.run import tables

        self.summaries.append(pd.concat([pd.DataFrame([t.run_columns() for t in ids]), summary], axis=1))
        if self.mode == "full" and model is not None:
            step = max(1, SLICE_ROWS // max(model.day, 1))
            for first in range(0, model.R, step):
                _write(self.daily, ids, tables.daily_frame(model, first, min(first + step, model.R)))
        elif self.mode == "full":
            _write(self.daily, ids, result.daily.assign(rep=0))
        if self.mode != "none":
            _write(self.events, ids, tables.events_frame(model) if model is not None else result.events.assign(rep=0))


def _ensemble_parts(tasks: list[RunTask], daily: str, out: ChunkResult, parts: _Parts) -> None:
    """Step the chunk's runs together, a group per cast and horizon; retry alone on failure."""
    from sim.model import EscalationModel
    from sim.model.setup import ensemble_key
    from sim.run import tables

    cache: dict = {}
    keys: dict[tuple[int, int | None], tuple] = {}  # tasks share scenario objects: one key each
    groups: dict[Any, list[tuple[RunTask, Any]]] = {}
    for task in tasks:
        try:
            sc = task_scenario(task, cache)
        except Exception as exc:
            out.failures.append(failure_record(task, f"{type(exc).__name__}: {exc}", traceback.format_exc()))
            continue
        key = keys.get((id(sc), task.days))
        if key is None:
            key = keys[(id(sc), task.days)] = ensemble_key(sc, task.days)
        groups.setdefault(key, []).append((task, sc))
    for members in groups.values():
        try:
            model = EscalationModel([sc for _, sc in members], [t.seed_sequence() for t, _ in members],
                                    days=members[0][0].days, daily=daily == "full",
                                    events=daily != "none").run()
        except Exception:
            if len(members) == 1:
                task = members[0][0]
                exc_text = traceback.format_exc()
                out.failures.append(failure_record(task, exc_text.strip().splitlines()[-1], exc_text))
                continue
            for task, sc in members:  # pin the failure on the runs that cause it
                _ensemble_parts([task], daily, out, parts)
            continue
        ids = [t for t, _ in members]
        out.ok.extend(t.run_id for t in ids)
        parts.add(ids, pd.DataFrame(tables.summaries(model)), model=model)
        del model
        for t, sc in members:
            if t.scenario_name not in out.calendars:
                from sim.run.single import calendar_frame
                out.calendars[t.scenario_name] = calendar_frame(sc).to_csv(index=False)


def _one_by_one(tasks: list[RunTask], fn: RunFn, daily: str, out: ChunkResult, parts: _Parts) -> None:
    """A custom run function (tests, wrappers) is called once per task."""
    for task in tasks:
        try:
            result = run_one(task, fn)
        except Exception as exc:
            out.failures.append(failure_record(task, f"{type(exc).__name__}: {exc}", traceback.format_exc()))
            continue
        out.ok.append(task.run_id)
        parts.add([task], pd.DataFrame([result.summary]), result=result)
        if task.scenario_name not in out.calendars:
            out.calendars[task.scenario_name] = result.calendar.to_csv(index=False)


def _write(part: PartWriter, tasks: list[RunTask], frame: pd.DataFrame) -> None:
    """Add a frame (its ``rep`` column indexes the tasks) behind each run's identity (run_id,
    scenario, replication, root_seed, spawn_key: every row says which seed made it)."""
    if not len(frame):
        return
    rep = frame["rep"].to_numpy()
    ids = pd.DataFrame({
        "run_id": np.array([t.run_id for t in tasks], dtype=np.int64)[rep],
        "scenario": np.array([t.scenario_name for t in tasks], dtype=object)[rep],
        "replication": np.array([t.replication for t in tasks], dtype=np.int64)[rep],
        "root_seed": np.array([t.root_seed for t in tasks], dtype=np.int64)[rep],
        "spawn_key": np.array([",".join(map(str, t.key)) for t in tasks], dtype=object)[rep],
    })
    part.add(pd.concat([ids, frame.drop(columns="rep").reset_index(drop=True)], axis=1))
