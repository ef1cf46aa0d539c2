"""What an actor sees when it decides: one snapshot of the world, shared by all actors.

Every actor decides from the same Observation of the start of the day; actions apply only
after all have decided, so activation order cannot change what anyone does. Policies only
read it. Tests build one directly with the fields a case needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NEVER = 10**6  # "days since" for something that has not happened


@dataclass(slots=True)
class Observation:
    names: tuple[str, ...] = ("DPRK", "Japan", "ROK", "Russia", "US")
    roles: tuple[str, ...] = ("provocateur", "ally", "ally", "patron", "ally")
    provocateur: int = 0
    n: int = 5
    allies: tuple[int, ...] = (1, 2, 4)
    rok: int = 2  # the actor whose government orientation the world tracks (M12), -1 if none
    t: int = 0
    tension: list[float] = field(default_factory=lambda: [0.0] * 25)  # flat n*n, [i*n+j] = i toward j
    # exogenous calendar features of the day
    drill: float = 0.0
    drill_after: float = 0.0
    drill_name: str = ""
    days_since_drill: int = NEVER
    signal: float = 0.0
    signal_name: str = ""
    election: float = 0.0
    election_name: str = ""
    summit: str = ""
    # endogenous state
    sanctions: float = 0.3
    cooperation: float = 0.0
    capability: dict[str, float] = field(default_factory=lambda: {"SRBM": 0.8, "MRBM_IRBM": 0.5, "ICBM": 0.3, "SLBM": 0.2, "HYPERSONIC": 0.05})
    readiness: list[float] = field(default_factory=lambda: [0.3] * 5)
    support: float = 0.7
    public_dialogue: float = 0.5
    rok_progressive: bool = False
    dialogue: int = 0          # 0 none, 1 offered, 2 talks, 3 summit
    dialogue_days: int = 0     # days in the current dialogue state
    dialogue_by: int = -1
    provocations: float = 0.0  # decayed count of provocations (M8)
    last_launch: int = NEVER   # days since the provocateur's last launch
    last_launch_class: str = ""
    last_major: int = NEVER    # days since an ICBM launch or nuclear test
    vote_today: bool = False
    pending_vote: bool = False
    last_hostile: list[int] = field(default_factory=lambda: [-NEVER] * 25)  # [i*n+j]: day j last escalated at i
    last_coop: list[int] = field(default_factory=lambda: [-NEVER] * 25)     # [i*n+j]: day j last cooperated with i

    def hostile_since(self, i: int, j: int) -> int:
        return self.t - self.last_hostile[i * self.n + j]

    def coop_since(self, i: int, j: int) -> int:
        return self.t - self.last_coop[i * self.n + j]

    def mean_toward_allies(self, i: int) -> float:
        base, t, total = i * self.n, self.tension, 0.0
        for j in self.allies:
            total += t[base + j]
        return total / len(self.allies) if self.allies else 0.0

    def allied_readiness(self) -> float:
        r, total = self.readiness, 0.0
        for j in self.allies:
            total += r[j]
        return total / len(self.allies) if self.allies else 0.0

    def tension_of(self, i: int, j: int) -> float:
        return self.tension[i * len(self.names) + j]

    def index(self, name: str) -> int:
        return self.names.index(name) if name in self.names else -1
