"""`escalation calibrate`: estimate parameters from the observed record, with uncertainty.

Thin by design: parse the options, call `sim.calibrate.calibrate.calibrate`, report. The
model, statsmodels and optuna are imported only inside the command.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

import typer

from sim.cli.app import app, fail


@app.command("calibrate")
def calibrate_command(
    until: str = typer.Option("2019-12-31", "--until", help="use the record up to this date (it ends 2019-12-31)"),
    trials: int = typer.Option(384, "--trials", min=8, help="simulation stage: optuna trials (batches of 16)"),
    replays: int = typer.Option(64, "--replays", min=2, help="likelihood stage: replications of the replayed record"),
    proposals: int = typer.Option(256, "--proposals", min=16,
                                  help="simulation stage: points around the optimum its uncertainty is fitted to"),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="processes (or Dask workers) for the simulations"),
    executor: str = typer.Option("auto", "--executor", help="auto, sequential, process or dask"),
    address: Optional[str] = typer.Option(None, "--address", help="dask scheduler tcp://HOST:PORT"),
    seed: int = typer.Option(0, "--seed", min=0, help="root seed of every simulation"),
    out: Path = typer.Option(Path("runs/calibration"), "--out", "-o", help="output folder"),
    resume: bool = typer.Option(False, "--resume", help="finish an interrupted calibration in --out"),
    check: bool = typer.Option(True, "--check/--no-check", help="run the posterior predictive check"),
) -> None:
    """Fit the launch hazard by likelihood on the replayed record, the rest by simulation; write parameters.yaml."""
    try:
        last = dt.date.fromisoformat(until)
    except ValueError:
        fail(f"--until: expected a date YYYY-MM-DD, got '{until}'")
    if last < dt.date(2011, 1, 1):
        fail(f"--until: {last} leaves less than a year of the record (it starts 2010-01-01)")
    from sim.calibrate.calibrate import CalibrationError, calibrate
    from sim.run.executors import ExecutorError

    try:
        result = calibrate(last, out, trials=trials, replays=replays, workers=workers, executor=executor,
                           address=address, seed=seed, resume=resume, check=check, proposals=proposals)
    except (CalibrationError, ExecutorError) as err:
        fail(str(err))
    except OSError as err:
        fail(f"cannot write the calibration in {out}: {err.strerror or err}")
    est = result.estimates
    informed = est[est["method"].str.startswith(("likelihood", "simulation"))]
    typer.echo(f"calibrated {len(informed)} parameters on the record to {min(last, dt.date(2019, 12, 31))}; "
               f"{len(est) - len(informed)} kept at their defaults (not informed by the record)")
    if (out / "targets.csv").exists():
        import pandas as pd

        targets = pd.read_csv(out / "targets.csv")
        typer.echo(f"targets met: {int(targets['met'].sum())} of {len(targets)} (see {out / 'targets.csv'})")
    typer.echo(f"parameters: {out / 'parameters.yaml'} (use it in a scenario as `calibration: FILE`)")
