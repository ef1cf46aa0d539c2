"""Part 5: `mesa.batch_run` against our batch engine, same model, same daily table written.

    python benchmarks/bench_mesa.py [--quick]

Mesa's batch_run drives one model per run, so it steps EscalationModel at R = 1 and collects
every daily column with a DataCollector each step (benchmarks/mesa_baseline.py, checked to
give the engine's own daily table); the collected rows are written to parquet. Ours is
``run_batch`` with daily tables: each chunk of runs is one ensemble whose daily table is built
once from its arrays, and every part is written as it finishes. One process each (Mesa's
loop, our sequential executor), then two (Mesa's pool, our process pool).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import common
from common import DAYS, Row, timed

RUNS = 100
REPEAT = 3


def ours(sc, n: int, days: int, processes: int, out: Path) -> None:
    from sim.run.batch import make_tasks, run_batch
    shutil.rmtree(out, ignore_errors=True)
    tasks = make_tasks({"baseline": sc}, n, root_seed=1, days=days)
    kind = "sequential" if processes == 1 else "process"
    done = run_batch(tasks, out, executor=kind, workers=processes, progress=False, daily="full")
    assert done.status == "complete", done.failures[:1]


def run(quick: bool = False) -> list[Row]:
    from mesa_baseline import check_same_daily, mesa_batch
    n, repeat, days = (2, 1, 32) if quick else (RUNS, REPEAT, DAYS)
    sc = common.baseline()
    check_same_daily(sc, days)
    seeds = common.seeds(n)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_mesa_") as tmp:
        t_ours = {p: timed(lambda: ours(sc, n, days, p, Path(tmp) / f"o{p}"), repeat) for p in (1, 2)}
        for procs in (1, 2):  # ours first: nothing mesa leaves behind can touch our pool
            t_mesa = timed(lambda: mesa_batch(sc, seeds, days, procs), repeat)
            rows.append(Row("5", f"{n} runs of {days} days with daily tables, {procs} process(es): mesa.batch_run / ours",
                            f"{t_mesa.spread(1, ' s')} / {t_ours[procs].spread(1, ' s')} = {t_mesa.best / t_ours[procs].best:.1f}x"))
    return rows


if __name__ == "__main__":
    common.standalone(run, __doc__)
