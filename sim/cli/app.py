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
