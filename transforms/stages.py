"""The processing stages as composite PTransforms, each with a dead-letter output.

Every stage maps a pure function from transforms/ over its input with Beam's
``with_exception_handling``; an element that raises becomes one `dead_letters` row with
the stage name and the error, so no element-level error reaches the runner and nothing
is dropped silently.
"""
from __future__ import annotations

import json
import os
import re
import traceback
from array import array
from datetime import datetime
from pathlib import Path

import apache_beam as beam
from apache_beam.coders import StrUtf8Coder
from apache_beam.metrics import Metrics
from apache_beam.transforms.timeutil import TimeDomain
from apache_beam.transforms.userstate import ReadModifyWriteStateSpec, TimerSpec, on_timer
from apache_beam.utils.timestamp import Duration
from apache_beam.utils.windowed_value import WindowedValue

import schemas

from transforms import identity, syndication, worker
from transforms.analysis import CAPPED_FLAG, spacy_input
from transforms.extraction import extract_events
from transforms.extraction.decision import DecisionModel, load_model as load_decision_model
from transforms.ingest.articles import DEFAULT_FIELDS, JsonFields
from transforms.ingest.raw_records import parse_record
from transforms.nlp import installed_model_meta, model_label, model_lock
from transforms.records import article_row, dead_letter_row, event_row
from transforms.resolution import resolve_events

EVENTS = "events"
ARTICLES = "articles"
TRACEBACK_FRAMES = 4  # the innermost frames of a failure a dead letter keeps ...
TRACEBACK_CHARS = 800  # ... in at most this many characters (the innermost end kept)
_ROOT = f'"{Path(__file__).resolve().parents[1]}{os.sep}'  # a path in the package: from the checkout on
_SITE_PACKAGES = re.compile(r'"[^"]*?[/\\](?:site|dist)-packages[/\\]')  # a library's: from its package on


def _describe(element) -> dict:
    """Where a failed element came from, and its raw form, for the dead-letter row."""
    if isinstance(element, tuple):  # (article, events)
        element = element[0]
    if isinstance(element, dict) and "raw" in element:  # a raw input record
        return {"raw": element["raw"], "source_file": element.get("source_file"),
                "line_number": element.get("line_number")}
    if isinstance(element, dict) and "text" in element:  # an article
        raw = {k: element.get(k) for k in ("article_id", "title", "published_at", "url", "source", "text")}
        return {"raw": json.dumps(raw, ensure_ascii=False), "source_file": element.get("source_file"),
                "line_number": element.get("line_number"), "article_id": element.get("article_id")}
    return {"raw": repr(element)}


class _ToDeadLetter(beam.DoFn):
    """(element, exception info) from with_exception_handling -> a dead-letter row."""

    def __init__(self, stage: str, processed_at: datetime):
        self._stage = stage
        self._processed_at = processed_at
        self._count = Metrics.counter("newsevents", f"dead_letters_{stage}")

    def process(self, failure):
        element, (_exc_type, message, lines) = failure  # message is repr(exception)
        self._count.inc()
        yield dead_letter_row(self._stage, message, processed_at=self._processed_at,
                              traceback=short_traceback(lines), **_describe(element))


def short_traceback(lines: list[str]) -> str:
    """The innermost ``TRACEBACK_FRAMES`` frames of a formatted traceback (the lines of
    ``traceback.format_exception``), paths from the package or site-packages on, cut to the
    last ``TRACEBACK_CHARS`` characters: where the error arose, short enough to report."""
    frames = [line for line in lines if line.startswith("  File ")]
    text = "".join(_SITE_PACKAGES.sub('"', frame.replace(_ROOT, '"')) for frame in frames[-TRACEBACK_FRAMES:])
    return text[-TRACEBACK_CHARS:]


class _Stage(beam.PTransform):
    """Apply ``dofn`` with exception handling: returns (good, dead_letter_rows)."""

    def __init__(self, stage: str, dofn: beam.DoFn, processed_at: datetime):
        super().__init__()
        self._stage = stage
        self._dofn = dofn
        self._processed_at = processed_at

    def expand(self, pcoll):
        good, bad = pcoll | "Apply" >> beam.ParDo(self._dofn).with_exception_handling()
        dead = bad | "DeadLetter" >> beam.ParDo(_ToDeadLetter(self._stage, self._processed_at))
        return good, dead


