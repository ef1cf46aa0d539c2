"""Output folders: where results may go, what may already be there, and cleaning up after a failure.

A `--out` may be a typo, a file, `/dev/null`, a read-only place or a folder holding other
results, and a scenario's or experiment's name becomes a default folder name. The rules:

* the target is checked before any work: it is a folder or can be created as one, and this
  user may write there;
* default folder names are sanitised (sim.run.store.sanitize), so a name never leaves
  `runs/` however it is spelt;
* a folder holding different results is refused unless `--force` (which removes the old
  results' files, and only those) or, for batches, `--resume`;
* a call that fails leaves nothing partial: a single run is built in a hidden staging
  folder inside OUT and moved into place when whole; folders a failed call created are
  removed again, and a batch keeps only whole, committed chunks.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sim.run.store import TABLES, BatchStore, StoreError, sanitize
from sim.schema.yamlio import shown

RESULT_FOLDERS = (*TABLES, "runs", "calendar", "checksums")
RESULT_FILES = ("manifest.json", "failures.json", "design.parquet", "design.csv", "point_means.csv",
                "sensitivity.csv", "comparison.csv", "experiment.json", "report.html", "summary.csv",
                "daily.csv", "events.csv", "runs.csv", "daily.parquet", "events.parquet", "calendar.csv",
                "summary.json", "escalation.png")
RUN_FILES = ("daily.parquet", "summary.json")


class OutputError(Exception):
    """An output folder that cannot or may not be used; ``str()`` is one line."""


def default_run_dir(name: str, seed: int) -> Path:
    return Path("runs") / f"{sanitize(name)}-seed{seed}"


def default_experiment_dir(name: str) -> Path:
    return Path("runs") / "experiments" / sanitize(name)


def check_target(out: Path) -> Path:
    """Refuse, before any work, a target that cannot become a results folder; return the
    nearest existing folder (the one whose permissions and free space matter)."""
    text = str(out)
    if "\x00" in text:
        raise OutputError(f"{shown(out)}: a path cannot contain a NUL character")
    for part in out.parts:
        if len(os.fsencode(part)) > 255:
            raise OutputError(f"{shown(out)}: the name '{shown(part[:40])}...' is longer than 255 bytes")
    if os.path.lexists(out):
        if not out.is_dir():
            raise OutputError(f"{shown(out)}: exists and is not a folder")
        existing = out
    else:
        existing = next((p for p in out.absolute().parents if os.path.lexists(p)), Path("/"))
        if not existing.is_dir():
            raise OutputError(f"{shown(out)}: cannot create a folder under {shown(existing)}, which is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"{shown(out)}: no permission to write in {shown(existing)}")
    return existing


def holds(out: Path) -> str | None:
    """What `out` holds: 'run', 'batch', 'experiment' or None (nothing of ours)."""
    if not out.is_dir():
        return None
    try:
        kind = (BatchStore(out).read_manifest() or {}).get("kind")
    except StoreError:
        kind = None
    if kind == "run" or (kind is None and any((out / f).is_file() for f in RUN_FILES)):
        return "run"
    if kind is not None or BatchStore(out).has_results():
        return "batch"
    if (out / "experiment.json").is_file() or any(p.is_dir() and (p / "manifest.json").is_file()
                                                  for p in out.iterdir()):
        return "experiment"
    return None


@dataclass
class Claim:
    """A folder this call may write; knows what it created, to undo it on failure."""

    out: Path
    created: list[Path] = field(default_factory=list)
    replace: bool = False  # --force over other results: clear them when the new ones are whole
    before: frozenset[str] = frozenset()  # entries of OUT before this call (when it existed)

    def abandon(self) -> bool:
        """Undo a failed call: remove what it created, unless it holds whole batch chunks.

        Returns False when committed chunks are kept (for --resume), True when nothing of
        this call is left. Entries OUT held before the call are never touched.
        """
        if BatchStore(self.out)._part_numbers("summary"):
            return False
        if self.created:
            shutil.rmtree(self.created[0], ignore_errors=True)
        elif self.out.is_dir():
            for path in self.out.iterdir():
                if path.name not in self.before and (path.name in RESULT_FOLDERS + RESULT_FILES
                                                     or path.name.endswith(".tmp")):
                    shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        return True


def claim(out: Path, kind: str, *, same: Callable[[dict], bool] | None = None,
          force: bool = False, resume: bool = False) -> Claim:
    """Check `out` for a new `kind` ('run' or 'batch') of results; see the module docstring.

    `same(manifest)` says whether a run already in `out` is this very run (same scenario,
    seed and days), which may simply be written again.
    """
    if force and resume:
        raise OutputError("--force and --resume contradict each other: choose one")
    check_target(out)
    there = holds(out)
    result = Claim(out, _missing(out), before=frozenset(p.name for p in out.iterdir()) if out.is_dir() else frozenset())
    if there is None:
        clash = sorted(result.before & set(RESULT_FOLDERS + RESULT_FILES))
        if clash and not force:
            raise OutputError(f"{shown(out)} already has {', '.join(clash)}, which results would overwrite: "
                              "choose another --out, or pass --force to replace them")
    elif kind == "run":
        if there == "run" and same is not None and same(BatchStore(out).read_manifest() or {}):
            return result
        if not force:
            raise OutputError(f"{shown(out)} holds another {there}: pass --force to replace it, or choose another --out")
    elif there == "run" and not force:
        raise OutputError(f"{shown(out)} holds a single run: pass --force to replace it, or choose another --out")
    elif not force and not resume:
        raise OutputError(f"{shown(out)} already holds a {there}: pass --resume to finish it, "
                          "--force to replace it, or use another --out")
    if force and kind == "run":
        result.replace = True  # cleared once the new run is whole
    elif force and out.is_dir():  # --force on a folder that does not exist yet has nothing to clear
        clear_results(out)
        result.before = frozenset(p.name for p in out.iterdir())
    return result


def _missing(out: Path) -> list[Path]:
    """The folders from the top-most missing ancestor down to `out` (none if `out` exists)."""
    missing = []
    for p in (out, *out.parents):
        if os.path.lexists(p):
            break
        missing.append(p)
    return missing[::-1]


def publish_run(result: Claim, build: Callable[[Path], None]) -> None:
    """Build a run's files in a staging folder inside OUT, then move them into place.

    A failure anywhere (a full disk, a bad figure) removes the staging folder and any
    folder this call created, so OUT is as it was.
    """
    out = result.out
    try:
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=out, prefix=".staging-"))
    except OSError:
        result.abandon()
        raise
    try:
        build(staging)
        if result.replace:
            clear_results(out, keep=staging)
        for path in staging.iterdir():
            os.replace(path, out / path.name)
        staging.rmdir()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        result.abandon()
        raise


def clear_results(root: Path, keep: Path | None = None) -> list[Path]:
    """Remove every file a run, batch, sweep or experiment writes in `root` (for --force).

    Only known result names are touched, so `--force --out` a folder that also holds
    other files removes the old results and nothing else.
    """
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for name in RESULT_FOLDERS:
        if (root / name).is_dir() and not (root / name).is_symlink():
            shutil.rmtree(root / name)
            removed.append(root / name)
    for name in RESULT_FILES:
        if (root / name).is_file() or (root / name).is_symlink():
            (root / name).unlink()
            removed.append(root / name)
    figures = root / "figures"
    if figures.is_dir() and not figures.is_symlink():
        for fig in [*figures.glob("*.png"), *figures.glob("*.svg"), *figures.glob("*.pdf")]:
            fig.unlink()
        if not any(figures.iterdir()):
            figures.rmdir()
    subs = [p for p in root.iterdir() if p.is_dir() and not p.is_symlink() and (p / "manifest.json").is_file()]
    for sub in [p for p in subs if p != keep and not p.name.startswith(".")]:
        removed += clear_results(sub)  # an experiment's per-scenario sweeps
        if not any(sub.iterdir()):
            sub.rmdir()
    for tmp in root.glob(".*.tmp"):
        tmp.unlink()
    return removed
