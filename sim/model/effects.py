"""What moves do to the world: one handler per action kind, for chosen and forced moves alike.

A move applies only in the replications of its mask (as index arrays, since moves are sparse).
Every magnitude is a named constant here, with where it comes from, or an effect parameter of
the scenario (``sim.schema.params.EffectParams``); each mechanism's paths are gated by its switch.
"""

from __future__ import annotations

import numpy as np

from sim.model.actions import WEIGHTS, action_score
from sim.model.moves import Move, pick
from sim.model.world import Talks

# Our choices, documented in docs/ODD.md (section 7); none was fitted to one year's launches.
IMPULSE = 0.01          # tension added per unit of escalation score, on the target
ALLY_SHARE = 0.5        # share of it felt by the target's allies, scaled by cohesion
CAPABILITY_GAIN = 0.04  # M6: learning per successful test, before sanctions drag
SANCTIONS_DRAG = 0.7    # M6: at full sanctions, learning runs at 30% (slowed, not stopped)
SUCCESS_BASE, SUCCESS_SLOPE = 0.45, 0.5  # M6: a test succeeds with 0.45 + 0.5 * capability
COOPERATION_STEP = 0.08  # M9: cooperation gained by one act of military cooperation
TECH_PER_COOPERATION = 0.25  # M9: capability gained per unit of cooperation gained (technology transfer)
STRESS = 0.02           # M5: alliance cohesion lost per launch
REASSURANCE = 0.03      # M5: cohesion regained per allied drill or show of force
VOTE_DELAY = 10         # M8: days from a UN sanctions proposal to its vote
UN_STRENGTH = 0.12      # M8: sanctions pressure a proposed resolution carries
UNILATERAL = 0.03       # M8: ... and unilateral sanctions
DIALOGUE_RELIEF = 0.05  # share of the pair's hostility shed by a cooperative act
LAUNCH_SUPPORT, NUCLEAR_SUPPORT, THREAT_SUPPORT = 0.08, 0.25, 0.01  # M4: internal support a show of strength buys
NUCLEAR_PROVOCATIONS = 3.0  # M8: a nuclear test counts as three launches in the provocation stock
LAUNCH_OPINION = 0.01   # M12: the front-line public's dialogue share lost per launch
ACCEPT_OPINION, SUMMIT_OPINION = 0.03, 0.05  # M12: ... and gained when talks start or a summit meets
READINESS_STEP = 0.05   # M11: readiness gained by one build-up
ICBM = 2                # column of the ICBM class


def apply(m, t: int, mv: Move, total: np.ndarray) -> None:
    """Apply one move and add the escalation score it carries to ``total`` (per replication).

    Moves are sparse (a few replications of thousands), so everything here works on the index
    array of the replications that moved, never on full-width masks; a score that is the same
    for every replication stays one number.
    """
    ix = np.flatnonzero(mv.mask)
    if not len(ix):
        return
    kind, weight = mv.kind, WEIGHTS[mv.kind]
    cls = pick(mv.missile_class, ix) if kind == "missile_test" else None
    score = weight.score if cls is None else action_score(kind, cls)
    success = HANDLERS[kind](m, t, mv, ix)
    if weight.score:
        target = mv.target[ix] if isinstance(mv.target, np.ndarray) and mv.target.ndim else int(mv.target)
        _impulse(m, t, mv.actor, ix, target, score if mv.felt is None else score * mv.felt[ix], weight.goldstein <= 0)
    m.recorder.event(t, mv, ix, cls, score, success)
    total[ix] += score


