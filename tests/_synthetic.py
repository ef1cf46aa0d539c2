"""Synthetic result directories written to the contract in docs/RESULTS.md.

The plotting tests run on these, not on the model: plausible values (an escalation index
that rises in the drill seasons, DPRK launches clustered around drills, tensions that follow
the index) in exactly the files and columns a run, a batch and a sweep write.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

ACTORS = ["DPRK", "ROK", "US", "Japan", "Russia", "China"]
RELATIONS = [("DPRK", "ROK", "adversary"), ("DPRK", "US", "adversary"), ("DPRK", "Japan", "adversary"),
             ("US", "ROK", "alliance"), ("US", "Japan", "alliance"), ("Russia", "DPRK", "partnership"),
             ("China", "DPRK", "partnership"), ("ROK", "Japan", "neutral")]
LADDER = [
    {"level": 0, "name": "calm", "lower": 0.0, "upper": 10.0},
    {"level": 1, "name": "rhetoric", "lower": 10.0, "upper": 20.0},
    {"level": 2, "name": "signalling", "lower": 20.0, "upper": 35.0},
    {"level": 3, "name": "demonstration", "lower": 35.0, "upper": 50.0},
    {"level": 4, "name": "coercion", "lower": 50.0, "upper": 70.0},
    {"level": 5, "name": "crisis", "lower": 70.0, "upper": 85.0},
    {"level": 6, "name": "armed clash", "lower": 85.0, "upper": 100.0},
]
CLASSES = ["SRBM", "MRBM_IRBM", "ICBM", "SLBM", "HYPERSONIC"]
DRILLS = [("Key Resolve", "03-06", "03-16"), ("Foal Eagle", "03-01", "04-30"), ("Max Thunder", "04-11", "04-24"),
          ("Ulchi Freedom Guardian", "08-21", "08-31"), ("Vigilant Ace", "12-04", "12-08")]
POINTS = [("summit", "Inter-Korean summit", "04-27", "ROK;DPRK"), ("visit", "US president visits Seoul", "11-07", "US;ROK"),
          ("election", "ROK presidential election", "05-09", "ROK"), ("sanctions_resolution", "S/RES/2371", "08-05", "UN"),
          ("sanctions_resolution", "S/RES/2375", "09-11", "UN"), ("defense_talks", "SCM", "10-28", "US;ROK"),
          ("summit", "Singapore summit", "06-12", "US;DPRK")]
START = "2017-01-01"


def dyads() -> list[str]:
    out = []
    for a, b, _ in RELATIONS:
        out += [f"{a}->{b}", f"{b}->{a}"]
    return out


def calendar(start: str = START, days: int = 365) -> pd.DataFrame:
    first, last = pd.Timestamp(start), pd.Timestamp(start) + pd.Timedelta(days=days - 1)
    rows = []
    for year in range(first.year, last.year + 1):
        for name, s, e in DRILLS:
            rows.append({"kind": "drill", "name": f"{name} {year}", "start": f"{year}-{s}", "end": f"{year}-{e}",
                         "participants": "US;ROK", "detail": "scale=1.0"})
        for kind, name, d, who in POINTS:
            rows.append({"kind": kind, "name": name, "start": f"{year}-{d}", "end": f"{year}-{d}",
                         "participants": who, "detail": ""})
    frame = pd.DataFrame(rows)
    keep = (pd.to_datetime(frame["start"]) <= last) & (pd.to_datetime(frame["end"]) >= first)
    return frame[keep].reset_index(drop=True)


def _drill_mask(dates: pd.DatetimeIndex, cal: pd.DataFrame) -> np.ndarray:
    mask = np.zeros(len(dates), bool)
    for row in cal[cal["kind"] == "drill"].itertuples():
        mask |= (dates >= pd.Timestamp(row.start)) & (dates <= pd.Timestamp(row.end))
    return mask


def daily(rng: np.random.Generator, days: int, cal: pd.DataFrame, drill_effect: float = 12.0,
          start: str = START) -> tuple[pd.DataFrame, pd.DataFrame]:
    dates = pd.date_range(start, periods=days, freq="D")
    drill = _drill_mask(dates, cal)
    level = np.empty(days)
    x = 15.0
    for t in range(days):
        x += 0.08 * (18.0 + drill_effect * drill[t] - x) + rng.normal(0, 1.6)
        level[t] = x
    index = np.clip(level, 0, 100)
    ladder_level = np.searchsorted([r["upper"] for r in LADDER[:-1]], index, side="right")
    test = rng.random(days) < 0.02 + 0.04 * drill
    missiles = np.where(test, rng.integers(1, 5, days), 0)
    frame = pd.DataFrame({
        "date": dates, "day": np.arange(days), "escalation_index": index,
        "ladder_level": ladder_level.astype(int), "ladder_rung": [LADDER[i]["name"] for i in ladder_level],
        "test_day": test, "missiles": missiles.astype(int), "sanctions": np.linspace(0.3, 0.6, days),
        "dialogue_state": np.where(index < 12, 1, 0), "orientation": "progressive",
        "public_dialogue_share": 0.55, "cooperation": 0.2, "provocation_stock": np.cumsum(missiles) * 0.1,
        "domestic_support": 0.7, "drill_active": drill,
    })
    for actor in ACTORS:
        frame[f"actions_{actor}"] = rng.poisson(0.3, days)
        frame[f"readiness_{actor}"] = np.clip(0.3 + index / 200 + rng.normal(0, 0.02, days), 0, 1)
    for i, dyad in enumerate(dyads()):
        hostile = any(dyad.startswith(a) and dyad.endswith(b) or dyad.startswith(b) and dyad.endswith(a)
                      for a, b, k in RELATIONS if k == "adversary")
        base = index / 40 * (1.0 + 0.1 * (i % 3)) if hostile else -0.2 + 0.01 * index / 10
        frame[f"tension_{dyad}"] = base + rng.normal(0, 0.03, days)
    for a, b, k in RELATIONS:
        if k == "alliance":
            frame[f"cohesion_{'-'.join(sorted((a, b)))}"] = np.clip(0.8 - index / 500, 0, 1)
    for k in CLASSES:
        frame[f"capability_{k}"] = np.linspace(0.2, 0.6, days)
    return frame, events(rng, frame)


def events(rng: np.random.Generator, day: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for row in day.loc[day["test_day"], ["date", "day", "missiles"]].itertuples():  # only the columns read
        cls = rng.choice(CLASSES, p=[0.5, 0.2, 0.1, 0.1, 0.1])
        rows.append(("DPRK", "missile_test", "US", cls, int(row.missiles), row.date, row.day, 5.0, "policy"))
    for actor, action, target, rate in [("DPRK", "threat", "ROK", 0.02), ("US", "show_of_force", "DPRK", 0.01),
                                        ("ROK", "condemn", "DPRK", 0.02), ("Japan", "condemn", "DPRK", 0.01),
                                        ("China", "dialogue_offer", "DPRK", 0.005), ("Russia", "veto", "UN", 0.003),
                                        ("US", "sanction", "DPRK", 0.005), ("DPRK", "nuclear_test", "", 0.001)]:
        for r in day.loc[rng.random(len(day)) < rate, ["date", "day"]].itertuples():
            rows.append((actor, action, target, "", 0, r.date, r.day, -2.0 if action == "dialogue_offer" else 2.0, "policy"))
    frame = pd.DataFrame(rows, columns=["actor", "action", "target", "missile_class", "salvo", "date", "day",
                                        "score", "source"])
    frame["success"] = True
    frame["goldstein"] = -frame["score"]
    frame["reason"] = "synthetic"
    cols = ["date", "day", "actor", "action", "target", "missile_class", "salvo", "success", "goldstein",
            "score", "source", "reason"]
    return frame[cols].sort_values(["date", "actor"]).reset_index(drop=True)


def summary_row(day: pd.DataFrame, ev: pd.DataFrame) -> dict:
    out = {"peak_escalation": float(day["escalation_index"].max()),
           "mean_escalation": float(day["escalation_index"].mean()),
           "final_escalation": float(day["escalation_index"].iat[-1])}
    for lvl in range(7):
        out[f"days_level_{lvl}"] = int((day["ladder_level"] == lvl).sum())
    out["test_days"] = int(day["test_day"].sum())
    out["missiles"] = int(day["missiles"].sum())
    for k in CLASSES:
        out[f"missiles_{k}"] = int(ev.loc[ev["missile_class"] == k, "salvo"].sum())
    tests = day.index[day["test_day"]]
    out.update({"nuclear_tests": int((ev["action"] == "nuclear_test").sum()), "sanctions_adopted": 1,
                "sanctions_vetoed": 0, "dialogue_episodes": 1, "summits": 1,
                "time_to_first_launch": float(day["day"].iat[tests[0]]) if len(tests) else float("nan"),
                "armed_clash": bool(day["escalation_index"].max() > 85), "final_sanctions": 0.6,
                "final_capability_ICBM": 0.6, "mean_tension_provocateur": float(day["tension_DPRK->US"].mean())})
    return out


def _manifest(**extra) -> dict:
    base = {"actors": ACTORS, "dyads": [{"a": a, "b": b, "kind": k} for a, b, k in RELATIONS], "ladder": LADDER,
            "versions": {"package": "0.1.0"}, "status": "ok"}
    base.update(extra)
    return base


def make_run(path: Path, days: int = 365, seed: int = 1, scenario: str = "baseline") -> Path:
    path.mkdir(parents=True, exist_ok=True)
    cal = calendar(days=days)
    day, ev = daily(np.random.default_rng(seed), days, cal)
    day.to_parquet(path / "daily.parquet")
    ev.to_parquet(path / "events.parquet")
    cal.to_csv(path / "calendar.csv", index=False)
    (path / "summary.json").write_text(json.dumps(summary_row(day, ev)))
    (path / "manifest.json").write_text(json.dumps(_manifest(
        scenario=scenario, description="synthetic", seed=seed, days=days, start=START)))
    return path


def make_batch(path: Path, scenarios: tuple[str, ...] = ("baseline", "drills_suspended"), replications: int = 8,
               days: int = 365, ladder: bool = True) -> Path:
    (path / "calendar").mkdir(parents=True, exist_ok=True)
    runs, summaries, dailies, evs = [], [], [], []
    for s_idx, scen in enumerate(scenarios):
        cal = calendar(days=days)
        if scen == "drills_suspended":
            cal = cal[cal["kind"] != "drill"]
        cal.to_csv(path / "calendar" / f"{scen}.csv", index=False)
        for rep in range(replications):
            rng = np.random.default_rng(1000 + rep)  # common random numbers across scenarios
            day, ev = daily(rng, days, calendar(days=days), drill_effect=12.0 - 9.0 * s_idx)
            ids = {"run_id": f"{scen}-{rep:03d}", "scenario": scen, "replication": rep}
            runs.append({**ids, "root_seed": 7, "spawn_key": f"[{rep}]", "status": "ok"})
            summaries.append({**runs[-1], **summary_row(day, ev)})
            dailies.append(day.assign(**ids))
            evs.append(ev.assign(**ids))
    _write_parts(path, runs, summaries, dailies, evs)
    extra = {"ladder": LADDER} if ladder else {"ladder": None}
    (path / "manifest.json").write_text(json.dumps({**_manifest(
        scenarios={s: "hash" for s in scenarios}, root_seed=7, replications=replications, design=None,
        start=START, failed_runs=[]), **extra}))
    return path


def _write_parts(path: Path, runs: list, summaries: list, dailies: list, evs: list) -> None:
    for name in ("runs", "summary", "daily", "events"):
        (path / name).mkdir(parents=True, exist_ok=True)
    pd.DataFrame(runs).to_parquet(path / "runs" / "part-0.parquet")
    half = len(summaries) // 2 or 1
    for i, chunk in enumerate((summaries[:half], summaries[half:])):
        if chunk:
            pd.DataFrame(chunk).to_parquet(path / "summary" / f"part-{i}.parquet")
    pd.concat(dailies[:half]).to_parquet(path / "daily" / "part-0.parquet")
    if dailies[half:]:
        pd.concat(dailies[half:]).to_parquet(path / "daily" / "part-1.parquet")
    pd.concat(evs).to_parquet(path / "events" / "part-0.parquet")


def make_sweep(path: Path, design: str = "lhs", points: int = 60, replications: int = 2,
               sensitivity: str | None = "sobol") -> Path:
    """A sweep over two continuous parameters and one grid-like one; outcomes are smooth functions of them."""
    path.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(3)
    params = {"dynamics.noise": rng.uniform(0, 0.1, points), "actors.DPRK.restraint": rng.uniform(0.01, 0.2, points),
              "world.sanctions": rng.choice([0.1, 0.3, 0.5, 0.7], points)}
    frame = pd.DataFrame(params)
    frame.insert(0, "design_point", np.arange(points))
    frame.to_parquet(path / "design.parquet")
    rows = []
    for pt in frame.itertuples(index=False):
        for rep in range(replications):
            peak = 40 + 300 * pt[1] - 120 * pt[2] + 20 * pt[3] + rng.normal(0, 4)
            rows.append({"run_id": f"sweep-{pt[0]:04d}-{rep}", "scenario": "baseline", "replication": rep,
                         "design_point": pt[0], "root_seed": 7, "spawn_key": "[]", "status": "ok",
                         "dynamics.noise": pt[1], "actors.DPRK.restraint": pt[2], "world.sanctions": pt[3],
                         "peak_escalation": peak, "mean_escalation": peak / 2, "missiles": int(max(peak, 0) // 3)})
    (path / "summary").mkdir(exist_ok=True)
    (path / "runs").mkdir(exist_ok=True)
    pd.DataFrame(rows).to_parquet(path / "summary" / "part-0.parquet")
    pd.DataFrame(rows)[["run_id", "scenario", "replication", "design_point", "status"]].to_parquet(
        path / "runs" / "part-0.parquet")
    if sensitivity:
        _sensitivity(path, sensitivity, list(params))
    (path / "manifest.json").write_text(json.dumps(_manifest(
        kind="sweep", scenarios={"baseline": "hash"}, design={"kind": design, "points": points}, root_seed=7,
        replications=replications)))
    return path


def _sensitivity(path: Path, method: str, params: list[str]) -> None:
    indices = {"sobol": [("S1", [0.45, 0.30, 0.05]), ("ST", [0.55, 0.40, 0.08])],
               "morris": [("mu_star", [12.0, 8.0, 1.5]), ("sigma", [3.0, 2.5, 0.4])]}[method]
    rows = [{"parameter": p, "outcome": out, "index": idx, "value": v[i] * (1 if out == "peak_escalation" else 0.5),
             "conf": 0.1 * v[i]}
            for out in ("peak_escalation", "missiles") for idx, v in indices for i, p in enumerate(params)]
    pd.DataFrame(rows).to_csv(path / "sensitivity.csv", index=False)
