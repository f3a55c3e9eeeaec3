"""`extract --append`: a run's files are added beside the earlier runs' (run ids in their
names), none rewritten; the manifest lists every run and `_runs/<run id>.json` describes
each; `query` and `report` read them all; a killed append leaves the earlier runs readable."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines import outputs, query
from pipelines.cli import main as cli_main
from pipelines.extract import UsageError, prepare_output, run
from pipelines.report_data import gather
from tests.conftest import EXAMPLES, ROOT

STORY = EXAMPLES / "canada_mexico_2025-09-10.txt"
JSONL = EXAMPLES / "articles.jsonl"  # 7 articles; with the story, the 8 of examples/


def _extract(out: Path, *inputs: Path, extra: tuple[str, ...] = ("--append",)) -> dict:
    return run(["--input", *map(str, inputs), "--output", str(out), "--progress-interval", "0", *extra])


def _count(out: Path, table: str = "articles") -> int:
    return query.run_query(query.connect(out), f"select count(*) from {table}")[1][0][0]


def _manifest(out: Path) -> dict:
    return json.loads((out / outputs.MANIFEST).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def appended(tmp_path_factory):
    """Two --append runs into one new folder; the first run's files as they were after it."""
    out = tmp_path_factory.mktemp("appended")
    first = _extract(out, JSONL)
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("part-*")}
    second = _extract(out, STORY)
    return out, first, second, before


@pytest.mark.slow
def test_two_appended_runs_are_read_by_query_and_report(appended):
    out, first, second, _before = appended
    assert (first["articles"], second["articles"]) == (7, 1)
    assert _count(out) == 8
    assert _count(out, "events") == first["events"] + second["events"]
    data = gather(out)
    assert data["articles"] == 8 and data["records"] == first["events"] + second["events"]


@pytest.mark.slow
def test_an_append_rewrites_none_of_the_earlier_files(appended):
    out, _first, _second, before = appended
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in before} == before
    manifest = _manifest(out)
    runs = [entry["run_id"] for entry in manifest["runs"]]
    assert len(runs) == 2 and manifest["run_id"] == runs[1]
    tables = [name for name in manifest["files"] if not name.startswith(outputs.RUNS)]
    assert sorted(tables) == sorted(str(p.relative_to(out)) for p in out.rglob("part-*"))
    for run_id in runs:  # every file names its run; each run has files in every table and format
        mine = {name.split("/")[1] for name in tables if f"part-{run_id}-" in name and name.startswith("avro/")}
        assert mine == {"events", "articles", "dead_letters"}
    assert all(any(f"part-{run_id}-" in name for run_id in runs) for name in tables)


@pytest.mark.slow
def test_each_run_has_its_own_manifest(appended):
    out, first, second, _before = appended
    manifest = _manifest(out)
    for entry, summary, source in zip(manifest["runs"], (first, second), (JSONL, STORY)):
        record = json.loads((out / entry["manifest"]).read_text(encoding="utf-8"))
        assert record["run_id"] == entry["run_id"] and entry["manifest"] in manifest["files"]
        assert record["arguments"][:2] == ["--input", str(source)] and "--append" in record["arguments"]
        assert set(record["versions"]) >= {"newsevents", "apache_beam", "spacy", "model"}
        assert record["inputs"] == [{"path": str(source), "bytes": source.stat().st_size}]
        assert record["counts"]["articles"] == entry["articles"] == summary["articles"]
        assert record["counts"]["events"] == summary["events"]
        assert record["dead_letter_rate"] == entry["dead_letter_rate"] == 0.0
        assert 0 < record["durations"]["pipeline_seconds"] <= record["durations"]["total_seconds"]
        assert record["files"] and all((out / name).is_file() for name in record["files"])


@pytest.mark.slow
def test_overwrite_after_appends_replaces_every_run(tmp_path):
    out = tmp_path / "out"
    _extract(out, STORY)
    _extract(out, STORY)
    assert _count(out) == 2
    _extract(out, JSONL, extra=("--overwrite",))
    manifest = _manifest(out)
    assert _count(out) == 7 and len(manifest["runs"]) == 1
    assert sorted(p.name for p in (out / outputs.RUNS).iterdir()) == [f"{manifest['run_id']}.json"]


