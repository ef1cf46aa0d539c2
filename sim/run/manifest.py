"""What a batch records about itself: manifest.json and the experiments table (runs/).

The manifest says what was asked (scenarios and their content hashes, root seeds,
replications, horizon, design, executor) and how it went (status, start/finish times,
failed runs), with the versions needed to reproduce it. `plan_hash` fingerprints the runs
so that `--resume` refuses a directory holding a different batch.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import platform
import sys
from importlib import metadata
from typing import Any, Mapping, Sequence

import pandas as pd

from sim.run.worker import RunTask


def content_hash(scenario: Any) -> str:
    """The loader's scenario hash for real scenarios; a repr hash for stand-ins in tests."""
    if hasattr(scenario, "model_dump"):
        try:
            from sim.schema.loader import scenario_hash
        except ImportError:  # pragma: no cover - only before the loader exists
            pass
        else:
            return scenario_hash(scenario)
    return hashlib.sha256(repr(scenario).encode()).hexdigest()[:16]


@functools.cache
def versions() -> dict[str, str]:
    """Package versions, read once per process (a run manifest asks for them every run)."""
    out = {"python": platform.python_version()}
    for dist, key in (("korea-escalation", "sim"), ("mesa", "mesa"), ("numpy", "numpy"),
                      ("pandas", "pandas"), ("pyarrow", "pyarrow")):
        try:
            out[key] = metadata.version(dist)
        except metadata.PackageNotFoundError:  # pragma: no cover
            out[key] = "unknown"
    return out


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def batch_manifest(tasks: Sequence[RunTask], executor: Any, workers: int, daily: str,
                   design: Mapping[str, Any] | None, plan_hash: str) -> dict[str, Any]:
    """The manifest as written when a batch starts (status running)."""
    scenarios: dict[str, dict[str, Any]] = {}
    for t in tasks:
        if t.scenario_name not in scenarios:
            scenarios[t.scenario_name] = {"hash": content_hash(t.scenario), **_facts(t.scenario)}
    return {
        "kind": "batch",
        "status": "running",
        "scenarios": scenarios,
        "root_seed": _one_or_all(t.root_seed for t in tasks),
        "replications": 1 + max((t.replication for t in tasks), default=-1),
        "days": _one_or_all(t.days for t in tasks),
        "runs": len(tasks),
        "daily": daily,
        "design": dict(design) if design else None,
        "ladder": _ladder(),
        "executor": executor if isinstance(executor, str) else type(executor).__name__,
        "workers": workers,
        "plan_hash": plan_hash,
        "checksums": "sha256 of every part, in checksums/part-NNNNN.json",
        "versions": versions(),
        "command": " ".join([sys.argv[0].rsplit("/", 1)[-1], *sys.argv[1:]]),
        "started": now(),
        "finished": None,
        "attempts": 1,
        "runs_complete": 0,
        "runs_failed": 0,
        "failed_runs": [],
    }


def _facts(scenario: Any) -> dict[str, Any]:
    """Question, actors, relations and full content of a real scenario (stand-ins: description only)."""
    if not hasattr(scenario, "model_dump"):
        return {"description": getattr(scenario, "description", "")}
    from sim.run.single import scenario_facts

    return {**scenario_facts(scenario), "content": scenario.model_dump(mode="json", exclude={"extends"})}


def _ladder() -> list[dict[str, Any]]:
    from sim.model.ladder import ladder_table

    return ladder_table()


def finish_manifest(manifest: dict[str, Any], outcome: Any) -> dict[str, Any]:
    """The manifest once a batch call ends: status, counts and the failed runs with seeds."""
    return {
        **manifest,
        "status": outcome.status,
        "finished": now(),
        "seconds": round(outcome.seconds, 3),
        "runs_complete": outcome.completed,
        "runs_failed": len(outcome.failures),
        "failed_runs": outcome.failures,
    }


def _one_or_all(values: Any) -> Any:
    """One value when all runs share it (the usual case), else the sorted distinct values."""
    distinct = sorted(set(values), key=lambda v: (v is None, v or 0))
    return distinct[0] if len(distinct) == 1 else (distinct or None)


def runs_frame(tasks: Sequence[RunTask], done: set[int], failed: set[int]) -> pd.DataFrame:
    """The experiments table: run columns plus status (ok, failed or pending)."""
    rows = []
    for t in tasks:
        status = "ok" if t.run_id in done else "failed" if t.run_id in failed else "pending"
        rows.append({**t.run_columns(), "days": t.days, "status": status})
    frame = pd.DataFrame(rows)
    if "days" in frame:
        frame["days"] = frame["days"].astype("Int64")
    return frame
