"""`escalation backtest`: rolling-origin forecasts of monthly launch days, scored against the
observed 2010-2019 record, for the baselines and every forecaster registered in
`sim.calibrate.backtest.REGISTRY`.

Thin by design: parse the options, check the folder, call `sim.calibrate.backtest.backtest`,
write (sim.calibrate.backtest_output), report. The heavy imports live inside the command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from sim.cli.app import app, fail

DEFAULT_ORIGINS = "2013-12-31,2015-12-31,2017-12-31"


@app.command("backtest")
def backtest_command(
    origins: str = typer.Option(DEFAULT_ORIGINS, "--origins",
                                help="comma-separated forecast origins YYYY-MM-DD inside 2010-2019"),
    horizon: int = typer.Option(24, "--horizon", min=1, max=120,
                                help="months forecast after each origin (never past 2019-12)"),
    samples: int = typer.Option(2000, "--samples", min=1, max=100_000, help="simulated draws per forecast"),
    seed: int = typer.Option(0, "--seed", min=0, help="root seed (each forecaster and origin gets its own stream)"),
    out: Path = typer.Option(Path("runs/backtest"), "--out", "-o", help="output folder"),
    only: Optional[str] = typer.Option(None, "--forecasters",
                                       help="comma-separated subset of the registered forecasters (default: all)"),
    no_progress: bool = typer.Option(False, "--no-progress", help="no progress bar"),
) -> None:
    """Fit each forecaster on the record up to each origin, forecast the months after it, score them."""
    from sim.calibrate.backtest import REGISTRY, BacktestError, backtest
    from sim.calibrate.backtest_output import write_backtest
    from sim.calibrate.observed import observed_record
    from sim.run.outdir import OutputError, check_target, holds

    wanted = _split(only) or list(REGISTRY)
    unknown = [n for n in wanted if n not in REGISTRY]
    if unknown:
        fail(f"--forecasters: unknown {', '.join(unknown)} (known: {', '.join(REGISTRY)})")
    try:
        check_target(out)
        other = holds(out)
        if other:
            raise OutputError(f"{out} holds a {other}: choose another --out for the backtest")
    except OutputError as err:
        fail(str(err))
    record = observed_record()
    try:
        result = backtest(_split(origins), horizon, samples, seed, [REGISTRY[n](record) for n in wanted],
                          record, progress=not no_progress)
    except BacktestError as err:
        fail(str(err))
    try:
        written = write_backtest(result, out, record.counts("month"))
    except OSError as err:
        fail(f"cannot write the backtest in {out}: {err.strerror or err}; nothing was written")
    _report(result.summary)
    typer.echo(f"wrote {out} ({len(written)} files)")


def _report(summary) -> None:
    """The summary table, one line per origin and forecaster."""
    typer.echo(f"{'origin':<11} {'forecaster':<14} {'months':>6} {'CRPS':>7} {'Brier':>7} {'CRPSS':>7} {'BSS':>7}")
    for r in summary.itertuples():
        typer.echo(f"{str(r.origin):<11} {r.forecaster:<14} {r.months:>6} {r.crps:>7.3f} {r.brier:>7.3f} "
                   f"{r.crps_skill:>7.3f} {r.brier_skill:>7.3f}")


def _split(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").split(",") if t.strip()]
