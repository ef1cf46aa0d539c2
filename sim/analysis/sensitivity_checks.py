"""Is a Sobol or Morris result meaningful, or was its sample too small? Plain checks on the table.

Sobol indices are shares of variance: S1 and ST lie in [0, 1], S1 <= ST, and the S1 of all
parameters add up to at most 1. An estimate that breaks these beyond its own confidence interval,
or whose interval is wider than the index itself, comes from too few samples (or too noisy an
outcome). Morris mu* is a mean absolute effect, so it is never negative: an interval that reaches
below zero for an influential parameter says the same. These checks read only the tidy table
(`parameter, outcome, index, value, conf[, note]`) that `sim.run.sensitivity` writes, so they
serve the runner (the note column), the figure and the command line alike.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SUM_S1_TOLERANCE = 0.1  # sum of S1 above 1.1 is more than estimation noise
WIDE = 0.1              # a Sobol interval is only "too wide" when its half-width is also above this
MORRIS_SHARE = 0.1      # mu* of at least this share of the largest counts as influential
ADVICE = "too few samples for these indices to be meaningful: rerun with more samples (or replications)"


def _rows(frame: pd.DataFrame, index: str) -> pd.DataFrame:
    rows = frame[frame["index"] == index]
    return rows[rows["value"].notna()]


def _conf(rows: pd.DataFrame) -> pd.Series:
    return rows["conf"].fillna(0.0).abs() if "conf" in rows else pd.Series(0.0, index=rows.index)


def sobol_problems(frame: pd.DataFrame) -> list[str]:
    """Findings for the Sobol rows of one outcome (empty if the indices look sound)."""
    out = []
    for idx in ("S1", "ST"):
        rows = _rows(frame, idx)
        conf = _conf(rows)
        for r, c in zip(rows.itertuples(), conf):
            if r.value - c > 1:
                out.append(f"{idx} of {r.parameter} = {r.value:.2f} > 1 beyond its interval (±{c:.2f})")
            elif r.value + c < 0:
                out.append(f"{idx} of {r.parameter} = {r.value:.2f} < 0 beyond its interval (±{c:.2f})")
            elif c > abs(r.value) and c > WIDE:
                out.append(f"{idx} of {r.parameter}: interval ±{c:.2f} wider than the index {r.value:.2f}")
    s1 = _rows(frame, "S1")
    total = float(s1["value"].sum()) if len(s1) else 0.0
    if total > 1 + SUM_S1_TOLERANCE:
        out.append(f"the S1 add up to {total:.2f} > 1")
    st = _rows(frame, "ST").set_index("parameter")
    for r, c in zip(s1.itertuples(), _conf(s1)):
        if r.parameter in st.index:
            st_value = float(st.loc[r.parameter, "value"])
            st_conf = float(abs(st.loc[r.parameter, "conf"])) if "conf" in st and pd.notna(st.loc[r.parameter, "conf"]) else 0.0
            if st_value + st_conf < r.value - c:
                out.append(f"ST of {r.parameter} ({st_value:.2f}) below its S1 ({r.value:.2f}) beyond their intervals")
    return out


def morris_problems(frame: pd.DataFrame) -> list[str]:
    """Findings for the Morris rows of one outcome (empty if the indices look sound)."""
    rows = _rows(frame, "mu_star")
    if rows.empty:
        return []
    top = float(rows["value"].abs().max())
    out = []
    for r, c in zip(rows.itertuples(), _conf(rows)):
        if r.value - c < 0 and r.value >= MORRIS_SHARE * top and top > 0:
            out.append(f"mu* of {r.parameter} = {r.value:.3g}: its interval (±{c:.3g}) reaches below zero")
    return out


def problems(frame: pd.DataFrame) -> dict[str, list[str]]:
    """Findings per outcome of a whole sensitivity table (outcomes without findings left out)."""
    found = {}
    for outcome, sub in frame.groupby("outcome", sort=False):
        items = sobol_problems(sub) + morris_problems(sub)
        if items:
            found[str(outcome)] = items
    return found


def note(items: list[str]) -> str:
    """The one-line note for a table row: the advice and what showed it."""
    return f"{ADVICE} ({'; '.join(items)})" if items else ""


def with_notes(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with each outcome's findings added to the `note` of its rows (kept notes stay first)."""
    frame = frame.copy()
    if "note" not in frame:
        frame["note"] = ""
    found = problems(frame)
    notes = frame["note"].fillna("").astype(str)
    extra = frame["outcome"].astype(str).map(lambda o: note(found.get(o, [])))
    joined = [f"{a}; {b}" if a and b else a or b for a, b in zip(notes, extra)]
    frame["note"] = np.array(joined, dtype=object)
    return frame


def warning_lines(frame: pd.DataFrame | None) -> list[str]:
    """One line per outcome whose indices are not meaningful, for the command line."""
    if frame is None or len(frame) == 0:
        return []
    return [f"sensitivity of {outcome}: {note(items)}" for outcome, items in problems(frame).items()]
