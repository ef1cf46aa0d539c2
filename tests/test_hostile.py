"""Hostile and careless input: one line on stderr, exit 2, no traceback, nothing written, bounded resources.

Every case is a row of CASES: a name, the files to put in an empty working folder (text,
bytes, or a mutation of a bundled scenario), the command line, and a fragment the one error
line must contain. Each runs the real `escalation` entry point in a forked child whose
memory may grow by at most tests/_sandbox.MEMORY_BYTES and which is killed at a deadline;
the test asserts the contract and that the working folder (and the folder around it) is
byte for byte as it was. Adding a case is adding a row.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from tests._sandbox import Sandbox

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork and /proc based sandbox")

REPO = Path(__file__).resolve().parents[1]
BASE = (REPO / "scenarios" / "baseline.yaml").read_text()
SPEC = ("name: x\ndescription: d\nquestion: q\nscenarios: [baseline]\noutcomes: [test_days]\n")
Files = dict[str, "str | bytes"]


@dataclass
class Case:
    name: str
    files: Files
    expect: str  # a fragment of the one error line
    args: list[str] = field(default_factory=lambda: ["validate", "case.yaml"])
    env: dict[str, str] = field(default_factory=dict)


def base(edit: Callable[[str], str] = lambda t: t) -> Files:
    """A mutation of the bundled baseline, written as case.yaml."""
    return {"case.yaml": edit(BASE)}


def child(text: str) -> Files:
    """A scenario extending the bundled baseline by name."""
    return {"case.yaml": "extends: baseline\nname: case\n" + text}


def bomb(levels: int) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def chain(n: int) -> Files:
    files: Files = {f"s{i}.yaml": f"extends: s{i + 1}.yaml\n" for i in range(n)}
    files[f"s{n}.yaml"] = BASE
    files["case.yaml"] = "extends: s0.yaml\nname: deep\n"
    return files


def many_actors(n: int) -> str:
    return "actors:\n" + "".join(f"  A{i}: {{role: ally}}\n" for i in range(n))


def many_entries(n: int) -> str:
    return "calendar:\n" + "".join("  - {type: visit, date: 2023-03-01, host: US, visitor: ROK}\n" for _ in range(n))


RUN = ["run", "baseline", "--days", "5", "--no-plot"]
BATCH = ["batch", "baseline", "-r", "2", "--days", "5", "--no-progress"]
SWEEP = ["sweep", "baseline", "-p", "world.sanctions=0:1", "--design", "lhs", "-n", "2", "--days", "5", "--no-progress"]
RUN_MANIFEST = json.dumps({"kind": "run", "scenario": "other", "scenario_hash": "0" * 16, "seed": 9, "days": 9})
BATCH_MANIFEST = json.dumps({"kind": "batch", "status": "complete", "plan_hash": "0" * 16})

CASES = [
    # -- YAML: resources --------------------------------------------------------------------
    Case("alias bomb 9 levels", {"case.yaml": bomb(9)}, "ESCALATION_MAX_YAML_NODES"),
    Case("alias bomb 12 levels", {"case.yaml": bomb(12)}, "after expanding aliases"),
    Case("recursive alias", {"case.yaml": "a: &a [1, *a]\n"}, "refers to a value that contains it"),
    Case("nesting 1000 flow", {"case.yaml": "a: " + "[" * 1000 + "]" * 1000 + "\n"}, "YAML nesting depth"),
    Case("nesting 200 block", {"case.yaml": "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "x: 1\n"},
         "YAML nesting depth"),
    Case("file over 2 MB", {"case.yaml": "description: " + "x" * (3 * 1024 * 1024) + "\n"}, "ESCALATION_MAX_FILE_MB"),
    Case("lowered value limit", base(), "more than 50 values", env={"ESCALATION_MAX_YAML_NODES": "50"}),
    Case("too many values", {"case.yaml": "a: [" + ",".join(["1"] * 250_000) + "]\n"}, "ESCALATION_MAX_YAML_NODES"),
    # -- YAML: encodings and characters -------------------------------------------------------
    Case("latin-1", {"case.yaml": (BASE + "# caf\u00e9\n").encode("latin-1")}, "not UTF-8 text"),
    Case("UTF-16 without BOM", {"case.yaml": BASE.encode("utf-16-le")}, "UTF-16 without a byte-order mark"),
    Case("UTF-16 BOM, bad body", {"case.yaml": codecs.BOM_UTF16_LE + b"\x00\xd8"}, "not UTF-16 text"),
    Case("NUL byte", base(lambda t: t.replace("seed: 1", "seed: 1\x00")), ":9: character U+0000"),
    Case("bell character", base(lambda t: t.replace("days: 365", "days: 3\x0765")), "character U+0007"),
    # -- YAML: structure ------------------------------------------------------------------------
    Case("complex key", {"case.yaml": "? [a, b]\n: 1\n"}, "a key must be a plain name, not a list"),
    Case("mapping as key", {"case.yaml": "? {a: 1}\n: 1\n"}, "not a mapping"),
    Case("duplicate key", base(lambda t: t.replace("seed: 1", "seed: 1\nseed: 2")), ":10: not valid YAML: duplicate key 'seed'"),
    Case("python tag", {"case.yaml": "name: !!python/object/apply:os.system ['touch pwned']\n"}, "could not determine a constructor"),
    Case("empty file", {"case.yaml": ""}, "expected a mapping of scenario fields"),
    Case("top-level list", {"case.yaml": "- a\n- b\n"}, "expected a mapping of scenario fields"),
    Case("unclosed bracket", base(lambda t: t.replace("noise: 0.01", "noise: [0.01")), "not valid YAML"),
    Case("tab indentation", {"case.yaml": "name: x\nworld:\n\tsanctions: 1\n"}, "not valid YAML"),
    Case("newline in file name", {"bad\nname.yaml": "name: [\n"}, "bad\\nname.yaml:2:", args=["validate", "bad\nname.yaml"]),
    # -- extends ----------------------------------------------------------------------------------
    Case("extends cycle", {"case.yaml": "name: a\nextends: other.yaml\n", "other.yaml": "\nextends: case.yaml\n"},
         "other.yaml:2: extends: cycle case.yaml -> other.yaml -> case.yaml"),
    Case("extends itself", {"case.yaml": "name: a\n\nextends: case.yaml\n"}, "case.yaml:3: extends: cycle"),
    Case("extends /etc/passwd", {"case.yaml": "name: a\nextends: /etc/passwd\n"}, "case.yaml:2: extends: '/etc/passwd' is neither"),
    Case("extends a URL", {"case.yaml": "extends: https://example.org/x.yaml\n"}, "case.yaml:1: extends: 'https://example.org/x.yaml' is a URL"),
    Case("extends a missing file", {"case.yaml": "extends: nowhere.yaml\n"}, "case.yaml:1: extends: no such file 'nowhere.yaml'"),
    Case("extends a folder", {"case.yaml": "extends: sub.yaml\n", "sub.yaml/keep": ""}, "no such file 'sub.yaml'"),
    Case("extends a list", {"case.yaml": "extends: [a.yaml]\n"}, "extends: expected a scenario file"),
    Case("extends chain too long", chain(20), "more than 16 files in a chain"),
    Case("parent with a YAML error", {"case.yaml": "extends: p.yaml\n", "p.yaml": "name: a\nname: b\n"},
         "p.yaml:2: not valid YAML: duplicate key 'name'"),
    # -- limits of a scenario -----------------------------------------------------------------------
    Case("end 9999-12-31", child("end: 9999-12-31\ndays: null\n"), "ESCALATION_MAX_DAYS"),
    Case("start 9999-12-25", child("start: 9999-12-25\ndays: 10\n"), "start: 9999-12-25 is outside"),
    Case("run past 2262", child("start: 2262-04-01\ndays: 30\n"), "the last date the result tables can hold"),
    Case("start 1600", child("start: 1600-01-01\n"), "start: 1600-01-01 is outside"),
    Case("calendar date 9999", child("calendar:\n  - {type: visit, date: 9999-01-01, host: US, visitor: ROK}\n"),
         "calendar.0.date: 9999-01-01 is outside"),
    Case("600 actors", child(many_actors(600)), "ESCALATION_MAX_ACTORS"),
    Case("64 actors for 3000 days", child(many_actors(59) + "days: 3000\n"), "ESCALATION_MAX_RUN_CELLS"),
    Case("10001 calendar entries", child(many_entries(10_001)), "ESCALATION_MAX_CALENDAR"),
    Case("lowered actor limit", base(), "over the limit of 3 actors", env={"ESCALATION_MAX_ACTORS": "3"}),
    Case("bad limit variable", base(), "ESCALATION_MAX_ACTORS='many'", env={"ESCALATION_MAX_ACTORS": "many"}),
    # -- limits of a job --------------------------------------------------------------------------------
    Case("run --days 100000000", {}, "--days: 100,000,000 days", args=["run", "baseline", "--days", "100000000"]),
    Case("batch --days 100000000", {}, "--days: 100,000,000 days", args=[*BATCH, "--days", "100000000"]),
    Case("sweep --days 100000000", {}, "--days: 100,000,000 days", args=[*SWEEP, "--days", "100000000"]),
    Case("batch -r 1000000000", {}, "ESCALATION_MAX_RUNS", args=["batch", "baseline", "-r", "1000000000"]),
    Case("sweep grid 10^8 levels", {}, "ESCALATION_MAX_RUNS",
         args=["sweep", "baseline", "-p", "world.sanctions=0:1", "-p", "dynamics.noise=0:1", "-d", "grid", "-n", "100000000"]),
    Case("sweep sobol 10^8", {}, "ESCALATION_MAX_RUNS",
         args=["sweep", "baseline", "-p", "world.sanctions=0:1", "-d", "sobol", "-n", "100000000"]),
    Case("sweep range 0:inf", {}, "world.sanctions: expected a finite number, got 'inf'",
         args=["sweep", "baseline", "-p", "world.sanctions=0:inf"]),
    Case("sweep values nan", {}, "expected a finite number, got 'nan'", args=["sweep", "baseline", "-p", "world.sanctions=nan,1"]),
    Case("sweep start into year 9999", {}, "start=9999-12-25: start: 9999-12-25 is outside",
         args=["sweep", "baseline", "-p", "start=9999-12-25,2023-01-01", "-d", "grid"]),
    Case("sweep range 1e400", {}, "expected a finite number", args=["sweep", "baseline", "-p", "world.sanctions=0:1e400"]),
    # -- experiment specs -----------------------------------------------------------------------------
    Case("spec duplicate key", {"spec.yaml": SPEC + "replications: 2\nreplications: 3\n"}, "spec.yaml:7: not valid YAML: duplicate key",
         args=["experiment", "spec.yaml"]),
    Case("spec unknown field", {"spec.yaml": SPEC + "replicatons: 3\n"}, "spec.yaml:6: replicatons: unknown field",
         args=["experiment", "spec.yaml"]),
    Case("spec range to .inf", {"spec.yaml": SPEC + "sweep:\n  design: lhs\n  params:\n    - {path: world.sanctions, low: 0, high: .inf}\n"},
         "spec.yaml:9: sweep.params.0.high: expected a finite number", args=["experiment", "spec.yaml"]),
    Case("spec values .nan", {"spec.yaml": SPEC + "sweep:\n  params:\n    - {path: world.sanctions, values: [.nan]}\n"},
         "expected finite numbers", args=["experiment", "spec.yaml"]),
    Case("spec days 10^6", {"spec.yaml": SPEC + "days: 1000000\n"}, "spec.yaml:6: days: 1,000,000 days", args=["experiment", "spec.yaml"]),
    Case("spec replications 10^9", {"spec.yaml": SPEC + "replications: 1000000000\n"}, "ESCALATION_MAX_RUNS",
         args=["experiment", "spec.yaml"]),
    Case("spec sweep 10^8 samples", {"spec.yaml": SPEC + "sweep: {design: lhs, samples: 100000000, params: "
                                      "[{path: world.sanctions, low: 0, high: 1}]}\n"}, "ESCALATION_MAX_RUNS",
         args=["experiment", "spec.yaml"]),
    Case("spec alias bomb", {"spec.yaml": bomb(9)}, "ESCALATION_MAX_YAML_NODES", args=["experiment", "spec.yaml"]),
    Case("spec latin-1", {"spec.yaml": (SPEC + "# caf\u00e9\n").encode("latin-1")}, "not UTF-8", args=["experiment", "spec.yaml"]),
    Case("spec scenario with a bad date", {"spec.yaml": SPEC.replace("[baseline]", "[case.yaml]"),
                                           **child("start: 9999-12-25\ndays: 10\n")},
         "start: 9999-12-25 is outside", args=["experiment", "spec.yaml"]),
    # -- output folders ---------------------------------------------------------------------------------
    Case("run --out a file", {"taken": "x"}, "taken: exists and is not a folder", args=[*RUN, "--out", "taken"]),
    Case("run --out under a file", {"taken": "x"}, "which is not a folder", args=[*RUN, "--out", "taken/sub"]),
    Case("run --out /dev/null", {}, "/dev/null: exists and is not a folder", args=[*RUN, "--out", "/dev/null"]),
    Case("batch --out /dev/null", {}, "/dev/null: exists and is not a folder", args=[*BATCH, "--out", "/dev/null"]),
    Case("batch --out under a file", {"taken": "x"}, "which is not a folder", args=[*BATCH, "--out", "taken/b"]),
    Case("sweep --out a file", {"taken": "x"}, "exists and is not a folder", args=[*SWEEP, "--out", "taken"]),
    Case("experiment --out under a file", {"spec.yaml": SPEC + "replications: 1\ndays: 5\n", "taken": "x"},
         "which is not a folder", args=["experiment", "spec.yaml", "--out", "taken/e"]),
    Case("run --out name too long", {}, "longer than 255 bytes", args=[*RUN, "--out", "x" * 300]),
    Case("run --out unwritable", {}, "/proc/no/such", args=[*RUN, "--out", "/proc/no/such"]),
    Case("run over another run", {"old/manifest.json": RUN_MANIFEST, "old/daily.parquet": b"PAR1"},
         "old holds another run: pass --force", args=[*RUN, "--out", "old"]),
    Case("run over a batch", {"old/manifest.json": BATCH_MANIFEST}, "old holds another batch", args=[*RUN, "--out", "old"]),
    Case("batch over a run", {"old/manifest.json": RUN_MANIFEST, "old/summary.json": "{}"}, "old holds a single run",
         args=[*BATCH, "--out", "old"]),
    Case("batch over a batch", {"old/manifest.json": BATCH_MANIFEST}, "old already holds a batch: pass --resume",
         args=[*BATCH, "--out", "old"]),
    Case("sweep over a batch", {"old/manifest.json": BATCH_MANIFEST}, "already holds a batch", args=[*SWEEP, "--out", "old"]),
    Case("run over a user's own file", {"mine/calendar.csv": "my,own\n"}, "mine already has calendar.csv",
         args=[*RUN, "--out", "mine"]),
    Case("batch over a user's own folder", {"mine/summary/notes.txt": "mine"}, "mine already has summary",
         args=[*BATCH, "--out", "mine"]),
    Case("--force with --resume", {}, "contradict", args=[*BATCH, "--out", "b", "--force", "--resume"]),
    Case("unknown --format", {}, "--format: unknown 'xlsx'", args=[*BATCH, "--format", "xlsx"]),
]

# Scenario values (sim/schema/scenario.py): finite numbers, bounds, one provocateur, known actors.
VALUE_CASES = [
    Case("drill_response .nan", child("actors: {DPRK: {role: provocateur, policy: {params: {drill_response: .nan}}}}\n"), "finite"),
    Case("grievance .inf", base(lambda t: t.replace("grievance_ab: 0.015", "grievance_ab: .inf", 1)), "finite"),
    Case("noise .nan", child("dynamics: {noise: .nan}\n"), "finite"),
    Case("probability above 1", child("actors: {US: {role: ally, policy: {params: {un_sponsor: 1.5}}}}\n"), "less than or equal to 1"),
    Case("negative rate", child("actors: {Japan: {role: ally, policy: {params: {response_rate: -0.2}}}}\n"), "greater than or equal to 0"),
    Case("two provocateurs", child("actors: {ROK: {role: provocateur}}\n"), "exactly one actor needs role 'provocateur'"),
    Case("shock names an unknown actor", child("calendar:\n  - {type: shock, date: 2023-02-01, tension: {'DPRK->Mars': 0.5}}\n"), "Mars"),
    Case("shock key without ->", child("calendar:\n  - {type: shock, date: 2023-02-01, tension: {DPRK: 0.5}}\n"), "A->B"),
    Case("actor related to itself", child("relations:\n  - {a: US, b: US}\n"), "itself"),
    Case("the same pair twice", base(lambda t: t.replace("relations:\n", "relations:\n  - {a: ROK, b: US, kind: adversary}\n")), "already given"),
    Case("one-actor scenario", {"case.yaml": "name: solo\ndescription: d\nstart: 2023-01-01\ndays: 5\nactors: {DPRK: {role: provocateur}}\n"}, "adversary"),
]
CASES += VALUE_CASES


def _snapshot(root: Path) -> dict[str, str]:
    """Every file and folder under `root`, with a hash of each file's bytes."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        out[rel] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return out


