"""Build a scenario calendar from the packaged historical data (sim/data, see SOURCES.md).

Rows become plain dicts that validate against ``sim.schema.calendar.CalendarEvent``, so a
real calendar can be written to YAML, merged with hand-written entries, or edited. The rules
are simple and documented per source; rows that cannot be placed on a calendar (no dates,
events that did not happen, duplicates of another file, context rows) are skipped, never
guessed. The dated policy inputs (calendar_dprk_policy.csv) are coded row by row in
``policy_coding.csv``, which says which effect each row has and why.

Data names (DPRK, US, ROK, Japan, Russia, China) map to actors through ``aliases``; an entry
naming a power the scenario does not have is dropped (a China row acts only if China is a
patron in the scenario). This module reads CSVs with the standard library: loading a
scenario never imports pandas.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from functools import cache
from typing import Any

from sim import data
from sim.schema.calendar import HistoricalCalendar

VETO_POWERS = ("China", "France", "Russia", "UK", "US")
SECTORAL_STRENGTH = 0.15  # bans and caps on whole export/import sectors (coal, oil, textiles...)
TARGETED_STRENGTH = 0.08  # designations, financial and inspection measures
PROVOCATEUR = "DPRK"      # the data's provocateur
ANCHOR = dt.date(2010, 1, 1)       # the packaged launch record begins here
RECORD_END = dt.date(2019, 12, 31)  # ... and ends here: the project holds no later launches
REPLAY_CLASS = {"SRBM": "SRBM", "MRBM": "MRBM_IRBM", "IRBM": "MRBM_IRBM", "ICBM": "ICBM", "SLBM": "SLBM",
                "HGV": "HYPERSONIC", "SLV": "ICBM", "UNKNOWN": "SRBM"}  # SLVs fly the long-range rocket programme
_SECTORAL = re.compile(r"\b(coal|oil|petroleum|textiles|sectoral|ban)\b", re.IGNORECASE)
_NO_SANCTIONS = re.compile(r"\bno\b[^)]*\bsanctions\b", re.IGNORECASE)
_SUMMIT_PARTIES = {"inter-korean summit": ["ROK", "DPRK"], "us-dprk summit": ["US", "DPRK"],
                   "six-party talks": ["US", "ROK", "Japan", "Russia", "DPRK"]}

Entry = dict[str, Any]


@cache
def rows(table: str) -> tuple[dict, ...]:
    """One packaged table (``sim.data.TABLES``), read once per process."""
    return tuple(data.rows(table))


def day(value) -> dt.date | None:
    """A date from a parsed date, ISO text or a blank."""
    if isinstance(value, dt.date) or value is None:
        return value
    return dt.date.fromisoformat(value) if value else None


def historical_calendar(hc: HistoricalCalendar, actors: dict[str, Any], roles: dict[str, Any] | None = None) -> list[Entry]:
    """Calendar entries of the chosen sources that overlap the window, fitted to the scenario's actors."""
    if hc.end < hc.start:
        raise ValueError(f"end {hc.end} is before start {hc.start}")
    entries: list[Entry] = []
    for source in hc.include:
        entries.extend(BUILDERS[source]())
    if hc.replay_until is not None and hc.replay_record == "packaged":
        entries.extend(replay_entries(min(hc.replay_until, hc.end)))
    entries = [e for e in entries if _overlaps(e, hc.start, hc.end)]
    roles_of = {a: (spec or {}).get("role") if isinstance(spec, dict) else getattr(spec, "role", None)
                for a, spec in actors.items()}
    fitted = [_fit(e, hc.aliases, roles_of) for e in entries]
    return sorted((e for e in fitted if e is not None), key=_first_day)


# --- exercises, diplomacy, UN Security Council, politics ---------------------------------


def exercise_entries() -> list[Entry]:
    """US-ROK combined exercises that were held and have dates, as drills."""
    out = []
    for r in rows("exercises"):
        status = r["status"].lower()
        if not status.startswith("held") or not r["start"] or not r["end"]:
            continue  # suspended / cancelled / postponed, or no dates to place it on
        reduced = "scaled down" in status or "no field" in status
        out.append({"type": "drill", "name": r["exercise"], "start": day(r["start"]), "end": day(r["end"]),
                    "participants": ["US", "ROK"], "scale": 0.5 if reduced else 1.0, "field": "FTX" in r["kind"],
                    "note": r["status"]})
    return out


