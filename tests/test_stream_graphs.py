"""Each streaming source builds the whole pipeline graph (to_runner_api), without reading.

Kafka's reader is a Java cross-language transform; the test expands it with an in-process
stand-in registered under Kafka's URN (the real expansion service is a Java jar that Beam
fetches from Maven at run time, which this machine cannot reach).
"""
from __future__ import annotations

from datetime import datetime, timezone

import apache_beam as beam
import pytest
from apache_beam.io.kafka import ReadFromKafka
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.runners.portability.expansion_service import ExpansionServiceServicer
from apache_beam.transforms import ptransform

from pipelines.extract import ExtractOptions, StreamSettings, UsageError, build_pipeline, run_stream
from transforms.steps.streaming import ReadStream, Source, SourceError, Windowing

NOW = datetime(2025, 3, 20, tzinfo=timezone.utc)
STAGES = ("NormaliseArticles", "AssignEventTime", "DropRepeatedArticles", "AnnotateAndExtract",
          "ResolveEvents", "BuildRecords", "AssignEventIds", "Window_events", "Write_events",
          "PerFiring", "Write_articles", "Write_dead_letters")  # PerFiring: a firing marks its copies as one unit


class _KafkaStandIn(ptransform.PTransform):
    """What the Java expansion would give: (key, value) byte pairs."""

    def expand(self, pbegin):
        return (pbegin | beam.Impulse()
                | beam.Map(lambda _: (b"k", b"{}")).with_output_types(tuple[bytes, bytes]))

    def to_runner_api_parameter(self, unused_context):
        return ReadFromKafka.URN_WITHOUT_METADATA, None


ptransform.PTransform.register_urn(ReadFromKafka.URN_WITHOUT_METADATA, None,
                                   lambda _transform, _payload, _context: _KafkaStandIn())


def _graph(source: str, tmp_path, expansion_service=None):
    options = PipelineOptions(["--streaming", "--output", str(tmp_path)])
    pipeline = beam.Pipeline(options=options)
    settings = StreamSettings(ReadStream(Source.parse(source), NOW, expansion_service), Windowing())
    build_pipeline(pipeline, options.view_as(ExtractOptions), "test-model", NOW, settings)
    proto = pipeline.to_runner_api()
    names = {t.unique_name for t in proto.components.transforms.values()}
    urns = {t.spec.urn for t in proto.components.transforms.values()}
    return names, urns


def _has_stages(names):
    for stage in STAGES:
        assert any(stage in name.split("/") for name in names), stage


def test_pubsub_graph(tmp_path):
    names, urns = _graph("pubsub://projects/news-project/subscriptions/articles", tmp_path)
    assert "beam:transform:pubsub_read:v1" in urns
    _has_stages(names)


def test_watched_folder_graph(tmp_path):
    names, _urns = _graph(f"watch://{tmp_path}/incoming/*.jsonl", tmp_path)
    assert any(name.startswith("ReadStream/MatchContinuously") for name in names)
    _has_stages(names)


def test_kafka_graph(tmp_path):
    names, urns = _graph("kafka://broker-1:9092,broker-2:9092/news", tmp_path, ExpansionServiceServicer())
    assert any(urn.startswith("beam:transform:org.apache.beam:kafka_read") for urn in urns)
    _has_stages(names)


@pytest.mark.parametrize("uri", ["", "http://x", "pubsub://projects/p/topics/t", "kafka://no-topic", "watch://"])
def test_bad_sources_are_refused(uri):
    with pytest.raises(SourceError):
        Source.parse(uri)


def test_stream_without_a_runner_names_the_ways_to_run_it(tmp_path):
    with pytest.raises(UsageError, match="PrismRunner.*FlinkRunner.*DataflowRunner"):
        run_stream(["--source", "watch:///tmp/*.jsonl", "--output", str(tmp_path)])