@pytest.fixture(scope="module")
def sandbox():
    box = Sandbox()
    yield box
    box.close()


def _lay_out(work: Path, files: Files) -> None:
    for name, content in files.items():
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_is_one_line_and_writes_nothing(case, sandbox, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    _lay_out(work, case.files)
    before = _snapshot(tmp_path)
    got = sandbox.run(case.args, cwd=work, env=case.env)
    assert not got.killed, f"stopped by {got.killed}; stderr: {got.stderr[-500:]}"
    assert got.code == 2, (got.code, got.stderr[-2000:])
    assert "Traceback" not in got.stderr
    assert got.stderr.endswith("\n") and got.stderr.count("\n") == 1, got.stderr
    assert got.stderr.startswith("error: ") and case.expect in got.stderr, got.stderr
    assert _snapshot(tmp_path) == before


def test_table_names_are_unique():
    assert len({c.name for c in CASES}) == len(CASES)


# -- the limits themselves ------------------------------------------------------------------------

def test_a_limit_is_raised_by_its_variable(tmp_path, monkeypatch):
    from sim.schema.loader import ScenarioError, load_scenario

    path = tmp_path / "long.yaml"
    path.write_text("extends: baseline\nname: long\ndays: null\nend: 2132-01-01\n")
    with pytest.raises(ScenarioError, match="ESCALATION_MAX_DAYS"):
        load_scenario(path)
    monkeypatch.setenv("ESCALATION_MAX_DAYS", "40000")
    assert load_scenario(path).n_days == 39812


def test_large_plans_get_an_estimate_and_small_ones_none(tmp_path):
    from sim.run.preflight import plan_batch
    from sim.schema.loader import load_scenario

    base = load_scenario("baseline")
    assert plan_batch([base], 10, None).notice(tmp_path) is None
    notice = plan_batch([base], 50_000, 3650, workers=2).notice(tmp_path)
    assert notice.startswith("50,000 runs of 3,650 days on 2 worker(s): about ") and " GB" in notice


@pytest.mark.slow
def test_alias_expansion_is_measured_not_performed(tmp_path):
    """A billion-value bomb is refused by counting shared nodes once each."""
    from sim.limits import LimitError
    from sim.schema.yamlio import read_yaml

    path = tmp_path / "bomb.yaml"
    path.write_text(bomb(10))
    with pytest.raises(LimitError, match="expanding aliases gives more than 200,000 values"):
        read_yaml(path)
    path.write_text("base: &b {x: 1, y: [1, 2]}\nfirst: *b\nsecond: {<<: *b, x: 2}\n")
    data, lines = read_yaml(path)
    assert data["first"] == {"x": 1, "y": [1, 2]} and data["second"]["x"] == 2
    assert lines.line(("second", "x")) == 3 and lines.line(("first", "y")) == 2
