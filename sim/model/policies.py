"""Policies: small, pure functions from (observation, me, parameters, uniforms) to actions.

A policy never draws random numbers itself: it is handed this actor's fixed block of
uniforms for the day, so the same observation and uniforms always give the same moves
(tested with tables of expected moves), and every actor consumes the same number of draws
each day whatever it does, which keeps replications of different scenarios on common
random numbers.

Names a scenario can choose: ``reactive`` (the threshold doctrine of the actor's role),
``hawk`` and ``dove`` (the same doctrine with a stance of +1 / -1), ``tit_for_tat``, and
``scripted`` (only what the calendar forces). Role doctrines live in ``doctrines.py``.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Callable, Sequence

from sim.model.actions import Action
from sim.model.doctrines import ALLY, PATRON, PROVOCATEUR, ally, patron, provocateur
from sim.model.observation import Observation

Policy = Callable[[Observation, int, SimpleNamespace, Sequence[float]], tuple[Action, ...]]
N_UNIFORMS = 6  # uniforms each actor receives per day

DEFAULTS: dict[str, dict[str, float]] = {"provocateur": PROVOCATEUR, "ally": ALLY, "patron": PATRON}
_DOCTRINE = {"provocateur": provocateur, "ally": ally, "patron": patron}


def reactive(obs: Observation, me: int, p: SimpleNamespace, u: Sequence[float]) -> tuple[Action, ...]:
    """The actor's role doctrine: react when what it watches crosses its thresholds."""
    return _DOCTRINE[obs.roles[me]](obs, me, p, u)


def scripted(obs: Observation, me: int, p: SimpleNamespace, u: Sequence[float]) -> tuple[Action, ...]:
    """Do nothing of one's own accord: the calendar's forced actions are all this actor does."""
    return ()


def tit_for_tat(obs: Observation, me: int, p: SimpleNamespace, u: Sequence[float]) -> tuple[Action, ...]:
    """Answer yesterday's move in kind: escalation with escalation, cooperation with cooperation."""
    n, prov = obs.n, obs.provocateur
    others = [j for j in range(n) if j != me]
    hostile = [j for j in others if obs.hostile_since(me, j) == 1]
    friendly = [j for j in others if obs.coop_since(me, j) == 1]
    if me == prov:
        if hostile:
            j = hostile[0]
            return (Action(me, "missile_test", j, "SRBM", 1, f"tit for tat: {obs.names[j]} escalated yesterday"),)
        if friendly and obs.dialogue == 1:
            return (Action(me, "dialogue_accept", friendly[0], reason=f"tit for tat: {obs.names[friendly[0]]} offered talks"),)
        return ()
    if obs.roles[me] == "patron":
        if obs.vote_today and obs.tension_of(me, prov) < 0.5:
            return (Action(me, "veto", prov, reason="tit for tat: shields a partner at the UN vote"),)
        return ()
    if obs.last_launch == 1 or prov in hostile:
        return (Action(me, "show_of_force", prov, reason=f"tit for tat: {obs.names[prov]} launched yesterday"),)
    if prov in friendly and obs.dialogue == 0:
        return (Action(me, "dialogue_offer", prov, reason=f"tit for tat: {obs.names[prov]} cooperated yesterday"),)
    return ()


POLICIES: dict[str, Policy] = {
    "reactive": reactive,
    "hawk": reactive,
    "dove": reactive,
    "tit_for_tat": tit_for_tat,
    "scripted": scripted,
}
STANCE = {"hawk": 1.0, "dove": -1.0}


def resolve_policy(name: str, role: str) -> Policy:
    """The function an actor calls each day: reactive variants bind their role's doctrine directly."""
    fn = POLICIES[name]
    return _DOCTRINE[role] if fn is reactive else fn


def make_params(policy: str, role: str, overrides: dict[str, float]) -> SimpleNamespace:
    """Role defaults, the named variant's stance, then the scenario's overrides (checked)."""
    if policy not in POLICIES:
        raise ValueError(f"unknown policy '{policy}' (expected one of: {', '.join(POLICIES)})")
    values = dict(DEFAULTS[role])
    values["stance"] = STANCE.get(policy, 0.0)
    unknown = sorted(set(overrides) - set(values))
    if unknown:
        raise ValueError(f"unknown parameter '{unknown[0]}' for a {role} (expected one of: {', '.join(sorted(values))})")
    values.update(overrides)
    return SimpleNamespace(**values)
