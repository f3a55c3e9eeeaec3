"""The streaming flow under TestStream (BundleBasedDirectRunner, which runs TestStream).

Articles arrive out of order and late; the same flow as batch runs on them, with event
time from published_at, repeats dropped, event-time windows and windowed files.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import apache_beam as beam
import pyarrow.parquet as pq
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_stream import TestStream as Replayed  # not collected as a test class
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.utils.windowed_value import PaneInfoTiming
from apache_beam.transforms.window import TimestampedValue

from pipelines.extract import ExtractOptions, StreamSettings, build_pipeline
from transforms.steps.files import DEAD_LETTERS
from transforms.steps.streaming import Windowing

pytestmark = pytest.mark.slow

HOUR = 3600
BASE = int(datetime(2025, 3, 10, tzinfo=timezone.utc).timestamp())  # a Monday, 00:00 UTC
NOW = datetime(2025, 3, 20, tzinfo=timezone.utc)


def _article(article_id: str, hour: float, text: str) -> dict:
    published = datetime.fromtimestamp(BASE + hour * HOUR, tz=timezone.utc).isoformat()
    return {"id": article_id, "published_at": published, "text": text, "source": "test"}


def _record(article: dict) -> dict:
    return {"kind": "jsonl", "source_file": "test://stream", "line_number": None,
            "raw": json.dumps(article).encode()}


VISIT = "Finnish Prime Minister Aino Virtanen arrived in Tokyo on Monday for a three-day official visit."
VISIT_2 = "Aino Virtanen, Finland's prime minister, began an official visit to Japan in Tokyo on Monday."
VISIT_3 = "The Finnish premier, Aino Virtanen, was welcomed in Tokyo on Monday at the start of her visit to Japan."
LATER_VISIT = "Finnish Prime Minister Aino Virtanen arrived in Tokyo on Monday for talks on trade."
PLANT = "Nordvik Motors opened a battery plant in Wroclaw on Monday, its first factory in Poland."


class _Replay(beam.PTransform):
    """A TestStream of raw records in the shape ReadStream gives."""

    def __init__(self, stream: Replayed):
        super().__init__()
        self._stream = stream

    def expand(self, pbegin):
        return {"records": pbegin | "Replay" >> self._stream,
                DEAD_LETTERS: pbegin | "NoReadFailures" >> beam.Create([])}


def _arrive(stream: Replayed, *articles_at: tuple[dict, float]) -> Replayed:
    return stream.add_elements([TimestampedValue(_record(a), BASE + at * HOUR) for a, at in articles_at])


@pytest.fixture(scope="module")
def streamed(tmp_path_factory):
    out = tmp_path_factory.mktemp("stream")
    v1 = _article("v1", 1.0, VISIT)
    v2 = _article("v2", 1.5, VISIT_2)
    v3 = _article("v3", 2.2, VISIT_3)
    plant = _article("p1", 0.5, PLANT)
    later = _article("v4", 21 * 24 + 3, LATER_VISIT)  # three weeks later, another visit
    stream = Replayed().advance_watermark_to(BASE)
    stream = _arrive(stream, (v2, 1.6), (v1, 1.7))  # out of order: v1 was published first
    stream = stream.advance_processing_time(120)  # an early firing of the 01:00-02:00 window
    stream = _arrive(stream, (v1, 1.8), (dict(v1, id="v1-copy"), 1.9))  # same id; same text, new id
    stream = _arrive(stream, (plant, 1.95))  # published 00:30, arrives 01:57
    stream = stream.advance_watermark_to(BASE + 3 * HOUR)  # closes the windows up to 03:00
    stream = _arrive(stream, (v3, 3.1))  # published 02:12: late, within the allowed lateness
    stream = stream.advance_processing_time(120)
    stream = stream.advance_watermark_to(BASE + 10 * 24 * HOUR)
    stream = _arrive(stream, (later, 21 * 24 + 3.5))
    stream = stream.advance_watermark_to_infinity()

    options = PipelineOptions(["--streaming", "--runner=BundleBasedDirectRunner", "--output", str(out),
                               "--formats", "parquet"])
    settings = StreamSettings(_Replay(stream), Windowing(window_seconds=HOUR, allowed_lateness=86400,
                                                          early_seconds=60))
    with beam.Pipeline(options=options) as pipeline:
        build_pipeline(pipeline, options.view_as(ExtractOptions), "test-model", NOW, settings)
    return out


def _files(out, table):
    return sorted((out / "parquet" / table).glob("**/*.parquet"))  # in Hive partition folders


def _window_of(path) -> str:
    return re.search(r"-(\d{8}T\d{6}Z-\d{8}T\d{6}Z)-", path.name).group(1)  # after the run id


def test_articles_land_in_the_window_of_their_publication_time(streamed):
    windows = {}
    for path in _files(streamed, "articles"):
        for row in pq.read_table(path).to_pylist():
            windows.setdefault(row["article_id"], set()).add(_window_of(path))
    assert windows["p1"] == {"20250310T000000Z-20250310T010000Z"}  # arrived at 01:57, published 00:30
    assert windows["v1"] == windows["v2"] == {"20250310T010000Z-20250310T020000Z"}
    assert windows["v3"] == {"20250310T020000Z-20250310T030000Z"}  # late but within lateness
    assert windows["v4"] == {"20250331T030000Z-20250331T040000Z"}


def test_a_repeated_article_is_processed_once(streamed):
    ids = [row["article_id"] for path in _files(streamed, "articles") for row in pq.read_table(path).to_pylist()]
    assert sorted(ids) == ["p1", "v1", "v2", "v3", "v4"]  # v1 again and its copy under a new id: dropped


def test_window_files_have_portable_names(streamed):
    paths = {p.relative_to(streamed / "parquet" / table).as_posix()
             for table in ("events", "articles") for p in _files(streamed, table)}
    run_id, stamp = r"\d{8}T\d{6}Z-\d+-[0-9a-f]{6}", r"\d{8}T\d{6}Z"
    assert paths and all(re.fullmatch(
        rf"(event|published)_month=(\d{{4}}(-\d{{2}})?|unknown)/part-{run_id}-{stamp}-{stamp}-[0-9a-z]+-\d{{5}}-of-\d{{5}}\.parquet",
        p) for p in paths), paths


def test_the_trigger_fires_early_on_time_and_late():
    """The windowing the stream writes with: an early pane, the on-time pane, a late pane."""
    stream = (Replayed().advance_watermark_to(BASE)
              .add_elements([TimestampedValue("a", BASE + 10)])
              .advance_processing_time(120)
              .add_elements([TimestampedValue("b", BASE + 20)])
              .advance_watermark_to(BASE + HOUR + 1)
              .add_elements([TimestampedValue("late", BASE + 30)])
              .advance_watermark_to_infinity())
    windowing = Windowing(window_seconds=HOUR, allowed_lateness=86400, early_seconds=60)

    class _Panes(beam.DoFn):
        def process(self, element, pane=beam.DoFn.PaneInfoParam):
            yield (pane.timing, sorted(element[1]))

    options = PipelineOptions(["--streaming", "--runner=BundleBasedDirectRunner"])
    with beam.Pipeline(options=options) as pipeline:
        panes = (pipeline | stream | windowing.transform() | beam.Map(lambda x: ("k", x))
                 | beam.GroupByKey() | beam.ParDo(_Panes()))
        assert_that(panes, equal_to([(PaneInfoTiming.EARLY, ["a"]), (PaneInfoTiming.ON_TIME, ["b"]),
                                     (PaneInfoTiming.LATE, ["late"])]))


def test_three_reports_of_one_visit_share_an_id_and_a_later_visit_does_not(streamed):
    events = [row for path in _files(streamed, "events") for row in pq.read_table(path).to_pylist()]
    visits = {row["article"]["article_id"]: row["event_id"] for row in events if row["event_type"] == "state_visit"}
    assert visits["v1"] == visits["v2"] == visits["v3"]
    assert visits["v4"] != visits["v1"]