class _ParseRecord(beam.DoFn):
    def __init__(self, max_article_bytes: int, fields: JsonFields = DEFAULT_FIELDS):
        self._max_article_bytes = max_article_bytes
        self._fields = fields  # the JSONL keys of --text-field, --id-field, ...
        self._skipped = Metrics.counter("newsevents", "articles_skipped")

    def process(self, record):
        article = parse_record(record, self._fields, self._max_article_bytes)
        if article["status"] != "ok":
            self._skipped.inc()
        yield article


class NormaliseArticles(_Stage):
    """Raw records -> checked, cleaned article dicts (transforms/ingest/raw_records.parse_record);
    records that are no article -> dead letters."""

    def __init__(self, max_article_bytes: int, processed_at: datetime, fields: JsonFields = DEFAULT_FIELDS):
        super().__init__("parse", _ParseRecord(max_article_bytes, fields), processed_at)


class _AnnotateAndExtractFn(beam.DoFn):
    """spaCy once per worker process (setup + a process-wide cache), then pure extraction.

    The candidate filter (transforms/candidates.py) blanks the sentences that cannot
    report an event; an article without a candidate sentence (or skipped, e.g. not
    English) skips the model and leaves at once with no events. An article read only in part
    (the filter's bounds per article, transforms/candidates.py) carries the flag
    ``extraction_capped`` and counts in ``articles_capped``. The others are buffered
    and annotated with ``nlp.pipe`` in batches of ``batch_size`` texts (the model runs
    ~15 % faster on 32 texts at a time than on 8), flushed when the buffer is full and at
    the end of each bundle; each keeps its own timestamp and window (the same DoFn runs in
    streams). A failure dead-letters only its article: it is caught per article and sent
    to the ``DEAD`` output as (article, (type, repr, traceback)), the shape
    ``with_exception_handling`` gives ``_ToDeadLetter``.

    Only plain dicts leave this DoFn; the Doc never does.
    """

    DEAD = "dead"

    def __init__(self, model_name: str | None, candidate_filter: bool = True, batch_size: int = 32,
                 decision: dict | None = None):
        self._model_name = model_name
        self._decision_data = decision  # weights of --extractor-model (None: the shipped model)
        self._decision = None
        self._candidate_filter = candidate_filter
        self._batch_size = max(1, batch_size)
        self._nlp = None
        self._buffer: list = []
        self._no_candidates = Metrics.counter("newsevents", "articles_without_candidates")
        self._parsed = Metrics.counter("newsevents", "articles_parsed")
        self._capped = Metrics.counter("newsevents", "articles_capped")

    def setup(self):
        self._nlp = worker.prepare(self._model_name)
        self._decision = DecisionModel(self._decision_data) if self._decision_data else load_decision_model()

    def start_bundle(self):
        self._buffer = []

    def process(self, article, timestamp=beam.DoFn.TimestampParam, window=beam.DoFn.WindowParam):
        if article.get("status", "ok") != "ok":  # skipped (e.g. not English): no NLP, no events
            yield article, []
            return
        try:
            text, capped = spacy_input(article, self._candidate_filter)
        except Exception as exc:  # noqa: BLE001 - one article's failure is its dead letter
            yield beam.pvalue.TaggedOutput(self.DEAD, (article, _failure(exc)))
            return
        if capped:  # only the start of a huge article is read: never silently
            self._capped.inc()
            article = {**article, "flags": [*(article.get("flags") or []), CAPPED_FLAG]}
        if text is None:
            self._no_candidates.inc()
            yield article, []
            return
        self._buffer.append((article, text, timestamp, window))
        if len(self._buffer) >= self._batch_size:
            yield from self._flush()

    def finish_bundle(self):
        yield from self._flush()

    def _flush(self):
        buffered, self._buffer = self._buffer, []
        outputs = []
        # strings the batch adds to the vocab are freed when the zone ends, so a long-running
        # worker does not grow; no Doc outlives it (events are plain dicts). The zone frees
        # strings of the shared vocab, so threads of one process take turns.
        with model_lock(self._nlp), self._nlp.memory_zone():
            docs = self._annotate([text for _article, text, _timestamp, _window in buffered])
            for (article, _text, timestamp, window), doc in zip(buffered, docs):
                try:
                    if isinstance(doc, Exception):
                        raise doc
                    events = extract_events(doc, article, self._decision)
                except Exception as exc:  # noqa: BLE001
                    failure = (article, _failure(exc))
                    outputs.append(beam.pvalue.TaggedOutput(self.DEAD, WindowedValue(failure, timestamp, (window,))))
                    continue
                outputs.append(WindowedValue((article, events), timestamp, (window,)))
        yield from outputs

    def _annotate(self, texts: list[str]) -> list:
        """A Doc (or the exception of that article) per text, one nlp.pipe call when all goes well."""
        if not texts:
            return []
        try:
            docs = list(self._nlp.pipe(texts, batch_size=self._batch_size))
        except Exception:  # noqa: BLE001 - find the article that fails, one at a time
            docs = []
            for text in texts:
                try:
                    docs.append(self._nlp(text))
                except Exception as exc:  # noqa: BLE001
                    docs.append(exc)
        self._parsed.inc(len(texts))
        return docs