def diplomacy_entries() -> list[Entry]:
    """Summits and talks with the DPRK (Russia-DPRK summits come from the policy calendar)."""
    out = []
    for r in rows("diplomacy"):
        parties = _SUMMIT_PARTIES.get(r["category"].lower())
        if parties is None:  # breakdown, exercise policy, Russia-DPRK (policy calendar)
            continue
        out.append({"type": "summit", "name": r["event"], "start": day(r["start"]), "end": day(r["end"]),
                    "participants": list(parties), "outcome": _summit_outcome(r["category"], r["event"]),
                    "note": "; ".join(x for x in (r["category"], r["note"]) if x)})
    return out


def _summit_outcome(category: str, event: str) -> str:
    """Only US-DPRK summits get a non-default outcome: the data name those three cases."""
    if category.lower() != "us-dprk summit":
        return "meeting"
    text = event.lower()
    if "without agreement" in text:
        return "no_agreement"
    return "agreement" if "singapore" in text else "meeting"


def unsc_entries() -> list[Entry]:
    """Adopted sanctions, Panel of Experts renewals and vetoed drafts."""
    out = []
    for r in rows("unsc"):
        kind = r["kind"]
        vetoed = "vetoed" in r["resolution"].lower()
        renewal = "renewal" in kind.lower()  # not 1874, which *created* the Panel of Experts
        sanctions = re.search(r"sanctions|designations", kind, re.IGNORECASE) and not _NO_SANCTIONS.search(kind)
        if not (vetoed or renewal or sanctions):
            continue  # e.g. S/RES/1695: condemnation without Chapter VII sanctions
        out.append({"type": "sanctions_resolution", "name": r["resolution"], "date": day(r["date"]),
                    "outcome": "vetoed" if vetoed else ("renewal" if renewal else "adopted"),
                    "strength": sanctions_strength(kind, renewal), "vetoed_by": _vetoers(kind) if vetoed else [],
                    "note": f"trigger: {r['trigger']}; {kind}"})
    return out


def sanctions_strength(kind: str, renewal: bool) -> float:
    """Sector-wide measures bite harder than designations; a renewal adds nothing new.

    For a vetoed draft this is the pressure it would have added; the model applies none of it.
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


def politics_entries() -> list[Entry]:
    """US and ROK elections (administrations and context come from the policy calendar)."""
    out = []
    for r in rows("politics"):
        if r["kind"] == "election":
            kind = next((k for k in ("presidential", "legislative", "midterm") if k in r["event"].lower()), None)
            if kind is None:
                raise ValueError(f"cannot tell the kind of election from {r['event']!r}")
            out.append({"type": "election", "name": r["event"], "date": day(r["start"]), "country": r["country"],
                        "kind": kind, "note": r["note"]})
    return out


# --- dated policy inputs (calendar_dprk_policy.csv, coded in policy_coding.csv) -----------


def policy_entries() -> list[Entry]:
    """Every coded row of the policy calendar as the entry its effect calls for."""
    coding = {(c["start"], c["category"]): c for c in rows("policy_coding")}
    out = []
    for r in rows("policy"):
        code = coding.get((str(r["start"]), r["category"]))
        if code is None:
            raise ValueError(f"policy row {r['start']} {r['category']} has no coding in policy_coding.csv")
        entry = _policy_entry(r, code["effect"])
        if entry is not None:
            entry.setdefault("name", r["event"][:120])
            entry["note"] = f"{r['category']}: {code['note']}"
            out.append(entry)
    return out


def _policy_entry(r: dict[str, str], effect: str) -> Entry | None:
    date, actor = day(r["start"]), r["actor"]
    if effect == "government":
        note = r["note"].lower()
        orientation = next((o for o in ("conservative", "progressive") if o in note), None)
        return {"type": "government_change", "date": date, "country": actor, "orientation": orientation}
    if effect in ("development_start", "development_complete"):
        return {"type": "development_line", "date": date, "declared": effect.removeprefix("development_")}
    if effect in ("succession", "hostility_doctrine", "monitoring_end"):
        return {"type": effect, "date": date}
    if effect == "border_closure":
        return {"type": "border_closure", "start": date, "end": day(r["end"])}
    if effect == "war":
        return {"type": "war", "start": date, "actor": actor}
    if effect.startswith("patron_"):
        return {"type": "patron_milestone", "date": date, "patron": _patron(r), "kind": effect.removeprefix("patron_")}
    if effect == "alliance_document":
        parties = ["US", "ROK", "Japan"] if "Japan" in r["event"] else ["US", "ROK"]
        return {"type": "alliance_document", "date": date, "participants": parties}
    if effect == "talks_breakdown":
        return {"type": "summit", "start": date, "participants": ["US", PROVOCATEUR], "outcome": "no_agreement"}
    return None  # context, outcome, duplicate


def _patron(r: dict[str, str]) -> str:
    """The power a cooperation row is about (rows about arms or troops are filed under the DPRK)."""
    if r["actor"] in ("Russia", "China"):
        return r["actor"]
    return "China" if "China" in r["event"] and "Russia" not in r["event"] else "Russia"


# --- the observed record, replayed --------------------------------------------------------


def replay_entries(until: dt.date) -> list[Entry]:
    """The provocateur's observed launches (by day and class, with salvo and outcome) and nuclear tests."""
    groups: dict[tuple[dt.date, str], list[str]] = defaultdict(list)
    for r in rows("observed_launches"):
        d = day(r["date_utc"])
        if d <= until:
            groups[(d, REPLAY_CLASS[r["missile_type"].upper()])].append(r["outcome"].lower())
    out = [{"type": "action", "date": d, "actor": PROVOCATEUR, "action": "missile_test", "missile_class": cls,
            "salvo": len(outcomes), "success": not all(o == "failure" for o in outcomes),
            "name": "observed launch", "note": f"replayed: {len(outcomes)} {cls} ({', '.join(outcomes)})"}
           for (d, cls), outcomes in sorted(groups.items())]
    for r in rows("observed_nuclear_tests"):
        d = day(r["date"])
        if d <= until:
            out.append({"type": "action", "date": d, "actor": PROVOCATEUR, "action": "nuclear_test",
                        "name": "observed nuclear test", "note": f"replayed: {r['site']}"})
    return out


