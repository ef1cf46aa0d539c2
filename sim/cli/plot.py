"""`escalation plot`: draw a figure from a run, batch or sweep results directory.

Thin by design: parse the options, call `sim.analysis.figures.make_figure`, save, report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from sim.cli.app import app, fail

FORMATS = (".png", ".svg", ".pdf")
KIND_HELP = ("curve, compare, timeline, tension, network, sweep, heatmap, sensitivity, years (launch days per "
             "year against the record) or months (a monthly fan) (default: curve for a run, compare for a batch of "
             "several scenarios, sweep for a sweep)")


@app.command("plot")
def plot_command(
    results: Path = typer.Argument(..., metavar="RESULTS", help="a run, batch or sweep results directory"),
    kind: Optional[str] = typer.Option(None, "--kind", "-k", help=KIND_HELP),
    out: Optional[Path] = typer.Option(
        None, "--out", "-o", help="figure file: .png (150 dpi), .svg or .pdf (default: RESULTS/figures/KIND.png)"),
    reference: Optional[str] = typer.Option(
        None, "--reference", help="compare: the reference scenario (default: the first)"),
    dates: Optional[str] = typer.Option(
        None, "--dates", help="network: comma-separated dates YYYY-MM-DD (default: 4 evenly spaced)"),
    outcome: Optional[str] = typer.Option(
        None, "--outcome", help="sweep/heatmap/sensitivity: summary outcome (default: peak_escalation)"),
    scenario: Optional[str] = typer.Option(
        None, "--scenario", help="curve/timeline/tension/network: which scenario of a batch (default: the first)"),
    replication: Optional[int] = typer.Option(
        None, "--replication", min=0, help="timeline: which replication of a batch (default: the first)"),
    params: Optional[str] = typer.Option(
        None, "--params", help="sweep/heatmap: comma-separated parameter paths (default: all / the first two)"),
    observed: bool = typer.Option(
        True, "--observed/--no-observed",
        help="curve/years/months: show the observed 2010-2019 launch days where the period overlaps them"),
) -> None:
    """Draw one figure from RESULTS and write it as PNG, SVG or PDF."""
    if out is not None and out.suffix.lower() not in FORMATS:
        fail(f"--out must end in {', '.join(FORMATS)}, got '{out.name}'")
    from sim.analysis.figures import ResultsError, default_kind, make_figure, save_figure
    from sim.analysis.results import load

    try:
        res = load(results)
        kind = kind or default_kind(res)
        fig = make_figure(res, kind, scenario=scenario, reference=reference, dates=_split(dates),
                          outcome=outcome, replication=replication, parameters=_split(params), observed=observed)
        path = save_figure(fig, out or results / "figures" / f"{kind}.png")
        if kind == "sensitivity":
            from sim.analysis.sensitivity_checks import warning_lines

            for line in warning_lines(res.sensitivity()):
                typer.echo(f"warning: {line}", err=True)
    except ResultsError as err:
        fail(str(err))
    except OSError as err:
        fail(f"cannot write the figure: {err}")
    typer.echo(f"wrote {path}")


def _split(text: str | None) -> list[str] | None:
    items = [t.strip() for t in (text or "").split(",") if t.strip()]
    return items or None
