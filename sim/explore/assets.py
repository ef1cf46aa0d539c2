"""The browser assets of the Solara page (its Vue app, RequireJS, Font Awesome), kept on disk.

A Solara server serves its front-end from `/_solara/cdn/PACKAGE@VERSION/...` and, for a file
it does not have in its cache directory, fetches it from a public CDN. Here the page must
work with no network but the package registries, so the packages are fetched once from the
npm registry with `npm pack` (the ordinary npm client) into a cache directory that the
server is then pointed at (SOLARA_ASSETS_PROXY_CACHE_DIR). The package versions are read off
the installed Solara's page template, so they follow Solara upgrades.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

ENV = "ESCALATION_SOLARA_ASSETS"
_PINNED = re.compile(r"\{\{cdn\}\}/((?:@[\w.-]+/)?[\w.-]+?)@(\d+\.\d+\.\d+[\w.+-]*)/")
_LAZY = re.compile(r"getCdn\(\)\}/((?:@[\w.-]+/)?[\w.-]+?)@(\d+\.\d+\.\d+[\w.+-]*)/")
# Widgets of the page that load a package lazily (SolaraViz lays its panels out in a GridDraggable).
LAZY_WIDGETS = ("gridlayout.vue", "gridlayout_v3.vue")


class AssetsError(RuntimeError):
    """The assets could not be installed; str() is one line for the user."""


def cache_dir() -> Path:
    """$ESCALATION_SOLARA_ASSETS, else $XDG_CACHE_HOME (or ~/.cache)/korea-escalation/solara-cdn."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "korea-escalation" / "solara-cdn"


def needed() -> list[tuple[str, str]]:
    """(package, version) pairs the installed Solara's page loads from its CDN path."""
    import solara.server.server as server
    from solara.server import settings

    template = Path(server.__file__).parent / "templates" / "solara.html.j2"
    found = dict.fromkeys(_PINNED.findall(template.read_text()))
    app = "@widgetti/solara-vuetify3-app" if server.vue3 else "@widgetti/solara-vuetify-app"
    out = [(p, v) for p, v in found if not (p.startswith("@widgetti/solara-vuetify") and p != app)]
    vue = Path(server.__file__).parents[1] / "widgets" / "vue"
    for name in LAZY_WIDGETS:
        if (vue / name).is_file():
            out += [pv for pv in _LAZY.findall((vue / name).read_text()) if pv not in out]
    fa = re.match(r"/((?:@[\w.-]+/)?[\w.-]+?)@(\d+\.\d+\.\d+[\w.+-]*)/", settings.assets.fontawesome_path)
    if settings.assets.fontawesome_enabled and fa and fa.groups() not in out:
        out.append(fa.groups())
    return out


def _installed(root: Path, package: str, version: str) -> bool:
    return (root / f"{package}@{version}" / "package.json").is_file()


def missing(root: Path | None = None) -> list[tuple[str, str]]:
    root = root or cache_dir()
    return [(p, v) for p, v in needed() if not _installed(root, p, v)]


def ensure(root: Path | None = None, timeout: float = 300.0) -> list[str]:
    """Install the missing packages into `root` with `npm pack`; return what was installed."""
    root = root or cache_dir()
    todo = missing(root)
    if not todo:
        return []
    npm = shutil.which("npm")
    if npm is None:
        raise AssetsError("the page's browser assets are missing and npm is not installed to fetch them "
                          f"({', '.join(f'{p}@{v}' for p, v in todo)})")
    done = []
    for package, version in todo:
        spec = f"{package}@{version}"
        with tempfile.TemporaryDirectory() as tmp:
            try:
                subprocess.run([npm, "pack", spec, "--silent"], cwd=tmp, check=True, timeout=timeout,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            except subprocess.CalledProcessError as exc:
                last = (exc.stderr or "").strip().splitlines()[-1:] or ["no message"]
                raise AssetsError(f"npm pack {spec} failed: {last[0]}") from None
            except subprocess.TimeoutExpired:
                raise AssetsError(f"npm pack {spec} timed out after {timeout:.0f} s") from None
            tarballs = list(Path(tmp).glob("*.tgz"))
            if len(tarballs) != 1:
                raise AssetsError(f"npm pack {spec} left no tarball")
            with tarfile.open(tarballs[0]) as tar:
                tar.extractall(tmp, filter="data")
            target = root / spec
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                shutil.rmtree(target)
            shutil.move(str(Path(tmp) / "package"), str(target))
        done.append(spec)
    return done
