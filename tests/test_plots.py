"""Figures and the `escalation plot` command, on synthetic result directories (tests/_synthetic.py).

Structural checks: the axes a figure should have, its titles, date ticks, bands, ladder and
drill labels that do not overlap, one legend entry per actor/scenario, consistent actor colours.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.container import BarContainer
from matplotlib.colors import to_hex
from matplotlib.image import AxesImage
from matplotlib.legend import Legend
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests import _synthetic as syn
from sim.analysis import actions, plots_history, plots_network, plots_sweep, plots_time, sensitivity_checks, style
from sim.analysis._io import normalise_calendar
from sim.analysis.labels import param_label
from sim.analysis.strip import assign_rows, glossary, short_name
from sim.analysis.figures import KINDS, make_figure
from sim.analysis.results import ResultsError, load

REPS = 6


@pytest.fixture(scope="module")
def dirs(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("results")
    return {"run": syn.make_run(root / "run", days=400), "batch": syn.make_batch(root / "batch", replications=REPS),
            "sweep": syn.make_sweep(root / "sweep", sensitivity="sobol"),
            "morris": syn.make_sweep(root / "morris", sensitivity="morris"),
            "noladder": syn.make_batch(root / "noladder", scenarios=("baseline",), replications=2, ladder=False)}


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text") and a.get_visible())]


def _legend_labels(fig) -> list[str]:
    return [t.get_text() for leg in fig.findobj(Legend) for t in leg.get_texts()]


def _overlaps(texts) -> list[tuple[str, str]]:
    boxes = [(t.get_text(), t.get_window_extent()) for t in texts]
    return [(a, b) for i, (a, ba) in enumerate(boxes) for b, bb in boxes[i + 1:] if ba.overlaps(bb)]


def _is_date_axis(ax, first: str, last: str) -> bool:
    ax.figure.draw_without_rendering()
    ticks = [pd.Timestamp(mdates.num2date(x)).tz_localize(None) for x in ax.get_xticks()]
    inside = [t for t in ticks if pd.Timestamp(first) <= t <= pd.Timestamp(last)]
    return isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter) and len(inside) >= 3


# ---- reading results ------------------------------------------------------------------------
@pytest.mark.slow
def test_kind_detection_and_tagging(dirs):
    assert [load(dirs[k]).kind for k in ("run", "batch", "sweep")] == ["run", "batch", "sweep"]
    run = load(dirs["run"]).daily(["escalation_index"])
    assert {"run_id", "scenario", "replication", "date"} <= set(run.columns)
    assert run["replication"].eq(0).all() and pd.api.types.is_datetime64_any_dtype(run["date"])
    batch = load(dirs["batch"])
    assert batch.scenarios() == ["baseline", "drills_suspended"] and batch.replications() == REPS
    assert set(batch.daily(["escalation_index"], scenario="baseline")["scenario"]) == {"baseline"}


def test_bad_directories_raise(tmp_path):
    with pytest.raises(ResultsError, match="no results directory"):
        load(tmp_path / "missing")
    with pytest.raises(ResultsError, match="manifest"):
        load(tmp_path)
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "manifest.json").write_text("{}")
    with pytest.raises(ResultsError, match="several results directories"):
        load(tmp_path)
    (tmp_path / "manifest.json").write_text("{}")
    with pytest.raises(ResultsError, match="neither"):
        load(tmp_path)


def test_ladder_from_manifest_or_inferred(dirs):
    assert list(load(dirs["batch"]).ladder()["name"]) == [r["name"] for r in syn.LADDER]
    inferred = load(dirs["noladder"]).ladder()
    assert inferred["lower"].iat[0] == 0 and inferred["lower"].is_monotonic_increasing
    assert set(inferred["name"]) <= {r["name"] for r in syn.LADDER}


# ---- style ----------------------------------------------------------------------------------
def test_actor_colours_fixed_distinct_and_aliased():
    main = [style.actor_colour(a) for a in ("DPRK", "ROK", "US", "Japan", "Russia", "China")]
    assert len(set(main)) == 6
    assert style.actor_colour("USA") == style.actor_colour("US") and style.actor_colour("North Korea") == main[0]
    assert style.actor_colour("Mongolia") == style.actor_colour("Mongolia") in style.FALLBACK_COLOURS


# ---- time figures ---------------------------------------------------------------------------
def test_curve_of_batch(dirs):
    fig = plots_time.plot_curve(dirs["batch"])
    strip, ax = fig.axes
    assert "baseline" in strip.get_title(loc="left") and f"{REPS} replications" in strip.get_title(loc="left")
    assert ax.get_ylabel().startswith("Escalation index")
    assert _is_date_axis(ax, "2017-01-01", "2017-12-31")
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) >= 2  # 50% and 90% bands
    texts = _texts(fig)
    assert any("signalling" in t for t in texts) and any("Key Resolve" in t for t in texts)
    labels = _legend_labels(fig)
    assert {"Median", "50% band", "90% band", "Drill (exercise)", "Summit", "UNSC sanctions"} <= set(labels)
    rung_texts = [t for t in ax.texts if t.get_text()[:1].isdigit()]
    assert rung_texts and not _overlaps(rung_texts)
    assert not _overlaps([t for t in strip.texts if t.get_text()])


@pytest.mark.slow
def test_curve_of_single_run_has_no_bands(dirs):
    fig = plots_time.plot_curve(dirs["run"])
    ax = fig.axes[1]
    assert "single run" in fig.axes[0].get_title(loc="left")
    assert not any(isinstance(c, PolyCollection) for c in ax.collections)
    assert len(ax.lines) >= 1


def test_curve_of_single_run_marks_test_days(dirs):
    fig = plots_time.plot_curve(dirs["run"])
    ax = fig.axes[1]
    marks = [c for c in ax.collections if isinstance(c, PathCollection) and c.get_label() == "Simulated DPRK launch day"]
    daily = load(dirs["run"]).daily(["test_day"])
    assert len(marks) == 1 and len(marks[0].get_offsets()) == int(daily["test_day"].sum()) > 0
    assert "Simulated DPRK launch day" in _legend_labels(fig)


@pytest.mark.slow
def test_compare_and_paired_difference(dirs):
    fig = plots_time.plot_compare(dirs["batch"], reference="baseline")
    top, diff = fig.axes
    assert {"baseline", "drills_suspended"} <= set(_legend_labels(fig))
    assert "Paired difference" in diff.get_title(loc="left") and "'baseline'" in diff.get_ylabel()
    assert sum(isinstance(c, PolyCollection) for c in top.collections) >= 4
    assert _is_date_axis(diff, "2017-01-01", "2017-12-31")
    dates = pd.date_range("2020-01-01", periods=3)
    a = pd.DataFrame({"date": np.tile(dates, 2), "replication": np.repeat([0, 1], 3), "escalation_index": [1., 2, 3, 4, 5, 6]})
    bands = plots_time.paired_difference({"a": a, "b": a.assign(escalation_index=a["escalation_index"] + 1)}, "b", "a")
    assert np.allclose(bands["q50"], 1) and np.allclose(bands["q95"] - bands["q05"], 0)


@pytest.mark.slow
def test_compare_needs_two_scenarios(dirs):
    with pytest.raises(ResultsError, match="two scenarios"):
        plots_time.plot_compare(dirs["run"])


def test_timeline_rows_markers_and_legends(dirs):
    fig = plots_time.plot_timeline(dirs["batch"])
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert set(syn.ACTORS) <= set(ticks)
    for tick in ax.get_yticklabels():
        assert to_hex(tick.get_color()) == to_hex(style.actor_colour(tick.get_text()))
    assert "replication 0" in ax.get_title(loc="left")
    labels = _legend_labels(fig)
    assert {"missile test", "threat", "SRBM"} <= set(labels) and "Salvo (missiles)" in _texts(fig)
    sizes = np.concatenate([c.get_sizes() for c in ax.collections if isinstance(c, PathCollection)])
    assert len(np.unique(sizes)) >= 3  # plain actions + launches of different salvo
    assert _is_date_axis(ax, "2017-01-01", "2017-12-31")


def test_action_markers_distinct_for_known_kinds():
    kinds = list(plots_time.ACTION_MARKERS)[:15] + ["brand_new"]
    markers = plots_time.action_markers(kinds)
    assert len(set(markers[k] for k in kinds)) == len(kinds)


# ---- network figures ------------------------------------------------------------------------
@pytest.mark.slow
def test_tension_heatmap(dirs):
    fig = plots_network.plot_tension(dirs["batch"])
    ax = fig.axes[1]
    image = [a for a in ax.get_children() if isinstance(a, AxesImage)][0]
    assert image.get_array().shape[0] == len(syn.dyads())
    assert "DPRK → ROK" in [t.get_text() for t in ax.get_yticklabels()]
    assert any(a.get_label() == "<colorbar>" for a in fig.axes)
    assert f"median of {REPS}" in fig.axes[0].get_title(loc="left")
    assert _is_date_axis(ax, "2017-01-01", "2017-12-31")


def test_network_small_multiples(dirs):
    fig = plots_network.plot_network(dirs["batch"], dates=["2017-02-01", "2017-06-01", "2017-09-01"])
    panels = [a for a in fig.axes if a.get_title().startswith("2017-")]
    assert [p.get_title()[:10] for p in panels] == ["2017-02-01", "2017-06-01", "2017-09-01"]
    assert any(a.get_label() == "<colorbar>" for a in fig.axes)
    assert {"Alliance", "Partnership"} <= set(_legend_labels(fig))
    nodes = [c for c in panels[0].collections if isinstance(c, PathCollection)][-1]
    assert to_hex(nodes.get_facecolors()[0]) == to_hex(style.actor_colour(syn.ACTORS[0]))


def test_pick_dates_snaps_and_rejects():
    index = pd.date_range("2017-01-01", periods=10)
    assert plots_network.pick_dates(index, None, 4)[0] == index[0]
    assert plots_network.pick_dates(index, ["2017-01-05"]) == [index[4]]
    with pytest.raises(ResultsError, match="outside"):
        plots_network.pick_dates(index, ["2030-01-01"])
    with pytest.raises(ResultsError, match="not a date"):
        plots_network.pick_dates(index, ["soon"])


# ---- sweep figures --------------------------------------------------------------------------
def test_sweep_panels_and_binning(dirs):
    fig = plots_sweep.plot_sweep(dirs["sweep"])
    panels = [a for a in fig.axes if a.get_xlabel()]
    assert [a.get_xlabel() for a in panels] == ["dynamics noise", "DPRK restraint", "world sanctions"]
    assert all(sum(isinstance(c, PolyCollection) for c in a.collections) == 2 for a in panels)
    assert "Peak escalation" in fig.get_suptitle()
    x = pd.Series(np.linspace(0, 1, 200))
    assert 3 <= len(plots_sweep.binned(x, x)) <= 10
    assert list(plots_sweep.binned(pd.Series([1, 2] * 20), pd.Series(range(40)))["x"]) == [1, 2]


def test_sweep_heatmap(dirs):
    fig = plots_sweep.plot_sweep_heatmap(dirs["sweep"], parameters=["world.sanctions", "dynamics.noise"])
    ax = fig.axes[0]
    image = [a for a in ax.get_children() if isinstance(a, AxesImage)][0]
    assert image.get_array().shape == (6, 4)
    assert ax.get_xlabel() == "world sanctions" and len(ax.texts) > 0


def test_sensitivity_bars_with_intervals(dirs):
    fig = plots_sweep.plot_sensitivity(dirs["sweep"])
    ax = fig.axes[0]
    assert len(ax.patches) == 3 * 2 and {"first order S1", "total ST"} <= set(_legend_labels(fig))
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert len(bars) == 2 and all(c.errorbar is not None for c in bars)
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == "dynamics noise"  # largest on top
    morris = plots_sweep.plot_sensitivity(dirs["morris"], outcome="missiles")
    assert "Morris" in morris.axes[0].get_title(loc="left")
    with pytest.raises(ResultsError, match="no sensitivity"):
        plots_sweep.plot_sensitivity(dirs["sweep"], outcome="nope")


# ---- CLI ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cli():
    from sim.cli import app  # registers every command group, plot among them
    return lambda *args: CliRunner().invoke(app, ["plot", *map(str, args)])


@pytest.mark.parametrize("kind,source,ext", [
    ("curve", "run", "png"), ("compare", "batch", "svg"), ("timeline", "batch", "pdf"), ("tension", "run", "png"),
    ("network", "batch", "png"), ("sweep", "sweep", "png"), ("heatmap", "sweep", "png"),
    ("sensitivity", "sweep", "png"), ("years", "batch", "png"), ("months", "run", "png")])
@pytest.mark.slow
def test_cli_writes_every_kind(cli, dirs, tmp_path, kind, source, ext):
    out = tmp_path / f"{kind}.{ext}"
    result = cli(dirs[source], "--kind", kind, "--out", out)
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 1000


@pytest.mark.slow
def test_cli_default_output_inside_results(cli, dirs):
    result = cli(dirs["batch"], "--dates", "2017-03-01,2017-09-01", "--kind", "network")
    assert result.exit_code == 0, result.output
    assert (dirs["batch"] / "figures" / "network.png").stat().st_size > 1000
    assert set(KINDS) >= {"curve", "compare", "timeline", "tension", "network", "sweep", "sensitivity"}


@pytest.mark.parametrize("args,message", [
    (["{missing}"], "no results directory"), (["{tmp}"], "manifest"), (["{run}", "--kind", "compare"], "two scenarios"),
    (["{run}", "--kind", "bogus"], "unknown figure kind"), (["{run}", "--out", "x.gif"], "--out must end"),
    (["{run}", "--kind", "network", "--dates", "1990-01-01"], "outside")])
def test_cli_errors_are_one_line_exit_2(cli, dirs, tmp_path, args, message):
    fill = {"missing": tmp_path / "nope", "tmp": tmp_path, "run": dirs["run"]}
    result = cli(*[a.format(**fill) for a in args])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]


@pytest.mark.slow
def test_make_figure_default_kinds(dirs):
    assert "Escalation index by scenario" in make_figure(dirs["batch"]).axes[0].get_title(loc="left")
    assert "across the sweep" in make_figure(dirs["sweep"]).get_suptitle()


# ---- figures a student trusts (issue 11 item 5) ---------------------------------------------
def test_curve_labels_every_drill_and_keeps_event_lines_out_of_the_strip(dirs):
    fig = plots_time.plot_curve(dirs["batch"])
    strip, ax = fig.axes
    drills = load(dirs["batch"]).calendar("baseline").query("kind == 'drill'")
    names = {t.get_text() for t in strip.texts}
    assert all(n in names or short_name(n) in names for n in drills["name"])
    assert not strip.lines and not _overlaps(strip.texts)
    assert ax.get_ylim() == (0.0, 100.0)


@pytest.mark.slow
def test_no_drill_strip_without_drills(dirs):
    fig = plots_time.plot_curve(dirs["batch"], "drills_suspended")
    assert len(fig.axes) == 1 and fig.axes[0].get_ylim() == (0.0, 100.0)
    assert "Drills" not in _texts(fig)
    tension = plots_network.plot_tension(dirs["batch"], "drills_suspended")
    assert "Drills" not in _texts(tension)


def test_short_drill_names_and_their_key():
    assert short_name("Ulchi Freedom Shield 23") == "UFS 23"
    assert short_name("Key Resolve/Foal Eagle 10") == "KR/FE 10"
    assert short_name("Dong Maeng 19-2/CCPT (replaces UFG)") == "DM 19-2/CCPT"
    assert glossary(["Key Resolve/Foal Eagle 10"]) == "FE = Foal Eagle, KR = Key Resolve"


@pytest.mark.slow
def test_a_ten_year_calendar_labels_every_drill():
    """Three exercises a year for ten years (as the 2010-2019 record) on one 10-inch figure."""
    cal = pd.concat([syn.calendar(start=f"{y}-01-01") for y in range(2010, 2020)], ignore_index=True)
    cal = normalise_calendar(cal[~cal["name"].str.startswith(("Max Thunder", "Vigilant Ace"))])
    days = pd.DataFrame({"date": pd.date_range("2010-01-01", "2019-12-31"), "replication": 0, "run_id": "a",
                         "escalation_index": 30.0})
    fig = plots_time.curve_figure(days, cal, pd.DataFrame(syn.LADDER), "ten years")
    strip = fig.axes[0]
    names = {t.get_text() for t in strip.texts}
    drills = cal[cal["kind"] == "drill"]["name"]
    assert len(drills) == 30 and all(n in names or short_name(n) in names for n in drills)
    assert not _overlaps(strip.texts) and "Short names" in strip.get_xlabel()


def test_calendar_kinds_look_different():
    looks = [(c, str(ls)) for _, c, ls in style.CALENDAR_KINDS.values()]
    assert len(set(looks)) == len(looks)
    cal = pd.DataFrame({"kind": ["mystery", "enigma", "summit"]})
    kinds = style.calendar_kinds(cal)
    assert kinds["mystery"][1:] != kinds["enigma"][1:] and kinds["summit"] == style.CALENDAR_KINDS["summit"]


def test_timeline_tells_hostile_from_cooperative(dirs):
    fig = plots_time.plot_timeline(dirs["batch"])
    labels = _legend_labels(fig)
    assert "Military pressure (filled, warm)" in labels and "Cooperation (hollow, green/blue)" in labels
    ax = fig.axes[0]
    offer = actions.STYLES["dialogue_offer"]
    hollow = [c for c in ax.collections if isinstance(c, PathCollection) and len(c.get_facecolors()) == 0]
    assert hollow and to_hex(hollow[0].get_edgecolors()[0]) == offer.colour.lower()
    families = {s.family for s in actions.STYLES.values()}
    assert {"hostile", "cooperative"} <= families
    assert len(set(actions.ACTION_MARKERS.values())) == len(actions.ACTION_MARKERS)


def test_unknown_actions_follow_their_goldstein_sign():
    events = pd.DataFrame({"action": ["hug", "shove"], "goldstein": [5.0, -5.0]})
    styles = actions.action_styles(events)
    assert styles["hug"].family == "cooperative" and styles["shove"].family == "hostile"


def test_heatmap_colour_scale_has_a_minimum_span_and_centres_differences():
    norm, _, note = plots_sweep.colour_scale(np.array([54.1, 58.1]), "peak_escalation")
    assert norm.vmax - norm.vmin >= 20 and norm.vmin <= 54.1 and norm.vmax >= 58.1 and "data only" in note
    norm, cmap, _ = plots_sweep.colour_scale(np.array([-3.0, 1.0]), "diff")
    assert norm.vcenter == 0 and norm.vmin == -3 and norm.vmax == 3
    norm, _, _ = plots_sweep.colour_scale(np.array([0.0, 0.05]), "share")
    assert norm.vmin == 0 and norm.vmax == pytest.approx(0.2)
    norm, _, _ = plots_sweep.colour_scale(np.array([10.0, 90.0]), "peak_escalation")
    assert (norm.vmin, norm.vmax) == (10.0, 90.0)


def test_parameter_labels_read_as_words(dirs):
    content = {"calendar": [{"name": "Freedom Shield 23", "type": "drill"},
                            {"name": "Ulchi Freedom Shield 23", "type": "drill"}]}
    assert param_label("calendar.0.scale+calendar.1.scale", content) == "drill scale (all drills)"
    assert param_label("calendar.1.scale", content) == "Ulchi Freedom Shield 23 scale"
    assert param_label("actors.DPRK.policy.params.drill_response") == "DPRK drill_response"
    assert param_label("actors.US.policy.params.response_rate+actors.ROK.policy.params.response_rate") \
        == "US and ROK response_rate"


def test_sensitivity_figure_warns_when_the_sample_is_too_small():
    rows = []
    for p, s1, st in (("a", 1.27, 0.9), ("b", 0.3, 0.5)):
        rows += [{"parameter": p, "outcome": "y", "index": "S1", "value": s1, "conf": 0.1},
                 {"parameter": p, "outcome": "y", "index": "ST", "value": st, "conf": 0.1}]
    frame = pd.DataFrame(rows)
    fig = plots_sweep.sensitivity_figure(frame, "y")
    assert "Too few samples" in fig._supxlabel.get_text()
    assert any("add up to 1.57" in t for t in sensitivity_checks.sobol_problems(frame))
    lines = sensitivity_checks.warning_lines(frame)
    assert len(lines) == 1 and lines[0].startswith("sensitivity of y: too few samples")
    assert sensitivity_checks.with_notes(frame)["note"].str.contains("S1 of a = 1.27 > 1").all()
    good = plots_sweep.sensitivity_figure(frame.assign(value=[0.3, 0.35, 0.2, 0.25]), "y")
    assert good._supxlabel is None or "Too few" not in good._supxlabel.get_text()


def test_morris_interval_below_zero_is_flagged():
    frame = pd.DataFrame({"parameter": ["a", "b"], "outcome": "y", "index": "mu_star", "value": [10.0, 4.0],
                          "conf": [2.0, 5.0]})
    found = sensitivity_checks.morris_problems(frame)
    assert len(found) == 1 and "mu* of b" in found[0]


# ---- figures from result objects in memory --------------------------------------------------
class _Batch:
    """What a notebook's batch(...) could return: tables as attributes, no files."""

    def __init__(self, res):
        self.daily, self.events, self.summary = res.daily(), res.events(), res.summary()
        self.calendar = {s: res.calendar(s) for s in res.scenarios()}
        self.manifest = res.manifest


