"""Scenario files: every bundled one validates; every kind of bad file gets one line and exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.schema.loader import ScenarioError, bundled_scenarios, load_scenario, scenario_hash

ROOT = Path(__file__).resolve().parents[1]
GOOD_HEAD = "name: t\ndescription: a test\nstart: 2023-01-01\ndays: 30\n"
ACTORS = "actors:\n  DPRK: {role: provocateur}\n  ROK: {role: ally}\n"


def test_at_least_ten_bundled_scenarios_all_valid_with_questions():
    bundled = bundled_scenarios()
    assert len(bundled) >= 10
    for name in ("baseline", "historical_2010_2019", "drills_suspended", "arms_race", "dialogue_first", "sanctions_first"):
        assert name in bundled
    for path in bundled.values():
        sc = load_scenario(path)
        assert sc.question and sc.description


def test_extends_overrides_only_what_differs(tmp_path):
    child = tmp_path / "child.yaml"
    child.write_text(f"extends: {ROOT / 'scenarios' / 'baseline.yaml'}\nname: child\nworld: {{sanctions: 0.9}}\n")
    base, sc = load_scenario("baseline"), load_scenario(child)
    assert sc.world.sanctions == 0.9 and sc.world.orientation == base.world.orientation
    assert sc.actors == base.actors and sc.calendar == base.calendar
    assert scenario_hash(sc) != scenario_hash(base)


def test_historical_scenario_builds_its_calendar_from_packaged_data():
    sc = load_scenario("historical_2010_2019")
    kinds = {e.type for e in sc.calendar}
    assert {"drill", "summit", "election", "government_change", "sanctions_resolution"} <= kinds
    assert sc.sources and "sim/data" in sc.sources[0]
    assert sc.n_days == 3652


BAD = {
    "not_yaml": ("name: [unclosed\n", "not valid YAML"),
    "top_level_list": ("- a\n- b\n", "expected a mapping"),
    "unknown_field": (GOOD_HEAD + ACTORS + "colour: red\n", "colour: unknown field 'colour'"),
    "missing_required": ("name: t\nstart: 2023-01-01\ndays: 3\n" + ACTORS, "description: required field is missing"),
    "bad_date": ("name: t\ndescription: d\nstart: 2023-13-45\ndays: 3\n" + ACTORS, "start:"),
    "end_before_start": ("name: t\ndescription: d\nstart: 2023-05-01\nend: 2023-01-01\n" + ACTORS, "is before start"),
    "wrong_type": (GOOD_HEAD + ACTORS + "dynamics: {noise: lots}\n", "dynamics.noise: input should be a valid number"),
    "out_of_range": (GOOD_HEAD + ACTORS + "world: {sanctions: 1.5}\n", "world.sanctions: input should be less than or equal to 1"),
    "unknown_actor_in_relation": (GOOD_HEAD + ACTORS + "relations: [{a: DPRK, b: China}]\n", "relations.0: unknown actor 'China'"),
    "unknown_actor_in_calendar": (GOOD_HEAD + ACTORS + "calendar: [{type: drill, start: 2023-01-02, end: 2023-01-03, participants: [US, ROK]}]\n", "calendar.0: unknown actor 'US'"),
    "unknown_event_type": (GOOD_HEAD + ACTORS + "calendar: [{type: parade, date: 2023-01-02}]\n", "calendar.0"),
    "unknown_policy": (GOOD_HEAD + "actors:\n  DPRK: {role: provocateur, policy: {name: hawkish}}\n", "actors.DPRK.policy.name: input should be 'reactive'"),
    "unknown_policy_param": (GOOD_HEAD + "actors:\n  DPRK: {role: provocateur, policy: {params: {drill_respons: 2}}}\n", "actors.DPRK.policy.params.drill_respons: unknown field 'drill_respons'"),
    "no_provocateur": (GOOD_HEAD + "actors:\n  ROK: {role: ally}\n", "one actor needs role 'provocateur'"),
    "duplicate_key": (GOOD_HEAD + ACTORS + "days: 40\n", "duplicate key 'days'"),
    "python_tag": (GOOD_HEAD + ACTORS + "world: !!python/object/apply:os.system ['echo owned']\n", "not valid YAML"),
    "launch_without_class": (GOOD_HEAD + ACTORS + "calendar: [{type: action, date: 2023-01-02, actor: DPRK, action: missile_test}]\n", "needs missile_class"),
    "extends_missing": ("extends: nowhere.yaml\nname: t\n", "extends: no such file"),
    "empty_file": ("", "expected a mapping"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_file_gets_one_line(tmp_path, kind):
    text, expected = BAD[kind]
    path = tmp_path / f"{kind}.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message and expected in message


def test_error_names_the_yaml_line(tmp_path):
    path = tmp_path / "line.yaml"
    path.write_text(GOOD_HEAD + ACTORS + "world:\n  sanctions: 0.2\n  orientation: centrist\n")
    with pytest.raises(ScenarioError, match=rf"{path}:10: world.orientation"):
        load_scenario(path)


def test_extends_cycle(tmp_path):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\nname: a\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\nname: b\n")
    with pytest.raises(ScenarioError, match="cycle"):
        load_scenario(tmp_path / "a.yaml")


@pytest.mark.parametrize("kind", ["unknown_field", "python_tag", "not_yaml"])
def test_cli_validate_and_run_exit_2_without_traceback(tmp_path, kind, cli):
    path = tmp_path / f"{kind}.yaml"
    path.write_text(BAD[kind][0])
    for args in (["validate", str(path)], ["run", str(path), "--out", str(tmp_path / "out")]):
        proc = cli(*args)
        assert proc.returncode == 2
        assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
        assert proc.stderr.startswith("error: ")
    assert not (tmp_path / "out").exists()
