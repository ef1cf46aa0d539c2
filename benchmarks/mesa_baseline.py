"""The comparison point for bench_batch (a): the same model run by `mesa.batch_run`.

`CollectingModel` is EscalationModel as `mesa.batch_run` expects a model: parameters as
keyword arguments and a `datacollector` with one model reporter per daily column, collected
every step. It lives in its own module so batch_run's spawned workers can import it.
`mesa_batch` runs it and writes the collected daily table to parquet, the same output our
batch writes, and `check_same_daily` proves the tables agree value for value.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from mesa import DataCollector
from mesa.batchrunner import batch_run

from sim.model import EscalationModel
from sim.model.ladder import RUNG_NAMES
from sim.model.recorder import SCALARS
from sim.run.single import simulate


class CollectingModel(EscalationModel):
    """EscalationModel plus a DataCollector reporting every daily column each step."""

    def __init__(self, scenario, days=None, rng=None):
        super().__init__(scenario, days=days, rng=rng)
        self._row: dict = {}
        reporters = {col: (lambda m, c=col: m._row[c]) for col in _columns(self)}
        self.datacollector = DataCollector(model_reporters=reporters)

    def step(self) -> None:
        super().step()
        self._row = _today(self)
        self.datacollector.collect(self)


def _today(m: CollectingModel) -> dict:
    """Today's daily row, read from what the model's Recorder stored in this step.

    This mirrors sim/model/recorder.py (Recorder.record and .daily); when the recorder's
    layout changes this must follow, and `check_same_daily` says so before any timing.
    """
    r, t, names, w = m.recorder, m.day - 1, m.names, m.world
    n, ns = len(names), len(SCALARS)
    vals, (level, dialogue, progressive) = r.rows[-1], r.states[-1]
    row = {"day": t, "escalation_index": vals[0], "ladder_level": level, "ladder_rung": RUNG_NAMES[level],
           "test_day": bool(r.ints[t, 1]), "missiles": int(r.ints[t, 2]), "sanctions": vals[1],
           "dialogue_state": dialogue, "rok_orientation": "progressive" if progressive else "conservative"}
    row.update(zip(SCALARS[2:], vals[2:ns]))
    row["drill_active"] = m.cal.drill[t] > 0
    row.update({f"actions_{a}": int(r.actions[t, i]) for i, a in enumerate(names)})
    row.update({f"readiness_{a}": vals[ns + i] for i, a in enumerate(names)})
    tension = r.tensions[-1]
    row.update({f"tension_{a}->{b}": tension[i * n + j] for i, a in enumerate(names)
                for j, b in enumerate(names) if i != j})
    k = ns + n
    for i, j in w.alliances:
        a, b = sorted((names[i], names[j]))
        row[f"cohesion_{a}-{b}"] = vals[k]
        k += 1
    row.update({f"capability_{c}": v for c, v in zip(w.capability, vals[k:])})
    return row


def _columns(m: EscalationModel) -> list[str]:
    probe = EscalationModel(m.spec, days=1, rng=0).run()
    return [c for c in probe.recorder.daily().columns if c != "date"]


def mesa_batch(scenario, n: int, days: int, processes: int, out: Path | None = None) -> float:
    """Seconds for mesa.batch_run of n runs plus writing the collected daily table."""
    seeds = np.random.SeedSequence(1).spawn(n)
    start = time.perf_counter()
    rows = batch_run(CollectingModel, {"scenario": [scenario], "days": days}, number_processes=processes,
                     rng=seeds, data_collection_period=1, max_steps=days, display_progress=False)
    frame = pd.DataFrame(rows).drop(columns=["scenario", "rng"], errors="ignore")
    with tempfile.TemporaryDirectory() as tmp:
        frame.to_parquet(Path(out or tmp) / "daily.parquet")
    return time.perf_counter() - start


def check_same_daily(scenario, days: int) -> None:
    """Raise unless the mesa-collected daily table equals the model's own for one seed."""
    seed = np.random.SeedSequence(1).spawn(1)[0]
    want = simulate(scenario, seed=seed, days=days).daily.drop(columns=["date"])
    try:
        rows = batch_run(CollectingModel, {"scenario": [scenario], "days": days}, number_processes=1,
                         rng=[seed], data_collection_period=1, max_steps=days, display_progress=False)
        got = pd.DataFrame(rows)
        pd.testing.assert_frame_equal(got[want.columns].reset_index(drop=True), want, check_dtype=False)
    except (AttributeError, IndexError, KeyError, AssertionError) as exc:
        raise SystemExit("benchmarks/mesa_baseline.py no longer collects the model's daily table "
                         f"(update _today to sim/model/recorder.py): {type(exc).__name__}: {exc}") from None