class _Run:
    def __init__(self, res):
        self.daily = res.daily().drop(columns=["run_id", "scenario", "replication"])
        self.events, self.calendar, self.manifest = res.events(), res.calendar(), res.manifest

    def summary(self):  # a method works as well as an attribute
        return pd.DataFrame([{"peak_escalation": 50.0}])


@pytest.mark.slow
def test_figures_from_result_objects(dirs):
    batch = _Batch(load(dirs["batch"]))
    for kind in ("curve", "compare", "timeline", "tension", "network"):
        assert make_figure(batch, kind).axes
    run = _Run(load(dirs["run"]))
    fig = make_figure(run, "curve")
    assert "single run" in fig.axes[0].get_title(loc="left")
    assert plots_time.plot_timeline(run).axes
    with pytest.raises(ResultsError, match="cannot read results"):
        make_figure(42, "curve")


def test_sweep_figures_from_an_experiments_table(dirs):
    res = load(dirs["sweep"])

    class Sweep:
        daily = pd.DataFrame({"date": pd.to_datetime([]), "escalation_index": []})
        summary = res.summary().drop(columns=res.parameters())
        experiments = res.summary()[["run_id", *res.parameters()]]
        manifest = res.manifest
        calendar = None
        sensitivity = res.sensitivity()

    assert "across the sweep" in make_figure(Sweep(), "sweep").get_suptitle()
    assert make_figure(Sweep(), "heatmap").axes and make_figure(Sweep(), "sensitivity").axes