def _launch(m, t: int, mv: Move, ix: np.ndarray) -> np.ndarray:
    """M4, M5, M6, M11, M12: a launch consolidates support, strains alliances, teaches, frightens."""
    w, on, i = m.world, m.on, mv.actor
    cls = pick(mv.missile_class, ix)
    c = w.capability[ix, cls]
    ok = mv.success[ix] if mv.success is not None else m.draws.world.success[ix] < SUCCESS_BASE + SUCCESS_SLOPE * c
    gain = CAPABILITY_GAIN * (1.0 - c) * (1.0 - SANCTIONS_DRAG * w.sanctions[ix]) * on.M6[ix]
    w.capability[ix, cls] = c + gain * ok
    w.last_launch_day[ix], w.last_launch_class[ix] = t, cls
    major = ix[cls == ICBM]
    w.last_major_day[major] = t
    w.provocations[ix] += 1.0
    w.support[ix] = np.minimum(w.support[ix] + LAUNCH_SUPPORT * on.M4[ix], 1.0)
    w.public[ix] = np.maximum(w.public[ix] - LAUNCH_OPINION * on.M12[ix], 0.0)
    w.cohesion[ix] = np.maximum(w.cohesion[ix] - STRESS * on.M5[ix, None], 0.0)
    _regional_fear(m, i, ix, action_score("missile_test", cls))
    return ok


def _nuclear(m, t: int, mv: Move, ix: np.ndarray) -> None:
    w = m.world
    w.last_major_day[ix] = t
    w.provocations[ix] += NUCLEAR_PROVOCATIONS
    w.support[ix] = np.minimum(w.support[ix] + NUCLEAR_SUPPORT * m.on.M4[ix], 1.0)
    _regional_fear(m, mv.actor, ix, action_score("nuclear_test"))


def _threat(m, t: int, mv: Move, ix: np.ndarray) -> None:
    m.world.support[ix] = np.minimum(m.world.support[ix] + THREAT_SUPPORT * m.on.M4[ix], 1.0)


def _regional_fear(m, i: int, ix: np.ndarray, score) -> None:
    """M11: launches raise threat perception in exposed neighbours, not only in the target."""
    rows, others = ix[:, None], m.others[i]  # every other actor at once: (moved, others) cells
    m.world.x[rows, others, i] += IMPULSE * np.reshape(score, (-1, 1)) * m.rel.exposure[rows, others] * m.on.M11[rows]


def _reassure(m, t: int, mv: Move, ix: np.ndarray) -> None:
    """M5: drills and shows of force restore the cohesion of the actor's alliances."""
    for a, _ in m.partners[mv.actor]:
        m.world.cohesion[ix, a] = np.minimum(m.world.cohesion[ix, a] + REASSURANCE * m.on.M5[ix], 1.0)


def _readiness(m, t: int, mv: Move, ix: np.ndarray) -> None:
    step = READINESS_STEP if mv.strength is None else pick(mv.strength, ix)
    m.world.readiness[ix, mv.actor] = np.minimum(m.world.readiness[ix, mv.actor] + step, 1.0)


def _unilateral(m, t: int, mv: Move, ix: np.ndarray) -> None:
    w = m.world
    w.sanctions[ix] += UNILATERAL * (1.0 - w.sanctions[ix])


def _propose(m, t: int, mv: Move, ix: np.ndarray) -> None:
    w = m.world
    w.vote_day[ix], w.vote_proposer[ix], w.vote_strength[ix] = t + VOTE_DELAY, mv.actor, UN_STRENGTH


def _veto(m, t: int, mv: Move, ix: np.ndarray) -> None:
    """M9: a patron's veto blocks today's vote and binds it closer to the provocateur."""
    w = m.world
    if m.cast.vetoes[mv.actor]:
        m.vetoed[ix] = True
    if m.cast.roles[mv.actor] == "patron":
        w.cooperation[ix] += m.effects.veto_shield[ix] * (1.0 - w.cooperation[ix]) * m.on.M9[ix]


def _adopted(m, t: int, mv: Move, ix: np.ndarray) -> None:
    w = m.world
    strength = UN_STRENGTH if mv.strength is None else pick(mv.strength, ix)
    w.sanctions[ix] += strength * (1.0 - w.sanctions[ix])


def _cooperate(m, t: int, mv: Move, ix: np.ndarray, strength=None) -> None:
    """M9: cooperation accumulates and transfers technology to every fielded class."""
    w = m.world
    if strength is None:
        strength = COOPERATION_STEP if mv.strength is None else pick(mv.strength, ix)
    gained = strength * (1.0 - w.cooperation[ix]) * m.on.M9[ix]
    w.cooperation[ix] += gained
    cap = w.capability[ix]
    w.capability[ix] = np.where(cap > 0, cap + TECH_PER_COOPERATION * gained[:, None] * (1.0 - cap), cap)


