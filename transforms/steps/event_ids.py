"""Identity assignment: reports of one real-world event get one event_id (the rule is
transforms/output/identity.py); batch groups blocks, a stream keeps each block's clusters in state."""
from __future__ import annotations

import json

import apache_beam as beam
from apache_beam.coders import StrUtf8Coder
from apache_beam.metrics import Metrics
from apache_beam.transforms.timeutil import TimeDomain
from apache_beam.transforms.userstate import ReadModifyWriteStateSpec, TimerSpec, on_timer
from apache_beam.utils.timestamp import Duration

from transforms.output import identity
from transforms.output.records import packed, unpacked
from transforms.metrics import NAMESPACE


class _ClusterInState(beam.DoFn):
    """Stream: the clusters of one (type, month) block live in state until the month is over."""

    CLUSTERS = ReadModifyWriteStateSpec("clusters", StrUtf8Coder())
    EXPIRY = TimerSpec("expiry", TimeDomain.WATERMARK)

    def __init__(self, keep_seconds: int):
        self._keep = keep_seconds

    def process(self, element, clusters_state=beam.DoFn.StateParam(CLUSTERS),
                expiry=beam.DoFn.TimerParam(EXPIRY), stamp=beam.DoFn.TimestampParam):
        _block, row = element
        clusters = json.loads(clusters_state.read() or "[]")
        row = {**row, "event_id": identity.join(identity.summary(row), clusters)}
        clusters_state.write(json.dumps(clusters))
        expiry.set(stamp + Duration(seconds=self._keep))
        yield row

    @on_timer(EXPIRY)
    def expire(self, clusters_state=beam.DoFn.StateParam(CLUSTERS)):
        clusters_state.clear()


def _count_distinct_events(n: int) -> None:
    Metrics.counter(NAMESPACE, "distinct_events").inc(n)


class CountDistinctEvents(beam.PTransform):
    """`events` rows (with their final event_id) -> the ``distinct_events`` counter of the run
    summary.  Only event ids cross the shuffle.  Batch only: a stream has no final count."""

    def expand(self, rows):
        return (rows
                | "EventIds" >> beam.Map(lambda row: row["event_id"])
                | "Distinct" >> beam.Distinct()
                | "Count" >> beam.combiners.Count.Globally()
                | "ToCounter" >> beam.Map(_count_distinct_events))


class AssignEventIds(beam.PTransform):
    """Reports of one real-world event get one event_id (rule: transforms/output/identity.py).

    Batch groups each (type, month) block and clusters it in arrival order; a stream keeps
    each block's clusters in state for ``keep_seconds`` of event time.
    """

    def __init__(self, keep_seconds: int = 32 * 86400):
        super().__init__()
        self._keep = keep_seconds

    def expand(self, rows):
        if rows.is_bounded:  # rows wait packed: a local runner holds a shuffle's input whole
            return (rows
                    | "ByBlock" >> beam.Map(lambda row: (identity.block(row), packed(row))).with_output_types(
                        tuple[str, bytes])
                    | "GroupBlocks" >> beam.GroupByKey()
                    | "Cluster" >> beam.FlatMap(
                        lambda block_rows: identity.assign_event_ids([unpacked(data) for data in block_rows[1]])))
        return (rows
                | "ByBlock" >> beam.Map(lambda row: (identity.block(row), row)).with_output_types(tuple[str, dict])
                | "ClusterInState" >> beam.ParDo(_ClusterInState(self._keep)))