# ---- simulated launch days against the record (issues 8 and 9) -----------------------------
def _launch_daily(reps: int = 20, years: int = 3) -> pd.DataFrame:
    """Daily rows with a known launch-day count: replication r launches on r+1 days each year."""
    dates = pd.date_range("2015-01-01", f"{2015 + years - 1}-12-31")
    frames = []
    for r in range(reps):
        hit = np.zeros(len(dates), bool)
        for y in range(years):
            first = np.flatnonzero(dates.year == 2015 + y)[0]
            hit[first:first + r + 1] = True
        frames.append(pd.DataFrame({"date": dates, "replication": r, "run_id": f"x-{r}", "test_day": hit}))
    return pd.concat(frames, ignore_index=True)


def test_launch_counts_per_year_and_month():
    years = plots_history.launch_counts(_launch_daily(), "year")
    assert list(years.index) == [2015, 2016, 2017] and years.shape[1] == 20
    assert sorted(years.iloc[0]) == list(range(1, 21))
    months = plots_history.launch_counts(_launch_daily(), "month")
    assert months.shape == (36, 20) and months.sum().sum() == years.sum().sum()


def test_observed_record_counts_68_launch_days_and_zero_years():
    years = plots_history.observed_launch_days("year")
    assert list(years.index) == list(range(2010, 2020)) and years.sum() == 68
    assert years[2010] == 0 and years[2018] == 0
    assert len(plots_history.observed_launch_days("month")) == 120


