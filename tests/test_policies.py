"""Policies as tables of expected moves: each row is one replication of one case.

A policy is a small pure function of the snapshot, its parameters and its named draws, so
the same row always gives the same moves; these tables pin what each rule does and that a
mechanism's switch removes its paths.
"""

from __future__ import annotations

import pytest

from sim.model.doctrines.ally import ally
from sim.model.doctrines.patron import patron
from sim.model.doctrines.policies import resolve_policy, scripted, tit_for_tat
from sim.model.doctrines.provocateur import provocateur
from sim.model.world import Talks
from tests.movetables import DPRK, JAPAN, ROK, RUSSIA, US, draws, moves_by_row, params_and_gates, snapshot

# (case, draws, expected kinds): the provocateur's doctrine
PROVOCATEUR = [
    ({"drill": 1.0}, {"launch": 0.0}, ["missile_test"]),
    ({"drill": 1.0}, {"launch": 0.999}, []),
    ({"drill": 1.0, "summit": True}, {"launch": 0.0}, []),                     # no provocation at a summit
    ({"drill": 1.0, "free": False}, {"launch": 0.0}, []),                      # replaying the record
    ({"dialogue": Talks.OFFERED, "sanctions": 0.9, "dialogue_by": US}, {"dialogue": 0.0}, ["dialogue_accept"]),
    ({"dialogue": Talks.OFFERED, "sanctions": 0.9}, {"dialogue": 0.9}, []),
    ({"dialogue": Talks.TALKS, "drill": 1.0}, {"dialogue": 0.01}, ["walk_out"]),   # M1: a drill during talks
    ({"dialogue": Talks.TALKS}, {"dialogue": 0.0001}, ["walk_out"]),               # talks stall
    ({"prov_tension": 1.0, "icbm": 0.9}, {"escalate": 0.0}, ["nuclear_test"]),
    ({"prov_tension": 1.0, "icbm": 0.3}, {"escalate": 0.0}, ["threat"]),          # no nuclear test without reach
    ({"prov_tension": 0.5}, {"escalate": 0.001}, ["threat"]),
    ({"prov_tension": 0.5}, {"escalate": 0.5}, []),
]


def _run(policy, role, me, table, **overrides):
    cases = [c for c, _, _ in table]
    snap = snapshot(cases)
    params, on = params_and_gates(len(cases), **overrides)
    return moves_by_row(policy(snap, me, params[me], draws(role, [d for _, d, _ in table]), on), len(cases))


def test_provocateur_moves():
    assert _run(provocateur, "provocateur", DPRK, PROVOCATEUR) == [want for _, _, want in PROVOCATEUR]


def test_launch_details_follow_the_hazard_terms():
    snap = snapshot([{"drill": 1.0}, {"election": 1.0}])
    params, on = params_and_gates(2)
    (launch,) = [m for m in provocateur(snap, DPRK, params[DPRK], draws("provocateur", [{"launch": 0}] * 2), on)
                 if m.kind == "missile_test"]
    assert list(launch.target) == [ROK, US]  # drill-driven at the front line; election-driven at the leverage power
    assert launch.detail.shape == (2, 9) and launch.detail[0, 0] > 0 and launch.detail[1, 2] > 0


@pytest.mark.parametrize("mechanism,case", [("M1", {"drill": 1.0}), ("M2", {"signal": 1.0}),
                                            ("M3", {"election": 1.0}), ("M6", {"development": 1.0})])
def test_switching_a_mechanism_off_removes_its_hazard_term(mechanism, case):
    snap = snapshot([case])
    for on_off, expect in ((True, True), (False, False)):
        params, on = params_and_gates(1, **{f"mechanisms.{mechanism}": on_off})
        (launch,) = [m for m in provocateur(snap, DPRK, params[DPRK], draws("provocateur", [{"launch": 0}]), on)
                     if m.kind == "missile_test"]
        assert (launch.detail[0] != 0).sum() > 0
        key = {"M1": 0, "M2": 1, "M3": 2, "M6": 4}[mechanism]
        assert (launch.detail[0, key] != 0) == expect


ALLY = [
    ({"last_launch": 1, "last_launch_class": 0}, {"answer": 0.0, "answer_kind": 0.9}, ["show_of_force"]),
    ({"last_launch": 1, "last_launch_class": 2}, {"answer": 0.0, "answer_kind": 0.0}, ["trilateral_drill"]),
    ({"last_launch": 1}, {"answer": 0.99}, []),
    ({"fear": 1.0}, {"readiness": 0.0}, ["readiness"]),
    ({"fear": 0.0}, {"readiness": 0.0}, []),
    ({"dialogue": Talks.TALKS, "dialogue_days": 40}, {"tempo": 0.0}, ["summit"]),
    ({"dialogue": Talks.TALKS, "dialogue_days": 5}, {"tempo": 0.001}, ["talks"]),
    ({"provocations": 10.0, "last_launch": 30}, {"tempo": 0.0, "choice": 0.5}, ["unilateral_sanctions"]),
    ({"provocations": 0.0, "last_launch": 30}, {"tempo": 0.0, "choice": 0.5}, ["dialogue_offer"]),
    ({"provocations": 0.0, "last_launch": 3}, {"tempo": 0.0, "choice": 0.5}, []),   # no offer right after a launch
    ({"last_major": 1}, {"sponsor": 0.0}, ["un_sanctions_propose"]),                # the US sponsors (baseline)
    ({"last_major": 1, "pending_vote": True}, {"sponsor": 0.0}, []),
]


