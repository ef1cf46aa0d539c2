"""The event log's words: every recorded move with its cause (the mechanism that drove it) and a
sentence saying why, formatted once at the end of a run from the numbers kept with the move."""

from __future__ import annotations

import numpy as np

from sim.model.hazard import TERM_NAMES, TERMS
from sim.schema.params import MISSILE_CLASSES

SHOWN = 0.05   # a hazard term must add at least this much to the log-hazard to be named
TOP = 2        # ... and at most this many are named

# cause code -> (mechanism label for the ``cause`` column, sentence template over the detail numbers)
CAUSES = {
    "answer_launch": ("M5", "{prov} {cls} launch yesterday"),
    "fear": ("M11", "threat perception {0:.2f}"),
    "major_provocation": ("M8", "major provocation {days0} ago"),
    "talks_under_way": ("M8", "talks under way"),
    "provocations": ("M8", "provocations {0:.1f}"),
    "quiet": ("M8", "provocations {0:.1f}, last launch {days1} ago"),
    "shield": ("M9", "shields its partner; cooperation {0:.2f}"),
    "rivalry": ("M9", "rivalry with the allies {0:.2f}"),
    "sanctions": ("M8", "sanctions pressure {0:.2f}"),
    "drill_in_talks": ("M1", "drill {drill} during talks"),
    "talks_stalled": ("M8", "talks stalled after {days0}; sanctions {1:.2f}"),
    "tension": ("M13", "tension {0:.2f}"),
    "mutual_tension": ("M13", "mutual tension {0:.2f}"),
    "un_vote": ("M8", "UN vote"),
    "tit_for_tat": ("policy", "tit for tat"),
}


def describe(m, rec: dict, k: int) -> tuple[str, str]:
    """(cause, reason) of the k-th replication of one recorded move."""
    mv, r, t = rec["move"], int(rec["rep"][k]), rec["day"]
    if mv.source == "calendar":
        return "calendar", f"calendar: {mv.label}"
    if mv.cause == "hazard":
        return _hazard(m, r, t, rec["detail"][k])
    label, template = CAUSES[mv.cause]
    detail = rec["detail"][k] if rec["detail"] is not None else ()
    cal = m.calendars[m.group[r]]
    values = {"prov": m.cast.names[m.cast.prov], "drill": cal.drill_name[t] or "drill",
              "cls": MISSILE_CLASSES[int(detail[0])] if mv.cause == "answer_launch" and len(detail) else "",
              **{f"days{i}": _days(v) for i, v in enumerate(detail)}}
    text = template.format(*detail, **values)
    if mv.kind == "un_sanctions_vetoed":
        text += " (veto)"
    return label, text


def _hazard(m, r: int, t: int, terms: np.ndarray) -> tuple[str, str]:
    order = [k for k in np.argsort(-terms, kind="stable") if terms[k] > SHOWN][:TOP]
    cal = m.calendars[m.group[r]]
    parts = []
    for k in order:
        name = TERM_NAMES[k]
        if name == "drill":
            since = cal.days_since_drill[t]
            parts.append(f"drill {cal.drill_name[t]} " + ("under way" if since == 0 else f"ended {_days(since)} ago"))
        elif name == "signal":
            parts.append(f"around {cal.signal_name[t]}")
        elif name == "election":
            parts.append(f"leverage: {cal.election_name[t]}")
        else:
            parts.append(PHRASES[name])
    cause = "+".join(TERMS[TERM_NAMES[k]][1] for k in order) or "base rate"
    return cause, "; ".join(parts) or "base rate"


PHRASES = {"domestic": "internal support sagging", "development": "a declared development line",
           "tension": "tension with the allies", "cooperation": "patron cooperation",
           "deterrence": "allied readiness cited as a threat", "talks": "talks under way"}


def _days(d) -> str:
    d = int(d)
    return "never" if d >= 10**6 else "today" if d == 0 else "1 day" if d == 1 else f"{d} days"
