"""Loaders for the packaged historical data (see SOURCES.md in this folder).

The CSVs are read through ``importlib.resources`` so that they are found wherever the package
is installed (editable checkout, wheel, zip), not relative to the working directory.

Two forms of each table:

* ``rows(name)`` - plain dicts from the standard library's ``csv`` module, dates as
  ``datetime.date`` (``None`` when missing), everything else as text (``""`` when missing).
  Loading a scenario with a historical calendar uses these, so ``escalation validate`` and
  ``scenarios`` do not import pandas.
* ``exercises()``, ``diplomacy()``, ... - pandas DataFrames for analysis, with date columns
  parsed to ``datetime64`` (missing dates become ``NaT``) and missing text replaced by ``""``
  so that callers can test strings without guarding against ``NaN``.
"""

from __future__ import annotations

import csv
import datetime as dt
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported by the DataFrame loaders only, when called
    import pandas as pd

__all__ = [
    "TABLES",
    "rows",
    "exercises",
    "diplomacy",
    "unsc",
    "politics",
    "observed_launches",
    "observed_nuclear_tests",
]

# name -> (file, date columns)
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "exercises": ("calendar_exercises.csv", ("start", "end")),
    "diplomacy": ("calendar_diplomacy.csv", ("start", "end")),
    "unsc": ("calendar_unsc.csv", ("date",)),
    "politics": ("calendar_politics.csv", ("start", "end")),
    "observed_launches": ("observed_dprk_missile_tests_2010_2019.csv", ("date_utc",)),
    "observed_nuclear_tests": ("observed_dprk_nuclear_tests.csv", ("date",)),
    "policy": ("calendar_dprk_policy.csv", ("start", "end")),
    "policy_coding": ("policy_coding.csv", ()),  # our coding of each policy row (start kept as text: a key)
}


def rows(name: str) -> list[dict[str, object]]:
    """One packaged table as dicts: ISO dates parsed (None if blank), other fields as text."""
    try:
        filename, dates = TABLES[name]
    except KeyError:
        raise ValueError(f"unknown data table '{name}' (choose from {', '.join(TABLES)})") from None
    with resources.files(__name__).joinpath(filename).open("r", encoding="utf-8", newline="") as fh:
        return [{k: (_date(v) if k in dates else v or "") for k, v in row.items()} for row in csv.DictReader(fh)]


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _frame(name: str, dtype: dict[str, str] | None = None) -> "pd.DataFrame":
    """Read one packaged CSV with pandas, parse its ISO dates and blank its missing text."""
    import pandas as pd

    filename, dates = TABLES[name]
    with resources.files(__name__).joinpath(filename).open("r", encoding="utf-8") as fh:
        df = pd.read_csv(fh, dtype=dtype)
    for col in dates:
        df[col] = pd.to_datetime(df[col], format="%Y-%m-%d", errors="raise")
    text = [c for c in df.columns if c not in dates and pd.api.types.is_string_dtype(df[c])]
    df[text] = df[text].fillna("")
    return df


def exercises() -> "pd.DataFrame":
    """US-ROK combined exercises 1992-2026 (start/end may be NaT when no dates were found)."""
    return _frame("exercises")


def diplomacy() -> "pd.DataFrame":
    """Six-Party Talks rounds, inter-Korean, US-DPRK and Russia-DPRK summits, breakdowns."""
    return _frame("diplomacy")


def unsc() -> "pd.DataFrame":
    """UN Security Council resolutions on the DPRK and the two vetoed drafts."""
    return _frame("unsc")


def politics() -> "pd.DataFrame":
    """US and ROK elections and administrations, plus world context rows (end NaT = ongoing)."""
    return _frame("politics")


def observed_launches() -> "pd.DataFrame":
    """One row per DPRK ballistic missile or SLV launched 2010-2019 (UTC dates; CNS/NTI)."""
    return _frame("observed_launches", dtype={"seq_in_day": "Int64"})


def observed_nuclear_tests() -> "pd.DataFrame":
    """The six DPRK nuclear tests (2006-2017)."""
    return _frame("observed_nuclear_tests")
