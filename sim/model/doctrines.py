"""Role doctrines: the reactive threshold policies of the provocateur, allies and patrons.

Each mechanism of the seed documents (README, "Mechanisms") enters as one named term with
its own parameter, so a scenario can turn a mechanism up, down or off, and the event log
can say which terms drove a move.
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Sequence

from sim.model.actions import CLASS_FACTOR, PREREQUISITE, Action
from sim.model.observation import NEVER, Observation

PROVOCATEUR = {
    "base_rate": 0.012,               # daily launch hazard with every driver at zero
    "drill_response": 1.4,            # M1: log-hazard during and just after allied drills
    "diplomatic_signal": 1.2,         # M2: around adversaries' high-profile diplomatic events
    "election_leverage": 1.1,         # M3: in the run-up to a US presidential election
    "domestic_need": 1.5,             # M4: when internal support sags
    "tension_response": 0.6,          # M7: per unit of tension toward adversaries
    "cooperation_boldness": 1.0,      # M9: emboldened by a patron's military cooperation
    "deterrence_justification": 0.6,  # M10: allied readiness cited as justification
    "dialogue_restraint": 2.0,        # talks under way hold launches back
    "threat_rate": 0.03,              # daily chance of threats/rhetoric at unit tension
    "nuclear_rate": 0.0006,           # daily chance of a nuclear test when capable and tense
    "salvo_mean": 2.0,                # SRBM salvo size scale: 1 + floor(Exp * (salvo_mean - 1)), capped at 6
    "accept_rate": 0.04,              # daily chance of accepting an offer of talks, scaled by sanctions
    "walkout_rate": 0.25,             # daily chance of walking out of talks during a drill
    "talks_fatigue": 0.004,           # daily chance of walking out of talks with no drill under way
}
ALLY = {
    "response_rate": 0.45,     # M5: answer a launch with a show of force or drill
    "trilateral_share": 0.35,  # M5: share of answers that are trilateral drills
    "readiness_rate": 0.02,    # M11: raise readiness, per unit of fear of the provocateur
    "un_sponsor": 0.0,         # M8: chance of proposing UN sanctions after a major provocation
    "response_tempo": 0.01,    # M8: daily chance of a policy move (sanctions or dialogue)
    "shift_center": 4.0,       # M8: provocation stock at which sanctions and dialogue are even
    "shift_slope": 0.8,        # M8: how sharply the response shifts with provocations
    "talks_rate": 0.02,        # daily chance of holding a round while talks are under way
    "summit_rate": 0.004,      # daily chance of a summit after a month of talks
}
PATRON = {
    "cooperation_rate": 0.004,   # M9: daily chance of military cooperation with the provocateur
    "veto_base": 0.1,            # M9: chance of vetoing UN sanctions with no cooperation
    "veto_cooperation": 0.85,    # M9: added veto chance at full cooperation
}


def _hazard_terms(obs: Observation, me: int, p: SimpleNamespace) -> dict[str, float]:
    """Each mechanism's term in the launch log-hazard, by name (used to explain a launch)."""
    return {
        "drill": p.drill_response * (min(obs.drill, 1.5) + obs.drill_after),
        "signal": p.diplomatic_signal * obs.signal,
        "election": p.election_leverage * obs.election,
        "domestic": p.domestic_need * (1.0 - obs.support),
        "tension": p.tension_response * obs.mean_toward_allies(me),
        "cooperation": p.cooperation_boldness * obs.cooperation,
        "deterrence": p.deterrence_justification * obs.allied_readiness(),
        "talks": -p.dialogue_restraint * (obs.dialogue >= 2),
        "stance": 0.7 * p.stance,
    }


def _log_hazard(obs: Observation, tension: float, p: SimpleNamespace) -> float:
    """The same sum as ``_hazard_terms`` without building the dict: this runs every day."""
    x = (p.drill_response * (min(obs.drill, 1.5) + obs.drill_after) + p.diplomatic_signal * obs.signal
         + p.election_leverage * obs.election + p.domestic_need * (1.0 - obs.support)
         + p.tension_response * tension + p.cooperation_boldness * obs.cooperation
         + p.deterrence_justification * obs.allied_readiness() + 0.7 * p.stance)
    x = x - p.dialogue_restraint if obs.dialogue >= 2 else x
    return x if x < 30.0 else 30.0  # a runaway regime saturates the hazard instead of overflowing


