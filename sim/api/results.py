"""What the notebook API returns: a run, a batch or a sweep that says what it is when printed.

A result printed in a terminal or shown in Jupyter should answer the first questions at a
glance (which scenario, which seed, how high did it escalate, where are the files) instead
of `<RunResult object at 0x...>`. The tables stay pandas DataFrames, as attributes.

Batch and sweep results follow EMA Workbench's contract: `experiments` has one row per run
(the scenario, replication, seed and, for sweeps, the design point and parameter values)
and `outcomes` one row per run in the same order (the summary outcomes of docs/RESULTS.md),
so ``experiments, outcomes = result`` unpacks them. Daily tables and event logs of many
runs can be large, so they are read from the results folder only when asked for.
"""

from __future__ import annotations

import html
import json
from functools import cached_property
from pathlib import Path
from typing import Any, Iterator

HEADLINE = ("peak_escalation", "mean_escalation", "test_days", "missiles", "armed_clash")


class Run:
    """One run: `daily`, `events`, `calendar` (DataFrames), `summary` (dict), `manifest`.

    Wraps the engine's RunResult (`.result`), so everything written for runs of the command
    line (e.g. `save`, which writes the files of `escalation run`) works on it too.
    """

    def __init__(self, result: Any, scenario: Any, seed: Any, overrides: dict[str, Any]) -> None:
        self.result, self.scenario, self.seed, self.overrides = result, scenario, seed, overrides

    daily = property(lambda self: self.result.daily, doc="one row per day (docs/RESULTS.md)")
    events = property(lambda self: self.result.events, doc="one row per action or event")
    summary = property(lambda self: self.result.summary, doc="the summary outcomes, a dict")
    calendar = property(lambda self: self.result.calendar, doc="the scenario's calendar entries")
    manifest = property(lambda self: self.result.manifest, doc="what was run, with versions")

    def save(self, out: str | Path) -> Path:
        """Write the files `escalation run` writes (tables, summary, manifest) into `out`."""
        from sim.run.single import write_run

        days = f", days={len(self.daily)}"
        changes = f", overrides={self.overrides!r}" if self.overrides else ""
        call = f"korea_escalation.simulate({self.scenario.name!r}, seed={self.seed!r}{days}{changes})"
        write_run(self.result, Path(out), command=call)
        return Path(out)

    def _facts(self) -> list[tuple[str, str]]:
        s, daily = self.summary, self.daily
        first, last = (str(daily["date"].iloc[i])[:10] for i in (0, -1)) if len(daily) else ("-", "-")
        rung = daily["ladder_rung"].iloc[int(daily["escalation_index"].to_numpy().argmax())] if len(daily) else "-"
        facts = [("scenario", self.scenario.name), ("seed", str(self.seed)),
                 ("days", f"{s['days']} ({first} to {last})"),
                 ("peak escalation", f"{s['peak_escalation']:.1f} ({rung}); mean {s['mean_escalation']:.1f}"),
                 ("launches", f"{s['test_days']} test days, {s['missiles']} missiles, {s['nuclear_tests']} nuclear tests"),
                 ("UN sanctions", f"{s['sanctions_adopted']} adopted, {s['sanctions_vetoed']} vetoed"),
                 ("armed clash", "yes" if s["armed_clash"] else "no")]
        if self.overrides:
            facts.insert(2, ("overrides", ", ".join(f"{k} = {v!r}" for k, v in self.overrides.items())))
        return facts

    def _tables(self) -> str:
        return (f".daily {self.daily.shape[0]} x {self.daily.shape[1]}, .events {self.events.shape[0]} rows, "
                f".summary {len(self.summary)} outcomes")

    def __repr__(self) -> str:
        lines = [f"Run of '{self.scenario.name}'"] + [f"  {k:16s}{v}" for k, v in self._facts()[1:]]
        return "\n".join(lines + [f"  {'tables':16s}{self._tables()}"])

    def _repr_html_(self) -> str:
        return _html_block(f"Run of '{self.scenario.name}'", _html_pairs(self._facts()[1:]), self._tables())


