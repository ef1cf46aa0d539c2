"""The quick commands import no heavy library, the version is known, and old Pythons get one line.

`escalation --help`, `scenarios` and `validate` must answer at once, so they must not import
Mesa, matplotlib or pandas (each costs seconds on a loaded machine). What a command imports
is read from `python -X importtime`; this is a test of imports, not of time.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
HEAVY = {"mesa", "matplotlib", "pandas"}


def imported(*args: str) -> set[str]:
    """Top-level packages imported by `python -X importtime ARGS` (which must succeed)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = re.findall(r"^import time:\s*\d+ \|\s*\d+ \|\s*(\S+)$", proc.stderr, flags=re.MULTILINE)
    assert names, "no -X importtime output"
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("args", [
    ["-c", "import sim, sim.cli, korea_escalation"],
    ["-m", "sim", "--help"],
    ["-m", "sim", "--version"],
    ["-m", "sim", "scenarios"],
    ["-m", "sim", "validate", "baseline"],
], ids=["import", "help", "version", "scenarios", "validate"])
@pytest.mark.slow
def test_quick_paths_import_no_heavy_library(args):
    heavy = imported(*args) & HEAVY
    assert not heavy, f"{' '.join(args)} imports {sorted(heavy)}"


def test_data_rows_need_no_pandas():
    code = "import sys; from sim import data; [data.rows(n) for n in data.TABLES]; print('pandas' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "False", proc.stderr


def test_version_from_package_metadata():
    import sim
    from sim.cli.app import app

    assert sim.__version__ == metadata.version("korea-escalation")
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and f"(korea-escalation) {sim.__version__}" in result.output


@functools.cache
def _old_python() -> str | None:
    """The real executable of a Python older than 3.12 (not a pyenv shim, which is slow), if any."""
    for name in ("python3.11", "python3.10", "python3.9", "python3.8"):
        found = shutil.which(name)
        if not found:
            continue
        probe = subprocess.run([found, "-c", "import sys; print(sys.version_info < (3, 12), sys.executable)"],
                               capture_output=True, text=True, timeout=30)
        older, _, executable = probe.stdout.strip().partition(" ")
        if probe.returncode == 0 and older == "True":
            return executable
    return None


@pytest.mark.parametrize("args", [["-c", "import sim"], ["-m", "sim", "--help"], ["-c", "import korea_escalation"]])
def test_old_python_gets_one_line(args):
    old = _old_python()
    if old is None:
        pytest.skip("no Python older than 3.12 on PATH")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([old, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1
    assert re.match(r"korea-escalation needs Python 3\.12 or newer; this is 3\.\d+ ", proc.stderr)
