"""Low-level readers for result tables: parquet part directories, single files, empty frames.

Used by `sim.analysis.results`; nothing here knows about runs or batches.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


class ResultsError(ValueError):
    """A results directory that is missing, incomplete or not in the contract's layout."""


def normalise_calendar(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for col in ("kind", "name", "participants", "detail"):
        if col not in frame:
            frame[col] = ""
    frame["start"] = pd.to_datetime(frame.get("start"), errors="coerce")
    end = pd.to_datetime(frame["end"], errors="coerce") if "end" in frame else frame["start"]
    frame["end"] = end.fillna(frame["start"])
    return frame.dropna(subset=["start"]).reset_index(drop=True)


def empty_calendar() -> pd.DataFrame:
    return pd.DataFrame({"kind": pd.Series(dtype=str), "name": pd.Series(dtype=str),
                         "start": pd.Series(dtype="datetime64[ns]"), "end": pd.Series(dtype="datetime64[ns]"),
                         "participants": pd.Series(dtype=str), "detail": pd.Series(dtype=str)})


def empty_events() -> pd.DataFrame:
    cols = {"date": "datetime64[ns]", "day": int, "actor": str, "action": str, "target": str,
            "missile_class": str, "salvo": int, "success": bool, "goldstein": float, "score": float,
            "source": str, "reason": str, "run_id": str, "scenario": str, "replication": int}
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()})


def sources(stem: Path) -> list[Path]:
    """The files of table `stem`: stem.parquet, stem.csv, or the part files of directory stem/.

    Parts of a chunk that never wrote its summary (a batch killed between the writes) are
    left out: their runs are not in the batch until a resume reruns them.
    """
    if stem.is_dir():
        parts = [p for p in sorted(stem.glob("*.parquet")) if committed(p)] or sorted(stem.glob("*.csv"))
        return parts
    for ext in (".parquet", ".csv"):
        if stem.with_suffix(ext).is_file():
            return [stem.with_suffix(ext)]
    return []


def schema_columns(stem: Path) -> list[str]:
    files = sources(stem)
    if not files:
        return []
    check_part(files[0])
    try:
        if files[0].suffix == ".parquet":
            return list(pq.read_schema(files[0]).names)
        return list(pd.read_csv(files[0], nrows=0).columns)
    except (OSError, ValueError, pa.ArrowException) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ResultsError(f"{files[0]}: unreadable ({first})") from None


def read_table(stem: Path, required: bool, columns: list[str] | None = None,
                filters: list | None = None) -> pd.DataFrame | None:
    files = sources(stem)
    if not files:
        if required:
            raise ResultsError(f"missing {stem.name} table in {stem.parent}")
        return None
    for f in files:
        check_part(f)
    try:
        frames = [read_one(f, columns, filters) for f in files]
    except (OSError, ValueError, pa.ArrowException) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ResultsError(f"{stem}: unreadable ({first})") from None
    frames = [f for f in frames if not f.empty] or frames[:1]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def committed(part: Path) -> bool:
    """False for a daily/events part whose chunk has no summary part (not committed)."""
    if not _PART.match(part.name) or part.parent.name not in ("daily", "events"):
        return True
    return (part.parent.parent / "summary" / part.name).exists()


def check_part(part: Path) -> None:
    """Refuse, in one line, a batch part whose checksum does not match its record.

    Verified parts are remembered by size and modification time, so a figure that reads
    the same table several times hashes it once.
    """
    if not _PART.match(part.name):
        return
    try:
        stat = part.stat()
    except OSError as exc:
        raise ResultsError(f"{part}: unreadable ({exc.strerror or exc})") from None
    key = (str(part), stat.st_size, stat.st_mtime_ns)
    if key in _VERIFIED:
        return
    from sim.run.store import part_problem  # the batch layout has one definition

    try:
        problem = part_problem(part)
    except OSError as exc:
        raise ResultsError(f"{part}: unreadable ({exc.strerror or exc})") from None
    if problem:
        raise ResultsError(f"{part} is damaged ({problem}); rerun the batch with --resume to replace it")
    _VERIFIED.add(key)


def check_parts(root: Path) -> None:
    """Refuse a batch whose parts do not all match their checksums, before drawing anything.

    For commands that read several tables (a report): one line for the first damaged
    part, rather than one warning per figure.
    """
    for table in ("summary", "daily", "events"):
        folder = Path(root) / table
        if folder.is_dir():
            for part in sorted(folder.glob("part-*.parquet")):
                if committed(part):
                    check_part(part)


_PART = re.compile(r"^part-\d{5,}\.parquet$")
_VERIFIED: set[tuple[str, int, int]] = set()


def read_one(path: Path, columns: list[str] | None, filters: list | None) -> pd.DataFrame:
    if path.suffix == ".csv":
        frame = pd.read_csv(path)
        return frame[[c for c in columns if c in frame]] if columns else frame
    names = pq.read_schema(path).names
    cols = [c for c in columns if c in names] if columns else None
    filt = [f for f in filters if f[0] in names] if filters else None
    return pq.read_table(path, columns=cols, filters=filt or None).to_pandas()


def infer_ladder(daily: pd.DataFrame) -> pd.DataFrame:
    """Approximate rungs from the observed (index, level) pairs when the manifest has no `ladder`:
    each threshold lies between the highest index seen one level below and the lowest seen at the
    level (robust 1%/99% quantiles, as an armed clash may hold the level above its index)."""
    if daily.empty or "ladder_level" not in daily:
        return pd.DataFrame({"level": [0], "name": ["level 0"], "lower": [0.0], "upper": [100.0]})
    grouped = daily.groupby("ladder_level")
    names = grouped["ladder_rung"].agg(lambda s: s.mode().iat[0]) if "ladder_rung" in daily else None
    low, high = grouped["escalation_index"].quantile(0.01), grouped["escalation_index"].quantile(0.99)
    levels = list(low.index.astype(int))
    lowers = [0.0] + [(high.iat[i - 1] + low.iat[i]) / 2 if levels[i - 1] == levels[i] - 1 else low.iat[i]
                      for i in range(1, len(levels))]
    lowers = list(pd.Series(lowers).cummax())
    frame = pd.DataFrame({"level": levels, "name": list(names) if names is not None else [f"level {v}" for v in levels],
                          "lower": lowers, "upper": lowers[1:] + [float(daily["escalation_index"].max())]})
    return frame
