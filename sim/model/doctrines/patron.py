"""A patron's doctrine (M9): military cooperation with the provocateur, more so in rivalry with
the allies or at war; a veto at the UN vote, likelier the closer the cooperation."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from sim.model.draws import PatronDraws
from sim.model.hazard import STANCE_WEIGHT
from sim.model.moves import Move
from sim.model.world import Snapshot, mean_over


def patron(s: Snapshot, me: int, p: SimpleNamespace, u: PatronDraws, on: SimpleNamespace) -> list[Move]:
    prov, moves = s.cast.prov, []
    veto = s.vote_today & (u.veto < p.veto_base + p.veto_cooperation * s.cooperation * on.M9)
    if veto.any():
        moves.append(Move("veto", me, veto, prov, cause="shield", detail=s.cooperation[:, None]))
    rivalry = np.maximum(mean_over(s.tension[:, me, :], s.cast.allies), 0.0)
    demand = 1.0 + p.war_demand * s.war[:, me]
    rate = p.cooperation_rate * (1.0 + rivalry) * demand * np.exp(STANCE_WEIGHT * p.stance) * on.M9
    cooperate = u.cooperation < rate
    if cooperate.any():
        moves.append(Move("military_cooperation", me, cooperate, prov, cause="rivalry", detail=rivalry[:, None]))
    return moves
