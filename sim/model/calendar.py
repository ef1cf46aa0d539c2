"""Compile scenario calendars into daily features and dated entries, before the run starts.

Everything on a calendar is exogenous, so what actors react to (a drill under way, days since
one ended, a diplomatic event nearby, an election coming, borders closed) is computed once
per distinct calendar as arrays indexed by day. Entries that change the world on their day
(a drill begins, a government changes, a UN vote, a declared line) are kept by day for
``sim.model.inputs`` to apply. Replications that run different calendars each read their own.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from sim.model.cast import Cast
from sim.schema.calendar import first_day, last_day
from sim.schema.historical import RECORD_END
from sim.schema.scenario import Scenario

ELECTION_LEAD = 120      # M3: days before the leverage power's presidential election in which leverage builds
INAUGURATION_WINDOW = 120  # M3: days after it inaugurates a new administration in which the DPRK tests it
SIGNAL_WINDOW = 3        # M2: days either side of a diplomatic event counted as "around" it
DRILL_MEMORY = 10        # M1: days after a drill ends in which a response still counts
DRILL_FADE = 4.0         # M1: e-folding days of that fading pull
COMMAND_POST_SHARE = 0.6  # M1: a command-post exercise without field training reads as 60% of a full drill
NEVER = 10**6            # "days since" for something that has not happened


@dataclass(frozen=True)
class SummitEnd:
    """The last day of a provocateur-ally summit: its outcome decides what follows."""

    summit: object
    type: str = "summit_end"


@dataclass
class Compiled:
    """One calendar's daily features (arrays over days) and its dated entries."""

    n_days: int
    drill: np.ndarray
    drill_after: np.ndarray
    days_since_drill: np.ndarray
    drill_name: list[str]
    drill_parts: np.ndarray        # (days, n): drill intensity each actor takes part in
    signal: np.ndarray
    signal_name: list[str]
    election: np.ndarray
    election_name: list[str]
    summit: np.ndarray             # a provocateur-ally summit under way (no provocations)
    closure: np.ndarray            # the provocateur's borders closed
    war: np.ndarray                # (days, n): the actor is fighting a war of its own
    free_from: int                 # first day the provocateur decides launches itself (replay before)
    events: dict[int, list] = field(default_factory=lambda: defaultdict(list))


def compile_calendar(sc: Scenario, cast: Cast, n_days: int) -> Compiled:
    n = cast.n
    z = lambda: np.zeros(n_days)  # noqa: E731
    c = Compiled(n_days=n_days, drill=z(), drill_after=z(), days_since_drill=np.full(n_days, NEVER),
                 drill_name=[""] * n_days, drill_parts=np.zeros((n_days, n)), signal=z(), signal_name=[""] * n_days,
                 election=z(), election_name=[""] * n_days, summit=np.zeros(n_days, dtype=bool), closure=z(),
                 war=np.zeros((n_days, n)), free_from=_free_from(sc))
    ends: list[tuple[int, str]] = []
    ix = {a: i for i, a in enumerate(cast.names)}
    # M12: where the calendar dates the front line's governments, its elections decide nothing more
    dated = any(ev.type == "government_change" and ix[ev.country] == cast.front_line for ev in sc.calendar)
    for ev in sc.calendar:
        open_ended = ev.type in ("border_closure", "war") and ev.end is None
        a, b = _span(sc.start, n_days, first_day(ev), dt.date.max if open_ended else last_day(ev))
        kind = ev.type
        if kind == "drill":
            parts = ev.participants if ev.participants is not None else [cast.names[i] for i in cast.drill_hosts]
            level = ev.scale * (1.0 if ev.field else COMMAND_POST_SHARE)
            c.drill[a:b] += level
            for name in parts:
                c.drill_parts[a:b, ix[name]] += level
            for d in range(a, b):
                c.drill_name[d] = ev.name or "drill"
            ends.append(((ev.end - sc.start).days, ev.name or "drill"))
            if a < b:
                c.events[a].append(ev)
        elif kind == "visit" or (kind == "summit" and cast.names[cast.prov] not in ev.participants):
            _window(c, (first_day(ev) - sc.start).days, ev.name or "diplomatic event")
        elif kind == "summit":
            _summit(c, ev, cast, a, b)
        elif kind == "election":
            if ev.kind == "presidential" and ix[ev.country] == cast.leverage:
                _ramp(c, (ev.date - sc.start).days, ev.name or f"{ev.country} presidential election {ev.date}")
            if a < b and not (dated and ix[ev.country] == cast.front_line):
                c.events[a].append(ev)
        elif kind == "government_change" and ix[ev.country] == cast.leverage:
            _inauguration(c, (ev.date - sc.start).days, ev.name or f"new {ev.country} administration")
            if a < b:
                c.events[a].append(ev)
        elif kind == "border_closure":
            c.closure[a:b] = 1.0
        elif kind == "war":
            c.war[a:b, ix[ev.actor]] = 1.0
        elif a < b:
            c.events[a].append(ev)
    _drill_memory(c, ends)
    if sc.world.border_closed:
        c.closure[:] = 1.0
    if sc.world.patron_at_war:
        c.war[:, list(cast.patrons)] = 1.0
    return c


