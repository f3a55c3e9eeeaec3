"""Near-duplicate (syndicated) articles by MinHash over word shingles (pure Python + numpy).

Two articles whose estimated Jaccard similarity of 5-word shingles is at least
``THRESHOLD`` are copies of one story: a wire text republished with a new first line or an
added paragraph. Locality-sensitive hashing (``BANDS`` bands of ``ROWS`` rows) makes the
candidates meet under a common key, so no article is compared with every other.
"""
from __future__ import annotations

import re
import zlib

import numpy as np

SHINGLE_WORDS = 5
BANDS, ROWS = 16, 4  # 64 hash functions; pairs at Jaccard 0.8 meet in a band with p > 0.999
THRESHOLD = 0.5
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


def signature(text: str) -> list[int]:
    """The MinHash signature: for each hash function the least hash over the shingles."""
    values = np.fromiter(shingles(text), dtype=np.uint64)
    if values.size == 0:
        return [0] * (BANDS * ROWS)
    hashed = (np.outer(_A, values) + _B[:, None]) % np.uint64(_PRIME)  # wraps mod 2**64, still a fixed hash
    return hashed.min(axis=1).tolist()


def band_keys(sig: list[int]) -> list[str]:
    """One key per band; articles sharing any key are candidate copies."""
    return [f"{band}:{zlib.crc32(repr(sig[band * ROWS:(band + 1) * ROWS]).encode())}" for band in range(BANDS)]


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity: the share of hash functions whose minimum agrees."""
    return sum(x == y for x, y in zip(a, b)) / len(a)


def copies(candidates: list[tuple[str, list[int]]]) -> list[tuple[str, str]]:
    """(copy, original) pairs among articles that met under one band key; the original is
    the smaller article_id, so every run marks the same article."""
    pairs = []
    ordered = sorted(candidates)
    for i, (first, first_sig) in enumerate(ordered):
        for second, second_sig in ordered[i + 1:]:
            if second != first and similarity(first_sig, second_sig) >= THRESHOLD:
                pairs.append((second, first))
    return pairs
