"""The batch engine on the real model: seeding, common random numbers, storage, resume, failures."""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from typer.testing import CliRunner

from tests._faulty_runs import fails_on_replication_2, kills_worker_once
from sim.run.batch import BatchError, make_tasks, read_table, run_batch
from sim.run.store import BatchStore
from sim.schema.loader import load_scenario
from sim.schema.paths import apply_overrides

TABLES = ("summary", "daily", "events")


@functools.cache
def scenarios() -> dict:
    """Baseline and a calmer variant: two scenarios whose results must differ."""
    base = load_scenario("baseline")
    calm = apply_overrides(base, {"name": "calm", "world.sanctions": 0.1, "dynamics.noise": 0.03})
    return {"baseline": base, "calm": calm}


def _run(out, tasks, **kw):
    kw.setdefault("progress", False)
    return run_batch(tasks, out, **kw)


def _tables(out):
    return {t: read_table(out, t) for t in TABLES}


def test_replications_get_spawn_children_of_the_root_seed():
    tasks = make_tasks(scenarios(), 4, root_seed=42)
    children = np.random.SeedSequence(42).spawn(4)
    for task in tasks:
        child = children[task.replication]
        assert task.seed_sequence().spawn_key == child.spawn_key == (task.replication,)
        assert np.array_equal(task.seed_sequence().generate_state(4), child.generate_state(4))
    assert [t.run_id for t in tasks] == list(range(8))


@pytest.mark.slow
def test_replications_differ_and_rows_carry_their_seed(tmp_path):
    _run(tmp_path, make_tasks(scenarios(), 4, root_seed=3, days=60))
    summary = read_table(tmp_path, "summary")
    assert summary["run_id"].tolist() == list(range(8))
    assert summary["spawn_key"].tolist() == [str(r) for r in [0, 1, 2, 3] * 2]
    assert (summary["root_seed"] == 3).all() and {"peak_escalation", "armed_clash"} <= set(summary.columns)
    base = read_table(tmp_path, "daily").query("scenario == 'baseline'")
    curves = base.pivot(index="day", columns="replication", values="escalation_index")
    assert curves.shape == (60, 4) and curves.T.drop_duplicates().shape[0] == 4
    assert list(read_table(tmp_path, "events").columns[:3]) == ["run_id", "scenario", "replication"]


@pytest.mark.slow
def test_common_random_numbers_across_scenarios(tmp_path):
    twin = scenarios()["baseline"].model_copy(update={"name": "twin"})
    _run(tmp_path, make_tasks({"baseline": scenarios()["baseline"], "twin": twin}, 3, root_seed=9, days=60))
    tables = _tables(tmp_path)
    for table, frame in tables.items():
        left, right = (frame[frame["scenario"] == s].drop(columns=["run_id", "scenario"]).reset_index(drop=True)
                       for s in ("baseline", "twin"))
        assert len(left) > 0, table
        pdt.assert_frame_equal(left, right)


@pytest.mark.slow
def test_layout_manifest_and_runs_table(tmp_path):
    outcome = _run(tmp_path, make_tasks(scenarios(), 3, root_seed=1, days=60), chunk_size=2)
    assert outcome.status == "complete" and outcome.completed == 6
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["root_seed"] == 1 and manifest["days"] == 60
    assert manifest["replications"] == 3 and set(manifest["scenarios"]) == {"baseline", "calm"}
    assert manifest["scenarios"]["baseline"]["hash"] != manifest["scenarios"]["calm"]["hash"]
    assert {"python", "mesa", "numpy", "sim"} <= set(manifest["versions"])
    assert manifest["finished"] is not None and manifest["failed_runs"] == []
    base = manifest["scenarios"]["baseline"]
    assert base["question"] and base["provocateur"] == "DPRK" and ["ROK", "US"] in base["alliances"]
    assert base["content"]["world"]["sanctions"] == 0.5
    assert [r["name"] for r in manifest["ladder"]][-1] == "Armed conflict"
    runs = pd.read_parquet(tmp_path / "runs")
    assert (runs["status"] == "ok").all() and len(runs) == 6
    assert sorted(p.name for p in (tmp_path / "calendar").iterdir()) == ["baseline.csv", "calm.csv"]
    assert len(list((tmp_path / "summary").glob("part-*.parquet"))) == 4  # 2 chunks per scenario


@pytest.mark.slow
def test_overrides_are_applied_and_recorded(tmp_path):
    base = scenarios()["baseline"]
    tasks = make_tasks({"baseline": base}, 2, days=60)
    tasks += [t.__class__(t.run_id + 2, "baseline", base, t.replication, 0, 60,
                          overrides={"world.sanctions": 1.0}, labels={"design_point": 1}) for t in tasks]
    _run(tmp_path, tasks)
    summary = read_table(tmp_path, "summary")
    assert summary["world.sanctions"].tolist()[2:] == [1.0, 1.0] and summary["design_point"].tolist()[2:] == [1, 1]
    daily = read_table(tmp_path, "daily")
    assert daily.query("run_id == 2")["sanctions"].iloc[0] != daily.query("run_id == 0")["sanctions"].iloc[0]


