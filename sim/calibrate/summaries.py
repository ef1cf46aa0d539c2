"""Summary statistics of a launch record, observed or simulated, for simulation-based calibration.

The same function of the same daily record gives both: launch days per year and per month of
year, the shares of launch days during exercises and in the 30 days after, pauses of 150 days
or more, missiles per launch day, the class mix, and UN sanctions resolutions with their lag
after a major test (a nuclear test or a long-range launch). The observed record is the packaged
one (2010-2019); nothing after 2019 exists in the project.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from sim.schema.historical import replay_entries, unsc_entries
from sim.schema.params import MISSILE_CLASSES

AFTER = 30   # days after an exercise in which a launch counts as "just after" (M1)
PAUSE = 150  # a pause: this many days or more between launch days
MAJOR = ("ICBM",)  # long-range launches (space launch vehicles fly the ICBM programme) and nuclear tests


def names(start: dt.date, until: dt.date) -> list[str]:
    years = range(start.year, until.year + 1)
    return ([f"launch_days_{y}" for y in years] + [f"month_{m:02d}" for m in range(1, 13)]
            + ["share_in_exercises", "share_after_exercises", "pauses", "missiles_per_day"]
            + [f"class_{k}" for k in MISSILE_CLASSES[:4]] + ["resolutions", "resolution_lag"])


def record_stats(launch: np.ndarray, drill: np.ndarray, start: dt.date, missiles: np.ndarray,
                 major: np.ndarray, resolutions: np.ndarray) -> dict[str, np.ndarray]:
    """Statistics of R records: ``launch`` (days, R) launch days; ``drill`` (days,) exercise days;
    ``missiles`` (R, classes); ``major`` and ``resolutions`` (days, R) bool days of events."""
    days, R = launch.shape
    dates = np.datetime64(start, "D") + np.arange(days)
    years = dates.astype("datetime64[Y]").astype(int) + 1970
    months = dates.astype("datetime64[M]").astype(int) % 12 + 1
    out = {f"launch_days_{y}": launch[years == y].sum(axis=0).astype(float) for y in np.unique(years)}
    total = np.maximum(launch.sum(axis=0), 1)
    out.update({f"month_{m:02d}": launch[months == m].sum(axis=0) / total for m in range(1, 13)})
    during, after = _windows(drill)
    out["share_in_exercises"] = launch[during].sum(axis=0) / total
    out["share_after_exercises"] = launch[after].sum(axis=0) / total
    out["pauses"] = np.array([_pauses(launch[:, r]) for r in range(R)], dtype=float)
    out["missiles_per_day"] = missiles.sum(axis=1) / total
    mix = missiles[:, :4] / np.maximum(missiles[:, :4].sum(axis=1, keepdims=True), 1)
    out.update({f"class_{k}": mix[:, i] for i, k in enumerate(MISSILE_CLASSES[:4])})
    out["resolutions"] = resolutions.sum(axis=0).astype(float)
    out["resolution_lag"] = np.array([_lag(major[:, r], resolutions[:, r]) for r in range(R)])
    return out


def _windows(drill: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    during = drill > 0
    after = np.zeros_like(during)
    ends = np.flatnonzero(during[:-1] & ~during[1:])
    for e in ends:
        after[e + 1:e + 1 + AFTER] = True
    return during, after & ~during


def _pauses(launch: np.ndarray) -> int:
    days = np.flatnonzero(launch)
    return int((np.diff(days) >= PAUSE).sum()) if len(days) > 1 else 0


def _lag(major: np.ndarray, resolutions: np.ndarray) -> float:
    """Mean days from a major test to the next resolution adopted (0 when none follows one)."""
    majors, res = np.flatnonzero(major), np.flatnonzero(resolutions)
    lags = [res[res > m][0] - m for m in majors if (res > m).any()]
    return float(np.mean(lags)) if lags else 0.0


def observed(start: dt.date, until: dt.date, drill: np.ndarray) -> dict[str, float]:
    """The packaged record's statistics over [start, until] (``drill``: the window's exercise days)."""
    days = (until - start).days + 1
    launch = np.zeros((days, 1), dtype=bool)
    major = np.zeros((days, 1), dtype=bool)
    missiles = np.zeros((1, len(MISSILE_CLASSES)))
    for e in replay_entries(until):
        t = (e["date"] - start).days
        if not 0 <= t < days:
            continue
        if e["action"] == "nuclear_test" or e.get("missile_class") in MAJOR:
            major[t] = True
        if e["action"] == "missile_test":
            launch[t] = True
            missiles[0, MISSILE_CLASSES.index(e["missile_class"])] += e["salvo"]
    resolutions = np.zeros((days, 1), dtype=bool)
    for e in unsc_entries():
        t = (e["date"] - start).days
        if e["outcome"] == "adopted" and 0 <= t < days:
            resolutions[t] = True
    stats = record_stats(launch, drill[:days], start, missiles, major, resolutions)
    return {k: float(v[0]) for k, v in stats.items()}


def simulated(m) -> dict[str, np.ndarray]:
    """The statistics of every replication of a finished model (daily and events recorded)."""
    days, R = m.day, m.R
    major = np.zeros((days, R), dtype=bool)
    resolutions = np.zeros((days, R), dtype=bool)
    icbm = MISSILE_CLASSES.index("ICBM")
    for e in m.recorder.log:
        if e.kind == "un_sanctions_adopted":
            resolutions[e.day, e.rep] = True
        elif e.actor == m.cast.prov and (e.kind == "nuclear_test" or e.kind == "missile_test"):
            major[e.day, e.rep if e.kind == "nuclear_test" else e.rep[e.cls == icbm]] = True
    return record_stats(m.recorder.daily["test_day"][:days], m.calendars[0].drill[:days], m.spec.start,
                        m.recorder.missiles, major, resolutions)
