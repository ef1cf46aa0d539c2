"""The notebook API: one run, a batch or a sweep in one call, with tables back.

    import korea_escalation as ke
    run = ke.simulate("baseline", seed=1, overrides={"actors.DPRK.policy.params.drill_response": 0.8})
    experiments, outcomes = ke.batch(["baseline", "drills_suspended"], replications=20)
    sw = ke.sweep("baseline", params={"world.sanctions": (0.2, 0.8)}, design="lhs", samples=16)

Why this layer: the engines (sim.run.single, sim.run.batch, sim.run.sweep) are built for the
command line and for long jobs: they take many options and write folders. A notebook wants
three verbs, dotted-path overrides, and DataFrames in the shape EMA Workbench users know
(an experiments table with one row per run, and an outcomes table in the same row order).
Batches and sweeps still go through the engines, so the files on disk are exactly those of
`escalation batch`/`sweep` (docs/RESULTS.md) and the same seeds give the same numbers.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from sim.api.results import Batch, Run, Sweep
from sim.schema.loader import ScenarioError, bundled_scenarios, load_scenario

Overrides = Mapping[str, Any]


class APIError(ValueError):
    """A bad argument to the notebook API; the message is one line naming what was wrong."""


def variant(scenario: Any, overrides: Overrides | None = None, name: str | None = None):
    """A scenario (bundled name, file or Scenario) with dotted-path overrides, optionally renamed.

    Overrides are validated like a scenario file, so a misspelt path or an out-of-range value
    fails here, in one line, rather than after a batch; a new `name` lets several variants
    of one scenario sit side by side in a batch.
    """
    from sim.schema.paths import apply_overrides

    sc = scenario if hasattr(scenario, "model_dump") else load_scenario(scenario)
    changes = dict(overrides or {})
    if name is not None:
        changes["name"] = name
    try:
        return apply_overrides(sc, changes)
    except ValueError as err:
        raise ScenarioError(f"{sc.name}: {err}") from None


def simulate(scenario: Any, seed: int | None = None, days: int | None = None,
             overrides: Overrides | None = None) -> Run:
    """Run one scenario once; `seed` defaults to the scenario's own, `days` to its horizon."""
    from sim.run.single import simulate as run_once

    sc = variant(scenario, overrides)
    seed = sc.seed if seed is None else seed
    return Run(run_once(sc, seed=seed, days=days), sc, seed, dict(overrides or {}))


def batch(scenarios: Any, replications: int = 10, seed: int = 0, days: int | None = None,
          workers: int = 1, out: str | Path | None = None, resume: bool = False, progress: bool = True) -> Batch:
    """R replications of each scenario with common random numbers, through the batch engine.

    `scenarios`: one scenario or a list (bundled names, files, Scenario objects, e.g. from
    `variant`). Results go to `out` (`resume=True` finishes an interrupted batch there), or
    to a temporary folder removed with the result. Unpacks as
    ``experiments, outcomes = batch(...)``, as in EMA Workbench.
    """
    from sim.run.batch import BatchError, batch as run_batch
    from sim.run.executors import ExecutorError

    items = [scenarios] if isinstance(scenarios, (str, Path)) or hasattr(scenarios, "model_dump") else list(scenarios)
    with _results_folder(out) as (folder, keep):
        try:
            outcome = run_batch(items, replications, root_seed=seed, days=days, out=folder, workers=workers,
                                executor=_executor(workers), resume=resume, progress=progress)
        except (BatchError, ExecutorError) as err:
            raise APIError(str(err)) from None
        return keep(Batch(folder, outcome))


def sweep(scenario: Any, params: Mapping[str, Any] | Iterable[str], design: str = "morris", samples: int = 4,
          replications: int = 1, seed: int = 0, days: int | None = None, workers: int = 1,
          outcomes: Iterable[str] = (), out: str | Path | None = None, resume: bool = False,
          progress: bool = True) -> Sweep:
    """Run a design over scenario parameters through the sweep engine.

    `params` maps a dotted path (or several joined by '+', moved together) to a range
    ``(low, high)`` or a list of values (grid only); `design` is grid, lhs, sobol or morris
    (see `escalation sweep --help` for what `samples` means for each; the defaults are the
    command's). Sobol and Morris add a sensitivity table. Unpacks as
    ``experiments, outcomes = sweep(...)``.
    """
    from sim.run.batch import BatchError
    from sim.run.executors import ExecutorError
    from sim.run.sweep import SweepError, sweep as run_sweep

    ranges = _param_ranges(params)
    with _results_folder(out) as (folder, keep):
        ref = _scenario_ref(scenario, folder, resume)
        try:
            result = run_sweep(ref, ranges, design=design, samples=samples, replications=replications,
                               root_seed=seed, days=days, out=folder, workers=workers, executor=_executor(workers),
                               resume=resume, outcomes=tuple(outcomes), progress=progress)
        except (SweepError, BatchError, ExecutorError) as err:
            raise APIError(str(err)) from None
        return keep(Sweep(folder, result.batch, result))


def _executor(workers: int) -> str:
    return "process" if workers > 1 else "sequential"


@contextmanager
def _results_folder(out: str | Path | None) -> Iterator[tuple[Path, Callable[[Any], Any]]]:
    """The given folder, or a temporary one that lives as long as the result made in it.

    A result reads its daily tables and event logs from its folder on demand, so a temporary
    folder is removed when the result is garbage-collected, or at once if the call fails.
    A given folder is never removed: it holds what finished, for `resume=True`.
    """
    if out is not None:
        yield Path(out), lambda result: result
        return
    folder = Path(tempfile.mkdtemp(prefix="korea-escalation-"))

    def keep(result: Any) -> Any:
        weakref.finalize(result, shutil.rmtree, str(folder), True)
        return result

    try:
        yield folder, keep
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _scenario_ref(scenario: Any, folder: Path, resume: bool) -> str | Path:
    """The sweep engine loads its scenario by name or file: write a Scenario object to a file.

    The file goes into the results folder, so a sweep of an edited scenario stays reproducible
    from its folder alone. `extends` is dropped: the dump is already complete.
    """
    if not hasattr(scenario, "model_dump"):
        return scenario
    import yaml

    from sim.run.store import BatchStore

    if BatchStore(folder).has_results() and not resume:
        raise APIError(f"{folder} already holds a batch: use another folder")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "scenario.yaml"
    data = scenario.model_dump(mode="json", exclude={"extends"}, exclude_none=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _param_ranges(params: Mapping[str, Any] | Iterable[str]) -> list[Any]:
    """{path: (low, high)} or {path: [v1, v2, ...]} (or CLI-style 'PATH=LOW:HIGH' strings)."""
    from pydantic import ValidationError

    from sim.schema.experiment import ParamRange

    if not isinstance(params, Mapping):
        return list(params)
    out = []
    for path, spec in params.items():
        try:
            if isinstance(spec, tuple) and len(spec) == 2:
                out.append(ParamRange(path=path, low=spec[0], high=spec[1]))
            elif isinstance(spec, (list, tuple)):
                out.append(ParamRange(path=path, values=list(spec)))
            else:
                raise APIError(f"params: {path}: expected (low, high) or a list of values, got {spec!r}")
        except ValidationError as err:
            raise APIError(f"params: {path}: {err.errors()[0]['msg']}") from None
    return out


__all__ = ["APIError", "Batch", "Run", "ScenarioError", "Sweep", "batch", "bundled_scenarios",
           "load_scenario", "simulate", "sweep", "variant"]
