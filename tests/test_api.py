"""The notebook API (sim.api, also as korea_escalation): simulate, batch and sweep with tables back."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import korea_escalation as ke
import sim
from sim.run.single import simulate as engine_simulate
from sim.schema.loader import load_scenario

DRILLS = "actors.DPRK.policy.params.drill_response"
DAYS = 30


@pytest.fixture(scope="module")
def runs_batch(tmp_path_factory):
    out = tmp_path_factory.mktemp("api") / "batch"
    hawk = ke.variant("baseline", {DRILLS: 2.5}, name="hawkish")
    return ke.batch(["baseline", hawk], replications=3, seed=7, days=DAYS, out=out, progress=False)


@pytest.fixture(scope="module")
def morris(tmp_path_factory):
    out = tmp_path_factory.mktemp("api") / "sweep"
    return ke.sweep("baseline", params={"world.sanctions": (0.2, 0.8), DRILLS: (0.5, 2.0)}, design="morris",
                    samples=2, days=DAYS, out=out, progress=False)


def test_alias_is_the_same_api():
    assert ke.simulate is sim.simulate and ke.batch is sim.batch and ke.Run is sim.Run
    assert {"simulate", "batch", "sweep", "variant", "load_scenario", "__version__"} <= set(dir(ke))


def test_simulate_with_overrides_is_the_engine_run_of_the_variant():
    run = ke.simulate("baseline", seed=3, days=DAYS, overrides={DRILLS: 0.8})
    sc = load_scenario("baseline")
    assert run.scenario.actors["DPRK"].policy.params.drill_response == 0.8
    plain = engine_simulate(ke.variant(sc, {DRILLS: 0.8}), seed=3, days=DAYS)
    pd.testing.assert_frame_equal(run.daily, plain.daily)
    np.testing.assert_equal(run.summary, plain.summary)
    assert len(run.daily) == DAYS
    assert ke.simulate(sc, days=5).seed == sc.seed  # the scenario's own seed by default


def test_run_prints_what_it_is():
    run = ke.simulate("baseline", seed=3, days=DAYS, overrides={DRILLS: 0.8})
    text = repr(run)
    assert text.startswith("Run of 'baseline'") and "object at 0x" not in text
    assert "seed            3" in text and f"{DRILLS} = 0.8" in text
    assert f"{run.summary['peak_escalation']:.1f}" in text
    page = run._repr_html_()
    assert page.startswith("<div>") and "<table>" in page and "drill_response" in page


def test_run_save_writes_the_files_of_escalation_run(tmp_path):
    run = ke.simulate("baseline", seed=2, days=10)
    out = run.save(tmp_path / "run")
    assert {"daily.csv", "events.csv", "summary.json", "manifest.json"} <= {p.name for p in out.iterdir()}
    assert pd.read_csv(out / "daily.csv")["escalation_index"].tolist() == pytest.approx(
        run.daily["escalation_index"].tolist())


def test_bad_override_is_one_line():
    with pytest.raises(sim.ScenarioError) as err:
        ke.simulate("baseline", overrides={"actors.DPRK.policy.params.drill_respons": 0.8})
    assert "\n" not in str(err.value) and "drill_respons" in str(err.value)


@pytest.mark.slow
def test_batch_gives_experiments_and_outcomes_in_the_same_order(runs_batch):
    experiments, outcomes = runs_batch
    assert len(experiments) == len(outcomes) == 6 and (experiments.index == outcomes.index).all()
    assert experiments["scenario"].tolist() == ["baseline"] * 3 + ["hawkish"] * 3
    assert (experiments["status"] == "ok").all() and "peak_escalation" in outcomes
    assert outcomes["days"].eq(DAYS).all()
    # common random numbers: replication r of either scenario uses the same seed
    assert experiments.groupby("replication")["spawn_key"].nunique().eq(1).all()


def test_batch_runs_are_the_engine_runs(runs_batch):
    """Run 4 is replication 1 of 'hawkish': the engine's seed rule, SeedSequence(7).spawn(R)[1]."""
    import numpy as np

    seed = np.random.SeedSequence(7).spawn(3)[1]
    alone = engine_simulate(ke.variant("baseline", {DRILLS: 2.5}, name="hawkish"), seed=seed, days=DAYS)
    assert runs_batch.outcomes.loc[4, "peak_escalation"] == alone.summary["peak_escalation"]
    assert runs_batch.daily.query("run_id == 4")["escalation_index"].tolist() == alone.daily["escalation_index"].tolist()


def test_batch_prints_a_table_per_scenario(runs_batch):
    text = repr(runs_batch)
    assert text.startswith("Batch of 6 runs (2 scenarios x 3 replications, root seed 7): complete")
    assert "hawkish" in text and "±" in text and str(runs_batch.folder) in text
    assert "<table" in runs_batch._repr_html_()
    stats = runs_batch.table()
    assert stats.loc["hawkish", ("runs", "n")] == 3