def test_ally_moves():
    assert _run(ally, "ally", US, ALLY) == [want for _, _, want in ALLY]


def test_a_progressive_front_line_answers_less_and_talks_more():
    cases = [{"last_launch": 1, "last_launch_class": 0, "progressive": p} for p in (False, True)]
    rates = {f"actors.{a}.policy.params.response_rate": 0.45 for a in ("ROK", "US")}
    params, on = params_and_gates(2, **rates)
    u = draws("ally", [{"answer": 0.3, "answer_kind": 0.9}] * 2)
    assert moves_by_row(ally(snapshot(cases), ROK, params[ROK], u, on), 2) == [["show_of_force"], []]
    assert moves_by_row(ally(snapshot(cases), US, params[US], u, on), 2) == [["show_of_force"]] * 2  # only the front line
    params, on = params_and_gates(2, **{"mechanisms.M12": False}, **rates)
    assert moves_by_row(ally(snapshot(cases), ROK, params[ROK], u, on), 2) == [["show_of_force"]] * 2


@pytest.mark.parametrize("mechanism,case,draw", [
    ("M5", {"last_launch": 1}, {"answer": 0.0}),
    ("M11", {"fear": 1.0}, {"readiness": 0.0}),
    ("M8", {"last_major": 1}, {"sponsor": 0.0}),
])
def test_ally_paths_vanish_with_their_mechanism(mechanism, case, draw):
    table = [(case, draw, None)]
    assert _run(ally, "ally", US, table) != [[]]
    assert _run(ally, "ally", US, table, **{f"mechanisms.{mechanism}": False}) == [[]]


def test_sanctions_lean_ignores_provocations_without_m8():
    cases = [{"provocations": p, "last_launch": 30} for p in (0.0, 20.0)]
    u = [{"tempo": 0.0, "choice": 0.45}] * 2
    assert _run(ally, "ally", JAPAN, list(zip(cases, u, [None] * 2))) == [["dialogue_offer"], ["unilateral_sanctions"]]
    off = _run(ally, "ally", JAPAN, list(zip(cases, u, [None] * 2)), **{"mechanisms.M8": False})
    assert off[0] == off[1]


PATRON = [
    ({"vote_today": True, "cooperation": 0.9}, {"veto": 0.5}, ["veto"]),
    ({"vote_today": True, "cooperation": 0.0}, {"veto": 0.5}, []),
    ({"vote_today": False, "cooperation": 0.9}, {"veto": 0.0}, []),
    ({"rivalry": 1.0}, {"cooperation": 0.005}, ["military_cooperation"]),
    ({"rivalry": 0.0}, {"cooperation": 0.005}, []),
]


def test_patron_moves():
    assert _run(patron, "patron", RUSSIA, PATRON) == [want for _, _, want in PATRON]
    off = _run(patron, "patron", RUSSIA, PATRON, **{"mechanisms.M9": False})
    assert off == [[], [], [], [], []]  # no cooperation, and no cooperation-driven veto (veto_base 0.1 < 0.5)


def test_tit_for_tat_answers_in_kind():
    snap = snapshot([{}, {"last_launch": 1}])
    snap.last_coop[0, US, DPRK] = snap.t - 1
    params, on = params_and_gates(2)
    moves = tit_for_tat(snap, US, params[US], draws("ally", [{}, {}]), on)
    assert moves_by_row(moves, 2) == [["dialogue_offer"], ["show_of_force"]]


def test_scripted_does_nothing_and_names_resolve():
    params, on = params_and_gates(1)
    assert scripted(snapshot([{"drill": 5.0}]), DPRK, params[DPRK], draws("provocateur", [{"launch": 0}]), on) == []
    assert resolve_policy("hawk", "provocateur") is provocateur and resolve_policy("dove", "ally") is ally
    assert resolve_policy("scripted", "patron") is scripted


def test_policies_are_pure():
    cases = [c for c, _, _ in PROVOCATEUR]
    params, on = params_and_gates(len(cases))
    u = draws("provocateur", [d for _, d, _ in PROVOCATEUR])
    first = moves_by_row(provocateur(snapshot(cases), DPRK, params[DPRK], u, on), len(cases))
    assert first == moves_by_row(provocateur(snapshot(cases), DPRK, params[DPRK], u, on), len(cases))
