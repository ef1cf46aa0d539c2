"""`escalation run`, `scenarios`, `validate` end to end, and golden files for the outputs.

Commands run in-process through the real entry point (the `cli` fixture of conftest.py);
`test_no_arguments_shows_help` and tests/test_startup.py start a real process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

GOLDEN = Path(__file__).parent / "golden" / "baseline_seed1_90d"


def escalation(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.slow
def test_run_writes_every_file(tmp_path, cli):
    out = tmp_path / "run"
    proc = cli("run", "baseline", "--seed", "1", "--days", "90", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    for name in ("daily.csv", "daily.parquet", "events.csv", "events.parquet", "calendar.csv",
                 "summary.json", "manifest.json", "escalation.png"):
        assert (out / name).stat().st_size > 0, name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 1 and manifest["days"] == 90 and manifest["scenario"] == "baseline"
    assert len(manifest["scenario_hash"]) == 16 and manifest["versions"]["mesa"].startswith("3.")
    assert [r["name"] for r in manifest["ladder"]][0] == "Status quo"
    pd.testing.assert_frame_equal(pd.read_parquet(out / "daily.parquet"),
                                  pd.read_csv(out / "daily.csv", parse_dates=["date"]), check_dtype=False)
    assert not list(out.glob(".*.tmp"))


def test_run_twice_identical_outputs(tmp_path, cli):
    for name in ("a", "b"):
        assert cli("run", "baseline", "--days", "60", "--no-plot", "--out", str(tmp_path / name)).returncode == 0
    for f in ("daily.csv", "events.csv", "summary.json"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()


def test_golden_outputs(tmp_path, cli):
    """Baseline, seed 1, 90 days: the daily table and event log as committed (UPDATE_GOLDEN=1 rewrites)."""
    out = tmp_path / "run"
    assert cli("run", "baseline", "--seed", "1", "--days", "90", "--no-plot", "--out", str(out)).returncode == 0
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for f in ("daily.csv", "events.csv", "summary.json"):
            (GOLDEN / f).write_bytes((out / f).read_bytes())
    for f in ("daily.csv", "events.csv"):
        pd.testing.assert_frame_equal(pd.read_csv(out / f), pd.read_csv(GOLDEN / f), rtol=1e-9)
    assert json.loads((out / "summary.json").read_text()) == pytest.approx(json.loads((GOLDEN / "summary.json").read_text()), nan_ok=True)


def test_scenarios_lists_every_bundled_scenario_with_its_question(cli):
    proc = cli("scenarios")
    assert proc.returncode == 0
    names = [line.split()[0] for line in proc.stdout.splitlines()]
    assert "baseline" in names and "historical_2010_2019" in names and len(names) >= 10


def test_python_api_returns_frames():
    from sim import load_scenario, simulate

    r = simulate(load_scenario("drills_suspended"), seed=3, days=30)
    assert isinstance(r.daily, pd.DataFrame) and len(r.daily) == 30
    assert {"date", "actor", "action", "reason"} <= set(r.events.columns)
    assert simulate("baseline", seed=3, days=10).summary["days"] == 10


@pytest.mark.parametrize("args", [["run", "baseline", "--days", "0"], ["nosuch"], ["run"],
                                  ["batch", "baseline", "-r", "0"]])
def test_usage_errors_are_one_line(args, cli):
    proc = cli(*args)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_no_arguments_shows_help():
    proc = escalation()
    assert proc.returncode == 0 and "Usage" in proc.stdout and "run" in proc.stdout
