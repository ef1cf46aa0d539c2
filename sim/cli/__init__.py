"""The `escalation` command: thin Typer commands that parse, call and report.

Each command group lives in its own module and registers itself on `app`; this module
only wires them together and maps user errors to one line and an exit code.
"""

from __future__ import annotations

from sim.cli.app import app
from sim.cli import run as _run  # noqa: F401  (registers commands)

for _mod in ("batch", "sweep", "plot", "report", "explore"):
    try:
        __import__(f"sim.cli.{_mod}")
    except ModuleNotFoundError as exc:  # a command group not built yet
        if exc.name != f"sim.cli.{_mod}":
            raise


def main() -> None:
    app()
