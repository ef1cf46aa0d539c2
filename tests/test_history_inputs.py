"""History as input: every dated input acts through its mechanism (and not without it), forced
events act as chosen ones do, the state at any start comes from the data, and the observed
launches can be replayed exactly."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from sim.model import EscalationModel, effects
from sim.model.history import start_state
from sim.model.moves import Move
from sim.run import tables
from sim.schema.historical import replay_entries, rows
from sim.schema.loader import load_scenario
from sim.schema.paths import apply_overrides
from tests.effects import Z, count_events, outcome, paired, runs, scenario

DAY = "2023-02-01"


def _with(entry: dict, mid: str, on: bool, **changes):
    """The baseline with one dated input added (or not), and mechanism ``mid`` as given."""
    base = load_scenario("baseline")
    cal = [e.model_dump(mode="json") for e in base.calendar]
    return (scenario("baseline", mid, on, calendar=cal + [entry], **changes),
            scenario("baseline", mid, on, **changes))


def _effects(entry, mid, measure, R=120, **changes):
    """The input's effect with mechanism ``mid`` on, and off: the four arms step as one ensemble."""
    a, b, c, d = runs(*_with(entry, mid, True, **changes), *_with(entry, mid, False, **changes),
                      R=R, daily=True, events=True)
    return paired(measure(a), measure(b)), paired(measure(c), measure(d))


def _mean(key, col=None):
    return lambda m: (m.daily[key] if col is None else m.daily[key][:, :, col]).mean(axis=0)


def _launch_days(m):
    return outcome(m, "test_days")


INPUTS = {  # input -> (entry, mechanism, measure that must rise, extra scenario changes)
    "development line (M6)": ({"type": "development_line", "date": DAY}, "M6",
                              _launch_days, {"world.development_line": False}),
    "succession (M4)": ({"type": "succession", "date": DAY}, "M4", _launch_days, {}),
    "hostility doctrine (M7)": ({"type": "hostility_doctrine", "date": DAY}, "M7",
                                lambda m: m.daily["tension"][:, :, 1].mean(axis=0), {}),
    "border closure keeps sanctions biting (M6)": ({"type": "border_closure", "start": DAY}, "M6",
                                                   _mean("sanctions"), {}),
    "patron milestone (M9)": ({"type": "patron_milestone", "date": DAY, "patron": "Russia", "kind": "summit"}, "M9",
                              _mean("cooperation"), {}),
    "patron treaty (M9)": ({"type": "patron_milestone", "date": DAY, "patron": "Russia", "kind": "treaty"}, "M9",
                           lambda m: m.daily["capability"][-1, :, 2], {}),
    "patron at war (M9)": ({"type": "war", "start": DAY, "actor": "Russia"}, "M9",
                           lambda m: count_events(m, "Russia", ("military_cooperation",)), {"world.patron_at_war": False}),
    "alliance document: readiness (M7)": ({"type": "alliance_document", "date": DAY}, "M7",
                                          lambda m: m.daily["readiness"][:, :, 2].mean(axis=0), {}),
    "alliance document: cohesion (M5)": ({"type": "alliance_document", "date": DAY}, "M5",
                                         lambda m: m.daily["cohesion"].mean(axis=(0, 2)), {}),
    "new leverage administration (M3)": ({"type": "government_change", "date": DAY, "country": "US"}, "M3",
                                         _launch_days, {}),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(INPUTS))
def test_each_dated_input_acts_through_its_mechanism_and_not_without_it(name):
    entry, mid, measure, changes = INPUTS[name]
    on, off = _effects(entry, mid, measure, **changes)
    assert on.z > Z, (name, on)
    assert not off.z > Z, (name, off)


@pytest.mark.slow
def test_monitoring_end_lets_sanctions_erode_faster():
    on, off = _effects({"type": "monitoring_end", "date": DAY}, "M9", lambda m: -_mean("sanctions")(m), R=20)
    assert on.z > Z, on
    assert not off.z > Z, off


# ---- forced events act as chosen ones do ------------------------------------------------------------
def _world_after(mv_source: str, kind: str, actor: str, **fields):
    m = EscalationModel(load_scenario("baseline"), [1, 2], days=5)
    m.step()
    m.vetoed = np.zeros(m.R, dtype=bool)
    mv = Move(kind, m.cast.index(actor), np.array([True, False]), m.cast.prov, source=mv_source, **fields)
    effects.apply(m, 1, mv, np.zeros(m.R))
    w = m.world
    return [w.sanctions.copy(), w.cooperation.copy(), w.capability.copy(), w.dialogue.copy(), w.x.copy(),
            w.cohesion.copy(), w.readiness.copy(), m.vetoed.copy()]


@pytest.mark.parametrize("kind,actor,fields", [
    ("veto", "Russia", {}), ("summit", "Russia", {}), ("summit", "US", {}),
    ("un_sanctions_adopted", "US", {"strength": 0.15}), ("military_cooperation", "Russia", {}),
])
def test_a_forced_event_changes_the_world_as_a_chosen_one(kind, actor, fields):
    chosen, forced = _world_after("policy", kind, actor, **fields), _world_after("calendar", kind, actor, **fields)
    for a, b in zip(chosen, forced):
        np.testing.assert_array_equal(a, b)
    untouched = _world_after("policy", "talks", actor)
    assert any(not np.array_equal(a, b) for a, b in zip(chosen, untouched))


