"""The claim of each mechanism (REFERENCE.md section 1) as measured effects; see tests/effects.py.

A claim is a generator: it yields the ensembles it needs (``yield ask(...)`` gets their parts
back) and returns its effects. ``measure(claim, True, False)`` runs the claim with the
mechanism on and off in lockstep, each request of both stepped as one ensemble.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from tests.effects import (ask, count_events, launches, outcome, paired, scenario, scripted, single,
                           window_launches)

FORCE = ("show_of_force", "trilateral_drill")


def m1(on: bool) -> dict:
    """Drills raise launches, and the extra launches fall during and just after the drills."""
    drills, none = scenario("baseline", "M1", on), scenario("baseline", "M1", on, calendar=[])
    a, b = yield ask(drills, none, R=150, daily=True)
    windows = np.zeros(a.n_days, dtype=bool)
    for d in np.flatnonzero(a.calendars[0].drill > 0):
        windows[d:d + 11] = True
    in_window = lambda m: m.daily["test_day"][windows].sum(axis=0)  # noqa: E731
    return {"launch days": paired(outcome(a, "test_days"), outcome(b, "test_days")),
            "launch days in drill windows": paired(in_window(a), in_window(b))}


def m2(on: bool) -> dict:
    """Launches cluster around a high-profile diplomatic event of the adversaries."""
    sc = scenario("diplomatic_signalling", "M2", on)
    drills_only = [e.model_dump() for e in sc.calendar if e.type == "drill"]
    no_visit = scenario("diplomatic_signalling", "M2", on, calendar=drills_only)
    day = (dt.date(2024, 3, 18) - sc.start).days
    a, b = yield ask(sc, no_visit, R=200, daily=True)
    return {"launch days within 3 days of the visit": paired(window_launches(a, day - 3, day + 3),
                                                             window_launches(b, day - 3, day + 3))}


def m3(on: bool) -> dict:
    """The run-up to the leverage power's presidential election raises launches, and their reach."""
    sc = scenario("us_election_runup", "M3", on)
    no_election = scenario("us_election_runup", "M3", on,
                           calendar=[e.model_dump() for e in sc.calendar if e.type != "election"])
    a, b = yield ask(sc, no_election, R=250, events=True)
    return {"launch days": paired(outcome(a, "test_days"), outcome(b, "test_days")),
            "ICBM missiles": paired(outcome(a, "missiles_ICBM"), outcome(b, "missiles_ICBM"))}


def m4(on: bool) -> dict:
    """Sagging internal support drives demonstrations, and demonstrations restore support."""
    low, high = (scenario("baseline", "M4", on, **{"world.domestic_support": v}) for v in (0.1, 0.9))
    a, b = yield ask(low, high, R=150, days=180)
    loud = scripted("baseline", "M4", on, launches())
    quiet = scripted("baseline", "M4", on, [])
    c, d = yield ask(loud, quiet, R=50, daily=True)
    support = lambda m: m.daily["domestic_support"].mean(axis=0)  # noqa: E731
    return {"launch days when support is low": paired(outcome(a, "test_days"), outcome(b, "test_days")),
            "support after demonstrations": paired(support(c), support(d))}


def m5(on: bool) -> dict:
    """Allies answer launches with shows of force and drills, and the answers hold alliance cohesion."""
    loud, quiet = scripted("baseline", "M5", on, launches()), scripted("baseline", "M5", on, [])
    silent = scripted("baseline", "M5", on, launches(), **{f"actors.{x}.policy.params.response_rate": 0.0
                                                           for x in ("US", "ROK", "Japan")})
    a, b, c = yield ask(loud, quiet, silent, R=100, events=True, daily=True)
    cohesion = lambda m: m.daily["cohesion"].mean(axis=(0, 2))  # noqa: E731
    return {"answers to launches": paired(count_events(a, kinds=FORCE), count_events(b, kinds=FORCE)),
            "cohesion held by answers": paired(cohesion(a), cohesion(c))}


