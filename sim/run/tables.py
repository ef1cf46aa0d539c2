"""Result tables built once per ensemble from the model's arrays: daily table, event log, summaries.

Summaries are arrays over replications computed from the recorder's running totals, so a batch
that keeps only summaries builds no table at all. Daily tables and event logs stack every
replication (a ``rep`` column says which) and are built in one pass each.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sim.model.actions import WEIGHTS
from sim.model.eventlog import describe
from sim.model.ladder import N_LEVELS, RUNG_NAMES
from sim.model.world import DIALOGUE_STATES  # noqa: F401  (the meaning of dialogue_state codes)
from sim.run.summary import OUTCOMES
from sim.schema.params import MISSILE_CLASSES

EVENT_DTYPES = {"rep": "int64", "day": "int64", "actor": "str", "action": "str", "target": "str",
                "missile_class": "str", "salvo": "int64", "success": "bool", "goldstein": "float64",
                "score": "float64", "source": "str", "cause": "str", "reason": "str"}
EVENT_COLUMNS = ["date", "day", "actor", "action", "target", "missile_class", "salvo", "success", "goldstein",
                 "score", "source", "cause", "reason"]


def summaries(m) -> dict[str, np.ndarray]:
    """Every outcome as an (R,) array, in ``OUTCOMES`` order."""
    rec, w, days = m.recorder, m.world, m.day
    c = rec.counts
    out = {"days": np.full(m.R, days), "peak_escalation": rec.peak, "mean_escalation": rec.total / max(days, 1),
           "final_escalation": rec.last * np.ones(m.R)}
    out.update({f"days_level_{lv}": rec.levels[:, lv] for lv in range(N_LEVELS)})
    out.update(test_days=rec.test_days, missiles=rec.missiles.sum(axis=1))
    out.update({f"missiles_{k}": rec.missiles[:, i] for i, k in enumerate(MISSILE_CLASSES)})
    out.update(nuclear_tests=c["nuclear_test"], sanctions_adopted=c["un_sanctions_adopted"],
               sanctions_vetoed=c["un_sanctions_vetoed"], unilateral_sanctions=c["unilateral_sanctions"],
               dialogue_episodes=rec.episodes, summits=c["summit"], time_to_first_launch=rec.first_launch,
               armed_clash=c["armed_clash"] > 0, final_sanctions=w.sanctions.copy(),
               final_capability_ICBM=w.capability[:, MISSILE_CLASSES.index("ICBM")].copy(),
               mean_tension_provocateur=rec.tension_sum / max(days, 1))
    return {k: np.asarray(out[k]) for k in OUTCOMES}


def summary_rows(m) -> list[dict]:
    """One plain dict per replication (Python scalars, ready for JSON)."""
    cols = summaries(m)
    return [{k: v[r].item() for k, v in cols.items()} for r in range(m.R)]


def daily_frame(m, first: int = 0, stop: int | None = None) -> pd.DataFrame:
    """The daily table of replications ``first`` to ``stop`` (default: all), stacked (``rep``, then
    day). A batch worker writes a large ensemble's table a slice of replications at a time, so it
    never holds the whole table as a frame."""
    d, c, days = m.recorder.daily, m.cast, m.day
    stop = m.R if stop is None else stop
    R = stop - first
    flat = lambda a: np.ascontiguousarray(np.swapaxes(a[:days, first:stop], 0, 1)).reshape(R * days, *a.shape[2:])  # noqa: E731
    start = np.datetime64(m.spec.start, "D")
    cols: dict[str, object] = {"rep": np.repeat(np.arange(first, stop), days),
                               "date": np.tile(start + np.arange(days), R).astype("datetime64[ns]"),
                               "day": np.tile(np.arange(days), R)}
    level = flat(d["ladder_level"]).astype(np.int64)
    cols.update(escalation_index=flat(d["escalation_index"]), ladder_level=level,
                ladder_rung=np.asarray(RUNG_NAMES, dtype=object)[level], test_day=flat(d["test_day"]),
                missiles=flat(d["missiles"]), sanctions=flat(d["sanctions"]),
                dialogue_state=flat(d["dialogue_state"]).astype(np.int64),
                orientation=np.where(flat(d["progressive"]), "progressive", "conservative"))
    for name in ("public_dialogue_share", "cooperation", "provocation_stock", "domestic_support"):
        cols[name] = flat(d[name])
    drill = np.stack([cal.drill[:days] for cal in m.calendars], axis=1)[:, m.group[first:stop]]  # (days, R)
    cols["drill_active"] = np.ascontiguousarray((drill > 0).T).reshape(-1)
    for name, key in (("actions", "actions"), ("readiness", "readiness")):
        block = flat(d[key])
        cols.update({f"{name}_{a}": block[:, i] for i, a in enumerate(c.names)})
    tension = flat(d["tension"])
    pairs = [(a, b) for a in c.names for b in c.names if a != b]
    cols.update({f"tension_{a}->{b}": tension[:, k] for k, (a, b) in enumerate(pairs)})
    cohesion = flat(d["cohesion"])
    for k, (i, j) in enumerate(c.alliances):
        a, b = sorted((c.names[i], c.names[j]))
        cols[f"cohesion_{a}-{b}"] = cohesion[:, k]
    capability = flat(d["capability"])
    cols.update({f"capability_{k}": capability[:, i] for i, k in enumerate(MISSILE_CLASSES)})
    return pd.DataFrame(cols)


def events_frame(m) -> pd.DataFrame:
    """Every recorded move with its cause and reason, stacked (``rep``, then day, in applied order)."""
    log, names = m.recorder.log, np.asarray(m.cast.names + ("",), dtype=object)
    if not log:
        return _empty_events(m)
    sizes = np.array([len(e.rep) for e in log])
    cat = lambda field: np.concatenate([getattr(e, field) for e in log])  # noqa: E731
    kinds = np.repeat(np.array([e.kind for e in log], dtype=object), sizes)
    cls, target = cat("cls").astype(np.int64), cat("target").astype(np.int64)
    classes = np.asarray(MISSILE_CLASSES + ("",), dtype=object)
    causes, reasons = describe(m, log)
    frame = pd.DataFrame({
        "rep": cat("rep").astype(np.int64), "day": np.repeat([e.day for e in log], sizes).astype(np.int64),
        "actor": names[np.repeat([e.actor for e in log], sizes)], "action": kinds, "target": names[target],
        "missile_class": classes[np.where((kinds == "missile_test") & (cls >= 0), cls, -1)],
        "salvo": cat("salvo").astype(np.int64), "success": cat("success").astype(bool),
        "goldstein": np.repeat([WEIGHTS[e.kind].goldstein for e in log], sizes).astype(float),
        "score": cat("score").astype(float), "source": np.repeat(np.array([e.source for e in log], dtype=object), sizes),
        "cause": causes, "reason": reasons})
    return _dated(m, frame.astype(EVENT_DTYPES).sort_values(["rep", "day"], kind="stable", ignore_index=True))


def _empty_events(m) -> pd.DataFrame:
    return _dated(m, pd.DataFrame({k: pd.Series(dtype=v) for k, v in EVENT_DTYPES.items()}))


def _dated(m, frame: pd.DataFrame) -> pd.DataFrame:
    days = np.datetime64(m.spec.start, "D") + frame["day"].to_numpy()
    frame.insert(1, "date", days.astype("datetime64[ns]"))  # the same unit as the daily table's dates
    return frame


def end_date(m) -> dt.date:
    return m.dates[m.day - 1] if m.day else m.spec.start
