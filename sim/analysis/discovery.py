"""Scenario discovery: which combinations of swept parameters lead to the outcome of interest?

`escalation discover RESULTS --outcome peak_escalation --above 60` marks each run of a sweep (or
of an experiment's sweeps) as "of interest" or not, and describes the runs of interest by boxes
in parameter space, as EMA Workbench does: PRIM (Friedman & Fisher 1999; EMA's `prim.Prim`)
peels the parameter space into a box of high density, and the peeling trajectory shows the
trade-off between coverage (the share of all runs of interest that fall in the box) and density
(the share of the box's runs that are of interest). CART (EMA's `cart.CART`, a scikit-learn
decision tree) is the alternative: its leaves are boxes too.

The box chosen from a trajectory is the densest one whose coverage is still at least
`min_coverage` (0.8 by default); ties go to the larger coverage. EMA Workbench is imported only
here and only when discovery runs, so other commands do not pay for it.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.labels import scenario_content
from sim.analysis.memory import open_results
from sim.analysis.results import ID_COLUMNS, ResultsError

METHODS = ("prim", "cart")
FOLDER = "discovery"


@dataclass
class Discovery:
    """Boxes found for `rule` over `n` runs (`n_interest` of interest)."""

    method: str
    outcome: str
    rule: str
    n: int
    n_interest: int
    stats: pd.DataFrame          # one row per box: box, coverage, density, mass, res_dim, n, k, step
    limits: pd.DataFrame         # box, parameter, lower, upper, restricted, qp_lower, qp_upper
    trajectory: pd.DataFrame     # box, step, coverage, density, mass, res_dim, chosen (CART: leaves)
    bounds: dict[str, tuple[float, float]]
    content: dict | None = field(default=None, repr=False)


# ---- input -------------------------------------------------------------------------------------
def experiments_table(source: Any) -> tuple[pd.DataFrame, list[str], dict | None]:
    """(one row per successful run with parameters and outcomes, parameter columns, scenario content)
    from a sweep folder, an experiment folder of per-scenario sweeps, or a sweep result in memory."""
    path = Path(source) if isinstance(source, (str, Path)) else None
    if path is not None and path.is_dir() and not (path / "manifest.json").is_file():
        parts = sorted(p for p in path.iterdir() if (p / "manifest.json").is_file())
        if not parts:
            raise ResultsError(f"{path} has no manifest.json and no result directories in it")
        tables = [experiments_table(p) for p in parts]
        params = list(dict.fromkeys(c for _, ps, _ in tables for c in ps))
        frame = pd.concat([t.assign(scenario_name=p.name) for (t, _, _), p in zip(tables, parts)], ignore_index=True)
        return frame, params + (["scenario_name"] if len(parts) > 1 else []), tables[0][2]
    res = open_results(source)
    if res.kind != "sweep":
        raise ResultsError(f"{res.path} is a {res.kind}: discovery needs swept parameters (a sweep or an experiment)")
    table = res.sweep_table()
    if "status" in table:
        table = table[table["status"] == "ok"]
    return table.reset_index(drop=True), res.parameters(), scenario_content(res.manifest)


def interest(values: pd.Series, above: float | None, below: float | None, outcome: str) -> tuple[np.ndarray, str]:
    """Which runs are of interest, and the rule in words ('peak_escalation > 60')."""
    if above is None and below is None:
        raise ResultsError("say which runs are of interest: --above X and/or --below Y")
    if above is not None and below is not None and above >= below:
        raise ResultsError(f"--above {above} and --below {below} leave no value of interest")
    x = pd.to_numeric(values.astype("float64"), errors="coerce").to_numpy()
    keep = np.ones(len(x), bool)
    parts = []
    if above is not None:
        keep &= x > above
        parts.append(f"{outcome} > {above:g}")
    if below is not None:
        keep &= x < below
        parts.append(f"{outcome} < {below:g}")
    return keep, " and ".join(parts)


# ---- running ------------------------------------------------------------------------------------
def discover(source: Any, outcome: str, above: float | None = None, below: float | None = None,
             method: str = "prim", boxes: int = 1, min_coverage: float = 0.8, mass_min: float = 0.05,
             peel_alpha: float = 0.05) -> Discovery:
    """PRIM or CART boxes for the runs whose `outcome` is above/below the given thresholds."""
    if method not in METHODS:
        raise ResultsError(f"unknown method '{method}' (choose from {', '.join(METHODS)})")
    table, params, content = experiments_table(source)
    if outcome not in table:
        numeric = [c for c in table.select_dtypes("number").columns if c not in params and c not in ID_COLUMNS]
        raise ResultsError(f"no outcome '{outcome}' in the runs (outcomes: {', '.join(numeric[:15])})")
    table = table[table[outcome].notna()].reset_index(drop=True)
    x = _inputs(table, params)
    y, rule = interest(table[outcome], above, below, outcome)
    if y.all() or not y.any():
        raise ResultsError(f"{int(y.sum())} of {len(y)} runs have {rule}: nothing to tell apart")
    bounds = {c: (float(x[c].min()), float(x[c].max())) for c in x.select_dtypes("number").columns}
    ema = _ema()
    if method == "prim":
        stats, limits, traj = _prim(ema, x, y, boxes, min_coverage, mass_min, peel_alpha)
    else:
        stats, limits, traj = _cart(ema, x, y, mass_min)
    return Discovery(method, outcome, rule, len(y), int(y.sum()), stats, limits, traj, bounds, content)


def _inputs(table: pd.DataFrame, params: list[str]) -> pd.DataFrame:
    """The swept parameters as PRIM's x: numbers as floats, the rest as categories; constants out."""
    x = pd.DataFrame(index=table.index)
    for p in params:
        col = table[p]
        if col.nunique(dropna=False) < 2:
            continue
        x[p] = col.astype(float) if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col) \
            else col.astype(str).astype("category")
    if x.empty:
        raise ResultsError("no swept parameter varies across the runs")
    return x


