"""Scenario discovery (`escalation discover`) on synthetic sweeps whose answer is known.

The outcome is above 60 exactly when x1 > 0.7 and x2 < 0.3 (x3 plays no part), so PRIM's chosen
box must restrict x1 from below near 0.7 and x2 from above near 0.3 and leave x3 alone; CART's
densest leaf must say the same.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from sim.analysis import discovery
from sim.analysis.results import ResultsError

PARAMS = ["actors.DPRK.policy.params.x1", "world.x2", "dynamics.x3"]


def make_sweep(path: Path, points: int = 600, seed: int = 4) -> Path:
    rng = np.random.default_rng(seed)
    design = pd.DataFrame({p: rng.uniform(0, 1, points) for p in PARAMS})
    design.insert(0, "design_point", np.arange(points))
    path.mkdir(parents=True)
    design.to_parquet(path / "design.parquet")
    crisis = (design[PARAMS[0]] > 0.7) & (design[PARAMS[1]] < 0.3)
    peak = np.where(crisis, 70.0, 40.0) + rng.uniform(-5, 5, points)
    summary = design.assign(run_id=[f"s-{i}" for i in range(points)], scenario="base", replication=0,
                            status="ok", peak_escalation=peak)
    for name in ("summary", "runs"):
        (path / name).mkdir()
    summary.to_parquet(path / "summary" / "part-0.parquet")
    summary[["run_id", "scenario", "replication", "design_point", "status"]].to_parquet(path / "runs" / "part-0.parquet")
    (path / "manifest.json").write_text(json.dumps({"kind": "sweep", "scenarios": {"base": {"hash": "h"}},
                                                    "design": {"type": "lhs", "points": points}}))
    return path


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> Path:
    return make_sweep(tmp_path_factory.mktemp("disc") / "sweep")


def _limits(found, box: int = 1) -> pd.DataFrame:
    return found.limits[found.limits["box"] == box].set_index("parameter")


@pytest.mark.slow
def test_prim_finds_the_known_box(sweep):
    found = discovery.discover(sweep, "peak_escalation", above=60)
    assert found.n == 600 and found.rule == "peak_escalation > 60"
    lim = _limits(found)
    assert lim.loc[PARAMS[0], "restricted"] and lim.loc[PARAMS[0], "lower"] == pytest.approx(0.7, abs=0.05)
    assert lim.loc[PARAMS[1], "restricted"] and lim.loc[PARAMS[1], "upper"] == pytest.approx(0.3, abs=0.05)
    assert not lim.loc[PARAMS[2], "restricted"]
    stats = found.stats.iloc[0]
    assert stats["coverage"] >= 0.8 and stats["density"] >= 0.9 and 0.05 < stats["mass"] < 0.15
    words = discovery.describe(found, 1)
    assert words.startswith("DPRK x1 ≥ 0.") and " and world x2 ≤ 0." in words and "x3" not in words
    traj = found.trajectory
    assert traj["chosen"].sum() == 1 and traj["coverage"].is_monotonic_decreasing


@pytest.mark.slow
def test_below_and_between(sweep):
    found = discovery.discover(sweep, "peak_escalation", below=60)
    assert found.n_interest == 600 - discovery.discover(sweep, "peak_escalation", above=60).n_interest
    with pytest.raises(ResultsError, match="no value of interest"):
        discovery.discover(sweep, "peak_escalation", above=60, below=50)


@pytest.mark.slow
def test_cart_finds_the_known_box(sweep):
    found = discovery.discover(sweep, "peak_escalation", above=60, method="cart")
    best = found.stats.iloc[0]
    lim = _limits(found, int(best["box"]))
    assert best["density"] > 0.9 and best["coverage"] > 0.8
    assert lim.loc[PARAMS[0], "lower"] == pytest.approx(0.7, abs=0.05)
    assert lim.loc[PARAMS[1], "upper"] == pytest.approx(0.3, abs=0.05)


def test_choose_prefers_density_then_coverage():
    traj = pd.DataFrame({"coverage": [1.0, 1.0, 0.9, 0.7], "density": [0.2, 0.9, 0.9, 1.0]})
    assert discovery.choose(traj, 0.8) == 1
    assert discovery.choose(traj, 1.01) == 1  # nothing covers enough: best coverage x density


def test_errors(sweep, tmp_path):
    with pytest.raises(ResultsError, match="no outcome 'nope'"):
        discovery.discover(sweep, "nope", above=1)
    with pytest.raises(ResultsError, match="nothing to tell apart"):
        discovery.discover(sweep, "peak_escalation", above=1000)
    with pytest.raises(ResultsError, match="--above"):
        discovery.discover(sweep, "peak_escalation")


@pytest.mark.slow
def test_cli_writes_boxes_and_figures(sweep, tmp_path):
    from sim.cli import app

    out = tmp_path / "disc"
    result = CliRunner().invoke(app, ["discover", str(sweep), "--outcome", "peak_escalation", "--above", "60",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "box 1: coverage" in result.output
    boxes = pd.read_csv(out / "boxes.csv")
    assert {"coverage", "density", "mass", "res_dim", "description"} <= set(boxes.columns)
    limits = pd.read_csv(out / "limits.csv")
    assert {"parameter", "lower", "upper", "restricted", "qp_lower"} <= set(limits.columns)
    assert (out / "peeling.png").stat().st_size > 1000 and (out / "box.png").stat().st_size > 1000
    assert json.loads((out / "discovery.json").read_text())["rule"] == "peak_escalation > 60"


@pytest.mark.parametrize("args,message", [
    (["--outcome", "peak_escalation"], "--above"), (["--outcome", "peak_escalation", "--above", "1", "--method", "x"],
                                                      "--method"),
    (["--outcome", "nope", "--above", "1"], "no outcome")])
def test_cli_errors_are_one_line(sweep, args, message):
    from sim.cli import app

    result = CliRunner().invoke(app, ["discover", str(sweep), *args])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


@pytest.mark.slow
def test_experiment_folder_of_sweeps(tmp_path):
    make_sweep(tmp_path / "exp" / "a", points=300, seed=1)
    make_sweep(tmp_path / "exp" / "b", points=300, seed=2)
    table, params, _ = discovery.experiments_table(tmp_path / "exp")
    assert len(table) == 600 and params[-1] == "scenario_name"
    found = discovery.discover(tmp_path / "exp", "peak_escalation", above=60)
    assert _limits(found).loc[PARAMS[0], "lower"] == pytest.approx(0.7, abs=0.05)


# ---- in the report (in this module: the worker that imported EMA Workbench for it draws it) ----
@pytest.mark.slow
def test_report_shows_scenario_discovery(tmp_path):
    from sim.analysis.report import build_report
    from tests import _synthetic as syn

    path = syn.make_sweep(tmp_path / "sweep", sensitivity="sobol", points=80)
    discovery.write(discovery.discover(path, "peak_escalation", above=60), path / "discovery")
    text = build_report(path, dpi=40).html
    headings = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", text)]
    assert "Scenario discovery" in headings
    section = text.split('id="scenario-discovery"')[1].split("</section>")[0]
    assert "peak_escalation &gt; 60" in section and section.count("<img") == 2 and "coverage" in section