def m6(on: bool) -> dict:
    """Testing advances capability even under full sanctions, more slowly than without them; a
    declared development line raises the drive to test."""
    base = {"actors.Russia.policy.params.cooperation_rate": 0.0, "world.cooperation": 0.0}
    full, none = (scenario("baseline", "M6", on, **base, **{"world.sanctions": s}) for s in (1.0, 0.0))
    start = full.actors["DPRK"].capability.ICBM
    line, no_line = (scenario("baseline", "M6", on, **{"world.development_line": v}) for v in (True, False))
    a, b, c, d = yield ask(full, none, line, no_line, R=[200, 200, 150, 150])
    return {"capability growth under full sanctions": single(outcome(a, "final_capability_ICBM") - start),
            "faster growth without sanctions": paired(outcome(b, "final_capability_ICBM"),
                                                      outcome(a, "final_capability_ICBM")),
            "launch days under a development line": paired(outcome(c, "test_days"), outcome(d, "test_days"))}


def m7(on: bool) -> dict:
    """Defence talks raise allied readiness, the provocateur's insecurity, and its launches."""
    sc = scenario("security_dilemma", "M7", on)
    no_talks = scenario("security_dilemma", "M7", on,
                        calendar=[e.model_dump() for e in sc.calendar if e.type != "defense_talks"])
    a, b = yield ask(sc, no_talks, R=150, daily=True)
    rok, pair = a.cast.index("ROK"), a.cast.names
    readiness = lambda m: m.daily["readiness"][:, :, rok].mean(axis=0)  # noqa: E731
    k = [(x, y) for x in pair for y in pair if x != y].index(("DPRK", "ROK"))
    insecurity = lambda m: m.daily["tension"][:, :, k].mean(axis=0)  # noqa: E731
    return {"ROK readiness": paired(readiness(a), readiness(b)),
            "DPRK insecurity toward the ROK": paired(insecurity(a), insecurity(b)),
            "launch days": paired(outcome(a, "test_days"), outcome(b, "test_days"))}


def m8(on: bool) -> dict:
    """As provocations pile up, allies turn from dialogue to sanctions and table UN resolutions."""
    many = scripted("baseline", "M8", on, launches(every=14))
    none = scripted("baseline", "M8", on, [])
    major = scripted("baseline", "M8", on, launches(months=(3, 7), cls="ICBM"))
    a, b, c, d = yield ask(many, none, major, none, R=[150, 150, 200, 200], events=True)
    return {"unilateral sanctions": paired(count_events(a, kinds=("unilateral_sanctions",)),
                                           count_events(b, kinds=("unilateral_sanctions",))),
            "fewer dialogue offers": paired(count_events(b, kinds=("dialogue_offer",)),
                                            count_events(a, kinds=("dialogue_offer",))),
            "UN proposals after major tests": paired(count_events(c, kinds=("un_sanctions_propose",)),
                                                     count_events(d, kinds=("un_sanctions_propose",)))}


def m9(on: bool) -> dict:
    """Patron cooperation raises capability and launches, and shields the provocateur with vetoes."""
    coop = scenario("russia_cooperation", "M9", on)
    alone = scenario("russia_cooperation", "M9", on, **{"world.cooperation": 0.0,
                                                        "actors.Russia.policy.params.cooperation_rate": 0.0})
    a, b = yield ask(coop, alone, R=150)
    return {"ICBM capability": paired(outcome(a, "final_capability_ICBM"), outcome(b, "final_capability_ICBM")),
            "launch days": paired(outcome(a, "test_days"), outcome(b, "test_days")),
            "vetoed resolutions": paired(outcome(a, "sanctions_vetoed"), outcome(b, "sanctions_vetoed"))}


