"""`escalation batch`: replications of one or more scenarios into a batch results directory.

Thin by design: parse the options, check the plan and the folder (sim.run.preflight,
sim.run.outdir), call `sim.run.batch.batch`, write the CSV tables asked for
(sim.run.export), report where the results went. Layout: docs/RESULTS.md ("A batch or sweep").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Optional

import typer

from sim.cli.app import app, fail, warn, write_failure

EXECUTORS = ("auto", "sequential", "process", "dask")
FORMAT_HELP = "parquet (streamed parts), csv (one CSV per table at the end) or both"
DAILY_HELP = "full (daily tables and event log), events (event log only) or none (summaries only)"


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
    force: bool = typer.Option(False, "--force", help="replace other results already in --out"),
    daily: str = typer.Option("full", "--daily", help=DAILY_HELP),
    fmt: str = typer.Option("parquet", "--format", help=FORMAT_HELP),
    no_progress: bool = typer.Option(False, "--no-progress", help="no progress bar"),
) -> None:
    """Run R replications of each SCENARIO with common random numbers, streaming results to --out."""
    from sim.run.batch import batch
    from sim.run.preflight import plan_batch
    from sim.schema.loader import load_scenario

    kind = _executor_kind(executor, workers, address)
    check_format(fmt)
    loaded = guarded(lambda: [load_scenario(ref) for ref in scenarios])
    plan = guarded(lambda: plan_batch(loaded, replications, days, workers, daily))
    place = start(out, plan, force, resume)
    outcome = run_guarded(place, lambda: batch(
        loaded, replications, root_seed=seed, days=days, out=out, workers=workers, executor=kind,
        address=address, resume=resume, progress=not no_progress, daily=daily))
    finish_format(place, [out], fmt)
    skipped = f", {outcome.skipped} already done" if outcome.skipped else ""
    typer.echo(f"{outcome.completed} of {outcome.planned} runs complete in {out} "
               f"({outcome.ran} run in {outcome.seconds:.1f} s{skipped})")
    if outcome.failures:
        fail(_failure_line(outcome, out), 1)


def user_errors() -> tuple[type[Exception], ...]:
    """Exceptions that carry a one-line message for the user."""
    from sim.limits import LimitError
    from sim.run.batch import BatchError
    from sim.run.executors import ExecutorError
    from sim.run.outdir import OutputError
    from sim.run.store import StoreError
    from sim.run.sweep import SweepError
    from sim.schema.experiment import ExperimentError
    from sim.schema.loader import ScenarioError
    return (ScenarioError, BatchError, ExecutorError, SweepError, ExperimentError, LimitError, OutputError,
            StoreError)


def guarded(call: Callable[[], Any]) -> Any:
    """Call a check or loader; its user error becomes one line and exit 2."""
    try:
        return call()
    except user_errors() as err:
        fail(str(err))


def check_format(fmt: str) -> None:
    from sim.run.export import FORMATS
    if fmt not in FORMATS:
        fail(f"--format: unknown '{fmt}' (choose from {', '.join(FORMATS)})")


def start(out: Path, plan: Any, force: bool, resume: bool) -> Any:
    """Claim the folder (refusing other results) and show the estimate of a large plan."""
    from sim.run.export import already_exported
    from sim.run.outdir import claim

    place = guarded(lambda: claim(out, "batch", force=force, resume=resume))
    if resume and already_exported(out):
        typer.echo(f"{out} is complete (its tables are CSV files); nothing to resume")
        raise typer.Exit(0)
    notice = plan.notice(out)
    if notice:
        warn(notice)
    return place


def run_guarded(place: Any, call: Callable[[], Any]) -> Any:
    """Run a job: user errors are one line; a failed write removes what this call created."""
    out = place.out
    try:
        return call()
    except user_errors() as err:
        fail(str(err))
    except KeyboardInterrupt:
        fail(f"interrupted; finished chunks are kept: rerun with --resume --out {out}", 130)
    except OSError as err:
        fail(write_failure(err, out, kept=not place.abandon()))


def finish_format(place: Any, outs: list[Path], fmt: str) -> None:
    """Write the CSV tables `--format` asks for, in every results folder of the job."""
    from sim.run.export import export_tables
    for out in outs:
        run_guarded(place, lambda: export_tables(out, fmt))


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
