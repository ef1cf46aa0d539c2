"""Compile a scenario calendar into per-day features before the run starts.

Everything on the calendar is exogenous, so the features actors react to (a drill under
way, days since one ended, a diplomatic event nearby, an election coming) are computed once
as plain lists indexed by day. The model step then reads them at list-index cost.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from sim.schema.scenario import Scenario

ELECTION_LEAD = 120  # days before a US presidential election in which leverage builds (M3)
SIGNAL_WINDOW = 3    # days either side of a diplomatic event counted as "around" it (M2)
DRILL_MEMORY = 10    # days after a drill ends in which a response still counts (M1)


@dataclass
class Calendar:
    n_days: int
    start: dt.date
    drill: list[float] = field(default_factory=list)         # summed scale of drills under way
    drill_after: list[float] = field(default_factory=list)   # decaying pull of a drill just ended
    drill_name: list[str] = field(default_factory=list)      # current or most recent drill
    days_since_drill: list[int] = field(default_factory=list)
    drill_participants: list[tuple[str, ...]] = field(default_factory=list)
    signal: list[float] = field(default_factory=list)        # adversaries' diplomatic event nearby
    signal_name: list[str] = field(default_factory=list)
    election: list[float] = field(default_factory=list)      # ramp 0..1 before a US presidential election
    election_name: list[str] = field(default_factory=list)
    summit: list[str] = field(default_factory=list)          # outcome of a summit with the provocateur, "" if none
    summit_name: list[str] = field(default_factory=list)
    events: dict[int, list] = field(default_factory=lambda: defaultdict(list))  # day -> entries acting that day
    forced: dict[int, list] = field(default_factory=lambda: defaultdict(list))  # day -> forced actions
    rok_forced_government: bool = False
    busy: frozenset[int] = frozenset()  # days on which any calendar entry takes effect

    def day_of(self, date: dt.date) -> int:
        return (date - self.start).days


def compile_calendar(sc: Scenario, n_days: int, provocateur: str) -> Calendar:
    """Per-day features; a summit is dialogue only if the provocateur meets an adversary (an ally)."""
    allies = {a for a, spec in sc.actors.items() if spec.role == "ally"}
    cal = Calendar(n_days=n_days, start=sc.start)
    cal.drill = [0.0] * n_days
    cal.signal = [0.0] * n_days
    cal.election = [0.0] * n_days
    cal.signal_name = [""] * n_days
    cal.election_name = [""] * n_days
    cal.summit = [""] * n_days
    cal.summit_name = [""] * n_days
    ends: list[tuple[int, str, tuple[str, ...]]] = []
    starts: dict[int, tuple[str, tuple[str, ...]]] = {}
    for ev in sc.calendar:
        kind = ev.type
        if kind == "drill":
            a, b = _clip(cal, ev.start, ev.end)
            for d in range(a, b + 1):
                cal.drill[d] += ev.scale * (1.0 if ev.field else 0.6)
            if a <= b:
                ends.append((cal.day_of(ev.end), ev.name, tuple(ev.participants)))
                starts.setdefault(a, (ev.name, tuple(ev.participants)))
                cal.events[a].append(ev)
        elif kind == "visit":
            _window(cal, cal.day_of(ev.date), ev.name or f"{ev.visitor} visit to {ev.host}")
        elif kind == "summit":
            end = ev.end or ev.start
            if provocateur in ev.participants and allies & set(ev.participants):
                a, b = _clip(cal, ev.start, end)
                for d in range(a, b + 1):
                    cal.summit[d] = ev.outcome
                    cal.summit_name[d] = ev.name or "summit"
                if a <= b:
                    cal.events[b].append(ev)
            elif provocateur not in ev.participants:
                _window(cal, cal.day_of(ev.start), ev.name or "summit")
        elif kind == "election":
            d = cal.day_of(ev.date)
            if ev.country == "US" and ev.kind == "presidential":
                _ramp(cal, d, ev.name or f"US presidential election {ev.date}")
            if 0 <= d < n_days:
                cal.events[d].append(ev)
        elif kind == "action":
            d = cal.day_of(ev.date)
            if 0 <= d < n_days:
                cal.forced[d].append(ev)
        else:
            if kind == "government_change" and ev.country == "ROK":
                cal.rok_forced_government = True
            d = cal.day_of(ev.date)
            if 0 <= d < n_days:
                cal.events[d].append(ev)
    _drill_memory(cal, ends, starts)
    cal.busy = frozenset(cal.events) | frozenset(cal.forced) | frozenset(d for d in range(n_days) if cal.summit[d])
    return cal


def _clip(cal: Calendar, a: dt.date, b: dt.date) -> tuple[int, int]:
    return max(cal.day_of(a), 0), min(cal.day_of(b), cal.n_days - 1)


def _window(cal: Calendar, d: int, name: str) -> None:
    for x in range(max(d - SIGNAL_WINDOW, 0), min(d + SIGNAL_WINDOW, cal.n_days - 1) + 1):
        cal.signal[x] = 1.0
        cal.signal_name[x] = name


def _ramp(cal: Calendar, d: int, name: str) -> None:
    for x in range(max(d - ELECTION_LEAD, 0), min(d, cal.n_days - 1) + 1):
        v = 1.0 - (d - x) / ELECTION_LEAD
        if v > cal.election[x]:
            cal.election[x] = v
            cal.election_name[x] = name


def _drill_memory(cal: Calendar, ends, starts) -> None:
    """Days since the last drill ended, and the fading pull it keeps on the provocateur."""
    n = cal.n_days
    by_end = defaultdict(list)
    for d, name, parts in ends:
        by_end[d].append((name, parts))
    cal.drill_after = [0.0] * n
    cal.days_since_drill = [10**6] * n
    cal.drill_name = [""] * n
    cal.drill_participants = [()] * n
    last_end, last_name, last_parts = None, "", ()
    for d in sorted(x for x in by_end if x < 0):
        last_end, (last_name, last_parts) = d, by_end[d][-1]
    for t in range(n):
        if t in starts and cal.drill[t] > 0:
            last_name, last_parts = starts[t]
        if cal.drill[t] > 0:
            cal.drill_name[t], cal.drill_participants[t] = last_name, last_parts
            cal.days_since_drill[t] = 0
        elif last_end is not None:
            since = t - last_end
            cal.days_since_drill[t] = since
            cal.drill_name[t], cal.drill_participants[t] = last_name, last_parts
            if since <= DRILL_MEMORY:
                cal.drill_after[t] = math.exp(-since / 4.0)
        if t in by_end:
            last_end = t
            last_name, last_parts = by_end[t][-1]