BUILDERS = {"exercises": exercise_entries, "diplomacy": diplomacy_entries, "unsc": unsc_entries,
            "politics": politics_entries, "policy": policy_entries}


# --- window and actor filters ----------------------------------------------------------


def _first_day(entry: Entry) -> dt.date:
    return entry["date"] if "date" in entry else entry["start"]


def _overlaps(entry: Entry, start: dt.date, end: dt.date) -> bool:
    """Spans count if any of their days is in the window (open-ended ones run on); dated events if their day is."""
    first = _first_day(entry)
    last = entry.get("end") or (dt.date.max if entry["type"] in ("border_closure", "war") else first)
    return first <= end and last >= start


NAMED = ("participants", "country", "actor", "patron", "vetoed_by", "host", "visitor")


def _fit(entry: Entry, aliases: dict[str, str], roles: dict[str, str | None]) -> Entry | None:
    """Rename data powers to actors; drop an entry naming a power the scenario lacks.

    Summits lose only missing participants and survive while the provocateur and a counterpart
    remain; vetoing powers outside the scenario are removed from ``vetoed_by``.
    """
    entry = dict(entry)
    name = lambda p: aliases.get(p, p)  # noqa: E731
    for key in NAMED:
        if key in entry and entry[key] is not None:
            entry[key] = [name(p) for p in entry[key]] if isinstance(entry[key], list) else name(entry[key])
    if entry["type"] == "summit":
        kept = [p for p in entry["participants"] if p in roles]
        if name(PROVOCATEUR) not in kept or len(kept) < 2:
            return None
        entry["participants"] = kept
        return entry
    if "vetoed_by" in entry:
        entry["vetoed_by"] = [p for p in entry["vetoed_by"] if p in roles]
    if entry["type"] == "patron_milestone" and roles.get(entry["patron"]) != "patron":
        return None
    if entry["type"] == "war" and roles.get(entry["actor"]) != "patron":
        return None
    named = [p for key in ("participants", "country", "actor") for p in
             (entry[key] if isinstance(entry.get(key), list) else [entry.get(key)]) if p]
    return entry if all(p in roles for p in named) else None
