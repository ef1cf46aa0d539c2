"""Run an `escalation` command in this process, through the real entry point `sim.cli.main`.

Same argument parsing, error mapping (one line on stderr, exit 2) and output as the installed
command, without paying a new interpreter and its imports (a second or more per call). Tests
about the process itself (startup imports, a killed batch) still spawn one. Tests use the
`cli` fixture of conftest.py; module-scoped fixtures call `run_in_process` with their own
`pytest.MonkeyPatch`.
"""

from __future__ import annotations

import contextlib
import io
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class CliRun:
    """What a command left behind, shaped like subprocess.CompletedProcess."""

    returncode: int
    stdout: str
    stderr: str


def run_in_process(monkeypatch: pytest.MonkeyPatch, *args: object, cwd: Path | None = None) -> CliRun:
    """`escalation ARGS...` with sys.argv as the shell would set it (the manifest records it)."""
    from sim.cli import main

    if cwd is not None:
        monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "argv", ["escalation", *map(str, args)])
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main()
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return CliRun(code, out.getvalue(), err.getvalue())
