"""The `escalation` command: thin Typer commands that parse, call and report.

Each command group lives in its own module and registers itself on `app`; this module
only wires them together and maps user errors (bad options as well as bad files) to one
line on stderr and exit code 2.
"""

from __future__ import annotations

import sys

import typer
from typer.exceptions import TyperException

from sim.cli.app import app
from sim.cli import run as _run  # noqa: F401  (registers commands)

for _mod in ("batch", "sweep", "plot", "report", "explore", "discover", "calibrate", "backtest"):
    try:
        __import__(f"sim.cli.{_mod}")
    except ModuleNotFoundError as exc:  # a command group not built yet
        if exc.name != f"sim.cli.{_mod}":
            raise


def main() -> None:
    """Run the CLI; a usage error (bad option value, unknown command) is one line and exit 2."""
    try:
        result = app(standalone_mode=False)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.Abort:
        typer.echo("error: interrupted", err=True)
        sys.exit(130)
    except TyperException as err:
        ctx = getattr(err, "ctx", None)
        if type(err).__name__ == "NoArgsIsHelpError" and ctx is not None:  # `escalation` alone
            typer.echo(ctx.get_help())
            sys.exit(0)
        message = err.format_message() if hasattr(err, "format_message") else str(err)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        typer.echo(f"error: {message}{hint}", err=True)
        sys.exit(getattr(err, "exit_code", 2) or 2)
    sys.exit(result if isinstance(result, int) else 0)
