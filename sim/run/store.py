"""On-disk layout of a batch: streaming parquet parts, atomic writes, resume bookkeeping.

A batch directory (see docs/RESULTS.md, "A batch or sweep") is filled while the batch runs:

    manifest.json            what was asked and how it went (rewritten atomically)
    failures.json            runs that raised, with seed and traceback
    runs/runs.parquet        the experiments table, one row per planned run
    summary/part-NNNNN.parquet, daily/part-NNNNN.parquet, events/part-NNNNN.parquet
    calendar/SCENARIO.csv

Why parts: results stream to disk as chunks finish, so memory does not grow with the
number of runs, and a killed batch leaves every finished chunk readable. Every file is
written to a dot-prefixed temporary name and then `os.replace`d, so a reader (or a resume)
sees a part completely or not at all; dot-prefixed names are also skipped by
`pandas.read_parquet(DIR)`.

Why the summary part is the commit marker: a chunk writes daily and events first and its
summary part last, under the same part number. A run is complete exactly when its run_id
is in a summary part; daily/events parts without a summary twin (a kill between the writes)
are deleted on resume, so a resumed batch never holds a run twice.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

TABLES = ("summary", "daily", "events")
_PART = re.compile(r"^part-(\d{5,})\.parquet$")


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def atomic_write_json(path: Path, obj: Any) -> None:
    atomic_write(path, (json.dumps(obj, indent=2, default=str) + "\n").encode())


def frame_to_parquet(frame: pd.DataFrame) -> bytes:
    """Encode a frame as parquet bytes: compact to ship from a worker, and written as is."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    # A text column that is empty in this chunk (no missile test -> no missile_class) would
    # be typed null; make it string so every part of a table has the same schema.
    for i, fld in enumerate(table.schema):
        if pa.types.is_null(fld.type):
            table = table.set_column(i, pa.field(fld.name, pa.string()), table.column(i).cast(pa.string()))
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="snappy")  # daily floats barely compress; snappy is cheapest
    return buf.getvalue()


def sanitize(name: str) -> str:
    """A scenario name made safe as a file name (calendar/SCENARIO.csv)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip(".") or "scenario"


class BatchStore:
    """The files of one batch directory; only the parent process writes here."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self._next_part = 0

    # -- layout -----------------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    def prepare(self) -> None:
        """Create the directories and find the next free part number."""
        for sub in (*TABLES, "runs", "calendar"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self._next_part = 1 + max((n for t in TABLES for n in self._part_numbers(t)), default=-1)

    def _part_numbers(self, table: str) -> list[int]:
        folder = self.root / table
        if not folder.is_dir():
            return []
        return [int(m.group(1)) for p in folder.iterdir() if (m := _PART.match(p.name))]

    def _part(self, table: str, number: int) -> Path:
        return self.root / table / f"part-{number:05d}.parquet"

    def has_results(self) -> bool:
        """True when the directory already holds a batch (a manifest or any part)."""
        return self.manifest_path.exists() or any(self._part_numbers(t) for t in TABLES)

    # -- writing ------------------------------------------------------------------
    def write_chunk(self, parts: dict[str, bytes | None]) -> int:
        """Write one chunk's tables under a fresh part number; summary last (the commit)."""
        number = self._next_part
        self._next_part += 1
        for table in ("daily", "events", "summary"):
            data = parts.get(table)
            if data is not None:
                atomic_write(self._part(table, number), data)
        return number

    def write_calendar(self, scenario: str, csv_text: str) -> None:
        path = self.root / "calendar" / f"{sanitize(scenario)}.csv"
        if not path.exists():
            atomic_write(path, csv_text.encode())

    def write_runs(self, frame: pd.DataFrame) -> None:
        atomic_write(self.root / "runs" / "runs.parquet", frame_to_parquet(frame))

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        atomic_write_json(self.manifest_path, manifest)

    def write_failures(self, failures: list[dict[str, Any]]) -> None:
        atomic_write_json(self.root / "failures.json", failures)

    # -- reading / resume -----------------------------------------------------------
    def read_manifest(self) -> dict[str, Any] | None:
        if not self.manifest_path.exists():
            return None
        return json.loads(self.manifest_path.read_text())

    def completed_run_ids(self) -> set[int]:
        """Run ids in committed summary parts: the runs a resume must not repeat."""
        done: set[int] = set()
        for number in self._part_numbers("summary"):
            col = pq.read_table(self._part("summary", number), columns=["run_id"]).column(0)
            done.update(col.to_pylist())
        return done

    def clean_uncommitted(self) -> int:
        """Delete temporaries and daily/events parts whose chunk never wrote its summary."""
        committed = set(self._part_numbers("summary"))
        doomed = list(self.root.rglob(".*.tmp"))
        for table in ("daily", "events"):
            doomed += [self._part(table, n) for n in self._part_numbers(table) if n not in committed]
        for path in doomed:
            path.unlink()
        return len(doomed)


def read_table(out: Path | str, table: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Read one batch table (summary, daily, events) in canonical order.

    Parts are written in completion order, which depends on the executor and worker count;
    a stable sort by run_id gives the same frame for any (rows of one run keep their order).
    """
    folder = Path(out) / table
    paths = sorted(p for p in folder.glob("part-*.parquet") if _PART.match(p.name))
    if not paths:
        return pd.DataFrame(columns=columns) if columns else pd.DataFrame()
    frame = pd.concat([pd.read_parquet(p, columns=columns) for p in paths], ignore_index=True)
    if "run_id" in frame.columns:
        frame = frame.sort_values("run_id", kind="stable", ignore_index=True)
    return frame
