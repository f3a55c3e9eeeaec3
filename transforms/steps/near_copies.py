"""Near-copy marking: syndicated articles carry ``duplicate_of`` (the rule is
transforms/output/syndication.py), found through MinHash band buckets in linear time."""
from __future__ import annotations

import json
import pickle
import zlib
from array import array

import apache_beam as beam

from transforms.output import syndication


class MarkSyndicated(beam.PTransform):
    """`articles` rows -> the same rows, near-copies carrying ``duplicate_of`` (transforms/output/syndication.py).

    Article ids meet under MinHash band keys (packed in buckets, one combiner); each article
    keeps the ``syndication.CANDIDATES`` smallest ids below its own that it met (a combiner), so
    thousands of copies of one story cost linear time and memory, not one pair per two
    copies. The smaller id's signature then goes to each larger one that met it (a join by
    id), and meets there the larger's row (a second join), whose signature is made again
    from its text; a copy points at the smallest article_id it resembles. Per article, 16
    short entries, one 128-byte signature and the row packed as bytes cross the shuffles.

    In a stream (any windowing but batch's one global pane) a firing is marked as one unit,
    held in memory (``syndication.marks``): through several shuffles an early firing's rows
    and its candidate ids reach a join in different panes, and its copies went unmarked.
    Copies are then found among the articles of one firing (early, on-time or late) of one
    window.
    """

    def expand(self, rows):
        if not rows.windowing.is_default():
            return (rows
                    | "InOneGroup" >> beam.Map(lambda row: (None, row))
                    | "PerFiring" >> beam.GroupByKey()
                    | "MarkFiring" >> beam.FlatMap(_marked_firing))
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
        return (
            {"row": rows | "Packed" >> beam.Map(lambda row: (row["article_id"], _packed(row))),
             "candidate": candidates}
            | "JoinCandidates" >> beam.CoGroupByKey()
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


def _packed(row: dict) -> bytes:
    """A row as it waits for its candidates: one compressed bytes object, not a dict of objects
    (a local runner holds a join's input whole; a 6,000-character article packs to ~3 KB)."""
    return zlib.compress(pickle.dumps(row, pickle.HIGHEST_PROTOCOL), 1)


def _marked(joined):
    """Every row of one article_id, with its original when a candidate resembles it (its
    signature made again from its text: one signature join fewer to hold)."""
    _article_id, groups = joined
    rows = [pickle.loads(zlib.decompress(packed)) for packed in groups["row"]]
    candidates = list(groups["candidate"])
    found = [syndication.original(syndication.signature(row["text"]), candidates) for row in rows] if candidates else []
    original = min((found_id for found_id in found if found_id is not None), default=None)  # one per id
    for row in rows:
        yield {**row, "duplicate_of": original}


def _marked_firing(grouped):
    """The rows of one firing of one window, copies carrying their original."""
    rows = list(grouped[1])
    found = syndication.marks({row["article_id"]: row["text"] for row in rows})
    for row in rows:
        yield {**row, "duplicate_of": found[row["article_id"]]}
