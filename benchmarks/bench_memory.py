"""Part 4: peak memory of a 20,000-run one-year baseline batch WITH daily tables, 2 workers.

    python benchmarks/bench_memory.py [--quick]

`escalation batch baseline -r 20000 --daily full --workers 2` runs in a child process while a
thread samples its process tree every 0.25 s with psutil (a dependency of dask.distributed):
RSS summed, PSS summed (PSS counts a page that a forked worker shares with its parent once, RSS
counts it in every process, so the PSS sum is the tree's real footprint) and the largest single
RSS. getrusage(RUSAGE_CHILDREN) is not used: it reports the largest child ever, including
workers forked from this benchmark process, whose RSS includes its inherited pages. Also
printed: the wall time and the bytes the batch wrote.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import common
from common import DAYS, Row

RUNS = 20_000
WORKERS = 2
TARGET_MB = 500
MB = 1 / 2**20


def cli_batch(n: int, out: Path, daily: str = "full", workers: int = WORKERS, days: int = DAYS,
              chunk: int | None = None) -> dict:
    """Run `escalation batch` in a child process; its wall time, sampled memory and output size.

    ``chunk`` (runs per chunk) runs the same batch through ``run_batch(chunk_size=chunk)`` instead
    of the CLI, to see what another chunk size would cost.
    """
    import psutil

    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "sim", "batch", "baseline", "-r", str(n), "--days", str(days),
           "--workers", str(workers), "--out", str(out), "--daily", daily, "--no-progress"]
    if chunk:
        code = ("from sim.run.batch import make_tasks, run_batch; from sim.schema.loader import load_scenario; "
                f"t = make_tasks({{'baseline': load_scenario('baseline')}}, {n}, root_seed=0, days={days}); "
                f"run_batch(t, {str(out)!r}, executor='process', workers={workers}, progress=False, "
                f"daily={daily!r}, chunk_size={chunk})")
        cmd = [sys.executable, "-c", code]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=common.ROOT)
    peak = {"rss": 0, "pss": 0, "single": 0, "samples": 0}
    stop = threading.Event()
    sampler = threading.Thread(target=_sample, args=(psutil.Process(proc.pid), peak, stop), daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"escalation batch failed: {err.decode().strip()}")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {"seconds": seconds, **peak, "bytes": size}


def engine_chunk(n: int, days: int) -> int:
    """Runs per chunk the batch engine picks for this batch (sim.run.batch._auto_chunk)."""
    from sim.run.batch import _auto_chunk, make_tasks
    return _auto_chunk(make_tasks({"baseline": common.baseline()}, n, 0, days), WORKERS, "full")


def _sample(root, peak: dict, stop: threading.Event) -> None:
    while not stop.is_set():
        rss = pss = single = 0
        try:
            for p in [root, *root.children(recursive=True)]:
                info = p.memory_full_info()
                rss, pss, single = rss + info.rss, pss + info.pss, max(single, info.rss)
        except Exception:  # a process ended between listing and reading: skip this sample
            pass
        else:
            peak["samples"] += 1
        for key, value in (("rss", rss), ("pss", pss), ("single", single)):
            peak[key] = max(peak[key], value)
        stop.wait(0.25)


def run(quick: bool = False, chunk: int | None = None) -> list[Row]:
    n, days = (100, 32) if quick else (RUNS, DAYS)
    with tempfile.TemporaryDirectory(prefix="bench_memory_") as tmp:
        r = cli_batch(n, Path(tmp) / "m", days=days, chunk=chunk)
    pss = r["pss"] * MB
    how = f"run_batch(chunk_size={chunk})" if chunk else f"escalation batch (chunks of {engine_chunk(n, days)} runs)"
    return [
        Row("4", f"{how}, {n:,} runs of {days} days, daily tables, {WORKERS} workers: peak of the tree, PSS sum "
            f"({r['samples']} samples)", f"{pss:.0f} MB", f"< {TARGET_MB} MB", pss < TARGET_MB),
        Row("4", "... RSS sum / largest single process (RSS)", f"{r['rss'] * MB:.0f} MB / {r['single'] * MB:.0f} MB"),
        Row("4", "... wall time, runs per second, bytes written",
            f"{r['seconds']:.1f} s, {n / r['seconds']:.0f} runs/s, {r['bytes'] * MB:,.0f} MB "
            f"({r['bytes'] / n / days:.0f} bytes per run-day)"),
    ]


def main() -> None:
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--chunk", type=int, help="runs per chunk (default: the batch engine's own choice)")
    args = parser.parse_args()
    print(common.machine_line() + " (before)")
    common.print_table(run(args.quick, args.chunk))
    print("\n" + common.machine_line() + " (after)")


if __name__ == "__main__":
    main()