@pytest.mark.slow
def test_calendar_vetoes_and_patron_summits_change_the_state():
    sc = load_scenario("russia_cooperation")
    no_summits = apply_overrides(sc, {"calendar": [e.model_dump(mode="json") for e in sc.calendar
                                                   if e.type not in ("summit", "patron_milestone")]})
    veto = {"type": "sanctions_resolution", "date": "2023-10-01", "outcome": "vetoed", "vetoed_by": ["Russia"]}
    vetoed = apply_overrides(sc, {"calendar": [*sc.model_dump(mode="json")["calendar"], veto]})
    a, b, c = runs(sc, no_summits, vetoed, R=20)
    assert (a.world.cooperation > b.world.cooperation).all()
    assert (c.world.cooperation > a.world.cooperation).all()  # M9: the veto binds the patron closer


def test_government_change_sets_the_front_line_as_an_election_would():
    base = load_scenario("baseline")
    change = [{"type": "government_change", "date": "2023-01-10", "country": "ROK", "orientation": "progressive"}]
    m, off = runs(apply_overrides(base, {"calendar": change}),
                  apply_overrides(base, {"calendar": change, "mechanisms.M12": False}), R=5, days=20)
    assert m.world.progressive.all()
    assert not off.world.progressive.any()


# ---- the state at any start comes from the data ----------------------------------------------------
def _historical(start: str, end: str, **changes):
    sc = load_scenario("historical_2010_2019")
    return apply_overrides(sc, {"start": start, "end": end, **changes})


@pytest.mark.slow
def test_state_at_start_equals_a_replay_from_2010_reaching_that_date():
    """A run from 2010 with the record replayed and every actor scripted passes through the
    state a later start is given: same sanctions, cooperation, government, lines and capability."""
    replay = load_scenario("historical_2010_2019")
    data = replay.model_dump(mode="json", exclude={"history", "sources", "calendar"})
    for spec in data["actors"].values():
        spec["policy"]["name"] = "scripted"
    data["dynamics"]["noise"] = 0.0
    data["historical_calendar"] = {"start": "2010-01-01", "end": "2019-12-31", "replay_until": "2019-12-31"}
    from sim.schema.loader import scenario_from_dict
    daily = EscalationModel(scenario_from_dict(data), 0, daily=True, events=False).run().recorder.daily
    for start in ("2013-06-01", "2016-01-01", "2018-06-01"):
        state = start_state(_historical(start, "2019-12-31"))
        d = (dt.date.fromisoformat(start) - dt.date(2010, 1, 1)).days - 1  # the end of the day before
        assert daily["sanctions"][d, 0] == pytest.approx(state["sanctions"], rel=1e-9), start
        assert daily["cooperation"][d, 0] == pytest.approx(state["cooperation"], rel=1e-9), start
        assert bool(daily["progressive"][d, 0]) == state["progressive"], start
        np.testing.assert_allclose(daily["capability"][d, 0], state["capability"], rtol=1e-9, err_msg=start)


@pytest.mark.slow
def test_a_later_start_takes_the_governments_sanctions_and_lines_in_force():
    moon = start_state(_historical("2018-06-01", "2019-12-31"))
    assert moon["progressive"] and moon["development"] == 0.0  # Moon in office; the 2017 plan declared complete
    state_2025 = start_state(_historical("2025-06-01", "2025-12-31"))
    assert not state_2025["progressive"] and state_2025["hostility"] == 2 and state_2025["monitoring"] == 0
    assert state_2025["cooperation"] > moon["cooperation"]  # the treaty, summits and arms trade of 2019-2024
    at_anchor = load_scenario("historical_2010_2019")
    assert start_state(at_anchor) is None  # 2010-01-01 is the anchor: the stated world


def test_a_start_after_the_record_says_so():
    sc = load_scenario("historical_2020_2025")
    later = apply_overrides(load_scenario("historical_2010_2019"), {"start": "2022-01-01", "end": "2022-12-31"})
    from sim.schema.loader import scenario_from_dict
    text = " ".join(scenario_from_dict({**later.model_dump(mode="json", exclude={"history", "sources"}),
                                        "calendar": [],
                                        "historical_calendar": {"start": "2022-01-01", "end": "2022-12-31"}}).sources)
    assert "to 2019-12-31 only" in text
    assert any("replayed to 2019-12-31" in s for s in sc.sources)


# ---- replay -------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_replay_reproduces_the_observed_record_exactly():
    sc = apply_overrides(load_scenario("historical_2020_2025"), {"end": "2019-12-31"})
    m = EscalationModel(sc, [3, 4], daily=True, events=True).run()
    launch_days = tables.summaries(m)["test_days"]
    assert list(launch_days) == [68, 68]
    ev = tables.events_frame(m)
    got = ev[(ev.rep == 0) & (ev.action == "missile_test")][["date", "missile_class", "salvo"]]
    want = pd.DataFrame([(pd.Timestamp(e["date"]), e["missile_class"], e["salvo"])
                         for e in replay_entries(dt.date(2019, 12, 31)) if e["action"] == "missile_test"],
                        columns=["date", "missile_class", "salvo"])
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want, check_dtype=False)
    assert got["salvo"].sum() == len(rows("observed_launches")) == 114
    nuclear = ev[(ev.rep == 0) & (ev.action == "nuclear_test")]
    assert len(nuclear) == 4  # 2013, 2016 (twice), 2017


@pytest.mark.slow
def test_after_the_replay_the_provocateur_decides_freely_with_no_silent_gap():
    """Once the replay ends the DPRK decides for itself; a replay asked to run past the record
    (to 2021) ends with the record instead of leaving the days after it silent."""
    sc = apply_overrides(load_scenario("historical_2020_2025"), {"end": "2020-12-31"})
    past = apply_overrides(sc, {"history.replay_until": "2021-12-31"})
    free, beyond = runs(sc, past, R=10, daily=True)
    year_2020 = free.daily["test_day"][-366:].sum(axis=0)
    assert year_2020.std() > 0 and (year_2020 > 0).any()
    assert (beyond.daily["test_day"][-366:].sum(axis=0) > 0).any()
