"""Direction of effect of every mechanism M1-M13, over many seeds with common random numbers.

Each test compares a scenario with the mechanism's driver against the same scenario
without it, over the same seeds, and checks the sign the seed documents claim.
"""

from __future__ import annotations

import numpy as np

from sim.run.single import simulate
from tests.helpers import mean, paired, summaries, variant

SEEDS = 40


def _runs(sc, seeds=SEEDS, days=None):
    return [simulate(sc, seed=s, days=days) for s in range(seeds)]


def _launch_days(results):
    return [set(r.events.loc[r.events.action == "missile_test", "day"]) for r in results]


def test_m1_drills_raise_launches_and_launches_cluster_around_drills():
    with_drills = _runs(variant("baseline"))
    without = _runs(variant("baseline", calendar=[]))
    tests_with = np.mean([r.summary["test_days"] for r in with_drills])
    tests_without = np.mean([r.summary["test_days"] for r in without])
    assert tests_with > tests_without + 1.0
    window = with_drills[0].daily["drill_active"].to_numpy().copy()
    for d in np.flatnonzero(window.copy()):  # drill days and the ten days after
        window[d:d + 11] = True
    share_days = window.mean()
    days = [d for s in _launch_days(with_drills) for d in s]
    share_launches = np.mean([window[d] for d in days])
    assert share_launches > 1.5 * share_days


def test_m2_launches_timed_to_diplomatic_events():
    sc = variant("diplomatic_signalling")
    no_visit = variant(sc, calendar=[e for e in sc.model_dump()["calendar"] if e["type"] == "drill"])
    day = (np.datetime64("2024-03-18") - np.datetime64("2024-01-01")).astype(int)
    near = lambda res: np.mean([any(abs(d - day) <= 3 for d in s) for s in _launch_days(res)])
    assert near(_runs(sc, 80)) > near(_runs(no_visit, 80)) + 0.05


def test_m3_election_runup_raises_launches_and_reach():
    sc = variant("us_election_runup")
    no_election = variant(sc, calendar=[e for e in sc.model_dump()["calendar"] if e["type"] != "election"])
    a, b = summaries(no_election), summaries(sc)
    assert paired(a, b, "test_days").mean() > 1.0
    assert mean(b, "missiles_ICBM") > mean(a, "missiles_ICBM")


def test_m4_domestic_need_drives_demonstrations():
    base = summaries(variant("baseline", **{"mechanisms": {"M4": False}}))
    domestic = summaries(variant("baseline"))
    assert paired(base, domestic, "test_days").mean() > 0.5


def test_m5_allies_answer_launches_and_answers_hold_cohesion():
    runs = _runs(variant("baseline"))
    answers = ("show_of_force", "trilateral_drill")
    after, base = [], []
    for r in runs:
        ev = r.events
        launch_days = set(ev.loc[ev.action == "missile_test", "day"])
        ans = ev[ev.action.isin(answers) & (ev.source == "policy")]
        after.append(np.mean([d - 1 in launch_days for d in ans.day]) if len(ans) else 0.0)
        base.append(len(launch_days) / len(r.daily))
    assert np.mean(after) > 0.8 > 10 * np.mean(base)
    silent = _runs(variant("baseline", **{"mechanisms": {"M5": False}}))
    coh = lambda res: np.mean([r.daily["cohesion_ROK-US"].mean() for r in res])
    assert coh(runs) > coh(silent)


def test_m6_capability_grows_despite_sanctions_but_slower():
    low = summaries(variant("baseline", **{"world.sanctions": 0.0}))
    high = summaries(variant("baseline", **{"world.sanctions": 1.0}))
    start = 0.4
    assert mean(high, "final_capability_ICBM") > start
    assert mean(low, "final_capability_ICBM") > mean(high, "final_capability_ICBM")
    frozen = summaries(variant("baseline", **{"mechanisms": {"M6": False}}))
    assert mean(frozen, "final_capability_ICBM") < mean(high, "final_capability_ICBM")


def test_m7_defence_talks_raise_readiness_insecurity_and_launches():
    sc = variant("security_dilemma")
    no_talks = variant(sc, calendar=[e for e in sc.model_dump()["calendar"] if e["type"] != "defense_talks"])
    a, b = _runs(no_talks), _runs(sc)
    ready = lambda res: np.mean([r.daily["readiness_ROK"].mean() for r in res])
    tension = lambda res: np.mean([r.daily["tension_DPRK->ROK"].mean() for r in res])
    assert ready(b) > ready(a)
    assert tension(b) > tension(a)
    assert paired([r.summary for r in a], [r.summary for r in b], "test_days").mean() > 0.3


