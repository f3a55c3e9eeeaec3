"""Fault injection: kill -9, SIGINT/SIGTERM, a full disk, a second run, bad command lines.

The promises (pipelines/outputs.py, README "Exit codes"): an output folder never looks
complete when it is not (`query` and `report` read the last published run or say the folder
holds an incomplete one), a rerun recovers, a stopped run leaves no staging files, every
failure of the command is one line on stderr with exit code 2 (usage), 1 (run failure) or
130 (interrupted).
"""
from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines import outputs, query
from pipelines.cli import main as cli_main
from pipelines.extract import RunFailed, run
from tests.conftest import EXAMPLES, ROOT
from transforms.steps import files

EXAMPLE_ARTICLES = 8  # examples/: articles.jsonl and one story
KILL_AFTER_STAGING_S = 1.0  # the run is well inside its pipeline by then (it lasts several seconds)
STARTUP_TIMEOUT_S = 60


def _stderr_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def many_articles(tmp_path_factory) -> Path:
    """400 different short articles: a run of a few seconds, long enough to be killed in."""
    rnd = random.Random(0)
    words = "harbour treaty council budget river market school bridge railway festival".split()
    path = tmp_path_factory.mktemp("faults") / "many.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for n in range(400):
            filler = " ".join(rnd.choice(words) for _ in range(30))
            handle.write(json.dumps({
                "id": f"m{n}", "published_at": "2025-02-01T10:00:00Z",
                "text": f"President Ana Lopez{n} of Chile met Prime Minister Jonas Berg{n} of Norway in Oslo "
                        f"on Monday. {filler}."}) + "\n")
    return path


