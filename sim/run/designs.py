"""Experimental designs: which parameter combinations a sweep runs.

Every design is drawn by a library sampler (no hand-written sampling) with an explicit
seed, so the same spec always yields the same points:

* grid   - full factorial; a range gets `samples` evenly spaced levels (numpy.linspace),
           explicit values are used as given. Points: product of the level counts.
* lhs    - Latin hypercube, scipy.stats.qmc.LatinHypercube. Points: `samples`.
* sobol  - Saltelli's scheme, SALib.sample.sobol with calc_second_order=True, so S1, ST
           and S2 can all be estimated. Points: N * (2D + 2) for N = `samples`, which
           must be a power of 2 to keep the Sobol' sequence balanced.
* morris - elementary effects, SALib.sample.morris with 4 levels. Points: N * (D + 1)
           for N = `samples` trajectories.

The returned DataFrame has a `design_point` column (0..n-1, the key that joins runs back
to their point) and one column per parameter path; row order is the sampler's order,
which SALib's analyzers rely on.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import qmc
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from sim.schema.experiment import DESIGNS, ParamRange

MORRIS_LEVELS = 4


def make_design(params: list[ParamRange], design: str, samples: int, seed: int) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Return (points, SALib problem) for `design` over `params`; see the module docstring."""
    if design not in DESIGNS:
        raise ValueError(f"design: unknown '{design}' (expected one of: {', '.join(DESIGNS)})")
    if not params:
        raise ValueError("design: give at least one parameter")
    if samples < 1:
        raise ValueError(f"samples: must be at least 1, got {samples}")
    if design == "grid":
        problem, rows = _grid_problem(params), _grid(params, samples)
    else:
        _require_ranges(params, design)
        problem = salib_problem(params)
        rows = _SAMPLERS[design](problem, samples, seed)
    frame = pd.DataFrame(rows, columns=[p.path for p in params])
    frame.insert(0, "design_point", np.arange(len(frame), dtype="int64"))
    return frame, problem


def salib_problem(params: list[ParamRange]) -> dict[str, Any]:
    """The SALib problem dict: names are the dotted paths, bounds the ranges."""
    return {"num_vars": len(params), "names": [p.path for p in params],
            "bounds": [[float(p.low), float(p.high)] for p in params]}


def _grid_problem(params: list[ParamRange]) -> dict[str, Any]:
    """A grid still gets a problem dict for the manifest: numeric min..max, else None."""
    bounds = []
    for p in params:
        vals = [p.low, p.high] if p.is_range else p.values
        nums = [float(v) for v in vals if isinstance(v, (int, float))]
        bounds.append([min(nums), max(nums)] if len(nums) == len(vals) else None)
    return {"num_vars": len(params), "names": [p.path for p in params], "bounds": bounds}


def _require_ranges(params: list[ParamRange], design: str) -> None:
    for p in params:
        if not p.is_range:
            raise ValueError(f"{p.path}: the {design} design needs a range LOW:HIGH, not explicit values")


def _grid(params: list[ParamRange], samples: int) -> list[tuple]:
    """Full factorial: linspace levels for ranges, explicit values as given."""
    axes = [list(np.linspace(p.low, p.high, samples)) if p.is_range else list(p.values) for p in params]
    return [tuple(_plain(v) for v in combo) for combo in itertools.product(*axes)]


def _plain(v: Any) -> Any:
    return float(v) if isinstance(v, np.floating) else v


def _lhs(problem: dict, samples: int, seed: int) -> np.ndarray:
    unit = qmc.LatinHypercube(d=problem["num_vars"], seed=seed).random(samples)
    bounds = np.asarray(problem["bounds"], dtype=float)
    return qmc.scale(unit, bounds[:, 0], bounds[:, 1])


def _sobol(problem: dict, samples: int, seed: int) -> np.ndarray:
    if samples & (samples - 1):
        raise ValueError(f"samples: the sobol design needs a power of 2 (e.g. 8, 16, 32), got {samples}")
    return sobol_sample.sample(problem, samples, calc_second_order=True, seed=seed)


def _morris(problem: dict, samples: int, seed: int) -> np.ndarray:
    if samples < 2:
        raise ValueError(f"samples: the morris design needs at least 2 trajectories, got {samples}")
    return morris_sample.sample(problem, samples, num_levels=MORRIS_LEVELS, seed=seed)


_SAMPLERS = {"lhs": _lhs, "sobol": _sobol, "morris": _morris}


def expected_points(n_params: int, design: str, samples: int, levels: list[int] | None = None) -> int:
    """How many points a design will have, for reports and tests."""
    if design == "grid":
        return int(np.prod(levels if levels is not None else [samples] * n_params))
    return {"lhs": samples, "sobol": samples * (2 * n_params + 2), "morris": samples * (n_params + 1)}[design]
