"""Run one scenario once: the Python API behind `escalation run` and every batch.

    from sim import load_scenario, simulate
    result = simulate(load_scenario("baseline"), seed=1)
    result.daily, result.events  # pandas DataFrames
"""

from __future__ import annotations

import json
import sys
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from sim.model import EscalationModel
from sim.model.ladder import ladder_table
from sim.run import tables
from sim.run.manifest import now, versions
from sim.run.io import atomic_write_bytes, atomic_write_frame, atomic_write_text
from sim.schema.loader import scenario_hash
from sim.schema.scenario import Scenario


class RunResult:
    """One run's tables. The calendar and manifest are built on first use: a batch of ten
    thousand runs needs each scenario's calendar once and no per-run manifest."""

    def __init__(self, daily: pd.DataFrame, events: pd.DataFrame, summary: dict, scenario: Scenario,
                 seed, model: EscalationModel | None = None, manifest: dict | None = None) -> None:
        self.daily, self.events, self.summary = daily, events, summary
        self._scenario, self._seed, self._model = scenario, seed, model
        self._manifest = manifest

    @cached_property
    def calendar(self) -> pd.DataFrame:
        return calendar_frame(self._scenario)

    @property
    def manifest(self) -> dict:
        if self._manifest is None:
            self._manifest = run_manifest(self._scenario, self._seed, self._model)
            self._model = None  # the manifest was all it was kept for
        return self._manifest


def simulate(scenario: Scenario, seed: int | np.random.SeedSequence | None = None,
             days: int | None = None, activation=None) -> RunResult:
    """Run the scenario once; the seed (default: the scenario's own) fixes every draw.

    A single run is an ensemble of one replication: the same model and code as a batch.
    """
    seed = scenario.seed if seed is None else seed
    model = EscalationModel(scenario, seed, days=days, activation=activation).run()
    daily = tables.daily_frame(model).drop(columns="rep")
    events = tables.events_frame(model).drop(columns="rep")
    return RunResult(daily, events, tables.summary_rows(model)[0], scenario, seed, model)


def scenario_facts(scenario: Scenario) -> dict:
    """What a reader of results needs to know about a scenario without loading the model:
    its question, actors and their roles and policies, relations, and the ladder."""
    names = sorted(scenario.actors)
    return {
        "description": scenario.description,
        "question": scenario.question,
        "scenario_hash": scenario_hash(scenario),
        "start": str(scenario.start),
        "actors": names,
        "roles": {a: scenario.actors[a].role for a in names},
        "policies": {a: scenario.actors[a].policy.name for a in names},
        "provocateur": scenario.provocateur,
        "roles_declared": scenario.roles.model_dump(),
        "alliances": sorted(sorted((r.a, r.b)) for r in scenario.relations if r.kind == "alliance"),
        "relations": [r.model_dump(include={"a", "b", "kind"}) for r in scenario.relations],
        "sources": list(scenario.sources),
    }


def run_manifest(scenario: Scenario, seed, model: EscalationModel) -> dict:
    end = scenario.start + pd.Timedelta(days=model.n_days - 1).to_pytimedelta()
    return {
        "kind": "run", "scenario": scenario.name, **scenario_facts(scenario),
        "seed": _seed_repr(seed), "days": model.n_days, "end": str(end),
        "ladder": ladder_table(), "versions": dict(versions()),
    }




def _seed_repr(seed) -> object:
    if isinstance(seed, np.random.SeedSequence):
        return {"entropy": str(seed.entropy), "spawn_key": list(seed.spawn_key)}
    return int(seed)


def calendar_frame(scenario: Scenario) -> pd.DataFrame:
    rows = []
    for ev in scenario.calendar:
        start = getattr(ev, "start", None) or getattr(ev, "date")
        end = getattr(ev, "end", None) or (None if ev.type in ("border_closure", "war") else start)
        parts = list(getattr(ev, "participants", []) or [])
        for attr in ("host", "visitor", "actor", "country"):
            if getattr(ev, attr, None):
                parts.append(getattr(ev, attr))
        detail = {k: v for k, v in ev.model_dump(mode="json").items()
                  if k not in ("type", "name", "start", "end", "date", "participants", "note")}
        rows.append({"kind": ev.type, "name": ev.name or ev.type.replace("_", " "), "start": pd.Timestamp(start),
                     "end": pd.Timestamp(end) if end else pd.NaT, "participants": ";".join(parts), "detail": json.dumps(detail)})
    cols = ["kind", "name", "start", "end", "participants", "detail"]
    return pd.DataFrame(rows, columns=cols)


def write_run(result: RunResult, out: Path, command: str = "") -> list[Path]:
    """Write every file of a run atomically: a crash leaves whole files or none."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in (("daily", result.daily), ("events", result.events)):
        written += [atomic_write_frame(frame, out / f"{name}.parquet"), atomic_write_frame(frame, out / f"{name}.csv")]
    written.append(atomic_write_frame(result.calendar, out / "calendar.csv"))
    summary = {k: (None if isinstance(v, float) and v != v else v) for k, v in result.summary.items()}
    written.append(atomic_write_text(out / "summary.json", json.dumps(summary, indent=2, default=_json)))  # NaN -> null
    manifest = dict(result.manifest, command=command or " ".join(sys.argv),
                    finished=now(), status="complete")
    written.append(atomic_write_text(out / "manifest.json", json.dumps(manifest, indent=2, default=_json)))
    return written


def _json(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    return str(o)


__all__ = ["RunResult", "simulate", "write_run", "calendar_frame", "atomic_write_bytes"]
