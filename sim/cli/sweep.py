"""`escalation sweep` and `escalation experiment`: designs over scenario parameters.

Thin by design: parse the options, call `sim.run.sweep.sweep` or
`sim.run.experiment.run_experiment`, report where the results went. User errors are one
line and exit 2; failed runs exit 1 after everything else was written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from sim.cli.app import app, fail
from sim.cli.batch import DAILY_HELP, FORMAT_HELP, check_format, finish_format, guarded, run_guarded, start


@app.command("sweep")
def sweep_command(
    scenario: str = typer.Argument(..., help="scenario file or bundled name"),
    param: list[str] = typer.Option(..., "--param", "-p", help="PATH=LOW:HIGH or PATH=v1,v2,... (repeatable)"),
    design: str = typer.Option("morris", "--design", "-d", help="grid, lhs, sobol or morris"),
    samples: int = typer.Option(4, "--samples", "-n", min=1,
                                help="grid: levels; lhs: points; sobol: N (power of 2); morris: trajectories"),
    replications: int = typer.Option(1, "--replications", "-r", min=1, help="runs per design point"),
    days: Optional[int] = typer.Option(None, "--days", min=1, help="horizon in days (default: the scenario's)"),
    seed: int = typer.Option(0, "--seed", min=0, help="root seed of the design and of the runs"),
    out: Path = typer.Option(Path("runs/sweep"), "--out", "-o", help="results directory"),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="parallel worker processes"),
    executor: str = typer.Option("auto", "--executor", help="auto, sequential, process or dask"),
    address: Optional[str] = typer.Option(None, "--address", help="dask scheduler, tcp://HOST:PORT"),
    resume: bool = typer.Option(False, "--resume", help="finish an interrupted sweep in --out"),
    force: bool = typer.Option(False, "--force", help="replace other results already in --out"),
    outcome: Optional[list[str]] = typer.Option(None, "--outcome", help="summary outcome to analyse (repeatable)"),
    daily: str = typer.Option("full", "--daily", help=DAILY_HELP),
    fmt: str = typer.Option("parquet", "--format", help=FORMAT_HELP),
    no_progress: bool = typer.Option(False, "--no-progress", help="no progress bar"),
) -> None:
    """Run a design over scenario parameters; write design, per-point means and sensitivity."""
    from sim.run.preflight import plan_sweep
    from sim.run.sweep import as_params, sweep
    from sim.schema.loader import load_scenario

    check_format(fmt)
    loaded = guarded(lambda: load_scenario(scenario))
    params = guarded(lambda: as_params(param))
    plan = guarded(lambda: plan_sweep(loaded, params, design, samples, replications, days, workers, daily))
    place = start(out, plan, force, resume)
    res = run_guarded(place, lambda: sweep(scenario, params, design, samples, replications, seed, days, out, workers,
                                           executor, address, resume, outcome or (), progress=not no_progress,
                                           daily=daily))
    finish_format(place, [out], fmt)
    b = res.batch
    typer.echo(f"{b.completed} of {b.planned} runs complete in {out} ({design}: {len(res.design)} points "
               f"x {replications} replications, {b.seconds:.1f} s)")
    if res.sensitivity is not None:
        typer.echo(f"sensitivity: {out / 'sensitivity.csv'}; {_leaders(res.sensitivity, design)}")
        _warn(res.sensitivity)
    _exit_on_failures(b.failures, out)


@app.command("experiment")
def experiment_command(
    spec: Path = typer.Argument(..., help="experiment file, e.g. experiments/drill_sensitivity.yaml"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="results directory (default runs/experiments/NAME)"),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1, help="parallel workers (default: the spec's)"),
    executor: Optional[str] = typer.Option(None, "--executor", help="auto, sequential, process or dask"),
    address: Optional[str] = typer.Option(None, "--address", help="dask scheduler, tcp://HOST:PORT"),
    resume: bool = typer.Option(False, "--resume", help="finish an interrupted experiment in --out"),
    force: bool = typer.Option(False, "--force", help="replace other results already in --out"),
    daily: str = typer.Option("full", "--daily", help=DAILY_HELP),
    fmt: str = typer.Option("parquet", "--format", help=FORMAT_HELP),
    no_progress: bool = typer.Option(False, "--no-progress", help="no progress bar"),
) -> None:
    """Run an experiment spec end to end: its scenarios, replications, sweep and analysis."""
    from sim.run.experiment import resolve_scenario, run_experiment
    from sim.run.outdir import default_experiment_dir
    from sim.run.preflight import plan_experiment
    from sim.schema.experiment import load_experiment
    from sim.schema.loader import load_scenario

    check_format(fmt)
    loaded = guarded(lambda: load_experiment(spec))
    scenarios = guarded(lambda: [load_scenario(resolve_scenario(ref)) for ref in loaded.scenarios])
    plan = guarded(lambda: plan_experiment(loaded, scenarios, workers or loaded.workers or 1, daily))
    out = out or default_experiment_dir(loaded.name)
    place = start(out, plan, force, resume)
    res = run_guarded(place, lambda: run_experiment(spec, out, workers, executor, address, resume,
                                                    progress=not no_progress, daily=daily))
    finish_format(place, [b.out for b in res.batches], fmt)
    runs = sum(b.completed for b in res.batches)
    planned = sum(b.planned for b in res.batches)
    typer.echo(f"experiment {res.spec.name}: {runs} of {planned} runs complete in {res.out}")
    typer.echo(f"question: {res.spec.question}")
    for sw in res.sweeps:
        if sw.sensitivity is not None:
            typer.echo(f"sensitivity: {sw.out / 'sensitivity.csv'}; {_leaders(sw.sensitivity, res.spec.sweep.design)}")
            _warn(sw.sensitivity)
    if res.comparison is not None:
        typer.echo(f"comparison: {res.out / 'comparison.csv'}")
    _exit_on_failures(res.failures, res.out)


def _warn(table) -> None:
    """Indices from too small a sample say little: say so on stderr (and in sensitivity.csv's note)."""
    from sim.run.sensitivity import warning_lines

    for line in warning_lines(table):
        typer.echo(f"warning: {line}", err=True)


def _leaders(table, design: str) -> str:
    """The most influential parameter per outcome (ST for sobol, mu_star for morris)."""
    index = "ST" if design == "sobol" else "mu_star"
    rows = table[(table["index"] == index) & table["value"].notna()]
    if rows.empty:
        return "no outcome varied"
    top = rows.loc[rows.groupby("outcome", sort=False)["value"].idxmax()]
    return "; ".join(f"{r.outcome}: {r.parameter} ({index} {r.value:.3g})" for r in top.itertuples())


def _exit_on_failures(failures: list[dict], out: Path) -> None:
    if failures:
        ids = ", ".join(str(f["run_id"]) for f in failures[:5])
        more = f" and {len(failures) - 5} more" if len(failures) > 5 else ""
        fail(f"{len(failures)} run(s) failed: {ids}{more}; see {out}/failures.json; rerun them with --resume", 1)
