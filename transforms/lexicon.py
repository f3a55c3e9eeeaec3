"""The data files of transforms/lexicons/*.yaml, loaded once per process.

Every word list, trigger class, gazetteer extra and weight the code reads comes through
here, so adding a word is a data change, not a code change.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """The parsed YAML file ``transforms/lexicons/<name>.yaml`` (empty dict for an empty file)."""
    with open(LEXICON_DIR / f"{name}.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


@lru_cache(maxsize=None)
def word_set(name: str, key: str) -> frozenset:
    """A list from a lexicon as a lower-case set, for membership tests."""
    return frozenset(str(word).lower() for word in load(name)[key])
