"""The one-row summary of a run, computed from its daily table and event log alone.

It reads frames, not the model, so batches, sweeps and analysis compute it the same way.
It runs once per run in every batch, so it works on numpy arrays rather than pandas queries.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.schema.scenario import MISSILE_CLASSES

N_LEVELS = 7
OUTCOMES = (
    "days", "peak_escalation", "mean_escalation", "final_escalation",
    *(f"days_level_{lv}" for lv in range(N_LEVELS)),
    "test_days", "missiles", *(f"missiles_{c}" for c in MISSILE_CLASSES), "nuclear_tests",
    "sanctions_adopted", "sanctions_vetoed", "unilateral_sanctions", "dialogue_episodes", "summits",
    "time_to_first_launch", "armed_clash", "final_sanctions", "final_capability_ICBM", "mean_tension_DPRK",
)


def summarize(daily: pd.DataFrame, events: pd.DataFrame, provocateur: str = "DPRK") -> dict:
    out: dict = {"days": int(len(daily))}
    out.update(_daily_part(daily, provocateur))
    out.update(_event_part(events, provocateur))
    return {k: out[k] for k in OUTCOMES}


def _daily_part(daily: pd.DataFrame, provocateur: str) -> dict:
    idx = daily["escalation_index"].to_numpy()
    if not len(idx):
        return {"peak_escalation": math.nan, "mean_escalation": math.nan, "final_escalation": math.nan,
                **{f"days_level_{lv}": 0 for lv in range(N_LEVELS)}, "dialogue_episodes": 0,
                "final_sanctions": math.nan, "final_capability_ICBM": math.nan, "mean_tension_DPRK": math.nan}
    counts = np.bincount(daily["ladder_level"].to_numpy(), minlength=N_LEVELS)
    talks = daily["dialogue_state"].to_numpy() >= 2  # an episode: a stretch of talks (or summits)
    cols = [c for c in daily.columns if c.startswith(f"tension_{provocateur}->")]
    return {
        "peak_escalation": float(idx.max()), "mean_escalation": float(idx.mean()), "final_escalation": float(idx[-1]),
        **{f"days_level_{lv}": int(counts[lv]) for lv in range(N_LEVELS)},
        "dialogue_episodes": int(talks[0] + (talks[1:] & ~talks[:-1]).sum()),
        "final_sanctions": float(daily["sanctions"].to_numpy()[-1]),
        "final_capability_ICBM": float(daily["capability_ICBM"].to_numpy()[-1]),
        "mean_tension_DPRK": float(daily[cols].to_numpy().mean()) if cols else math.nan,
    }


def _event_part(events: pd.DataFrame, provocateur: str) -> dict:
    action = events["action"].to_numpy(dtype=object)
    launch = (action == "missile_test") & (events["actor"].to_numpy(dtype=object) == provocateur)
    days = events["day"].to_numpy()[launch]
    salvo = events["salvo"].to_numpy()[launch]
    cls = events["missile_class"].to_numpy(dtype=object)[launch]
    count = lambda kind: int((action == kind).sum())
    return {
        "test_days": int(len(np.unique(days))), "missiles": int(salvo.sum()),
        **{f"missiles_{c}": int(salvo[cls == c].sum()) for c in MISSILE_CLASSES},
        "nuclear_tests": count("nuclear_test"), "sanctions_adopted": count("un_sanctions_adopted"),
        "sanctions_vetoed": count("un_sanctions_vetoed"), "unilateral_sanctions": count("unilateral_sanctions"),
        "summits": count("summit"), "time_to_first_launch": float(days.min()) if len(days) else math.nan,
        "armed_clash": bool(count("armed_clash")),
    }
