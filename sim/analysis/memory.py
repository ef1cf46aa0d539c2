"""Figures and reports from result objects held in memory (a notebook's `simulate(...)` or `batch(...)`).

The analysis layer never imports the model, so it does not know the classes a run returns:
it takes any object that looks like a result (duck typing) and serves it through the same
interface as a results folder (`Results`), so every plot function and the report work on both.

What an object needs (attributes or zero-argument methods):

* ``daily``      DataFrame of the daily table (docs/RESULTS.md); a batch's carries run_id,
                 scenario and replication; a single run's may leave them out.
* ``events``     DataFrame of the event log (may be empty or missing).
* ``calendar``   DataFrame of the calendar (kind, name, start, end, ...): one for every
                 scenario, one with a ``scenario`` column, or a dict scenario -> DataFrame.
* ``manifest``   dict, as manifest.json (scenario(s), ladder, actors, design, ...).
* batches also ``summary`` (one row per run) and perhaps ``experiments`` (the swept
  parameters per run, as EMA Workbench returns them); a sweep is a batch whose
  experiments (or a ``design``) hold parameter columns. ``sensitivity`` is optional.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis._io import empty_calendar, empty_events, normalise_calendar
from sim.analysis.results import ID_COLUMNS, Results, ResultsError, load, scenario_name

MEMORY_PATH = Path("(in memory)")
RESULT_ATTRIBUTES = ("daily", "manifest")


def is_result_object(source: Any) -> bool:
    """True for an object that quacks like a result (has .daily and .manifest), not a path."""
    return not isinstance(source, (str, Path, Results)) and all(hasattr(source, a) for a in RESULT_ATTRIBUTES)


def open_results(source: Any) -> Results:
    """A `Results` for a folder path, an opened `Results`, or a result object in memory."""
    if isinstance(source, Results):
        return source
    if isinstance(source, (str, Path)):
        return load(source)
    if is_result_object(source):
        return MemoryResults.wrap(source)
    raise ResultsError(f"cannot read results from a {type(source).__name__}: give a results folder "
                       "or a result object with .daily and .manifest")


def _get(obj: Any, name: str) -> Any:
    value = getattr(obj, name, None)
    return value() if callable(value) and not isinstance(value, (pd.DataFrame, dict)) else value


def _frame(value: Any, name: str) -> pd.DataFrame | None:
    if value is None:
        return None
    if isinstance(value, pd.DataFrame):
        return value
    try:
        return pd.DataFrame(value)
    except (TypeError, ValueError) as exc:
        raise ResultsError(f"the result object's .{name} is not a table ({type(value).__name__})") from exc


class MemoryResults(Results):
    """A `Results` whose tables come from an object in memory instead of files."""

    @classmethod
    def wrap(cls, obj: Any) -> "MemoryResults":
        manifest = _get(obj, "manifest")
        if isinstance(manifest, str):
            manifest = json.loads(manifest)
        if not isinstance(manifest, dict):
            raise ResultsError("the result object's .manifest is not a dict")
        tables = {name: _frame(_get(obj, name), name)
                  for name in ("daily", "events", "summary", "experiments", "design", "sensitivity")}
        if tables["daily"] is None:
            raise ResultsError("the result object has no daily table")
        res = cls(MEMORY_PATH, "run", manifest)
        res._tables = tables
        res._calendars = _get(obj, "calendar")
        res.kind = res._detect_kind()
        if res.kind == "run":
            res._tables["daily"] = res._tag(tables["daily"])
        return res

    def _detect_kind(self) -> str:
        if self.manifest.get("design") or self._parameter_frame() is not None:
            return "sweep" if self._parameter_frame() is not None else "batch"
        daily, summary = self._tables["daily"], self._tables["summary"]
        runs = daily["run_id"].nunique() if "run_id" in daily else 1
        if summary is not None and len(summary) > 1 or runs > 1 or isinstance(self.manifest.get("scenarios"), (dict, list)):
            return "batch"
        return "run"

    def _parameter_frame(self) -> pd.DataFrame | None:
        """The experiments (or design) table if it holds swept-parameter columns."""
        for name in ("design", "experiments"):
            frame = self._tables.get(name)
            if frame is not None and [c for c in frame.columns if c not in ID_COLUMNS]:
                return frame
        return None

    # ---- the readers Results uses, from memory -------------------------------------
    def scenarios(self) -> list[str]:
        if self.kind == "run":
            return [scenario_name(self.manifest)]
        scen = self.manifest.get("scenarios")
        if isinstance(scen, (dict, list)) and scen:
            return super().scenarios()
        table = self._tables["summary"] if self._tables["summary"] is not None else self._tables["daily"]
        if "scenario" in table:
            return list(dict.fromkeys(table["scenario"].astype(str)))
        return [scenario_name(self.manifest)]

    def has_daily(self) -> bool:
        return not self._tables["daily"].empty

    def runs(self) -> pd.DataFrame:
        if self.kind == "run":
            return super().runs()
        table = self._tables["summary"]
        if table is None:
            cols = [c for c in ("run_id", "scenario", "replication") if c in self._tables["daily"]]
            table = self._tables["daily"][cols].drop_duplicates()
        return table

    def daily(self, columns: list[str] | None = None, scenario: str | None = None,
              replication: int | None = None) -> pd.DataFrame:
        frame = self._tables["daily"]
        if columns is not None:
            keep = list(dict.fromkeys(["run_id", "scenario", "replication", "date", "day", *columns]))
            frame = frame[[c for c in keep if c in frame]]
        frame = _select(frame, scenario, replication)
        if "date" in frame:
            frame["date"] = pd.to_datetime(frame["date"])
        order = [c for c in ("scenario", "replication", "date") if c in frame]
        return frame.sort_values(order, kind="stable").reset_index(drop=True)

    def daily_columns(self) -> list[str]:
        return list(self._tables["daily"].columns)

    def events(self, scenario: str | None = None, replication: int | None = None) -> pd.DataFrame:
        frame = self._tables["events"]
        if frame is None or frame.empty:
            return empty_events()
        frame = _select(self._tag(frame) if self.kind == "run" else frame, scenario, replication)
        frame["date"] = pd.to_datetime(frame["date"])
        return frame.reset_index(drop=True)

    def calendar(self, scenario: str | None = None) -> pd.DataFrame:
        name = self.pick_scenario(scenario)
        cal = self._calendars
        if isinstance(cal, dict):
            cal = cal.get(name)
        cal = _frame(cal, "calendar")
        if cal is None or cal.empty:
            return empty_calendar()
        if "scenario" in cal and cal["scenario"].nunique() > 1:
            cal = cal[cal["scenario"].astype(str) == name]
        frame = cal.drop(columns=["scenario"], errors="ignore").astype(
            {c: str for c in ("kind", "name", "participants", "detail") if c in cal})
        return normalise_calendar(frame).assign(scenario=name)

    def summary(self) -> pd.DataFrame:
        table = self._tables["summary"]
        if table is None:
            raise ResultsError("the result object has no summary table")
        if self.kind == "run":
            return self._tag(table)
        experiments = self._tables["experiments"]
        if experiments is not None and "run_id" in table and "run_id" in experiments:
            extra = [c for c in experiments.columns if c not in table.columns]
            if extra:
                table = table.merge(experiments[["run_id", *extra]], on="run_id", how="left")
        return table

    def first_replication(self, scenario: str | None = None) -> int:
        if self.kind == "run" or self._tables["summary"] is not None:
            return super().first_replication(scenario)
        reps = self.daily(["replication"], scenario=scenario)["replication"]
        if reps.empty:
            raise ResultsError(f"no run{f' of {scenario}' if scenario else ''} in the result object")
        return int(reps.min())

    def design(self) -> pd.DataFrame:
        frame = self._parameter_frame()
        if frame is None:
            raise ResultsError("the result object has no design or experiments table: not a sweep")
        return frame

    def sensitivity(self) -> pd.DataFrame:
        frame = self._tables["sensitivity"]
        if frame is None:
            raise ResultsError("the result object has no sensitivity table")
        return frame.assign(conf=frame["conf"]) if "conf" in frame else frame.assign(conf=float("nan"))


def _select(frame: pd.DataFrame, scenario: str | None, replication: int | None) -> pd.DataFrame:
    if scenario is not None and "scenario" in frame:
        frame = frame[frame["scenario"].astype(str) == scenario]
    if replication is not None and "replication" in frame:
        frame = frame[frame["replication"] == replication]
    return frame.copy()
