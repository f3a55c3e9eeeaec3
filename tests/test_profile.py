"""`newsevents extract --profile`: where a run's time went, after the summary (pipelines/profile.py)."""
from __future__ import annotations

import re
import subprocess
import sys
from types import SimpleNamespace

from pipelines import profile
from pipelines.extract import run
from transforms.metrics import EXTRACTION_US, FILTER_US, PROFILE, SETUP_US, SPACY_US

from .conftest import EXAMPLES, ROOT


def test_a_profiled_run_prints_start_up_and_every_step_after_the_summary(tmp_path, capsys):
    summary = run(["--input", str(EXAMPLES / "articles.jsonl"), "--output", str(tmp_path / "out"),
                   "--formats", "parquet", "--progress-interval", "0", "--runner=FnApiRunner", "--profile"])
    out = capsys.readouterr().out
    assert out.index("newsevents extract: summary") < out.index("where the time went")
    table = out[out.index("where the time went"):]
    seconds = {label: float(value) for label, value in re.findall(r"^\| (\w[^|]*?) +\| +([\d.]+) \|", table, re.M)}
    for phase in ("before the run: Python start, imports", "pipeline build", "runner (steps below)", "total (wall)"):
        assert phase in seconds, phase
    for stage in ("worker setup", "read", "normalise", "candidate filter", "spaCy", "extraction", "resolution",
                  "write", "steps and setup"):
        assert stage in seconds, stage
    # AnnotateAndExtract's timers; its setup may take ~0 s: a model this process loaded for an
    # earlier test is shared
    assert seconds["spaCy"] > 0
    assert seconds["total (wall)"] >= seconds["runner (steps below)"] > 0
    assert "profile" not in summary


def test_without_profile_no_table(tmp_path, capsys):
    run(["--input", str(EXAMPLES / "articles.jsonl"), "--output", str(tmp_path / "out"), "--formats", "parquet",
         "--progress-interval", "0", "--runner=FnApiRunner"])
    assert "where the time went" not in capsys.readouterr().out


def test_steps_map_to_stages_by_their_labels():
    assert profile.stage_of("ReadRecords/Read/ReadAll") == "read"
    assert profile.stage_of("ExtractEvents/NormaliseArticles/Apply/ParDo(_ParseRecord)") == "normalise"
    assert profile.stage_of("ExtractEvents/AnnotateAndExtract/Apply/ParDo(_AnnotateAndExtractFn)") == "annotate"
    assert profile.stage_of("ExtractEvents/BuildRecords/Apply") == "records"
    assert profile.stage_of("Write_events/Write_parquet/ParDo(_WriteUnshardedRecordsFn)") == "write"
    assert profile.stage_of("ref_PCollection_PCollection_12") == "other steps"


def _metric(step: str, name: str, value) -> SimpleNamespace:
    return SimpleNamespace(key=SimpleNamespace(step=step, metric=SimpleNamespace(name=name)),
                           committed=value, attempted=value)


class _Result:
    """What step_seconds reads of a PipelineResult: Beam's step times and newsevents' timers."""

    def __init__(self, counters, distributions):
        self._counters, self._distributions = counters, distributions

    def monitoring_metrics(self):
        return SimpleNamespace(query=lambda: {"counters": self._counters})

    def metrics(self):
        return SimpleNamespace(query=lambda _filter: {"distributions": self._distributions})


def test_the_annotate_step_is_told_by_its_timers_candidate_filter_spacy_and_extraction():
    step_time = "metric:ptransform_execution_time:total_msecs:v1"
    counters = [_metric("ExtractEvents/AnnotateAndExtract/Apply/ParDo(_AnnotateAndExtractFn)", step_time, 5000),
                _metric("ExtractEvents/ResolveEvents/Apply", step_time, 300),
                _metric("ExtractEvents/ResolveEvents/Apply", "metric:pardo_execution_time:process_bundle_msecs:v1",
                        300),  # a part of the step's total: not counted twice
                _metric("Write_articles/Write_parquet", step_time, 200)]
    timers = [_metric("AnnotateAndExtract", SPACY_US, SimpleNamespace(sum=3_000_000)),
              _metric("AnnotateAndExtract", EXTRACTION_US, SimpleNamespace(sum=1_500_000)),
              _metric("AnnotateAndExtract", FILTER_US, SimpleNamespace(sum=400_000)),
              _metric("AnnotateAndExtract", SETUP_US, SimpleNamespace(sum=700_000))]
    seconds = profile.step_seconds(_Result(counters, timers))
    assert seconds == {"candidate filter": 0.4, "spaCy": 3.0, "extraction": 1.5, "worker setup": 0.7,
                       "resolution": 0.3, "write": 0.2}  # the step's sampled 5 s give way to its timers
    assert PROFILE == "newsevents_profile"


def test_a_runner_without_step_times_still_reports_the_timers():
    timers = [_metric("AnnotateAndExtract", SPACY_US, SimpleNamespace(sum=2_000_000))]
    result = SimpleNamespace(metrics=_Result([], timers).metrics)  # e.g. DataflowRunner's: metrics() only
    assert profile.step_seconds(result) == {"worker setup": 0.0, "candidate filter": 0.0, "spaCy": 2.0,
                                            "extraction": 0.0}


def test_process_start_is_read_from_proc():
    started = profile.since_process_start()
    assert started is None or 0 <= started < 24 * 3600


def test_extract_help_does_not_import_spacy():
    code = "import sys; from pipelines.cli import main; main(['extract', '--help']); print('spacy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "--profile" in done.stdout and done.stdout.strip().endswith("False")
