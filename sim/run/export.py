"""Batch tables as CSV files: one file per table, for tools and people that expect one.

`--format parquet` (the default) keeps the streaming parquet parts only; `both` adds
OUT/summary.csv, daily.csv, events.csv and runs.csv once the batch call ends; `csv` writes
the same files and, when every run is complete, removes the parquet parts (they are the
resume bookkeeping, so a batch with failed runs keeps them until a resume completes it).

Why at the end and streamed: a CSV cannot be appended to atomically as chunks finish,
and a daily table can be larger than memory. Each CSV is written to a temporary file part
group by part group and renamed into place, so it is whole or absent. Rows are in run_id
order, as `read_table` gives them, whatever the executor; columns are the union over
scenarios (a scenario without an actor leaves that actor's columns empty).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from sim.run import io as _io
from sim.run.store import TABLES, BatchStore, StoreError, _committed, _PART, part_problem

FORMATS = ("parquet", "csv", "both")


def export_tables(root: Path | str, fmt: str) -> list[Path]:
    """Write the CSV tables `fmt` asks for; returns the files written."""
    if fmt not in FORMATS:
        raise StoreError(f"format: unknown '{fmt}' (expected one of: {', '.join(FORMATS)})")
    root = Path(root)
    store = BatchStore(root)
    manifest = store.read_manifest() or {}
    if fmt == "parquet":
        return []
    written = []
    for table in TABLES:
        parts = _parts(root, table)
        if parts:  # none: daily none, or a csv batch whose parts were already replaced
            written.append(_write_csv(root / f"{table}.csv", parts))
    if (root / "runs" / "runs.parquet").is_file():
        runs = pd.read_parquet(root / "runs" / "runs.parquet")
        written.append(_io.atomic_write_frame(runs, root / "runs.csv"))
    complete = manifest.get("status") == "complete"
    if fmt == "csv" and complete:
        for table in (*TABLES, "checksums"):
            shutil.rmtree(root / table, ignore_errors=True)
    if manifest:
        manifest.update(format=fmt, csv={p.name: _io.sha256_file(p) for p in written})
        store.write_manifest(manifest)
    return written


def _parts(root: Path, table: str) -> list[Path]:
    folder = root / table
    parts = sorted(p for p in folder.glob("part-*.parquet") if _PART.match(p.name) and _committed(p))
    for part in parts:
        problem = part_problem(part)
        if problem:
            raise StoreError(f"{part} is damaged ({problem}); rerun with --resume to replace it")
    return parts


def _write_csv(path: Path, parts: list[Path]) -> Path:
    """Stream `parts` into one CSV in run_id order, holding one group of overlapping parts at a time."""
    columns = list(dict.fromkeys(name for part in parts for name in pq.read_schema(part).names))

    def write(tmp: str) -> None:
        with open(tmp, "w", newline="") as fh:
            pd.DataFrame(columns=columns).to_csv(fh, index=False)
            for group in _groups(parts):
                frame = pd.concat([pd.read_parquet(p) for p in group], ignore_index=True)
                if "run_id" in frame.columns:
                    frame = frame.sort_values("run_id", kind="stable")
                frame.reindex(columns=columns).to_csv(fh, index=False, header=False)

    return _io.atomic_write_with(path, write)


def _groups(parts: list[Path]) -> list[list[Path]]:
    """Parts whose run_id ranges overlap, grouped, groups in run_id order.

    A batch writes consecutive runs per part, so groups are single parts; a resumed batch
    may hold parts that interleave, which are read together and sorted.
    """
    spans = []
    for part in parts:
        ids = pq.read_table(part, columns=["run_id"]).column(0) if "run_id" in pq.read_schema(part).names else None
        low, high = (ids.to_pandas().min(), ids.to_pandas().max()) if ids is not None and len(ids) else (0, 0)
        spans.append((low, high, part))
    spans.sort(key=lambda s: (s[0], s[1], s[2].name))
    groups: list[list[Path]] = []
    reach = None
    for low, high, part in spans:
        if groups and reach is not None and low <= reach:
            groups[-1].append(part)
            reach = max(reach, high)
        else:
            groups.append([part])
            reach = high
    return groups


def already_exported(root: Path | str) -> bool:
    """A complete `--format csv` batch: its parts were replaced by CSV tables, nothing to resume."""
    root = Path(root)
    try:
        manifest = BatchStore(root).read_manifest() or {}
    except StoreError:
        return False
    return (manifest.get("format") == "csv" and manifest.get("status") == "complete"
            and (root / "summary.csv").is_file() and not (root / "summary").is_dir())
