"""Generated hostile input: any bytes, YAML-like noise and random mutations of the bundled scenarios.

The property, for every file the strategies can draw: `escalation validate FILE` either
accepts it (exit 0, an `ok:` line) or rejects it with exactly one `error:` line and exit 2.
Never a traceback, never another exit code. The command runs in-process (Typer's test
runner) so that a hundred examples take seconds; the forked, memory-bounded runs are the
table in test_hostile.py.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
BUNDLED = sorted((REPO / "scenarios").glob("*.yaml"))
TEXTS = {p.name: p.read_text() for p in BUNDLED}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

YAML_BITS = ["[", "]", "{", "}", ":", ": ", "- ", ",", "&a ", "*a", "!!str ", "!!python/object:os.system ", "|", ">",
             "'", '"', "#", "? ", "\n", "\n  ", "\t", "%YAML 1.1\n", "---\n", "...\n", "<<: ", "\x00", "\ufeff",
             "name", "actors", "extends", "calendar", "days", "start", ".nan", ".inf", "-1", "1e999", "~", "null",
             "2023-02-30", "9999-12-31", "baseline", "../", "/etc/passwd"]
VALUES = [".nan", ".inf", "-.inf", "-1", "0", "1e999", "[]", "{}", "null", "~", "*x", "&x 1", "!!binary AAAA",
          "2023-02-30", "9999-12-31", "'", '"', "-", "? a", "[a, [b, [c]]]", "{a: {b: {c: 1}}}", "true", "0x10",
          "baseline.yaml", "https://example.org/x.yaml", "'\\u0000'", "\"\\x00\""]


def _validate(data: bytes) -> None:
    """The contract for one file's bytes."""
    from sim.cli import app

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "case.yaml"
        path.write_bytes(data)
        result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 2), (result.exit_code, result.output)
    if result.exit_code == 0:
        assert result.stdout.startswith("ok: ") and not result.stderr
    else:
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.slow
@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes(data):
    _validate(data)


@pytest.mark.slow
@SETTINGS
@given(st.lists(st.sampled_from(YAML_BITS) | st.text(max_size=4), max_size=40))
def test_yaml_like_noise(bits):
    _validate("".join(bits).encode("utf-8", "surrogatepass"))


@st.composite
def mutated(draw) -> bytes:
    """A bundled scenario with a few lines deleted, doubled, swapped, rewritten or cut."""
    lines = TEXTS[draw(st.sampled_from(sorted(TEXTS)))].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "double", "swap", "value", "insert", "truncate"]))
        if kind == "delete":
            del lines[i]
        elif kind == "double":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "value":
            key, sep, _ = lines[i].partition(":")
            lines[i] = f"{key}: {draw(st.sampled_from(VALUES))}\n" if sep else draw(st.sampled_from(VALUES)) + "\n"
        elif kind == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.sampled_from(YAML_BITS)) + lines[i][at:]
        else:
            lines = lines[:i] + [lines[i][: draw(st.integers(0, len(lines[i])))]]
    return "".join(lines).encode("utf-8", "surrogatepass")


@pytest.mark.slow
@SETTINGS
@given(mutated())
def test_mutated_bundled_scenarios(data):
    _validate(data)


@pytest.mark.slow
def test_every_bundled_scenario_validates():
    for path in BUNDLED:
        _validate(path.read_bytes())
