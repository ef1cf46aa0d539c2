"""`escalation explore`: the interactive model page (Solara, on Mesa's model).

The model side is tested directly (the keyword-parameter model, its sliders, the live panels
mid-run, which must redraw only what changed, and what a Step costs on the server, logged
and never asserted); the page is tested for real: the command serves it on a free loopback
port, headless Chromium opens it, reads every slider's value, moves one, presses Reset, Step
and Play, and checks that the run went on with the new value, that the figures were redrawn
and that the server logged no warning. The browser test skips, with a message, only when no
Chromium is installed.
"""

from __future__ import annotations

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
from sim.explore.live import Live
from sim.explore.model import KNOB_NAMES, ExplorerModel, configure, model_params, scenario_values
from sim.explore.trace import Trace
from sim.run import tables
from sim.schema.loader import load_scenario
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
    assert none == {} and same.actors["Japan"].policy.params.response_rate == \
        load_scenario("baseline").actors["Japan"].policy.params.response_rate
    with pytest.raises(ValueError, match="unknown explorer parameter"):
        configure("baseline", drill_responce=1.0)


@pytest.mark.slow
def test_model_params_are_valid_for_solaraviz():
    from mesa.visualization.solara_viz import _check_model_params

    params = model_params("baseline")
    _check_model_params(ExplorerModel.__init__, params)
    assert params["scenario_name"] == "baseline"
    for name in ("seed", "days", *KNOB_NAMES):
        p = params[name]
        assert p["type"] in ("SliderInt", "SliderFloat") and p["min"] <= p["value"] <= p["max"], (name, p)
    assert params["drill_response"]["value"] == pytest.approx(
        load_scenario("baseline").actors["DPRK"].policy.params.drill_response)
    assert params["days"]["value"] == 365


@pytest.mark.slow
def test_panels_draw_mid_run_and_only_what_changed():
    live = Live(ExplorerModel("drills_then_launches", days=120))
    assert components.status_line(live.model, live.trace).startswith("Day 0 of 120")
    assert live.last.text().startswith("Figures drawn in")
    drawn = {name: p.frames for name, p in live.panels.items()}
    assert drawn == {"curve": 1, "network": 1, "timeline": 1}
    while live.model.day < 40:
        before = {name: live.png(name) for name in live.panels}
        frames = {name: p.frames for name, p in live.panels.items()}
        events = len(live.trace.events())
        assert live.advance(1) == 1
        after = {name: live.png(name) for name in live.panels}
        assert live.panels["curve"].frames == frames["curve"] + 1  # the curve grows every day
        # the timeline is drawn again only when an action was taken, and otherwise sends the same bytes
        new_events = len(live.trace.events()) > events or live.model.day == 1
        assert (after["timeline"] is not before["timeline"]) == new_events
        assert (live.panels["timeline"].frames > frames["timeline"]) == new_events
        if after["network"] is before["network"]:
            assert live.panels["network"].frames == frames["network"]
    redrawn = {name: p.frames - drawn[name] for name, p in live.panels.items()}
    assert redrawn["curve"] == 40 and 0 < redrawn["timeline"] < 40 and 0 < redrawn["network"] < 40
    assert "Last step: model" in live.last.text()

    daily, events = tables.daily_frame(live.model), tables.events_frame(live.model)
    assert len(daily) == 40 and (events["day"] < 40).all()
    curve = live.panels["curve"]
    assert len(curve.line.get_xdata()) == 40
    assert curve.readout.get_text().startswith("day 40 (")
    assert "Day 40 of 120" in components.status_line(live.model, live.trace)
    acts = events[events["action"] != "wait"]
    assert live.panels["timeline"].count.get_text() == f"{len(acts)} actions"
    for fig in (components.curve_figure(live.model), components.network_figure(live.model),
                components.timeline_figure(live.model)):
        fig.canvas.draw()  # the whole figures too, for a notebook


def test_trace_reads_what_the_tables_hold():
    model = ExplorerModel("baseline", days=150)
    trace = Trace(model)
    for _ in range(3):
        model.run_for(50)
        daily = tables.daily_frame(model)
        np.testing.assert_array_equal(trace.series("escalation_index"), daily["escalation_index"])
        np.testing.assert_array_equal(trace.series("test_day"), daily["test_day"])
        events = tables.events_frame(model)
        events = events[events["action"] != "wait"]
        got = [(e.day, e.actor, e.action, e.missile_class, e.salvo) for e in trace.events()]
        assert got == list(events[["day", "actor", "action", "missile_class", "salvo"]].itertuples(index=False, name=None))
        last = trace.last()
        assert last["index"] == daily["escalation_index"].iloc[-1] and last["rung"] == daily["ladder_rung"].iloc[-1]
        assert last["missiles"] == daily["missiles"].sum() and last["tests"] == daily["test_day"].sum()


