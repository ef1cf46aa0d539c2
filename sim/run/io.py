"""Atomic writes: write beside the target, then rename, so readers never see half a file.

A failed write (a full disk, a vanished folder) removes its temporary file and raises, so
nothing partial is ever left under the target's name. Files get the mode an ordinary
`open()` would give (0666 less the umask, usually 0644): `mkstemp` alone makes them 0600,
which hides results from the rest of a lab's group.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Callable

import pandas as pd


def _file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def atomic_write_with(path: Path, write: Callable[[str], None]) -> Path:
    """Call `write(tmp_name)` for a temporary beside `path`, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
        os.close(fd)
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    def write(tmp: str) -> None:
        with open(tmp, "wb") as fh:
            fh.write(data)
    return atomic_write_with(path, write)


def atomic_write_text(path: Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_frame(frame: pd.DataFrame, path: Path) -> Path:
    path = Path(path)
    if path.suffix == ".parquet":
        return atomic_write_with(path, lambda tmp: frame.to_parquet(tmp, index=False))
    return atomic_write_with(path, lambda tmp: frame.to_csv(tmp, index=False))