def _ema():
    """EMA Workbench's analysis modules, imported on first use (quietly: it warns about optional parts)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import cart, prim
    return prim, cart


def _limits(box: int, lims: pd.DataFrame, init: pd.DataFrame, qp: dict | None = None) -> list[dict]:
    rows = []
    for p in lims.columns:
        lo, hi = lims[p].iloc[0], lims[p].iloc[1]
        if isinstance(lo, (set, frozenset)):
            full = init[p].iloc[0]
            rows.append({"box": box, "parameter": p, "lower": np.nan, "upper": np.nan, "values": ";".join(sorted(map(str, lo))),
                         "restricted": set(lo) != set(full), "qp_lower": np.nan, "qp_upper": np.nan})
            continue
        q = (qp or {}).get(p, [np.nan, np.nan])
        restricted = not (np.isclose(lo, init[p].iloc[0]) and np.isclose(hi, init[p].iloc[1]))
        rows.append({"box": box, "parameter": p, "lower": float(lo), "upper": float(hi), "values": "",
                     "restricted": bool(restricted), "qp_lower": _qp(q[0]), "qp_upper": _qp(q[1])})
    return rows


def _qp(value: Any) -> float:
    return np.nan if value is None or value == -1 else float(value)


def choose(traj: pd.DataFrame, min_coverage: float) -> int:
    """The densest step whose coverage is at least min_coverage (ties: larger coverage); else the
    step with the largest coverage x density."""
    ok = traj[traj["coverage"] >= min_coverage - 1e-12]
    if ok.empty:
        return int((traj["coverage"] * traj["density"]).idxmax())
    return int(ok.sort_values(["density", "coverage"], ascending=[False, False], kind="stable").index[0])


def _prim(ema, x, y, boxes, min_coverage, mass_min, peel_alpha):
    prim = ema[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runner = prim.Prim(x, y.astype(int), peel_alpha=peel_alpha, mass_min=mass_min)
        stats, limits, trajs = [], [], []
        for b in range(1, boxes + 1):
            box = runner.find_box()
            if box is None:
                break
            traj = box.peeling_trajectory[["coverage", "density", "mass", "res_dim", "n", "k"]].reset_index(drop=True)
            step = choose(traj, min_coverage)
            box.select(step)
            stats.append({"box": b, "step": step, **traj.loc[step].to_dict()})
            limits += _limits(b, box.box_lims[step], runner.box_init, box.p_values[step])
            trajs.append(traj.assign(box=b, step=traj.index, chosen=traj.index == step))
            if traj.loc[step, "density"] <= y.mean():
                break
    return _frame(stats), pd.DataFrame(limits), pd.concat(trajs, ignore_index=True)


def _cart(ema, x, y, mass_min):
    cart = ema[1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = cart.CART(x, y.astype(int), mass_min=mass_min)
        tree.build_tree()
        leaves = [dict(s) for s in tree.stats]
        init = tree.boxes[0].copy()
        for p in x.columns:  # the whole data range, for "restricted"
            init[p] = [x[p].min(), x[p].max()] if p in x.select_dtypes("number") else [set(x[p]), set(x[p])]
        found = [(i, s) for i, s in enumerate(leaves, start=1) if s["density"] > 0.5]
        stats, limits = [], []
        for i, s in found:
            res_dim = s.get("res_dim", s.get("res dim"))
            stats.append({"box": i, "step": 0, "coverage": s["coverage"], "density": s["density"], "mass": s["mass"],
                          "res_dim": res_dim, "n": int(round(s["mass"] * len(y))), "k": int(round(s["coverage"] * y.sum()))})
            limits += _limits(i, tree.boxes[i - 1], init)
    traj = pd.DataFrame([{"box": i, "step": 0, "coverage": s["coverage"], "density": s["density"], "mass": s["mass"],
                          "res_dim": s.get("res_dim", s.get("res dim")), "chosen": s["density"] > 0.5}
                         for i, s in enumerate(leaves, start=1)])
    return _frame(stats).sort_values("coverage", ascending=False, kind="stable"), pd.DataFrame(limits), traj


def _frame(rows: list[dict]) -> pd.DataFrame:
    cols = ["box", "step", "coverage", "density", "mass", "res_dim", "n", "k"]
    frame = pd.DataFrame(rows, columns=cols)
    return frame.astype({"box": int, "step": int}) if len(frame) else frame


# ---- output -------------------------------------------------------------------------------------
def describe(d: Discovery, box: int) -> str:
    """'DPRK drill_response ≥ 1.9 and drill scale (all drills) ≥ 1.3' for one box."""
    from sim.analysis.labels import param_label

    parts = []
    for r in d.limits[(d.limits["box"] == box) & d.limits["restricted"]].itertuples():
        name = param_label(r.parameter, d.content)
        if r.values:
            parts.append(f"{name} in {{{r.values.replace(';', ', ')}}}")
            continue
        lo, hi = d.bounds.get(r.parameter, (np.nan, np.nan))
        low_cut, high_cut = r.lower > lo + 1e-12, r.upper < hi - 1e-12
        if low_cut and high_cut:
            parts.append(f"{r.lower:.3g} ≤ {name} ≤ {r.upper:.3g}")
        elif low_cut:
            parts.append(f"{name} ≥ {r.lower:.3g}")
        elif high_cut:
            parts.append(f"{name} ≤ {r.upper:.3g}")
    return " and ".join(parts) or "the whole space (no restriction)"


def write(d: Discovery, out: str | Path) -> list[Path]:
    """boxes.csv, limits.csv, trajectory.csv, discovery.json and the two figures, into `out`."""
    from sim.analysis.plots_discovery import box_figure, peeling_figure
    from sim.analysis.style import save_figure

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stats = d.stats.assign(description=[describe(d, b) for b in d.stats["box"]])
    files = {"boxes.csv": stats, "limits.csv": d.limits, "trajectory.csv": d.trajectory}
    written = []
    for name, frame in files.items():
        frame.to_csv(out / name, index=False)
        written.append(out / name)
    meta = {"method": d.method, "outcome": d.outcome, "rule": d.rule, "runs": d.n, "runs_of_interest": d.n_interest,
            "bounds": d.bounds, "boxes": len(d.stats), "files": [p.name for p in written] + ["peeling.png", "box.png"]}
    written.append(save_figure(peeling_figure(d), out / "peeling.png"))
    written.append(save_figure(box_figure(d), out / "box.png"))
    (out / "discovery.json").write_text(json.dumps(meta, indent=1))
    return written + [out / "discovery.json"]
