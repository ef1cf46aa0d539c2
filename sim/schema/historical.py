"""Build a scenario calendar from the packaged historical data (sim/data, see SOURCES.md).

The historical scenarios (e.g. ``historical_2010_2019``) replay the real sequence of
exercises, summits, UN sanctions and elections, and let the model generate the DPRK's
launches. This module turns the CSV rows into plain dicts that validate against the
``CalendarEvent`` union of ``sim.schema.scenario``, so that the same calendar can be written
to YAML, merged with hand-written events, or passed straight to ``Scenario``.

The mapping rules are deliberately simple and documented per source below; rows that cannot
be placed on a calendar (no dates, events that did not happen, duplicates of another file)
are skipped rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

from sim import data

SOURCES = ("exercises", "diplomacy", "unsc", "politics")
VETO_POWERS = ("China", "France", "Russia", "UK", "US")
SECTORAL_STRENGTH = 0.15  # bans and caps on whole export/import sectors (coal, oil, textiles...)
TARGETED_STRENGTH = 0.08  # designations, financial and inspection measures
_SECTORAL = re.compile(r"\b(coal|oil|petroleum|textiles|sectoral|ban)\b", re.IGNORECASE)
_NO_SANCTIONS = re.compile(r"\bno\b[^)]*\bsanctions\b", re.IGNORECASE)

Entry = dict[str, Any]


def historical_calendar(
    start: dt.date,
    end: dt.date,
    include: Iterable[str] = SOURCES,
    actors: set[str] | None = None,
) -> list[Entry]:
    """Return the calendar entries of the chosen sources that overlap [start, end], by date.

    ``actors`` restricts the entries to a scenario's actor set, because ``Scenario`` rejects
    events naming unknown actors: entries with a missing participant are dropped, except
    summits, which lose only the missing participants and survive while the DPRK and at least
    one counterpart remain; vetoing powers outside the set are removed from ``vetoed_by``.
    """
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    unknown = set(include) - set(SOURCES)
    if unknown:
        raise ValueError(f"unknown calendar sources {sorted(unknown)}; choose from {SOURCES}")
    entries: list[Entry] = []
    for source in SOURCES:
        if source in include:
            entries.extend(_BUILDERS[source]())
    entries = [e for e in entries if _overlaps(e, start, end)]
    if actors is not None:
        entries = [r for r in (_restrict(e, set(actors)) for e in entries) if r is not None]
    return sorted(entries, key=_first_day)


# --- exercises -------------------------------------------------------------------------


def _exercise_entries() -> list[Entry]:
    """US-ROK combined exercises that were held and have dates, as drills."""
    out = []
    for row in data.exercises().itertuples(index=False):
        status = row.status.lower()
        if not status.startswith("held") or pd.isna(row.start) or pd.isna(row.end):
            continue  # suspended / cancelled / postponed, or no dates to place it on
        reduced = "scaled down" in status or "no field" in status
        out.append({
            "type": "drill",
            "name": row.exercise,
            "start": _day(row.start),
            "end": _day(row.end),
            "participants": ["US", "ROK"],
            "scale": 0.5 if reduced else 1.0,
            "field": "FTX" in row.kind,
            "note": row.status,
        })
    return out


# --- diplomacy -------------------------------------------------------------------------

_SUMMIT_PARTIES = {
    "inter-korean summit": ["ROK", "DPRK"],
    "us-dprk summit": ["US", "DPRK"],
    "six-party talks": ["US", "ROK", "Japan", "Russia", "DPRK"],
    "russia-dprk": ["Russia", "DPRK"],
}


def _diplomacy_entries() -> list[Entry]:
    """Summits and talks; breakdowns are skipped (the UNSC file carries the vetoes)."""
    out = []
    for row in data.diplomacy().itertuples(index=False):
        parties = _SUMMIT_PARTIES.get(row.category.lower())
        if parties is None:  # breakdown, sanctions breakdown, exercise policy
            continue
        out.append({
            "type": "summit",
            "name": row.event,
            "start": _day(row.start),
            "end": _day(row.end),
            "participants": list(parties),
            "outcome": _summit_outcome(row.category, row.event),
            "note": "; ".join(x for x in (row.category, row.note) if x),
        })
    return out


def _summit_outcome(category: str, event: str) -> str:
    """Only US-DPRK summits get a non-default outcome: the brief names those three cases."""
    if category.lower() != "us-dprk summit":
        return "meeting"
    text = event.lower()
    if "without agreement" in text:
        return "no_agreement"
    if "singapore" in text:
        return "agreement"
    return "meeting"  # the 2019 DMZ/Panmunjom meeting


# --- UN Security Council ---------------------------------------------------------------


def _unsc_entries() -> list[Entry]:
    """Adopted sanctions, Panel of Experts renewals and vetoed drafts."""
    out = []
    for row in data.unsc().itertuples(index=False):
        kind = row.kind
        vetoed = "vetoed" in row.resolution.lower()
        renewal = "renewal" in kind.lower()  # not 1874, which *created* the Panel of Experts
        sanctions = re.search(r"sanctions|designations", kind, re.IGNORECASE) and not _NO_SANCTIONS.search(kind)
        if not (vetoed or renewal or sanctions):
            continue  # e.g. S/RES/1695: condemnation without Chapter VII sanctions
        entry = {
            "type": "sanctions_resolution",
            "name": row.resolution,
            "date": _day(row.date),
            "outcome": "vetoed" if vetoed else ("renewal" if renewal else "adopted"),
            "strength": _sanctions_strength(kind, renewal),
            "vetoed_by": _vetoers(kind) if vetoed else [],
            "note": f"trigger: {row.trigger}; {kind}",
        }
        out.append(entry)
    return out


def _sanctions_strength(kind: str, renewal: bool) -> float:
    """Sector-wide measures bite harder than designations; a renewal adds nothing new.

    For a vetoed draft this is the pressure it would have added (the schema's meaning of
    ``strength``); the model applies none of it.
    """
    if renewal:
        return 0.0
    return SECTORAL_STRENGTH if _SECTORAL.search(kind) else TARGETED_STRENGTH


def _vetoers(kind: str) -> list[str]:
    """Powers named as vetoing ("vetoed by A and B", "A vetoes"), not those merely mentioned."""
    found: list[str] = []
    by = re.search(r"vetoed by ([^(;]+)", kind)
    if by:
        found += [p for p in VETO_POWERS if re.search(rf"\b{p}\b", by.group(1))]
    found += [p for p in VETO_POWERS if re.search(rf"\b{p} vetoes\b", kind)]
    return sorted(set(found))


# --- politics --------------------------------------------------------------------------


def _politics_entries() -> list[Entry]:
    """US/ROK elections and ROK government changes (US administrations and context skipped)."""
    out = []
    for row in data.politics().itertuples(index=False):
        if row.kind == "election":
            out.append({
                "type": "election",
                "name": row.event,
                "date": _day(row.start),
                "country": row.country,
                "kind": _election_kind(row.event),
                "note": row.note,
            })
        elif row.kind == "government" and row.country == "ROK":
            out.append({
                "type": "government_change",
                "name": row.event,
                "date": _day(row.start),
                "country": row.country,
                "orientation": _orientation(row.note),
                "note": row.note,
            })
    return out


def _election_kind(event: str) -> str:
    for kind in ("presidential", "legislative", "midterm"):
        if kind in event.lower():
            return kind
    raise ValueError(f"cannot tell the kind of election from {event!r}")


def _orientation(note: str) -> str:
    for orientation in ("conservative", "progressive"):
        if orientation in note.lower():
            return orientation
    raise ValueError(f"ROK government without an orientation in its note: {note!r}")


_BUILDERS: dict[str, Callable[[], list[Entry]]] = {
    "exercises": _exercise_entries,
    "diplomacy": _diplomacy_entries,
    "unsc": _unsc_entries,
    "politics": _politics_entries,
}


# --- window and actor filters ----------------------------------------------------------


def _day(value: pd.Timestamp) -> dt.date:
    return value.date()


def _first_day(entry: Entry) -> dt.date:
    return entry["date"] if "date" in entry else entry["start"]


def _overlaps(entry: Entry, start: dt.date, end: dt.date) -> bool:
    """Spans count if any of their days is in the window; dated events if their day is."""
    first = _first_day(entry)
    last = entry.get("end") or first
    return first <= end and last >= start


def _restrict(entry: Entry, actors: set[str]) -> Entry | None:
    """Fit an entry to the scenario's actors, or drop it (see ``historical_calendar``)."""
    entry = dict(entry)
    if entry["type"] == "summit":
        kept = [p for p in entry["participants"] if p in actors]
        if "DPRK" not in kept or len(kept) < 2:
            return None
        entry["participants"] = kept
        return entry
    if "vetoed_by" in entry:
        entry["vetoed_by"] = [p for p in entry["vetoed_by"] if p in actors]
    named = list(entry.get("participants", []))
    if "country" in entry:
        named.append(entry["country"])
    return entry if all(p in actors for p in named) else None
