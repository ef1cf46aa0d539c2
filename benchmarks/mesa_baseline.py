"""The comparison point for part 5: the same model run by `mesa.batch_run`, one replication per run.

`CollectingModel` is EscalationModel (R = 1) as `mesa.batch_run` expects a model: parameters as
keyword arguments and a `datacollector` with one model reporter per daily column, collected
every step. It lives in its own module so batch_run's spawned workers can import it.
`mesa_batch` runs it and writes the collected daily table to parquet, the same output our batch
writes, and `check_same_daily` proves the two daily tables agree value for value (so if the
engine's daily table changes, this benchmark says so instead of comparing different work).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import tqdm
from mesa import DataCollector
from mesa.batchrunner import batch_run

from sim.model import EscalationModel
from sim.model.ladder import RUNG_NAMES
from sim.schema.params import MISSILE_CLASSES

# batch_run's progress bar (even disabled) can leave tqdm's monitor thread running; a live thread
# makes our process pool use forkserver instead of fork afterwards (sim.run.executors), which
# would charge our batch for mesa's leftovers. No monitor thread, then.
tqdm.tqdm.monitor_interval = 0

SCALARS = ("escalation_index", "sanctions", "public_dialogue_share", "cooperation", "provocation_stock",
           "domestic_support", "test_day", "missiles")


class CollectingModel(EscalationModel):
    """One replication plus a DataCollector reporting every daily column each step."""

    def __init__(self, scenario, days=None, rng=None):
        super().__init__(scenario, rng, days=days)
        self.datacollector = DataCollector(model_reporters=reporters(self))

    def step(self) -> None:
        super().step()
        self.datacollector.collect(self)


def reporters(m: EscalationModel) -> dict:
    """Column name -> function of the model reading today's row of the recorder's arrays (rep 0)."""
    d, c = m.recorder.daily, m.cast
    now = lambda key: (lambda m: d[key][m.day - 1, 0])  # noqa: E731
    cell = lambda key, k: (lambda m: d[key][m.day - 1, 0, k])  # noqa: E731
    out = {"day": lambda m: m.day - 1, "ladder_level": lambda m: int(d["ladder_level"][m.day - 1, 0]),
           "ladder_rung": lambda m: RUNG_NAMES[d["ladder_level"][m.day - 1, 0]],
           "dialogue_state": lambda m: int(d["dialogue_state"][m.day - 1, 0]),
           "orientation": lambda m: "progressive" if d["progressive"][m.day - 1, 0] else "conservative",
           "drill_active": lambda m: bool(m.calendars[m.group[0]].drill[m.day - 1] > 0)}
    out.update({name: now(name) for name in SCALARS})
    for i, a in enumerate(c.names):
        out[f"actions_{a}"], out[f"readiness_{a}"] = cell("actions", i), cell("readiness", i)
    pairs = [(a, b) for a in c.names for b in c.names if a != b]
    out.update({f"tension_{a}->{b}": cell("tension", k) for k, (a, b) in enumerate(pairs)})
    for k, (i, j) in enumerate(c.alliances):
        a, b = sorted((c.names[i], c.names[j]))
        out[f"cohesion_{a}-{b}"] = cell("cohesion", k)
    out.update({f"capability_{k}": cell("capability", i) for i, k in enumerate(MISSILE_CLASSES)})
    return out


def _collect(scenario, seeds: list, days: int, processes: int) -> pd.DataFrame:
    rows = batch_run(CollectingModel, {"scenario": [scenario], "days": days}, number_processes=processes,
                     rng=seeds, data_collection_period=1, max_steps=days, display_progress=False)
    return pd.DataFrame(rows).drop(columns=["scenario", "rng"], errors="ignore")


def mesa_batch(scenario, seeds: list, days: int, processes: int, out: Path | None = None) -> float:
    """Seconds for mesa.batch_run of one run per seed plus writing the collected daily table."""
    start = time.perf_counter()
    frame = _collect(scenario, seeds, days, processes)
    with tempfile.TemporaryDirectory() as tmp:
        frame.to_parquet(Path(out or tmp) / "daily.parquet")
    return time.perf_counter() - start


def check_same_daily(scenario, days: int) -> None:
    """Raise unless the mesa-collected daily table equals the engine's own for one seed."""
    from sim.run import tables
    seed = np.random.SeedSequence(1).spawn(1)[0]
    model = EscalationModel(scenario, seed, days=days).run()
    want = tables.daily_frame(model).drop(columns=["rep", "date"])
    try:
        got = _collect(scenario, [seed], days, 1)
        missing = sorted(set(want.columns) - set(got.columns))
        assert not missing, f"columns not collected: {missing}"
        pd.testing.assert_frame_equal(got[want.columns].reset_index(drop=True), want, check_dtype=False)
    except (AttributeError, IndexError, KeyError, AssertionError) as exc:
        raise SystemExit("benchmarks/mesa_baseline.py: the collected daily table no longer matches "
                         f"sim.run.tables.daily_frame ({type(exc).__name__}: {exc})") from None
