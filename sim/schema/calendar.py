"""Calendar entries: the dated inputs of a scenario, real or hypothetical.

Every entry is exogenous: a drill that is held, a summit, an election, a UN vote, a policy line
the provocateur declares, a patron's treaty. The model compiles them into daily features and
state changes (``sim.model.calendar``); forced entries act exactly as the same event does when
an actor chooses it. The historical builder (``sim.schema.historical``) writes these same
entries from the packaged data, so a user can edit a real calendar like any other.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from sim.schema.params import MISSILE_CLASSES, Strict

Probability = Annotated[float, Field(ge=0.0, le=1.0)]


class _Event(Strict):
    name: str = ""
    note: str = ""


class Drill(_Event):
    type: Literal["drill"]
    start: dt.date
    end: dt.date
    participants: list[str] | None = Field(None, description="allies holding it (default: roles.drill_hosts)")
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
    participants: list[str] = Field(..., min_length=2)
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
    orientation: Literal["conservative", "progressive"] | None = Field(
        None, description="the new government's orientation (the front-line ally's matters, M12)")


class SanctionsResolution(_Event):
    type: Literal["sanctions_resolution"]
    date: dt.date
    outcome: Literal["adopted", "vetoed", "renewal"] = "adopted"
    strength: Probability = Field(0.1, description="added sanctions pressure if adopted")
    vetoed_by: list[str] = []
    sponsor: str | None = Field(None, description="who tabled it (default: roles.sponsor)")


class DefenseTalks(_Event):
    type: Literal["defense_talks"]
    date: dt.date
    participants: list[str] | None = Field(None, description="default: roles.drill_hosts")


class AllianceDocument(_Event):
    type: Literal["alliance_document"]
    date: dt.date
    participants: list[str] | None = Field(None, description="allies signing it (default: roles.drill_hosts)")


class Shock(_Event):
    type: Literal["shock"]
    date: dt.date
    tension: dict[str, Annotated[float, Field(ge=-100.0, le=100.0)]] = Field(
        default_factory=dict, description="'A->B': tension added to A's hostility toward B")
    sanctions: Annotated[float, Field(ge=-1.0, le=1.0)] = 0.0
    cooperation: Annotated[float, Field(ge=-1.0, le=1.0)] = 0.0

    @model_validator(mode="after")
    def _dyads(self) -> "Shock":
        for key in self.tension:
            a, sep, b = key.partition("->")
            if not sep or not a.strip() or not b.strip():
                raise ValueError(f"tension: key {key!r} must read 'A->B'")
        return self


class DevelopmentLine(_Event):
    type: Literal["development_line"]
    date: dt.date
    declared: Literal["start", "complete"] = Field(
        "start", description="a weapons-development line or plan declared, or declared complete (M6)")


class HostilityDoctrine(_Event):
    type: Literal["hostility_doctrine"]
    date: dt.date


class Succession(_Event):
    type: Literal["succession"]
    date: dt.date


class BorderClosure(_Event):
    type: Literal["border_closure"]
    start: dt.date
    end: dt.date | None = None


class MonitoringEnd(_Event):
    type: Literal["monitoring_end"]
    date: dt.date


class War(_Event):
    type: Literal["war"]
    start: dt.date
    end: dt.date | None = None
    actor: str


class PatronMilestone(_Event):
    type: Literal["patron_milestone"]
    date: dt.date
    patron: str
    kind: Literal["summit", "visit", "arms", "troops", "treaty"] = "summit"


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
    success: bool | None = Field(None, description="a replayed launch's observed outcome (default: drawn)")

    @model_validator(mode="after")
    def _class_for_launch(self) -> "ForcedAction":
        if self.action == "missile_test" and self.missile_class is None:
            raise ValueError("a missile_test needs missile_class (one of: " + ", ".join(MISSILE_CLASSES) + ")")
        return self


EVENT_TYPES = (Drill, Visit, Summit, Election, GovernmentChange, SanctionsResolution, DefenseTalks, AllianceDocument,
               Shock, DevelopmentLine, HostilityDoctrine, Succession, BorderClosure, MonitoringEnd, War,
               PatronMilestone, ForcedAction)
CalendarEvent = Annotated[
    Drill | Visit | Summit | Election | GovernmentChange | SanctionsResolution | DefenseTalks | AllianceDocument
    | Shock | DevelopmentLine | HostilityDoctrine | Succession | BorderClosure | MonitoringEnd | War
    | PatronMilestone | ForcedAction,
    Field(discriminator="type"),
]
EVENT_TAGS = tuple(t.model_fields["type"].annotation.__args__[0] for t in EVENT_TYPES)
SOURCES = ("exercises", "diplomacy", "unsc", "politics", "policy")


class HistoricalCalendar(Strict):
    start: dt.date = dt.date(2010, 1, 1)
    end: dt.date = dt.date(2019, 12, 31)
    include: list[Literal[SOURCES]] = list(SOURCES)
    state: bool = Field(True, description="start from the world as the data say it was on the scenario's start date")
    replay_until: dt.date | None = Field(
        None, description="replay the provocateur's observed launches and nuclear tests up to this date "
        "(the packaged record ends 2019-12-31); it decides freely afterwards")
    replay_record: Literal["packaged", "calendar"] = Field(
        "packaged", description="the launches replayed: the packaged observed record, or the scenario's own forced "
        "launches (a synthetic record, e.g. to test that calibration recovers known parameters)")
    aliases: dict[str, str] = Field(default_factory=dict, description="data name -> actor name, e.g. {US: USA}")


def first_day(ev: Any) -> dt.date:
    return getattr(ev, "date", None) or ev.start


def last_day(ev: Any) -> dt.date:
    return getattr(ev, "end", None) or first_day(ev)


def event_actors(ev: Any) -> list[str]:
    """Every actor name an entry refers to, so the schema can check they exist."""
    out: list[str] = list(getattr(ev, "participants", None) or [])
    for attr in ("host", "visitor", "actor", "patron", "sponsor", "target"):
        v = getattr(ev, attr, None)
        if v:
            out.append(v)
    if ev.type in ("election", "government_change"):
        out.append(ev.country)
    out.extend(getattr(ev, "vetoed_by", None) or [])
    for key in getattr(ev, "tension", None) or {}:
        a, _, b = key.partition("->")
        out += [a.strip(), b.strip()]
    return out
