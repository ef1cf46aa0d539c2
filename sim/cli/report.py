"""`escalation report`: one self-contained HTML report of a run, batch, sweep or experiment directory.

Thin by design: parse the options, call `sim.analysis.report.write_report`, report where it went.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from sim.cli.app import app, fail


@app.command("report")
def report_command(
    results: Path = typer.Argument(..., metavar="RESULTS", help="a run, batch, sweep or experiment results directory"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="HTML file (default: RESULTS/report.html)"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress lines on stderr"),
) -> None:
    """Write one HTML file (figures embedded) with the question, parameters, outcomes, figures and how to reproduce."""
    if out is not None and out.suffix.lower() not in (".html", ".htm"):
        fail(f"--out must end in .html, got '{out.name}'")
    from sim.analysis._io import check_parts
    from sim.analysis.report import ResultsError, write_report

    def progress(message: str) -> None:
        typer.echo(f"report: {message}", err=True)

    try:
        check_parts(results)  # a damaged part: one line, not a warning per figure
        path, report = write_report(results, out, progress=None if quiet else progress)
    except ResultsError as err:
        fail(str(err))
    except OSError as err:
        fail(f"cannot write the report: {err}")
    for note in report.notes:
        typer.echo(f"warning: {note}", err=True)
    size = path.stat().st_size / 1024
    typer.echo(f"wrote {path} ({report.figures} figures, {size:.0f} KiB)")
