"""Proper scores against hand computations, the rolling-origin backtest (no look-ahead,
reproducible streams, the plug-in hook), its files and the `escalation backtest` command."""

from __future__ import annotations

import datetime as dt
import json
from itertools import product

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.analysis import plots_history
from sim.calibrate import backtest as bt
from sim.calibrate import backtest_output, scores
from sim.calibrate.baselines import Climatology, Persistence, baselines
from sim.calibrate.observed import LaunchRecord, as_date, observed_record

D = dt.date.fromisoformat


# ---- scores ------------------------------------------------------------------------------------
def test_crps_brier_and_pit_match_a_hand_computation():
    # Three samples per month: month 1 draws {0, 1, 3} and saw 1; month 2 draws {0, 0, 2} and saw 0.
    samples = np.array([[0, 0], [1, 0], [3, 2]])
    observed = np.array([1, 0])
    # CRPS = E|X - y| - E|X - X'| / 2 over the samples (all 9 ordered pairs):
    # month 1: (1 + 0 + 2)/3 - (1+3+1+2+3+2)/9/2 = 1 - 2/3 = 1/3
    # month 2: (0 + 0 + 2)/3 - (0+2+0+2+2+2)/9/2 = 2/3 - 4/9 = 2/9
    assert scores.crps(samples, observed) == pytest.approx([1 / 3, 2 / 9])
    # P(at least one launch day) = 2/3 and 1/3; Brier = (p - event)^2
    assert scores.brier(samples, observed) == pytest.approx([(2 / 3 - 1) ** 2, (1 / 3 - 0) ** 2])
    lo, hi = scores.pit_bounds(samples, observed)  # F(y - 1), F(y)
    assert lo == pytest.approx([1 / 3, 0]) and hi == pytest.approx([2 / 3, 2 / 3])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=12), st.integers(0, 8))
def test_crps_equals_the_integral_of_the_squared_cdf_difference(draws, y):
    # For integer samples the CDFs are steps at integers: the integral is a sum over unit steps.
    x = np.array(draws, dtype=float)
    grid = np.arange(-1, 10)
    integral = sum((np.mean(x <= k) - (y <= k)) ** 2 for k in grid)
    assert scores.crps(x[:, None], np.array([y]))[0] == pytest.approx(integral)


def test_score_months_refuses_misshaped_samples():
    with pytest.raises(ValueError, match="months"):
        scores.crps(np.zeros((5, 3)), np.zeros(4))


# ---- backtest ----------------------------------------------------------------------------------
class Tripwire(LaunchRecord):
    """A record that raises when a forecaster asks for days past its current fit's origin."""

    def upto(self, until):
        limit = LIMIT.get("until")
        if limit is None or as_date(until) > limit:
            raise AssertionError(f"read the record up to {until} while fitting up to {limit}")
        return super().upto(until)


LIMIT: dict = {}


class Guarded:
    """Wraps a forecaster: opens the record up to `until` only while fitting, and checks
    that samples start after it."""

    def __init__(self, inner):
        self.inner, self.name, self.calls = inner, inner.name, []

    def fit(self, until):
        LIMIT["until"] = until
        try:
            self.inner.fit(until)
        finally:
            LIMIT.pop("until")
        self.until = until
        return self

    def sample(self, start, months, n, rng):
        assert start > self.until
        self.calls.append((self.until, start, months))
        return self.inner.sample(start, months, n, rng)


def test_backtest_never_lets_a_forecaster_read_past_its_origin():
    real = observed_record()
    record = Tripwire(real.dates, real.start, real.end)
    guarded = [Guarded(f) for f in baselines(record)]
    result = bt.backtest(["2013-12-31", "2018-12-31"], 24, 50, 0, guarded, record)
    for forecaster in guarded:
        assert forecaster.calls == [(D("2013-12-31"), D("2014-01-01"), 24), (D("2018-12-31"), D("2019-01-01"), 12)]
    months = result.summary.set_index(["origin", "forecaster"])["months"]
    assert set(months.loc[D("2018-12-31")]) == {12}  # never past the record's end
    assert result.months["month"].max() == pd.Timestamp("2019-12-01")


