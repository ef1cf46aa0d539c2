"""Loaders for the packaged historical data (see SOURCES.md in this folder).

The CSVs are read through ``importlib.resources`` so that they are found wherever the package
is installed (editable checkout, wheel, zip), not relative to the working directory. Each
loader returns a fresh DataFrame, with date columns parsed to ``datetime64`` (missing dates
become ``NaT``) and missing text replaced by ``""`` so that callers can test strings without
guarding against ``NaN``.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

__all__ = [
    "exercises",
    "diplomacy",
    "unsc",
    "politics",
    "observed_launches",
    "observed_nuclear_tests",
]


def _read(filename: str, date_columns: list[str], dtype: dict[str, str] | None = None) -> pd.DataFrame:
    """Read one packaged CSV, parse its ISO dates and blank its missing text."""
    with resources.files(__name__).joinpath(filename).open("r", encoding="utf-8") as fh:
        df = pd.read_csv(fh, dtype=dtype)
    for col in date_columns:
        df[col] = pd.to_datetime(df[col], format="%Y-%m-%d", errors="raise")
    text = [c for c in df.columns if c not in date_columns and pd.api.types.is_string_dtype(df[c])]
    df[text] = df[text].fillna("")
    return df


def exercises() -> pd.DataFrame:
    """US-ROK combined exercises 1992-2026 (start/end may be NaT when no dates were found)."""
    return _read("calendar_exercises.csv", ["start", "end"])


def diplomacy() -> pd.DataFrame:
    """Six-Party Talks rounds, inter-Korean, US-DPRK and Russia-DPRK summits, breakdowns."""
    return _read("calendar_diplomacy.csv", ["start", "end"])


def unsc() -> pd.DataFrame:
    """UN Security Council resolutions on the DPRK and the two vetoed drafts."""
    return _read("calendar_unsc.csv", ["date"])


def politics() -> pd.DataFrame:
    """US and ROK elections and administrations, plus world context rows (end NaT = ongoing)."""
    return _read("calendar_politics.csv", ["start", "end"])


def observed_launches() -> pd.DataFrame:
    """One row per DPRK ballistic missile or SLV launched 2010-2019 (UTC dates; CNS/NTI)."""
    return _read("observed_dprk_missile_tests_2010_2019.csv", ["date_utc"], dtype={"seq_in_day": "Int64"})


def observed_nuclear_tests() -> pd.DataFrame:
    """The six DPRK nuclear tests (2006-2017)."""
    return _read("observed_dprk_nuclear_tests.csv", ["date"])
