"""`escalation batch`: replications of one or more scenarios into a batch results directory.

Thin by design: parse the options, call `sim.run.batch.batch`, report where the results
went. Layout of the results: docs/RESULTS.md ("A batch or sweep").
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from sim.cli.app import app, fail

EXECUTORS = ("auto", "sequential", "process", "dask")


@app.command("batch")
def batch_command(
    scenarios: list[str] = typer.Argument(..., metavar="SCENARIO...", help="scenario files or bundled names"),
    replications: int = typer.Option(10, "--replications", "-r", min=1, help="runs per scenario"),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="parallel worker processes"),
    days: Optional[int] = typer.Option(None, "--days", min=1, help="horizon in days (default: the scenario's)"),
    out: Path = typer.Option(Path("runs/batch"), "--out", "-o", help="results directory"),
    seed: int = typer.Option(0, "--seed", min=0, help="root seed; replication i uses its spawn child i"),
    executor: str = typer.Option("auto", "--executor", help="auto, sequential, process or dask"),
    address: Optional[str] = typer.Option(None, "--address", help="dask scheduler, tcp://HOST:PORT"),
    resume: bool = typer.Option(False, "--resume", help="finish an interrupted batch in --out"),
    daily: str = typer.Option("full", "--daily", help="full (write daily tables) or none"),
    no_progress: bool = typer.Option(False, "--no-progress", help="no progress bar"),
) -> None:
    """Run R replications of each SCENARIO with common random numbers, streaming results to --out."""
    from sim.run.batch import BatchError, batch
    from sim.run.executors import ExecutorError
    from sim.schema.loader import ScenarioError

    kind = _executor_kind(executor, workers, address)
    try:
        outcome = batch(scenarios, replications, root_seed=seed, days=days, out=out, workers=workers,
                        executor=kind, address=address, resume=resume, progress=not no_progress, daily=daily)
    except (ScenarioError, BatchError, ExecutorError) as err:
        fail(str(err))
    except KeyboardInterrupt:
        fail(f"interrupted; finished chunks are kept: rerun with --resume --out {out}", 130)
    skipped = f", {outcome.skipped} already done" if outcome.skipped else ""
    typer.echo(f"{outcome.completed} of {outcome.planned} runs complete in {out} "
               f"({outcome.ran} run in {outcome.seconds:.1f} s{skipped})")
    if outcome.failures:
        fail(_failure_line(outcome, out), 1)


def _executor_kind(executor: str, workers: int, address: str | None) -> str:
    """auto: dask with --address, a process pool with several workers, else in-process."""
    if executor not in EXECUTORS:
        fail(f"unknown executor '{executor}' (choose from {', '.join(EXECUTORS)})")
    if executor != "auto":
        if address and executor != "dask":
            fail("--address needs --executor dask")
        return executor
    return "dask" if address else ("process" if workers > 1 else "sequential")


def _failure_line(outcome, out: Path) -> str:
    shown = ", ".join(f"{f['run_id']} ({f['scenario']} rep {f['replication']})" for f in outcome.failures[:5])
    more = f" and {len(outcome.failures) - 5} more" if len(outcome.failures) > 5 else ""
    return (f"{len(outcome.failures)} run(s) failed: {shown}{more}; "
            f"see {out / 'failures.json'}; rerun them with --resume")