def test_m8_response_shifts_from_dialogue_to_sanctions_as_provocations_pile_up():
    from types import SimpleNamespace
    from sim.model.doctrines import ALLY, _ally_policy_move
    from sim.model.observation import Observation

    p = SimpleNamespace(**ALLY, stance=0.0)
    def share(stock):
        moves = [_ally_policy_move(Observation(provocations=stock, last_launch=30), 4, p, [0, 0, 0, 0, 0, u], False)
                 for u in np.linspace(0, 1, 201)]
        kinds = [m[0].kind for m in moves if m]
        return kinds.count("unilateral_sanctions") / len(kinds)
    assert share(0.0) < 0.1 < 0.9 < share(10.0)
    dialogue, sanctions = summaries(variant("dialogue_first")), summaries(variant("sanctions_first"))
    assert mean(sanctions, "unilateral_sanctions") > mean(dialogue, "unilateral_sanctions")
    assert mean(dialogue, "dialogue_episodes") > mean(sanctions, "dialogue_episodes")


def test_m9_russian_cooperation_raises_capability_launches_and_blocks_sanctions():
    on = summaries(variant("russia_cooperation"))
    off = summaries(variant("russia_cooperation", **{"world.russia_cooperation": 0.0, "mechanisms": {"M9": False}}))
    assert mean(on, "final_capability_ICBM") > mean(off, "final_capability_ICBM")
    assert paired(off, on, "test_days").mean() > 0.5
    assert mean(on, "sanctions_vetoed") > mean(off, "sanctions_vetoed")
    rate = lambda rows: sum(r["sanctions_adopted"] for r in rows) / max(1, sum(r["sanctions_adopted"] + r["sanctions_vetoed"] for r in rows))
    assert rate(on) < rate(off)


def test_m10_extended_deterrence_deters_clashes_and_is_cited_as_justification():
    sc = variant("arms_race", **{"actors.US.readiness": 0.9, "actors.ROK.readiness": 0.9})
    on, off = summaries(sc, 30), summaries(variant(sc, mechanisms={"M10": False}), 30)
    assert paired(off, on, "test_days").mean() > 0.5  # the justification side
    held = variant(sc, **{"actors.DPRK.policy.name": "scripted"})  # same tension, no launches to justify
    clashes = lambda s: np.mean([(r.events.action == "armed_clash").sum() for r in _runs(s, 30)])
    assert clashes(held) < clashes(variant(held, mechanisms={"M10": False}))


def test_m11_launches_frighten_neighbours_into_readiness():
    sc = variant("baseline", **{"actors.DPRK.policy.name": "scripted"})
    launches = [{"type": "action", "date": f"2023-{m:02d}-10", "actor": "DPRK", "action": "missile_test",
                 "missile_class": "MRBM_IRBM", "target": "US", "salvo": 2} for m in range(1, 13)]
    quiet, loud = _runs(sc, 20), _runs(variant(sc, calendar=launches), 20)
    fear = lambda res: np.mean([r.daily["tension_Japan->DPRK"].mean() for r in res])
    ready = lambda res: np.mean([r.daily["readiness_Japan"].iloc[-1] for r in res])
    assert fear(loud) > fear(quiet)
    assert ready(loud) > ready(quiet)


def test_m12_dove_government_lowers_testing_and_opens_dialogue():
    dove, hawk = _runs(variant("rok_dove"), 60), _runs(variant("rok_hawk"), 60)
    rok_force = lambda res: np.mean([r.events.query("actor == 'ROK' and action in ['show_of_force', 'readiness', 'trilateral_drill']").shape[0] for r in res])
    rok_talk = lambda res: np.mean([r.events.query("actor == 'ROK' and action in ['dialogue_offer', 'talks', 'summit']").shape[0] for r in res])
    assert rok_force(dove) < rok_force(hawk)
    assert rok_talk(dove) > rok_talk(hawk)
    assert paired([r.summary for r in hawk], [r.summary for r in dove], "mean_escalation").mean() < 0


def test_m12_divided_public_decides_elections():
    election = [{"type": "election", "date": "2023-01-20", "country": "ROK", "kind": "presidential"}]
    def progressive_share(share):
        sc = variant("baseline", calendar=election, **{"world.public_dialogue_share": share})
        return np.mean([simulate(sc, seed=s, days=40).daily["rok_orientation"].iloc[-1] == "progressive" for s in range(30)])
    assert progressive_share(0.9) > progressive_share(0.1) + 0.5


def test_m13_arms_race_brings_more_tests_confrontation_and_armament():
    base, race = summaries(variant("baseline", days=730), 20), summaries(variant("arms_race"), 20)
    assert mean(race, "test_days") > 2 * mean(base, "test_days")
    assert mean(race, "armed_clash") > mean(base, "armed_clash")
    r = simulate(variant("arms_race"), seed=0).daily
    assert r["readiness_Japan"].iloc[-1] > r["readiness_Japan"].iloc[0]
