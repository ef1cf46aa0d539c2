"""The scenario schema: what a YAML scenario may say, with its defaults.

Every model here is frozen and rejects unknown keys, so a typo in a scenario is an error
rather than a silently ignored setting. Defaults are documented in the field descriptions
and in README.md ("Scenario format").
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

MISSILE_CLASSES = ("SRBM", "MRBM_IRBM", "ICBM", "SLBM", "HYPERSONIC")
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
NonNeg = Annotated[float, Field(ge=0.0)]


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PolicySpec(Strict):
    name: str = Field("reactive", description="policy name: reactive, hawk, dove, tit_for_tat, scripted")
    params: dict[str, float] = Field(default_factory=dict, description="overrides of the policy's parameters")


class ActorSpec(Strict):
    role: Literal["provocateur", "ally", "patron"] = Field(
        ..., description="provocateur (DPRK doctrine), ally (deterrence coalition), patron (partner with veto)")
    policy: PolicySpec = PolicySpec()
    restraint: NonNeg = Field(0.05, description="Richardson fatigue m: daily decay rate of this actor's tensions")
    sensitivity: NonNeg = Field(1.0, description="how strongly actions aimed at this actor raise its tension")
    exposure: NonNeg = Field(0.0, description="fear of launches aimed at others (regional fear, M11)")
    readiness: Probability = Field(0.3, description="initial military readiness")
    veto: bool = Field(False, description="permanent UNSC member that may veto sanctions")
    capability: dict[Literal[MISSILE_CLASSES], Probability] = Field(
        default_factory=dict, description="initial missile capability by class (provocateur)")


class Relation(Strict):
    a: str
    b: str
    kind: Literal["alliance", "partnership", "adversary", "neutral"] = "adversary"
    reaction_ab: NonNeg = Field(0.0, description="Richardson a: rate at which a's tension toward b follows b's toward a")
    reaction_ba: NonNeg = Field(0.0, description="Richardson b: the same for b toward a")
    grievance_ab: float = Field(0.0, description="Richardson g: constant drive of a's tension toward b (per day)")
    grievance_ba: float = Field(0.0, description="Richardson h: the same for b toward a")
    tension_ab: float = Field(0.0, description="initial tension of a toward b")
    tension_ba: float = Field(0.0, description="initial tension of b toward a")
    cohesion: Probability = Field(0.8, description="initial alliance cohesion (alliances only)")


class Dynamics(Strict):
    dt: Annotated[float, Field(gt=0.0, le=2.0)] = Field(
        1.0, description="rate multiplier of the tension update per daily step (Richardson's dt; a step is always one day)")
    noise: NonNeg = Field(0.01, description="standard deviation of daily tension noise (0 = deterministic)")
    actions: bool = Field(True, description="False: no actor acts and no calendar action is forced; with an empty "
                          "calendar and zero noise the tensions follow Richardson's model exactly")
    event_half_life: Annotated[float, Field(gt=0.0)] = Field(10.0, description="days for an action's weight in the index to halve")
    clash_threshold: NonNeg = Field(1.2, description="adversarial tension above which an armed clash becomes possible")
    clash_rate: Probability = Field(0.02, description="daily clash probability per unit of tension above the threshold")


class WorldSpec(Strict):
    sanctions: Probability = Field(0.3, description="initial sanctions pressure on the provocateur")
    russia_cooperation: Probability = Field(0.0, description="initial patron-provocateur military cooperation")
    rok_orientation: Literal["conservative", "progressive"] = "conservative"
    public_dialogue_share: Probability = Field(0.5, description="share of the ROK public favouring dialogue")
    domestic_support: Probability = Field(0.7, description="initial internal support of the provocateur regime")
    dialogue_state: Literal["none", "offered", "talks", "summit"] = "none"


Mechanism = Literal["M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8", "M9", "M10", "M11", "M12", "M13"]


class _Event(Strict):
    name: str = ""
    note: str = ""


class Drill(_Event):
    type: Literal["drill"]
    start: dt.date
    end: dt.date
    participants: list[str] = ["US", "ROK"]
    scale: Annotated[float, Field(gt=0.0, le=3.0)] = Field(1.0, description="1 = a full combined exercise")
    field: bool = Field(True, description="field training (FTX) as well as command post")


class Visit(_Event):
    type: Literal["visit"]
    date: dt.date
    host: str
    visitor: str


class Summit(_Event):
    type: Literal["summit"]
    start: dt.date
    end: dt.date | None = None
    participants: list[str]
    outcome: Literal["agreement", "no_agreement", "meeting"] = "meeting"


class Election(_Event):
    type: Literal["election"]
    date: dt.date
    country: str
    kind: Literal["presidential", "legislative", "midterm"] = "presidential"


class GovernmentChange(_Event):
    type: Literal["government_change"]
    date: dt.date
    country: str
    orientation: Literal["conservative", "progressive"]


class SanctionsResolution(_Event):
    type: Literal["sanctions_resolution"]
    date: dt.date
    outcome: Literal["adopted", "vetoed", "renewal"] = "adopted"
    strength: Probability = Field(0.1, description="added sanctions pressure if adopted")
    vetoed_by: list[str] = []


class DefenseTalks(_Event):
    type: Literal["defense_talks"]
    date: dt.date
    participants: list[str] = ["US", "ROK"]


class Shock(_Event):
    type: Literal["shock"]
    date: dt.date
    tension: dict[str, float] = Field(default_factory=dict, description="'A->B': added tension")
    sanctions: float = 0.0
    russia_cooperation: float = 0.0


ACTION_KINDS = (
    "joint_drill", "trilateral_drill", "show_of_force", "readiness", "threat", "missile_test", "nuclear_test",
    "unilateral_sanctions", "un_sanctions_propose", "veto", "military_cooperation", "dialogue_offer",
    "dialogue_accept", "talks", "summit", "walk_out",
)


class ForcedAction(_Event):
    type: Literal["action"]
    date: dt.date
    actor: str
    action: Literal[ACTION_KINDS]
    target: str = ""
    missile_class: Literal[MISSILE_CLASSES] | None = None
    salvo: Annotated[int, Field(ge=1, le=20)] = 1

    @model_validator(mode="after")
    def _class_for_launch(self) -> "ForcedAction":
        if self.action == "missile_test" and self.missile_class is None:
            raise ValueError("a missile_test needs missile_class (one of: " + ", ".join(MISSILE_CLASSES) + ")")
        return self


CalendarEvent = Annotated[
    Drill | Visit | Summit | Election | GovernmentChange | SanctionsResolution | DefenseTalks | Shock | ForcedAction,
    Field(discriminator="type"),
]


class HistoricalCalendar(Strict):
    start: dt.date = dt.date(2010, 1, 1)
    end: dt.date = dt.date(2019, 12, 31)
    include: list[Literal["exercises", "diplomacy", "unsc", "politics"]] = ["exercises", "diplomacy", "unsc", "politics"]


class Scenario(Strict):
    name: str
    description: str = Field(..., min_length=1)
    question: str = Field("", description="the question this scenario asks")
    extends: str | None = Field(None, description="path of a scenario this one overrides (resolved by the loader)")
    start: dt.date
    end: dt.date | None = None
    days: Annotated[int, Field(ge=1, le=36600)] | None = None
    seed: Annotated[int, Field(ge=0)] = 0
    actors: dict[str, ActorSpec]
    relations: list[Relation] = []
    dynamics: Dynamics = Dynamics()
    world: WorldSpec = WorldSpec()
    mechanisms: dict[Mechanism, bool] = Field(default_factory=dict, description="switch a mechanism off (False)")
    calendar: list[CalendarEvent] = []
    historical_calendar: HistoricalCalendar | None = Field(
        None, description="build calendar entries from the packaged historical data (expanded by the loader)")
    sources: list[str] = Field(default_factory=list, description="where generated calendar entries came from")

    @model_validator(mode="after")
    def _check(self) -> "Scenario":
        if self.end is None and self.days is None:
            raise ValueError("give either 'end' or 'days'")
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        if not any(a.role == "provocateur" for a in self.actors.values()):
            raise ValueError("actors: one actor needs role 'provocateur'")
        names = set(self.actors)
        for i, rel in enumerate(self.relations):
            for who in (rel.a, rel.b):
                if who not in names:
                    raise ValueError(f"relations.{i}: unknown actor '{who}' (actors: {', '.join(sorted(names))})")
        for i, ev in enumerate(self.calendar):
            for who in _event_actors(ev):
                if who not in names and who != "UN":
                    raise ValueError(f"calendar.{i}: unknown actor '{who}' (actors: {', '.join(sorted(names))})")
            end = getattr(ev, "end", None)
            begin = getattr(ev, "start", None)
            if end is not None and begin is not None and end < begin:
                raise ValueError(f"calendar.{i}: end {end} is before start {begin}")
        return self

    @property
    def n_days(self) -> int:
        if self.days is not None:
            return self.days
        return (self.end - self.start).days + 1

    def mechanism_on(self, mid: str) -> bool:
        return self.mechanisms.get(mid, True)


def _event_actors(ev: Any) -> list[str]:
    out: list[str] = list(getattr(ev, "participants", []) or [])
    for attr in ("host", "visitor", "actor"):
        v = getattr(ev, attr, None)
        if v:
            out.append(v)
    if getattr(ev, "type", "") in ("election", "government_change"):
        out.append(ev.country)
    if getattr(ev, "target", ""):
        out.append(ev.target)
    out.extend(getattr(ev, "vetoed_by", []) or [])
    return out
