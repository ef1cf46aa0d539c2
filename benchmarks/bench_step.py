"""Microseconds per model step: the baseline scenario against a bare Mesa model, in one run.

    python benchmarks/bench_step.py [--days 3650] [--repeats 7]

The floor is a Mesa model with five agents whose step does nothing, stepped the same way
(model.step(), which also advances Mesa's clock). Ours is the full EscalationModel step on
the baseline scenario with recording included. Repeats alternate the two so background load
hits both alike; the minimum of the repeats is reported, and the ratio is the figure to read.
A third line shows what Mesa's DataCollector with one reporter per daily column would cost.
"""

from __future__ import annotations

import argparse
import platform
import time

import mesa

from sim.model import EscalationModel
from sim.schema.loader import load_scenario


class NoOp(mesa.Agent):
    def step(self) -> None:
        pass


class Bare(mesa.Model):
    def __init__(self, rng=None) -> None:
        super().__init__(rng=rng)
        for _ in range(5):
            NoOp(self)

    def step(self) -> None:
        self.agents.do("step")


def per_step(make, days: int) -> float:
    model = make()
    t0 = time.perf_counter()
    for _ in range(days):
        model.step()
    return (time.perf_counter() - t0) / days * 1e6


def datacollector_cost(days: int, columns: int) -> float:
    """One model reporter per column, as Mesa's DataCollector is usually used."""
    model = Bare(rng=1)
    dc = mesa.DataCollector(model_reporters={f"c{i}": (lambda m: 0.0) for i in range(columns)})
    t0 = time.perf_counter()
    for _ in range(days):
        dc.collect(model)
    return (time.perf_counter() - t0) / days * 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=3650)
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    sc = load_scenario("baseline")
    ours, bare = [], []
    for r in range(args.repeats):
        bare.append(per_step(lambda: Bare(rng=r), args.days))
        ours.append(per_step(lambda: EscalationModel(sc, days=args.days, rng=r), args.days))
    o, b = min(ours), min(bare)
    n_cols = len(EscalationModel(sc, days=1, rng=0).run().recorder.daily().columns)
    dc = datacollector_cost(min(args.days, 2000), n_cols)
    print(f"python {platform.python_version()}, mesa {mesa.__version__}, {args.days} steps x {args.repeats} repeats (min)")
    print("| model | µs per step | ratio to bare Mesa |")
    print("|---|---|---|")
    print(f"| bare Mesa model, 5 no-op agents | {b:.1f} | 1.00 |")
    print(f"| EscalationModel, baseline, recording included | {o:.1f} | {o / b:.2f} |")
    print(f"| (for scale) Mesa DataCollector, {n_cols} model reporters, collect() only | {dc:.1f} | {dc / b:.2f} |")


if __name__ == "__main__":
    main()
