"""`escalation explore`: the interactive model page (Mesa SolaraViz).

The model side is tested directly (the keyword-parameter model, its sliders, the panels
mid-run); the page is tested for real: the command serves it on a free loopback port, headless
Chromium opens it, moves a slider, presses Reset and Step, and checks that the run went on
with the new value and the figures were redrawn. The browser test skips, with a message,
only when no Chromium is installed.
"""

from __future__ import annotations

from sim.run import tables

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from sim.cli.app import app
from sim.explore import components
from sim.explore.model import KNOB_NAMES, ExplorerModel, configure, model_params, scenario_values
from tests import _browser

DAYS = 60


# ---- the model behind the page ---------------------------------------------------------------------
def test_untouched_explorer_runs_what_escalation_run_runs():
    from sim.run.single import simulate
    from sim.schema.loader import load_scenario

    expected = simulate(load_scenario("baseline"), seed=1, days=DAYS).daily
    model = ExplorerModel("baseline", days=DAYS, **scenario_values("baseline"))
    assert model.changes == {}
    model.run()
    got = tables.daily_frame(model)
    np.testing.assert_allclose(got["escalation_index"], expected["escalation_index"])
    assert list(got["missiles"]) == list(expected["missiles"])


def test_knobs_change_the_scenario():
    sc, changes = configure("baseline", drill_response=2.5, response_rate=0.9, cooperation_rate=0.02,
                            sanctions=0.1, noise=0.0)
    assert set(changes) == {"drill_response", "response_rate", "cooperation_rate", "sanctions", "noise"}
    assert sc.actors["DPRK"].policy.params.drill_response == 2.5
    assert all(sc.actors[a].policy.params.response_rate == 0.9 for a in ("US", "ROK", "Japan"))
    assert sc.actors["Russia"].policy.params.cooperation_rate == 0.02
    assert sc.world.sanctions == 0.1 and sc.dynamics.noise == 0.0
    model = ExplorerModel("baseline", days=10, drill_response=2.5, seed=4)
    dprk = next(a for a in model.actors if a.name == "DPRK")
    assert dprk.params.drill_response[0] == 2.5 and model.seed == 4
    # Japan keeps its own response rate while the allies' knob is untouched
    same, none = configure("baseline", response_rate=scenario_values("baseline")["response_rate"])
    assert none == {} and same.actors["Japan"].policy.params.response_rate == 0.25
    with pytest.raises(ValueError, match="unknown explorer parameter"):
        configure("baseline", drill_responce=1.0)


def test_model_params_are_valid_for_solaraviz():
    from mesa.visualization.solara_viz import _check_model_params

    params = model_params("baseline")
    _check_model_params(ExplorerModel.__init__, params)
    assert params["scenario_name"] == "baseline"
    for name in ("seed", "days", *KNOB_NAMES):
        p = params[name]
        assert p["type"] in ("SliderInt", "SliderFloat") and p["min"] <= p["value"] <= p["max"], (name, p)
    assert params["drill_response"]["value"] == pytest.approx(1.4)
    assert params["days"]["value"] == 365


def test_panels_draw_mid_run():
    model = ExplorerModel("drills_then_launches", days=120)
    for fig in (components.curve_figure(model), components.timeline_figure(model),
                components.network_figure(model)):
        fig.canvas.draw()
    assert components.status_line(model).startswith("Day 0 of 120")
    for _ in range(80):
        model.step()
    daily, events = tables.daily_frame(model), tables.events_frame(model)
    assert len(daily) == 80 and daily["day"].iloc[-1] == 79
    assert (events["day"] < 80).all()
    curve = components.curve_figure(model)
    line = curve.axes[0].lines[0]
    assert len(line.get_xdata()) == 80
    assert "day 80 of 120" in curve.axes[0].get_title(loc="left")
    assert "Day 80 of 120" in components.status_line(model)
    timeline = components.timeline_figure(model)
    assert f"({len(events[events['action'] != 'wait'])} actions" in timeline.axes[0].get_title(loc="left")
    net = components.network_figure(model)
    assert "day 80" in net.axes[0].get_title(loc="left")


def test_explore_command_errors(tmp_path):
    runner = CliRunner()
    bad = runner.invoke(app, ["explore", "no_such_scenario"])
    assert bad.exit_code == 2 and bad.output.startswith("error:") and len(bad.output.strip().splitlines()) == 1
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        taken = runner.invoke(app, ["explore", "baseline", "--port", str(port)])
    assert taken.exit_code == 2 and "cannot serve on 127.0.0.1" in taken.output


# ---- the page in a browser ---------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _escalation() -> list[str]:
    script = Path(sys.executable).with_name("escalation")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "sim"]


@pytest.fixture
def server(tmp_path):
    """`escalation explore baseline` on a free loopback port; yields its URL, stops it after."""
    if _browser.chromium() is None:
        pytest.skip("no Chromium installed (looked for /usr/bin/chromium): run `bash .ci/install_browser.sh`")
    from sim.explore import assets

    assets.ensure()  # the page's front-end, from the npm registry, once per machine
    port = _free_port()
    log = tmp_path / "explore.log"
    # SOLARA_ASSETS_CDN: anything the page asked for beyond the assets on disk fails here, locally,
    # instead of going to a public CDN (and the test sees the failed request).
    env = {**os.environ, "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/npm/"}
    with open(log, "w") as out:
        proc = subprocess.Popen([*_escalation(), "explore", "baseline", "--port", str(port)], stdout=out,
                                stderr=subprocess.STDOUT, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 45
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the explorer exited ({proc.returncode}):\n{log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the explorer did not answer within 45 s:\n{log.read_text()[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)


@pytest.mark.slow
def test_explorer_page_in_chromium(server, tmp_path):
    with _browser.page(tmp_path, width=1500, height=1100) as page:
        problems: list[str] = []
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
        page.on("response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
        page.goto(server)
        status = page.locator(".escalation-status")
        status.wait_for(timeout=30_000)
        assert status.inner_text().startswith("Day 0 of 365")
        assert page.locator(".escalation-settings").inner_text() == "Scenario 'baseline' as written, seed 1."

        # the DPRK's response to drills: to the top of its range, then Reset builds a new model with it
        slider = page.locator(".v-input", has_text="DPRK: launch response to drills").get_by_role("slider")
        assert float(slider.get_attribute("aria-valuenow")) == pytest.approx(1.4)
        slider.focus()
        slider.press("End")
        page.wait_for_function("e => e.getAttribute('aria-valuenow') === '4'", arg=slider.element_handle())
        page.get_by_role("button", name="Reset").click()
        settings = page.locator(".escalation-settings", has_text="drill_response 1.4 → 4")
        settings.wait_for(timeout=15_000)
        before = page.evaluate("[...document.images].map(i => i.src)")
        assert len(before) == 3

        step = page.get_by_role("button", name="Step")
        for day in range(1, 6):
            step.click()
            page.locator(".escalation-status", has_text=f"Day {day} of 365").wait_for(timeout=15_000)
        assert re.search(r"Day 5 of 365 \(2023-01-05\): escalation index \d+\.\d", status.inner_text())
        page.wait_for_function(
            "before => [...document.images].every(i => i.complete && i.naturalWidth > 0)"
            " && document.images[0].src !== before[0]",
            arg=before, timeout=15_000)
        assert page.locator("text=Time: 5.0").count() == 1  # SolaraViz's own step counter agrees
        assert not problems, problems
        shot = tmp_path / "explorer.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 20_000
        _browser.keep(shot)

