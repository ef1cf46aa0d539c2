"""`escalation explore`: serve the interactive model page (Solara, on the Mesa model) for one scenario.

Thin by design: check the scenario and the port, make sure the page's browser assets are on
disk (sim.explore.assets; `--install-assets` is the install step that puts them there), then
hand the process over to the Solara server running sim.explore.app, bound to 127.0.0.1 unless
--host says otherwise.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import typer

from sim.cli.app import app, fail

LOOPBACK = ("127.0.0.1", "localhost", "::1")
# A closed page's session (its model and figures) is dropped after this, not after Solara's 24 h.
CULL = "10m"
# Solara's warning, on each page load over http from a host name other than "localhost", that a
# samesite=none cookie needs https: right for a page embedded in another site, noise here.
COOKIE_WARNING = "ignore:Cookies with samesite=none require https:UserWarning"


@app.command("explore")
def explore_command(
    scenario: str = typer.Argument("baseline", help="scenario file or bundled name"),
    port: int = typer.Option(8765, "--port", "-p", min=1, max=65535, help="port to serve on"),
    host: str = typer.Option("127.0.0.1", "--host", help="address to bind (default: this machine only)"),
    open_browser: bool = typer.Option(False, "--open/--no-open", help="open the page in the default browser"),
    install_assets: bool = typer.Option(False, "--install-assets",
                                        help="install the page's browser assets (npm registry) and exit; "
                                             "part of the install step"),
) -> None:
    """Run SCENARIO day by day in the browser: sliders for key parameters, play/step, curve, timeline, network."""
    from sim.explore import assets

    if install_assets:
        _install_assets(assets)
        return
    from sim.explore.model import SCENARIO_ENV, base_scenario
    from sim.schema.loader import ScenarioError

    try:
        name = base_scenario(scenario).name
    except ScenarioError as err:
        fail(str(err))
    _check_port(host, port)
    _assets_before_serving(assets)
    if host not in LOOPBACK:
        typer.echo(f"warning: serving on {host}: anyone who can reach it can run the model (no login)", err=True)
    ref = str(Path(scenario).resolve()) if Path(scenario).is_file() else scenario
    env = _server_env({SCENARIO_ENV: ref, "SOLARA_ASSETS_PROXY_CACHE_DIR": str(assets.cache_dir())})
    args = [sys.executable, "-m", "solara", "run", "sim.explore.app", "--host", host, "--port", str(port),
            "--production", "--no-check-version", "--open" if open_browser else "--no-open"]
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"explorer of '{name}' at http://{shown}:{port}/ (Ctrl-C stops it)")
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, args, env)


def _server_env(extra: dict[str, str]) -> dict[str, str]:
    """The server's environment: no telemetry, no cookie warning, closed sessions dropped soon."""
    quiet = ",".join(filter(None, [os.environ.get("PYTHONWARNINGS"), COOKIE_WARNING]))
    return {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False", "PYTHONWARNINGS": quiet,
            "SOLARA_KERNEL_CULL_TIMEOUT": os.environ.get("SOLARA_KERNEL_CULL_TIMEOUT") or CULL, **extra}


def _install_assets(assets) -> None:
    """The install step: fetch what is missing, say where it went; one line and exit 2 on failure."""
    root = assets.cache_dir()
    try:
        done = assets.ensure(root, progress=lambda spec: typer.echo(f"fetching {spec} (npm registry)"))
    except assets.AssetsError as err:
        fail(f"could not install the explorer's browser assets: {err}")
    typer.echo(f"explorer assets {'installed' if done else 'already installed'} in {root}")


def _assets_before_serving(assets) -> None:
    """Assets belong to the install step; if it was skipped, fetch them now, before the server
    starts (never while a page waits), and say so."""
    if not assets.missing():
        return
    typer.echo(f"the explorer's browser assets are not installed (install step: `{assets.INSTALL_HINT}`); "
               "fetching them now, once", err=True)
    try:
        assets.ensure(progress=lambda spec: typer.echo(f"fetching {spec} (npm registry)", err=True))
    except assets.AssetsError as err:
        typer.echo(f"warning: {err}; the server will try the public CDN for them", err=True)


def _check_port(host: str, port: int) -> None:
    """Fail in one line if the address cannot be bound (in use, or not an address of this machine)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds: TIME_WAIT is no obstacle
        try:
            sock.bind((host, port))
        except OSError as err:
            fail(f"cannot serve on {host}:{port}: {err.strerror or err}")
