"""The provocateur's doctrine: launch on a hazard of named terms; test a nuclear device or
threaten when tense; accept or walk out of talks."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from sim.model import hazard
from sim.model.moves import Move
from sim.model.world import Snapshot, Talks
from sim.model.draws import ProvocateurDraws

ACCEPT_FLOOR = 0.5      # M8: even without sanctions an offer is sometimes taken up
NUCLEAR_TENSION = 0.6   # M13: tension above which a nuclear test is considered
NUCLEAR_SLOPE = 2.0     # M13: log-rate rise of a nuclear test per unit of tension above that
NUCLEAR_ICBM_GATE = 0.4  # M6: a nuclear test needs a long-range delivery programme this mature
ICBM = 2                # column of the ICBM class (sim.schema.params.MISSILE_CLASSES)


def provocateur(s: Snapshot, me: int, p: SimpleNamespace, u: ProvocateurDraws, on: SimpleNamespace) -> list[Move]:
    moves = dialogue_moves(s, me, p, u, on)
    calm = ~s.summit  # no provocations during a summit with an ally
    terms = hazard.weights(p, on) * hazard.features(s)
    eta = hazard.log_hazard(terms, p.stance)
    launch = calm & s.free & (u.launch < hazard.launch_probability(p.base_rate, eta))
    if launch.any():
        cls = hazard.choose_class(hazard.class_weights(s, p, on), u.missile_class)
        target = launch_target(s, terms)
        moves.append(Move("missile_test", me, launch, target, cls, hazard.salvo_size(cls, u.salvo, p.salvo_mean),
                          cause="hazard", detail=terms))
    tension = s.prov_tension
    stance = hazard.STANCE_WEIGHT * p.stance
    nuclear = (calm & s.free & ~launch & (tension > NUCLEAR_TENSION) & (s.dialogue < Talks.TALKS)
               & (s.capability[:, ICBM] > NUCLEAR_ICBM_GATE))
    if nuclear.any():  # rarely tense enough: the rate is only worked out when it could matter
        nuclear &= u.escalate < p.nuclear_rate * np.exp(NUCLEAR_SLOPE * (tension - NUCLEAR_TENSION) + stance) * on.M13
        if nuclear.any():
            moves.append(Move("nuclear_test", me, nuclear, leverage_target(s), cause="hazard", detail=terms))
    threat = calm & ~launch & ~nuclear & (u.escalate < p.threat_rate * tension * np.exp(stance) * on.M13)
    if threat.any():
        moves.append(Move("threat", me, threat, launch_target(s, terms), cause="tension", detail=tension[:, None]))
    return moves


def dialogue_moves(s: Snapshot, me: int, p: SimpleNamespace, u: ProvocateurDraws, on: SimpleNamespace) -> list[Move]:
    """Accept an offer when sanctions bite (M8); walk out over a drill (M1) or when talks stall."""
    if not (s.dialogue >= Talks.OFFERED).any():  # no offer and no talks: nothing to accept or walk out of
        return []
    stance = np.exp(hazard.STANCE_WEIGHT * p.stance)
    accept = (s.dialogue == Talks.OFFERED) & (u.dialogue < p.accept_rate * (ACCEPT_FLOOR + s.sanctions) / stance)
    over_drill = (s.dialogue >= Talks.TALKS) & (s.drill > 0) & (u.dialogue < p.walkout_rate * stance * on.M1)
    stalled = ((s.dialogue == Talks.TALKS) & (s.drill * on.M1 == 0) & ~over_drill
               & (u.dialogue < p.talks_fatigue * (ACCEPT_FLOOR + s.sanctions) * stance))
    moves = []
    if accept.any():
        moves.append(Move("dialogue_accept", me, accept, s.dialogue_by, cause="sanctions", detail=s.sanctions[:, None]))
    if over_drill.any():
        moves.append(Move("walk_out", me, over_drill, s.dialogue_by, cause="drill_in_talks"))
    if stalled.any():
        moves.append(Move("walk_out", me, stalled, s.dialogue_by, cause="talks_stalled",
                          detail=(s.dialogue_days, s.sanctions)))
    return moves


def default_target(s: Snapshot) -> np.ndarray:
    """The front-line ally if declared, else the ally the provocateur is most hostile to."""
    c = s.cast
    if c.front_line >= 0:
        return np.full(s.R, c.front_line)
    allies = np.array(c.allies)
    return allies[np.argmax(s.tension[:, c.prov, allies], axis=1)]


def leverage_target(s: Snapshot) -> np.ndarray:
    return np.full(s.R, s.cast.leverage) if s.cast.leverage >= 0 else default_target(s)


def launch_target(s: Snapshot, terms: np.ndarray) -> np.ndarray:
    """Leverage launches (election or diplomatic event outweighing the drill) aim at the leverage power."""
    names = hazard.TERM_NAMES
    drill = terms[:, names.index("drill")]
    leverage = (terms[:, names.index("election")] > drill) | (terms[:, names.index("signal")] > drill)
    return np.where(leverage, leverage_target(s), default_target(s))
