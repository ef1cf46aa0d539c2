"""One engine for one run or thousands: replication i of an ensemble is a single run, bit for bit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from sim.model import EscalationModel
from sim.run import tables
from sim.schema.loader import load_scenario
from tests.helpers import variant

SCENARIOS = ["baseline", "arms_race", "russia_cooperation", "security_dilemma", "rok_dove", "dialogue_first",
             "diplomatic_signalling", "us_election_runup"]


def _tables(m, rep: int):
    daily = tables.daily_frame(m)
    events = tables.events_frame(m)
    pick = lambda f: f[f.rep == rep].drop(columns="rep").reset_index(drop=True)  # noqa: E731
    return pick(daily), pick(events), tables.summary_rows(m)[rep]


@pytest.mark.slow
@settings(max_examples=10, deadline=None, derandomize=True)
@given(name=st.sampled_from(SCENARIOS), root=st.integers(0, 2**32 - 1), R=st.integers(2, 9), data=st.data())
def test_replication_of_an_ensemble_equals_a_single_run(name, root, R, data):
    sc = load_scenario(name)
    seeds = np.random.SeedSequence(root).spawn(R)
    days = data.draw(st.integers(1, 150))
    ensemble = EscalationModel(sc, seeds, days=days).run()
    rep = data.draw(st.integers(0, R - 1))
    single = EscalationModel(sc, seeds[rep], days=days).run()
    got, want = _tables(ensemble, rep), _tables(single, 0)
    pd.testing.assert_frame_equal(got[0], want[0], check_exact=True)
    pd.testing.assert_frame_equal(got[1], want[1], check_exact=True)
    np.testing.assert_equal(got[2], want[2])


@pytest.mark.slow
def test_replications_of_different_scenarios_step_together():
    """A sweep's design points (other parameters, other calendars) share one ensemble."""
    base = load_scenario("baseline")
    variants = [base, variant(base, **{"actors.DPRK.policy.params.drill_response": 0.2}),
                variant(base, calendar=[]), variant(base, **{"mechanisms.M5": False, "world.sanctions": 0.9})]
    seeds = [np.random.SeedSequence(5, spawn_key=(i,)) for i in range(4)]
    ensemble = EscalationModel(variants, seeds, days=200).run()
    for rep, (sc, seed) in enumerate(zip(variants, seeds)):
        got, want = _tables(ensemble, rep), _tables(EscalationModel(sc, seed, days=200).run(), 0)
        pd.testing.assert_frame_equal(got[0], want[0], check_exact=True)
        np.testing.assert_equal(got[2], want[2])


@pytest.mark.slow
def test_summaries_only_ensemble_keeps_the_same_summaries():
    sc = load_scenario("arms_race")
    seeds = np.random.SeedSequence(3).spawn(6)
    full = EscalationModel(sc, seeds, days=300).run()
    lean = EscalationModel(sc, seeds, days=300, daily=False, events=False).run()
    np.testing.assert_equal(tables.summary_rows(full), tables.summary_rows(lean))
    assert lean.recorder.log == [] and not hasattr(lean.recorder, "daily")


def test_incompatible_scenarios_are_refused():
    base = load_scenario("baseline")
    other = variant(base, days=100)
    try:
        EscalationModel([base, other], [1, 2])
    except ValueError as err:
        assert "separate ensembles" in str(err)
    else:
        raise AssertionError("an ensemble of two horizons must be refused")