def _reason(obs: Observation, me: int, terms: dict[str, float]) -> str:
    top = [k for k, v in sorted(terms.items(), key=lambda kv: -kv[1]) if v > 0.05 and k != "stance"][:2]
    parts = []
    for k in top:
        if k == "drill":
            d = obs.days_since_drill
            parts.append(f"drill {obs.drill_name} under way" if d == 0 else f"drill {obs.drill_name} ended {_days(d)}")
        elif k == "signal":
            parts.append(f"around {obs.signal_name}")
        elif k == "election":
            parts.append(f"run-up to {obs.election_name}")
        elif k == "domestic":
            parts.append(f"internal support {obs.support:.2f}")
        elif k == "cooperation":
            parts.append(f"patron cooperation {obs.cooperation:.2f}")
        elif k == "deterrence":
            parts.append("allied readiness cited as threat")
    parts.append(f"tension {obs.mean_toward_allies(me):.2f}")
    return "; ".join(parts)


def _choose_class(obs: Observation, u: float) -> str:
    cap = obs.capability
    w = {"SRBM": 1.0, "MRBM_IRBM": 0.35, "ICBM": 0.06 * (1 + 3 * obs.election + 2 * obs.signal), "SLBM": 0.1, "HYPERSONIC": 0.08}
    for k in w:
        pre = PREREQUISITE[k]
        ok = cap.get(k, 0.0) > 0.0 and (pre is None or cap.get(pre, 0.0) >= 0.5)
        w[k] = w[k] * (0.3 + cap.get(k, 0.0)) if ok else 0.0
    total = sum(w.values()) or 1.0
    acc = 0.0
    for k, v in w.items():
        acc += v / total
        if u < acc:
            return k
    return "SRBM"


def _target(obs: Observation, terms: dict[str, float]) -> int:
    if terms["election"] > terms["drill"] or terms["signal"] > terms["drill"]:
        return obs.index("US")
    return obs.rok if obs.rok >= 0 else next(j for j in range(obs.n) if obs.roles[j] == "ally")


def provocateur(obs: Observation, me: int, p: SimpleNamespace, u: Sequence[float]) -> tuple[Action, ...]:
    dialogue = _provocateur_dialogue(obs, me, p, u[4]) if obs.dialogue else ()
    if obs.summit:
        return dialogue
    tension = obs.mean_toward_allies(me)
    if u[0] < 1.0 - math.exp(-p.base_rate * math.exp(_log_hazard(obs, tension, p))):
        terms = _hazard_terms(obs, me, p)
        k = _choose_class(obs, u[1])
        salvo = 1 + min(int(-math.log(max(u[2], 1e-12)) * (p.salvo_mean - 1)), 5) if k == "SRBM" else 1 + (u[2] < 0.15)
        return dialogue + (Action(me, "missile_test", _target(obs, terms), k, salvo, _reason(obs, me, terms)),)
    if (tension > 0.6 and obs.dialogue < 2 and obs.capability.get("ICBM", 0) > 0.4
            and u[3] < p.nuclear_rate * math.exp(2 * (tension - 0.6) + 0.7 * p.stance)):
        return dialogue + (Action(me, "nuclear_test", obs.index("US"), reason=_reason(obs, me, _hazard_terms(obs, me, p))),)
    if u[3] < p.threat_rate * tension * math.exp(0.7 * p.stance):
        target = _target(obs, {"election": obs.election, "signal": obs.signal, "drill": obs.drill + obs.drill_after})
        return dialogue + (Action(me, "threat", target, reason=f"tension {tension:.2f}"),)
    return dialogue


