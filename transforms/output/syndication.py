"""Near-duplicate (syndicated) articles by MinHash over word shingles (pure Python + numpy).

Two articles whose estimated Jaccard similarity of 5-word shingles is at least
``THRESHOLD`` are copies of one story: a wire text republished with a new first line or an
added paragraph. Locality-sensitive hashing (``BANDS`` bands of ``ROWS`` rows) makes the
candidates meet under a common key, so no article is compared with every other; only their
ids meet there (``pairs``), and each pair's signatures are compared afterwards
(``original``), so a signature is not copied once per band.

A key met by many articles (wire copy republished a thousand times, a templated feed)
would give n²/2 pairs: 1,000 copies of one story took a minute and 2 GB. So an article is
compared with at most ``CANDIDATES`` others: the smallest ids below its own that it met
under any of its band keys (``nearest``). Work and memory are then linear in the input,
and the original found is the one comparing every pair finds (the smallest similar id)
unless the ``CANDIDATES`` smallest articles that met the copy all fail to resemble it; then
the copy is marked as none (``duplicate_of`` null) even if a larger one resembles it.

Band keys are not shuffle keys: a local runner holds a shuffle's input whole, and one key
per band per article cost a dict entry, a list and two strings each (a run over 200,000
tiny articles peaked at 1.66 GB). An article's band hash goes in the value instead, under
one of ``BUCKETS`` keys per band; a combiner packs each bucket's hashes and ids, and the
ids that share a hash are found inside it (``bucket_pairs``): the same run peaks at 1.21 GB.
"""
from __future__ import annotations

import heapq
import re
import zlib

import numpy as np

SHINGLE_WORDS = 5
BANDS, ROWS = 16, 4  # 64 hash functions; pairs at Jaccard 0.8 meet in a band with p > 0.999
THRESHOLD = 0.5
CANDIDATES = 16  # most articles one article is compared with (the module docstring says why)
BUCKETS = 256  # shuffle keys per band (the module docstring says why)
_PRIME = (1 << 61) - 1
_RNG = np.random.default_rng(20250101)  # fixed: signatures must agree across workers and runs
_A = _RNG.integers(1, _PRIME, BANDS * ROWS, dtype=np.uint64)
_B = _RNG.integers(0, _PRIME, BANDS * ROWS, dtype=np.uint64)
_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[int]:
    """CRC32 of every run of SHINGLE_WORDS lower-cased words (the whole text if shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {zlib.crc32(" ".join(words[i:i + SHINGLE_WORDS]).encode()) for i in range(len(words) - SHINGLE_WORDS + 1)}


SIGNATURE_DTYPE = np.dtype("<u2")  # the low 16 bits of each minimum: 128 bytes per article


def signature(text: str) -> bytes:
    """The MinHash signature: for each hash function the least hash over the shingles.

    Packed as little-endian uint16, the low 16 bits of each minimum: two different minima
    agree there with probability 2**-16, which moves an estimate by ~0.002 % on average.
    """
    values = np.fromiter(shingles(text), dtype=np.uint64)
    if values.size == 0:
        return bytes(BANDS * ROWS * SIGNATURE_DTYPE.itemsize)
    hashed = (np.outer(_A, values) + _B[:, None]) % np.uint64(_PRIME)  # wraps mod 2**64, still a fixed hash
    return hashed.min(axis=1).astype(SIGNATURE_DTYPE).tobytes()


def _band_hashes(sig: bytes) -> list[int]:
    width = ROWS * SIGNATURE_DTYPE.itemsize
    return [zlib.crc32(sig[band * width:(band + 1) * width]) for band in range(BANDS)]


def band_keys(sig: bytes) -> list[str]:
    """One key per band; articles sharing any key are candidate copies."""
    return [f"{band}:{crc}" for band, crc in enumerate(_band_hashes(sig))]


def bucket_entries(article_id: str, sig: bytes) -> list[tuple[str, tuple[int, str]]]:
    """(band and bucket, (band hash, article_id)) per band: what crosses the shuffle."""
    return [(f"{band}:{crc % BUCKETS}", (crc, article_id)) for band, crc in enumerate(_band_hashes(sig))]


def bucket_pairs(hashes, ids) -> list[tuple[str, tuple[str, ...]]]:
    """``pairs`` of each band key among one bucket's entries (``hashes[i]`` is ``ids[i]``'s)."""
    members: dict[int, list[str]] = {}
    for crc, article_id in zip(hashes, ids):
        members.setdefault(crc, []).append(article_id)
    return [pair for met in members.values() if len(met) > 1 for pair in pairs(met)]


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity: the share of hash functions whose minimum agrees."""
    return float(np.mean(np.frombuffer(a, SIGNATURE_DTYPE) == np.frombuffer(b, SIGNATURE_DTYPE)))


def pairs(ids) -> list[tuple[str, tuple[str, ...]]]:
    """(larger id, up to CANDIDATES smallest ids below it) for the articles that met under one
    band key: ``CANDIDATES`` ids per article, not one pair per two articles."""
    ordered = sorted(set(ids))
    head = tuple(ordered[:CANDIDATES])
    return [(larger, head[:i]) for i, larger in enumerate(ordered) if i]  # head[:i] is head when i >= its length


def nearest(id_groups) -> tuple[str, ...]:
    """The ``CANDIDATES`` smallest distinct ids of ``id_groups`` (an article's ``pairs`` from
    all its band keys): those it is compared with. Associative, so a combiner."""
    return tuple(heapq.nsmallest(CANDIDATES, set().union(*id_groups)))


def marks(texts: dict[str, str]) -> dict[str, str | None]:
    """Each article's original among ``texts`` (article_id -> text), held in memory: the rule
    MarkSyndicated applies through shuffles (band keys, ``pairs``, ``nearest``, ``original``)."""
    signatures = {article_id: signature(text) for article_id, text in texts.items()}
    met: dict[str, list[str]] = {}
    for article_id, sig in signatures.items():
        for key in band_keys(sig):
            met.setdefault(key, []).append(article_id)
    smaller: dict[str, list[tuple[str, ...]]] = {}
    for ids in met.values():
        for larger, head in pairs(ids):
            smaller.setdefault(larger, []).append(head)
    return {article_id: original(sig, [(cid, signatures[cid]) for cid in nearest(smaller.get(article_id, [()]))])
            for article_id, sig in signatures.items()}


def original(sig: bytes, candidates) -> str | None:
    """The smallest article_id among ``candidates`` ((id, signature), each smaller than the
    copy's id) whose text resembles the one of ``sig``: every run marks the same article."""
    return min((cid for cid, other in candidates if similarity(sig, other) >= THRESHOLD), default=None)