@pytest.mark.slow
def test_temporary_folder_lives_as_long_as_its_result():
    res = ke.batch("baseline", replications=1, days=5, progress=False)
    folder = res.folder
    assert (folder / "manifest.json").exists() and len(res.outcomes) == 1
    del res
    gc.collect()
    assert not folder.exists()


def test_a_failed_call_leaves_no_temporary_folder(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    with pytest.raises(sim.ScenarioError, match="no_such_scenario"):
        ke.batch(["baseline", "no_such_scenario"], replications=1, days=5, progress=False)
    assert not list(tmp_path.iterdir())


@pytest.mark.slow
def test_a_given_folder_is_kept_and_resumed(tmp_path):
    first = ke.batch("baseline", replications=2, days=5, out=tmp_path / "b", progress=False)
    with pytest.raises(ke.APIError, match="already holds a batch"):
        ke.batch("baseline", replications=2, days=5, out=tmp_path / "b", progress=False)
    again = ke.batch("baseline", replications=2, days=5, out=tmp_path / "b", resume=True, progress=False)
    assert again.outcome.skipped == 2 and again.outcome.ran == 0
    pd.testing.assert_frame_equal(again.outcomes, first.outcomes)


@pytest.mark.slow
def test_sweep_experiments_carry_the_parameters(morris):
    experiments, outcomes = morris
    assert len(experiments) == len(morris.design) == 2 * 3  # morris: N (D + 1) points
    assert {"design_point", "world.sanctions", DRILLS} <= set(experiments.columns)
    assert experiments["world.sanctions"].between(0.2, 0.8).all()
    assert outcomes.index.equals(experiments.index)
    assert set(morris.sensitivity["index"]) >= {"mu_star"} and morris.point_means is not None


def test_sweep_prints_design_and_leaders(morris):
    text = repr(morris)
    assert text.startswith("Sweep (morris: 6 points x 1 replication = 6 runs, seed 0): complete")
    assert "world.sanctions" in text and "most influential" in text
    assert "<table" in morris._repr_html_()


@pytest.mark.slow
def test_sweep_of_a_scenario_object_keeps_it_beside_the_results(tmp_path):
    sc = ke.variant("baseline", {"world.sanctions": 0.6}, name="edited")
    sw = ke.sweep(sc, params={DRILLS: [0.5, 1.5]}, design="grid", days=5, out=tmp_path / "sw", progress=False)
    assert load_scenario(tmp_path / "sw" / "scenario.yaml") == sc
    assert sw.experiments[DRILLS].tolist() == [0.5, 1.5] and (sw.experiments["scenario"] == "edited").all()


@pytest.mark.parametrize("params, message", [
    ({"world.sanctions": 0.5}, "expected (low, high) or a list of values"),
    ({"world.sanctions": (0.8, 0.2)}, "need low < high"),
    ({"world.sanctionz": (0.2, 0.8)}, "unknown field 'sanctionz'"),
])
def test_bad_sweep_parameters_are_one_line(tmp_path, params, message):
    with pytest.raises(ValueError) as err:
        ke.sweep("baseline", params=params, days=5, out=tmp_path / "x", progress=False)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_alias_works_beside_a_notebooks_own_sim_py(tmp_path):
    (tmp_path / "sim.py").write_text("MINE = True\n")
    code = ("import warnings\n"
            "with warnings.catch_warnings(record=True) as caught:\n"
            "    warnings.simplefilter('always')\n"
            "    import korea_escalation as ke\n"
            "print('warned:', *[w.message for w in caught])\n"
            "print(ke.load_scenario('baseline').name, ke.variant('baseline', name='v').name)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr[-1500:]
    warned, names = proc.stdout.splitlines()
    assert warned.startswith("warned: korea_escalation:") and str(Path(tmp_path / "sim.py")) in warned
    assert names == "baseline v"  # the package's own modules (sim.schema...) were found


def test_alias_names_the_file_that_took_the_name_sim(tmp_path):
    (tmp_path / "sim.py").write_text("MINE = True\n")
    code = "import sim\ntry:\n    import korea_escalation\nexcept ImportError as err:\n    print(err)\n"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert proc.returncode == 0 and proc.stdout.count("\n") == 1
    assert f"the name 'sim' is taken by {tmp_path / 'sim.py'}" in proc.stdout


@pytest.mark.slow
def test_workers_find_the_package_beside_a_notebooks_own_sim_py(tmp_path):
    """A notebook runs threads, so the pool starts workers from a fork server (sim.run.executors)."""
    (tmp_path / "sim.py").write_text("MINE = True\n")
    code = ("import threading, time, warnings\nwarnings.simplefilter('ignore')\n"
            "import korea_escalation as ke\n"
            "threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
            "res = ke.batch('baseline', replications=2, days=5, workers=2, progress=False)\n"
            "print(res.status, len(res.outcomes))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr[-1500:]
    assert proc.stdout.split() == ["complete", "2"]