def test_yearly_bars_beside_observed():
    table = plots_history.launch_counts(_launch_daily(), "year")
    fig = plots_history.launch_years_figure(table, pd.Series({2015: 4, 2016: 0}), "test")
    ax = fig.axes[0]
    assert {"Simulated median", "Simulated 50% band", "Simulated 90% band", "Observed"} <= set(_legend_labels(fig))
    heights = [p.get_height() for p in ax.patches]
    assert heights[:3] == [10.5, 10.5, 10.5] and heights[3:] == [4, 0, 0]  # medians, then observed
    assert "no data" in _texts(fig) and "0" in _texts(fig)
    with pytest.raises(ResultsError, match="2 values for 3"):
        plots_history.launch_years_figure(table, [1, 2])


def test_monthly_fan_with_observed_dots_and_origin():
    table = plots_history.launch_counts(_launch_daily(), "month")
    observed = pd.Series([1.0, 2.0], index=pd.PeriodIndex(["2015-01", "2016-06"], freq="M"))
    fig = plots_history.launch_fan_figure(table, observed, "test", origin="2016-01-01")
    ax = fig.axes[0]
    dots = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(dots) == 1 and len(dots[0].get_offsets()) == 2
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 2
    assert "Forecast origin" in _legend_labels(fig) and _is_date_axis(ax, "2015-01-01", "2017-12-31")


