"""`escalation discover`: scenario discovery (PRIM or CART boxes) over a sweep or experiment.

Thin by design: parse the options, call `sim.analysis.discovery`, write, report. EMA Workbench
is imported only inside the command, so other commands do not pay for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from sim.cli.app import app, fail


@app.command("discover")
def discover_command(
    results: Path = typer.Argument(..., metavar="RESULTS", help="a sweep, or an experiment folder of sweeps"),
    outcome: str = typer.Option(..., "--outcome", help="summary outcome that defines the runs of interest"),
    above: Optional[float] = typer.Option(None, "--above", help="runs with OUTCOME above this are of interest"),
    below: Optional[float] = typer.Option(None, "--below", help="runs with OUTCOME below this are of interest"),
    method: str = typer.Option("prim", "--method", help="prim (EMA Workbench's PRIM) or cart (a decision tree)"),
    boxes: int = typer.Option(1, "--boxes", min=1, help="prim: how many boxes to look for, one after the other"),
    min_coverage: float = typer.Option(0.8, "--min-coverage", min=0.0, max=1.0,
                                       help="prim: choose the densest box covering at least this share"),
    mass_min: float = typer.Option(0.05, "--mass-min", min=0.0, max=1.0, help="smallest share of runs in a box"),
    peel_alpha: float = typer.Option(0.05, "--peel-alpha", min=0.001, max=0.5, help="prim: share peeled per step"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="output folder (default: RESULTS/discovery)"),
) -> None:
    """Which combinations of the swept parameters lead to OUTCOME above/below a threshold?"""
    if method not in ("prim", "cart"):
        fail(f"--method must be prim or cart, got '{method}'")
    if above is None and below is None:
        fail("say which runs are of interest: --above X and/or --below Y")
    from sim.analysis.discovery import FOLDER, describe, discover, write
    from sim.analysis.results import ResultsError

    try:
        found = discover(results, outcome, above, below, method, boxes, min_coverage, mass_min, peel_alpha)
        written = write(found, out or results / FOLDER)
    except ResultsError as err:
        fail(str(err))
    except OSError as err:
        fail(f"cannot write the discovery results: {err}")
    typer.echo(f"{found.n_interest} of {found.n} runs have {found.rule}")
    if found.stats.empty:
        typer.echo(f"no {method.upper()} box is denser than the runs as a whole")
    for r in found.stats.itertuples():
        typer.echo(f"box {r.box}: coverage {r.coverage:.2f}, density {r.density:.2f}, mass {r.mass:.2f}: "
                   f"{describe(found, r.box)}")
    typer.echo(f"wrote {written[0].parent} ({', '.join(p.name for p in written)})")