@pytest.mark.slow
def test_daily_none_keeps_only_summaries_and_events_keeps_the_log(tmp_path):
    full, events, none = tmp_path / "full", tmp_path / "events", tmp_path / "none"
    for out, mode in ((full, "full"), (events, "events"), (none, "none")):
        _run(out, make_tasks(scenarios(), 2, days=60), daily=mode)
    assert not list((none / "daily").glob("part-*")) and not list((none / "events").glob("part-*"))
    assert not list((events / "daily").glob("part-*"))
    pdt.assert_frame_equal(read_table(events, "events"), read_table(full, "events"))
    for out in (events, none):
        pdt.assert_frame_equal(read_table(out, "summary"), read_table(full, "summary"))


@pytest.mark.slow
def test_daily_parts_written_in_slices_equal_one_frame(tmp_path, monkeypatch):
    tasks = make_tasks({"baseline": scenarios()["baseline"]}, 7, root_seed=3, days=40)
    _run(tmp_path / "whole", tasks, chunk_size=7)
    monkeypatch.setattr("sim.run.worker.SLICE_ROWS", 90)  # slices of 2 replications, the last one alone
    _run(tmp_path / "sliced", tasks, chunk_size=7)
    pdt.assert_frame_equal(read_table(tmp_path / "sliced", "daily"), read_table(tmp_path / "whole", "daily"))


@pytest.mark.slow
def test_failed_run_is_recorded_and_batch_goes_on(tmp_path):
    outcome = _run(tmp_path, make_tasks(scenarios(), 4, root_seed=5, days=60), run_fn=fails_on_replication_2)
    assert outcome.status == "failed" and outcome.failed_run_ids == [2, 6]
    assert sorted(read_table(tmp_path, "summary")["run_id"]) == [0, 1, 3, 4, 5, 7]
    failures = json.loads((tmp_path / "failures.json").read_text())
    assert [f["run_id"] for f in failures] == [2, 6]
    assert failures[0]["spawn_key"] == "2" and failures[0]["root_seed"] == 5
    assert "boom in replication 2" in failures[0]["traceback"]
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["status"] == "failed" and manifest["runs_failed"] == 2
    runs = pd.read_parquet(tmp_path / "runs").set_index("run_id")
    assert runs.loc[2, "status"] == "failed" and runs.loc[3, "status"] == "ok"
    again = _run(tmp_path, make_tasks(scenarios(), 4, root_seed=5, days=60), resume=True)
    assert again.status == "complete" and again.ran == 2
    assert json.loads((tmp_path / "failures.json").read_text()) == []


@pytest.mark.slow
def test_resume_skips_committed_chunks_and_drops_orphans(tmp_path):
    tasks = make_tasks(scenarios(), 4, root_seed=11, days=60)
    _run(tmp_path / "full", tasks, chunk_size=2)
    part = tmp_path / "part"
    _run(part, tasks, chunk_size=2)
    for number in (1, 3):  # as if killed: two chunks lost, one after writing its daily part
        (part / "summary" / f"part-{number:05d}.parquet").unlink()
    (part / "events" / "part-00003.parquet").unlink()
    (part / "daily" / ".part-00009.parquet.123.tmp").write_bytes(b"partial")
    outcome = _run(part, tasks, resume=True, chunk_size=2)
    assert outcome.skipped == 4 and outcome.ran == 4 and outcome.status == "complete"
    full, resumed = _tables(tmp_path / "full"), _tables(part)
    for table in TABLES:
        pdt.assert_frame_equal(full[table], resumed[table])
    assert not list((part / "daily").glob(".*"))
    assert json.loads((part / "manifest.json").read_text())["attempts"] == 2


@pytest.mark.slow
def test_directory_guard(tmp_path):
    tasks = make_tasks(scenarios(), 1, days=20)
    _run(tmp_path, tasks)
    with pytest.raises(BatchError, match="already holds a batch"):
        _run(tmp_path, tasks)
    with pytest.raises(BatchError, match="different batch"):
        _run(tmp_path, make_tasks(scenarios(), 2, days=20), resume=True)
    with pytest.raises(BatchError, match="daily"):
        _run(tmp_path / "x", tasks, daily="some")


@pytest.mark.slow
def test_dead_worker_is_recorded_then_resume_finishes(tmp_path):
    kills = functools.partial(kills_worker_once, marker=str(tmp_path / "killed"))
    tasks = make_tasks(scenarios(), 6, root_seed=2, days=60)
    out = tmp_path / "out"
    first = _run(out, tasks, executor="process", workers=2, chunk_size=1, run_fn=kills)
    assert first.status == "failed" and 3 in first.failed_run_ids
    assert any("worker process died" in f["error"] for f in first.failures)
    second = _run(out, tasks, executor="process", workers=2, resume=True, run_fn=kills)
    assert second.status == "complete" and second.completed == 12
    _run(tmp_path / "ref", tasks)
    pdt.assert_frame_equal(read_table(out, "summary"), read_table(tmp_path / "ref", "summary"))