def test_slider_values_are_formatted_by_their_step():
    params = model_params("baseline")
    shown = {name: components.fmt_value(params[name]["value"], params[name]) for name in ("seed", "days", *KNOB_NAMES)}
    assert shown["seed"] == "1" and shown["days"] == "365"
    assert shown["cooperation_rate"] == "0.004" and shown["sanctions"] == "0.50" and shown["noise"] == "0.010"
    for name in ("drill_response", "election_leverage", "tension_response", "response_rate"):
        value = params[name]["value"]
        assert shown[name] == f"{value:.2f}"  # a step of 0.05 or 0.01: two decimals


@pytest.mark.slow
def test_step_time_is_measured(capsys):
    """The server-side cost of a Step (model and figures), over the first 45 days: logged, not asserted."""
    live = Live(ExplorerModel("baseline"))
    times = []
    for _ in range(45):
        start = time.perf_counter()
        live.advance(1)
        times.append(1000 * (time.perf_counter() - start))
    assert live.model.running and len(times) == 45
    q = np.percentile(times, [50, 90, 100])
    with capsys.disabled():
        print(f"\nexplorer Step, server side over 45 days: median {q[0]:.0f} ms, 90th percentile {q[1]:.0f} ms, "
              f"max {q[2]:.0f} ms")


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


def test_install_assets_is_the_install_step(tmp_path, monkeypatch):
    from sim.explore import assets

    monkeypatch.setenv(assets.ENV, str(tmp_path))
    assert assets.cache_dir() == tmp_path
    assert {p for p, _ in assets.needed()} >= {"requirejs", "font-awesome"}
    runner = CliRunner()
    monkeypatch.setattr(assets.shutil, "which", lambda name: None)  # a machine without npm
    bad = runner.invoke(app, ["explore", "--install-assets"])
    assert bad.exit_code == 2 and len(bad.output.strip().splitlines()) == 1
    assert bad.output.startswith("error: could not install the explorer's browser assets: npm (Node.js) is needed")
    for package, version in assets.needed():  # as `npm pack` leaves them
        (tmp_path / f"{package}@{version}").mkdir(parents=True)
        (tmp_path / f"{package}@{version}" / "package.json").write_text("{}")
    good = runner.invoke(app, ["explore", "--install-assets"])
    assert good.exit_code == 0 and good.output.strip() == f"explorer assets already installed in {tmp_path}"
    assert assets.missing() == []


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
    """`escalation explore baseline` on a free loopback port; yields its URL and log, stops it after."""
    if _browser.chromium() is None:
        pytest.skip("no Chromium installed (looked for /usr/bin/chromium): run `bash .ci/install_browser.sh`")
    from sim.explore import assets

    assets.ensure()  # a no-op after the install step (`escalation explore --install-assets`)
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
        yield url, log
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)


SERVER_LINES = (re.compile(r"explorer of '[^']+' at http://\S+ \(Ctrl-C stops it\)$"),
                re.compile(r"Solara server is starting at http://\S+$"))


def _knob(page, label: str):
    """The slider block whose label is exactly `label`."""
    exact = page.locator(".escalation-knob-label", has_text=re.compile(f"^{re.escape(label)}$"))
    return page.locator(".escalation-knob").filter(has=exact)


