"""Faults after the input was fine: a full disk, damaged part files, folders holding other results.

A full disk is simulated in-process by making the atomic writer (sim.run.io) raise
OSError(ENOSPC) from a chosen write on; damaged parts are real files truncated, bit-flipped
or overwritten with garbage. The contract: one line and exit 2, nothing partial left,
`--resume` discards and reruns exactly the damaged chunks and ends with the tables of an
uninterrupted batch, and readers refuse a damaged part in one line.
"""

from __future__ import annotations

import errno
import functools
import json
import logging
import os
import stat

import pandas as pd
import pandas.testing as pdt
import pytest
from typer.testing import CliRunner

from sim.run import io as run_io
from sim.run.batch import make_tasks, run_batch
from sim.run.store import BatchStore, StoreError, read_table
from sim.schema.loader import load_scenario

TABLES = ("summary", "daily", "events")


@functools.cache
def tasks():
    return make_tasks({"baseline": load_scenario("baseline")}, 6, root_seed=3, days=30)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("ref")
    run_batch(tasks(), out, progress=False, chunk_size=2)
    return {t: read_table(out, t) for t in TABLES}


def cli(*args):
    from sim.cli import app
    return CliRunner().invoke(app, [str(a) for a in args])


def one_error_line(res, fragment: str) -> None:
    assert res.exit_code == 2, res.output
    assert res.stderr.startswith("error: ") and res.stderr.count("\n") == 1, res.stderr
    assert fragment in res.stderr, res.stderr


def disk_full_after(monkeypatch, writes: int, only: str = "") -> None:
    """Every atomic write after the first `writes` (to paths containing `only`) fails with ENOSPC."""
    original, count = run_io.atomic_write_with, [0]

    def failing(path, write):
        if only in str(path):
            count[0] += 1
            if count[0] > writes:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return original(path, write)

    monkeypatch.setattr(run_io, "atomic_write_with", failing)


# -- a full disk ---------------------------------------------------------------------------------

