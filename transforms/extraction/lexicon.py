"""Trigger word classes of transforms/lexicons/triggers.yaml (the loader is transforms/lexicon.py)."""
from __future__ import annotations

from functools import lru_cache

from transforms.lexicon import load, word_set  # noqa: F401  (re-exported for the extraction modules)


def triggers(event_type: str) -> dict:
    """The trigger word classes of one event type."""
    return load("triggers")[event_type]


@lru_cache(maxsize=None)
def trigger_set(event_type: str, key: str) -> frozenset:
    """One trigger word class of one event type as a lower-case set."""
    return frozenset(str(word).lower() for word in triggers(event_type).get(key, ()))
