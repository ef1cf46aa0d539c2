"""Tests of the packaged historical data and of the calendar built from it.

They pin the facts the ``historical_2010_2019`` scenario relies on (the 2018 summer exercise
was suspended, 2017-09-11 brought sectoral sanctions, 2018 had three inter-Korean summits and
Singapore) and guard the out-of-sample rule: no observed launch after 2019 may be packaged.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources

import pandas as pd
import pytest
from pydantic import TypeAdapter

from sim import data
from sim.schema.calendar import CalendarEvent, HistoricalCalendar
from sim.schema.historical import historical_calendar as _build
from sim.schema.scenario import Scenario

START, END = dt.date(2010, 1, 1), dt.date(2019, 12, 31)
ACTORS = {"DPRK": "provocateur", "ROK": "ally", "US": "ally", "Japan": "ally", "Russia": "patron"}
LAST_OBSERVED = pd.Timestamp("2019-12-31")


def historical_calendar(start, end, include=None, actors=None) -> list[dict]:
    spec = HistoricalCalendar(start=start, end=end, **({"include": list(include)} if include else {}))
    return _build(spec, actors={a: {"role": r} for a, r in (actors or ACTORS).items()})


def _scenario(entries: list[dict], start: dt.date = START, end: dt.date = END) -> Scenario:
    actors = {name: {"role": role, "veto": name == "Russia"} for name, role in ACTORS.items()}
    return Scenario(name="historical_test", description="calendar check", start=start, end=end,
                    actors=actors, calendar=entries, roles={"leverage": "US", "front_line": "ROK"})


def _span(entry: dict) -> tuple[dt.date, dt.date]:
    first = entry.get("date", entry.get("start"))
    return first, entry.get("end") or first


@pytest.fixture(scope="module")
def calendar() -> list[dict]:
    return historical_calendar(START, END)


def test_entries_overlap_the_window(calendar):
    assert calendar
    for entry in calendar:
        first, last = _span(entry)
        assert first <= END and last >= START, entry


def test_narrow_window_keeps_spans_that_overlap_it():
    window = (dt.date(2018, 4, 10), dt.date(2018, 4, 30))
    names = {e["name"] for e in historical_calendar(*window)}
    assert {"Foal Eagle 18", "Key Resolve 18"} <= names  # both overlapping rows are kept
    assert not any("Singapore" in n for n in names)
    for entry in historical_calendar(*window):
        first, last = _span(entry)
        assert first <= window[1] and last >= window[0]


def test_entries_are_sorted_by_date(calendar):
    days = [_span(e)[0] for e in calendar]
    assert days == sorted(days)


def test_every_entry_validates_against_the_union(calendar):
    adapter = TypeAdapter(CalendarEvent)
    for entry in calendar:
        adapter.validate_python(entry)
    scenario = _scenario(calendar)
    assert len(scenario.calendar) == len(calendar)


def test_full_range_with_actor_filter_builds_a_valid_scenario():
    entries = historical_calendar(dt.date(1990, 1, 1), dt.date(2026, 12, 31))
    _scenario(entries, dt.date(1990, 1, 1), dt.date(2026, 12, 31))
    vetoes = [e for e in entries if e["type"] == "sanctions_resolution" and e["outcome"] == "vetoed"]
    assert vetoes and all(e["vetoed_by"] == ["Russia"] for e in vetoes)  # China not an actor


def test_summer_2018_exercise_suspended_is_absent(calendar):
    summer_2018 = [e for e in calendar if e["type"] == "drill"
                   and dt.date(2018, 6, 1) <= e["start"] <= dt.date(2018, 12, 31)]
    assert summer_2018 == []
    assert not any("Ulchi Freedom Guardian 18" in e["name"] for e in calendar)


def test_2019_exercises_are_scaled_down_command_post(calendar):
    drills_2019 = [e for e in calendar if e["type"] == "drill" and e["start"].year == 2019]
    assert len(drills_2019) == 2
    assert all(e["scale"] == 0.5 and e["field"] is False for e in drills_2019)


def test_september_2017_resolution_is_sectoral(calendar):
    res = [e for e in calendar if e["type"] == "sanctions_resolution" and e["date"] == dt.date(2017, 9, 11)]
    assert len(res) == 1
    assert res[0]["outcome"] == "adopted" and res[0]["strength"] == 0.15
    assert "S/RES/2375" in res[0]["name"]


def test_2018_summits(calendar):
    summits = [e for e in calendar if e["type"] == "summit" and e["start"].year == 2018]
    inter_korean = [e for e in summits if sorted(e["participants"]) == ["DPRK", "ROK"]]
    assert len(inter_korean) == 3
    singapore = [e for e in summits if "Singapore" in e["name"]]
    assert len(singapore) == 1
    assert singapore[0]["participants"] == ["US", "DPRK"] and singapore[0]["outcome"] == "agreement"


def test_politics_entries(calendar):
    govs = [(e["date"], e["country"], e["orientation"]) for e in calendar if e["type"] == "government_change"]
    assert govs == [(dt.date(2013, 1, 20), "US", None), (dt.date(2013, 2, 25), "ROK", "conservative"),
                    (dt.date(2017, 1, 20), "US", None), (dt.date(2017, 5, 10), "ROK", "progressive")]
    kinds = {e["kind"] for e in calendar if e["type"] == "election"}
    assert kinds == {"presidential", "legislative", "midterm"}


def test_include_selects_sources():
    only = historical_calendar(START, END, include=("unsc",))
    assert only and {e["type"] for e in only} == {"sanctions_resolution"}
    with pytest.raises(ValueError):
        historical_calendar(START, END, include=("launches",))
    policy = historical_calendar(START, END, include=("policy",))
    assert {e["type"] for e in policy} >= {"development_line", "succession", "government_change"}


@pytest.mark.parametrize("loader, columns", [
    (data.exercises, ["start", "end"]),
    (data.diplomacy, ["start", "end"]),
    (data.unsc, ["date"]),
    (data.politics, ["start", "end"]),
    (data.observed_launches, ["date_utc"]),
    (data.observed_nuclear_tests, ["date"]),
])
def test_loaders_parse_dates(loader, columns):
    df = loader()
    assert len(df) > 0
    for col in columns:
        assert pd.api.types.is_datetime64_any_dtype(df[col]), col
        assert df[col].notna().any()


def test_observed_launch_counts_match_readme():
    launches = data.observed_launches()
    assert len(launches) == 114 and launches["date_utc"].nunique() == 68
    assert len(data.observed_nuclear_tests()) == 6


def _is_observation(name: str, df: pd.DataFrame) -> bool:
    """Observation files: named observed_* or shaped like a launch list."""
    return name.startswith("observed_") or bool({"date_utc", "missile_name", "missile_type"} & set(df.columns))


def test_no_packaged_launch_after_2019():
    csvs = [f for f in resources.files("sim.data").iterdir() if f.name.endswith(".csv")]
    assert len(csvs) >= 6
    for csv in csvs:
        with csv.open("r", encoding="utf-8") as fh:
            df = pd.read_csv(fh, dtype=str)
        if not _is_observation(csv.name, df):
            continue
        date_cols = [c for c in df.columns if "date" in c.lower()]
        assert date_cols, csv.name
        for col in date_cols:
            latest = pd.to_datetime(df[col], format="%Y-%m-%d", errors="coerce").max()
            assert latest <= LAST_OBSERVED, f"{csv.name}:{col} has {latest.date()}"
