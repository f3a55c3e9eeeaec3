"""Event identity measured on 45 groups of differently worded reports (tests/fixtures, written for
it, with distractors: one person's two trips in a week, one pair meeting twice a month apart, a
planned and an occurred visit of different people to one country, one leader's two meetings in a
day, two plants of one company), in batch and in a stream (TestStream), which must agree."""
from __future__ import annotations

import json
from datetime import datetime

import pyarrow.parquet as pq
import pytest

from pipelines.evaluate import read_output
from pipelines.extract import run
from tests.conftest import ROOT
from transforms.evaluation import identity_scores

pytestmark = pytest.mark.slow
REPORTS = ROOT / "tests" / "fixtures" / "identity_reports.jsonl"


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    out = tmp_path_factory.mktemp("identity")
    run(["--input", str(REPORTS), "--output", str(out), "--formats", "parquet"])
    return out


# The target: F1 0.95 with precision 0.97 (measured 2026-12-06: P 100, R 95.4, F1 97.6;
# docs/QUALITY.md). Rules were written while looking at these reports: see the blind set below.
MIN_PRECISION, MIN_F1 = 0.97, 0.95


def _reports() -> list[dict]:
    return [json.loads(line) for line in REPORTS.read_text(encoding="utf-8").splitlines()]


def test_pairwise_identity(output):
    scores = identity_scores(_reports(), read_output(output))
    assert scores["groups"] >= 40 and scores["reports"] >= 120
    assert scores["precision"] >= MIN_PRECISION and scores["f1"] >= MIN_F1, scores


# 12 more groups (36 reports) written by a second author from the spec alone, without the code,
# and first measured blind (P 100, R 72.2, F1 83.9; docs/QUALITY.md). Failures there are left as
# they were seen: these bounds guard the reached figures on reports no rule was written for.
BLIND = ROOT / "tests" / "fixtures" / "identity_reports_blind.jsonl"
BLIND_MIN_PRECISION, BLIND_MIN_F1 = 0.97, 0.85


def test_pairwise_identity_on_reports_written_blind(tmp_path):
    run(["--input", str(BLIND), "--output", str(tmp_path), "--formats", "parquet"])
    reports = [json.loads(line) for line in BLIND.read_text(encoding="utf-8").splitlines()]
    scores = identity_scores(reports, read_output(tmp_path))
    assert scores["precision"] >= BLIND_MIN_PRECISION and scores["f1"] >= BLIND_MIN_F1, scores


@pytest.fixture(scope="module")
def streamed(tmp_path_factory):
    """The same reports through the streaming flow, arriving in publication order."""
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions
    from apache_beam.testing.test_stream import TestStream as Replayed
    from apache_beam.transforms.window import TimestampedValue

    from pipelines.extract import ExtractOptions, StreamSettings, build_pipeline
    from tests.test_streaming import NOW, _record, _Replay
    from transforms.steps.streaming import Windowing

    out = tmp_path_factory.mktemp("identity-stream")
    stream = Replayed()
    for report in sorted(_reports(), key=lambda r: (r["published_at"], r["id"])):
        stamp = datetime.fromisoformat(report["published_at"].replace("Z", "+00:00")).timestamp()
        stream = stream.advance_watermark_to(stamp).add_elements([TimestampedValue(_record(report), stamp)])
    stream = stream.advance_watermark_to_infinity()
    options = PipelineOptions(["--streaming", "--runner=BundleBasedDirectRunner", "--output", str(out),
                               "--formats", "parquet"])
    settings = StreamSettings(_Replay(stream), Windowing(window_seconds=86400, allowed_lateness=86400, early_seconds=0))
    with beam.Pipeline(options=options) as pipeline:
        build_pipeline(pipeline, options.view_as(ExtractOptions), "test-model", NOW, settings)
    return out


def _ids(output) -> dict:
    rows = [row for path in (output / "parquet" / "events").glob("*.parquet") for row in pq.read_table(path).to_pylist()]
    return {(row["article"]["article_id"], row["record_id"]): row["event_id"] for row in rows}


def test_a_stream_gives_the_same_event_ids_as_batch(output, streamed):
    assert _ids(streamed) == _ids(output)
    assert identity_scores(_reports(), read_output(streamed)) == identity_scores(_reports(), read_output(output))


def test_syndicated_copies_point_at_their_original(output):
    reports = {r["id"]: r for r in map(json.loads, REPORTS.read_text(encoding="utf-8").splitlines())}
    marked = {row["article_id"]: row["duplicate_of"] for row in pq.read_table(output / "parquet" / "articles").to_pylist()
              if row["duplicate_of"]}
    assert marked, "the fixture holds near-copies"
    for copy, original in marked.items():
        assert reports[copy]["group"] == reports[original]["group"] and original < copy
