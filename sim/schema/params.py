"""Policy and effect parameters: one typed home for every number a user may vary or calibrate.

Each role's doctrine reads its parameters from one frozen model here, so a value is checked
once, where it is declared: its default, its bounds (probabilities in [0, 1], rates >= 0,
everything finite) and the mechanism of the seed documents it carries (``mechanism`` in the
field's JSON schema, listed by ``parameter_table``). The model reads these values and never
changes them: switching a mechanism off gates its terms in the rules instead.

Log-hazard weights (``drill_response`` and the like) are coefficients, not rates: they may be
negative (an estimate can say "drills deter"), within [-10, 10].
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

MISSILE_CLASSES = ("SRBM", "MRBM_IRBM", "ICBM", "SLBM", "HYPERSONIC")
MECHANISMS = tuple(f"M{i}" for i in range(1, 14))
CORE = "core"  # a parameter of the model's skeleton rather than of one mechanism


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


def _param(default: float, mechanism: str, description: str, **bounds: float) -> Any:
    return Field(default, description=description, json_schema_extra={"mechanism": mechanism}, **bounds)


def prob(default: float, mechanism: str, description: str) -> Any:
    return _param(default, mechanism, description, ge=0.0, le=1.0)


def rate(default: float, mechanism: str, description: str, le: float = 1e6) -> Any:
    return _param(default, mechanism, description, ge=0.0, le=le)


def weight(default: float, mechanism: str, description: str) -> Any:
    return _param(default, mechanism, description, ge=-10.0, le=10.0)


class ClassWeights(Strict):
    """Relative propensity to test each missile class, before capability (M6) scales it."""

    SRBM: float = rate(1.0, CORE, "short-range ballistic missiles", le=100.0)
    MRBM_IRBM: float = rate(0.35, CORE, "medium- and intermediate-range ballistic missiles", le=100.0)
    ICBM: float = rate(0.06, CORE, "intercontinental ballistic missiles and space launch vehicles", le=100.0)
    SLBM: float = rate(0.1, CORE, "submarine-launched ballistic missiles", le=100.0)
    HYPERSONIC: float = rate(0.08, CORE, "hypersonic glide vehicles", le=100.0)


class ProvocateurParams(Strict):
    """The provocateur's doctrine: a launch hazard whose log is a sum of named mechanism terms."""

    base_rate: float = prob(0.012, CORE, "daily launch hazard with every driver at zero")
    drill_response: float = weight(1.4, "M1", "log-hazard weight of allied drills under way or just ended")
    diplomatic_signal: float = weight(1.2, "M2", "log-hazard weight around adversaries' high-profile diplomatic events")
    election_leverage: float = weight(1.1, "M3", "log-hazard weight in the run-up to the leverage power's presidential election")
    domestic_need: float = weight(1.5, "M4", "log-hazard weight of sagging internal support (1 - support)")
    development_drive: float = weight(1.0, "M6", "log-hazard weight of a declared weapons-development line in force")
    tension_response: float = weight(0.6, "M7", "log-hazard weight per unit of mean tension toward the allies")
    cooperation_boldness: float = weight(1.0, "M9", "log-hazard weight per unit of patron military cooperation")
    deterrence_justification: float = weight(0.6, "M10", "log-hazard weight of mean allied readiness, cited as justification")
    dialogue_restraint: float = weight(2.0, "M8", "log-hazard reduction while talks are under way")
    class_weights: ClassWeights = Field(default_factory=ClassWeights, description="propensity by missile class")
    salvo_mean: float = _param(2.0, CORE, "mean size of a short-range salvo (1 = single launches)", ge=1.0, le=20.0)
    threat_rate: float = prob(0.03, "M13", "daily chance of threats or rhetoric at unit tension")
    nuclear_rate: float = prob(0.0006, "M13", "daily chance of a nuclear test when capable and tense")
    accept_rate: float = prob(0.04, CORE, "daily chance of accepting an offer of talks, scaled by sanctions pressure")
    walkout_rate: float = prob(0.25, "M1", "daily chance of walking out of talks while a drill is under way")
    talks_fatigue: float = prob(0.004, CORE, "daily chance of walking out of talks with no drill under way")
    succession_shock: float = prob(0.3, "M4", "internal support lost at a leadership succession (a new leader must consolidate)")
    hostility_grievance: float = rate(0.004, "M7", "daily grievance toward the allies added by a declared hostility doctrine", le=1.0)