class Peeker(Climatology):
    """A forecaster that looks one day past its origin."""

    def fit(self, until):
        self.record.upto(until + dt.timedelta(days=1))
        return super().fit(until)


def test_the_tripwire_catches_a_forecaster_that_looks_ahead():
    real = observed_record()
    record = Tripwire(real.dates, real.start, real.end)
    with pytest.raises(AssertionError, match="read the record up to 2014-01-01"):
        bt.backtest(["2013-12-31"], 12, 10, 0, [Guarded(Peeker(record))], record)


def test_backtest_tables_and_skill():
    result = bt.backtest(["2015-12-31"], 12, 200, 3, baselines(observed_record()))
    summary = result.summary.set_index("forecaster")
    assert list(summary.index) == ["climatology", "persistence", "hawkes"]
    assert (summary["months"] == 12).all() and summary.loc["climatology", "crps_skill"] == 0
    months = result.months[result.months["forecaster"] == "persistence"]
    assert summary.loc["persistence", "crps"] == pytest.approx(months["crps"].mean())
    ratio = summary.loc["persistence", "crps"] / summary.loc["climatology", "crps"]
    assert summary.loc["persistence", "crps_skill"] == pytest.approx(1 - ratio)
    assert months["observed"].tolist() == observed_record().counts("month")["2016"].tolist()
    fits = result.fits.set_index(["forecaster", "parameter"])
    assert fits.loc[("climatology", "rate"), "estimate"] == 23 / 2191
    assert set(fits.loc["hawkes"].index) == {"mu", "alpha", "beta", "branching"}


def test_streams_do_not_depend_on_which_forecasters_run_or_their_order():
    record = observed_record()
    both = bt.backtest(["2013-12-31", "2015-12-31"], 6, 100, 9, [Climatology(record), Persistence(record)], record)
    swapped = bt.backtest(["2015-12-31"], 6, 100, 9, [Persistence(record), Climatology(record)], record)
    for name in ("climatology", "persistence"):
        assert np.array_equal(both.samples[(D("2015-12-31"), name)], swapped.samples[(D("2015-12-31"), name)])
    other_seed = bt.backtest(["2015-12-31"], 6, 100, 10, [Climatology(record)], record)
    assert not np.array_equal(other_seed.samples[(D("2015-12-31"), "climatology")],
                              both.samples[(D("2015-12-31"), "climatology")])


class Constant:
    """A forecaster of one fixed count: the shape of what the model will plug in."""

    name = "always-one"

    def __init__(self, record=None):
        pass

    def fit(self, until):
        return self

    def sample(self, start, months, n, rng):
        return np.ones((n, months), dtype=int)


def test_any_forecaster_plugs_in_and_registers(monkeypatch):
    result = bt.backtest(["2017-12-31"], 3, 10, 0, [Constant()])
    assert result.months["crps"].tolist() == pytest.approx([1.0, 1.0, 1.0])  # 2018 had no launch day
    assert np.isnan(result.summary["crps_skill"]).all()  # no climatology to compare with
    monkeypatch.setitem(bt.REGISTRY, "always-one", Constant)
    assert [f.name for f in bt.registered()] == ["climatology", "persistence", "hawkes", "model", "always-one"]


@pytest.mark.parametrize("origins, message", [
    (["2020-06-30"], "outside the record"), (["2019-12-15"], "no whole month"),
    (["not-a-date"], "not a date"), ([], "no origin"),
])
def test_backtest_refuses_impossible_origins(origins, message):
    with pytest.raises(bt.BacktestError, match=message):
        bt.backtest(origins, 12, 10, 0, [Constant()])