def _failure(exc: Exception) -> tuple:
    """(type, repr, traceback): what ``with_exception_handling`` hands ``_ToDeadLetter``."""
    return type(exc), repr(exc), traceback.format_exception(exc)


class AnnotateAndExtract(_Stage):
    """Articles -> (article, extracted events); failed articles -> dead-letter rows.

    ``candidate_filter`` False parses every sentence (``--no-candidate-filter``).
    """

    def __init__(self, model_name: str | None, processed_at: datetime, candidate_filter: bool = True,
                 batch_size: int = 32, decision: dict | None = None):
        super().__init__("annotate_extract",
                         _AnnotateAndExtractFn(model_name, candidate_filter, batch_size, decision), processed_at)

    def expand(self, pcoll):
        outputs = pcoll | "Apply" >> beam.ParDo(self._dofn).with_outputs(_AnnotateAndExtractFn.DEAD, main="good")
        dead = outputs[_AnnotateAndExtractFn.DEAD] | "DeadLetter" >> beam.ParDo(
            _ToDeadLetter(self._stage, self._processed_at))
        return outputs.good, dead


class _ResolveFn(beam.DoFn):
    def process(self, article_events):
        article, events = article_events
        yield article, resolve_events(events, article)


class ResolveEvents(_Stage):
    """(article, events) -> the same with countries, places and dates resolved."""

    def __init__(self, processed_at: datetime):
        super().__init__("resolve", _ResolveFn(), processed_at)


class _BuildRecordsFn(beam.DoFn):
    def __init__(self, model: str, processed_at: datetime):
        self._model = model
        self._processed_at = processed_at
        self._events = Metrics.counter("newsevents", "events")
        self._articles = Metrics.counter("newsevents", "articles")

    def process(self, article_events):
        article, events = article_events
        rows = [event_row(event, article, self._model, self._processed_at) for event in events]
        article_out = article_row(article, len(rows), self._processed_at)
        for row in rows:
            schemas.validate_row(EVENTS, row)
        schemas.validate_row(ARTICLES, article_out)
        self._articles.inc()
        self._events.inc(len(rows))
        for row in rows:
            Metrics.counter("newsevents", f"events_{row['event_type']}").inc()
            yield EVENTS, row
        yield ARTICLES, article_out


class BuildRecords(_Stage):
    """(article, events) -> (table name, row) pairs for `events` and `articles`.

    An article's rows are built together, so a failure dead-letters the whole article
    rather than leaving it half written.
    """

    def __init__(self, model: str, processed_at: datetime):
        super().__init__("build_records", _BuildRecordsFn(model, processed_at), processed_at)


class SplitTables(beam.PTransform):
    """(table name, row) pairs -> {table name: rows}."""

    def expand(self, pairs):
        events, articles = pairs | "ByTable" >> beam.Partition(
            lambda pair, _n: 0 if pair[0] == EVENTS else 1, 2)
        return {
            EVENTS: events | "EventRows" >> beam.Values(),
            ARTICLES: articles | "ArticleRows" >> beam.Values(),
        }


def model_provenance(model_name: str | None) -> str:
    """The model label written into every event row; fails fast, naming the install command,
    without loading the model in the launcher (the workers load it)."""
    return model_label(installed_model_meta(model_name))


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
    Metrics.counter("newsevents", "distinct_events").inc(n)


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
    """Reports of one real-world event get one event_id (rule: transforms/identity.py).

    Batch groups each (type, month) block and clusters it in arrival order; a stream keeps
    each block's clusters in state for ``keep_seconds`` of event time.
    """

    def __init__(self, keep_seconds: int = 32 * 86400):
        super().__init__()
        self._keep = keep_seconds

    def expand(self, rows):
        keyed = rows | "ByBlock" >> beam.Map(lambda row: (identity.block(row), row)).with_output_types(tuple[str, dict])
        if rows.is_bounded:
            return (keyed | "GroupBlocks" >> beam.GroupByKey()
                    | "Cluster" >> beam.FlatMap(lambda block_rows: identity.assign_event_ids(list(block_rows[1]))))
        return keyed | "ClusterInState" >> beam.ParDo(_ClusterInState(self._keep))


