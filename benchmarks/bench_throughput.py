"""Part 1: the cost per replication-day of many one-year baseline runs, beside the random-number floor.

    python benchmarks/bench_throughput.py [--quick]

Three ways of running the same summaries-only runs, from the inside out:
- the ensemble alone: one EscalationModel of ``ENSEMBLE`` replications in this process (one
  core), summaries as arrays, nothing written;
- one batch worker's chunk: ``sim.run.worker.run_chunk`` on one chunk as the batch sizes it,
  in this process (what each worker does: the ensemble and the summary part; `--daily none`
  keeps no event log);
- the batch: ``run_batch`` with the process executor and 2 workers, ``daily="none"``, pool
  start-up and writing included (what ``escalation batch --daily none --workers 2`` does),
  and the same batch on one worker, for the speed-up.
The floor is numpy drawing the same uniforms and normals on one core in large calls. The
issue's target compares the batch's wall time per replication-day (two workers) with that
single-core floor: at most 5x. The core time (wall x workers) is printed beside it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import common
from common import DAYS, Row, Timing, timed, us

RUNS = 10_000
ENSEMBLE = 5000   # the batch engine's ENSEMBLE_MAX: the most it steps together
WORKERS = 2
TARGET = 5.0      # x the floor
REPEAT = 3


def ensemble_alone(sc, reps: int, days: int) -> None:
    from sim.model import EscalationModel
    from sim.run import tables
    m = EscalationModel(sc, common.seeds(reps), days=days, daily=False, events=False).run()
    tables.summaries(m)


def worker_chunk(tasks) -> None:
    from sim.run.worker import run_chunk
    out = run_chunk(tasks, daily="none")
    assert not out.failures, out.failures[:1]


def batch(tasks, out: Path, workers: int = WORKERS) -> None:
    from sim.run.batch import run_batch
    shutil.rmtree(out, ignore_errors=True)
    done = run_batch(tasks, out, executor="process", workers=workers, progress=False, daily="none")
    assert done.status == "complete", done.failures[:1]


def run(quick: bool = False) -> list[Row]:
    from sim.run.batch import _auto_chunk, make_tasks
    runs, ens, repeat, days = (100, 100, 1, 32) if quick else (RUNS, ENSEMBLE, REPEAT, DAYS)
    sc = common.baseline()
    roles = common.cast_roles(sc)
    tasks = make_tasks({"baseline": sc}, runs, root_seed=1, days=days)
    chunk = tasks[:_auto_chunk(tasks, WORKERS, "none")]
    rep_days = runs * days
    floor = common.floor_per_rep_day(roles, rep_days, repeat)
    t_ens = _per(timed(lambda: ensemble_alone(sc, ens, days), repeat), ens * days)
    t_chunk = _per(timed(lambda: worker_chunk(chunk), repeat), len(chunk) * days)
    with tempfile.TemporaryDirectory(prefix="bench_throughput_") as tmp:
        t_batch = timed(lambda: batch(tasks, Path(tmp) / "b"), repeat)
        t_one = timed(lambda: batch(tasks, Path(tmp) / "b1", 1), repeat)
    per = _per(t_batch, rep_days)
    nu, nz = common.draw_counts(roles)
    f = floor.best
    ratio = per.best / f
    return [
        Row("1", f"floor: numpy on 1 core draws {nu} uniforms + {nz} normals per replication-day "
            f"({rep_days:,} rep-days, calls of {common.FLOOR_CALL:,})", floor.spread(1e6, " µs", 3)),
        Row("1", f"ensemble alone, R = {ens:,}, 1 core, summaries only", f"{t_ens.spread(1e6, ' µs')} "
            f"= {t_ens.best / f:.1f}x floor"),
        Row("1", f"one batch worker's chunk ({len(chunk):,} runs: ensemble + summary part), 1 core",
            f"{t_chunk.spread(1e6, ' µs')} = {t_chunk.best / f:.1f}x floor"),
        Row("1", f"batch: {runs:,} runs of {days} days, {WORKERS} process workers, summaries only: wall time",
            t_batch.spread(1.0, " s", 1)),
        Row("1", f"the same batch on 1 process worker: wall time; speed-up of {WORKERS} workers over 1",
            f"{t_one.spread(1.0, ' s')}; {t_one.best / t_batch.best:.2f}x"),
        Row("1", "batch: wall time per replication-day (core time = x2)",
            f"{per.spread(1e6, ' µs')}; core {us(per.best * WORKERS)}"),
        Row("1", "batch wall per replication-day / 1-core floor", f"{ratio:.1f}x (core time {ratio * WORKERS:.1f}x)",
            f"<= {TARGET:.0f}x", ratio <= TARGET),
    ]


def _per(t: Timing, rep_days: int) -> Timing:
    return Timing([s / rep_days for s in t.seconds])


if __name__ == "__main__":
    common.standalone(run, __doc__)
