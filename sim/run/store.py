"""On-disk layout of a batch: streaming parquet parts, atomic writes, checksums, resume bookkeeping.

A batch directory (see docs/RESULTS.md, "A batch or sweep") is filled while the batch runs:

    manifest.json            what was asked and how it went (rewritten atomically)
    failures.json            runs that raised, with seed and traceback
    runs/runs.parquet        the experiments table, one row per planned run
    summary/part-NNNNN.parquet, daily/part-NNNNN.parquet, events/part-NNNNN.parquet
    checksums/part-NNNNN.json  the sha256 of each table's part NNNNN
    calendar/SCENARIO.csv

Why parts: results stream to disk as chunks finish, so memory does not grow with the
number of runs, and a killed batch leaves every finished chunk readable. Every file is
written to a dot-prefixed temporary name and then `os.replace`d, so a reader (or a resume)
sees a part completely or not at all; dot-prefixed names are also skipped by
`pandas.read_parquet(DIR)`.

Why the summary part is the commit marker: a chunk writes daily and events first, then its
checksum record, and its summary part last, under the same part number. A run is complete
exactly when its run_id is in a summary part; daily/events parts and records without a
summary twin (a kill between the writes) are deleted on resume, so a resumed batch never
holds a run twice.

Why checksums: a part can be damaged after it was written (a full disk on a network share,
a copy cut short, a flipped bit). Parquet notices some damage and not other: a flipped bit
in a float reads back as a wrong number. The checksum record, written before the commit,
lets a resume discard and rerun exactly the damaged chunks and lets readers refuse them.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.limits import NAME_CHARS
from sim.run import io as _io

TABLES = ("summary", "daily", "events")
_PART = re.compile(r"^part-(\d{5,})\.parquet$")
log = logging.getLogger(__name__)


class StoreError(Exception):
    """A results directory whose files are damaged; ``str()`` is one line."""


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half."""
    _io.atomic_write_bytes(path, data)


def atomic_write_json(path: Path, obj: Any) -> None:
    atomic_write(path, (json.dumps(obj, indent=2, default=str) + "\n").encode())


def frame_to_parquet(frame: pd.DataFrame) -> bytes:
    """Encode a frame as parquet bytes: compact to ship from a worker, and written as is."""
    part = PartWriter()
    part.add(frame)
    return part.getvalue()


class PartWriter:
    """One part's parquet bytes, written a frame at a time (a row group each), so that a worker
    encodes a large ensemble's table slice by slice and never holds all of it as one frame."""

    def __init__(self) -> None:
        self._sink: pa.BufferOutputStream | None = None
        self._writer: pq.ParquetWriter | None = None

    def add(self, frame: pd.DataFrame) -> None:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        # A text column that is empty in this frame (no missile test -> no missile_class) would
        # be typed null; make it string so every part of a table has the same schema.
        for i, fld in enumerate(table.schema):
            if pa.types.is_null(fld.type):
                table = table.set_column(i, pa.field(fld.name, pa.string()), table.column(i).cast(pa.string()))
        if self._writer is None:
            self._sink = pa.BufferOutputStream()
            # daily floats barely compress; snappy is cheapest
            self._writer = pq.ParquetWriter(self._sink, table.schema, compression="snappy")
        self._writer.write_table(table)

    def getvalue(self) -> bytes | None:
        """The part's bytes (None if nothing was added); the writer is closed."""
        if self._writer is None:
            return None
        self._writer.close()
        return self._sink.getvalue().to_pybytes()


