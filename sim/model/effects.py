"""What actions and calendar entries do to the world.

Each effect is named after the mechanism it carries (README, "Mechanisms"). Constants are
gathered here so a reader can see every magnitude at once.
"""

from __future__ import annotations

from sim.model.actions import WEIGHTS, Action, action_score

IMPULSE = 0.01          # tension added per unit of escalation score, on the target
ALLY_SHARE = 0.5        # share felt by the target's allies (scaled by cohesion)
CAPABILITY_GAIN = 0.04  # M6: learning per successful test, before sanctions drag
SANCTIONS_DRAG = 0.7    # M6: at full sanctions, learning runs at 30% (slowed, not stopped)
TECH_TRANSFER = 0.02    # M9: capability gained per act of patron military cooperation
STRESS = 0.02           # M5: alliance cohesion lost per launch-equivalent
REASSURANCE = 0.03      # M5: cohesion regained per allied answer
VOTE_DELAY = 10         # M8: days from a UN sanctions proposal to its vote
UN_STRENGTH = 0.12      # sanctions pressure added by an adopted resolution
UNILATERAL = 0.03       # ... and by unilateral sanctions
DIALOGUE_RELIEF = 0.05  # share of adversarial tension shed by a round of talks


def apply_action(w, t: int, a: Action, success_u: float) -> tuple[float, bool]:
    """Apply one action; return its escalation score and whether it succeeded."""
    kind, i, j = a.kind, a.actor, a.target
    score = action_score(kind, a.missile_class)
    ok = True
    if kind == "missile_test":
        ok = _launch(w, t, a, success_u)
    elif kind == "nuclear_test":
        w.last_major_day, w.provocations, w.support = t, w.provocations + 3.0, min(w.support + 0.25, 1.0)
        _regional_fear(w, i, score)
    elif kind == "threat":
        w.support = min(w.support + 0.01, 1.0)
    elif kind in ("joint_drill", "trilateral_drill", "show_of_force"):
        _reassure(w, i)
    elif kind == "readiness":
        w.readiness[i] = min(w.readiness[i] + 0.05, 1.0)
        w.readiness_changed = True
    elif kind == "unilateral_sanctions":
        w.sanctions += UNILATERAL * (1.0 - w.sanctions)
    elif kind == "un_sanctions_propose":
        w.pending.append((t + VOTE_DELAY, i, UN_STRENGTH))
    elif kind == "military_cooperation":
        _cooperate(w)
    else:
        _dialogue(w, t, a)
    if j >= 0 and score:
        _impulse(w, t, i, j, score if WEIGHTS[kind].goldstein <= 0 else -score)
    return score, ok


def _impulse(w, t: int, i: int, j: int, score: float) -> None:
    """The target (and its allies) answer an escalation with hostility; cooperation eases both sides.

    ``score`` is signed by the act's meaning for the pair (Goldstein sign), not by its weight in
    the regional index: military cooperation raises the index but eases the two partners.
    """
    n = w.n
    if score > 0:
        w.x[j * n + i] += IMPULSE * score * w.sensitivity[j]
        for (a, b), c in w.cohesion.items():
            k = b if a == j else a if b == j else -1
            if k >= 0 and k != i:
                w.x[k * n + i] += ALLY_SHARE * c * IMPULSE * score * w.sensitivity[k]
        w.last_hostile[j * n + i] = t
    else:
        for k in (j * n + i, i * n + j):
            w.x[k] -= DIALOGUE_RELIEF * max(w.x[k], 0.0)
        w.last_coop[j * n + i] = t


def _launch(w, t: int, a: Action, u: float) -> bool:
    """M4, M5, M6, M11: a launch consolidates support, strains alliances, teaches, frightens."""
    k = a.missile_class
    c = w.capability[k]
    ok = u < 0.45 + 0.5 * c
    if ok and w.learning:
        gain = CAPABILITY_GAIN * (1.0 - c) * (1.0 - SANCTIONS_DRAG * w.sanctions)
        w.capability[k] = c + gain
    w.last_launch_day, w.last_launch_class = t, k
    if k == "ICBM":
        w.last_major_day = t
    w.provocations += 1.0
    w.support = min(w.support + 0.08, 1.0)
    w.public_dialogue = max(w.public_dialogue - 0.01, 0.0)
    for pair in w.cohesion:
        w.cohesion[pair] = max(w.cohesion[pair] - STRESS, 0.0)
    _regional_fear(w, a.actor, action_score("missile_test", k))
    return ok


def _regional_fear(w, i: int, score: float) -> None:
    """M11: launches raise threat perception in exposed neighbours, not only in the target."""
    n = w.n
    for k in range(n):
        if k != i and w.exposure[k]:
            w.x[k * n + i] += IMPULSE * score * w.exposure[k]


def _reassure(w, i: int) -> None:
    for pair in w.cohesion:
        if i in pair:
            w.cohesion[pair] = min(w.cohesion[pair] + REASSURANCE, 1.0)


def _cooperate(w) -> None:
    """M9: cooperation accumulates, transfers technology and offsets sanctions (see relax)."""
    w.cooperation += 0.08 * (1.0 - w.cooperation)
    for k, c in w.capability.items():
        if c > 0:
            w.capability[k] = c + TECH_TRANSFER * (1.0 - c)


def _dialogue(w, t: int, a: Action) -> None:
    kind = a.kind
    if kind == "dialogue_offer" and w.dialogue == 0:
        w.dialogue, w.dialogue_since, w.dialogue_by = 1, t, a.actor
    elif kind == "dialogue_accept" and w.dialogue == 1:
        w.dialogue, w.dialogue_since = 2, t
        w.public_dialogue = min(w.public_dialogue + 0.03, 1.0)
    elif kind == "summit" and w.dialogue >= 1:
        w.dialogue, w.dialogue_since = 3, t
        w.public_dialogue = min(w.public_dialogue + 0.05, 1.0)
    elif kind == "walk_out" and w.dialogue >= 1:
        w.dialogue, w.dialogue_since = 0, t


def settle_dialogue(w, t: int) -> None:
    """Offers lapse after a month; a summit day gives way to talks."""
    if w.dialogue == 1 and t - w.dialogue_since > 30:
        w.dialogue, w.dialogue_since = 0, t
    elif w.dialogue == 3 and t - w.dialogue_since >= 1:
        w.dialogue, w.dialogue_since = 2, t


def resolve_votes(w, t: int, vetoes: list[int]) -> tuple[str, int, float] | None:
    """M8/M9: a proposal due today is adopted unless a veto-holder vetoed it today."""
    due = [p for p in w.pending if p[0] == t]
    if not due:
        return None
    w.pending = [p for p in w.pending if p[0] != t]
    _, proposer, strength = due[0]
    if any(w.veto[v] for v in vetoes):
        return "un_sanctions_vetoed", proposer, 0.0
    w.sanctions += strength * (1.0 - w.sanctions)
    return "un_sanctions_adopted", proposer, strength