def test_pit_histogram_is_flat_for_a_calibrated_forecast():
    rng = np.random.default_rng(5)
    samples = pd.DataFrame(rng.poisson(3.0, (400, 2000)))
    observed = pd.Series(rng.poisson(3.0, 400))
    heights = plots_history.pit_histogram(samples, observed, bins=5)
    assert heights.sum() == pytest.approx(5) and np.abs(heights - 1).max() < 0.25
    biased = plots_history.pit_histogram(samples, observed + 3, bins=5)
    assert biased[-1] > 2  # observations above the forecast pile up at the top
    fig = plots_history.pit_figure(heights=heights, n=400)
    assert len(fig.axes[0].patches) >= 5
    fig = plots_history.pit_figure(rng.uniform(size=300))
    assert "Calibrated (uniform)" in _legend_labels(fig)


def test_launch_figures_from_a_results_folder(dirs):
    assert plots_history.plot_launch_years(dirs["batch"]).axes
    assert plots_history.plot_launch_fan(dirs["run"]).axes


@pytest.mark.slow
def test_record_shown_where_the_period_overlaps_it(dirs):
    fig = make_figure(dirs["run"], "curve")  # synthetic 2017 run
    labels = _legend_labels(fig)
    assert "Observed launch day (15)" in labels  # 15 launch days in 2017 in the packaged record
    assert not any(t.startswith("Observed") for t in _legend_labels(make_figure(dirs["run"], "curve", observed=False)))
    years = make_figure(dirs["batch"], "years")
    assert "Observed" in _legend_labels(years) and "15" in _texts(years)