@pytest.mark.slow
def test_explorer_page_in_chromium(server, tmp_path, capsys):
    url, log = server
    with _browser.page(tmp_path, width=1500, height=1100) as page:
        problems: list[str] = []
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
        page.on("response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
        page.goto(url)
        page.locator(".escalation-status").wait_for(timeout=30_000)
        assert page.locator(".escalation-status").inner_text().startswith("Day 0 of 365")
        assert page.locator(".escalation-settings").inner_text() == "Scenario 'baseline' as written, seed 1."
        _sliders_show_their_values(page)
        _move_a_slider_and_reset(page)
        trips, server_side = _step(page, 5)
        reached, played = _play_and_pause(page)
        with capsys.disabled():
            print(f"\nexplorer in Chromium: Step round trip median {np.median(trips):.0f} ms "
                  f"(max {max(trips):.0f} ms; server side, last step: {server_side[-1]}); "
                  f"Play: day 5 to {reached} in {played:.1f} s at {components.SPEED['value']} days/s")
        shot = tmp_path / "explorer.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 20_000
        _browser.keep(shot)
        page.reload()  # a second page load, then a short run played to its end
        _play_a_short_run_to_its_end(page)
        assert not problems, problems
    # no warnings or tracebacks in the server's log: only its two start-up lines
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    assert all(any(p.match(line) for p in SERVER_LINES) for line in lines), lines


def _sliders_show_their_values(page) -> None:
    """Every slider shows its value, and the value shown is the slider's own."""
    params = model_params("baseline")
    for name in ("seed", "days", *KNOB_NAMES):
        knob = _knob(page, params[name]["label"])
        shown = knob.locator(".escalation-knob-value").inner_text()
        assert shown == components.fmt_value(params[name]["value"], params[name]), name
        step = params[name]["step"]  # a slider snaps a calibrated value to its grid
        assert abs(float(knob.get_by_role("slider").get_attribute("aria-valuenow")) - float(shown)) <= step / 2 + 1e-9, name
    assert _knob(page, "Play speed (days per second)").locator(".escalation-knob-value").inner_text() == \
        str(components.SPEED["value"])


def _move_a_slider_and_reset(page) -> None:
    """The DPRK's response to drills to the top of its range: the readout follows, Reset applies it."""
    knob = _knob(page, "DPRK: launch response to drills")
    slider = knob.get_by_role("slider")
    slider.focus()
    slider.press("End")
    page.wait_for_function("e => e.getAttribute('aria-valuenow') === '4'", arg=slider.element_handle())
    knob.locator(".escalation-knob-value", has_text="4.00").wait_for(timeout=10_000)
    own = scenario_values("baseline")["drill_response"]
    assert knob.locator(".escalation-knob-default").inner_text() == f"scenario: {own:.2f}"
    page.locator(".escalation-pending").wait_for(timeout=10_000)
    page.get_by_role("button", name="Reset").click()
    page.locator(".escalation-settings", has_text=f"drill_response {own:.4g} → 4").wait_for(timeout=15_000)
    # the new settings and the cleared marker can reach the page in separate updates: wait for both
    page.locator(".escalation-pending").wait_for(state="detached", timeout=15_000)
    page.wait_for_function("() => document.querySelectorAll('img.escalation-figure').length === 3", timeout=15_000)


def _step(page, days: int) -> tuple[list[float], list[str]]:
    """Step `days` times; each Step's round trip (click to new status and curve loaded), in ms,
    and the server's own account of it."""
    step = page.get_by_role("button", name="Step")
    trips, server_side = [], []
    for day in range(1, days + 1):
        before = page.evaluate("[...document.querySelectorAll('img.escalation-figure')].map(i => i.src)")
        start = time.perf_counter()
        step.click()
        page.locator(".escalation-status", has_text=f"Day {day} of 365").wait_for(timeout=15_000)
        page.wait_for_function("before => document.querySelector('img.escalation-curve').src !== before[0]"
                               " && [...document.images].every(i => i.complete && i.naturalWidth > 0)",
                               arg=before, timeout=15_000)
        trips.append(1000 * (time.perf_counter() - start))
        server_side.append(page.locator(".escalation-timing").inner_text())
    status = page.locator(".escalation-status").inner_text()
    assert re.search(rf"Day {days} of 365 \(2023-01-{days:02d}\): escalation index \d+\.\d", status), status
    assert all(t.startswith("Last step: model") for t in server_side), server_side
    return trips, server_side


def _play_and_pause(page) -> tuple[int, float]:
    """Play until day 25, then pause: the day reached and the seconds it took."""
    page.get_by_role("button", name="▶").click()
    start = time.perf_counter()
    page.wait_for_function("() => +document.querySelector('.escalation-status').innerText.match(/Day (\\d+)/)[1] >= 25",
                           timeout=60_000)
    page.get_by_role("button", name="❚❚").click()
    played = time.perf_counter() - start
    page.get_by_role("button", name="▶").wait_for(timeout=10_000)
    # ▶ and an enabled Step can reach the page in separate updates: wait for both
    page.wait_for_function("() => [...document.querySelectorAll('button')].some("
                           "b => b.textContent.trim() === 'Step' && !b.disabled)", timeout=10_000)
    reached = int(re.match(r"Day (\d+)", page.locator(".escalation-status").inner_text()).group(1))
    assert reached >= 25
    return reached, played


def _play_a_short_run_to_its_end(page) -> None:
    """Ten days, played: the run stops by itself at the end and ▶ and Step are disabled."""
    page.locator(".escalation-status", has_text="Day 0 of 365").wait_for(timeout=30_000)
    days = _knob(page, "Days").get_by_role("slider")
    days.focus()
    days.press("Home")
    _knob(page, "Days").locator(".escalation-knob-value", has_text="10").wait_for(timeout=10_000)
    page.get_by_role("button", name="Reset").click()
    page.locator(".escalation-status", has_text="Day 0 of 10").wait_for(timeout=15_000)
    page.get_by_role("button", name="▶").click()
    page.locator(".escalation-status", has_text="Day 10 of 10").wait_for(timeout=30_000)
    page.wait_for_function("() => [...document.querySelectorAll('button')].filter("
                           "b => ['▶', 'Step'].includes(b.textContent.trim()) && b.disabled).length === 2",
                           timeout=10_000)