def _free_from(sc: Scenario) -> int:
    """The first day the provocateur decides its launches: after the replayed record, which ends
    at ``replay_until`` or at the end of the packaged record (a synthetic record: its last day)."""
    until = sc.history.replay_until if sc.history is not None else None
    if until is None:
        return 0
    if sc.history.replay_record == "packaged":
        until = min(until, RECORD_END)
    return max((until - sc.start).days + 1, 0)


def _span(start: dt.date, n_days: int, first: dt.date, last: dt.date) -> tuple[int, int]:
    """Day indices [a, b) of an entry's days inside the run (empty if outside)."""
    a = (first - start).days
    b = n_days if last == dt.date.max else (last - start).days + 1
    return max(a, 0), min(max(b, 0), n_days)


def _summit(c: Compiled, ev, cast: Cast, a: int, b: int) -> None:
    """With an ally: talks at the top (no provocations meanwhile); with a patron only: a milestone."""
    if a >= b:
        return
    c.events[a].append(ev)
    if any(cast.roles[cast.names.index(p)] == "ally" for p in ev.participants):
        c.summit[a:b] = True
        c.events[b - 1].append(SummitEnd(ev))


def _window(c: Compiled, d: int, name: str) -> None:
    for x in range(max(d - SIGNAL_WINDOW, 0), min(d + SIGNAL_WINDOW + 1, c.n_days)):
        c.signal[x], c.signal_name[x] = 1.0, name


def _ramp(c: Compiled, d: int, name: str) -> None:
    for x in range(max(d - ELECTION_LEAD, 0), min(d + 1, c.n_days)):
        _lift(c, x, 1.0 - (d - x) / ELECTION_LEAD, name)


def _inauguration(c: Compiled, d: int, name: str) -> None:
    for x in range(max(d, 0), min(d + INAUGURATION_WINDOW, c.n_days)):
        _lift(c, x, 1.0 - (x - d) / INAUGURATION_WINDOW, name)


def _lift(c: Compiled, x: int, v: float, name: str) -> None:
    if v > c.election[x]:
        c.election[x], c.election_name[x] = v, name


def _drill_memory(c: Compiled, ends: list[tuple[int, str]]) -> None:
    """Days since the last drill ended and the fading pull it keeps on the provocateur (M1)."""
    by_end = defaultdict(list)
    for d, name in ends:
        by_end[d].append(name)
    before = [d for d in by_end if d < 0]
    last_end = max(before) if before else None
    last_name = by_end[last_end][-1] if before else ""
    for t in range(c.n_days):
        if c.drill[t] > 0:
            c.days_since_drill[t] = 0
        elif last_end is not None:
            since = t - last_end
            c.days_since_drill[t] = since
            c.drill_name[t] = last_name
            if since <= DRILL_MEMORY:
                c.drill_after[t] = math.exp(-since / DRILL_FADE)
        if t in by_end:
            last_end, last_name = t, by_end[t][-1]
