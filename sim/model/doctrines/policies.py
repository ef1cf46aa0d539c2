"""The policies a scenario can name, and the function each actor calls every day.

``reactive`` is the actor's role doctrine; ``hawk`` and ``dove`` are the same doctrine with a
stance of +1 / -1 (``sim.model.setup.STANCE``); ``tit_for_tat`` answers yesterday's move in
kind; ``scripted`` does only what the calendar forces (to replay history or force a move).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Callable

import numpy as np

from sim.model.doctrines.ally import ally
from sim.model.doctrines.patron import patron
from sim.model.doctrines.provocateur import provocateur
from sim.model.moves import Move
from sim.model.world import Snapshot, Talks

Policy = Callable[..., list[Move]]
DOCTRINES: dict[str, Policy] = {"provocateur": provocateur, "ally": ally, "patron": patron}
SRBM = 0


def scripted(s: Snapshot, me: int, p: SimpleNamespace, u, on: SimpleNamespace) -> list[Move]:
    """Do nothing of one's own accord: the calendar's forced actions are all this actor does."""
    return []


def tit_for_tat(s: Snapshot, me: int, p: SimpleNamespace, u, on: SimpleNamespace) -> list[Move]:
    """Answer yesterday's move in kind: escalation with escalation, cooperation with cooperation."""
    c = s.cast
    others = [j for j in range(c.n) if j != me]
    hostile = np.stack([s.t - s.last_hostile[:, me, j] == 1 for j in others], axis=1)
    friendly = np.stack([s.t - s.last_coop[:, me, j] == 1 for j in others], axis=1)
    first_hostile = np.array(others)[np.argmax(hostile, axis=1)]
    first_friendly = np.array(others)[np.argmax(friendly, axis=1)]
    any_h, any_f = hostile.any(axis=1), friendly.any(axis=1)
    role = c.roles[me]
    if role == "provocateur":
        accept = ~any_h & any_f & (s.dialogue == Talks.OFFERED) & s.free
        return [Move("missile_test", me, any_h & s.free, first_hostile, SRBM, 1, cause="tit_for_tat"),
                Move("dialogue_accept", me, accept, first_friendly, cause="tit_for_tat")]
    if role == "patron":
        veto = s.vote_today & (s.tension[:, me, c.prov] < 0.5)
        return [Move("veto", me, veto, c.prov, cause="tit_for_tat")]
    prov_hostile = hostile[:, others.index(c.prov)]
    answer = (s.last_launch == 1) | prov_hostile
    offer = ~answer & friendly[:, others.index(c.prov)] & (s.dialogue == Talks.NONE)
    return [Move("show_of_force", me, answer, c.prov, cause="tit_for_tat"),
            Move("dialogue_offer", me, offer, c.prov, cause="tit_for_tat")]


POLICIES: dict[str, str] = {"reactive": "doctrine", "hawk": "doctrine", "dove": "doctrine",
                            "tit_for_tat": "tit_for_tat", "scripted": "scripted"}
_OTHERS: dict[str, Policy] = {"tit_for_tat": tit_for_tat, "scripted": scripted}


def resolve_policy(name: str, role: str) -> Policy:
    """The function an actor calls each day: reactive variants bind their role's doctrine."""
    family = POLICIES[name]
    return DOCTRINES[role] if family == "doctrine" else _OTHERS[family]
