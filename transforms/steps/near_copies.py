"""Near-copy marking: syndicated articles carry ``duplicate_of`` (the rule is
transforms/output/syndication.py), found through MinHash band buckets in linear time."""
from __future__ import annotations

import json
from array import array
from collections import Counter

import apache_beam as beam

from transforms.ingest.formats import PART_BYTES, input_kind
from transforms.ingest.raw_records import FoldedLines, ReadFailure, ReadPosition, parse_record
from transforms.output import syndication
from transforms.steps.files import OpenFiles, RepeatedPages, file_outputs, file_parts, is_repeat


class SignArticles(beam.PTransform):
    """Batch, a first look at the input: file patterns -> {"signed": (article_id, signature) of
    each article the extraction will see, "kept": RepeatedPages} (parsed and normalised as the
    extraction will; of a web page read more than once, the copy the extraction keeps).

    Nothing is counted and nothing becomes a dead letter here: the extraction's own read does
    both. Marking copies and dropping repeated pages from this look lets the extraction write
    each `articles` row as it is made; on the local runner an article that waited for a
    verdict was held in memory whole, text included, until every article had been read
    (docs/PERFORMANCE.md, "Memory"). A plain JSONL file is read in parts of ``part_bytes``
    dealt out over the workers, so one big file is not signed by one worker alone.
    """

    def __init__(self, patterns: list[str], input_format: str | None, fields, max_article_bytes: int,
                 max_record_bytes: int, web: bool, part_bytes: int = PART_BYTES):
        super().__init__()
        self._patterns = patterns
        self._input_format = input_format
        self._sign = _SignPart(input_format, fields, max_article_bytes, max_record_bytes)
        self._web = web
        self._part_bytes = part_bytes

    def expand(self, pbegin):
        stubs = (pbegin
                 | "OpenFiles" >> OpenFiles(self._patterns, counted=False)
                 | "Parts" >> beam.FlatMap(file_parts, self._input_format, self._part_bytes)
                 | "SpreadParts" >> beam.Reshuffle()  # parts of one big file are signed on every worker
                 | "Sign" >> beam.ParDo(self._sign))
        kept = None
        if self._web:
            kept = stubs | "RepeatedPages" >> RepeatedPages()
            stubs = stubs | "FirstCopies" >> beam.Filter(lambda stub, found: not is_repeat(stub, found),
                                                          beam.pvalue.AsDict(kept))
        signed = stubs | "BySignature" >> beam.Map(lambda stub: (stub["article_id"], stub["signature"]))
        return {"signed": signed, "kept": kept}


STUB_FIELDS = ("article_id", "dedupe_key", "record_kind", "source_file", "record_offset")  # copy_of's


class _SignPart(beam.DoFn):
    """(file, byte range or None) -> a signed stub of each article in that part of the file, or
    in all of it (what ``first_copy`` needs, the signature)."""

    def __init__(self, input_format, fields, max_article_bytes: int, max_record_bytes: int):
        self._input_format = input_format
        self._fields = fields
        self._max_article_bytes = max_article_bytes
        self._max_record_bytes = max_record_bytes

    def process(self, file_part):
        readable, part = file_part
        kind = input_kind(readable.metadata.path, self._input_format)
        position = ReadPosition(readable.metadata.size_in_bytes, None)
        for record in file_outputs(readable, kind, self._max_record_bytes, 0, position, Counter(), part):
            if isinstance(record, (ReadFailure, FoldedLines)):
                continue
            try:
                article = parse_record(record, self._fields, self._max_article_bytes)
            except Exception:  # noqa: BLE001 - no article: the extraction's read dead-letters it
                continue
            yield {**{key: article.get(key) for key in STUB_FIELDS}, "signature": syndication.signature(article["text"])}


class MarkSyndicated(beam.PTransform):
    """`articles` rows -> the same rows, near-copies carrying ``duplicate_of`` (transforms/output/syndication.py).

    Batch: ``signed`` (SignArticles: each article's id and signature) decides the marks. Article
    ids meet under MinHash band keys (packed in buckets, one combiner); each article keeps the
    ``syndication.CANDIDATES`` smallest ids below its own that it met (a combiner), so
    thousands of copies of one story cost linear time and memory, not one pair per two
    copies. The smaller id's signature then goes to each larger one that met it (a join by
    id), and meets there the larger's signature (a second join; only signatures of articles
    that met another join); a copy points at the smallest article_id it resembles. Only the
    copies' marks reach the rows, as a side input: the rows are marked as they pass, never
    grouped.

    In a stream (any windowing but batch's one global pane; ``signed`` None) a firing is marked
    as one unit, held in memory (``syndication.marks``): through several shuffles an early
    firing's rows and its candidate ids reach a join in different panes, and its copies went
    unmarked. Copies are then found among the articles of one firing (early, on-time or late)
    of one window.
    """

    def __init__(self, signed=None):
        super().__init__()
        self._signed = signed

    def expand(self, rows):
        if self._signed is None:
            return (rows
                    | "InOneGroup" >> beam.Map(lambda row: (None, row))
                    | "PerFiring" >> beam.GroupByKey()
                    | "MarkFiring" >> beam.FlatMap(_marked_firing))
        pairs = (
            self._signed
            | "BandBuckets" >> beam.FlatMap(lambda item: syndication.bucket_entries(*item))
            | "MeetInBuckets" >> beam.CombinePerKey(_PackedBucket())
            | "Pairs" >> beam.FlatMap(lambda bucket: bucket[1])
            | "Nearest" >> beam.CombinePerKey(syndication.nearest)
            | "BySmaller" >> beam.FlatMap(lambda item: [(smaller, item[0]) for smaller in item[1]])
        )
        # only the signatures of articles that met another reach the joins (most meet none)
        paired = pairs | "PairedIds" >> beam.FlatMap(lambda pair: [(pair[0], None), (pair[1], None)])
        signed = self._signed | "OnlyPaired" >> beam.Filter(
            lambda item, ids: item[0] in ids, beam.pvalue.AsDict(paired))
        candidates = (
            {"signature": signed, "larger": pairs}
            | "JoinSmaller" >> beam.CoGroupByKey()
            | "ToLarger" >> beam.FlatMap(_to_larger)
        )
        originals = (
            {"signature": signed, "candidate": candidates}
            | "JoinCandidates" >> beam.CoGroupByKey()
            | "Originals" >> beam.FlatMap(_original)
        )
        return rows | "Mark" >> beam.Map(
            lambda row, found: {**row, "duplicate_of": found.get(row["article_id"])}, beam.pvalue.AsDict(originals))


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
    """(article_id, {its signatures, its candidates}) -> (article_id, its original) for a copy:
    one original per id, the smallest any of its signatures resembles."""
    article_id, groups = joined
    candidates = list(groups["candidate"])
    if candidates:
        found = (syndication.original(sig, candidates) for sig in groups["signature"])
        original = min((found_id for found_id in found if found_id is not None), default=None)
        if original is not None:
            yield article_id, original


def _marked_firing(grouped):
    """The rows of one firing of one window, copies carrying their original."""
    rows = list(grouped[1])
    found = syndication.marks({row["article_id"]: row["text"] for row in rows})
    for row in rows:
        yield {**row, "duplicate_of": found[row["article_id"]]}
