"""Policies as tables of expected moves: given an observation and the day's uniforms, the move.

Observations list actors as DPRK 0, Japan 1, ROK 2, Russia 3, US 4 (the model's sorted order).
"""

from __future__ import annotations

import pytest

from sim.model.observation import Observation
from sim.model.policies import POLICIES, make_params, resolve_policy

DPRK, JAPAN, ROK, RUSSIA, US = range(5)
LOW, HIGH = [0.0] * 6, [0.999] * 6  # uniforms that make every chance happen / none happen


def moves(policy, role, obs, u, **params):
    fn = resolve_policy(policy, role)
    out = fn(obs, {"provocateur": DPRK, "ally": ROK, "patron": RUSSIA}[role] if "me" not in params else params.pop("me"),
             make_params(policy, role, params), u)
    return [(a.kind, obs.names[a.target] if a.target >= 0 else "", a.missile_class) for a in out]


CASES = [
    # (policy, role, observation fields, uniforms, params, expected moves)
    ("reactive", "provocateur", {}, HIGH, {}, []),
    ("reactive", "provocateur", {"drill": 1.0, "drill_name": "Freedom Shield"}, [0.0, 0.0, 0.9, 0.9, 0.9, 0.9], {}, [("missile_test", "ROK", "SRBM")]),
    ("reactive", "provocateur", {"election": 1.0, "election_name": "US election"}, [0.0, 0.0, 0.9, 0.9, 0.9, 0.9], {}, [("missile_test", "US", "SRBM")]),
    ("reactive", "provocateur", {"summit": "meeting"}, LOW, {}, []),
    ("reactive", "provocateur", {"dialogue": 1, "dialogue_by": US}, [0.9, 0.9, 0.9, 0.9, 0.0, 0.9], {}, [("dialogue_accept", "US", "")]),
    ("reactive", "provocateur", {"dialogue": 2, "dialogue_by": US, "drill": 1.0}, [0.9, 0.9, 0.9, 0.9, 0.0, 0.9], {}, [("walk_out", "US", "")]),
    ("reactive", "provocateur", {"tension": [0.0, 1.0, 1.0, 0, 1.0] + [0.0] * 20}, [0.99, 0.5, 0.5, 0.0, 0.9, 0.9], {}, [("threat", "ROK", "")]),
    ("reactive", "ally", {"last_launch": 1, "last_launch_class": "ICBM"}, [0.0, 0.0, 0.5, 0.5, 0.9, 0.9], {}, [("trilateral_drill", "DPRK", "")]),
    ("reactive", "ally", {"last_launch": 1, "last_launch_class": "SRBM"}, [0.0, 0.9, 0.5, 0.5, 0.9, 0.9], {}, [("show_of_force", "DPRK", "")]),
    ("reactive", "ally", {"last_launch": 9}, HIGH, {}, []),
    ("reactive", "ally", {"last_major": 1}, [0.9, 0.9, 0.9, 0.9, 0.9, 0.1], {"un_sponsor": 0.5}, [("un_sanctions_propose", "DPRK", "")]),
    ("reactive", "ally", {"last_major": 1, "pending_vote": True}, [0.9, 0.9, 0.9, 0.9, 0.9, 0.1], {"un_sponsor": 0.5}, []),
    ("reactive", "ally", {"provocations": 10.0, "last_launch": 20}, [0.9, 0.9, 0.9, 0.9, 0.0, 0.5], {}, [("unilateral_sanctions", "DPRK", "")]),
    ("reactive", "ally", {"provocations": 0.0, "last_launch": 20}, [0.9, 0.9, 0.9, 0.9, 0.0, 0.5], {}, [("dialogue_offer", "DPRK", "")]),
    ("reactive", "patron", {"vote_today": True, "cooperation": 0.9}, [0.9, 0.9, 0.9, 0.9, 0.9, 0.5], {}, [("veto", "DPRK", "")]),
    ("reactive", "patron", {"vote_today": True, "cooperation": 0.0}, [0.9, 0.9, 0.9, 0.9, 0.9, 0.5], {}, []),
    ("reactive", "patron", {}, [0.0, 0.9, 0.9, 0.9, 0.9, 0.9], {}, [("military_cooperation", "DPRK", "")]),
    ("scripted", "provocateur", {"drill": 1.5, "election": 1.0}, LOW, {}, []),
    ("scripted", "ally", {"last_launch": 1}, LOW, {}, []),
    ("tit_for_tat", "provocateur", {"t": 10, "last_hostile": [-10**6] * 4 + [9] + [-10**6] * 20}, HIGH, {}, [("missile_test", "US", "SRBM")]),
    ("tit_for_tat", "provocateur", {"t": 10}, LOW, {}, []),
    ("tit_for_tat", "ally", {"last_launch": 1}, HIGH, {}, [("show_of_force", "DPRK", "")]),
    ("tit_for_tat", "ally", {"t": 10, "last_coop": [-10**6] * 10 + [9] + [-10**6] * 14}, HIGH, {}, [("dialogue_offer", "DPRK", "")]),
]


@pytest.mark.parametrize("policy,role,fields,u,params,expected", CASES)
def test_expected_moves(policy, role, fields, u, params, expected):
    assert moves(policy, role, Observation(**fields), u, **params) == expected


def test_hawk_and_dove_bracket_reactive():
    """The same uniforms: a hawk launches where reactive waits, a dove waits where reactive launches."""
    obs = Observation(drill=1.0, drill_name="Freedom Shield")
    fn = resolve_policy("reactive", "provocateur")
    chance = lambda name: next(u for u in [i / 1000 for i in range(1000, 0, -1)]
                               if fn(obs, DPRK, make_params(name, "provocateur", {}), [u, 0.5, 0.5, 0.99, 0.99, 0.99]))
    assert chance("dove") < chance("reactive") < chance("hawk")


def test_policies_are_pure():
    obs = Observation(drill=1.0, last_launch=1, vote_today=True, cooperation=0.5)
    for name in POLICIES:
        for role, me in (("provocateur", DPRK), ("ally", ROK), ("patron", RUSSIA)):
            fn, p = resolve_policy(name, role), make_params(name, role, {})
            u = [0.01, 0.3, 0.5, 0.2, 0.1, 0.05]
            assert fn(obs, me, p, u) == fn(obs, me, p, u)


def test_unknown_parameter_is_named():
    with pytest.raises(ValueError, match="unknown parameter 'drill_respons'.*drill_response"):
        make_params("reactive", "provocateur", {"drill_respons": 1.0})
    with pytest.raises(ValueError, match="unknown policy 'hawkish'"):
        make_params("hawkish", "ally", {})


def test_reason_explains_the_trigger():
    obs = Observation(drill=0.0, drill_after=0.6, days_since_drill=2, drill_name="Freedom Shield 23",
                      tension=[0.0, 0.7, 0.7, 0.0, 0.7] + [0.0] * 20)
    fn = resolve_policy("reactive", "provocateur")
    (act,) = fn(obs, DPRK, make_params("reactive", "provocateur", {}), [0.0, 0.0, 0.9, 0.9, 0.9, 0.9])
    assert "drill Freedom Shield 23 ended 2 days ago" in act.reason and "tension 0.70" in act.reason