def sanitize(name: str) -> str:
    """A name made safe as one folder or file name: no separators, no `..`, no control
    characters, at most NAME_CHARS characters (a long name keeps a hash of the whole)."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(name)).strip(".") or "scenario"
    if len(safe) > NAME_CHARS:
        safe = f"{safe[:NAME_CHARS - 9]}-{hashlib.sha256(str(name).encode()).hexdigest()[:8]}"
    return safe


def part_path(root: Path, table: str, number: int) -> Path:
    return Path(root) / table / f"part-{number:05d}.parquet"


def record_path(part: Path) -> Path:
    """The checksum record of a part: ROOT/checksums/part-NNNNN.json for ROOT/TABLE/part-NNNNN.parquet."""
    return part.parent.parent / "checksums" / f"{part.stem}.json"


def part_problem(part: Path) -> str | None:
    """Why a committed part cannot be trusted (None when its checksum matches or none was kept).

    A directory written before checksums existed has no checksums/ folder; its parts are
    only checked by reading them.
    """
    record = record_path(part)
    if not record.parent.is_dir():
        return None
    try:
        expected = json.loads(record.read_text()).get(part.parent.name)
    except (OSError, ValueError, AttributeError):
        return "its checksum record is missing or damaged"
    if expected is None:
        return "its checksum record does not list it"
    if _io.sha256_file(part) != expected:
        return "its checksum does not match the one recorded when it was written"
    return None


class BatchStore:
    """The files of one batch directory; only the parent process writes here."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self._next_part = 0
        self.discarded: list[str] = []

    # -- layout -----------------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    def prepare(self) -> None:
        """Create the directories and find the next free part number.

        A directory written before checksums existed gets them now, for the chunks that
        still read back, so from here on every committed chunk has a record.
        """
        legacy = not (self.root / "checksums").is_dir() and bool(self._part_numbers("summary"))
        for sub in (*TABLES, "runs", "calendar"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        if legacy:
            self.discard_damaged()  # no records yet: this reads each summary part
            for number in self._part_numbers("summary"):
                sums = {t: _io.sha256_file(self._part(t, number)) for t in TABLES if self._part(t, number).exists()}
                atomic_write_json(self._record(number), sums)
        (self.root / "checksums").mkdir(exist_ok=True)
        self._next_part = 1 + max((n for t in TABLES for n in self._part_numbers(t)), default=-1)

    def _part_numbers(self, table: str) -> list[int]:
        folder = self.root / table
        if not folder.is_dir():
            return []
        return [int(m.group(1)) for p in folder.iterdir() if (m := _PART.match(p.name))]

    def _part(self, table: str, number: int) -> Path:
        return part_path(self.root, table, number)

    def _record(self, number: int) -> Path:
        return self.root / "checksums" / f"part-{number:05d}.json"

    def has_results(self) -> bool:
        """True when the directory already holds a batch (a manifest or any part)."""
        return self.manifest_path.exists() or any(self._part_numbers(t) for t in TABLES)

    # -- writing ------------------------------------------------------------------
    def write_chunk(self, parts: dict[str, bytes | None]) -> int:
        """Write one chunk's tables under a fresh part number: daily, events, checksums, summary.

        The summary part is the commit; its checksum record is written just before it, so
        every committed chunk has one.
        """
        number = self._next_part
        self._next_part += 1
        for table in ("daily", "events"):
            if parts.get(table) is not None:
                atomic_write(self._part(table, number), parts[table])
        if parts.get("summary") is not None:
            sums = {t: _io.sha256(parts[t]) for t in TABLES if parts.get(t) is not None}
            atomic_write_json(self._record(number), sums)
            atomic_write(self._part("summary", number), parts["summary"])
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
        try:
            manifest = json.loads(self.manifest_path.read_text())
        except (OSError, ValueError) as exc:
            raise StoreError(f"{self.manifest_path}: unreadable manifest ({exc})") from None
        return manifest if isinstance(manifest, dict) else None

    def completed_run_ids(self) -> set[int]:
        """Run ids in committed summary parts: the runs a resume must not repeat."""
        done: set[int] = set()
        for number in self._part_numbers("summary"):
            col = pq.read_table(self._part("summary", number), columns=["run_id"]).column(0)
            done.update(col.to_pylist())
        return done

    def clean_uncommitted(self) -> int:
        """Delete temporaries, uncommitted daily/events parts and records, then damaged chunks.

        Returns the number of uncommitted files removed; the damaged chunks discarded are
        listed in `self.discarded` (and logged), so their runs run again.
        """
        committed = set(self._part_numbers("summary"))
        doomed = list(self.root.rglob(".*.tmp"))
        for table in ("daily", "events"):
            doomed += [self._part(table, n) for n in self._part_numbers(table) if n not in committed]
        records = self.root / "checksums"
        if records.is_dir():
            doomed += [p for p in records.glob("part-*.json") if _number(p) not in committed]
        for path in doomed:
            path.unlink(missing_ok=True)
        self.discard_damaged()
        return len(doomed)

    def discard_damaged(self) -> list[str]:
        """Verify every committed chunk; delete the files of each damaged one and say why."""
        notes = []
        for number in sorted(self._part_numbers("summary")):
            problem = self._chunk_problem(number)
            if problem is None:
                continue
            for table in TABLES:
                self._part(table, number).unlink(missing_ok=True)
            self._record(number).unlink(missing_ok=True)
            notes.append(f"{self._part(problem[0], number)} is damaged ({problem[1]}): "
                         f"discarded chunk {number}, its runs run again")
        for note in notes:
            log.warning(note)
        self.discarded += notes
        return notes

    def _chunk_problem(self, number: int) -> tuple[str, str] | None:
        """(table, reason) for the first damaged file of chunk `number`, else None."""
        for table in TABLES:
            part = self._part(table, number)
            if not part.exists():
                continue
            problem = part_problem(part)
            if problem:
                return table, problem
        if not self._record(number).parent.is_dir():  # written before checksums: try reading it
            try:
                pq.read_table(self._part("summary", number), columns=["run_id"])
            except (OSError, ValueError, pa.ArrowException) as exc:
                return "summary", f"unreadable: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        return None


def _committed(part: Path) -> bool:
    """A part of a chunk that wrote its summary (a kill between the writes leaves others)."""
    return part.parent.name == "summary" or (part.parent.parent / "summary" / part.name).exists()


def _number(path: Path) -> int:
    digits = re.sub(r"\D", "", path.stem)
    return int(digits) if digits else -1


def read_table(out: Path | str, table: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Read one batch table (summary, daily, events) in canonical order.

    Parts are written in completion order, which depends on the executor and worker count;
    a stable sort by run_id gives the same frame for any (rows of one run keep their order).
    A part whose checksum does not match raises StoreError.
    """
    folder = Path(out) / table
    paths = sorted(p for p in folder.glob("part-*.parquet") if _PART.match(p.name) and _committed(p))
    if not paths:
        return pd.DataFrame(columns=columns) if columns else pd.DataFrame()
    for path in paths:
        problem = part_problem(path)
        if problem:
            raise StoreError(f"{path} is damaged ({problem}); rerun with --resume to replace it")
    frame = pd.concat([pd.read_parquet(p, columns=columns) for p in paths], ignore_index=True)
    if "run_id" in frame.columns:
        frame = frame.sort_values("run_id", kind="stable", ignore_index=True)
    return frame