def test_overwrite_and_append_exclude_each_other(tmp_path, capsys):
    code = cli_main(["extract", "--input", str(STORY), "--output", str(tmp_path / "out"), "--overwrite", "--append"])
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and "--overwrite and --append exclude each other" in lines[0]
    assert not (tmp_path / "out").exists()


def test_a_stream_cannot_append(tmp_path, capsys):
    code = cli_main(["stream", "--source", f"watch://{EXAMPLES}/*.jsonl", "--output", str(tmp_path / "out"),
                     "--runner=FlinkRunner", "--append"])
    assert code == 2 and "cannot --append" in capsys.readouterr().err


@pytest.mark.parametrize("manifest, files, message", [
    ({"run_id": "old", "kind": "batch", "formats": ["parquet"]}, ["parquet/events/part-00000-of-00001.parquet"],
     "written by an older newsevents"),
    ({"run_id": "s", "kind": "stream", "formats": ["parquet"], "manifest_version": 2}, [], "a stream's output"),
    ({"run_id": "r", "kind": "batch", "formats": ["parquet", "avro"], "manifest_version": 2}, [],
     "--formats parquet,avro"),
    (None, ["parquet/events/part-00000-of-00001.parquet"], "tables but no _newsevents.json"),
], ids=["unpartitioned-older-run", "stream", "other-formats", "no-manifest"])
def test_what_cannot_be_appended_to_is_a_usage_error(tmp_path, manifest, files, message):
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"PAR1")
    if manifest is not None:
        (tmp_path / outputs.MANIFEST).write_text(json.dumps({**manifest, "files": files}))
    with pytest.raises(UsageError, match=message.replace("(", r"\(")):
        prepare_output(str(tmp_path), overwrite=False, append=True, formats=("parquet",))


def test_an_append_cut_short_while_publishing_keeps_the_earlier_run_readable(tmp_path, monkeypatch):
    """Killed after moving its files in, before the manifest: the earlier run is still what
    the folder holds (an overwrite would have removed the manifest first); the next run
    finishes the publication."""
    out = tmp_path / "out"
    _extract(out, STORY, extra=("--formats", "parquet"))
    write_json = outputs._write_json

    def killed(path, data):
        if path.endswith(outputs.MANIFEST):
            raise SystemExit("killed while publishing")
        write_json(path, data)

    monkeypatch.setattr(outputs, "_write_json", killed)
    with pytest.raises(SystemExit):
        _extract(out, JSONL, extra=("--append", "--formats", "parquet"))
    monkeypatch.undo()
    assert len(_manifest(out)["runs"]) == 1 and _count(out) == 1
    outputs.recover(str(out))  # what the next run does first, under the lock
    assert len(_manifest(out)["runs"]) == 2 and _count(out) == 8 and outputs.unfinished_runs(out) == []


@pytest.mark.slow
def test_a_killed_append_leaves_the_earlier_runs_readable_and_the_next_append_recovers(tmp_path):
    out = tmp_path / "out"
    _extract(out, STORY)
    before = _manifest(out)
    many = tmp_path / "many.jsonl"
    many.write_text("".join(json.dumps({"id": f"m{n}", "published_at": "2025-02-01T10:00:00Z",
                                        "text": f"President Ana Lopez{n} of Chile met Prime Minister Jonas "
                                                f"Berg{n} of Norway in Oslo on Monday. " * 3}) + "\n"
                            for n in range(400)))
    child = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "extract", "--input", str(many), "--output", str(out),
         "--append", "--progress-interval", "0"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(out.glob(f"{outputs.STAGING_PREFIX}*/{outputs.RUN_FILE}")):
        assert child.poll() is None and time.monotonic() < deadline, "the run did not start"
        time.sleep(0.05)
    time.sleep(1.0)
    assert child.poll() is None, "the run finished before it could be killed"
    child.kill()
    child.wait()
    assert _manifest(out) == before and _count(out) == 1
    _extract(out, JSONL)  # recovers (removes the dead run's staging) and appends
    assert _count(out) == 8 and len(_manifest(out)["runs"]) == 2 and outputs.unfinished_runs(out) == []
