"""Calibration: parameters recovered from records the model itself generated, the data window
respected, calibration files usable by any scenario, and the command resumable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from sim.calibrate import likelihood, summaries
from sim.calibrate.replay import replay_scenario, run_replay, run_replays
from sim.model import EscalationModel, hazard
from sim.run import tables
from sim.schema.loader import load_scenario
from sim.schema.params import MISSILE_CLASSES
from sim.schema.paths import apply_overrides

P = "actors.DPRK.policy.params."
TRUTH = {P + "base_rate": 0.004, P + "drill_response": 1.0, P + "development_drive": 1.2,
         P + "election_leverage": 0.8, P + "domestic_need": 1.0, P + "dialogue_restraint": 1.0}


def _records(sc, seeds: list[int]) -> list[list[dict]]:
    """The provocateur's launches of free runs (one ensemble, a replication per seed), as records to replay."""
    ev = tables.events_frame(EscalationModel(sc, seeds, daily=False, events=True).run())
    launches = ev[(ev.action == "missile_test") & (ev.actor == "DPRK")]
    return [[{"type": "action", "date": str(r.date.date()), "actor": "DPRK", "action": "missile_test",
              "missile_class": r.missile_class, "salvo": int(r.salvo), "success": bool(r.success)}
             for r in launches[launches.rep == k].itertuples()] for k in range(len(seeds))]


@pytest.mark.slow
def test_the_likelihood_recovers_known_hazard_weights():
    """Four synthetic decades from known weights: the well-informed weights come back inside
    their intervals (at least three times in four) and near the truth on average."""
    sc = apply_overrides(load_scenario("historical_2010_2019"), TRUTH)
    found: dict[str, list] = {}
    for rp in run_replays([replay_scenario(base=sc, record=record) for record in _records(sc, list(range(4)))],
                          replays=8):
        for e in likelihood.fit_hazard(rp)[0]:
            found.setdefault(e.path, []).append(e)
    for name in ("drill_response", "development_drive", "election_leverage"):
        ests, truth = found[P + name], TRUTH[P + name]
        assert sum(e.low <= truth <= e.high for e in ests) >= 3, (name, ests)
        assert abs(np.mean([e.estimate for e in ests]) - truth) < 0.35, (name, ests)
    assert all(e.low <= TRUTH[P + "base_rate"] <= e.high for e in found[P + "base_rate"])


def test_the_salvo_and_class_fits_recover_known_values():
    rng = np.random.default_rng(np.random.SeedSequence(2024))
    n = 3000
    salvos = hazard.salvo_size(np.zeros(n, dtype=np.int64), rng.random(n), np.full(n, 2.5))
    reach = rng.uniform(0.2, 1.3, size=(n, len(MISSILE_CLASSES)))
    reach[:, -1] = 0.0  # a class never fielded
    weights = np.array([1.0, 0.6, 0.15, 0.25, 1.0])
    p = reach * weights / (reach * weights).sum(axis=1, keepdims=True)
    choices = np.array([rng.choice(len(MISSILE_CLASSES), p=row) for row in p])
    rp = SimpleNamespace(choices=choices, reach=reach, salvos=np.where(choices == 0, salvos, 1))
    salvo = likelihood.fit_salvo(rp)
    assert salvo.low <= 2.5 <= salvo.high and abs(salvo.estimate - 2.5) < 0.15
    for e in likelihood.fit_classes(rp):
        k = MISSILE_CLASSES.index(e.path.rsplit(".", 1)[1])
        if e.method.startswith("likelihood"):
            assert e.low <= weights[k] <= e.high, e
        elif k == len(MISSILE_CLASSES) - 1:
            assert e.method == "default" and "no launch of this class" in e.note


@pytest.mark.slow
def test_replays_stepped_together_equal_replays_run_alone():
    scs = [replay_scenario(dt.date(2011, 6, 30)), replay_scenario(dt.date(2011, 6, 30), values={P + "base_rate": 0.01})]
    together = run_replays(scs, replays=3, seed=4)
    for sc, got in zip(scs, together):
        alone = run_replay(sc, replays=3, seed=4)
        for field in ("dates", "features", "launched", "free", "choices", "reach", "salvos"):
            np.testing.assert_array_equal(getattr(got, field), getattr(alone, field), err_msg=field)


@pytest.mark.slow
def test_a_driver_that_never_varies_keeps_its_default_and_says_so():
    rp = run_replay(replay_scenario(dt.date(2012, 12, 31)), replays=4)
    signal = next(e for e in likelihood.fit_hazard(rp)[0] if e.path.endswith("diplomatic_signal"))
    assert signal.method == "default" and "never varies" in signal.note and np.isnan(signal.low)


