"""Dated calendar entries taking effect on their day, for the replications that run that calendar.

State changes (a government, a declared line, a closed panel) apply here; entries that are
acts (a drill, a summit, a UN vote, a forced launch) become moves with ``source="calendar"``
and go through the same handlers as chosen moves (``sim.model.effects``), so a forced event
changes the world exactly as the same event does when an actor chooses it.
"""

from __future__ import annotations

import numpy as np

from sim.model.moves import Move
from sim.model.world import Talks
from sim.schema.params import MISSILE_CLASSES


def calendar_moves(m, t: int) -> list[Move]:
    """Apply today's state changes; return the moves the calendars force today."""
    out: list[Move] = []
    for g, comp in enumerate(m.calendars):
        for k, ev in enumerate(comp.events.get(t, ())):
            if ev.type != "summit_end":
                moves = HANDLERS[ev.type](m, t, ev, m.group_masks[g]) or []
                for mv in moves:
                    mv.source, mv.order, mv.label = "calendar", k, ev.name or ev.type.replace("_", " ")
                out += moves
    return out


def summit_ends(m, t: int) -> None:
    """A summit's last day decides what follows it: talks, or a breakdown that rankles (M8)."""
    w, c = m.world, m.cast
    for g, comp in enumerate(m.calendars):
        for ev in comp.events.get(t, ()):
            if ev.type != "summit_end":
                continue
            ix = np.flatnonzero(m.group_masks[g])
            if ev.summit.outcome == "no_agreement":
                w.dialogue[ix], w.dialogue_since[ix] = Talks.NONE, t
                for j in c.allies:
                    w.x[ix, c.prov, j] += m.effects.breakdown_tension[ix] * m.on.M8[ix]
            else:
                w.dialogue[ix], w.dialogue_since[ix] = Talks.TALKS, t


def set_orientation(m, ix: np.ndarray, progressive: np.ndarray) -> None:
    """M12: the front-line ally's government changes (an election result or a dated change)."""
    keep = m.on.M12[ix] > 0
    m.world.progressive[ix[keep]] = progressive[keep]


def _actors(m, names, default) -> list[int]:
    return [m.cast.index(a) for a in names] if names is not None else list(default)


def _drill(m, t, ev, mask):
    """A scheduled exercise begins; the provocateur feels it as a threat only through M1 (its
    reading of exercises as invasion rehearsals)."""
    parts = _actors(m, ev.participants, m.cast.drill_hosts)
    kind = "trilateral_drill" if len(parts) > 2 else "joint_drill"
    return [Move(kind, i, mask, m.cast.prov, cause="calendar", felt=m.on.M1) for i in parts if i != m.cast.prov]


def _summit(m, t, ev, mask):
    c = m.cast
    ix = [c.index(a) for a in ev.participants]
    host = next((i for i in ix if c.roles[i] == "ally"), None)
    if host is None:
        host = next(i for i in ix if c.roles[i] == "patron")
    return [Move("summit", host, mask, c.prov, cause="calendar")]


def _election(m, t, ev, mask):
    c = m.cast
    if ev.kind == "presidential" and c.index(ev.country) == c.front_line:
        ix = np.flatnonzero(mask)
        set_orientation(m, ix, m.draws.world.election[ix] < m.world.public[ix])


def _government(m, t, ev, mask):
    if m.cast.index(ev.country) == m.cast.front_line and ev.orientation is not None:
        ix = np.flatnonzero(mask)
        set_orientation(m, ix, np.full(len(ix), ev.orientation == "progressive"))


def _resolution(m, t, ev, mask):
    c = m.cast
    sponsor = c.index(ev.sponsor) if ev.sponsor else c.sponsor
    if ev.outcome == "adopted":
        return [Move("un_sanctions_adopted", sponsor, mask, c.prov, strength=ev.strength, cause="calendar")]
    if ev.outcome == "vetoed":
        vetoes = [Move("veto", c.index(v), mask, c.prov, cause="calendar") for v in ev.vetoed_by]
        return vetoes + [Move("un_sanctions_vetoed", sponsor, mask, c.prov, cause="calendar")]
    return []


def _defense_talks(m, t, ev, mask):
    """M7: talks raise readiness (a posture the provocateur notices); without M7 they change nothing."""
    mask = mask & (m.on.M7 > 0)
    return [Move("readiness", i, mask, m.cast.prov, strength=m.effects.defense_talks_readiness, cause="calendar")
            for i in _actors(m, ev.participants, m.cast.drill_hosts)]


def _alliance_document(m, t, ev, mask):
    parts = set(_actors(m, ev.participants, m.cast.drill_hosts))
    ix = np.flatnonzero(mask)
    w = m.world
    for a, pair in enumerate(m.cast.alliances):
        if set(pair) <= parts:
            w.cohesion[ix, a] = np.minimum(w.cohesion[ix, a] + m.effects.alliance_cohesion[ix] * m.on.M5[ix], 1.0)
    return _defense_talks(m, t, ev, mask)


def _shock(m, t, ev, mask):
    ix, w = np.flatnonzero(mask), m.world
    for dyad, amount in ev.tension.items():
        a, _, b = dyad.partition("->")
        w.x[ix, m.cast.index(a.strip()), m.cast.index(b.strip())] += amount
    w.sanctions[ix] = np.clip(w.sanctions[ix] + ev.sanctions, 0.0, 1.0)
    w.cooperation[ix] = np.clip(w.cooperation[ix] + ev.cooperation, 0.0, 1.0)


def _development(m, t, ev, mask):
    m.world.development[mask] = 1.0 if ev.declared == "start" else 0.0


def _hostility(m, t, ev, mask):
    m.world.hostility[mask] += 1.0


def _succession(m, t, ev, mask):
    ix, w = np.flatnonzero(mask), m.world
    loss = m.params[m.cast.prov].succession_shock[ix] * m.on.M4[ix]
    w.support[ix] = np.maximum(w.support[ix] - loss, 0.0)


def _monitoring_end(m, t, ev, mask):
    m.world.monitoring[mask] = 0.0


def _milestone(m, t, ev, mask):
    c, e = m.cast, m.effects
    patron = c.index(ev.patron)
    if ev.kind in ("summit", "visit"):
        return [Move("summit", patron, mask, c.prov, cause="calendar")]
    strength = e.treaty_cooperation if ev.kind == "treaty" else e.milestone_cooperation
    return [Move("military_cooperation", patron, mask, c.prov, strength=strength, cause="calendar")]


def _forced(m, t, ev, mask):
    c = m.cast
    actor = c.index(ev.actor)
    target = c.index(ev.target) if ev.target else (c.prov if actor != c.prov else c.front_line)
    cls = MISSILE_CLASSES.index(ev.missile_class) if ev.missile_class else -1
    salvo = ev.salvo if ev.action == "missile_test" else 0
    success = None if ev.success is None else np.full(m.R, ev.success)
    return [Move(ev.action, actor, mask, target, cls, salvo, cause="calendar", success=success)]


HANDLERS = {
    "drill": _drill, "summit": _summit, "election": _election, "government_change": _government,
    "sanctions_resolution": _resolution, "defense_talks": _defense_talks, "alliance_document": _alliance_document,
    "shock": _shock, "development_line": _development, "hostility_doctrine": _hostility,
    "succession": _succession, "monitoring_end": _monitoring_end, "patron_milestone": _milestone, "action": _forced,
}
