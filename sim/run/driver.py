"""The parent's loop of a batch: submit chunks, write results as they finish, survive failures.

At most a small window of chunks is in flight (two per worker plus one), so memory stays
flat however large the batch, and a kill loses at most the chunks in flight. Each finished
chunk's parquet parts are written at once (sim.run.store) and the progress bar advances.

Failures are data, not crashes: runs that raise come back in the chunk's `failures`; a chunk
whose future raises (a pickling error, a dask KilledWorker) has all its runs recorded; a
process pool broken by a dying worker (BrokenProcessPool) has its in-flight runs recorded
and is replaced, at most MAX_RESTARTS times, after which the remaining runs are recorded as
not run. Everything recorded is run again by `--resume`.
"""

from __future__ import annotations

import concurrent.futures as cf
import sys
import traceback
from collections import deque
from typing import Any

from sim.run.executors import make_executor
from sim.run.progress import progress_bar
from sim.run.store import BatchStore
from sim.run.worker import RunFn, RunTask, failure_record, run_chunk

MAX_RESTARTS = 3


class Driver:
    """Run chunks on an executor (a kind to create and own, or a caller's instance)."""

    def __init__(self, store: BatchStore, executor: str | cf.Executor, workers: int,
                 address: str | None, run_fn: RunFn | None, daily: str, progress: bool):
        self.store, self.kind, self.workers, self.address = store, executor, workers, address
        self.run_fn, self.daily, self.progress = run_fn, daily, progress
        self.owned = isinstance(executor, str)
        self.window = 1 if executor in ("sequential", "serial") else 2 * max(1, workers) + 1
        self.failures: list[dict[str, Any]] = []
        self.ok_ids: list[int] = []
        self.restarts = 0
        self._ex: cf.Executor | None = None
        self._bar: Any = None

    @property
    def ran(self) -> int:
        return len(self.ok_ids)

    def run(self, chunks: list[list[RunTask]], total: int, initial: int = 0) -> None:
        """Run every chunk; returns when all finished or were recorded as failed."""
        if not chunks:
            return
        self._ex = self._make()
        if hasattr(self._ex, "n_workers"):  # a dask cluster: keep each of its workers busy
            self.window = 2 * self._ex.n_workers + 1
        self._bar = progress_bar(total=total, initial=initial, unit="run", dynamic_ncols=True, smoothing=0.05,
                                 disable=not (self.progress and sys.stderr.isatty()))
        queue, inflight = deque(chunks), {}
        try:
            while queue or inflight:
                broken = self._fill(queue, inflight)
                if not broken:
                    done, _ = cf.wait(inflight, return_when=cf.FIRST_COMPLETED)
                    broken = any([self._collect(f, inflight.pop(f)) for f in done])
                if broken:
                    self._recover(queue, inflight)
        finally:
            self._bar.close()
            self._shutdown(cancel=True)

    def _fill(self, queue: deque, inflight: dict) -> bool:
        """Top up the window of chunks in flight; True if the pool turned out to be broken."""
        while queue and len(inflight) < self.window:
            try:
                future = self._ex.submit(run_chunk, queue[0], self.run_fn, self.daily)
            except cf.BrokenExecutor:  # a worker died since the last wait
                return True
            inflight[future] = queue.popleft()
        return False

    def _make(self) -> cf.Executor:
        return make_executor(self.kind, self.workers, self.address) if self.owned else self.kind

    def _shutdown(self, cancel: bool = False) -> None:
        if self.owned and self._ex is not None:
            self._ex.shutdown(wait=True, cancel_futures=cancel)
        self._ex = None

    def _collect(self, future: cf.Future, chunk: list[RunTask]) -> bool:
        """Write a finished chunk or record its runs as failed; True if the pool broke."""
        try:
            result = future.result()
        except cf.BrokenExecutor as exc:
            self._fail(chunk, f"worker process died ({type(exc).__name__})", _format(exc))
            return True
        except (Exception, cf.CancelledError) as exc:
            self._fail(chunk, f"{type(exc).__name__}: {exc}", _format(exc))
            return False
        self.store.write_chunk(result.parts())
        for name, csv_text in result.calendars.items():
            self.store.write_calendar(name, csv_text)
        self.ok_ids.extend(result.ok)
        self.failures.extend(result.failures)
        self._advance(len(chunk))
        return False

    def _recover(self, queue: deque, inflight: dict) -> None:
        """After a broken pool: settle the chunks in flight, then replace the pool or stop."""
        done, _ = cf.wait(inflight)
        for future in done:
            self._collect(future, inflight.pop(future))
        self._shutdown()
        if self.owned and self.restarts < MAX_RESTARTS:
            self.restarts += 1
            self._ex = self._make()
            return
        while queue:
            self._fail(queue.popleft(), "not run: the worker pool broke too often", "")

    def _fail(self, chunk: list[RunTask], error: str, trace: str) -> None:
        self.failures.extend(failure_record(t, error, trace) for t in chunk)
        self._advance(len(chunk))

    def _advance(self, n: int) -> None:
        self._bar.update(n)
        if self.failures:
            self._bar.set_postfix(failed=len(self.failures), refresh=False)


def _format(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))