@pytest.mark.slow
def test_calibration_reads_nothing_after_its_date():
    until = dt.date(2013, 12, 31)
    sc = replay_scenario(until)
    assert sc.end == until
    assert all(e.date <= until for e in sc.calendar if e.type == "action")
    rp = run_replay(sc, replays=2)
    assert rp.launched.sum() == 5 and len(rp.dates) == (until - dt.date(2010, 1, 1)).days + 1
    drill = np.zeros((until - dt.date(2010, 1, 1)).days + 1)
    stats = summaries.observed(dt.date(2010, 1, 1), until, drill)
    assert [k for k in stats if k.startswith("launch_days_")] == [f"launch_days_{y}" for y in range(2010, 2014)]
    assert sum(stats[f"launch_days_{y}"] for y in range(2010, 2014)) == 5


def test_a_calibration_file_lays_its_estimates_under_a_scenario(tmp_path):
    (tmp_path / "parameters.yaml").write_text(
        "parameters:\n"
        f"  {P}drill_response: {{estimate: 0.55, low: 0.1, high: 1.0, mechanism: M1}}\n"
        "  actors.US.policy.params.response_rate: {estimate: 0.9}\n"
        "  actors.China.policy.params.veto_base: {estimate: 0.9}\n"
        "  effects.drill_pressure: {estimate: 0.004}\n")
    (tmp_path / "mine.yaml").write_text(
        "extends: baseline\nname: mine\ncalibration: parameters.yaml\n"
        "actors:\n  US: {role: ally, policy: {name: reactive, params: {response_rate: 0.2}}}\n")
    sc = load_scenario(tmp_path / "mine.yaml")
    assert sc.actors["DPRK"].policy.params.drill_response == 0.55 and sc.effects.drill_pressure == 0.004
    assert sc.actors["US"].policy.params.response_rate == 0.2  # the scenario's own value wins
    assert "China" not in sc.actors  # a path naming an actor the scenario lacks is left out


def test_the_bundled_scenarios_use_the_packaged_calibration():
    import yaml

    from sim.schema.loader import calibration_file

    sc = load_scenario("baseline")
    assert sc.calibration == "2010-2019"
    table = yaml.safe_load(calibration_file("2010-2019", Path(".")).read_text())
    assert table["calibrated_on"] == "2010-01-01..2019-12-31"
    assert sc.actors["DPRK"].policy.params.drill_response == pytest.approx(
        table["parameters"][P + "drill_response"]["estimate"])


def _killed_after(journal: Path, out: Path, n: int) -> None:
    """The folder a calibration killed after its first ``n`` trials leaves: a journal holding
    those trials and nothing else (the other files are written at the end)."""
    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    done = optuna.load_study(study_name="simulated", storage=JournalStorage(JournalFileBackend(str(journal))))
    out.parent.mkdir(parents=True)
    cut = optuna.create_study(study_name="simulated", direction="minimize",
                              storage=JournalStorage(JournalFileBackend(str(out))))
    cut.add_trials(done.trials[:n])


@pytest.mark.slow
def test_calibrate_command_end_to_end_and_resumed_after_a_kill(tmp_path, cli):
    args = ["calibrate", "--until", "2012-12-31", "--trials", "32", "--replays", "4", "--proposals", "24", "--no-check"]
    whole = cli(*args, "--out", tmp_path / "whole")
    assert whole.returncode == 0, whole.stderr
    for name in ("parameters.yaml", "estimates.csv", "trials.csv", "samples.parquet", "calibration.json"):
        assert (tmp_path / "whole" / name).stat().st_size > 0, name
    _killed_after(tmp_path / "whole" / "optuna.journal", tmp_path / "cut" / "optuna.journal", 16)
    again = cli(*args, "--out", tmp_path / "cut")
    assert again.returncode == 2 and "--resume" in again.stderr
    resumed = cli(*args, "--out", tmp_path / "cut", "--resume")
    assert resumed.returncode == 0, resumed.stderr
    a, b = (pd.read_csv(tmp_path / d / "trials.csv") for d in ("whole", "cut"))
    pd.testing.assert_frame_equal(a.drop(columns=[c for c in a if "datetime" in c or "duration" in c]),
                                  b.drop(columns=[c for c in b if "datetime" in c or "duration" in c]))


@pytest.mark.slow
def test_a_record_that_separates_launch_days_has_no_mle_and_says_so():
    """On a short record a driver can be on exactly on launch days: the unpenalised MLE then runs
    off to infinity (it once raised OverflowError). The posterior mode stays finite; the MLE
    columns are empty and the note says why."""
    from sim.model.hazard import TERM_NAMES

    rng = np.random.default_rng(np.random.SeedSequence(5))
    days = 600
    features = rng.random((days, len(TERM_NAMES))) * 0.1
    launched = np.zeros(days, dtype=bool)
    launched[rng.choice(days, 12, replace=False)] = True
    features[:, 0] = launched  # the first driver is on exactly on the launch days
    rp = SimpleNamespace(features=features, launched=launched, free=np.ones(days, dtype=bool), scenario=None)
    estimates, info = likelihood.fit_hazard(rp)
    assert all(np.isfinite(e.estimate) for e in estimates)
    informed = [e for e in estimates if e.method.startswith("likelihood")]
    assert informed and all(np.isnan(e.mle) and "no finite MLE" in e.note for e in informed)
    assert np.isnan(info["mle_loglike"]) and np.isfinite(info["loglike"])