@given(st.lists(st.tuples(st.floats(0, 900), st.floats(0, 40), st.floats(1, 120), st.floats(1, 60)),
                min_size=1, max_size=30),
       st.integers(1, 4))
@pytest.mark.slow
@settings(max_examples=150, deadline=None)
def test_drill_label_rows_never_overlap(drills, tiers):
    """For any drills (start, length, full width, short width) the rows given to labels keep
    the labels and bars of one row apart, and labels stay left of the right edge."""
    drills = sorted(drills)
    starts = [d[0] for d in drills]
    ends = [d[0] + d[1] for d in drills]
    full = [max(d[2], d[3]) for d in drills]
    short = [min(d[2], d[3]) for d in drills]
    right, pad = 1000.0, 2.0
    rows, use_short = assign_rows(starts, ends, full, short, tiers, right, pad)
    assert len(rows) == len(drills) and all(r is None or 0 <= r < tiers for r in rows)
    spans: dict[int, list[tuple[float, float]]] = {}
    for x0, x1, f, s, row, u in zip(starts, ends, full, short, rows, use_short):
        if row is None:
            continue
        w = s if u else f
        lx = min(x0, right - w)
        spans.setdefault(row, []).append((lx, max(x1, lx + w)))
    for items in spans.values():
        for (a0, a1), (b0, b1) in zip(items, items[1:]):
            assert a1 + pad <= b0 + 1e-9
