"""The word lists of transforms/lexicons/*.yaml, loaded once per process.

Rules read word classes from data so that adding a trigger or a guard word is a data
change, not a code change.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicons"


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """The parsed YAML file ``transforms/lexicons/<name>.yaml``."""
    with open(LEXICON_DIR / f"{name}.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=None)
def word_set(name: str, key: str) -> frozenset:
    """A list from a lexicon as a lower-case set, for membership tests."""
    return frozenset(str(word).lower() for word in load(name)[key])


def triggers(event_type: str) -> dict:
    """The trigger word classes of one event type."""
    return load("triggers")[event_type]


@lru_cache(maxsize=None)
def trigger_set(event_type: str, key: str) -> frozenset:
    """One trigger word class of one event type as a lower-case set."""
    return frozenset(str(word).lower() for word in triggers(event_type).get(key, ()))
