"""The data files of transforms/lexicons/*.yaml, loaded once per process.

Every word list, trigger class, gazetteer extra and weight the code reads comes through
here, so adding a word is a data change, not a code change. Each file is checked against
its entry in lexicons/schema.json (its top-level keys and whether each holds a list or a
mapping) when first loaded, so a mistyped key stops the worker at load, naming the file
and the key, instead of failing every article with a KeyError.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import yaml

# libyaml's safe loader when PyYAML was built with it: the lexicons load in 7 ms, not 56 ms
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
SCHEMA_FILE = LEXICON_DIR / "schema.json"
KINDS = {"list": list, "mapping": dict}


class LexiconError(ValueError):
    """A lexicon file that does not match its schema."""


@lru_cache(maxsize=None)
def schema() -> dict[str, dict[str, str]]:
    """{lexicon name: {top-level key: "list" or "mapping"}}."""
    with open(SCHEMA_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def read(path: Path, expected: dict[str, str]) -> dict:
    """The parsed YAML file at ``path`` (empty dict for an empty file), checked against
    ``expected`` ({key: kind}): every key present, no other, each value of its kind."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=SAFE_LOADER) or {}
    if not isinstance(data, dict):
        raise LexiconError(f"lexicon {path}: the top level must be a mapping of keys, not a {type(data).__name__}")
    unknown = sorted(set(data) - set(expected), key=str)
    missing = sorted(set(expected) - set(data))
    if unknown or missing:
        problems = ([f"unknown key {key!r}" for key in unknown] + [f"missing key {key!r}" for key in missing])
        raise LexiconError(f"lexicon {path}: " + "; ".join(problems) + f" (the keys are {', '.join(expected)})")
    for key, kind in expected.items():
        if not isinstance(data[key], KINDS[kind]):
            raise LexiconError(f"lexicon {path}: key {key!r} must hold a {kind}, not a {type(data[key]).__name__}")
    return data


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """The checked contents of ``transforms/lexicons/<name>.yaml``."""
    if name not in schema():
        raise LexiconError(f"lexicon {name!r} has no entry in {SCHEMA_FILE}")
    return read(LEXICON_DIR / f"{name}.yaml", schema()[name])


@lru_cache(maxsize=None)
def word_set(name: str, key: str) -> frozenset:
    """A list from a lexicon as a lower-case set, for membership tests."""
    return frozenset(str(word).lower() for word in load(name)[key])