class AllyParams(Strict):
    """An ally's doctrine: answer launches, build readiness, choose between sanctions and dialogue."""

    response_rate: float = prob(0.45, "M5", "chance of answering a launch with a show of force or a drill")
    trilateral_share: float = prob(0.35, "M5", "share of answers that are trilateral drills")
    readiness_rate: float = rate(0.02, "M11", "daily chance of raising readiness, per unit of fear of the provocateur", le=1.0)
    un_sponsor: float = prob(0.0, "M8", "chance of proposing UN sanctions after a major provocation")
    response_tempo: float = prob(0.01, CORE, "daily chance of a policy move (sanctions or dialogue)")
    shift_center: float = rate(4.0, "M8", "provocation stock at which sanctions and dialogue are even", le=1000.0)
    shift_slope: float = rate(0.8, "M8", "how sharply the response shifts toward sanctions as provocations pile up", le=100.0)
    talks_rate: float = prob(0.02, CORE, "daily chance of holding a round while talks are under way")
    summit_rate: float = prob(0.004, CORE, "daily chance of a summit after a month of talks")
    progressive_restraint: float = rate(0.7, "M12", "log-scale restraint of force by a progressive front-line government", le=10.0)
    progressive_lean: float = rate(1.0, "M12", "log-odds shift from sanctions to dialogue under a progressive front-line government", le=10.0)
    progressive_summitry: float = rate(2.0, "M12", "summit propensity multiplier under a progressive front-line government", le=100.0)


class PatronParams(Strict):
    """A patron's doctrine: military cooperation with the provocateur and vetoes at the UN."""

    cooperation_rate: float = prob(0.004, "M9", "daily chance of military cooperation with the provocateur")
    veto_base: float = prob(0.1, CORE, "chance of vetoing UN sanctions with no cooperation")
    veto_cooperation: float = prob(0.85, "M9", "added veto chance at full cooperation")
    war_demand: float = rate(1.0, "M9", "relative rise in cooperation while the patron fights a war of its own", le=100.0)


class EffectParams(Strict):
    """How the world answers dated inputs and actions: the strengths the calendar's entries carry."""

    drill_pressure: float = rate(0.012, "M1", "daily tension a drill under way adds to the provocateur toward its participants", le=1.0)
    readiness_pressure: float = rate(0.02, "M7", "daily tension per unit of allied readiness above its start", le=1.0)
    defense_talks_readiness: float = prob(0.1, "M7", "readiness added by US-ally defence talks or an alliance document")
    alliance_cohesion: float = prob(0.1, "M5", "alliance cohesion added by an alliance document or summit")
    breakdown_tension: float = rate(0.15, "M8", "tension the provocateur takes away from talks that break down", le=10.0)
    milestone_cooperation: float = prob(0.1, "M9", "cooperation added by a patron summit, visit or arms-trade milestone")
    treaty_cooperation: float = prob(0.3, "M9", "cooperation added by a treaty with the patron")
    closure_evasion_cut: float = prob(0.5, "M6", "share of sanctions evasion cut while the provocateur's borders are closed")
    closure_research_cut: float = prob(0.5, "M6", "share of weapons research cut while the borders are closed")
    veto_shield: float = prob(0.05, "M9", "cooperation added when a patron vetoes sanctions on the provocateur")
    monitoring_gap: float = rate(0.5, "M9", "relative rise in sanctions evasion once UN sanctions monitoring ends", le=10.0)


ROLE_PARAMS: dict[str, type[Strict]] = {"provocateur": ProvocateurParams, "ally": AllyParams, "patron": PatronParams}


def parameter_table() -> list[dict[str, Any]]:
    """Every parameter with its section, default, bounds and mechanism: docs and calibration read this."""
    rows = []
    for section, model in (*ROLE_PARAMS.items(), ("effects", EffectParams), ("class_weights", ClassWeights)):
        for name, field in model.model_fields.items():
            if name == "class_weights":
                continue
            extra = field.json_schema_extra or {}
            bounds = {type(m).__name__: getattr(m, type(m).__name__.lower(), None) for m in field.metadata}
            rows.append({"section": section, "name": name, "default": field.default,
                         "low": bounds.get("Ge"), "high": bounds.get("Le"),
                         "mechanism": extra.get("mechanism", CORE), "description": field.description})
    return rows