class MarkSyndicated(beam.PTransform):
    """`articles` rows -> the same rows, near-copies carrying ``duplicate_of`` (transforms/syndication.py).

    Article ids meet under MinHash band keys (packed in buckets, one combiner); each article
    keeps the ``syndication.CANDIDATES`` smallest ids below its own that it met (a combiner), so
    thousands of copies of one story cost linear time and memory, not one pair per two
    copies. Each candidate pair then meets its two signatures in two joins by id (the
    smaller id's signature goes to the larger), and a copy points at the smallest
    article_id it resembles. Per article, 16 short entries and one 128-byte signature cross
    the shuffle, not 16 signatures. In a stream, copies are found within one on-time or late
    firing of one window; an early firing marks none (its ids reach the first join in a
    later pane than its signatures).
    """

    def expand(self, rows):
        signed = rows | "Sign" >> beam.Map(lambda row: (row["article_id"], syndication.signature(row["text"])))
        pairs = (
            signed
            | "BandBuckets" >> beam.FlatMap(lambda item: syndication.bucket_entries(*item))
            | "MeetInBuckets" >> beam.CombinePerKey(_PackedBucket())
            | "Pairs" >> beam.FlatMap(lambda bucket: bucket[1])
            | "Nearest" >> beam.CombinePerKey(syndication.nearest)
            | "BySmaller" >> beam.FlatMap(lambda item: [(smaller, item[0]) for smaller in item[1]])
        )
        candidates = (
            {"signature": signed, "larger": pairs}
            | "JoinSmaller" >> beam.CoGroupByKey()
            | "ToLarger" >> beam.FlatMap(_to_larger)
        )
        marks = (
            {"signature": signed, "candidate": candidates}
            | "JoinLarger" >> beam.CoGroupByKey()
            | "Original" >> beam.FlatMap(_original)
        )
        return (
            {"row": rows | "ById" >> beam.Map(lambda row: (row["article_id"], row)), "original": marks}
            | "JoinMarks" >> beam.CoGroupByKey()
            | "Mark" >> beam.FlatMap(_marked)
        )


class _PackedBucket(beam.CombineFn):
    """One bucket's (band hash, article_id) entries -> the ``syndication.bucket_pairs`` among them.

    Packed (an array of hashes, the ids as one JSON string) when they cross the shuffle: a
    local runner holds a shuffle's input whole, and decoded entries cost ~150 bytes each.
    """

    def create_accumulator(self):
        return array("I"), []

    def add_input(self, accumulator, entry):
        accumulator[0].append(entry[0])
        accumulator[1].append(entry[1])
        return accumulator

    def merge_accumulators(self, accumulators):
        hashes, ids = self.create_accumulator()
        for more_hashes, more_ids in map(_unpacked, accumulators):
            hashes.extend(more_hashes)
            ids.extend(more_ids)
        return hashes, ids

    def compact(self, accumulator):
        return accumulator[0].tobytes(), json.dumps(accumulator[1])

    def extract_output(self, accumulator):
        return syndication.bucket_pairs(*_unpacked(accumulator))


def _unpacked(accumulator):
    hashes, ids = accumulator
    if isinstance(hashes, bytes):
        return array("I", hashes), json.loads(ids)
    return hashes, ids


def _to_larger(joined):
    """(smaller id, {signature, larger ids}) -> (larger id, (smaller id, its signature)) per pair."""
    smaller, groups = joined
    for sig in groups["signature"]:
        for larger in sorted(set(groups["larger"])):  # a pair met in several bands is compared once
            yield larger, (smaller, sig)


def _original(joined):
    """(article id, {signature, candidates}) -> (copy, original) when a candidate resembles it."""
    article_id, groups = joined
    for sig in groups["signature"]:
        found = syndication.original(sig, groups["candidate"])
        if found is not None:
            yield article_id, found


def _marked(joined):
    """Every row of one article_id, with its original when it is a copy."""
    _article_id, groups = joined
    original = min(groups["original"], default=None)  # an id seen twice has one original
    for row in groups["row"]:
        yield {**row, "duplicate_of": original}
