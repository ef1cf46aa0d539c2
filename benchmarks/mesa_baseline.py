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
        self._row = self.recorder.row(self.day - 1)
        self.datacollector.collect(self)


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
        raise SystemExit("benchmarks/mesa_baseline.py: Recorder.row no longer matches Recorder.daily "
                         f"({type(exc).__name__}: {exc})") from None
