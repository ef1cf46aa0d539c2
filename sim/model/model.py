"""The escalation model: R replications of one cast stepped one calendar day at a time.

A day: dated calendar entries take effect; every actor (a Mesa agent) decides from one shared
snapshot; all moves apply in a canonical order (so activation order cannot matter); UN votes
are counted and summits end; tensions take one Richardson step; slow stocks drift; an armed
clash may break out; the day is recorded. A single run is R = 1 through the same code, and
replication r of an ensemble equals a single run with the same seed, bit for bit.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Sequence

import mesa
from mesa.agentset import AgentSet
import numpy as np

from sim.model import dynamics, effects, inputs
from sim.model.agents import Actor
from sim.model.calendar import compile_calendar
from sim.model.draws import DrawStream
from sim.model.history import initial_world
from sim.model.moves import Move
from sim.model.recorder import Recorder
from sim.model.setup import Stacker, actor_params, check_compatible, distinct, gates, relation_arrays
from sim.model.world import Snapshot, Talks, World, mean_over
from sim.schema.scenario import Scenario


class EscalationModel(mesa.Model):
    """Replications of one or more scenarios that share a cast and a horizon.

    ``scenarios`` is one Scenario (for every replication) or one per replication; ``seeds``
    one seed (int or SeedSequence) per replication. ``daily``/``events`` choose what is
    recorded beyond the summaries. ``activation`` (actor names) permutes Mesa's agent order.
    """

    def __init__(self, scenarios: Scenario | Sequence[Scenario], seeds=None, *, days: int | None = None,
                 daily: bool = True, events: bool = True, activation: Sequence[str] | None = None,
                 rng=None, hazard_features: bool = False) -> None:
        seeds = rng if seeds is None and rng is not None else seeds  # rng=: Mesa's name for one seed
        if isinstance(scenarios, Scenario):
            scenarios = [scenarios] * (len(seeds) if isinstance(seeds, (list, tuple)) else 1)
        seeds = list(seeds) if isinstance(seeds, (list, tuple)) else [scenarios[0].seed if seeds is None else seeds]
        if len(seeds) != len(scenarios):
            raise ValueError(f"{len(scenarios)} scenarios but {len(seeds)} seeds")
        super().__init__(rng=np.random.default_rng(seeds[0]))
        self.rngs = [np.random.default_rng(s) for s in seeds]  # fresh: Mesa's own set-up drew from its copy
        self.rng = self.rngs[0]
        self.spec, self.R = scenarios[0], len(scenarios)
        self.cast = check_compatible(scenarios, days)
        self.n_days = days or self.spec.n_days
        self._setup(scenarios)
        self.draws_stream = DrawStream(self.rngs, self.cast.roles)
        for i, name in enumerate(self.cast.names):
            Actor(self, name, i, self.cast.roles[i], self.spec.actors[name].policy.name, self.params[i])
        by_name = {a.name: a for a in self.agents}
        self.actors = AgentSet([by_name[a] for a in (activation or self.cast.names)], random=self.random)
        self.recorder = Recorder(self, daily, events, hazard_features)
        self.day = 0
        self.running = True

    def _setup(self, scenarios: Sequence[Scenario]) -> None:
        unique, group = distinct(scenarios)
        stack = Stacker(unique, group)
        c = self.cast
        self.scenarios, self.group = unique, group
        self.on = gates(stack)
        self.params = actor_params(stack, c)
        self.effects = stack.model(lambda sc: sc.effects)
        self.dyn = stack.model(lambda sc: sc.dynamics)
        self.rel = relation_arrays(stack, c)
        self.calendars = [compile_calendar(sc, c, self.n_days) for sc in unique]
        self.group_masks = [group == g for g in range(len(unique))]
        self.world = World(c, self.rel, initial_world(stack, c, unique), self.R)
        n = c.n
        self.off_diagonal = np.array([i * n + j for i in range(n) for j in range(n) if i != j])
        adv = [(i, j) for sc in unique[:1] for r in sc.relations if r.kind == "adversary"
               for i, j in ((c.index(r.a), c.index(r.b)), (c.index(r.b), c.index(r.a)))]
        if not adv:
            adv = [(c.prov, j) for j in range(n) if j != c.prov] + [(j, c.prov) for j in range(n) if j != c.prov]
        self.adversarial = tuple(sorted(i * n + j for i, j in adv))
        self.partners = {j: [(a, q if p == j else p) for a, (p, q) in enumerate(c.alliances) if j in (p, q)]
                         for j in range(n)}
        self.others = {j: np.array([k for k in range(n) if k != j]) for j in range(n)}
        self.allies = np.array(c.allies, dtype=np.int64)
        dt = self.dyn.dt
        self.coef = SimpleNamespace(
            dt=dt, keep=1.0 - dt[:, None, None] * self.rel.restraint[:, :, None], react=dt[:, None, None] * self.rel.K,
            grieve=dt[:, None, None] * self.rel.G, noise=self.dyn.noise * np.sqrt(dt),
            hostility=self.params[c.prov].hostility_grievance)
        self.decay = 0.5 ** (1.0 / self.dyn.event_half_life)
        self.free_from = np.array([cal.free_from for cal in self.calendars])[group]
        cals = self.calendars
        self.features = {name: np.stack([getattr(cal, name) for cal in cals], axis=1)
                         for name in ("drill", "drill_after", "signal", "election", "summit", "closure")}
        self.per_actor = {name: np.stack([getattr(cal, name) for cal in cals], axis=1) for name in ("drill_parts", "war")}
        self.dates = [self.spec.start.fromordinal(self.spec.start.toordinal() + d) for d in range(self.n_days)]

    def step(self) -> None:
        t, w = self.day, self.world
        self.draws = self.draws_stream.day(t)
        self.inputs_today = self._today(t)
        self.vetoed = np.zeros(self.R, dtype=bool)
        moves = inputs.calendar_moves(self, t) if self.spec.dynamics.actions else []
        if self.spec.dynamics.actions:
            snap = self.snapshot(t)
            self.recorder.hazard(t, snap)
            self.actors.do("decide", snap, self.draws)
            moves += [mv for actor in self.actors for mv in actor.moves]
        score = np.zeros(self.R)
        for mv in sorted(moves, key=lambda mv: mv.key()):
            effects.apply(self, t, mv, score)
        self._votes(t, score)
        inputs.summit_ends(self, t)
        self._settle_dialogue(t)
        dynamics.tension_step(self, t, self.draws.noise)
        dynamics.relax(self, self.dates[t])
        w.events_stock = w.events_stock * self.decay + score
        clash = dynamics.clash(self, t, self.draws.world.clash) if self.spec.dynamics.actions else None
        clashed = np.zeros(self.R, dtype=bool)
        if clash is not None:
            effects.apply(self, t, clash, w.events_stock)
            clashed = clash.mask
        index, level = dynamics.index_and_level(self, clashed)
        self.recorder.record(t, index, level)
        self.day += 1
        self.running = self.day < self.n_days

    def _today(self, t: int) -> SimpleNamespace:
        """Today's calendar features, one value per replication (each reads its own calendar)."""
        g, R = self.group, self.R
        if len(self.calendars) == 1:  # one calendar for all: its value repeated (repeat is the cheapest copy)
            out = {name: arr[t, 0:1].repeat(R) for name, arr in self.features.items()}
            out.update({name: arr[t, 0:1].repeat(R, axis=0) for name, arr in self.per_actor.items()})
        else:
            out = {name: arr[t][g] for name, arr in self.features.items()}
            out.update({name: arr[t][g] for name, arr in self.per_actor.items()})
        return SimpleNamespace(**out)

    def snapshot(self, t: int) -> Snapshot:
        """Copies of the state as the day starts: moves applied later cannot change what was seen."""
        w, c, f = self.world, self.cast, self.inputs_today
        x = w.x.copy()
        return Snapshot(
            t=t, cast=c, tension=x, readiness=w.readiness.copy(), capability=w.capability.copy(),
            prov_tension=mean_over(x[:, c.prov, :], c.allies), allied_readiness=mean_over(w.readiness, c.allies),
            drill=f.drill, drill_after=f.drill_after, signal=f.signal, election=f.election, summit=f.summit,
            war=f.war, development=w.development.copy(), free=t >= self.free_from, sanctions=w.sanctions.copy(),
            cooperation=w.cooperation.copy(), support=w.support.copy(), progressive=w.progressive.copy(),
            dialogue=w.dialogue.copy(), dialogue_days=t - w.dialogue_since, dialogue_by=w.dialogue_by.copy(),
            provocations=w.provocations.copy(), last_launch=t - w.last_launch_day,
            last_launch_class=w.last_launch_class.copy(), last_major=t - w.last_major_day,
            vote_today=w.vote_day == t, pending_vote=w.vote_day >= t,
            # not copied: they are only read while actors decide, before any move applies, and
            # no move keeps a reference to them
            last_hostile=w.last_hostile, last_coop=w.last_coop)

    def _votes(self, t: int, score: np.ndarray) -> None:
        """M8/M9: a proposal due today is adopted unless a veto-holder vetoed it today.

        A replication has at most one proposal due, so its vote adds to ``score`` once."""
        w = self.world
        due = w.vote_day == t
        if not due.any():
            return
        for proposer in np.unique(w.vote_proposer[due]):
            mine = due & (w.vote_proposer == proposer)
            for kind, mask in (("un_sanctions_adopted", mine & ~self.vetoed), ("un_sanctions_vetoed", mine & self.vetoed)):
                mv = Move(kind, int(proposer), mask, self.cast.prov, strength=w.vote_strength.copy(), cause="un_vote",
                          source="world")
                effects.apply(self, t, mv, score)
        w.vote_day[due] = -1

    def _settle_dialogue(self, t: int) -> None:
        """Offers lapse after a month; a summit day gives way to talks once no summit is under way."""
        w = self.world
        lapse = (w.dialogue == Talks.OFFERED) & (t - w.dialogue_since > OFFER_LAPSE)
        w.dialogue[lapse], w.dialogue_since[lapse] = Talks.NONE, t
        done = (w.dialogue == Talks.SUMMIT) & (t - w.dialogue_since >= 1) & ~self.inputs_today.summit
        w.dialogue[done], w.dialogue_since[done] = Talks.TALKS, t

    @property
    def names(self) -> tuple[str, ...]:
        return self.cast.names

    def tension_graph(self, rep: int = 0):
        """The relations network (alliances, partnerships, adversaries) carrying replication ``rep``'s tensions."""
        kinds = {frozenset((r.a, r.b)): r.kind for r in self.spec.relations}
        return self.world.tension_graph(rep, kinds)

    def prov_tension_all(self) -> np.ndarray:
        """Mean tension of the provocateur toward every other actor (a summary outcome)."""
        c = self.cast
        return mean_over(self.world.x[:, c.prov, :], tuple(j for j in range(c.n) if j != c.prov))

    def run(self) -> "EscalationModel":
        """Run to the end of the horizon on Mesa's clock (one scheduled step a day)."""
        if self.day < self.n_days:
            self.run_for(self.n_days - self.day)
        return self


OFFER_LAPSE = 30  # M8: days an offer of talks stands before it lapses
