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


def describe(m, log: list) -> tuple[list[str], list[str]]:
    """(causes, reasons) of every row of the log (its entries' replications, in order).

    Rows that share everything their sentence depends on (the entry's cause, the calendar group,
    the day where a drill is named, and the cause's numbers, or for a launch the hazard terms it
    names) share one formatted sentence, so a large ensemble's log is formatted once per
    distinct sentence rather than once per row."""
    sizes = np.array([len(e.rep) for e in log], dtype=np.int64)
    ends = np.cumsum(sizes)
    entry = np.repeat(np.arange(len(log)), sizes)
    within = np.arange(len(entry)) - np.repeat(ends - sizes, sizes)
    heads: dict[tuple, int] = {}
    codes = np.array([heads.setdefault(_head(e), len(heads)) for e in log])
    width = max([TOP] + [e.detail.shape[1] for e in log if e.detail is not None and e.detail.ndim == 2])
    key = np.full((len(entry), 3 + width), -np.inf)
    key[:, 0] = codes[entry]
    for i, e in enumerate(log):
        rows = slice(ends[i] - sizes[i], ends[i])
        key[rows, 1] = m.group[e.rep]
        key[rows, 2] = e.day if e.source != "calendar" and e.cause in DATED else 0
        values = _named_terms(e.detail) if e.source != "calendar" and e.cause == "hazard" else e.detail
        if values is not None and e.source != "calendar":
            values = np.asarray(values, float).reshape(len(e.rep), -1)
            key[rows, 3:3 + values.shape[1]] = values
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    said = [_say(m, log[entry[j]], int(within[j])) for j in first]
    inverse = inverse.reshape(-1)
    return [said[i][0] for i in inverse], [said[i][1] for i in inverse]


DATED = ("hazard", "drill_in_talks")  # causes whose sentence names the day's drill or event


def _head(e) -> tuple:
    return ("calendar", e.label) if e.source == "calendar" else (e.cause, e.kind == "un_sanctions_vetoed")


def _named_terms(terms: np.ndarray) -> np.ndarray:
    """(k, TOP) the hazard terms a launch's sentence names, largest first (-1 where fewer)."""
    order = np.argsort(-terms, axis=1, kind="stable")[:, :TOP]
    shown = np.take_along_axis(terms, order, axis=1) > SHOWN
    return np.where(shown, order, -1)


def _say(m, e, k: int) -> tuple[str, str]:
    """(cause, reason) of the k-th replication of one entry."""
    if e.source == "calendar":
        return "calendar", f"calendar: {e.label}"
    group = int(m.group[e.rep[k]])
    if e.cause == "hazard":
        return _hazard(m, group, e.day, [int(x) for x in _named_terms(e.detail[k:k + 1])[0] if x >= 0])
    return _sentence(m, e, group, e.detail[k] if e.detail is not None else ())


def _sentence(m, e, group: int, detail) -> tuple[str, str]:
    label, template = CAUSES[e.cause]
    cal = m.calendars[group]
    values = {"prov": m.cast.names[m.cast.prov], "drill": cal.drill_name[e.day] or "drill",
              "cls": MISSILE_CLASSES[int(detail[0])] if e.cause == "answer_launch" and len(detail) else "",
              **{f"days{i}": _days(v) for i, v in enumerate(detail)}}
    text = template.format(*detail, **values)
    if e.kind == "un_sanctions_vetoed":
        text += " (veto)"
    return label, text


def _hazard(m, group: int, t: int, order: list[int]) -> tuple[str, str]:
    cal = m.calendars[group]
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