class Batch:
    """Many runs in a results folder: `experiments` and `outcomes` (one row per run, same order)."""

    kind = "Batch"

    def __init__(self, folder: Path, outcome: Any) -> None:
        self.folder, self.outcome = Path(folder), outcome

    @property
    def status(self) -> str:
        return self.outcome.status

    @property
    def failures(self) -> list[dict[str, Any]]:
        return self.outcome.failures

    @cached_property
    def experiments(self):
        """The experiments table (runs/runs.parquet), indexed by run_id."""
        import pandas as pd

        return pd.read_parquet(self.folder / "runs" / "runs.parquet").set_index("run_id").sort_index()

    @cached_property
    def outcomes(self):
        """The summary outcomes, indexed by run_id like `experiments` (NaN for failed runs)."""
        from sim.run.batch import read_table
        from sim.run.sweep import known_outcomes

        summary = read_table(self.folder, "summary")
        names = [c for c in known_outcomes() if c in summary.columns]
        if "run_id" not in summary.columns:
            return summary.reindex(index=self.experiments.index, columns=names)
        return summary.set_index("run_id")[names].reindex(self.experiments.index)

    @cached_property
    def daily(self):
        """Every run's daily table behind its run columns (read from the folder on first use)."""
        from sim.run.batch import read_table

        return read_table(self.folder, "daily")

    @cached_property
    def events(self):
        """Every run's event log behind its run columns (read from the folder on first use)."""
        from sim.run.batch import read_table

        return read_table(self.folder, "events")

    @cached_property
    def manifest(self) -> dict[str, Any]:
        return json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))

    def __iter__(self) -> Iterator[Any]:
        """``experiments, outcomes = result``, as EMA Workbench's perform_experiments returns."""
        return iter((self.experiments, self.outcomes))

    def table(self, by: str = "scenario", outcomes: tuple[str, ...] = HEADLINE):
        """Mean and standard deviation of headline outcomes per `by` (scenario or design point)."""
        frame = self.experiments[[by]].join(self.outcomes[list(outcomes)].astype("float64"))
        stats = frame.groupby(by, sort=False).agg(["mean", "std"])
        stats.insert(0, ("runs", "n"), frame.groupby(by, sort=False).size())
        return stats

    def _display(self):
        """The per-scenario table as a person reads it: mean ± sd, and clashes as a share of runs."""
        import pandas as pd

        stats = self.table()
        shown = pd.DataFrame({"runs": stats[("runs", "n")]})
        for name in HEADLINE:
            mean, sd = stats[(name, "mean")], stats[(name, "std")]
            label = name.replace("_", " ")
            if name == "armed_clash":
                shown["runs with a clash"] = [f"{m:.0%}" for m in mean]
            else:
                shown[label] = [f"{m:.1f} ± {d:.1f}" if d == d else f"{m:.1f}" for m, d in zip(mean, sd)]
        return shown

    def _headline(self) -> str:
        exp = self.experiments
        n_sc = exp["scenario"].nunique() if len(exp) else 0
        reps = exp["replication"].nunique() if len(exp) else 0
        fails = f", {len(self.failures)} failed" if self.failures else ""
        return (f"{self.kind} of {len(exp)} runs ({n_sc} scenario{'s' * (n_sc != 1)} x {reps} replication"
                f"{'s' * (reps != 1)}, root seed {self.manifest.get('root_seed', '?')}): {self.status}{fails}")

    def _footer(self) -> str:
        return f"files in {self.folder}; unpack as: experiments, outcomes = result"

    def __repr__(self) -> str:
        return "\n".join([self._headline(), _indent(_text_table(self._display())), self._footer()])

    def _repr_html_(self) -> str:
        return _html_block(self._headline(), _html_table(self._display()), self._footer())


class Sweep(Batch):
    """A sweep: a Batch plus `design`, `point_means` and (sobol, morris) `sensitivity`."""

    kind = "Sweep"

    def __init__(self, folder: Path, outcome: Any, result: Any) -> None:
        super().__init__(folder, outcome)
        self.design, self.sensitivity = result.design, result.sensitivity

    @cached_property
    def point_means(self):
        """Per design point and outcome: n, mean and sd over replications (point_means.csv)."""
        import pandas as pd

        path = self.folder / "point_means.csv"
        return pd.read_csv(path) if path.exists() else None

    def _headline(self) -> str:
        record = self.manifest.get("design") or {}
        reps = record.get("replications", "?")
        return (f"Sweep ({record.get('type', '?')}: {len(self.design)} points x {reps} "
                f"replication{'s' * (reps != 1)} = {len(self.experiments)} runs, seed {record.get('seed', '?')}): {self.status}"
                f"{f', {len(self.failures)} failed' if self.failures else ''}")

    def _leaders(self) -> list[str]:
        """The most influential parameter per outcome (ST for Sobol, mu_star for Morris)."""
        table = self.sensitivity
        if table is None or table.empty:
            return []
        index = "ST" if (table["index"] == "ST").any() else "mu_star"
        rows = table[(table["index"] == index) & table["value"].notna()]
        top = rows.loc[rows.groupby("outcome", sort=False)["value"].idxmax()] if len(rows) else rows
        return [f"{r.outcome}: {r.parameter} ({index} {r.value:.3g})" for r in top.itertuples()]

    def _params(self):
        """The swept factors as declared: a range (low, high) or the grid's values."""
        import pandas as pd

        params = (self.manifest.get("design") or {}).get("params") or []
        rows = {p["path"]: {"range or values": f"{p['low']:g} to {p['high']:g}" if "low" in p
                            else ", ".join(map(str, p.get("values", [])))} for p in params}
        return pd.DataFrame.from_dict(rows, orient="index")

    def __repr__(self) -> str:
        parts = [self._headline(), "  parameters:", _indent(_text_table(self._params()), 4)]
        if self._leaders():
            parts += ["  most influential:"] + [f"    {line}" for line in self._leaders()]
        return "\n".join(parts + [self._footer()])

    def _repr_html_(self) -> str:
        body = _html_table(self._params())
        if self._leaders():
            body += "<p>Most influential: " + "; ".join(html.escape(x) for x in self._leaders()) + "</p>"
        return _html_block(self._headline(), body, self._footer())


def _indent(text: str, spaces: int = 2) -> str:
    return "\n".join(" " * spaces + line for line in text.splitlines())


def _text_table(frame) -> str:
    return frame.to_string(float_format=lambda v: f"{v:.3g}")


def _html_table(frame) -> str:
    return frame.to_html(float_format=lambda v: f"{v:.3g}", border=0, na_rep="")


def _html_pairs(pairs: list[tuple[str, str]]) -> str:
    rows = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th><td style='text-align:left'>"
                   f"{html.escape(v)}</td></tr>" for k, v in pairs)
    return f"<table>{rows}</table>"


def _html_block(title: str, body: str, footer: str) -> str:
    return (f"<div><p><b>{html.escape(title)}</b></p>{body}"
            f"<p style='color:#666;font-size:90%'>{html.escape(footer)}</p></div>")
