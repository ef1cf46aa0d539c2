"""Part 2: one model step at R = 1 against a bare Mesa model, and the cost per replication-day as R grows.

    python benchmarks/bench_step.py [--quick]

The floor of the old comparison is kept: a Mesa model with five agents whose step does nothing,
stepped the same way (model.step(), which also advances Mesa's clock). The engine steps every
state array along a replication axis with numpy, so at R = 1 each step pays numpy's per-call
overhead many times over and costs far more than a scalar Python step would; per
replication-day that cost falls as R grows. ``OLD_SCALAR`` is the old scalar engine's step in
the same units (its ratio to the bare Mesa step, measured by the previous version of this
benchmark), so the crossover can be read off the last column. Repeats alternate the models
so background load hits all of them alike.
"""

from __future__ import annotations

import time

import mesa

import common
from common import Row, Timing

OLD_SCALAR = 3.66   # the old scalar engine: µs per step / bare Mesa µs per step (one replication per step)
RS = (1, 10, 100, 1000, 5000)


class NoOp(mesa.Agent):
    def step(self) -> None:
        pass


class Bare(mesa.Model):
    """Five agents that do nothing: what any Mesa model pays per step."""

    def __init__(self, rng=None) -> None:
        super().__init__(rng=rng)
        for _ in range(5):
            NoOp(self)

    def step(self) -> None:
        self.agents.do("step")


def per_step(make, days: int) -> float:
    model = make()
    start = time.perf_counter()
    for _ in range(days):
        model.step()
    return (time.perf_counter() - start) / days


def run(quick: bool = False) -> list[Row]:
    from sim.model import EscalationModel
    sc = common.baseline()
    days, repeat, rs = (32, 1, (1, 10, 100)) if quick else (common.DAYS, 5, RS)
    bare: list[float] = []
    single: list[float] = []
    ens: dict[int, list[float]] = {r: [] for r in rs}
    for k in range(repeat):
        bare.append(per_step(lambda: Bare(rng=k), days * 10))
        single.append(per_step(lambda: EscalationModel(sc, k, days=days), days))
        for r in rs:
            seeds = common.seeds(r, root=k)
            ens[r].append(per_step(lambda: EscalationModel(sc, seeds, days=days, daily=False, events=False), days) / r)
    b = min(bare)
    rows = [Row("2", "bare Mesa model, 5 no-op agents: per step", Timing(bare).spread(1e6, " µs")),
            Row("2", "EscalationModel, R = 1, baseline, daily table and event log kept: per step",
                f"{Timing(single).spread(1e6, ' µs')} = {min(single) / b:.0f}x bare Mesa")]
    for r in rs:
        t = Timing(ens[r])
        rows.append(Row("2", f"EscalationModel, R = {r:,}, summaries only: per replication-day",
                        f"{t.spread(1e6, ' µs')} = {t.best / b:.2f}x bare Mesa step",
                        f"< {OLD_SCALAR}x (old scalar step)", t.best / b <= OLD_SCALAR))
    return rows


if __name__ == "__main__":
    common.standalone(run, __doc__)
