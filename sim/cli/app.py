"""The Typer application and the one way a user error leaves the program."""

from __future__ import annotations

import errno
import logging
import re
import sys
from pathlib import Path
from typing import NoReturn

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Agent-based simulation of escalation on the Korean peninsula.")

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")


def one_line(message: object) -> str:
    """The message with control characters escaped: a newline in a file or scenario name
    must not split the one line a user error gets."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(message))


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line to stderr and exit: user errors never show a traceback."""
    typer.echo(f"error: {one_line(message)}", err=True)
    sys.exit(code)


def warn(message: str) -> None:
    typer.echo(f"warning: {one_line(message)}", err=True)


def write_failure(err: OSError, out: Path, kept: bool) -> str:
    """One line for a write that failed mid-job: what happened and what is left."""
    reasons = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
               errno.EROFS: "the file system is read-only", errno.EACCES: "permission denied",
               errno.ENAMETOOLONG: "a file name is too long"}
    reason = reasons.get(err.errno, err.strerror or type(err).__name__)
    where = f" ({err.filename})" if err.filename else ""
    left = ("finished chunks are kept: make room and rerun with --resume" if kept
            else "nothing was written")
    return f"cannot write results in {out}: {reason}{where}; {left}"


class _Warnings(logging.Handler):
    """Warnings of the library (e.g. a resume discarding a damaged part) as one stderr line each."""

    def emit(self, record: logging.LogRecord) -> None:
        warn(record.getMessage())


_log = logging.getLogger("sim")
if not any(isinstance(h, _Warnings) for h in _log.handlers):
    _log.addHandler(_Warnings(logging.WARNING))
    _log.setLevel(logging.WARNING)


def _print_version(value: bool) -> None:
    if value:
        from sim import __version__

        typer.echo(f"escalation (korea-escalation) {__version__}, Python {sys.version.split()[0]}")
        raise typer.Exit()


@app.callback()
def _options(version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                          help="Print the version and exit.")) -> None:
    """Agent-based simulation of escalation on the Korean peninsula."""
