"""Scenario paths, experiment specs and small end-to-end sweeps through the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from sim.run.designs import expected_points
from sim.schema.experiment import ExperimentError, ParamRange, load_experiment
from sim.schema.paths import apply_overrides, check_paths, parse_param_spec
from sim.schema.scenario import Scenario

REPO = Path(__file__).resolve().parents[1]
DRILL = "actors.DPRK.policy.params.drill_response"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return Scenario.model_validate(dict(
        name="t", description="d", start=dt.date(2017, 1, 1), days=30,
        actors={"DPRK": {"role": "provocateur", "policy": {"params": {"drill_response": 1.0}}},
                "US": {"role": "ally"}, "ROK": {"role": "ally"}},
        relations=[{"a": "DPRK", "b": "US"}],
        calendar=[{"type": "drill", "start": "2017-03-01", "end": "2017-03-10", "participants": ["US", "ROK"]}]))


def test_overrides_reach_every_kind_of_field(scenario):
    out = apply_overrides(scenario, {DRILL: 2.0, "actors.DPRK.policy.params.base_rate": 0.02,
                                     "dynamics.noise": 0.0, "calendar.0.scale": 1.5,
                                     "relations.0.reaction_ab": 0.3, "mechanisms.M1": 0.0,
                                     "days": 40.4, "world.orientation": "progressive"})
    params = out.actors["DPRK"].policy.params
    assert (params.drill_response, params.base_rate) == (2.0, 0.02)
    assert (out.dynamics.noise, out.calendar[0].scale, out.relations[0].reaction_ab) == (0.0, 1.5, 0.3)
    assert out.mechanisms == {"M1": False} and out.days == 40 and out.world.orientation == "progressive"
    assert scenario.actors["DPRK"].policy.params.drill_response == 1.0  # the original is untouched


@pytest.mark.parametrize("path,value,message", [
    ("actors.DPRK.policy.parms", 1.0, "actors.DPRK.policy.parms: unknown field 'parms' (expected one of: name, params)"),
    ("actors.XX.role", 1.0, "actors.XX: unknown key 'XX' (have: DPRK, US, ROK)"),
    ("calendar.5.scale", 1.0, "calendar.5: index 5 out of range (the list has 1 entries)"),
    ("calendar.x.scale", 1.0, "calendar.x: expected a list index 0..0, got 'x'"),
    ("world.sanctions.x", 1.0, "world.sanctions.x: 'sanctions' is a value (float), not a section"),
    ("world.sanctions", 2.0, "world.sanctions: Input should be less than or equal to 1"),
    ("actors.DPRK.policy.params.drill_respons", 1.0, "unknown field 'drill_respons' (expected one of: base_rate, "),
])
def test_override_errors_are_one_line_naming_the_path(scenario, path, value, message):
    with pytest.raises(ValueError) as info:
        apply_overrides(scenario, {path: value})
    text = str(info.value)
    assert "\n" not in text and text.startswith(path.split(".")[0]) and message in text


def test_param_specs():
    assert parse_param_spec("world.sanctions=0.1:0.9") == ParamRange(path="world.sanctions", low=0.1, high=0.9)
    grid = parse_param_spec("world.orientation=conservative,progressive")
    assert grid.values == ["conservative", "progressive"]
    assert parse_param_spec("mechanisms.M1=true,false").values == [True, False]
    linked = parse_param_spec("calendar.0.scale+calendar.1.scale=0.5:2")
    assert linked.paths == ["calendar.0.scale", "calendar.1.scale"]
    for bad, fragment in [("world.sanctions", "expected PATH=LOW:HIGH"), ("a=1:0", "LOW must be below HIGH"),
                          ("a=x:1", "expected a number"), ("a=1,,2", "empty value")]:
        with pytest.raises(ValueError, match=fragment):
            parse_param_spec(bad)


def test_experiment_spec_errors_name_file_and_field(tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text("name: x\ndescription: d\nquestion: q\nscenarios: [baseline]\noutcomes: [test_days]\n"
                    "sweep: {design: morris, params: [{path: world.sanctions, low: 0.5}]}\n")
    with pytest.raises(ExperimentError, match=r"bad.yaml:6: sweep.params.0: need low < high"):
        load_experiment(spec)
    spec.write_text("name: x\ndescription: d\nquestion: q\nscenarios: [baseline]\noutcomes: [a]\nreplicatons: 3\n")
    with pytest.raises(ExperimentError, match=r"bad.yaml:6: replicatons: unknown field"):
        load_experiment(spec)


@pytest.mark.parametrize("path", sorted((REPO / "experiments").glob("*.yaml")), ids=lambda p: p.stem)
def test_bundled_experiments_are_runnable(path):
    """Every shipped spec loads, names known outcomes and its sweep paths apply to its scenarios."""
    from sim.run.experiment import resolve_scenario
    from sim.run.sweep import check_outcomes
    from sim.schema.loader import load_scenario

    spec = load_experiment(path)
    check_outcomes(spec.outcomes)
    for ref in spec.scenarios:
        loaded = load_scenario(resolve_scenario(ref))
        if spec.sweep is not None:
            check_paths(loaded, list(spec.sweep.params))


# -- end to end through the CLI ---------------------------------------------------------------

@pytest.fixture(scope="module")
def cli():
    from sim.cli import app
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


@pytest.mark.slow
def test_sweep_cli_end_to_end(cli, tmp_path):
    out = tmp_path / "sweep"
    res = cli("sweep", "baseline", "--param", f"{DRILL}=0.5:2.5", "--param", "calendar.0.scale=0.5:2",
              "--design", "morris", "--samples", 3, "--replications", 2, "--days", 60, "--out", out,
              "--outcome", "peak_escalation", "--outcome", "test_days", "--no-progress", "--daily", "none")
    assert res.exit_code == 0, res.output
    points = expected_points(2, "morris", 3)
    design = pd.read_parquet(out / "design.parquet")
    assert list(design.columns) == ["design_point", DRILL, "calendar.0.scale"] and len(design) == points
    from sim.run.batch import read_table
    summary = read_table(out, "summary")
    assert len(summary) == points * 2 and {"design_point", DRILL, "calendar.0.scale"} <= set(summary.columns)
    # common random numbers: replication r has the same seed at every design point
    assert summary.groupby("replication")["spawn_key"].nunique().eq(1).all()
    sens = pd.read_csv(out / "sensitivity.csv")
    assert list(sens.columns[:5]) == ["parameter", "outcome", "index", "value", "conf"]
    assert set(sens["index"]) == {"mu", "mu_star", "sigma"} and len(sens) == 2 * 2 * 3
    assert json.loads((out / "manifest.json").read_text())["design"]["points"] == points
    again = cli("sweep", "baseline", "--param", f"{DRILL}=0.5:2.5", "--param", "calendar.0.scale=0.5:2",
                "--samples", 3, "--replications", 2, "--days", 60, "--out", out, "--outcome", "peak_escalation",
                "--outcome", "test_days", "--daily", "none", "--resume")
    assert again.exit_code == 0 and f"{points * 2} of {points * 2} runs complete" in again.output


@pytest.mark.parametrize("args,fragment", [
    (["--param", "actors.DPRK.policy.parms=0:1"], "unknown field 'parms'"),
    (["--param", "world.sanctions"], "expected PATH=LOW:HIGH"),
    (["--param", "world.sanctions=0:1", "--outcome", "peak"], "outcome: unknown 'peak'"),
    (["--param", "world.sanctions=0:1", "--design", "sobol", "--samples", "6"], "power of 2"),
])
def test_sweep_cli_user_errors(cli, tmp_path, args, fragment):
    res = cli("sweep", "baseline", *args, "--out", tmp_path / "x")
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0] and "Traceback" not in res.output
    assert not (tmp_path / "x").exists()


@pytest.mark.slow
def test_experiment_cli_end_to_end(cli, tmp_path):
    child = tmp_path / "hawkish.yaml"
    child.write_text(f"extends: {REPO / 'scenarios' / 'baseline.yaml'}\nname: hawkish\n"
                     "actors: {DPRK: {role: provocateur, policy: {name: hawk}}}\n")
    spec = tmp_path / "compare.yaml"
    spec.write_text(f"name: compare\ndescription: d\nquestion: does a hawk test more?\n"
                    f"scenarios: [baseline, {child}]\nreplications: 3\ndays: 60\n"
                    "outcomes: [test_days, peak_escalation]\n")
    res = cli("experiment", spec, "--out", tmp_path / "out", "--no-progress", "--daily", "none")
    assert res.exit_code == 0, res.output
    table = pd.read_csv(tmp_path / "out" / "comparison.csv")
    assert len(table) == 4 and set(table["scenario"]) == {"baseline", "hawkish"}
    assert table.loc[table["scenario"] == "hawkish", "diff_n"].eq(3).all()
    assert json.loads((tmp_path / "out" / "experiment.json").read_text())["name"] == "compare"
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ndescription: d\nquestion: q\nscenarios: [baseline]\noutcomes: [a]\nsweep: {}\n")
    res = cli("experiment", bad)
    assert res.exit_code == 2 and res.stderr.strip() == f"error: {bad}:6: sweep.params: required field is missing"
