"""Checks and estimates made before a run, batch, sweep or experiment starts any work.

Why separate from the engines: the limits (sim.limits) must hold before a single task is
built, since `-r 1000000000` or a grid of 10**24 points would exhaust memory while merely
listing its runs. Counting runs needs only the scenario count, the replications and the
design's size formula, so it is done here, cheaply, and the engines are called only when
the plan fits. The estimate of time and disk is shown for large plans so that nobody
discovers after an hour that the disk was too small.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from sim.limits import LimitError, check_horizon, check_runs, describe_estimate, design_points, estimate

NOTICE_SECONDS = 120.0
NOTICE_BYTES = 1e9


@dataclass(frozen=True)
class Plan:
    """How much a job asks for: runs and simulated days (for the estimate)."""

    runs: int
    run_days: int
    workers: int = 1
    daily: str = "full"

    def notice(self, out: Path) -> str | None:
        """A line to show before a large job starts (None for small ones)."""
        days = self.run_days // max(1, self.runs)
        seconds, size = estimate(self.runs, days, self.workers, self.daily)
        if seconds < NOTICE_SECONDS and size < NOTICE_BYTES:
            return None
        line = (f"{self.runs:,} runs of {days:,} days on {self.workers} worker(s): {describe_estimate(seconds, size)} "
                "(a rough guess from the baseline scenario)")
        free = _free_bytes(out)
        if free is not None and size > free:
            line += f"; only {free / 1e9:.1f} GB are free there (--daily none writes only summaries, about 1% of that)"
        return line


def horizon(scenario: Any, days: int | None, where: str = "--days") -> int:
    """The run length a scenario will have (its own or `days`), within the limits."""
    n_days = days if days is not None else scenario.n_days
    check_horizon(scenario.start, n_days, where if days is not None else f"{scenario.name}: days",
                  len(scenario.actors))
    return n_days


def plan_batch(scenarios: Iterable[Any], replications: int, days: int | None,
               workers: int = 1, daily: str = "full") -> Plan:
    scenarios = list(scenarios)
    runs = len(scenarios) * replications
    check_runs(runs, f"{len(scenarios)} scenario(s) x {replications:,} replications")
    run_days = sum(horizon(sc, days) for sc in scenarios) * replications
    return Plan(runs, run_days, workers, daily)


def plan_sweep(scenario: Any, params: Sequence[Any], design: str, samples: int, replications: int,
               days: int | None, workers: int = 1, daily: str = "full") -> Plan:
    """The runs of a design over `params` (ParamRange), counted without drawing it."""
    levels = [None if p.is_range else len(p.values) for p in params]
    points = design_points(design, samples, levels)
    check_runs(points * replications, f"{design} design: {points:,} points x {replications:,} replications")
    return Plan(points * replications, points * replications * horizon(scenario, days), workers, daily)


def plan_experiment(spec: Any, scenarios: Sequence[Any], workers: int = 1, daily: str = "full") -> Plan:
    """All runs of an experiment spec: a sweep per scenario, or one batch of them all."""
    if spec.sweep is None:
        return plan_batch(scenarios, spec.replications, spec.days, workers, daily)
    plans = [plan_sweep(sc, spec.sweep.params, spec.sweep.design, spec.sweep.samples, spec.replications,
                        spec.days, workers, daily) for sc in scenarios]
    runs = sum(p.runs for p in plans)
    check_runs(runs, f"{len(plans)} sweeps")
    return Plan(runs, sum(p.run_days for p in plans), workers, daily)


def _free_bytes(out: Path) -> float | None:
    for place in (out, *out.absolute().parents):
        if place.is_dir():
            try:
                return float(shutil.disk_usage(place).free)
            except OSError:
                return None
    return None


__all__ = ["LimitError", "Plan", "horizon", "plan_batch", "plan_sweep", "plan_experiment"]
