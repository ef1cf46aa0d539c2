"""What a worker does with one chunk of runs: step them together, isolate failures, encode results.

This module runs inside worker processes (process pool or dask), so it is small and
imports the model lazily. A chunk is a list of `RunTask`s; `run_chunk` steps them as one
ensemble of the model (runs of one cast and horizon, whatever their parameters) and returns a
`ChunkResult` holding parquet-encoded bytes per table. If the ensemble raises, each run is
retried alone so the failure is pinned on the runs that cause it. Why bytes: they are compact
to send back, and the parent only has to write them atomically, so it needs no model code.
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
    if fn is None:
        parts = _ensemble_parts(tasks, daily, out)
    else:
        parts = _one_by_one(tasks, fn, daily, out)
    summaries, dailies, events = parts
    if summaries:
        out.summary = frame_to_parquet(pd.concat(summaries, ignore_index=True))
    out.daily = _stack(dailies)
    out.events = _stack(events)
    return out


def _ensemble_parts(tasks: list[RunTask], daily: str, out: ChunkResult):
    """Step the chunk's runs together, a group per cast and horizon; retry alone on failure."""
    from sim.model import EscalationModel
    from sim.model.setup import ensemble_key
    from sim.run import tables

    cache: dict = {}
    groups: dict[Any, list[tuple[RunTask, Any]]] = {}
    summaries, dailies, events = [], [], []
    for task in tasks:
        try:
            sc = task_scenario(task, cache)
        except Exception as exc:
            out.failures.append(failure_record(task, f"{type(exc).__name__}: {exc}", traceback.format_exc()))
            continue
        groups.setdefault(ensemble_key(sc, task.days), []).append((task, sc))
    for members in groups.values():
        try:
            model = EscalationModel([sc for _, sc in members], [t.seed_sequence() for t, _ in members],
                                    days=members[0][0].days, daily=daily == "full").run()
        except Exception:
            if len(members) == 1:
                task = members[0][0]
                exc_text = traceback.format_exc()
                out.failures.append(failure_record(task, exc_text.strip().splitlines()[-1], exc_text))
                continue
            for task, sc in members:  # pin the failure on the runs that cause it
                sub = _ensemble_parts([task], daily, out)
                for acc, got in zip((summaries, dailies, events), sub):
                    acc.extend(got)
            continue
        ids = [t for t, _ in members]
        out.ok.extend(t.run_id for t in ids)
        summary = pd.DataFrame(tables.summaries(model))
        summaries.append(pd.concat([pd.DataFrame([t.run_columns() for t in ids]), summary], axis=1))
        if daily == "full":
            dailies.append((ids, tables.daily_frame(model)))
        events.append((ids, tables.events_frame(model)))
        for t, sc in members:
            if t.scenario_name not in out.calendars:
                from sim.run.single import calendar_frame
                out.calendars[t.scenario_name] = calendar_frame(sc).to_csv(index=False)
    return summaries, dailies, events


def _one_by_one(tasks: list[RunTask], fn: RunFn, daily: str, out: ChunkResult):
    """A custom run function (tests, wrappers) is called once per task."""
    summaries, dailies, events = [], [], []
    for task in tasks:
        try:
            result = run_one(task, fn)
        except Exception as exc:
            out.failures.append(failure_record(task, f"{type(exc).__name__}: {exc}", traceback.format_exc()))
            continue
        out.ok.append(task.run_id)
        summaries.append(pd.DataFrame([{**task.run_columns(), **result.summary}]))
        if daily == "full":
            dailies.append(([task], result.daily.assign(rep=0)))
        events.append(([task], result.events.assign(rep=0)))
        if task.scenario_name not in out.calendars:
            out.calendars[task.scenario_name] = result.calendar.to_csv(index=False)
    return summaries, dailies, events


def _stack(frames: list[tuple[list[RunTask], pd.DataFrame]]) -> bytes | None:
    """Stack ensemble frames (their ``rep`` column indexes the tasks) behind each run's identity
    (run_id, scenario, replication, root_seed, spawn_key: every row says which seed made it)."""
    parts = []
    for tasks, frame in frames:
        if not len(frame):
            continue
        rep = frame["rep"].to_numpy()
        ids = pd.DataFrame({
            "run_id": np.array([t.run_id for t in tasks], dtype=np.int64)[rep],
            "scenario": np.array([t.scenario_name for t in tasks], dtype=object)[rep],
            "replication": np.array([t.replication for t in tasks], dtype=np.int64)[rep],
            "root_seed": np.array([t.root_seed for t in tasks], dtype=np.int64)[rep],
            "spawn_key": np.array([",".join(map(str, t.key)) for t in tasks], dtype=object)[rep],
        })
        parts.append(pd.concat([ids, frame.drop(columns="rep").reset_index(drop=True)], axis=1))
    if not parts:
        return None
    return frame_to_parquet(pd.concat(parts, ignore_index=True))
