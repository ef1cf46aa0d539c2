"""The cast: who the actors are and which roles they play, as indices.

Built once from a scenario's declared roles (each actor's ``role`` and the ``roles`` block);
every rule reads roles from here and never compares an actor's name. Actors are indexed in
sorted-name order, which fixes the draw layout and the order actions apply in.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.schema.scenario import Scenario


@dataclass(frozen=True)
class Cast:
    names: tuple[str, ...]
    roles: tuple[str, ...]
    prov: int                           # the provocateur
    allies: tuple[int, ...]             # its adversaries, the deterrence coalition
    patrons: tuple[int, ...]            # its partners with a veto at the UN
    front_line: int                     # M12: the ally whose government and public are tracked (-1: none)
    leverage: int                       # M2/M3: the power whose elections and diplomacy matter (-1: none)
    drill_hosts: tuple[int, ...]        # default participants of drills and defence talks
    sponsor: int                        # who tables UN resolutions the calendar does not attribute
    alliances: tuple[tuple[int, int], ...]
    vetoes: tuple[bool, ...]

    @property
    def n(self) -> int:
        return len(self.names)

    def index(self, name: str) -> int:
        return self.names.index(name)

    @classmethod
    def of(cls, sc: Scenario) -> "Cast":
        names = tuple(sorted(sc.actors))
        ix = {a: i for i, a in enumerate(names)}
        roles = tuple(sc.actors[a].role for a in names)
        allies = tuple(i for i, r in enumerate(roles) if r == "ally")
        pick = lambda who: ix[who] if who else -1  # noqa: E731
        r = sc.roles
        sponsor = pick(r.sponsor) if r.sponsor else (pick(r.leverage) if r.leverage else allies[0])
        alliances = sorted({tuple(sorted((ix[x.a], ix[x.b]))) for x in sc.relations if x.kind == "alliance"})
        return cls(names=names, roles=roles, prov=roles.index("provocateur"), allies=allies,
                   patrons=tuple(i for i, role in enumerate(roles) if role == "patron"),
                   front_line=pick(r.front_line), leverage=pick(r.leverage),
                   drill_hosts=tuple(ix[a] for a in r.drill_hosts), sponsor=sponsor,
                   alliances=tuple(alliances), vetoes=tuple(sc.actors[a].veto for a in names))

    def key(self) -> tuple:
        """What must agree for scenarios to share one ensemble."""
        return (self.names, self.roles, self.front_line, self.leverage, self.drill_hosts, self.sponsor,
                self.alliances, self.vetoes)
