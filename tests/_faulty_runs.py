"""Run functions for batch tests that fail on purpose, wrapping the real model.

They live in a module (not in a test) so process-pool and dask workers can import them by
name. Each recognises its victim by the spawn key of the seed it is given, which is
``(replication,)`` for batches built by `make_tasks`.
"""

from __future__ import annotations

import os
import signal
from typing import Any

import numpy as np

from sim.run.single import simulate


def fails_on_replication_2(scenario: Any, seed: np.random.SeedSequence, days: int | None = None) -> Any:
    """Raise for replication 2, run the model otherwise."""
    if tuple(seed.spawn_key) == (2,):
        raise ValueError("boom in replication 2")
    return simulate(scenario, seed=seed, days=days)


def kills_worker_once(scenario: Any, seed: np.random.SeedSequence, days: int | None = None, *,
                      marker: str) -> Any:
    """SIGKILL the worker process running replication 3, the first time only.

    Bind `marker` (a file path) with functools.partial: it travels inside the task to any
    worker, where an environment variable would not reach an already running forkserver.
    """
    if tuple(seed.spawn_key) == (3,) and not os.path.exists(marker):
        open(marker, "w").close()
        os.kill(os.getpid(), signal.SIGKILL)
    return simulate(scenario, seed=seed, days=days)