def _start(output: Path, inputs: Path, *extra: str) -> subprocess.Popen:
    """`newsevents extract` in a child process, returned once its staging folder exists."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "extract", "--input", str(inputs), "--output", str(output),
         "--progress-interval", "0", *extra],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not list(output.glob(f"{outputs.STAGING_PREFIX}*/{outputs.RUN_FILE}")):
        assert child.poll() is None, f"the run ended before it staged anything: {child.communicate()}"
        assert time.monotonic() < deadline, "the run did not start"
        time.sleep(0.05)
    time.sleep(KILL_AFTER_STAGING_S)
    assert child.poll() is None, "the run finished before it could be stopped: give it more input"
    return child


def _query(output: Path) -> tuple[int, str, str]:
    import io

    out, err = io.StringIO(), io.StringIO()
    saved, sys.stderr = sys.stderr, err
    try:
        code = query.main([str(output), "select count(*) as n from articles", "--format", "csv"], stdout=out)
    finally:
        sys.stderr = saved
    return code, out.getvalue(), err.getvalue()


def _published(output: Path) -> dict:
    return json.loads((output / outputs.MANIFEST).read_text(encoding="utf-8"))


# ---- kill -9 ------------------------------------------------------------------------------

@pytest.mark.slow
def test_kill_9_mid_run_leaves_an_incomplete_folder_and_a_rerun_recovers(tmp_path, many_articles):
    out = tmp_path / "out"
    child = _start(out, many_articles)
    child.kill()
    child.wait()
    code, printed, err = _query(out)
    assert code == 1 and printed == "" and "incomplete run" in err and len(_stderr_lines(err)) == 1
    assert cli_main(["report", str(out), "--out", str(tmp_path / "r.html")]) == 1
    # the rerun takes over the dead run's lock, removes its staging and publishes
    summary = run(["--input", str(EXAMPLES), "--output", str(out), "--progress-interval", "0"])
    assert summary["articles"] == EXAMPLE_ARTICLES
    assert outputs.unfinished_runs(out) == [] and not (out / outputs.LOCK).exists()
    assert _query(out)[:2] == (0, f"n\n{EXAMPLE_ARTICLES}\n")


@pytest.mark.slow
def test_kill_9_during_an_overwrite_keeps_the_previous_run_readable(tmp_path, many_articles):
    out = tmp_path / "out"
    run(["--input", str(EXAMPLES), "--output", str(out), "--progress-interval", "0"])
    before = _published(out)
    child = _start(out, many_articles, "--overwrite")
    child.kill()
    child.wait()
    assert _published(out) == before
    code, printed, err = _query(out)
    assert (code, printed) == (0, f"n\n{EXAMPLE_ARTICLES}\n") and "unfinished run" in err


def test_a_publication_cut_short_is_finished_by_the_next_run(tmp_path, monkeypatch):
    """kill -9 between the old manifest's removal and the new one's writing: the folder says
    it is incomplete, and the next run completes the publication from the staged record."""
    out = tmp_path / "out"
    run(["--input", str(EXAMPLES / "articles.jsonl"), "--output", str(out), "--formats", "parquet",
         "--progress-interval", "0"])
    (out / "parquet" / "mine.csv").write_text("a user's file\n")

    def killed(output, staging, record):
        (Path(output) / outputs.MANIFEST).unlink()
        raise SystemExit("killed while publishing")

    monkeypatch.setattr(outputs, "_finish", killed)
    with pytest.raises(SystemExit):
        run(["--input", str(EXAMPLES / "canada_mexico_2025-09-10.txt"), "--output", str(out), "--formats",
             "parquet", "--overwrite", "--progress-interval", "0"])
    monkeypatch.undo()
    assert _query(out)[0] == 1
    outputs.recover(str(out))  # what the next run does first, under the lock
    assert _query(out)[:2] == (0, "n\n1\n")
    assert (out / "parquet" / "mine.csv").exists() and outputs.unfinished_runs(out) == []


# ---- signals ------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_the_run_in_one_line_exit_130_and_leaves_no_staging(tmp_path, many_articles, sig):
    out = tmp_path / "out"
    child = _start(out, many_articles)
    child.send_signal(sig)
    _stdout, stderr = child.communicate(timeout=60)
    lines = _stderr_lines(stderr)
    assert child.returncode == 130, stderr[-2000:]
    assert len(lines) == 1 and f"interrupted by {sig.name}" in lines[0], stderr[-2000:]
    assert sorted(p.name for p in out.iterdir()) == []  # no staging, no lock, nothing published


# ---- full disk, unwritable folder ----------------------------------------------------------

def _full_disk(self, record):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_is_one_line_exit_1_and_nothing_published(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(files._AvroSink, "write", _full_disk)
    out = tmp_path / "out"
    assert cli_main(["extract", "--input", str(EXAMPLES), "--output", str(out), "--progress-interval", "0"]) == 1
    lines = _stderr_lines(capsys.readouterr().err)
    assert lines == ["newsevents extract: the run failed: No space left on device; nothing was published"]
    assert list(out.iterdir()) == []


@pytest.fixture()
def small_tmpfs(tmp_path):
    """A 64 KB tmpfs (the tables of examples/ take about 100 KB); skipped where mounting is not allowed."""
    mount = tmp_path / "tmpfs"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode().strip()}); the simulated full disk stands in")
    yield mount
    subprocess.run(["umount", "--lazy", str(mount)], check=False)  # a failed run may hold a file open


def test_a_real_full_disk_is_one_line_exit_1_and_nothing_published(small_tmpfs, capsys):
    out = small_tmpfs / "out"
    assert cli_main(["extract", "--input", str(EXAMPLES), "--output", str(out), "--progress-interval", "0"]) == 1
    lines = _stderr_lines(capsys.readouterr().err)
    assert len(lines) == 1 and "No space left on device" in lines[0]
    assert list(out.iterdir()) == []


def test_an_unwritable_output_is_one_line_exit_1(capsys):
    assert cli_main(["extract", "--input", str(EXAMPLES), "--output", "/proc/newsevents-out",
                     "--progress-interval", "0"]) == 1
    lines = _stderr_lines(capsys.readouterr().err)
    assert len(lines) == 1 and lines[0].startswith("newsevents extract: cannot write to /proc/newsevents-out")


# ---- a second run into one folder -----------------------------------------------------------

def test_a_second_run_into_one_folder_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    with outputs.OutputLock(str(out)):  # the first run, still going
        code = cli_main(["extract", "--input", str(EXAMPLES), "--output", str(out), "--progress-interval", "0"])
    lines = _stderr_lines(capsys.readouterr().err)
    assert code == 1 and len(lines) == 1 and f"another newsevents run (pid {os.getpid()})" in lines[0]
    assert outputs.unfinished_runs(out) == [] and not (out / outputs.MANIFEST).exists()


def test_a_dead_runs_lock_is_taken_over(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    out = tmp_path / "out"
    out.mkdir()
    (out / outputs.LOCK).write_text(dead.stdout)
    summary = run(["--input", str(EXAMPLES), "--output", str(out), "--progress-interval", "0"])
    assert summary["articles"] == EXAMPLE_ARTICLES and not (out / outputs.LOCK).exists()


# ---- written rows are checked against the counts ------------------------------------------

def test_rows_lost_by_a_sink_fail_the_run_unpublished(tmp_path, monkeypatch):
    """Reconciliation used to count what the reader saw; the sinks now count what they wrote."""
    original = files._AvroSink.write
    monkeypatch.setattr(files._AvroSink, "write",
                        lambda self, record: None if record.get("article_id") == "example-001"
                        else original(self, record))
    out = tmp_path / "out"
    with pytest.raises(RunFailed, match="articles avro: 7 written, 8 counted"):
        run(["--input", str(EXAMPLES), "--output", str(out), "--progress-interval", "0"])
    assert list(out.iterdir()) == []


def test_the_manifest_records_the_rows_written(tmp_path):
    out = tmp_path / "out"
    summary = run(["--input", str(EXAMPLES), "--output", str(out), "--progress-interval", "0"])
    manifest = _published(out)
    written = manifest["counts"]["rows_written"]
    assert written["articles_parquet"] == written["articles_avro"] == summary["articles"] == EXAMPLE_ARTICLES
    assert written["events_parquet"] == written["events_avro"] == summary["events"] > 0
    assert manifest["kind"] == "batch" and manifest["run_id"] and manifest["versions"]["apache_beam"]
    assert sorted(manifest["files"]) == sorted(
        str(p.relative_to(out)) for p in [*out.rglob("part-*"), *out.glob(f"{outputs.RUNS}/*")] if p.is_file())


# ---- command-line failures: one line and an exit code ---------------------------------------

@pytest.mark.parametrize("argv, code, message", [
    (["extract", "--input", "{examples}", "--output", "{file}"], 2, "is a file; name a folder"),
    (["extract", "--input", "{examples}", "--output", "{out}", "--max-article-bytes", "-5"], 2,
     "--max-article-bytes must be a positive number"),
    (["extract", "--input", "{examples}", "--output", "{out}", "--max-article-bytes", "0"], 2,
     "--max-article-bytes must be a positive number"),
    (["extract", "--input", "{examples}", "--output", "{out}", "--spacy-model", "en_core_web_nope"], 2,
     "spaCy model 'en_core_web_nope' is not installed: install it (python -m spacy download en_core_web_nope"),
    (["stream", "--source", "watch://{examples}/*.jsonl", "--output", "{out}", "--runner=PrismRunner"], 2,
     "--prism_location"),
    (["stream", "--source", "watch://{examples}/*.jsonl", "--output", "{out}", "--runner=DirectRunner"], 2,
     "--prism_location"),
    (["stream", "--source", "kafka://localhost:9092/news", "--output", "{out}", "--runner=FlinkRunner"], 2,
     "--expansion-service"),
    (["evaluate", "--gold", "{out}/gold.jsonl", "--articles", "{examples}/articles.jsonl"], 2,
     "gold.jsonl: no such file"),
], ids=["output-is-a-file", "negative-max-bytes", "zero-max-bytes", "wrong-spacy-model", "prism-download",
        "direct-runner-streaming", "kafka-download", "missing-gold"])
def test_a_command_line_failure_is_one_line_and_its_exit_code(tmp_path, capsys, argv, code, message):
    file = tmp_path / "a-file"
    file.write_text("x")
    names = {"examples": str(EXAMPLES), "file": str(file), "out": str(tmp_path / "out")}
    assert cli_main([arg.format(**names) for arg in argv]) == code
    lines = _stderr_lines(capsys.readouterr().err)
    assert len(lines) == 1 and message in lines[0], lines
    assert "No English spaCy model is installed" not in lines[0]
    assert not (tmp_path / "out").exists()


def test_an_input_format_that_reads_nothing_is_a_warning_and_exit_1(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli_main(["extract", "--input", str(EXAMPLES / "articles.jsonl"), "--input-format", "warc",
                     "--output", str(out), "--progress-interval", "0"]) == 1
    lines = [line for line in _stderr_lines(capsys.readouterr().err) if line.startswith("newsevents")]
    assert lines == ["newsevents extract: warning: no article was read from the inputs as --input-format warc; "
                     "are they in that format? nothing published"]
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("slash", ["", "/"], ids=["folder", "folder-slash"])
def test_an_input_folder_reads_the_files_in_it(tmp_path, slash):
    summary = run(["--input", f"{EXAMPLES}{slash}", "--output", str(tmp_path / "out"), "--progress-interval", "0"])
    assert summary["inputs"] == summary["articles"] == EXAMPLE_ARTICLES and summary["dead_letters"] == 0
