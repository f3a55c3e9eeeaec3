"""Near-copy marking: syndicated articles carry ``duplicate_of`` (the rule is
transforms/syndication.py), found through MinHash band buckets in linear time."""
from __future__ import annotations

import json
from array import array

import apache_beam as beam

from transforms import syndication


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
