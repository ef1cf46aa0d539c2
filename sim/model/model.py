"""The escalation model: five (or more) actors stepping the world one calendar day at a time.

A day: calendar entries of the day take effect; every actor decides from the same snapshot;
all actions apply in a canonical order (so activation order cannot matter); tensions take
one Richardson step with the day's drive; slow stocks relax; the day is recorded.
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from sim.model.agents import Actor
from sim.model.calendar import compile_calendar
from sim.model.calendar_effects import calendar_day, after_actions
from sim.model.effects import apply_action, resolve_votes, settle_dialogue
from sim.model.actions import Action
from sim.model.mechanisms import switch_off
from sim.model.policies import N_UNIFORMS
from sim.model.recorder import Recorder
from sim.model.world import World
from sim.schema.scenario import Scenario

CHUNK = 32            # days of random numbers drawn at a time
DRILL_PRESSURE = 0.012  # M1/M7: daily tension a drill adds to the provocateur toward participants
READINESS_PRESSURE = 0.02  # M7: daily tension per unit of allied readiness above its start
W_UNIFORMS = 4        # world draws per day: launch success, clash, election, spare


def _canonical(a: Action) -> tuple:
    return (a.actor, a.kind, a.target, a.missile_class, a.salvo, a.source)


class EscalationModel(mesa.Model):
    """Mesa model of one scenario. ``rng`` is anything numpy.random.default_rng accepts."""

    def __init__(self, scenario: Scenario, *, days: int | None = None, rng=None, activation=None):
        super().__init__(rng=np.random.default_rng(rng))
        self.spec = scenario
        self.n_days = days or scenario.n_days
        self.names = tuple(sorted(scenario.actors))
        self.world = World(scenario, self.names)
        self.mech = switch_off(scenario, self.world)
        self.cal = compile_calendar(scenario, self.n_days, self.names[self.world.prov])
        self.actors = [Actor(self, name, i, scenario.actors[name], self.mech) for i, name in enumerate(self.names)]
        # Activation order (names); decisions share one snapshot, so any order gives the same run.
        by_name = {a.name: a for a in self.actors}
        self.order = [by_name[nm] for nm in activation] if activation else list(self.actors)
        self._deciders = [(a.policy, a.idx, a.params) for a in self.order]
        self.acting = scenario.dynamics.actions
        self.noise = scenario.dynamics.noise * math.sqrt(scenario.dynamics.dt)
        self.decay = 0.5 ** (1.0 / scenario.dynamics.event_half_life)
        self._pressure = self._drill_pressure()
        self.recorder = Recorder(self)
        self._rdrive = np.zeros(self.world.n * self.world.n)
        p, n = self.world.prov, self.world.n
        self._clash_pairs = [(j, p * n + j, j * n + p) for j in self.world.obs.allies]
        self.day = 0
        self.running = True

    def _draw_chunk(self) -> None:
        """Fixed-size draws from model.rng: every replication consumes the same stream layout."""
        n, w = len(self.names), self.world
        self._U = self.rng.random((CHUNK, n, N_UNIFORMS)).tolist()
        self._W = self.rng.random((CHUNK, W_UNIFORMS)).tolist()
        z = self.rng.standard_normal((CHUNK, n * n))
        z[:, :: n + 1] = 0.0
        t0 = self.day
        drive = w.c + self.noise * z
        pressure = self._pressure[t0:t0 + CHUNK]
        drive[: len(pressure)] += pressure
        drive += self._rdrive
        self._drive = drive
        w.clip()

    def _drill_pressure(self) -> np.ndarray:
        """M1/M7: the tension each day's drills add to the provocateur toward the participants."""
        w, n = self.world, self.world.n
        out = np.zeros((self.n_days, n * n))
        if not self.mech.drill_pressure:
            return out
        for t in range(self.n_days):
            d = self.cal.drill[t]
            for name in self.cal.drill_participants[t] if d else ():
                j = w.index.get(name, -1)
                if j >= 0 and j != w.prov:
                    out[t, w.prov * n + j] += DRILL_PRESSURE * d * w.dt
        return out

    def step(self) -> None:
        t, w = self.day, self.world
        if t % CHUNK == 0:
            self._draw_chunk()
        k = t % CHUNK
        acting, u = self.acting, self._U[k]
        actions = calendar_day(self, t, self._W[k][2]) if acting and t in self.cal.busy else []
        obs = w.observe(t, self.cal)
        if acting:
            for policy, idx, params in self._deciders:
                moves = policy(obs, idx, params, u[idx])
                if moves:
                    actions.extend(moves)
        if len(actions) > 1:
            actions.sort(key=_canonical)
        busy = actions or w.pending or self.cal.summit[t] or w.dialogue & 1  # offers lapse, summits end
        day_score = self._apply(t, actions, self._W[k]) if busy else 0.0
        if w.readiness_changed and self.mech.readiness_pressure:
            self._update_readiness_drive(k)
        w.advance(self._drive[k])
        w.relax(t)
        w.settle()
        w.events_stock = w.events_stock * self.decay + day_score
        clash = self._clash(t, self._W[k][1]) if acting and self.mech.clash else False
        self.recorder.record(t, clash)
        self.day += 1
        if self.day >= self.n_days:
            self.running = False

    def _apply(self, t: int, actions: list[Action], wu: list[float]) -> float:
        w, score = self.world, 0.0
        vetoes = [a.actor for a in actions if a.kind == "veto"]
        for a in actions:
            s, ok = apply_action(w, t, a, wu[0])
            score += s
            self.recorder.event(t, a, s, ok)
        outcome = resolve_votes(w, t, vetoes)
        if outcome:
            kind, proposer, _ = outcome
            a = Action(proposer, kind, w.prov, reason="UN vote" + (" (veto)" if vetoes else ""), source="world")
            s, _ = apply_action(w, t, a, 0.0)
            score += s
            self.recorder.event(t, a, s, True)
        after_actions(self, t)
        settle_dialogue(w, t)
        return score

    def _update_readiness_drive(self, k: int) -> None:
        """M7: allied readiness above its starting level feeds the provocateur's insecurity.

        The drive is folded into the rest of the chunk's precomputed daily drive, so the
        daily step pays for it only on the days readiness changes.
        """
        w = self.world
        w.readiness_changed = False
        r, r0, base = w.readiness, w.readiness0, w.prov * w.n
        new = np.zeros(w.n * w.n)
        for j in w.obs.allies:
            new[base + j] = READINESS_PRESSURE * max(r[j] - r0[j], 0.0) * w.dt
        self._drive[k:] += new - self._rdrive
        self._rdrive = new

    def _clash(self, t: int, u: float) -> bool:
        """M13 (with M10): past a tension threshold, an armed clash becomes possible; deterrence dampens it."""
        w, dyn = self.world, self.spec.dynamics
        p, x = w.prov, w.xl
        best, target, threshold = 0.0, -1, dyn.clash_threshold
        for j, pj, jp in self._clash_pairs:
            excess = 0.5 * (x[pj] + x[jp]) - threshold
            if excess > best:
                best, target = excess, j
        if target < 0:
            return False
        rate = dyn.clash_rate * best * (1.0 - self.mech.deterrence * _deterrence(w))
        if u >= rate:
            return False
        a = Action(p, "armed_clash", target, reason=f"mutual tension {best + dyn.clash_threshold:.2f}", source="world")
        s, _ = apply_action(w, t, a, 0.0)
        w.events_stock += s
        w.settle()
        self.recorder.event(t, a, s, True)
        return True

    def run(self) -> "EscalationModel":
        """Run to the end of the horizon with Mesa's own clock (one scheduled step a day)."""
        if self.day < self.n_days:
            self.run_for(self.n_days - self.day)
        return self


def _deterrence(w: World) -> float:
    """M10: allied readiness times alliance cohesion, 0..1."""
    allies = [w.readiness[j] for j in range(w.n) if w.roles[j] == "ally"]
    coh = list(w.cohesion.values())
    return (sum(allies) / len(allies) if allies else 0.0) * (sum(coh) / len(coh) if coh else 0.0)
