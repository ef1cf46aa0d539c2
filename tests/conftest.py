"""Settings shared by every test module.

Hypothesis: the `repeatable` profile, used by the README's `pytest` command and by CI, is
derandomized: each property test draws the same examples on every run and every machine
(seeded from the test itself), and no example database is read or written. Why: a property
test is written to hold for every case its strategy can draw, but if one day it does not, a
fresh clone must fail (or pass) exactly as CI did. With random draws plus the `.hypothesis/`
database, a failing case found once was replayed forever in that one clone and nowhere else,
so two checkouts of the same commit disagreed. To hunt for new counterexamples, use the
`explore` profile: fresh random cases on every run, failures remembered locally:

    pytest -m hypothesis --hypothesis-profile=explore

Markers (registered in pyproject.toml, unknown ones are an error): `slow` marks tests that
take more than about half a second on a quiet machine; `pytest -m "not slow"` is the quick subset
(about 250 tests: schema, hostile input, plots, baselines, the CLI's errors). The full suite
runs on every core with pytest-xdist (`pytest -n auto`, the README's command), a module at a
time per worker (`--dist loadscope` in pyproject.toml: module fixtures are built once); each
test is independent of the others and of the order they run in.

The `cli` fixture runs an `escalation` command in this process (tests/_cli.py); spawn a real
process only when the process is the point of the test (startup imports, a killed batch).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

settings.register_profile("repeatable", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))



@pytest.fixture(autouse=True, scope="session")
def _cli_built_once():
    """Typer builds the CLI's click command on every call; the installed `escalation` pays that
    once per process, but a test process calls it in-process hundreds of times (about 17 ms
    each). Build it once per app here, as one process of the real command does."""
    import typer.main
    import typer.testing

    build, built = typer.main.get_command, {}

    def once(app):
        if id(app) not in built:
            built[id(app)] = (app, build(app))  # the app is kept, so its id is never reused
        return built[id(app)][1]

    patch = pytest.MonkeyPatch()
    patch.setattr(typer.main, "get_command", once)
    patch.setattr(typer.testing, "_get_command", once)
    yield
    patch.undo()


@pytest.fixture
def cli(monkeypatch):
    """`cli("run", "baseline", "--days", 30)`: an `escalation` command in-process (tests/_cli.py)."""
    from tests._cli import run_in_process

    return lambda *args, cwd=None: run_in_process(monkeypatch, *args, cwd=cwd)
