"""The world's own motion each day: Richardson's tension step with the day's drive, the slow
drift of stocks, armed clashes, and the escalation index.

With actions off and noise zero, each directed pair follows Richardson's arms-race model,

    x_ij(t+1) = x_ij + dt * (a_ij * x_ji - m_i * x_ij + g_ij),

computed elementwise on (R, n, n) arrays: the cost grows as n^2 per replication.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from sim.model.ladder import escalation_index, ladder_level
from sim.model.moves import Move
from sim.model.world import World, mean_over

CAP = 1e6                          # tensions are clipped here so a runaway (unstable) regime cannot overflow
SANCTIONS_EVASION = 1 / 1095       # daily share of sanctions pressure lost to evasion (about three years)
EVASION_COOPERATION = 2.0          # M9: at full cooperation, evasion and research run three times as fast
COOPERATION_KEEP = 1 - 1 / 1095    # patron cooperation fades over about three years without new acts
PROVOCATION_KEEP = 0.5 ** (1 / 90)  # M8: provocations are remembered with a 90-day half-life
SUPPORT_EROSION = 0.0015           # M4: daily erosion of internal support, faster under sanctions
RESEARCH = 0.0003                  # M6: daily R&D drift of fielded classes toward maturity
RESEARCH_DRAG = 0.7                # M6: at full sanctions, research runs at 30%
DEVELOPMENT_RESEARCH = 1.0         # M6: a declared development line doubles research
WEEK = 7                           # the slowest drifts are applied once a week, compounded
WEEK_365 = 1 - (1 - 1 / 365) ** WEEK  # weekly share of the gap closed by a one-year drift (readiness, opinion)
WEEK_180 = 1 - (1 - 1 / 180) ** WEEK  # ... and by a half-year drift (alliance cohesion)
DETERRENCE = 0.6                   # M10: full deterrence (readiness x cohesion = 1) cuts clash risk by 60%


def tension_step(m, t: int, noise: np.ndarray) -> None:
    """One Richardson step plus grievance, noise, drill pressure (M1) and readiness pressure (M7)."""
    w, c, s = m.world, m.cast, m.coef
    x = w.x
    new = x * s.keep
    new += s.react * x.transpose(0, 2, 1)
    new += s.grieve
    new += (s.noise[:, None] * noise).reshape(new.shape)  # zero on the diagonal, which nothing reads
    prov = new[:, c.prov, :]
    hostile = s.hostility * w.hostility * m.on.M7
    drills = m.inputs_today.drill_parts * (m.effects.drill_pressure * m.on.M1 * s.dt)[:, None]
    for j in c.allies:
        lift = m.effects.readiness_pressure * np.maximum(w.readiness[:, j] - w.readiness0[:, j], 0.0) * m.on.M7
        prov[:, j] += (hostile + lift) * s.dt + drills[:, j]
    np.clip(new, -CAP, CAP, out=new)
    w.x = new


def relax(m, date: dt.date) -> None:
    """Sanctions are evaded, stocks fade; readiness, cohesion and opinion drift back; research advances."""
    w, on, e = m.world, m.on, m.effects
    closure = m.inputs_today.closure
    evasion = (SANCTIONS_EVASION * (1.0 + EVASION_COOPERATION * w.cooperation * on.M9)
               * (1.0 - e.closure_evasion_cut * closure * on.M6) * (1.0 + e.monitoring_gap * (1.0 - w.monitoring) * on.M9))
    w.sanctions -= w.sanctions * evasion
    w.cooperation *= COOPERATION_KEEP
    w.provocations *= PROVOCATION_KEEP
    w.support = np.maximum(w.support - SUPPORT_EROSION * (1.0 + w.sanctions), 0.0)
    if date.toordinal() % WEEK:
        return
    w.public += (w.public0 - w.public) * WEEK_365
    w.readiness += (w.readiness0 - w.readiness) * WEEK_365
    w.cohesion += (w.cohesion0 - w.cohesion) * WEEK_180
    drift = (WEEK * RESEARCH * (1.0 - RESEARCH_DRAG * w.sanctions) * (1.0 + EVASION_COOPERATION * w.cooperation * on.M9)
             * (1.0 - e.closure_research_cut * closure * on.M6) * (1.0 + DEVELOPMENT_RESEARCH * w.development) * on.M6)
    cap = w.capability
    w.capability = np.where(cap > 0, cap + drift[:, None] * (1.0 - cap), cap)


def deterrence(w: World) -> np.ndarray:
    """M10: mean allied readiness times mean alliance cohesion, 0..1."""
    c = w.cast
    coh = mean_over(w.cohesion, tuple(range(len(c.alliances))))
    return mean_over(w.readiness, c.allies) * coh


def clash(m, t: int, u: np.ndarray) -> Move | None:
    """M13 (with M10): past a tension threshold an armed clash becomes possible; deterrence dampens it."""
    w, c, d = m.world, m.cast, m.dyn
    allies = m.allies
    mutual = 0.5 * (w.x[:, c.prov, allies] + w.x[:, allies, c.prov])  # (R, allies)
    excess = mutual.max(axis=1) - d.clash_threshold
    hit = excess > 0
    if not hit.any():  # most days no pair is past the threshold
        return None
    rate = d.clash_rate * excess * (1.0 - DETERRENCE * deterrence(w) * m.on.M10) * m.on.M13
    hit &= u < rate
    if not hit.any():
        return None
    return Move("armed_clash", c.prov, hit, allies[np.argmax(mutual, axis=1)], cause="mutual_tension",
                detail=(excess + d.clash_threshold)[:, None], source="world")


def index_and_level(m, clashed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    flat = m.world.flat()
    tension = mean_over(flat, m.adversarial)
    index = escalation_index(tension, m.world.events_stock)
    return index, ladder_level(index, clashed)
