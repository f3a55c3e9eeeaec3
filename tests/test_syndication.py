import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from tests.marking import marked as batch_marked
from transforms.output.syndication import band_keys, bucket_entries, bucket_pairs, original, pairs, signature, similarity

WIRE = ("The foreign ministers of Chile and Norway signed an agreement on fisheries research in Oslo on "
        "Monday, officials said. The accord covers joint surveys of krill stocks in the Southern Ocean "
        "and an exchange of scientists between the two countries' marine institutes from next year. "
        "Both governments said the agreement would be renewed every five years.")
COPY = "OSLO (Agency) - " + WIRE + " Chile's minister called it a milestone."
OTHER = ("Nordvik Motors opened a battery plant in Wroclaw on Thursday, its first factory outside Sweden. "
         "The plant will employ 1,800 people when it reaches full capacity in 2027, the company said.")


def test_a_wire_copy_is_similar_and_meets_in_a_band():
    wire, copy, other = signature(WIRE), signature(COPY), signature(OTHER)
    assert similarity(wire, copy) >= 0.5 > similarity(wire, other)
    assert set(band_keys(wire)) & set(band_keys(copy))
    assert signature(WIRE) == wire  # fixed hash functions: the same in every worker and run
    assert isinstance(wire, bytes) and len(wire) == 128  # what crosses the signature join, once per article


def test_ids_that_meet_in_a_band_pair_once_and_the_original_is_the_smallest_similar_id():
    assert pairs(["c-3", "a-1", "b-2", "a-1"]) == [("b-2", ("a-1",)), ("c-3", ("a-1", "b-2"))]
    assert pairs(["a-1"]) == []
    later = "PARIS (Wire) - " + WIRE
    assert original(signature(later), [("b-2", signature(COPY)), ("a-1", signature(WIRE))]) == "a-1"
    assert original(signature(later), [("c-3", signature(OTHER))]) is None


def test_rows_of_copies_point_at_their_original():
    rows = [{"article_id": "a-1", "text": WIRE}, {"article_id": "b-2", "text": COPY},
            {"article_id": "c-3", "text": OTHER}, {"article_id": "d-4", "text": "SEOUL - " + COPY}]
    with beam.Pipeline(runner="FnApiRunner") as pipeline:
        marked = batch_marked(pipeline, rows) | beam.Map(lambda r: (r["article_id"], r["duplicate_of"]))
        assert_that(marked, equal_to([("a-1", None), ("b-2", "a-1"), ("c-3", None), ("d-4", "a-1")]))


def test_the_pairs_of_packed_buckets_are_those_of_band_keys():
    """MarkSyndicated groups (band, bucket) keys, not band keys: the same ids meet."""
    sigs = {f"a-{i}": signature(text) for i, text in enumerate([WIRE, COPY, OTHER, "SEOUL - " + COPY, WIRE])}
    by_key, by_bucket = {}, {}
    for aid, sig in sigs.items():
        for key in band_keys(sig):
            by_key.setdefault(key, []).append(aid)
        for bucket, (crc, article_id) in bucket_entries(aid, sig):
            by_bucket.setdefault(bucket, ([], []))
            by_bucket[bucket][0].append(crc)
            by_bucket[bucket][1].append(article_id)
    expected = sorted(pair for ids in by_key.values() if len(ids) > 1 for pair in pairs(ids))
    assert expected and sorted(pair for hashes, ids in by_bucket.values() for pair in bucket_pairs(hashes, ids)) == expected
