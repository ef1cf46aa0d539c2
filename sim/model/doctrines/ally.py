"""An ally's doctrine: answer launches (M5), build readiness out of fear (M11), table UN
sanctions after major provocations, and choose between sanctions and dialogue as
provocations pile up (M8); a progressive front-line government leans to dialogue (M12)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from sim.model.actions import CLASS_FACTOR_BY_INDEX
from sim.model.draws import AllyDraws
from sim.model.hazard import STANCE_WEIGHT
from sim.model.moves import Move
from sim.model.world import Snapshot, Talks

UN_WINDOW = 3       # M8: days after a major provocation in which a resolution is tabled
SUMMIT_AFTER = 30   # M8: days of talks before a summit is on the table
OFFER_QUIET = 7     # M8: days without a launch before dialogue is offered


def ally(s: Snapshot, me: int, p: SimpleNamespace, u: AllyDraws, on: SimpleNamespace) -> list[Move]:
    prov = s.cast.prov
    dove = progressive(s, me, on)
    temper = np.exp(STANCE_WEIGHT * p.stance - p.progressive_restraint * dove)
    moves = []
    launched = s.last_launch == 1
    if launched.any():  # most days nobody launched: nothing to answer
        factor = CLASS_FACTOR_BY_INDEX[np.maximum(s.last_launch_class, 0)]
        answer = launched & (u.answer < p.response_rate * factor * temper * on.M5)
        if answer.any():
            tri = answer & (u.answer_kind < p.trilateral_share)
            for kind, mask in (("trilateral_drill", tri), ("show_of_force", answer & ~tri)):
                if mask.any():
                    moves.append(Move(kind, me, mask, prov, cause="answer_launch", detail=s.last_launch_class[:, None]))
    fear = s.tension[:, me, prov]
    ready = ~launched & (fear > 0) & (u.readiness < p.readiness_rate * fear * temper * on.M11)
    if ready.any():
        moves.append(Move("readiness", me, ready, prov, cause="fear", detail=fear[:, None]))
    sponsor = (s.last_major <= UN_WINDOW) & ~s.pending_vote
    if sponsor.any():
        sponsor &= u.sponsor < p.un_sponsor * on.M8
        if sponsor.any():
            moves.append(Move("un_sanctions_propose", me, sponsor, prov, cause="major_provocation",
                              detail=(s.last_major,)))
    return moves + policy_moves(s, me, p, u, on, dove, ~sponsor)


def progressive(s: Snapshot, me: int, on: SimpleNamespace) -> np.ndarray:
    """M12: this ally is the front line and its government is progressive."""
    if me != s.cast.front_line:
        return np.zeros(s.R)
    return s.progressive * on.M12


def policy_moves(s: Snapshot, me: int, p: SimpleNamespace, u: AllyDraws, on: SimpleNamespace, dove: np.ndarray,
                 free: np.ndarray) -> list[Move]:
    """M8: in talks, hold rounds and summits; otherwise, now and then, sanctions or an offer."""
    prov, moves = s.cast.prov, []
    talking = free & (s.dialogue >= Talks.TALKS)
    if talking.any():  # M8: talks under way hold rounds and, after a month, summits
        summit_rate = p.summit_rate * (1.0 + (p.progressive_summitry - 1.0) * dove)
        summit = talking & (s.dialogue_days > SUMMIT_AFTER) & (u.tempo < summit_rate)
        talks = talking & ~summit & (u.tempo < p.talks_rate)
        for kind, mask, detail in (("summit", summit, (s.dialogue_days,)), ("talks", talks, None)):
            if mask.any():
                moves.append(Move(kind, me, mask, prov, cause="talks_under_way", detail=detail))
    act = free & (s.dialogue < Talks.TALKS) & (u.tempo < p.response_tempo)
    if not act.any():  # most days this ally makes no policy move
        return moves
    lean = (p.shift_slope * (s.provocations - p.shift_center) * on.M8
            + STANCE_WEIGHT * p.stance - p.progressive_lean * dove)
    sanction = act & (u.choice < 1.0 / (1.0 + np.exp(-lean)))
    quiet = (s.last_launch > OFFER_QUIET) | (on.M8 == 0)  # M8: no offer right after a provocation
    offer = act & ~sanction & (s.dialogue == Talks.NONE) & quiet
    for kind, mask, cause, detail in (
            ("unilateral_sanctions", sanction, "provocations", s.provocations[:, None]),
            ("dialogue_offer", offer, "quiet", (s.provocations, s.last_launch))):
        if mask.any():
            moves.append(Move(kind, me, mask, prov, cause=cause, detail=detail))
    return moves
