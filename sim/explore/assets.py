"""The browser assets of the explorer page (Solara's Vue app, RequireJS, Font Awesome), installed once.

A Solara server serves its front-end from `/_solara/cdn/PACKAGE@VERSION/...`, reading each
file from its assets directory and, for a file it does not have there, fetching it from a
public CDN while the page waits. The `solara-assets` wheel that used to fill that directory
stops at Solara 1.58 (its PyPI project is full, say Solara's release notes), so it cannot
serve the installed Solara. Instead the packages are fetched from the npm registry with the
ordinary npm client (`npm pack`) in the install step:

    escalation explore --install-assets

into the directory Solara itself reads by default, `<environment>/share/solara/cdn` (where
solara-assets would have put them), or $ESCALATION_SOLARA_ASSETS. The package versions are
read off the installed Solara's page template, so they follow Solara upgrades.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Callable

ENV = "ESCALATION_SOLARA_ASSETS"
INSTALL_HINT = "escalation explore --install-assets"
_PINNED = re.compile(r"\{\{cdn\}\}/((?:@[\w.-]+/)?[\w.-]+?)@(\d+\.\d+\.\d+[\w.+-]*)/")


class AssetsError(RuntimeError):
    """The assets could not be installed; str() is one line for the user."""


def cache_dir() -> Path:
    """$ESCALATION_SOLARA_ASSETS, else the assets directory Solara reads by default."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    try:
        from solara.server import settings
    except ImportError:  # pragma: no cover - solara is a dependency
        return Path(sys.prefix) / "share" / "solara" / "cdn"
    return Path(settings.assets.proxy_cache_dir)


def needed() -> list[tuple[str, str]]:
    """(package, version) pairs the installed Solara's page loads from its CDN path."""
    import solara.server.server as server
    from solara.server import settings

    template = Path(server.__file__).parent / "templates" / "solara.html.j2"
    found = dict.fromkeys(_PINNED.findall(template.read_text()))
    app = "@widgetti/solara-vuetify3-app" if server.vue3 else "@widgetti/solara-vuetify-app"
    out = [(p, v) for p, v in found if not (p.startswith("@widgetti/solara-vuetify") and p != app)]
    fa = re.match(r"/((?:@[\w.-]+/)?[\w.-]+?)@(\d+\.\d+\.\d+[\w.+-]*)/", settings.assets.fontawesome_path)
    if settings.assets.fontawesome_enabled and fa and fa.groups() not in out:
        out.append(fa.groups())
    return out


def _installed(root: Path, package: str, version: str) -> bool:
    return (root / f"{package}@{version}" / "package.json").is_file()


def missing(root: Path | None = None) -> list[tuple[str, str]]:
    root = root or cache_dir()
    return [(p, v) for p, v in needed() if not _installed(root, p, v)]


def ensure(root: Path | None = None, timeout: float = 300.0, progress: Callable[[str], None] | None = None) -> list[str]:
    """Install the missing packages into `root` with `npm pack`; return what was installed."""
    root = root or cache_dir()
    todo = missing(root)
    if not todo:
        return []
    npm = shutil.which("npm")
    if npm is None:
        raise AssetsError("npm (Node.js) is needed to install the page's browser assets and is not installed "
                          f"({', '.join(f'{p}@{v}' for p, v in todo)})")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise AssetsError(f"cannot create {root}: {err.strerror or err} (set {ENV} to a writable folder)") from None
    done = []
    for package, version in todo:
        spec = f"{package}@{version}"
        if progress:
            progress(spec)
        _fetch(npm, spec, root, timeout)
        done.append(spec)
    return done


def _fetch(npm: str, spec: str, root: Path, timeout: float) -> None:
    """`npm pack` one package and unpack it as root/PACKAGE@VERSION (moved in whole, never half)."""
    with tempfile.TemporaryDirectory(dir=root) as tmp:
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
        os.replace(Path(tmp) / "package", target)
