"""`escalation report`: one self-contained HTML file for a run, batch, sweep or experiment directory.

Real result directories come from the real commands (`escalation run`, `escalation batch`);
sweeps and experiments of several sweeps use the synthetic directories of tests/_synthetic.py.
The page test opens the reports in headless Chromium and checks that every image decodes
and the expected headings are there (skipped, with a message, when there is no Chromium).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.analysis.report import build_report, write_report
from sim.cli.app import app
from tests import _browser, _synthetic as syn
from tests._cli import run_in_process

DAYS = 120
TEXT_DPI = 40  # tests that read a report's text, not its images, draw the figures small
HEADINGS = ["Question", "Scenarios", "Parameters", "Summary outcomes", "Figures", "How to reproduce"]
FIGURES = {"run": ["Escalation curve", "Event timeline", "Tension heatmap", "Relations network"],
           "batch": ["Scenarios compared", "Escalation curve — baseline", "Event timeline — drills_suspended",
                     "Tension heatmap — baseline", "Relations network — drills_suspended"]}


@pytest.fixture(scope="module")
def real(tmp_path_factory) -> dict[str, Path]:
    """A real run and batch, made by the commands in-process (sys.argv as a user's shell sets it)."""
    root = tmp_path_factory.mktemp("real")
    with pytest.MonkeyPatch.context() as mp:
        for args in (["run", "baseline", "--days", DAYS, "--out", root / "run"],
                     ["batch", "baseline", "drills_suspended", "--replications", 4, "--days", DAYS,
                      "--out", root / "batch", "--no-progress"]):
            done = run_in_process(mp, *args)
            assert done.returncode == 0, done.stderr
    return {"run": root / "run", "batch": root / "batch"}


@pytest.fixture(scope="module")
def reports(real) -> dict[str, Path]:
    """`escalation report` of the real run and batch; its progress lines are kept beside each
    report (report.progress.txt) for the tests that read them."""
    out = {}
    for kind, path in real.items():
        result = CliRunner().invoke(app, ["report", str(path), "--out", str(path / "report.html")])
        assert result.exit_code == 0, result.output
        assert "warning" not in result.output, result.output
        (path / "report.progress.txt").write_text(result.stderr)
        out[kind] = path / "report.html"
    return out


def _h2(text: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", text)]


def _self_contained(text: str) -> None:
    assert "<script" not in text and "<link" not in text
    srcs = re.findall(r'<img[^>]*src="([^"]+)"', text)
    assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert not re.search(r'(src|href)="(https?:)?//', text)
    assert "url(" not in text


# ---- the page in a browser -------------------------------------------------------------------
@pytest.mark.slow
def test_report_pages_in_chromium(reports, tmp_path):
    with _browser.page(tmp_path) as page:
        for kind, path in reports.items():
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            images = page.evaluate("[...document.images].map(i => [i.alt, i.complete, i.naturalWidth, i.naturalHeight])")
            assert len(images) == (4 if kind == "run" else 9), images
            broken = [alt for alt, complete, w, h in images if not (complete and w > 0 and h > 0)]
            assert not broken, f"{kind}: images that did not decode: {broken}"
            h2 = page.evaluate("[...document.querySelectorAll('h2')].map(h => h.textContent)")
            assert h2 == HEADINGS, h2
            h3 = page.evaluate("[...document.querySelectorAll('figure h3')].map(h => h.textContent)")
            for title in FIGURES[kind]:
                assert title in h3, (title, h3)
            # nothing was fetched from anywhere: the page is one file
            entries = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
            assert [e for e in entries if not e.startswith("data:")] == []
            shot = tmp_path / f"report-{kind}.png"
            page.screenshot(path=str(shot), full_page=False)
            assert shot.stat().st_size > 10_000
            _browser.keep(shot)


# ---- content ---------------------------------------------------------------------------------
@pytest.mark.slow
def test_run_report_content(real, reports):
    text = reports["run"].read_text()
    manifest = json.loads((real["run"] / "manifest.json").read_text())
    _self_contained(text)
    assert _h2(text) == HEADINGS
    assert "Run of baseline" in text
    assert "What does an ordinary year of escalation look like" in text  # the scenario's question
    assert f"<code>{manifest['command']}</code>" in text  # the exact command
    assert f"Seed: <code>{manifest['seed']}</code>" in text
    summary = json.loads((real["run"] / "summary.json").read_text())
    peak = f"{summary['peak_escalation']:.1f}"
    assert re.search(rf"peak_escalation</td><td>{re.escape(peak)}</td>", text), peak
    assert "provocateur" in text and "alliance" in text  # the set-up of a single run


@pytest.mark.slow
def test_batch_report_content(real, reports):
    text = reports["batch"].read_text()
    _self_contained(text)
    assert "baseline (mean [5%–95%])" in text and "drills_suspended (mean [5%–95%])" in text
    assert "3e38eeed6297d696" in text or "content hash" in text
    # the calendars differ by the two combined exercises, which the report shows
    assert "Freedom Shield" in text and "Ulchi Freedom Shield" in text
    assert "escalation batch baseline drills_suspended --replications 4" in text
    assert "SeedSequence(root_seed, spawn_key=KEY)" in text
    assert text.count("<tr><td>") >= 8 + 30  # the seed table and the outcome table


@pytest.mark.slow
def test_batch_summary_intervals(real):
    """The cells are the mean and the 5th/95th percentiles of the replications."""
    import numpy as np
    import pandas as pd
    from sim.analysis.html_parts import interval as _interval

    summary = pd.read_parquet(real["batch"] / "summary")
    peaks = summary.loc[summary["scenario"] == "baseline", "peak_escalation"].to_numpy()
    lo, hi = np.quantile(peaks, [0.05, 0.95])
    cell = _interval(pd.Series(peaks))
    mean = re.match(r"([\d.]+) \[([\d.]+) – ([\d.]+)\]", cell)
    assert mean, cell
    assert float(mean.group(1)) == pytest.approx(peaks.mean(), rel=0.01)
    assert float(mean.group(2)) == pytest.approx(lo, rel=0.01)
    assert float(mean.group(3)) == pytest.approx(hi, rel=0.01)
    assert _interval(pd.Series([1.0, np.nan, 3.0])).endswith("(1 none)")


@pytest.mark.slow
def test_sweep_report(tmp_path):
    path = syn.make_sweep(tmp_path / "sweep", sensitivity="sobol")
    report = build_report(path)
    assert report.notes == []
    text = report.html
    _self_contained(text)
    assert _h2(text) == HEADINGS[:5] + ["Sensitivity"] + HEADINGS[5:]
    assert report.figures >= 4  # sweep, heatmap, two sensitivity figures (no daily tables here)
    for param in ("dynamics.noise", "actors.DPRK.restraint", "world.sanctions"):
        assert f"<code>{param}</code>" in text
    assert "<th>S1</th><th>ST</th>" in text
    assert "0.55 ± 0.055" in text  # ST of the leading parameter with its confidence


@pytest.mark.slow
def test_experiment_of_several_sweeps(tmp_path):
    root = tmp_path / "experiment"
    syn.make_sweep(root / "baseline", sensitivity="morris")
    syn.make_sweep(root / "rok_dove", sensitivity=None)
    (root / "experiment.json").write_text(json.dumps({
        "name": "two_sweeps", "question": "Does it hold in both scenarios?", "description": "d",
        "outcomes": ["peak_escalation"], "resolved_scenarios": ["scenarios/baseline.yaml"]}))
    path, report = write_report(root)
    text = path.read_text()
    assert path == root / "report.html"
    assert "Experiment two_sweeps" in text and "Does it hold in both scenarios?" in text
    assert text.count("Scenario baseline (sweep in baseline/)") == 1 and "rok_dove/" in text
    ids = re.findall(r'id="([^"]+)"', text)
    assert len(ids) == len(set(ids)), "anchors must be unique"
    assert "mu_star" in text and "has no sensitivity.csv" in text


@pytest.mark.slow
def test_parameter_differences_from_manifest_contents(tmp_path):
    """When the manifest records each scenario's content, the report lists the differing values.
    (A batch run with --daily none, so the report draws no daily figures: only its text is read.)"""
    path = syn.make_batch(tmp_path / "batch", replications=2, days=60)
    for table in ("daily", "events"):
        for part in (path / table).iterdir():
            part.unlink()
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["daily"] = "none"
    base = {"name": "baseline", "world": {"sanctions": 0.4, "dialogue_state": "none"},
            "actors": {"DPRK": {"policy": {"params": {"drill_response": 1.0}}}}, "calendar": [{"scale": 1.0}]}
    other = json.loads(json.dumps(base))
    other.update(name="drills_suspended", calendar=[])
    other["world"]["dialogue_state"] = "talks"
    manifest["scenarios"] = {"baseline": {"hash": "a", "content": base, "question": "Q1?"},
                             "drills_suspended": {"hash": "b", "content": other, "question": "Q2?"}}
    (path / "manifest.json").write_text(json.dumps(manifest))
    text = build_report(path, dpi=TEXT_DPI).html
    assert "<code>world.dialogue_state</code></td><td>none</td><td>talks</td>" in text
    assert "<code>calendar</code>" in text or "<code>calendar.0.scale</code>" in text
    assert "world.sanctions" not in text.split("Scenario values that differ")[1].split("</table>")[0]
    assert "Q1?" in text and "Q2?" in text


# ---- the command -----------------------------------------------------------------------------
@pytest.mark.slow
def test_default_out_and_errors(tmp_path):
    run = syn.make_run(tmp_path / "run", days=60)
    runner = CliRunner()
    ok = runner.invoke(app, ["report", str(run)])
    assert ok.exit_code == 0, ok.output
    assert (run / "report.html").is_file() and "4 figures" in ok.output
    for args, needle in ((["report", str(tmp_path / "missing")], "no results directory"),
                         (["report", str(tmp_path)], "no manifest.json"),
                         (["report", str(run), "--out", str(tmp_path / "r.pdf")], "must end in .html")):
        bad = runner.invoke(app, args)
        assert bad.exit_code == 2, bad.output
        lines = [ln for ln in bad.output.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0], bad.output


@pytest.mark.slow
def test_report_never_imports_the_model():
    code = ("import sys, sim.analysis.report, sim.cli.report; "
            "bad = [m for m in sys.modules if m.startswith(('sim.model', 'sim.run'))]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# ---- what a reader asks of a report (issue 11 item 6) ------------------------------------------
@pytest.mark.slow
def test_batch_report_questions_differences_and_paired_table(reports):
    text = reports["batch"].read_text()
    progress = [line.removeprefix("report: ") for line in
                reports["batch"].with_name("report.progress.txt").read_text().splitlines()]
    question = text.split('id="question"')[1].split("</section>")[0]
    assert question.count('class="question"') == 2 and "baseline" in question and "drills_suspended" in question
    assert "placeholder" not in question and "not recorded" not in question
    assert "drills removed: Freedom Shield 23, Ulchi Freedom Shield 23" in text
    paired = text.split("Paired differences from baseline")[1].split("</table>")[0]
    assert "peak_escalation" in paired and "difference [95% CI]" in paired and "pairs higher" in paired
    assert progress and progress[0].startswith("figure 1 of ") and len(progress) == 9


def test_paired_differences_pair_by_replication():
    import numpy as np
    import pandas as pd
    from sim.analysis.report_sections import paired_differences

    summary = pd.DataFrame({"scenario": ["a"] * 4 + ["b"] * 4, "replication": [0, 1, 2, 3] * 2,
                            "status": "ok", "y": [1.0, 2.0, 3.0, 4.0, 2.0, 3.0, 4.0, 6.0]})
    row = paired_differences(summary, "a", ["b"], ["y"]).iloc[0]
    d = np.array([1.0, 1.0, 1.0, 2.0])
    assert row["n"] == 4 and row["diff"] == pytest.approx(1.25) and row["share_higher"] == 1.0
    half = 3.182446305284263 * d.std(ddof=1) / 2  # t(0.975, 3) * sd / sqrt(4)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((1.25 - half, 1.25 + half))


def test_differences_in_words():
    from sim.analysis.labels import differences

    ref = {"calendar": [{"name": "Freedom Shield 23", "type": "drill", "scale": 1.0},
                        {"name": "Ulchi Freedom Shield 23", "type": "drill", "scale": 1.0}],
           "actors": {"DPRK": {"policy": {"name": "reactive", "params": {"drill_response": 1.4}}}}}
    other = json.loads(json.dumps(ref))
    other["calendar"] = other["calendar"][:1]
    other["calendar"][0]["scale"] = 2.0
    other["actors"]["DPRK"]["policy"]["params"]["drill_response"] = 0.8
    assert differences(ref, other) == ["drills removed: Ulchi Freedom Shield 23", "Freedom Shield 23 scale 1 → 2",
                                       "DPRK drill_response 1.4 → 0.8"]


@pytest.mark.slow
def test_report_of_a_result_object(real, tmp_path):
    from sim.analysis.results import load

    res = load(real["batch"])

    class Batch:
        daily, events, summary, manifest = res.daily(), res.events(), res.summary(), res.manifest
        calendar = {s: res.calendar(s) for s in res.scenarios()}

    path, report = write_report(Batch(), tmp_path / "object.html", dpi=TEXT_DPI)
    assert report.figures == 9 and "Paired differences from baseline" in path.read_text()
    with pytest.raises(Exception, match="needs out="):
        write_report(Batch())