def m10(on: bool) -> dict:
    """Allied readiness deters armed clashes, and is cited as justification for launches.

    M7 and M11 are off in both arms: readiness built up from a low start would otherwise feed
    insecurity (M7) and confound the comparison of a ready and a lax alliance.
    """
    alone = {"mechanisms.M7": False, "mechanisms.M11": False}
    ready = {"actors.US.readiness": 0.9, "actors.ROK.readiness": 0.9, **alone}
    lax = {"actors.US.readiness": 0.1, "actors.ROK.readiness": 0.1, **alone}
    a, b = yield ask(scenario("arms_race", "M10", on, **ready), scenario("arms_race", "M10", on, **lax), R=100)
    held = {"actors.DPRK.policy.name": "scripted", "dynamics.clash_threshold": 0.8}
    c, d = yield ask(scenario("arms_race", "M10", on, **ready, **held), scenario("arms_race", "M10", on, **lax, **held),
                R=120, events=True)
    clashes = lambda m: count_events(m, kinds=("armed_clash",), source=None)  # noqa: E731
    return {"launch days (justification)": paired(outcome(a, "test_days"), outcome(b, "test_days")),
            "fewer clashes (deterrence)": paired(clashes(d), clashes(c))}


def m11(on: bool) -> dict:
    """Launches frighten exposed neighbours, who build readiness."""
    exposed = scripted("baseline", "M11", on, launches())
    sheltered = scripted("baseline", "M11", on, launches(), **{"actors.Japan.exposure": 0.0})
    a, b = yield ask(exposed, sheltered, R=100, daily=True)
    japan = a.cast.index("Japan")
    names = a.cast.names
    k = [(x, y) for x in names for y in names if x != y].index(("Japan", "DPRK"))
    fear = lambda m: m.daily["tension"][:, :, k].mean(axis=0)  # noqa: E731
    ready = lambda m: m.daily["readiness"][-1, :, japan]  # noqa: E731
    return {"Japan's fear of the DPRK": paired(fear(a), fear(b)), "Japan's readiness": paired(ready(a), ready(b))}


def m12(on: bool) -> dict:
    """A progressive front-line government answers with less force and more dialogue; a divided
    public decides the front line's presidential elections."""
    dove, hawk = (scenario("baseline", "M12", on, **{"world.orientation": o}) for o in ("progressive", "conservative"))
    a, b = yield ask(dove, hawk, R=300, events=True)
    force = ("show_of_force", "trilateral_drill", "readiness")
    talk = ("dialogue_offer", "talks", "summit")
    election = [{"type": "election", "date": "2023-01-20", "country": "ROK", "kind": "presidential"}]
    keen, wary = (scenario("baseline", "M12", on, calendar=election, **{"world.public_dialogue_share": s})
                  for s in (0.9, 0.1))
    c, d = yield ask(keen, wary, R=200, days=40)
    return {"less ROK force": paired(count_events(b, "ROK", force), count_events(a, "ROK", force)),
            "more ROK dialogue": paired(count_events(a, "ROK", talk), count_events(b, "ROK", talk)),
            "elections follow the public": paired(c.world.progressive, d.world.progressive)}


def m13(on: bool) -> dict:
    """When tensions run high, confrontation follows: threats, nuclear tests and armed clashes."""
    still = {f"relations.{i}.reaction_{d}": 0.0 for i in range(4, 8) for d in ("ab", "ba")}
    hot, calm = scenario("arms_race", "M13", on), scenario("arms_race", "M13", on, **still)
    a, b = yield ask(hot, calm, R=80, events=True)
    acts = lambda m: count_events(m, "DPRK", ("threat", "nuclear_test"))  # noqa: E731
    clashes = lambda m: count_events(m, kinds=("armed_clash",), source=None)  # noqa: E731
    return {"threats and nuclear tests": paired(acts(a), acts(b)), "armed clashes": paired(clashes(a), clashes(b))}


CLAIMS = {f"M{i}": f for i, f in enumerate((m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13), start=1)}
