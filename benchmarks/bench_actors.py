"""Part 3: how the cost per replication-day grows with the number of actors (5 to 64).

    python benchmarks/bench_actors.py [--quick]

Scenarios are built here, one per size n: one provocateur ``P``, one patron ``Z`` (with a
veto) and n - 2 allies ``A1``... Two wirings:
- dense: a relation for every pair (the provocateur and the patron are adversaries of every
  ally, the allies are all allied with one another): n(n-1)/2 relations, (n-2)(n-3)/2
  alliances, the worst case;
- sparse: only the provocateur's relations (an adversary of every ally, a partner of the patron).
Both step an ensemble of ``R`` replications for ``DAYS`` days, summaries only. The engine keeps
tensions as (R, n, n) arrays and draws n(n-1) normals per replication-day for their noise, so
the floor itself grows as n^2; the question is whether the engine does too (the old one used
an n^2 x n^2 matrix, i.e. n^4). The growth exponent is the log-log slope between sizes:
2 means O(n^2).
"""

from __future__ import annotations

import math

import common
from common import Row, Timing, timed

SIZES = (5, 8, 16, 32, 64)
R = 200
DAYS = 128          # four blocks of the draw stream
REPEAT = 3


def scenario(n: int, dense: bool = True):
    """A cast of n actors (n >= 4) with declared roles and two drills, wired densely or sparsely."""
    from sim.schema.loader import scenario_from_dict
    allies = [f"A{k}" for k in range(1, n - 1)]
    actors = {"P": {"role": "provocateur", "restraint": 0.05, "readiness": 0.6,
                    "capability": {"SRBM": 0.85, "MRBM_IRBM": 0.6, "ICBM": 0.4, "SLBM": 0.25, "HYPERSONIC": 0.1}},
              "Z": {"role": "patron", "restraint": 0.05, "readiness": 0.4, "veto": True}}
    actors.update({a: {"role": "ally", "restraint": 0.05, "readiness": 0.4} for a in allies})
    hostile = {"kind": "adversary", "reaction_ab": 0.02, "reaction_ba": 0.015, "grievance_ab": 0.015,
               "grievance_ba": 0.01, "tension_ab": 0.4, "tension_ba": 0.3}
    relations = [{"a": "P", "b": a, **hostile} for a in allies]
    relations.append({"a": "P", "b": "Z", "kind": "partnership", "grievance_ab": -0.01, "grievance_ba": -0.01})
    if dense:
        relations += [{"a": "Z", "b": a, "kind": "adversary", "reaction_ab": 0.01, "reaction_ba": 0.01,
                       "grievance_ab": 0.01, "grievance_ba": 0.008} for a in allies]
        relations += [{"a": a, "b": b, "kind": "alliance", "cohesion": 0.7}
                      for i, a in enumerate(allies) for b in allies[i + 1:]]
    hosts = allies[:2]
    return scenario_from_dict({
        "name": f"cast_{n}_{'dense' if dense else 'sparse'}", "description": f"{n} actors, built by the benchmark",
        "start": "2023-01-01", "days": DAYS, "actors": actors, "relations": relations,
        "roles": {"leverage": allies[0], "front_line": allies[1], "drill_hosts": hosts, "sponsor": allies[0]},
        "calendar": [{"type": "drill", "name": "spring", "start": "2023-03-13", "end": "2023-03-23",
                      "participants": hosts}],
    })


def per_rep_day(sc, reps: int, repeat: int) -> Timing:
    from sim.model import EscalationModel
    from sim.run import tables

    def go() -> None:
        m = EscalationModel(sc, common.seeds(reps), days=DAYS, daily=False, events=False).run()
        tables.summaries(m)

    t = timed(go, repeat)
    return Timing([s / (reps * DAYS) for s in t.seconds])


def slope(ns: list[int], costs: list[float]) -> list[str]:
    """Log-log slope from each size to the next: the local growth exponent."""
    out = [""]
    for (n0, c0), (n1, c1) in zip(zip(ns, costs), zip(ns[1:], costs[1:])):
        out.append(f"{math.log(c1 / c0) / math.log(n1 / n0):.2f}")
    return out


def run(quick: bool = False) -> list[Row]:
    sizes, reps, repeat = ((5, 8, 16), 10, 1) if quick else (SIZES, R, REPEAT)
    rows: list[Row] = []
    for dense in (True, False):
        wiring = "dense" if dense else "sparse"
        costs, floors, spreads = [], [], []
        for n in sizes:
            sc = scenario(n, dense)
            t = per_rep_day(sc, reps, repeat)
            f = common.floor_per_rep_day(common.cast_roles(sc), max(reps * DAYS, 20_000), 3)
            costs.append(t.best)
            floors.append(f.best)
            spreads.append(t.spread(1e6, " µs"))
        exps = slope(list(sizes), costs)
        for k, n in enumerate(sizes):
            grow = f"; exponent from n = {sizes[k - 1]}: {exps[k]}" if k else ""
            rows.append(Row("3", f"{wiring}, n = {n}, R = {reps}: per replication-day",
                            f"{spreads[k]} = {costs[k] / floors[k]:.1f}x floor ({common.us(floors[k])}); "
                            f"{costs[k] / n ** 2 * 1e9:.0f} ns per actor pair{grow}"))
        whole = math.log(costs[-1] / costs[len(sizes) // 2]) / math.log(sizes[-1] / sizes[len(sizes) // 2])
        rows.append(Row("3", f"{wiring}: growth exponent from n = {sizes[len(sizes) // 2]} to {sizes[-1]}",
                        f"{whole:.2f} (floor: {math.log(floors[-1] / floors[len(sizes) // 2]) / math.log(sizes[-1] / sizes[len(sizes) // 2]):.2f})",
                        "<= 2.2 (O(n^2), within noise)", whole <= 2.2))
    return rows


if __name__ == "__main__":
    common.standalone(run, __doc__)
