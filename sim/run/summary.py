"""The summary outcomes every run reports (docs/RESULTS.md, "summary outcomes").

They are computed from the model's running arrays (``sim.run.tables.summaries``), never from
the daily table, so a batch that keeps only summaries builds no table.
"""

from __future__ import annotations

from sim.model.ladder import N_LEVELS
from sim.schema.params import MISSILE_CLASSES

OUTCOMES = (
    "days", "peak_escalation", "mean_escalation", "final_escalation",
    *(f"days_level_{lv}" for lv in range(N_LEVELS)),
    "test_days", "missiles", *(f"missiles_{c}" for c in MISSILE_CLASSES), "nuclear_tests",
    "sanctions_adopted", "sanctions_vetoed", "unilateral_sanctions", "dialogue_episodes", "summits",
    "time_to_first_launch", "armed_clash", "final_sanctions", "final_capability_ICBM", "mean_tension_provocateur",
)
