"""Recording: the daily table into preallocated arrays, the event log into Mesa's DataCollector.

A DataCollector with one model reporter per column costs about a microsecond per column per
step, several times the whole model step here, so the daily table is written into arrays
sized for the run and turned into a DataFrame once at the end. Events are rare (a few per
week), so they go through the DataCollector's table API as they happen.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from mesa import DataCollector

from sim.model.actions import WEIGHTS, Action
from sim.schema.scenario import MISSILE_CLASSES
from sim.model.ladder import RUNG_NAMES, escalation_index, ladder_level

EVENT_COLUMNS = ["day", "actor", "action", "target", "missile_class", "salvo", "success",
                 "goldstein", "score", "source", "reason"]
SCALARS = ("escalation_index", "sanctions", "public_dialogue_share", "russia_cooperation",
           "provocation_stock", "domestic_support")


class Recorder:
    def __init__(self, model) -> None:
        n_days, w = model.n_days, model.world
        n = w.n
        self.model, self.names = model, model.names
        self.states: list[tuple] = []  # (ladder level, dialogue state, ROK progressive) a day
        self.rows: list[tuple] = []  # one tuple of floats a day: SCALARS, readiness, cohesion, capability
        self.ints = np.zeros((n_days, 5), dtype=np.int64)  # level, test_day, missiles, dialogue, progressive
        self.actions = np.zeros((n_days, n), dtype=np.int64)
        self.tension = np.zeros((n_days, n * n))  # an array, not a list a day: long-lived lists slow the GC
        self._layout = (len(SCALARS), n, len(w.alliances), len(MISSILE_CLASSES))
        self.collector = DataCollector(tables={"events": EVENT_COLUMNS})
        self._launch = [0, 0]  # today's (test_day, missiles)

    def event(self, t: int, a: Action, score: float, success: bool) -> None:
        names = self.names
        self.collector.add_table_row("events", {
            "day": t, "actor": names[a.actor], "action": a.kind,
            "target": names[a.target] if a.target >= 0 else "", "missile_class": a.missile_class,
            "salvo": a.salvo, "success": success, "goldstein": WEIGHTS[a.kind].goldstein,
            "score": score, "source": a.source, "reason": a.reason,
        })
        if a.source != "world":
            self.actions[t, a.actor] += 1
        if a.kind == "missile_test":
            self.ints[t, 1] = 1
            self.ints[t, 2] += a.salvo

    def record(self, t: int, clash: bool) -> None:
        w = self.model.world
        index = escalation_index(w.adversarial_mean(), w.events_stock)
        self.rows.append((index, w.sanctions, w.public_dialogue, w.cooperation, w.provocations, w.support,
                          *w.readiness, *w.cohesion.values(), *w.capability.values()))
        self.states.append((ladder_level(index, 5 if clash else 0), w.dialogue, w.rok_progressive))
        self.tension[t] = w.x

    def daily(self) -> pd.DataFrame:
        m, w, n = self.model, self.model.world, self.model.world.n
        days = m.day
        rows = np.array(self.rows, dtype=float).reshape(days, sum(self._layout))
        ns, n_act, n_all, _ = self._layout
        states = np.array(self.states, dtype=np.int64).reshape(days, 3)
        tension = self.tension[:days]
        self.ints[:days, 0], self.ints[:days, 3], self.ints[:days, 4] = states[:, 0], states[:, 1], states[:, 2]
        scalars, readiness = rows[:, :ns], rows[:, ns:ns + n_act]
        cohesion, capability = rows[:, ns + n_act:ns + n_act + n_all], rows[:, ns + n_act + n_all:]
        cols: dict[str, object] = {
            "date": pd.to_datetime(m.spec.start) + pd.to_timedelta(np.arange(days), unit="D"),
            "day": np.arange(days),
        }
        cols["escalation_index"] = scalars[:, 0]
        cols["ladder_level"] = self.ints[:days, 0]
        cols["ladder_rung"] = np.asarray(RUNG_NAMES, dtype=object)[self.ints[:days, 0]]
        cols["test_day"] = self.ints[:days, 1].astype(bool)
        cols["missiles"] = self.ints[:days, 2]
        cols["sanctions"] = scalars[:, 1]
        cols["dialogue_state"] = self.ints[:days, 3]
        cols["rok_orientation"] = np.where(self.ints[:days, 4] == 1, "progressive", "conservative")
        for k, name in enumerate(SCALARS[2:], start=2):
            cols[name] = scalars[:, k]
        cols["drill_active"] = np.asarray(m.cal.drill[:days]) > 0
        for i, a in enumerate(self.names):
            cols[f"actions_{a}"] = self.actions[:days, i]
        for i, a in enumerate(self.names):
            cols[f"readiness_{a}"] = readiness[:, i]
        for i, a in enumerate(self.names):
            for j, b in enumerate(self.names):
                if i != j:
                    cols[f"tension_{a}->{b}"] = tension[:, i * n + j]
        for k, (i, j) in enumerate(w.alliances):
            a, b = sorted((self.names[i], self.names[j]))
            cols[f"cohesion_{a}-{b}"] = cohesion[:, k]
        for k, cls in enumerate(MISSILE_CLASSES):
            cols[f"capability_{cls}"] = capability[:, k]
        return pd.DataFrame(cols)

    def row(self, t: int) -> dict:
        """Day t's row of the daily table (without the date), for collectors that take one row
        per step, such as a Mesa DataCollector; ``daily()`` is the same table built at once."""
        m, names, w = self.model, self.names, self.model.world
        n, ns = len(names), len(SCALARS)
        vals, (level, dialogue, progressive) = self.rows[t], self.states[t]
        row = {"day": t, "escalation_index": vals[0], "ladder_level": level, "ladder_rung": RUNG_NAMES[level],
               "test_day": bool(self.ints[t, 1]), "missiles": int(self.ints[t, 2]), "sanctions": vals[1],
               "dialogue_state": dialogue, "rok_orientation": "progressive" if progressive else "conservative"}
        row.update(zip(SCALARS[2:], vals[2:ns]))
        row["drill_active"] = m.cal.drill[t] > 0
        row.update({f"actions_{a}": int(self.actions[t, i]) for i, a in enumerate(names)})
        row.update({f"readiness_{a}": vals[ns + i] for i, a in enumerate(names)})
        tension = self.tension[t]
        row.update({f"tension_{a}->{b}": float(tension[i * n + j]) for i, a in enumerate(names)
                    for j, b in enumerate(names) if i != j})
        k = ns + n
        for i, j in w.alliances:
            a, b = sorted((names[i], names[j]))
            row[f"cohesion_{a}-{b}"] = vals[k]
            k += 1
        row.update({f"capability_{c}": v for c, v in zip(MISSILE_CLASSES, vals[k:])})
        return row

    def events(self) -> pd.DataFrame:
        df = self.collector.get_table_dataframe("events")
        if df.empty:  # types cannot be inferred from no rows
            df = pd.DataFrame({c: pd.Series(dtype=_EVENT_DTYPES[c]) for c in EVENT_COLUMNS})
        start = pd.Timestamp(self.model.spec.start)
        df.insert(0, "date", start + pd.to_timedelta(df["day"].to_numpy(), unit="D"))
        return df


_EVENT_DTYPES = {"day": "int64", "actor": "object", "action": "object", "target": "object",
                 "missile_class": "object", "salvo": "int64", "success": "bool", "goldstein": "float64",
                 "score": "float64", "source": "object", "reason": "object"}


