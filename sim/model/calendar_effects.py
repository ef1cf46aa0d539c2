"""Calendar entries taking effect on their day: drills begin, governments change, votes land.

Forced entries become actions with ``source="calendar"`` so they appear in the event log
and count in the escalation index like any other move.
"""

from __future__ import annotations

from sim.model.actions import Action

DEFENSE_TALKS_READINESS = 0.1  # M7: readiness added by defence talks, on top of the logged readiness action's 0.05
SUMMIT_FAILURE = 0.15          # tension the provocateur takes away from a summit without agreement


def calendar_day(model, t: int, election_u: float) -> list[Action]:
    """Apply the day's state changes; return the actions the calendar forces today."""
    w, cal, forced = model.world, model.cal, []
    p = w.prov
    if cal.summit[t] and w.dialogue != 3:
        w.dialogue, w.dialogue_since = 3, t
    for ev in cal.events.get(t, ()):
        kind = ev.type
        if kind == "drill":
            drill = "trilateral_drill" if len(ev.participants) > 2 else "joint_drill"
            for name in ev.participants:
                i = w.index.get(name, -1)
                if i >= 0 and i != p:
                    forced.append(Action(i, drill, p, reason=f"calendar: {ev.name} begins", source="calendar"))
        elif kind == "summit":
            host = next((w.index[a] for a in ev.participants if a in w.index and w.index[a] != p), -1)
            if host >= 0:
                forced.append(Action(host, "summit", p, reason=f"calendar: {ev.name}", source="calendar"))
        elif kind == "defense_talks":
            for name in ev.participants:
                i = w.index.get(name, -1)
                if i >= 0:
                    forced.append(Action(i, "readiness", p, reason=f"calendar: {ev.name or 'defence talks'}", source="calendar"))
                    w.readiness[i] = min(w.readiness[i] + DEFENSE_TALKS_READINESS, 1.0)
                    w.readiness_changed = True
        else:
            logged = _state_change(model, t, ev, election_u)
            if logged:
                forced.append(logged)
    for ev in cal.forced.get(t, ()):
        forced.append(_forced(w, ev))
    return forced


def _forced(w, ev) -> Action:
    target = w.index.get(ev.target, -1) if ev.target else (w.prov if w.index[ev.actor] != w.prov else -1)
    cls = ev.missile_class or ""
    salvo = ev.salvo if ev.action == "missile_test" else 0
    return Action(w.index[ev.actor], ev.action, target, cls, salvo, f"calendar: {ev.name or 'forced action'}", "calendar")


def _state_change(model, t: int, ev, election_u: float) -> Action | None:
    w, kind = model.world, ev.type
    if kind == "government_change" and ev.country == "ROK" and model.mech.government:
        w.rok_progressive = ev.orientation == "progressive"
    elif kind == "election" and ev.country == "ROK" and ev.kind == "presidential":
        if model.mech.government and not model.cal.rok_forced_government:
            w.rok_progressive = election_u < w.public_dialogue  # M12: a divided public decides
    elif kind == "sanctions_resolution" and ev.outcome != "renewal":
        adopted = ev.outcome == "adopted"
        if adopted:
            w.sanctions += ev.strength * (1.0 - w.sanctions)
        who = w.index.get(ev.vetoed_by[0], w.prov) if ev.vetoed_by and not adopted else _sponsor(w)
        kind_ = "un_sanctions_adopted" if adopted else "un_sanctions_vetoed"
        return Action(who, kind_, w.prov, reason=f"calendar: {ev.name}", source="calendar")
    elif kind == "shock":
        for dyad, amount in ev.tension.items():
            a, _, b = dyad.partition("->")
            if a in w.index and b in w.index:
                w.add_tension(w.index[a], w.index[b], amount)
        w.sanctions = min(max(w.sanctions + ev.sanctions, 0.0), 1.0)
        w.cooperation = min(max(w.cooperation + ev.russia_cooperation, 0.0), 1.0)
    return None


def _sponsor(w) -> int:
    return w.index.get("US", next(j for j in range(w.n) if w.roles[j] == "ally"))


def after_actions(model, t: int) -> None:
    """A summit's last day decides what follows it: talks, or a breakdown that rankles."""
    w, cal = model.world, model.cal
    if not cal.summit[t] or (t + 1 < cal.n_days and cal.summit[t + 1]):
        return
    if cal.summit[t] == "no_agreement":
        w.dialogue, w.dialogue_since = 0, t
        for j in range(w.n):
            if w.roles[j] == "ally":
                w.add_tension(w.prov, j, SUMMIT_FAILURE)
    else:
        w.dialogue, w.dialogue_since = 2, t