def test_store_commit_order_makes_orphans_removable(tmp_path):
    store = BatchStore(tmp_path)
    store.prepare()
    assert store.write_chunk({"summary": None, "daily": b"x", "events": None}) == 0
    assert store.clean_uncommitted() == 1 and store.completed_run_ids() == set()


# -- the command ------------------------------------------------------------------------

def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "sim", "batch", *args, "--no-progress"]


@pytest.mark.slow
def test_cli_resume_after_sigkill_equals_uninterrupted(tmp_path):
    args = ["baseline", "--replications", "48", "--days", "365", "--seed", "4", "--workers", "2"]
    out = tmp_path / "killed"
    proc = subprocess.Popen(_cli(*args, "--out", str(out)), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(list((out / "summary").glob("part-*.parquet"))) < 3 and time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert json.loads((out / "manifest.json").read_text())["status"] == "running"
    done = len(BatchStore(out).completed_run_ids())
    assert 0 < done < 48
    resumed = subprocess.run(_cli(*args, "--out", str(out), "--resume"), capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{48 - done} run in" in resumed.stdout and "already done" in resumed.stdout
    ref = tmp_path / "ref"
    _run(ref, make_tasks({"baseline": scenarios()["baseline"]}, 48, root_seed=4, days=365), daily="none")
    pdt.assert_frame_equal(read_table(out, "summary"), read_table(ref, "summary"))
    assert len(read_table(out, "daily", columns=["run_id"])) == 48 * 365


@pytest.mark.slow
def test_cli_reports_failed_runs_and_exits_nonzero(tmp_path, monkeypatch):
    from sim.cli import app
    monkeypatch.setattr("sim.run.worker.default_run_fn", lambda: fails_on_replication_2)
    result = CliRunner().invoke(app, ["batch", "baseline", "-r", "3", "--days", "30", "--out", str(tmp_path),
                                      "--no-progress"])
    assert result.exit_code == 1
    assert "1 run(s) failed: 2 (baseline rep 2)" in result.output and "--resume" in result.output
    assert "2 of 3 runs complete" in result.output


def test_cli_user_errors_are_one_line(tmp_path, cli):
    bad = cli("batch", "no_such_scenario", "--out", tmp_path / "x", "--no-progress")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "no_such_scenario" in bad.stderr
    (tmp_path / "y").mkdir()
    (tmp_path / "y" / "manifest.json").write_text("{}")
    busy = cli("batch", "baseline", "--out", tmp_path / "y", "--no-progress")
    assert busy.returncode == 2 and "already holds a batch" in busy.stderr and "Traceback" not in busy.stderr


@pytest.mark.slow
def test_batch_rows_equal_a_single_run_with_the_same_seed(tmp_path):
    from sim.run.single import simulate
    _run(tmp_path, make_tasks(scenarios(), 3, root_seed=8, days=60))
    child = np.random.SeedSequence(8).spawn(3)[2]
    alone = simulate(scenarios()["calm"], seed=child, days=60)
    daily = read_table(tmp_path, "daily").query("run_id == 5")
    assert (daily["root_seed"] == 8).all() and (daily["spawn_key"] == "2").all()
    daily = daily.drop(columns=["run_id", "scenario", "replication", "root_seed", "spawn_key"])
    pdt.assert_frame_equal(daily.reset_index(drop=True), alone.daily, check_dtype=False)
    row = read_table(tmp_path, "summary").set_index("run_id").loc[5]
    assert {k: row[k] for k in alone.summary} == pytest.approx(alone.summary, nan_ok=True)


def test_only_a_large_chunk_pays_for_a_full_garbage_collection(monkeypatch):
    """A full collection costs time in proportion to the whole process (a notebook's, a test
    run's), so a chunk gives memory back only when it held enough to matter."""
    from sim.run import worker

    calls = []
    monkeypatch.setattr(worker, "_give_back_memory", lambda: calls.append(1))
    base = load_scenario("baseline")
    small = make_tasks({"baseline": base}, 2, root_seed=1, days=5)
    assert worker.chunk_bytes(small, "full") < worker.RELEASE_BYTES
    worker.run_chunk(small)
    assert calls == []
    # the chunk the ratchet was measured on (60 one-year runs with daily tables) does release
    assert worker.chunk_bytes(make_tasks({"baseline": base}, 60, root_seed=1), "full") >= worker.RELEASE_BYTES
    assert worker.chunk_bytes(make_tasks({"baseline": base}, 5000, root_seed=1), "none") >= worker.RELEASE_BYTES
    monkeypatch.setattr(worker, "RELEASE_BYTES", 0)
    worker.run_chunk(small)
    assert calls == [1]
