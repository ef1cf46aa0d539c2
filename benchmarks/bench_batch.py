"""Benchmarks of the batch engine; prints a markdown table. Run: python benchmarks/bench_batch.py

(a) our batch vs `mesa.batch_run` on the same model collecting the same daily table (and
    writing it to parquet), one process each and two processes each (target: ours >= 3x);
(b) runs/s of `run_batch` with 1 and 2 process workers (target: >= 1.8x);
(c) peak memory of a 20,000-run one-year baseline batch through `escalation batch`
    (target < 500 MB): the process tree sampled every 0.25 s with psutil (a dependency of
    dask.distributed), RSS summed and PSS summed (PSS counts pages a forked worker shares
    with its parent once, RSS counts them in every process), and the largest single RSS.
    getrusage(RUSAGE_CHILDREN) is not used: it reports the largest child ever, including
    workers forked from this benchmark process, whose RSS includes its inherited pages;
(d) wall time of 10,000 one-year baseline runs on two workers (target < 60 s).

`--quick` shrinks every size about tenfold for a smoke test. Timings are wall clock on
this machine; the tests assert none of them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from mesa_baseline import check_same_daily, mesa_batch  # noqa: E402

from sim.run.batch import make_tasks, run_batch  # noqa: E402
from sim.schema.loader import load_scenario  # noqa: E402

DAYS = 365
REPEAT = 3


def ours(n: int, workers: int, out: Path, daily: str = "full") -> float:
    """Seconds for `run_batch` of n one-year baseline runs (pool start-up included)."""
    shutil.rmtree(out, ignore_errors=True)
    tasks = make_tasks({"baseline": load_scenario("baseline")}, n, root_seed=1, days=DAYS)
    kind = "sequential" if workers == 1 else "process"
    start = time.perf_counter()
    outcome = run_batch(tasks, out, executor=kind, workers=workers, progress=False, daily=daily)
    assert outcome.status == "complete", outcome.failures[:1]
    return time.perf_counter() - start


def best(fn, *args, repeat: int = REPEAT) -> float:
    """Fastest of `repeat` timings: the machine is shared, and noise only ever adds time."""
    return min(fn(*args) for _ in range(repeat))


def bench_mesa(n: int, tmp: Path) -> list[tuple]:
    check_same_daily(load_scenario("baseline"), DAYS)  # the two collect the same daily table
    rows = []
    for procs in (1, 2):
        mesa_s = best(mesa_batch, load_scenario("baseline"), n, DAYS, procs)
        our_s = best(ours, n, procs, tmp / f"a{procs}")
        rows.append((f"(a) {n} runs, {procs} process(es): mesa.batch_run / ours",
                     f"{mesa_s:.1f} s / {our_s:.1f} s = {mesa_s / our_s:.2f}x", ">= 3x", mesa_s / our_s >= 3))
    return rows


def bench_scaling(n: int, tmp: Path) -> list[tuple]:
    one = n / best(ours, n, 1, tmp / "b1")
    pool1 = n / best(_pool, n, 1, tmp / "b1p")
    two = n / best(_pool, n, 2, tmp / "b2")
    return [(f"(b) runs/s, {n} one-year runs: in-process / pool of 1 / pool of 2",
             f"{one:.1f} / {pool1:.1f} / {two:.1f}", "", None),
            ("(b) speed-up of 2 workers over 1 (pools)", f"{two / pool1:.2f}x", ">= 1.8x", two / pool1 >= 1.8)]


def _pool(n: int, workers: int, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    tasks = make_tasks({"baseline": load_scenario("baseline")}, n, root_seed=1, days=DAYS)
    start = time.perf_counter()
    run_batch(tasks, out, executor="process", workers=workers, progress=False)
    return time.perf_counter() - start


def cli_batch(n: int, out: Path, daily: str = "full") -> dict:
    """Run `escalation batch` in a child process; wall time and sampled memory of its tree."""
    import psutil

    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "sim", "batch", "baseline", "-r", str(n), "--days", str(DAYS),
           "--workers", "2", "--out", str(out), "--daily", daily, "--no-progress"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = {"rss": 0, "pss": 0, "single": 0}
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


def _sample(root, peak: dict, stop: threading.Event) -> None:
    while not stop.is_set():
        rss = pss = single = 0
        try:
            for p in [root, *root.children(recursive=True)]:
                info = p.memory_full_info()
                rss, pss, single = rss + info.rss, pss + info.pss, max(single, info.rss)
        except Exception:  # a process ended between listing and reading
            pass
        for key, value in (("rss", rss), ("pss", pss), ("single", single)):
            peak[key] = max(peak[key], value)
        stop.wait(0.25)


def bench_memory(n: int, tmp: Path) -> list[tuple]:
    r = cli_batch(n, tmp / "c")
    mb = 1 / 2**20
    return [(f"(c) {n:,} one-year runs, 2 workers: peak memory of the tree (PSS sum / RSS sum)",
             f"{r['pss'] * mb:.0f} MB / {r['rss'] * mb:.0f} MB", "< 500 MB", r["pss"] * mb < 500),
            ("(c) largest single process (sampled RSS)", f"{r['single'] * mb:.0f} MB", "", None),
            ("(c) wall time, runs/s, output size", f"{r['seconds']:.0f} s, {n / r['seconds']:.0f} runs/s, "
             f"{r['bytes'] * mb:.0f} MB on disk", "", None)]


def bench_wall(n: int, tmp: Path) -> list[tuple]:
    rows = []
    for daily in ("full", "none"):
        r = cli_batch(n, tmp / f"d{daily}", daily)
        rows.append((f"(d) {n:,} one-year runs on 2 workers, `escalation batch --daily {daily}`",
                     f"{r['seconds']:.1f} s ({n / r['seconds']:.0f} runs/s)", "< 60 s", r["seconds"] < 60))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="about a tenth of every size")
    parser.add_argument("--only", default="abcd", help="which parts to run, e.g. 'bd'")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    parts = {"a": (bench_mesa, 100), "b": (bench_scaling, 300), "c": (bench_memory, 20_000),
             "d": (bench_wall, 10_000)}
    rows: list[tuple] = []
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench_batch_") as tmp:
        for key in args.only:
            fn, n = parts[key]
            rows += fn(max(10, n // scale), Path(tmp))
    print(f"\nmachine: {os.cpu_count()} cores, python {sys.version.split()[0]}, numpy {np.__version__}; "
          f"load average before {load[0]:.2f}, after {os.getloadavg()[0]:.2f}; (a), (b) best of {REPEAT}\n")
    print("| measure | result | target | met |\n|---|---|---|---|")
    for name, value, target, met in rows:
        print(f"| {name} | {value} | {target} | {'' if met is None else ('yes' if met else 'no')} |")


if __name__ == "__main__":
    main()
