"""Executors: the same batch gives bit-identical tables in-process, on a pool and on dask."""

from __future__ import annotations

import concurrent.futures as cf
import functools
import os

import pandas.testing as pdt
import pytest

from sim.run.batch import make_tasks, read_table, run_batch
from sim.run.executors import ExecutorError, SequentialExecutor, make_executor, start_method
from sim.schema.loader import load_scenario
from sim.schema.paths import apply_overrides


@functools.cache
def scenarios() -> dict:
    base = load_scenario("baseline")
    return {"baseline": base, "tight": apply_overrides(base, {"name": "tight", "world.sanctions": 0.9})}


def test_sequential_executor_runs_now_and_keeps_exceptions():
    ex = make_executor("sequential")
    assert isinstance(ex, SequentialExecutor) and isinstance(make_executor("serial"), SequentialExecutor)
    assert ex.submit(pow, 2, 5).result() == 32
    failed = ex.submit(int, "x")
    assert isinstance(failed.exception(), ValueError)
    ex.shutdown()
    with pytest.raises(RuntimeError):
        ex.submit(int)


def test_bad_kinds_are_one_line_errors():
    with pytest.raises(ExecutorError, match="unknown executor 'threads'"):
        make_executor("threads", 2)
    with pytest.raises(ExecutorError, match="at least 1"):
        make_executor("process", 0)


def test_process_pool_uses_fork_when_single_threaded():
    assert start_method() in ("fork", "forkserver")
    with make_executor("process", 2) as ex:
        assert list(ex.map(abs, [-1, -2])) == [1, 2]


@pytest.mark.slow
def test_executors_give_identical_tables(tmp_path):
    tasks = make_tasks(scenarios(), 6, root_seed=123, days=90)
    runs = {"sequential": dict(executor="sequential"),
            "process": dict(executor="process", workers=2, chunk_size=2),
            "dask": dict(executor="dask", workers=2, chunk_size=3)}
    tables = {}
    for name, kw in runs.items():
        outcome = run_batch(tasks, tmp_path / name, progress=False, **kw)
        assert outcome.status == "complete", outcome.failures
        tables[name] = [read_table(tmp_path / name, t) for t in ("summary", "daily", "events")]
    for name in ("process", "dask"):
        for ref, got in zip(tables["sequential"], tables[name]):
            pdt.assert_frame_equal(ref, got)


@pytest.mark.slow
def test_caller_owned_executor_is_left_running(tmp_path):
    with cf.ThreadPoolExecutor(2) as ex:
        run_batch(make_tasks(scenarios(), 2, days=10), tmp_path, executor=ex, progress=False)
        assert ex.submit(int, "7").result() == 7


def test_a_progress_bar_leaves_no_thread_that_would_stop_fork():
    """tqdm's monitor thread outlived every bar, and with a second thread alive every later
    pool in the process started by forkserver (workers importing the model afresh)."""
    import threading

    from sim.run.progress import progress_bar

    before = set(threading.enumerate())
    with open(os.devnull, "w") as sink:
        for notebook in (False, True):
            with progress_bar(notebook=notebook, total=3, disable=False, file=sink) as bar:
                bar.update(3)
    assert [t.name for t in threading.enumerate() if t not in before] == []


@pytest.mark.slow
def test_a_pool_started_beside_another_thread_preloads_the_model(tmp_path):
    """With another thread alive (a web app, a dask client) the pool starts by forkserver,
    whose server imports the model once for all its workers; the tables are the same."""
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        assert start_method() == "forkserver"
        tasks = make_tasks(scenarios(), 2, root_seed=5, days=20)
        done = run_batch(tasks, tmp_path / "pool", executor="process", workers=2, progress=False)
        assert done.status == "complete", done.failures
    finally:
        stop.set()
        other.join()
    run_batch(tasks, tmp_path / "ref", progress=False)
    for table in ("summary", "daily", "events"):
        pdt.assert_frame_equal(read_table(tmp_path / "ref", table), read_table(tmp_path / "pool", table))
