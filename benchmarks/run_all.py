"""Every speed figure of the model in one run, printed as one markdown table.

    python benchmarks/run_all.py [--quick] [--only 12345]

1. cost per replication-day of 10,000 one-year baseline runs on 2 workers (summaries only),
   beside the ensemble alone and numpy's random-number floor on one core (target <= 5x);
2. one step at R = 1 against a bare Mesa model, and per replication-day at R = 10 ... 5000;
3. scaling from 5 to 64 actors (target: O(n^2));
4. peak memory of a 20,000-run batch with daily tables (target < 500 MB), and bytes written;
5. mesa.batch_run against our batch engine, same daily table written.
Each part also runs alone: ``python benchmarks/bench_<part>.py [--quick]``. ``--quick`` shrinks
every size for a smoke test (its figures mean little). Nothing here is asserted by a test: the
machine is shared, so read the load averages printed before and after, and the spreads.
"""

from __future__ import annotations

import argparse
import time

import common

PARTS = {"1": "bench_throughput", "2": "bench_step", "3": "bench_actors", "4": "bench_memory", "5": "bench_mesa"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--only", default="".join(PARTS), help="which parts to run, e.g. '13'")
    args = parser.parse_args()
    unknown = sorted(set(args.only) - set(PARTS))
    if unknown:
        parser.error(f"--only: unknown part(s) {', '.join(unknown)}; choose from {''.join(PARTS)}")
    before = common.machine_line()
    start = time.perf_counter()
    rows: list[common.Row] = []
    for key in sorted(set(args.only)):  # part 1 first: its process pool forks before any thread exists
        module = __import__(PARTS[key])
        rows += module.run(args.quick)
    minutes = (time.perf_counter() - start) / 60
    print(f"{before} (before)\n{common.machine_line()} (after; {minutes:.1f} min)"
          + ("\n--quick: small sizes, for a smoke test only" if args.quick else ""))
    common.print_table(rows, "Speed of the model (benchmarks/run_all.py)")


if __name__ == "__main__":
    main()
