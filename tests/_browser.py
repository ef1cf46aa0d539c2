"""Headless Chromium for the page tests (report and explorer), through Playwright.

Uses the system Chromium (Debian's `chromium`, installed by .ci/install_browser.sh); Playwright
never downloads a browser here. Tests that need a browser skip with a clear message when
there is none. Set ESCALATION_SCREENSHOTS=DIR to keep the screenshots the tests take.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]
CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def chromium() -> str | None:
    """The system Chromium binary, or None."""
    for path in (os.environ.get("CHROMIUM"), *CANDIDATES, shutil.which("chromium")):
        if path and Path(path).is_file() and os.access(path, os.X_OK):
            return path
    return None


@contextmanager
def page(tmp_path: Path, width: int = 1280, height: int = 900) -> Iterator:
    """A fresh headless Chromium page (new profile in tmp_path); skips if there is no browser."""
    binary = chromium()
    if binary is None:
        pytest.skip("no Chromium installed (looked for /usr/bin/chromium): run `bash .ci/install_browser.sh`")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="the Python package playwright is missing: pip install -e '.[test]'")
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(str(profile), executable_path=binary, headless=True,
                                                    args=FLAGS, viewport={"width": width, "height": height})
        try:
            yield ctx.pages[0] if ctx.pages else ctx.new_page()
        finally:
            ctx.close()


def keep(path: Path) -> Path:
    """Copy a screenshot to $ESCALATION_SCREENSHOTS if set; return the path."""
    target = os.environ.get("ESCALATION_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)
    return path
