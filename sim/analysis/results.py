"""Read result directories (docs/RESULTS.md) into pandas frames, whatever wrote them.

`load(path)` detects the kind from manifest.json and the layout:

* run   - one run: daily.parquet (or .csv), events, calendar.csv, summary.json
* batch - runs/, summary/part-*.parquet, daily/part-*, events/part-*, calendar/SCENARIO.csv
* sweep - a batch with a design (design.parquet, and perhaps sensitivity.csv)

Every frame a `Results` hands out has the same shape for all kinds: daily and events carry
`run_id`, `scenario` and `replication` (a single run is replication 0 of its scenario), and
calendar carries `scenario`. This module never imports the model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.style import actor_order as style_order
from sim.analysis._io import (ResultsError, empty_calendar, empty_events, infer_ladder, normalise_calendar,
                              read_table, schema_columns, sources)

KINDS = ("run", "batch", "sweep")
ID_COLUMNS = ("run_id", "scenario", "replication", "root_seed", "spawn_key", "status",
              "design_point", "point", "seed", "error")


def load(path: str | Path) -> "Results":
    """Open a run, batch or sweep directory; raise ResultsError if it is not one."""
    root = Path(path)
    if not root.is_dir():
        raise ResultsError(f"no results directory at {root}")
    man_path = root / "manifest.json"
    if not man_path.is_file():
        inner = sorted(p.parent.name for p in root.glob("*/manifest.json"))
        if inner:  # e.g. an experiment: one sweep per scenario
            raise ResultsError(f"{root} holds several results directories ({', '.join(inner)}): plot one of them")
        raise ResultsError(f"{root} has no manifest.json: not a results directory")
    try:
        manifest = json.loads(man_path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ResultsError(f"{man_path}: unreadable manifest ({exc})") from exc
    if not isinstance(manifest, dict):
        raise ResultsError(f"{man_path}: manifest is not a JSON object")
    return Results(root, detect_kind(root, manifest), manifest)


def detect_kind(root: Path, manifest: dict[str, Any]) -> str:
    declared = str(manifest.get("kind", "")).lower()
    if declared == "run" or (declared not in ("batch", "sweep") and
                             ((root / "daily.parquet").is_file() or (root / "daily.csv").is_file())):
        return "run"  # a batch written --format csv has a daily.csv too: its manifest says batch
    if not (root / "summary").is_dir() and not (root / "daily").is_dir() and not (root / "summary.csv").is_file():
        raise ResultsError(f"{root} has neither daily.parquet (a run) nor summary/ (a batch)")
    if declared == "sweep" or (root / "design.parquet").is_file() or (root / "design.csv").is_file():
        return "sweep"
    return "batch"


@dataclass
class Results:
    path: Path
    kind: str
    manifest: dict[str, Any]
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    # ---- identity -------------------------------------------------------------------
    def scenarios(self) -> list[str]:
        """Scenario names in manifest order."""
        if self.kind == "run":
            return [scenario_name(self.manifest)]
        scen = self.manifest.get("scenarios")
        if isinstance(scen, dict):
            return list(scen)
        if isinstance(scen, list) and scen:
            return [s if isinstance(s, str) else str(s.get("name")) for s in scen]
        return sorted(self.runs()["scenario"].astype(str).unique())

    def pick_scenario(self, scenario: str | None) -> str:
        names = self.scenarios()
        if scenario is None:
            return names[0]
        if scenario not in names:
            raise ResultsError(f"no scenario '{scenario}' in {self.path} (scenarios: {', '.join(names)})")
        return scenario

    def replications(self, scenario: str | None = None) -> int:
        """Completed replications (of one scenario, or the most of any)."""
        if self.kind == "run":
            return 1
        table = self.summary()
        if scenario is not None:
            table = table[table["scenario"] == scenario]
        if "replication" not in table:
            return len(table)
        return int(table.groupby("scenario")["replication"].nunique().max()) if len(table) else 0

    # ---- tables ---------------------------------------------------------------------
    def runs(self) -> pd.DataFrame:
        if self.kind == "run":
            return pd.DataFrame({"run_id": [self._run_id()], "scenario": [self.scenarios()[0]], "replication": [0]})
        if "runs" not in self._cache:
            frame = read_table(self.path / "runs", required=False)
            if frame is None:
                frame = read_table(self.path / "summary", required=True)
            self._cache["runs"] = frame
        return self._cache["runs"]

    def daily(self, columns: list[str] | None = None, scenario: str | None = None,
              replication: int | None = None) -> pd.DataFrame:
        """Daily rows (optionally only `columns`, one scenario, one replication), sorted by run and date."""
        keep = None if columns is None else list(dict.fromkeys(["run_id", "scenario", "replication", "date", "day", *columns]))
        memo = ("daily", None if keep is None else tuple(keep), scenario, replication)
        if memo in self._cache:  # figures of one report ask for the same rows more than once
            return self._cache[memo].copy()
        if self.kind == "run":
            frame = self._tag(read_table(self.path / "daily", required=True, columns=keep))
        elif not sources(self.path / "daily"):
            raise ResultsError(f"{self.path} has no daily tables (was it run with --daily none?)")
        else:
            frame = read_table(self.path / "daily", required=True, columns=keep,
                                filters=_filters(scenario, replication))
        frame = _select(frame, scenario, replication)
        if "date" in frame:
            frame["date"] = pd.to_datetime(frame["date"])
        order = [c for c in ("scenario", "replication", "date") if c in frame]
        frame = frame.sort_values(order, kind="stable").reset_index(drop=True)
        if replication is None and columns is not None:  # keep the big, reused reads only
            self._cache = {k: v for k, v in self._cache.items() if not (isinstance(k, tuple) and k[0] == "daily")}
            self._cache[memo] = frame
        return frame.copy()

    def has_daily(self) -> bool:
        """Whether daily tables were written (a batch run with --daily none has none)."""
        if self.kind == "run":
            return True
        folder = self.path / "daily"
        return folder.is_dir() and any(folder.iterdir())

    def daily_columns(self) -> list[str]:
        """The columns of the daily table (read from the schema, no data)."""
        return schema_columns(self.path / "daily")

    def events(self, scenario: str | None = None, replication: int | None = None) -> pd.DataFrame:
        if self.kind == "run":
            frame = self._tag(read_table(self.path / "events", required=False))
        else:
            frame = read_table(self.path / "events", required=False, filters=_filters(scenario, replication))
        if frame is None or frame.empty:
            return empty_events()
        frame = _select(frame, scenario, replication)
        frame["date"] = pd.to_datetime(frame["date"])
        return frame.reset_index(drop=True)

    def calendar(self, scenario: str | None = None) -> pd.DataFrame:
        """The calendar of one scenario (default: the first) with parsed start/end dates."""
        name = self.pick_scenario(scenario)
        path = self.path / "calendar.csv" if self.kind == "run" else self.path / "calendar" / f"{name}.csv"
        if not path.is_file() and self.kind != "run":
            path = self.path / "calendar" / f"{_safe_name(name)}.csv"
        if not path.is_file():
            return empty_calendar()
        frame = pd.read_csv(path, keep_default_na=False, dtype=str)
        return normalise_calendar(frame).assign(scenario=name)

    def summary(self) -> pd.DataFrame:
        if "summary" not in self._cache:
            if self.kind == "run":
                data = json.loads((self.path / "summary.json").read_text())
                self._cache["summary"] = self._tag(pd.DataFrame([data]))
            else:
                self._cache["summary"] = read_table(self.path / "summary", required=True)
        return self._cache["summary"]

    def design(self) -> pd.DataFrame:
        frame = read_table(self.path / "design", required=False)
        if frame is None:
            raise ResultsError(f"{self.path} has no design.parquet: not a sweep")
        return frame

    def parameters(self) -> list[str]:
        """The swept parameter columns (design columns that are not identifiers)."""
        return [c for c in self.design().columns if c not in ID_COLUMNS]

    def sweep_table(self) -> pd.DataFrame:
        """One row per run: outcomes and the parameter values of its design point."""
        summary, design = self.summary(), self.design()
        params = self.parameters()
        if all(p in summary for p in params):
            return summary
        key = next((k for k in ("design_point", "point") if k in summary and k in design), None)
        if key is None:
            raise ResultsError(f"{self.path}: summary has neither the parameter columns nor a design_point key")
        return summary.merge(design, on=key, how="left", suffixes=("", "_design"))

    def sensitivity(self) -> pd.DataFrame:
        """sensitivity.csv (parameter, outcome, index, value, conf), wherever in the directory it is."""
        hits = sorted(self.path.rglob("sensitivity.csv"))
        if not hits:
            raise ResultsError(f"{self.path} has no sensitivity.csv (run the sensitivity analysis first)")
        frame = pd.read_csv(hits[0])
        missing = {"parameter", "outcome", "index", "value"} - set(frame.columns)
        if missing:
            raise ResultsError(f"{hits[0]}: missing columns {', '.join(sorted(missing))}")
        if "conf" not in frame:
            frame["conf"] = np.nan
        return frame

    # ---- model description from the manifest (with fallbacks from the data) ----------
    def ladder(self) -> pd.DataFrame:
        """Ladder rungs: level, name, lower, upper (from the manifest, else inferred from daily)."""
        rungs = self._described("ladder")
        if isinstance(rungs, list) and rungs:
            frame = pd.DataFrame(rungs)
            if {"level", "name", "lower", "upper"} <= set(frame.columns):
                return frame.sort_values("lower").reset_index(drop=True)
        rep = None if self.kind == "run" else self.first_replication()
        return infer_ladder(self.daily(["escalation_index", "ladder_level", "ladder_rung"], replication=rep))

    def _described(self, key: str) -> Any:
        """`key` from the manifest, or from the first scenario's entry in a batch manifest."""
        value = self.manifest.get(key)
        scen = self.manifest.get("scenarios")
        if not value and isinstance(scen, dict) and scen:
            first = next(iter(scen.values()))
            value = first.get(key) if isinstance(first, dict) else None
        return value

    def actors(self) -> list[str]:
        """Actors in the house order (DPRK, ROK, US, Japan, Russia, China, others)."""
        return style_order(self._actors())

    def _actors(self) -> list[str]:
        actors = self._described("actors")
        if isinstance(actors, dict) and actors:
            return list(actors)
        if isinstance(actors, list) and actors:
            return [a if isinstance(a, str) else str(a.get("name")) for a in actors]
        return [c[len("actions_"):] for c in self.daily_columns() if c.startswith("actions_")]

    def relations(self) -> list[tuple[str, str, str]]:
        """Undirected relations (a, b, kind) from the manifest; alliances also from cohesion columns."""
        found: dict[frozenset, tuple[str, str, str]] = {}
        for key in ("relations", "dyads"):
            for item in self._described(key) or []:
                if isinstance(item, dict):
                    a, b = item.get("a", item.get("source")), item.get("b", item.get("target"))
                    kind = str(item.get("kind", "")) or "adversary"
                    if a and b and kind:
                        found.setdefault(frozenset((a, b)), (str(a), str(b), kind))
        for col in self.daily_columns():
            if col.startswith("cohesion_") and "-" in col:
                a, b = col[len("cohesion_"):].split("-", 1)
                found[frozenset((a, b))] = (a, b, "alliance")
        return list(found.values())

    # ---- helpers --------------------------------------------------------------------
    def _run_id(self) -> str:
        return str(self.manifest.get("run_id", f"{scenario_name(self.manifest)}-0"))

    def _tag(self, frame: pd.DataFrame | None) -> pd.DataFrame | None:
        if frame is None:
            return None
        frame = frame.copy()
        for col, value in (("run_id", self._run_id()), ("scenario", self.scenarios()[0]), ("replication", 0)):
            if col not in frame:
                frame[col] = value
        return frame

    def first_replication(self, scenario: str | None = None) -> int:
        """The lowest completed replication (0 for a single run)."""
        if self.kind == "run":
            return 0
        table = self.summary()
        if scenario is not None:
            table = table[table["scenario"] == scenario]
        if "status" in table and table["status"].eq("ok").any():
            table = table[table["status"] == "ok"]
        if table.empty:
            raise ResultsError(f"no completed run{f' of {scenario}' if scenario else ''} in {self.path}")
        return int(table["replication"].min())


def _safe_name(name: str) -> str:
    """The batch writer's file-safe scenario name (calendar/SCENARIO.csv)."""
    from sim.run.store import sanitize  # a pure function of the store's naming, no model import

    return sanitize(name)


def scenario_name(manifest: dict[str, Any]) -> str:
    scen = manifest.get("scenario", manifest.get("name"))
    if isinstance(scen, dict):
        scen = scen.get("name")
    return str(scen) if scen else "scenario"


def _filters(scenario: str | None, replication: int | None) -> list | None:
    out = []
    if scenario is not None:
        out.append(("scenario", "=", scenario))
    if replication is not None:
        out.append(("replication", "=", int(replication)))
    return out or None


def _select(frame: pd.DataFrame, scenario: str | None, replication: int | None) -> pd.DataFrame:
    if scenario is not None and "scenario" in frame:
        frame = frame[frame["scenario"] == scenario]
    if replication is not None and "replication" in frame:
        frame = frame[frame["replication"] == replication]
    return frame.copy()


