"""The one-row summary of a run, computed from its daily table and event log alone.

It reads frames, not the model, so batches, sweeps and analysis compute it the same way.
"""

from __future__ import annotations

import math

import pandas as pd

MISSILE_CLASSES = ("SRBM", "MRBM_IRBM", "ICBM", "SLBM", "HYPERSONIC")
N_LEVELS = 7
OUTCOMES = (
    "days", "peak_escalation", "mean_escalation", "final_escalation",
    *(f"days_level_{lv}" for lv in range(N_LEVELS)),
    "test_days", "missiles", *(f"missiles_{c}" for c in MISSILE_CLASSES), "nuclear_tests",
    "sanctions_adopted", "sanctions_vetoed", "unilateral_sanctions", "dialogue_episodes", "summits",
    "time_to_first_launch", "armed_clash", "final_sanctions", "final_capability_ICBM", "mean_tension_DPRK",
)


def summarize(daily: pd.DataFrame, events: pd.DataFrame, provocateur: str = "DPRK") -> dict:
    idx = daily["escalation_index"].to_numpy()
    levels = daily["ladder_level"].to_numpy()
    out: dict = {
        "days": int(len(daily)),
        "peak_escalation": float(idx.max()) if len(idx) else math.nan,
        "mean_escalation": float(idx.mean()) if len(idx) else math.nan,
        "final_escalation": float(idx[-1]) if len(idx) else math.nan,
    }
    for lv in range(N_LEVELS):
        out[f"days_level_{lv}"] = int((levels == lv).sum())
    launches = events[(events["action"] == "missile_test") & (events["actor"] == provocateur)]
    out["test_days"] = int(launches["day"].nunique())
    out["missiles"] = int(launches["salvo"].sum())
    for cls in MISSILE_CLASSES:
        out[f"missiles_{cls}"] = int(launches.loc[launches["missile_class"] == cls, "salvo"].sum())
    acts = events["action"]
    out["nuclear_tests"] = int((acts == "nuclear_test").sum())
    out["sanctions_adopted"] = int((acts == "un_sanctions_adopted").sum())
    out["sanctions_vetoed"] = int((acts == "un_sanctions_vetoed").sum())
    out["unilateral_sanctions"] = int((acts == "unilateral_sanctions").sum())
    talks = daily["dialogue_state"].to_numpy() >= 2  # an episode: a stretch of talks (or summits)
    out["dialogue_episodes"] = int(talks[:1].sum() + (talks[1:] & ~talks[:-1]).sum())
    out["summits"] = int((acts == "summit").sum())
    out["time_to_first_launch"] = float(launches["day"].min()) if len(launches) else math.nan
    out["armed_clash"] = bool((acts == "armed_clash").any())
    out["final_sanctions"] = float(daily["sanctions"].iloc[-1]) if len(daily) else math.nan
    out["final_capability_ICBM"] = float(daily["capability_ICBM"].iloc[-1]) if len(daily) else math.nan
    cols = [c for c in daily.columns if c.startswith(f"tension_{provocateur}->")]
    out["mean_tension_DPRK"] = float(daily[cols].to_numpy().mean()) if cols and len(daily) else math.nan
    return out
