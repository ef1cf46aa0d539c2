"""The scenario schema: what a YAML scenario may say, with its defaults.

Every model here is frozen, rejects unknown keys and non-finite numbers, so a typo or a
``.nan`` in a scenario is an error rather than a silently ignored setting. Roles are declared,
never inferred from names: each actor says whether it is the provocateur, an ally or a patron,
and ``roles`` names the allies that carry the name-bound mechanisms (whose elections drive
M3, whose government and public are M12's, who hosts drills). Calendar entries live in
``sim.schema.calendar``; policy parameters in ``sim.schema.params``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from sim.schema.calendar import CalendarEvent, HistoricalCalendar, event_actors
from sim.schema.params import (MECHANISMS, MISSILE_CLASSES, AllyParams, EffectParams, PatronParams,  # noqa: F401
                               ProvocateurParams, Strict)

Probability = Annotated[float, Field(ge=0.0, le=1.0)]
NonNeg = Annotated[float, Field(ge=0.0, le=1e6)]
PolicyName = Literal["reactive", "hawk", "dove", "tit_for_tat", "scripted"]


class Capability(Strict):
    """Missile capability by class, 0 (none) .. 1 (mature)."""

    SRBM: Probability = 0.0
    MRBM_IRBM: Probability = 0.0
    ICBM: Probability = 0.0
    SLBM: Probability = 0.0
    HYPERSONIC: Probability = 0.0


class ProvocateurPolicy(Strict):
    name: PolicyName = Field("reactive", description="reactive (doctrine), hawk, dove, tit_for_tat or scripted")
    params: ProvocateurParams = ProvocateurParams()


class AllyPolicy(Strict):
    name: PolicyName = "reactive"
    params: AllyParams = AllyParams()


class PatronPolicy(Strict):
    name: PolicyName = "reactive"
    params: PatronParams = PatronParams()


class _Actor(Strict):
    restraint: NonNeg = Field(0.05, description="Richardson fatigue m: daily decay rate of this actor's tensions")
    sensitivity: NonNeg = Field(1.0, description="how strongly actions aimed at this actor raise its tension")
    exposure: NonNeg = Field(0.0, description="fear of launches aimed at others (regional fear, M11)")
    readiness: Probability = Field(0.3, description="initial military readiness")
    veto: bool = Field(False, description="permanent UNSC member that may veto sanctions")


class ProvocateurSpec(_Actor):
    role: Literal["provocateur"]
    policy: ProvocateurPolicy = ProvocateurPolicy()
    capability: Capability = Field(default_factory=Capability, description="initial missile capability by class")


class AllySpec(_Actor):
    role: Literal["ally"]
    policy: AllyPolicy = AllyPolicy()


class PatronSpec(_Actor):
    role: Literal["patron"]
    policy: PatronPolicy = PatronPolicy()


ActorSpec = Annotated[Union[ProvocateurSpec, AllySpec, PatronSpec], Field(discriminator="role")]


class Roles(Strict):
    """The allies that carry name-bound mechanisms; every one optional, none inferred from names."""

    leverage: str | None = Field(None, description="M2/M3: the power whose presidential elections and diplomacy the "
                                 "provocateur seeks leverage over; leverage launches are aimed at it")
    front_line: str | None = Field(None, description="M12: the ally whose government orientation and divided public "
                                   "the model tracks; the default target of launches")
    drill_hosts: list[str] = Field(default_factory=list, description="allies that hold drills and defence talks "
                                   "when a calendar entry names no participants")
    sponsor: str | None = Field(None, description="the ally that tables UN resolutions the calendar does not attribute")


class Relation(Strict):
    a: str
    b: str
    kind: Literal["alliance", "partnership", "adversary", "neutral"] = "adversary"
    reaction_ab: NonNeg = Field(0.0, description="Richardson a: rate at which a's tension toward b follows b's toward a")
    reaction_ba: NonNeg = Field(0.0, description="Richardson b: the same for b toward a")
    grievance_ab: float = Field(0.0, ge=-10.0, le=10.0, description="Richardson g: constant drive of a's tension toward b")
    grievance_ba: float = Field(0.0, ge=-10.0, le=10.0, description="Richardson h: the same for b toward a")
    tension_ab: float = Field(0.0, ge=-100.0, le=100.0, description="initial tension of a toward b")
    tension_ba: float = Field(0.0, ge=-100.0, le=100.0, description="initial tension of b toward a")
    cohesion: Probability = Field(0.8, description="initial alliance cohesion (alliances only)")


class Dynamics(Strict):
    dt: Annotated[float, Field(gt=0.0, le=2.0)] = Field(
        1.0, description="rate multiplier of the tension update per daily step (Richardson's dt; a step is always one day)")
    noise: Annotated[float, Field(ge=0.0, le=10.0)] = Field(0.01, description="standard deviation of daily tension noise")
    actions: bool = Field(True, description="False: no actor acts and no calendar action is forced; with an empty "
                          "calendar and zero noise the tensions follow Richardson's model exactly")
    event_half_life: Annotated[float, Field(gt=0.0, le=3650.0)] = Field(10.0, description="days for an action's weight in the index to halve")
    clash_threshold: NonNeg = Field(1.2, description="adversarial tension above which an armed clash becomes possible")
    clash_rate: Probability = Field(0.02, description="daily clash probability per unit of tension above the threshold")


class WorldSpec(Strict):
    sanctions: Probability = Field(0.3, description="initial sanctions pressure on the provocateur")
    cooperation: Probability = Field(0.0, description="initial patron-provocateur military cooperation")
    orientation: Literal["conservative", "progressive"] = Field(
        "conservative", description="government orientation of the front-line ally (roles.front_line)")
    public_dialogue_share: Probability = Field(0.5, description="share of the front-line ally's public favouring dialogue")
    domestic_support: Probability = Field(0.7, description="initial internal support of the provocateur regime")
    dialogue_state: Literal["none", "offered", "talks", "summit"] = "none"
    development_line: bool = Field(False, description="a declared weapons-development line is in force (M6)")
    hostility_doctrines: Annotated[int, Field(ge=0, le=100)] = Field(0, description="declared hostility doctrines in force (M7)")
    border_closed: bool = Field(False, description="the provocateur's borders are closed (M6)")
    monitoring: bool = Field(True, description="UN sanctions monitoring (a panel of experts) is in force (M9)")
    patron_at_war: bool = Field(False, description="the patron is fighting a war of its own (M9)")


class Scenario(Strict):
    name: str = Field(..., min_length=1)
    description: str = Field(..., min_length=1)
    question: str = Field("", description="the question this scenario asks")
    extends: str | None = Field(None, description="path of a scenario this one overrides (resolved by the loader)")
    calibration: str | None = Field(None, description="a calibration's estimates laid under this scenario's values: "
                                    "a packaged name (2010-2019) or a parameters.yaml from `escalation calibrate`")
    start: dt.date
    end: dt.date | None = None
    days: Annotated[int, Field(ge=1)] | None = None
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)] = 0
    actors: dict[str, ActorSpec]
    roles: Roles = Roles()
    relations: list[Relation] = []
    dynamics: Dynamics = Dynamics()
    effects: EffectParams = EffectParams()
    world: WorldSpec = WorldSpec()
    mechanisms: dict[Literal[MECHANISMS], bool] = Field(default_factory=dict, description="switch a mechanism off (False)")
    calendar: list[CalendarEvent] = []
    historical_calendar: HistoricalCalendar | None = Field(
        None, description="build calendar entries from the packaged historical data (expanded by the loader)")
    history: HistoricalCalendar | None = Field(
        None, description="the historical window this scenario was built from (set by the loader; read by the model)")
    sources: list[str] = Field(default_factory=list, description="where generated calendar entries came from")

    @model_validator(mode="after")
    def _check(self) -> "Scenario":
        _check_horizon(self)
        _check_actors(self)
        _check_roles(self)
        _check_relations(self)
        _check_calendar(self)
        return self

    @property
    def n_days(self) -> int:
        if self.days is not None:
            return self.days
        return (self.end - self.start).days + 1

    def mechanism_on(self, mid: str) -> bool:
        return self.mechanisms.get(mid, True)

    def actors_with(self, role: str) -> list[str]:
        return [a for a, spec in self.actors.items() if spec.role == role]

    @property
    def provocateur(self) -> str:
        return self.actors_with("provocateur")[0]


def _check_horizon(sc: Scenario) -> None:
    if sc.end is None and sc.days is None:
        raise ValueError("give either 'end' or 'days'")
    if sc.end is not None and sc.end < sc.start:
        raise ValueError(f"end: {sc.end} is before start {sc.start}")
    # the run length and representable dates are limits (sim.limits), checked by the loader


def _check_actors(sc: Scenario) -> None:
    provocateurs = sc.actors_with("provocateur")
    if len(provocateurs) != 1:
        found = f"found {len(provocateurs)}: {', '.join(provocateurs)}" if provocateurs else "found none"
        raise ValueError(f"actors: exactly one actor needs role 'provocateur' ({found})")
    if not sc.actors_with("ally"):
        raise ValueError("actors: at least one actor needs role 'ally' (an adversary of the provocateur)")
    for name in sc.actors:
        if not name or "->" in name or name.strip() != name:
            raise ValueError(f"actors: {name!r} is not a usable actor name (no '->', no surrounding spaces)")


def _check_roles(sc: Scenario) -> None:
    r = sc.roles
    for field, names in (("leverage", [r.leverage]), ("front_line", [r.front_line]),
                         ("drill_hosts", r.drill_hosts), ("sponsor", [r.sponsor])):
        for who in names:
            if who is None:
                continue
            if who not in sc.actors:
                raise ValueError(f"roles.{field}: unknown actor '{who}' (actors: {', '.join(sorted(sc.actors))})")
            if sc.actors[who].role != "ally":
                raise ValueError(f"roles.{field}: '{who}' is a {sc.actors[who].role}, expected an ally")


def _check_relations(sc: Scenario) -> None:
    names, seen = set(sc.actors), {}
    for i, rel in enumerate(sc.relations):
        for who in (rel.a, rel.b):
            if who not in names:
                raise ValueError(f"relations.{i}: unknown actor '{who}' (actors: {', '.join(sorted(names))})")
        if rel.a == rel.b:
            raise ValueError(f"relations.{i}: '{rel.a}' is related to itself")
        pair = frozenset((rel.a, rel.b))
        if pair in seen:
            raise ValueError(f"relations.{i}: the pair {rel.a}-{rel.b} is already given in relations.{seen[pair]}")
        seen[pair] = i


def _check_calendar(sc: Scenario) -> None:
    names = set(sc.actors)
    for i, ev in enumerate(sc.calendar):
        for who in event_actors(ev):
            if who not in names:
                raise ValueError(f"calendar.{i}: unknown actor '{who}' (actors: {', '.join(sorted(names))})")
        begin, end = getattr(ev, "start", None), getattr(ev, "end", None)
        if end is not None and begin is not None and end < begin:
            raise ValueError(f"calendar.{i}: end {end} is before start {begin}")
        if getattr(ev, "participants", True) is None and not sc.roles.drill_hosts:
            raise ValueError(f"calendar.{i}.participants: name the participants, or declare roles.drill_hosts")
