"""Roles are declared, never read from names: renaming every actor consistently changes nothing."""

from __future__ import annotations

import ast
import functools
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from sim.model import EscalationModel
from sim.run import tables
from sim.schema.loader import load_scenario
from tests.helpers import rename_actors

ROOT = Path(__file__).resolve().parents[1]
OUTCOMES = ("test_days", "missiles", "unilateral_sanctions", "mean_escalation", "final_capability_ICBM",
            "sanctions_adopted", "summits")
R = 200


def _summaries(sc, R=R):
    seeds = np.random.SeedSequence(17).spawn(R)
    return tables.summaries(EscalationModel(sc, seeds, daily=False, events=False).run())


@functools.cache
def _base() -> dict:
    """The unrenamed scenario's summaries, run once per process: every renaming compares with it.
    Replication i is the same run at any R, so its first 100 are ``_summaries(base, 100)``."""
    return _summaries(load_scenario("us_election_runup"))


@pytest.mark.slow
def test_renaming_that_keeps_the_actor_order_gives_identical_runs():
    base = load_scenario("us_election_runup")
    renamed = rename_actors(base, {"US": "USA", "ROK": "RoK"})
    assert set(renamed.actors) == {"DPRK", "Japan", "RoK", "Russia", "USA"}
    a, b = {k: v[:100] for k, v in _base().items()}, _summaries(renamed, 100)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)


NAMES = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8)


@pytest.mark.slow
@settings(max_examples=4, deadline=None, derandomize=True)
@given(names=st.lists(NAMES, min_size=5, max_size=5, unique=True))
def test_any_consistent_renaming_gives_the_same_distribution(names):
    """Another actor order changes which draws each actor reads, not what happens on average:
    every outcome's mean agrees within five standard errors (a false alarm has odds below 1e-6)."""
    base = load_scenario("us_election_runup")
    renamed = rename_actors(base, dict(zip(["DPRK", "Japan", "ROK", "Russia", "US"], names)))
    a, b = _base(), _summaries(renamed)
    for key in OUTCOMES:
        x, y = np.asarray(a[key], float), np.asarray(b[key], float)
        se = math.sqrt(x.var(ddof=1) / len(x) + y.var(ddof=1) / len(y))
        assert abs(x.mean() - y.mean()) <= 5 * se + 1e-12, (key, x.mean(), y.mean(), se)


def test_no_rule_compares_an_actor_name():
    """The model's code never names an actor: roles come from the scenario."""
    for path in (ROOT / "sim" / "model").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in ("DPRK", "US", "ROK", "Japan", "Russia", "China"):
                raise AssertionError(f"{path.relative_to(ROOT)}:{node.lineno} names actor {node.value!r}")


def test_the_schema_never_imports_the_model():
    """Schema and loading are a layer below the model: no module of sim.schema imports sim.model."""
    for path in (ROOT / "sim" / "schema").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(n.startswith(("sim.model", "sim.run")) for n in names), f"{path.name} imports {names}"
