"""World state and its daily dynamics.

Tension is directed: ``T[i, j]`` is actor i's hostility toward j. With actions off and
noise zero, each pair follows Richardson's arms-race model exactly,

    T_ij(t+1) = T_ij + dt * (a_ij * T_ji - m_i * T_ij + g_ij),

which is one linear map on the flattened matrix: ``x <- L @ x + c``. Actions and calendar
pressures add impulses to ``x`` between steps; noise adds ``noise * sqrt(dt) * z``.
The relations network (alliances, partnerships, adversaries) is a networkx DiGraph;
``tension_graph()`` puts the current tensions on its edges for anyone who wants the graph.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from sim.model.observation import NEVER, Observation
from sim.schema.scenario import MISSILE_CLASSES, Scenario

CAP = 1e6  # tensions are clipped here so a runaway (unstable) regime cannot overflow
SANCTIONS_EVASION = 1 / 1095            # daily share of sanctions pressure lost to evasion (x3 at full cooperation)
COOPERATION_KEEP = 1 - 1 / 1095         # patron cooperation fades over about three years
PROVOCATION_KEEP = 0.5 ** (1 / 90)      # M8: provocations are remembered with a 90-day half-life
WEEK_365 = 1 - (1 - 1 / 365) ** 7       # weekly share of the gap closed by a one-year drift
WEEK_180 = 1 - (1 - 1 / 180) ** 7       # ... and by a half-year drift


class World:
    def __init__(self, sc: Scenario, names: tuple[str, ...]):
        n = len(names)
        self.names, self.n = names, n
        self.index = {a: i for i, a in enumerate(names)}
        self.roles = tuple(sc.actors[a].role for a in names)
        self.prov = self.roles.index("provocateur")
        self.graph = _relations_graph(sc, names)
        K, G, x0 = np.zeros((n, n)), np.zeros((n, n)), np.zeros((n, n))
        for r in sc.relations:
            i, j = self.index[r.a], self.index[r.b]
            K[i, j], K[j, i], G[i, j], G[j, i] = r.reaction_ab, r.reaction_ba, r.grievance_ab, r.grievance_ba
            x0[i, j], x0[j, i] = r.tension_ab, r.tension_ba
        m = np.array([sc.actors[a].restraint for a in names])
        self.dt = sc.dynamics.dt
        self.K, self.G, self.m = K, G, m
        self.L = _linear_map(K, m, self.dt)
        self.c = (self.dt * G).ravel()
        self.x = x0.ravel().copy()
        self.xl = self.x.tolist()
        self.sensitivity = [sc.actors[a].sensitivity for a in names]
        self.exposure = [sc.actors[a].exposure for a in names]
        self.veto = [sc.actors[a].veto for a in names]
        self.readiness = [sc.actors[a].readiness for a in names]
        self.readiness0 = list(self.readiness)
        self.readiness_changed = True  # tells the model to recompute the readiness drive (M7)
        cap = sc.actors[names[self.prov]].capability
        self.capability = {k: float(cap.get(k, 0.0)) for k in MISSILE_CLASSES}
        self.alliances = sorted((min(i, j), max(i, j)) for i, j, k in self.graph.edges(data="kind") if k == "alliance" and i < j)
        self.cohesion = {pair: float(self.graph.edges[pair]["cohesion"]) for pair in self.alliances}
        self.cohesion0 = dict(self.cohesion)
        self.adversarial = [i * n + j for i in range(n) for j in range(n) if self.graph.has_edge(i, j) and self.graph.edges[i, j]["kind"] == "adversary"]
        if not self.adversarial:
            p = self.prov
            self.adversarial = [p * n + j for j in range(n) if j != p] + [j * n + p for j in range(n) if j != p]
        w = sc.world
        self.sanctions, self.cooperation, self.support = w.sanctions, w.russia_cooperation, w.domestic_support
        self.public_dialogue = self.public_dialogue0 = w.public_dialogue_share
        self.rok = self.index.get("ROK", -1)
        self.rok_progressive = w.rok_orientation == "progressive"
        self.dialogue = ["none", "offered", "talks", "summit"].index(w.dialogue_state)
        self.dialogue_since, self.dialogue_by = 0, -1
        self.provocations, self.events_stock = 0.0, 0.0
        self.last_launch_day, self.last_major_day, self.last_launch_class = -NEVER, -NEVER, ""
        self.pending: list[tuple[int, int, float]] = []  # (vote day, proposer, strength)
        self.last_hostile = [-NEVER] * (n * n)
        self.last_coop = [-NEVER] * (n * n)
        self.learning = True    # M6: tests advance capability (False when M6 is off)
        self.research = 0.0003  # M6: daily R&D drift of fielded classes (set to 0 when M6 is off)
        allies = tuple(j for j in range(n) if self.roles[j] == "ally")
        self.obs = Observation(names=names, roles=self.roles, provocateur=self.prov, rok=self.rok, n=n, allies=allies,
                               last_hostile=self.last_hostile, last_coop=self.last_coop,
                               capability=self.capability, readiness=self.readiness)

    def observe(self, t: int, cal) -> Observation:
        """Refresh the shared snapshot for day t (calendar features are precomputed lists)."""
        o = self.obs
        o.t, o.tension = t, self.xl
        o.drill, o.drill_after, o.drill_name = cal.drill[t], cal.drill_after[t], cal.drill_name[t]
        o.days_since_drill, o.signal, o.signal_name = cal.days_since_drill[t], cal.signal[t], cal.signal_name[t]
        o.election, o.election_name, o.summit = cal.election[t], cal.election_name[t], cal.summit[t]
        o.sanctions, o.cooperation = self.sanctions, self.cooperation  # capability, readiness: shared at init
        o.support, o.public_dialogue = self.support, self.public_dialogue
        o.rok_progressive, o.dialogue, o.dialogue_by = self.rok_progressive, self.dialogue, self.dialogue_by
        o.dialogue_days, o.provocations = t - self.dialogue_since, self.provocations
        o.last_launch, o.last_major = t - self.last_launch_day, t - self.last_major_day
        o.last_launch_class = self.last_launch_class
        pending = self.pending
        o.pending_vote = bool(pending)
        o.vote_today = bool(pending) and any(v == t for v, _, _ in pending)
        return o

    def advance(self, drive: np.ndarray) -> None:
        """One Richardson step plus the day's exogenous drive (grievance, noise, calendar, readiness)."""
        x = self.L @ self.x
        x += drive
        self.x = x

    def settle(self) -> None:
        """End of day: a list copy of the tensions for cheap reads by the recorder and clash check."""
        self.xl = self.x.tolist()

    def add_tension(self, i: int, j: int, amount: float) -> None:
        self.x[i * self.n + j] += amount
        self.xl = self.x.tolist()

    def clip(self) -> None:
        np.clip(self.x, -CAP, CAP, out=self.x)

    def tension_matrix(self) -> np.ndarray:
        return self.x.reshape(self.n, self.n).copy()

    def adversarial_mean(self) -> float:
        x, total = self.xl, 0.0
        for k in self.adversarial:
            total += x[k]
        return total / len(self.adversarial)

    def tension_graph(self) -> nx.DiGraph:
        g = self.graph.copy()
        T = self.tension_matrix()
        for i in range(self.n):
            for j in range(self.n):
                if i != j:
                    g.add_edge(i, j, tension=float(T[i, j]), **({} if g.has_edge(i, j) else {"kind": "none"}))
        return nx.relabel_nodes(g, dict(enumerate(self.names)))

    def relax(self, t: int) -> None:
        """Slow daily drifts: sanctions are evaded, stocks fade; readiness, cohesion and opinion return to their starting values.

        The slowest drifts (time constants of months) are applied once a week with the
        compounded weekly rate: indistinguishable in the output, and a fifth of the cost.
        """
        self.sanctions -= self.sanctions * SANCTIONS_EVASION * (1.0 + 2.0 * self.cooperation)
        self.cooperation *= COOPERATION_KEEP
        self.provocations *= PROVOCATION_KEEP
        self.support = max(self.support - 0.0015 * (1.0 + self.sanctions), 0.0)
        if t % 7:
            return
        self.public_dialogue += (self.public_dialogue0 - self.public_dialogue) * WEEK_365
        self.readiness[:] = [r + (r0 - r) * WEEK_365 for r, r0 in zip(self.readiness, self.readiness0)]
        self.readiness_changed = True
        coh, coh0 = self.cohesion, self.cohesion0
        for pair in coh:
            coh[pair] += (coh0[pair] - coh[pair]) * WEEK_180
        if self.research:
            drift = 7 * self.research * (1.0 - 0.7 * self.sanctions) * (1.0 + 2.0 * self.cooperation)
            cap = self.capability
            for k, c in cap.items():
                if c > 0:
                    cap[k] = c + drift * (1.0 - c)


