"""The Typer application and the one way a user error leaves the program."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Agent-based simulation of escalation on the Korean peninsula.")


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line to stderr and exit: user errors never show a traceback."""
    typer.echo(f"error: {message}", err=True)
    sys.exit(code)


def _print_version(value: bool) -> None:
    if value:
        from sim import __version__

        typer.echo(f"escalation (korea-escalation) {__version__}, Python {sys.version.split()[0]}")
        raise typer.Exit()


@app.callback()
def _options(version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                          help="Print the version and exit.")) -> None:
    """Agent-based simulation of escalation on the Korean peninsula."""
