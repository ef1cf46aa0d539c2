"""Designs (counts, bounds, determinism) and sensitivity on functions with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.run.designs import expected_points, make_design
from sim.run.sensitivity import COLUMNS, analyze
from sim.schema.experiment import ParamRange

PARAMS = [ParamRange(path="world.sanctions", low=0.1, high=0.9),
          ParamRange(path="dynamics.noise", low=0.0, high=0.05),
          ParamRange(path="calendar.0.scale", low=0.5, high=2.0)]
CASES = [("grid", 3), ("lhs", 7), ("sobol", 8), ("morris", 5)]


@pytest.mark.parametrize("design,samples", CASES)
def test_count_bounds_and_columns(design, samples):
    frame, problem = make_design(PARAMS, design, samples, seed=11)
    assert len(frame) == expected_points(len(PARAMS), design, samples)
    assert list(frame.columns) == ["design_point"] + [p.path for p in PARAMS]
    assert frame["design_point"].tolist() == list(range(len(frame)))
    assert problem["names"] == [p.path for p in PARAMS]
    for p in PARAMS:
        assert frame[p.path].between(p.low, p.high).all(), p.path


@pytest.mark.parametrize("design,samples", CASES)
def test_seeded_determinism(design, samples):
    a, _ = make_design(PARAMS, design, samples, seed=5)
    b, _ = make_design(PARAMS, design, samples, seed=5)
    pd.testing.assert_frame_equal(a, b)
    if design != "grid":
        c, _ = make_design(PARAMS, design, samples, seed=6)
        assert not np.allclose(a[PARAMS[0].path], c[PARAMS[0].path])


def test_expected_counts_formulae():
    assert expected_points(3, "sobol", 8) == 8 * (2 * 3 + 2)
    assert expected_points(3, "morris", 5) == 5 * (3 + 1)
    assert expected_points(3, "grid", 3) == 27


def test_grid_explicit_values_and_mixed_levels():
    params = [ParamRange(path="a", low=0.0, high=1.0),
              ParamRange(path="b", values=["conservative", "progressive"])]
    frame, _ = make_design(params, "grid", 3, seed=0)
    assert len(frame) == 6
    assert sorted(frame["a"].unique()) == [0.0, 0.5, 1.0]
    assert set(frame["b"]) == {"conservative", "progressive"}


def test_lhs_is_stratified():
    frame, _ = make_design([ParamRange(path="a", low=0.0, high=10.0)], "lhs", 10, seed=3)
    bins = np.floor(frame["a"].to_numpy()).astype(int)
    assert sorted(bins) == list(range(10))  # one point per stratum


@pytest.mark.parametrize("design,samples,fragment", [
    ("sobol", 6, "power of 2"), ("morris", 1, "at least 2"), ("box", 4, "unknown 'box'")])
def test_bad_design_requests(design, samples, fragment):
    with pytest.raises(ValueError, match=fragment):
        make_design(PARAMS, design, samples, seed=0)


def test_values_need_grid():
    with pytest.raises(ValueError, match="needs a range"):
        make_design([ParamRange(path="a", values=[1.0, 2.0])], "lhs", 4, seed=0)


def _replicated(frame: pd.DataFrame, y: np.ndarray, reps: int = 3, noise: float = 0.0) -> pd.DataFrame:
    """A fake batch summary: `reps` runs per point, optional zero-mean noise."""
    rng = np.random.default_rng(0)
    out = pd.DataFrame({"design_point": np.repeat(frame["design_point"].to_numpy(), reps),
                        "y": np.repeat(y, reps) + rng.normal(0.0, noise, len(y) * reps),
                        "status": "ok"})
    return out


def _index(table: pd.DataFrame, param: str, index: str) -> float:
    return float(table.query("parameter == @param and index == @index")["value"].iloc[0])


def test_sobol_recovers_ishigami():
    """Ishigami (a=7, b=0.1): S1 = .31/.44/0, ST = .56/.44/.24 (Saltelli et al. 2008)."""
    params = [ParamRange(path=f"x{i}", low=-np.pi, high=np.pi) for i in range(3)]
    frame, problem = make_design(params, "sobol", 512, seed=1)
    x = frame[["x0", "x1", "x2"]].to_numpy()
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    table = analyze(frame, problem, _replicated(frame, y), ["y"], "sobol", seed=2)
    assert list(table.columns) == COLUMNS
    for param, s1, st in [("x0", 0.314, 0.558), ("x1", 0.442, 0.442), ("x2", 0.0, 0.244)]:
        assert _index(table, param, "S1") == pytest.approx(s1, abs=0.1)
        assert _index(table, param, "ST") == pytest.approx(st, abs=0.1)


def test_morris_linear_model_with_replication_noise():
    """y = 3a + 0.5b + noise: mu* ranks a > b > c and c (no effect) is ~0 after averaging."""
    params = [ParamRange(path=n, low=0.0, high=1.0) for n in "abc"]
    frame, problem = make_design(params, "morris", 20, seed=4)
    y = 3 * frame["a"].to_numpy() + 0.5 * frame["b"].to_numpy()
    table = analyze(frame, problem, _replicated(frame, y, reps=20, noise=0.05), ["y"], "morris", seed=1)
    mu_star = {p: _index(table, p, "mu_star") for p in "abc"}
    assert mu_star["a"] == pytest.approx(3.0, abs=0.1)
    assert mu_star["b"] == pytest.approx(0.5, abs=0.1)
    assert mu_star["c"] < 0.1


def test_failed_points_and_constant_outcomes_are_flagged():
    params = [ParamRange(path=n, low=0.0, high=1.0) for n in "ab"]
    frame, problem = make_design(params, "morris", 4, seed=0)
    summary = _replicated(frame, np.ones(len(frame)), reps=2)
    summary.loc[summary["design_point"] == 0, "status"] = "failed"
    table = analyze(frame, problem, summary, ["y"], "morris")
    assert table["value"].isna().all() and table["note"].str.contains("no value").all()
    ok = _replicated(frame, np.ones(len(frame)), reps=2)
    table = analyze(frame, problem, ok, ["y"], "morris")
    assert (table["value"].fillna(0) == 0).all() and table["note"].str.contains("constant").all()
    with pytest.raises(ValueError, match="unknown 'nope'"):
        analyze(frame, problem, ok, ["nope"], "morris")
