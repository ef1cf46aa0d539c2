"""What every benchmark part shares: timing with repeats, the random-number floor, scenarios, the table.

Timings are wall clock on a shared machine, where background work only ever adds time: each
figure is the minimum of its repeats, printed with the spread (min-max) so a noisy hour shows.
The floor is what numpy alone needs on one core to draw the random numbers the model consumes
(the same count of uniforms and normals, drawn in large calls into preallocated buffers): no
engine can step a replication-day faster than it can read that day's random numbers.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "benchmarks"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

DAYS = 365          # one-year runs throughout, as in the issue
FLOOR_CALL = 1 << 20  # numbers per numpy call when measuring the floor (large: call overhead vanishes)


@dataclass
class Row:
    """One line of the printed table; ``met`` is None where there is no target."""

    part: str
    measure: str
    value: str
    target: str = ""
    met: bool | None = None


@dataclass
class Timing:
    """Seconds of each repeat; the minimum is the figure, the rest is the spread."""

    seconds: list[float]

    @property
    def best(self) -> float:
        return min(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def spread(self, scale: float = 1.0, unit: str = "", digits: int | None = None) -> str:
        lo, hi = min(self.seconds) * scale, max(self.seconds) * scale
        if digits is None:
            digits = 0 if lo >= 100 else 1 if lo >= 10 else 2
        if len(self.seconds) == 1:
            return f"{lo:.{digits}f}{unit} (1 run)"
        return f"{lo:.{digits}f}{unit} (min of {len(self.seconds)}; max {hi:.{digits}f})"


def timed(fn: Callable[[], object], repeat: int) -> Timing:
    """Time ``fn`` ``repeat`` times (it does its own set-up and clean-up outside the clock if it can)."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return Timing(out)


def draw_counts(roles: tuple[str, ...]) -> tuple[int, int]:
    """Uniforms and normals the model draws per replication-day for this cast (from its own layout)."""
    from sim.model.draws import DrawStream
    stream = DrawStream([], roles)
    return stream.n_uniform, stream.n_normal


def cast_roles(scenario) -> tuple[str, ...]:
    return tuple(spec.role for spec in scenario.actors.values())


def floor_seconds(uniforms: int, normals: int, repeat: int = 3) -> Timing:
    """One core, numpy alone: draw ``uniforms`` uniforms and ``normals`` standard normals in large calls."""
    rng = np.random.default_rng(12345)  # PCG64, the model's generator
    buf = np.empty(FLOOR_CALL)

    def draw() -> None:
        for count, fill in ((uniforms, rng.random), (normals, rng.standard_normal)):
            full, rest = divmod(count, FLOOR_CALL)
            for _ in range(full):
                fill(out=buf)
            if rest:
                fill(out=buf[:rest])

    return timed(draw, repeat)


def floor_per_rep_day(roles: tuple[str, ...], rep_days: int, repeat: int = 3) -> Timing:
    """The floor per replication-day, measured over ``rep_days`` replication-days' worth of numbers."""
    nu, nz = draw_counts(roles)
    t = floor_seconds(nu * rep_days, nz * rep_days, repeat)
    return Timing([s / rep_days for s in t.seconds])


def baseline():
    from sim.schema.loader import load_scenario
    return load_scenario("baseline")


def seeds(n: int, root: int = 1) -> list[np.random.SeedSequence]:
    """Replication i's seed, as a batch with this root seed gives it (``make_tasks``)."""
    return np.random.SeedSequence(root).spawn(n)


def us(seconds: float) -> str:
    """Seconds as microseconds, with sensible precision."""
    v = seconds * 1e6
    return f"{v:.3f} µs" if v < 1 else f"{v:.2f} µs" if v < 100 else f"{v:.0f} µs"


def machine_line() -> str:
    import mesa
    load = os.getloadavg()
    return (f"machine: {os.cpu_count()} cores, python {platform.python_version()}, numpy {np.__version__}, "
            f"mesa {mesa.__version__}; load average (1/5/15 min) {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}")


def print_table(rows: list[Row], title: str = "") -> None:
    if title:
        print(f"\n{title}\n")
    print("| part | measure | result | target | met |\n|---|---|---|---|---|")
    for r in rows:
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        print(f"| {r.part} | {r.measure} | {r.value} | {r.target} | {met} |")
    sys.stdout.flush()


def standalone(run: Callable[[bool], list[Row]], doc: str) -> None:
    """``python benchmarks/bench_x.py [--quick]``: one part alone, with the machine line before and after."""
    import argparse
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    args = parser.parse_args()
    print(machine_line() + " (before)")
    rows = run(args.quick)
    print_table(rows)
    print("\n" + machine_line() + " (after)")