def test_run_on_a_full_disk_leaves_nothing(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    disk_full_after(monkeypatch, 2)
    one_error_line(cli("run", "baseline", "--days", "10", "--no-plot"), "the disk is full; nothing was written")
    assert list(tmp_path.iterdir()) == []


def test_run_on_a_full_disk_keeps_the_run_it_would_replace(monkeypatch, tmp_path):
    out = tmp_path / "run"
    assert cli("run", "baseline", "--days", "10", "--no-plot", "--out", out).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    disk_full_after(monkeypatch, 3)
    one_error_line(cli("run", "baseline", "--days", "12", "--no-plot", "--out", out, "--force"), "disk is full")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_batch_on_a_full_disk_from_the_start_leaves_nothing(monkeypatch, tmp_path):
    disk_full_after(monkeypatch, 0)
    one_error_line(cli("batch", "baseline", "-r", "2", "--days", "10", "--out", tmp_path / "a" / "b", "--no-progress"),
                   "nothing was written")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_batch_leaves_a_users_folder_as_it_was(monkeypatch, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    disk_full_after(monkeypatch, 3)
    one_error_line(cli("batch", "baseline", "-r", "2", "--days", "10", "--out", tmp_path, "--no-progress"),
                   "nothing was written")
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.slow
def test_batch_on_a_full_disk_midway_keeps_whole_chunks_then_resumes(monkeypatch, tmp_path, reference):
    out = tmp_path / "b"
    disk_full_after(monkeypatch, 2, only="summary")
    with pytest.raises(OSError, match="No space"):
        run_batch(tasks(), out, progress=False, chunk_size=2)
    assert len(BatchStore(out).completed_run_ids()) == 4 and not list(out.rglob(".*.tmp"))
    monkeypatch.undo()
    again = run_batch(tasks(), out, progress=False, chunk_size=2, resume=True)
    assert again.ran == 2 and again.status == "complete"
    for table in TABLES:
        pdt.assert_frame_equal(read_table(out, table), reference[table])


@pytest.mark.slow
def test_batch_cli_full_disk_midway_says_chunks_are_kept(monkeypatch, tmp_path):
    disk_full_after(monkeypatch, 1, only="summary")
    res = cli("batch", "baseline", "-r", "40", "--days", "10", "--out", tmp_path / "b", "--no-progress")
    one_error_line(res, "finished chunks are kept: make room and rerun with --resume")


def test_sweep_on_a_full_disk_is_one_line(monkeypatch, tmp_path):
    disk_full_after(monkeypatch, 0)
    res = cli("sweep", "baseline", "-p", "world.sanctions=0:1", "-d", "lhs", "-n", "2", "--days", "10",
              "--out", tmp_path / "s", "--no-progress")
    one_error_line(res, "the disk is full")
    assert list(tmp_path.iterdir()) == []


# -- damaged parts ----------------------------------------------------------------------------------

def truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def bit_flip(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x10
    path.write_bytes(bytes(data))


def garbage(path):
    path.write_bytes(b"not a parquet file at all")


DAMAGE = [("summary", truncate), ("summary", garbage), ("daily", bit_flip), ("daily", truncate),
          ("events", garbage), ("events", bit_flip), ("checksums", garbage)]


def _damage(out, table, how):
    path = out / table / ("part-00001.json" if table == "checksums" else "part-00001.parquet")
    how(path)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("table,how", DAMAGE, ids=[f"{t}-{h.__name__}" for t, h in DAMAGE])
def test_resume_discards_and_reruns_a_damaged_chunk(table, how, tmp_path, reference, caplog):
    out = tmp_path / "b"
    run_batch(tasks(), out, progress=False, chunk_size=2)
    _damage(out, table, how)
    with caplog.at_level(logging.WARNING, logger="sim.run.store"):
        again = run_batch(tasks(), out, progress=False, chunk_size=2, resume=True)
    assert again.ran == 2 and again.skipped == 4
    assert any("discarded chunk 1" in r.getMessage() for r in caplog.records)
    for t in TABLES:
        pdt.assert_frame_equal(read_table(out, t), reference[t])


@pytest.mark.parametrize("table,how", [d for d in DAMAGE if d[0] != "checksums"],
                         ids=[f"{t}-{h.__name__}" for t, h in DAMAGE if t != "checksums"])
@pytest.mark.slow
def test_readers_refuse_a_damaged_part_in_one_line(table, how, tmp_path):
    from sim.analysis.results import ResultsError, load

    out = tmp_path / "b"
    run_batch(tasks(), out, progress=False, chunk_size=2)
    path = _damage(out, table, how)
    with pytest.raises(StoreError, match="damaged"):
        read_table(out, table)
    reader = {"summary": lambda r: r.summary(), "daily": lambda r: r.daily(), "events": lambda r: r.events()}[table]
    with pytest.raises(ResultsError) as err:
        reader(load(out))
    assert str(path) in str(err.value) and "\n" not in str(err.value)
    res = cli("plot", out, "--kind", "curve" if table == "daily" else "timeline" if table == "events" else "compare")
    if table != "summary":  # plot reads the table it draws; the summary is for compare/sweep figures
        one_error_line(res, "is damaged")
    one_error_line(cli("report", out), f"{path} is damaged")
    assert not (out / "report.html").exists()


@pytest.mark.slow
def test_cli_resume_says_what_it_discarded(tmp_path):
    out = tmp_path / "b"
    assert cli("batch", "baseline", "-r", "40", "--days", "10", "--out", out, "--no-progress").exit_code == 0
    bit_flip(out / "daily" / "part-00001.parquet")
    res = cli("batch", "baseline", "-r", "40", "--days", "10", "--out", out, "--no-progress", "--resume")
    assert res.exit_code == 0, res.output
    assert "warning: " in res.stderr and "part-00001.parquet is damaged" in res.stderr and "runs run again" in res.stderr


@pytest.mark.slow
def test_a_batch_without_checksums_gets_them_on_resume(tmp_path, reference):
    out = tmp_path / "b"
    run_batch(tasks(), out, progress=False, chunk_size=2)
    for record in (out / "checksums").iterdir():
        record.unlink()
    (out / "checksums").rmdir()
    garbage(out / "summary" / "part-00002.parquet")
    again = run_batch(tasks(), out, progress=False, chunk_size=2, resume=True)
    assert again.ran == 2 and len(list((out / "checksums").glob("*.json"))) == 3
    for t in TABLES:
        pdt.assert_frame_equal(read_table(out, t), reference[t])


# -- CSV tables and file modes -----------------------------------------------------------------------

@pytest.mark.slow
def test_format_both_writes_csv_tables_in_run_order(tmp_path, reference):
    from sim.run.export import export_tables

    out = tmp_path / "b"
    run_batch(tasks(), out, progress=False, chunk_size=2)
    for n in (0, 2):  # lose runs 0, 1, 4, 5; the resume writes them as one part that interleaves
        (out / "summary" / f"part-{n:05d}.parquet").unlink()
    run_batch(tasks(), out, progress=False, chunk_size=4, resume=True)
    export_tables(out, "both")
    for table in TABLES:
        csv = pd.read_csv(out / f"{table}.csv")
        assert csv["run_id"].tolist() == reference[table]["run_id"].tolist()
        assert csv.shape == reference[table].shape
    assert json.loads((out / "manifest.json").read_text())["format"] == "both"
    assert len(pd.read_csv(out / "runs.csv")) == 6


@pytest.mark.slow
def test_format_csv_replaces_parts_only_when_complete(tmp_path, monkeypatch):
    from tests._faulty_runs import fails_on_replication_2

    out = tmp_path / "b"
    monkeypatch.setattr("sim.run.worker.default_run_fn", lambda: fails_on_replication_2)
    res = cli("batch", "baseline", "-r", "3", "--days", "10", "--out", out, "--no-progress", "--format", "csv")
    assert res.exit_code == 1 and (out / "summary.csv").is_file() and (out / "summary").is_dir()
    monkeypatch.undo()
    res = cli("batch", "baseline", "-r", "3", "--days", "10", "--out", out, "--no-progress", "--format", "csv", "--resume")
    assert res.exit_code == 0, res.output
    assert not (out / "summary").exists() and len(pd.read_csv(out / "summary.csv")) == 3
    res = cli("batch", "baseline", "-r", "3", "--days", "10", "--out", out, "--no-progress", "--format", "csv", "--resume")
    assert res.exit_code == 0 and "nothing to resume" in res.stdout


@pytest.mark.slow
def test_result_files_are_readable_by_the_group(tmp_path):
    mask = os.umask(0o022)
    os.umask(mask)
    assert cli("run", "baseline", "--days", "5", "--no-plot", "--out", tmp_path / "r").exit_code == 0
    assert cli("batch", "baseline", "-r", "2", "--days", "5", "--out", tmp_path / "b", "--no-progress",
               "--format", "both").exit_code == 0
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) > 15
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == run_io.FILE_MODE == 0o666 & ~mask, path


# -- output folders ------------------------------------------------------------------------------------

@pytest.mark.slow
def test_run_out_refuses_another_run_and_force_replaces_it_entirely(tmp_path):
    out = tmp_path / "r"
    assert cli("run", "baseline", "--days", "10", "--out", out).exit_code == 0
    assert cli("run", "baseline", "--days", "10", "--out", out, "--no-plot").exit_code == 0  # the same run again
    (out / "report.html").write_text("<p>old</p>")
    (out / "figures").mkdir()
    (out / "figures" / "curve.png").write_bytes(b"old")
    (out / "notes.txt").write_text("mine")
    one_error_line(cli("run", "baseline", "--days", "11", "--out", out), "holds another run: pass --force")
    assert cli("run", "baseline", "--days", "11", "--no-plot", "--out", out, "--force").exit_code == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["calendar.csv", "daily.csv", "daily.parquet", "events.csv", "events.parquet", "manifest.json",
                     "notes.txt", "summary.json"]
    assert json.loads((out / "manifest.json").read_text())["days"] == 11


@pytest.mark.slow
def test_batch_force_replaces_another_batch(tmp_path):
    out = tmp_path / "b"
    assert cli("batch", "baseline", "-r", "2", "--days", "5", "--out", out, "--no-progress").exit_code == 0
    res = cli("batch", "baseline", "-r", "3", "--days", "5", "--out", out, "--no-progress", "--force")
    assert res.exit_code == 0, res.output
    assert len(read_table(out, "summary")) == 3


@pytest.mark.parametrize("command", [("batch", "baseline", "-r", "2", "--no-progress"), ("run", "baseline", "--no-plot"),
                                     ("sweep", "baseline", "--param", "world.sanctions=0:1", "--samples", "2",
                                      "-r", "1", "--no-progress")])
@pytest.mark.slow
def test_force_into_a_folder_that_does_not_exist_yet(command, tmp_path):
    res = cli(*command, "--days", "5", "--out", tmp_path / "new" / "out", "--force")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "new" / "out" / "manifest.json").exists()


@pytest.mark.slow
def test_names_become_safe_folder_names(tmp_path, monkeypatch):
    work = tmp_path / "a" / "b" / "work"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    (work / "evil.yaml").write_text("extends: baseline.yaml\nname: ../../../EVIL\n")
    (work / "long.yaml").write_text(f"extends: baseline\nname: {'x' * 300}\n")
    assert cli("run", "evil.yaml", "--days", "5", "--no-plot").exit_code == 0
    assert cli("run", "long.yaml", "--days", "5", "--no-plot").exit_code == 0
    (work / "spec.yaml").write_text("name: ../../escape\ndescription: d\nquestion: q\nscenarios: [baseline]\n"
                                    "outcomes: [test_days]\nreplications: 1\ndays: 5\n")
    assert cli("experiment", "spec.yaml", "--no-progress").exit_code == 0
    outside = sorted(p.name for p in tmp_path.rglob("*") if work not in p.parents and p != work)
    assert outside == ["a", "b"]
    folders = [p.name for p in (work / "runs").iterdir()]
    assert len(folders) == 3 and all(len(name) <= 110 for name in folders)
    assert (work / "runs" / "experiments").is_dir()


def test_extends_a_bundled_scenario_from_any_folder(tmp_path):
    for i, ref in enumerate(["baseline.yaml", "baseline", "baseline.yml"]):
        (tmp_path / f"c{i}.yaml").write_text(f"extends: {ref}\nname: mine{i}\n")
        assert load_scenario(tmp_path / f"c{i}.yaml").name == f"mine{i}"


@pytest.mark.parametrize("encode", [lambda t: "\ufeff".encode() + t.encode(), lambda t: t.encode("utf-16"),
                                    lambda t: t.encode("utf-32")], ids=["utf-8-bom", "utf-16-bom", "utf-32-bom"])
def test_text_with_a_byte_order_mark_loads(encode, tmp_path):
    path = tmp_path / "c.yaml"
    path.write_bytes(encode("extends: baseline\nname: bom\n"))
    assert load_scenario(path).name == "bom"
