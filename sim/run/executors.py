"""Executors for batches, all behind the `concurrent.futures.Executor` interface.

`make_executor(kind, workers, address)` returns one of:

- ``sequential`` (alias ``serial``): runs each submitted call at once, in this process. No pickling, no
  processes: the reference for debugging and the baseline of the benchmarks.
- ``process``: a `ProcessPoolExecutor` with `workers` processes on this machine.
- ``dask``: a dask.distributed cluster, either the scheduler at `address`
  (``tcp://HOST:PORT``; its workers must have this package installed) or a LocalCluster of
  `workers` single-threaded worker processes bound to 127.0.0.1 with no dashboard.

The batch engine only calls `submit` and `shutdown`, and waits with
`concurrent.futures.wait`, so any Executor works; results are identical across all of
them because every run's randomness comes from its own seed (see sim.run.batch).

Start method of the process pool: ``fork`` when this process has no other Python thread,
because it starts workers in milliseconds with the model's modules already imported
(numpy/OpenBLAS and pyarrow reinitialise their native thread pools after a fork);
``forkserver`` otherwise (for example inside a web app or after a dask client started
threads), since forking a process whose other threads may hold locks can deadlock the child.
The fork server preloads the model (``PRELOAD``), so its workers start with it imported too.
Our own progress bars start no thread (sim.run.progress), so they never tip a process over.
"""

from __future__ import annotations

import concurrent.futures as cf
import gc
import multiprocessing as mp
import threading
import warnings
from typing import Any, Callable

KINDS = ("sequential", "process", "dask")


class ExecutorError(Exception):
    """An executor could not be created (bad kind, unreachable scheduler); one-line message."""


class SequentialExecutor(cf.Executor):
    """Run each call when it is submitted and hand back an already finished Future."""

    def __init__(self) -> None:
        self._shutdown = False

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future:
        if self._shutdown:
            raise RuntimeError("cannot schedule new futures after shutdown")
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # the caller sees it through future.result(), as with a pool
            future.set_exception(exc)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._shutdown = True


class DaskExecutor(cf.Executor):
    """A dask.distributed client's executor that also closes the client and its cluster."""

    def __init__(self, client: Any, cluster: Any = None) -> None:
        self.client = client
        self.cluster = cluster
        self._executor = client.get_executor(pure=False)

    @property
    def n_workers(self) -> int:
        """Workers of the cluster now: a remote cluster's size is not --workers."""
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future:
        return self._executor.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        try:
            self._executor.shutdown(wait=wait and not cancel_futures)
        finally:
            self.client.close()
            if self.cluster is not None:
                self.cluster.close()


def make_executor(kind: str, workers: int = 1, address: str | None = None) -> cf.Executor:
    """Build an executor of `kind` with `workers` workers (ignored for sequential)."""
    if kind in ("sequential", "serial"):
        return SequentialExecutor()
    if workers < 1:
        raise ExecutorError(f"workers must be at least 1, got {workers}")
    if kind == "process":
        return _process_pool(workers)
    if kind == "dask":
        return _dask(workers, address)
    raise ExecutorError(f"unknown executor '{kind}' (choose from {', '.join(KINDS)})")


def start_method() -> str:
    """``fork`` when no other Python thread could hold a lock at fork time, else forkserver."""
    if "fork" in mp.get_all_start_methods() and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"


# What every worker imports to run a chunk. The alias comes first: a fork server is a fresh
# interpreter whose `import sim` would find a notebook's own sim.py beside it; the alias loads
# this package as `sim` instead (korea_escalation._load_sim), and the rest resolves inside it.
PRELOAD = ["korea_escalation", "sim.run.worker", "sim.model"]


def _process_pool(workers: int) -> cf.ProcessPoolExecutor:
    method = start_method()
    ctx = mp.get_context(method)
    if method == "forkserver":
        # the fork server imports the model once; each worker it forks starts with it loaded
        # instead of importing numpy, pandas, pyarrow and Mesa again (seconds per worker)
        ctx.set_forkserver_preload(PRELOAD)
    # gc.freeze in a forked worker: collections then skip the objects inherited from the
    # parent instead of touching (and so copying) their pages; it keeps workers' PSS down.
    init = gc.freeze if method == "fork" else None
    pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=init)
    if method == "fork":
        # Python 3.12 forks every worker on the first submit and warns about the native
        # (OpenBLAS, pyarrow) threads, which are fork-safe; start them now, quietly.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
            pool.submit(int).result()
    return pool


def _dask(workers: int, address: str | None) -> DaskExecutor:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - dask is a declared dependency
        raise ExecutorError(f"the dask executor needs dask[distributed]: {exc}") from None
    if address:
        try:
            return DaskExecutor(Client(address, timeout="10s"))
        except (OSError, TimeoutError) as exc:
            raise ExecutorError(f"cannot reach dask scheduler at {address}: {exc}") from None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=None)
    return DaskExecutor(Client(cluster), cluster)
