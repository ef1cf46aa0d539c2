"""`escalation run`, `escalation validate` and `escalation scenarios`."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Optional

import typer

from sim.cli.app import app, fail, one_line, write_failure
from sim.schema.loader import ScenarioError, bundled_scenarios, load_scenario, scenario_hash


@app.command()
def run(
    scenario: str = typer.Argument(..., help="scenario file or bundled scenario name"),
    seed: Optional[int] = typer.Option(None, "--seed", min=0, help="random seed (default: the scenario's)"),
    days: Optional[int] = typer.Option(None, "--days", min=1, help="days to simulate (default: the scenario's)"),
    out: Optional[Path] = typer.Option(None, "--out", help="output folder (default: runs/SCENARIO-seedN)"),
    plot: bool = typer.Option(True, "--plot/--no-plot", help="draw escalation.png"),
    force: bool = typer.Option(False, "--force", help="replace other results already in --out"),
) -> None:
    """Run one scenario once: daily table, event log, manifest and escalation curve."""
    from sim.limits import LimitError
    from sim.run.outdir import OutputError, claim, default_run_dir, publish_run
    from sim.run.preflight import horizon

    sc = _load(scenario)
    seed = sc.seed if seed is None else seed
    try:
        n_days = horizon(sc, days)
        out = out or default_run_dir(sc.name, seed)
        place = claim(out, "run", force=force, same=lambda m: _same_run(m, sc, seed, n_days))
    except (LimitError, OutputError) as err:
        fail(str(err))
    from sim.run.single import simulate, write_run

    result = simulate(sc, seed=seed, days=days)
    command = shlex.join(["escalation", *sys.argv[1:]])
    try:
        publish_run(place, lambda staging: _write(result, staging, command, plot, write_run))
    except OSError as err:
        fail(write_failure(err, out, kept=False))
    s = result.summary
    typer.echo(f"{sc.name}: {s['days']} days, seed {seed}; peak escalation {s['peak_escalation']:.1f}, "
               f"{s['test_days']} test days ({s['missiles']} missiles), {s['sanctions_adopted']} UN sanctions adopted"
               f"{', armed clash' if s['armed_clash'] else ''}")
    typer.echo(f"results in {out}")


def _same_run(manifest: dict, sc, seed: int, n_days: int) -> bool:
    """The run already in a folder is this one (same content, seed and length): rewrite it."""
    return (manifest.get("scenario_hash") == scenario_hash(sc) and manifest.get("seed") == seed
            and manifest.get("days") == n_days)


def _write(result, staging: Path, command: str, plot: bool, write_run) -> None:
    write_run(result, staging, command=command)
    if plot:
        from sim.analysis.figures import make_figure, save_figure

        save_figure(make_figure(staging, "curve"), staging / "escalation.png")


@app.command()
def validate(files: list[str] = typer.Argument(..., help="scenario files or bundled names")) -> None:
    """Check scenario files against the schema; one line per bad file, exit 2 if any."""
    bad = 0
    for ref in files:
        try:
            sc = load_scenario(ref)
        except ScenarioError as err:
            typer.echo(f"error: {one_line(err)}", err=True)
            bad += 1
            continue
        typer.echo(f"ok: {one_line(ref)} ({sc.name}: {len(sc.actors)} actors, {sc.n_days} days, {len(sc.calendar)} calendar entries)")
    if bad:
        sys.exit(2)


@app.command()
def scenarios() -> None:
    """List the bundled scenarios and the question each asks."""
    for name, path in bundled_scenarios().items():
        try:
            sc = load_scenario(path)
        except ScenarioError as err:
            typer.echo(f"{name}: INVALID ({err})")
            continue
        question = sc.question or " ".join(sc.description.split())
        typer.echo(f"{name:28s} {question}")


def _load(ref: str):
    try:
        return load_scenario(ref)
    except ScenarioError as err:
        fail(str(err))