def _linear_map(K: np.ndarray, m: np.ndarray, dt: float) -> np.ndarray:
    """L such that vec(T + dt*(K∘Tᵀ - m∘T)) = L @ vec(T)."""
    n = len(m)
    L = np.eye(n * n)
    for i in range(n):
        for j in range(n):
            if i == j:
                L[i * n + j, i * n + j] = 0.0
                continue
            L[i * n + j, i * n + j] -= dt * m[i]
            L[i * n + j, j * n + i] += dt * K[i, j]
    return L


def _relations_graph(sc: Scenario, names: tuple[str, ...]) -> nx.DiGraph:
    g = nx.DiGraph()
    idx = {a: i for i, a in enumerate(names)}
    for a in names:
        g.add_node(idx[a], name=a, role=sc.actors[a].role)
    for r in sc.relations:
        i, j = idx[r.a], idx[r.b]
        g.add_edge(i, j, kind=r.kind, cohesion=r.cohesion)
        g.add_edge(j, i, kind=r.kind, cohesion=r.cohesion)
    return g


def stable(K: np.ndarray, m: np.ndarray, dt: float) -> bool:
    """Richardson stability of the linear map: every eigenvalue of L inside the unit circle."""
    return bool(np.max(np.abs(np.linalg.eigvals(_linear_map(K, m, dt)))) < 1.0)


def equilibrium(K: np.ndarray, m: np.ndarray, G: np.ndarray) -> np.ndarray:
    """Fixed point of the deterministic dynamics, x* = (I - L)^-1 c (independent of dt)."""
    n = len(m)
    L = _linear_map(K, m, 1.0)
    A = np.eye(n * n) - L
    off = [k for k in range(n * n) if k // n != k % n]
    sol = np.zeros(n * n)
    sol[off] = np.linalg.solve(A[np.ix_(off, off)], G.ravel()[off])
    return sol.reshape(n, n)