def _provocateur_dialogue(obs: Observation, me: int, p: SimpleNamespace, u: float) -> tuple[Action, ...]:
    if obs.dialogue == 1 and u < p.accept_rate * (0.5 + obs.sanctions) * math.exp(-0.7 * p.stance):
        return (Action(me, "dialogue_accept", obs.dialogue_by, reason=f"sanctions pressure {obs.sanctions:.2f}"),)
    if obs.dialogue >= 2 and obs.drill > 0 and u < p.walkout_rate * math.exp(0.7 * p.stance):
        return (Action(me, "walk_out", obs.dialogue_by, reason=f"drill {obs.drill_name} during talks"),)
    if obs.dialogue == 2 and obs.drill == 0 and u < p.talks_fatigue * (0.5 + obs.sanctions) * math.exp(0.7 * p.stance):
        return (Action(me, "walk_out", obs.dialogue_by, reason=f"talks stalled after {obs.dialogue_days} days; sanctions {obs.sanctions:.2f}"),)
    return ()


def ally(obs: Observation, me: int, p: SimpleNamespace, u: Sequence[float]) -> tuple[Action, ...]:
    prov = obs.provocateur
    dove = me == obs.rok and obs.rok_progressive  # M12: a progressive ROK government leans to dialogue
    first: tuple[Action, ...] = ()
    if obs.last_launch == 1:
        esc = math.exp(0.7 * p.stance - (0.7 if dove else 0.0))
        if u[0] < p.response_rate * CLASS_FACTOR.get(obs.last_launch_class, 1.0) * esc:
            kind = "trilateral_drill" if u[1] < p.trilateral_share else "show_of_force"
            first = (Action(me, kind, prov, reason=f"{obs.names[prov]} {obs.last_launch_class} launch yesterday"),)
    else:
        fear = obs.tension[me * obs.n + prov]
        if fear > 0 and u[0] < p.readiness_rate * fear * math.exp(0.7 * p.stance - (0.7 if dove else 0.0)):
            first = (Action(me, "readiness", prov, reason=f"threat perception {fear:.2f}"),)
    if obs.last_major <= 3 and not obs.pending_vote and u[5] < p.un_sponsor:
        return first + (Action(me, "un_sanctions_propose", prov, reason=f"major provocation {_days(obs.last_major)}"),)
    if obs.dialogue < 2 and u[4] >= p.response_tempo:
        return first
    return first + _ally_policy_move(obs, me, p, u, dove)


def _ally_policy_move(obs: Observation, me: int, p: SimpleNamespace, u: Sequence[float], dove: bool) -> tuple[Action, ...]:
    """M8: between dialogue and sanctions, chosen by how many provocations have piled up."""
    prov = obs.provocateur
    if obs.dialogue >= 2:
        if obs.dialogue_days > 30 and u[4] < p.summit_rate * (2.0 if dove else 1.0):
            return (Action(me, "summit", prov, reason=f"talks under way for {obs.dialogue_days} days"),)
        if u[4] < p.talks_rate:
            return (Action(me, "talks", prov, reason="talks under way"),)
        return ()
    if u[4] >= p.response_tempo:
        return ()
    lean = p.shift_slope * (obs.provocations - p.shift_center) + 0.7 * p.stance - (1.0 if dove else 0.0)
    if u[5] < 1.0 / (1.0 + math.exp(-lean)):
        return (Action(me, "unilateral_sanctions", prov, reason=f"provocations {obs.provocations:.1f}"),)
    if obs.dialogue == 0 and obs.last_launch > 7:
        return (Action(me, "dialogue_offer", prov, reason=f"provocations {obs.provocations:.1f}, last launch {_days(obs.last_launch)}"),)
    return ()


def _days(d: int) -> str:
    return "never" if d >= NEVER else "today" if d == 0 else "1 day ago" if d == 1 else f"{d} days ago"


def patron(obs: Observation, me: int, p: SimpleNamespace, u: Sequence[float]) -> tuple[Action, ...]:
    prov = obs.provocateur
    acts: list[Action] = []
    if obs.vote_today and u[5] < p.veto_base + p.veto_cooperation * obs.cooperation:
        acts.append(Action(me, "veto", prov, reason=f"shields partner; cooperation {obs.cooperation:.2f}"))
    rivalry = max(obs.mean_toward_allies(me), 0.0)
    if u[0] < p.cooperation_rate * (1.0 + rivalry) * math.exp(0.7 * p.stance):
        acts.append(Action(me, "military_cooperation", prov, reason=f"rivalry with the allies {rivalry:.2f}"))
    return tuple(acts)