# ---- files and figures -------------------------------------------------------------------------
@pytest.mark.slow
def test_write_backtest_writes_tables_figures_and_replaces_only_its_own_files(tmp_path):
    counts = observed_record().counts("month")
    first = bt.backtest(["2013-12-31", "2015-12-31"], 12, 100, 0, [Climatology(), Constant()])
    (tmp_path / "notes.txt").write_text("mine")
    backtest_output.write_backtest(first, tmp_path, counts)
    assert (tmp_path / "figures" / "backtest_fan_2013-12-31.png").stat().st_size > 0
    second = bt.backtest(["2015-12-31"], 12, 100, 0, [Climatology(), Constant()])
    written = backtest_output.write_backtest(second, tmp_path, counts)
    assert not (tmp_path / "figures" / "backtest_fan_2013-12-31.png").exists()  # stale file of the last run
    assert (tmp_path / "notes.txt").read_text() == "mine"
    manifest = json.loads((tmp_path / "backtest.json").read_text())
    assert manifest["origins"] == ["2015-12-31"] and len(manifest["files"]) == len(written) - 1
    assert pd.read_csv(tmp_path / "backtest_summary.csv")["months"].tolist() == [12, 12]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_failed_write_leaves_nothing(tmp_path, monkeypatch):
    def broken(fig, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backtest_output, "_write_figure", broken)
    out = tmp_path / "new" / "bt"
    with pytest.raises(OSError):
        backtest_output.write_backtest(bt.backtest(["2015-12-31"], 3, 10, 0, [Constant()]), out,
                                       observed_record().counts("month"))
    assert not (tmp_path / "new").exists()


def test_forecast_fans_have_a_panel_per_forecaster_with_observed_dots():
    months = pd.date_range("2016-01-01", periods=12, freq="MS")
    tables = {name: pd.DataFrame(np.random.default_rng(i).poisson(1.0, (12, 50)), index=months)
              for i, name in enumerate(["a", "b"])}
    observed = observed_record().counts("month")
    history = observed["2015"]
    fig = plots_history.forecast_fans_figure(tables, observed, "test", origin="2016-01-01", history=history)
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["a", "b"]
    dots = [len(c.get_offsets()) for c in fig.axes[0].collections if c.__class__.__name__ == "PathCollection"]
    assert sorted(dots) == [12, 12]  # 12 forecast months and 12 training months
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert {"Mean", "Observed", "Observed (training)", "Forecast origin"} <= set(labels)


# ---- the command -------------------------------------------------------------------------------
@pytest.mark.slow
def test_cli_backtest_end_to_end(tmp_path, cli):
    out = tmp_path / "bt"
    res = cli("backtest", "--origins", "2017-12-31", "--horizon", "6", "--samples", "100",
              "--seed", "4", "--out", out, "--no-progress", "--forecasters", "climatology,persistence,hawkes")
    assert res.returncode == 0, res.stderr
    assert "hawkes" in res.stdout and res.stderr == ""
    summary = pd.read_csv(out / "backtest_summary.csv")
    assert list(product(["2017-12-31"], ["climatology", "persistence", "hawkes"])) == \
        list(zip(summary["origin"], summary["forecaster"]))
    months = pd.read_csv(out / "backtest_months.csv")
    same = bt.backtest(["2017-12-31"], 6, 100, 4, baselines(observed_record())).months
    assert np.allclose(months["crps"], same["crps"]) and months["observed"].tolist() == same["observed"].tolist()
    assert sorted(p.name for p in (out / "figures").glob("*.png")) == [
        "backtest_fan_2017-12-31.png", "backtest_pit_climatology.png",
        "backtest_pit_hawkes.png", "backtest_pit_persistence.png"]


@pytest.mark.parametrize("args, fragment", [
    (["--origins", "2013-02-30"], "not a date"),
    (["--origins", "2020-03-31"], "outside the record"),
    (["--forecasters", "oracle"], "unknown oracle"),
    (["--horizon", "0"], "--horizon"),
])
def test_cli_backtest_errors_are_one_line(tmp_path, cli, args, fragment):
    res = cli("backtest", *args, "--out", tmp_path / "bt", "--no-progress")
    assert res.returncode == 2 and res.stderr.startswith("error: ") and res.stderr.count("\n") == 1
    assert fragment in res.stderr and not (tmp_path / "bt").exists()


def test_cli_backtest_refuses_a_file_or_a_run_as_output(tmp_path, cli):
    target = tmp_path / "file"
    target.write_text("x")
    res = cli("backtest", "--out", target, "--no-progress")
    assert res.returncode == 2 and "not a folder" in res.stderr
    run = tmp_path / "run"
    run.mkdir()
    (run / "summary.json").write_text("{}")
    res = cli("backtest", "--out", run, "--no-progress")
    assert res.returncode == 2 and "holds a run" in res.stderr and sorted(p.name for p in run.iterdir()) == ["summary.json"]