def _summit(m, t: int, mv: Move, ix: np.ndarray) -> None:
    """With an ally: talks at the top. A patron's summit with the provocateur is a cooperation milestone."""
    if m.cast.roles[mv.actor] == "patron":
        return _cooperate(m, t, mv, ix, m.effects.milestone_cooperation[ix])
    w = m.world
    w.dialogue[ix], w.dialogue_since[ix] = Talks.SUMMIT, t
    w.public[ix] = np.minimum(w.public[ix] + SUMMIT_OPINION * m.on.M12[ix], 1.0)


def _dialogue(m, t: int, mv: Move, ix: np.ndarray) -> None:
    w, kind = m.world, mv.kind
    state = w.dialogue[ix]
    if kind == "dialogue_offer":
        go = ix[state == Talks.NONE]
        w.dialogue[go], w.dialogue_since[go], w.dialogue_by[go] = Talks.OFFERED, t, mv.actor
    elif kind == "dialogue_accept":
        go = ix[state == Talks.OFFERED]
        w.dialogue[go], w.dialogue_since[go] = Talks.TALKS, t
        w.public[go] = np.minimum(w.public[go] + ACCEPT_OPINION * m.on.M12[go], 1.0)
    elif kind == "walk_out":
        go = ix[state >= Talks.OFFERED]
        w.dialogue[go], w.dialogue_since[go] = Talks.NONE, t


def _nothing(m, t: int, mv: Move, ix: np.ndarray) -> None:
    return None


def _impulse(m, t: int, i: int, ix: np.ndarray, j: np.ndarray | int, score, hostile: bool) -> None:
    """The target (and its allies) answer an escalation with hostility; cooperation eases both sides.

    ``j`` is the target: one actor for all (the common case), or one per replication."""
    if isinstance(j, np.ndarray):
        lo, hi = j.min(), j.max()
        if lo != hi:
            for target in np.unique(j):
                one = j == target
                if target >= 0:
                    _impulse_on(m, t, i, ix[one], int(target), score if np.ndim(score) == 0 else score[one], hostile)
            return
        j = int(lo)
    if j >= 0:
        _impulse_on(m, t, i, ix, j, score, hostile)


def _impulse_on(m, t: int, i: int, sub: np.ndarray, target: int, s, hostile: bool) -> None:
    """Cells are addressed in the flattened tensions (``World.cells``): one index array per cell touched."""
    w, n = m.world, m.cast.n
    x, sens = w.cells(), m.rel.sensitivity
    cells = sub * (n * n)
    if hostile:
        x[cells + (target * n + i)] += IMPULSE * s * sens[sub, target]
        for a, other in m.partners[target]:
            if other != i:
                x[cells + (other * n + i)] += ALLY_SHARE * w.cohesion[sub, a] * IMPULSE * s * sens[sub, other]
        w.last_hostile[sub, target, i] = t
    else:
        for a, b in ((target, i), (i, target)):
            at = cells + (a * n + b)
            x[at] -= DIALOGUE_RELIEF * np.maximum(x[at], 0.0)
        w.last_coop[sub, target, i] = t


HANDLERS = {
    "missile_test": _launch, "nuclear_test": _nuclear, "threat": _threat,
    "joint_drill": _reassure, "trilateral_drill": _reassure, "show_of_force": _reassure, "readiness": _readiness,
    "unilateral_sanctions": _unilateral, "un_sanctions_propose": _propose, "veto": _veto,
    "un_sanctions_adopted": _adopted, "un_sanctions_vetoed": _nothing, "military_cooperation": _cooperate,
    "dialogue_offer": _dialogue, "dialogue_accept": _dialogue, "walk_out": _dialogue, "talks": _nothing,
    "summit": _summit, "armed_clash": _nothing,
}
