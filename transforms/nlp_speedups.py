"""Exact, faster stand-ins for three parts of en_core_web_sm (docs/PERFORMANCE.md).

After the candidate filter, spaCy is most of an article's cost, and three of its parts
spend that time outside the model's arithmetic:

- The attribute ruler spends ~15 % of it in Python: a general ``Matcher`` runs over every
  token to apply ~180 one- or two-token patterns (mostly "TAG x -> POS y").
  ``IndexedAttributeMatches`` finds the same matches through dictionaries and array masks
  (~3.5x faster). ``IndexedAttributeRuler`` (the ``newsevents_attribute_ruler`` factory) is
  spaCy's AttributeRuler matching through it when its patterns are the supported kind (no
  "OP", the attributes below), and through the Matcher otherwise; its ``set_annotations``
  and patterns are spaCy's.
- The entity recogniser's greedy decoding. spaCy's wheels for Python < 3.12 are built with
  Cython's profiling hooks (explosion/spaCy#12979), and in code that runs without the GIL
  each hooked call takes the GIL to ask whether a profiler is on. The NER checks 74 moves
  per token, each a hooked call, so about half its time goes to taking and dropping the
  GIL. ``SteppedEntityRecognizer`` decodes with spaCy's own greedy step
  (``Parser.transition_states``, the loop spaCy trains with) called from Python, where the
  GIL is already held and the hooks cost little: ~2x faster, the same entities.
- The English lemmatizer asks, for each form its suffix rules make of a word it has not
  met, whether the form is in its word index: a list of up to 57,528 words per part of
  speech, scanned from the start. ``SetIndexLemmatizer`` holds those lists as
  ``WordList`` (still lists, so they save as before) whose ``in`` is a set lookup: a
  worker's first 400 Reuters stories are lemmatized in 0.18 s instead of 0.84 s.

The model loads straight into all three: ``load_overrides`` names the ``newsevents_ner``,
``newsevents_attribute_ruler`` and (English pipelines) ``newsevents_lemmatizer`` factories in
place of spaCy's ``ner``, ``attribute_ruler`` and ``lemmatizer`` (weights, labels, moves,
patterns and tables are the package's).

tests/test_nlp_speedups.py checks every token annotation, entities included, against the
unchanged pipeline.
"""
from __future__ import annotations

import re

import numpy as np
from spacy.lang.en import English
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.pipeline.ner import DEFAULT_NER_MODEL, EntityRecognizer
from spacy.tokens import Doc

_ATTRIBUTES = ("TAG", "LOWER", "DEP", "IS_SPACE")  # the Matcher token attributes supported
_OPERATORS = ({"IN"}, {"NOT_IN"}, {"REGEX"})


class IndexedAttributeMatches:
    """``AttributeRuler.match`` for patterns of plain token specs (no "OP"), by lookup.

    The tokens' TAG, LOWER, DEP and IS_SPACE come out of the Doc as one array of string
    hashes. A one-token pattern of literal values ({"TAG": "NNS"}, {"LOWER": "n't", "TAG":
    "RB"}) is a dictionary entry under the attributes it names, and each token looks itself
    up once per such group; the few others (two tokens, IN / NOT_IN / REGEX values) are
    boolean masks over the array. Returns what the ruler's own ``match`` returns: sorted
    (attribute id, match id, start, end), so later rules keep their precedence.
    """

    def __init__(self, ruler):
        self._strings = ruler.vocab.strings
        self._literal: dict[tuple[int, ...], dict[tuple, list]] = {}  # columns -> value hashes -> ids
        self._general: list = []  # (attr id, match id, [[(column, operator, operand)] per token])
        for attr_id, entry in enumerate(ruler.patterns):  # entry i holds the patterns of attribute id i
            match_id = self._strings[str(attr_id)]
            for pattern in entry["patterns"]:
                if len(pattern) == 1 and not any(isinstance(v, dict) for v in pattern[0].values()):
                    columns = tuple(sorted(_ATTRIBUTES.index(name) for name in pattern[0]))
                    values = tuple(self._hash(pattern[0][_ATTRIBUTES[c]]) for c in columns)
                    self._literal.setdefault(columns, {}).setdefault(values, []).append((attr_id, match_id))
                else:
                    specs = [[(_ATTRIBUTES.index(name), *self._test(value)) for name, value in spec.items()]
                             for spec in pattern]
                    self._general.append((attr_id, match_id, specs))

    def _hash(self, value) -> int:
        return int(value) if isinstance(value, bool) else self._strings[value]

    def _test(self, value) -> tuple[str, object]:
        """One Matcher value as (operator, operand over hashes)."""
        if not isinstance(value, dict):
            return "==", self._hash(value)
        (operator, operand), = value.items()
        if operator == "REGEX":
            return operator, re.compile(operand)
        return operator, np.array([self._hash(v) for v in operand], dtype=np.uint64)

    @staticmethod
    def _mask(column, operator: str, operand, strings):
        """Tokens whose ``column`` satisfies one Matcher value."""
        if operator == "==":
            return column == operand
        if operator == "REGEX":  # the string values present that match
            operand = np.array([h for h in np.unique(column).tolist() if operand.search(strings[h])],
                               dtype=np.uint64)
        inside = np.isin(column, operand)
        return ~inside if operator == "NOT_IN" else inside

    def __call__(self, doc):
        array = doc.to_array(list(_ATTRIBUTES)).reshape(len(doc), len(_ATTRIBUTES))
        length = len(doc)
        found = set()
        for columns, table in self._literal.items():
            keys = zip(*(array[:, c].tolist() for c in columns))
            for start, key in enumerate(keys):
                for attr_id, match_id in table.get(key, ()):
                    found.add((attr_id, match_id, start, start + 1))
        for attr_id, match_id, specs in self._general:
            width = len(specs)
            if width > length:
                continue
            hits = np.ones(length - width + 1, dtype=bool)
            for offset, spec in enumerate(specs):
                for column, operator, operand in spec:
                    hits &= self._mask(array[offset:length - width + 1 + offset, column], operator, operand,
                                       doc.vocab.strings)
            found.update((attr_id, match_id, start, start + width) for start in np.flatnonzero(hits).tolist())
        return sorted(found)


def _supported(ruler) -> bool:
    specs = [spec for entry in ruler.patterns for pattern in entry["patterns"] for spec in pattern]
    if not specs or any(set(spec) - set(_ATTRIBUTES) for spec in specs):
        return False  # operators ("OP") or other attributes: keep the Matcher
    values = [value for spec in specs for value in spec.values()]
    return all(not isinstance(v, dict) or set(v) in _OPERATORS for v in values)


INDEXED_RULER = "newsevents_attribute_ruler"


class IndexedAttributeRuler(AttributeRuler):
    """spaCy's AttributeRuler whose ``match`` looks matches up (IndexedAttributeMatches) when
    its patterns are supported. Patterns arrive after construction (from_disk), so the index
    is built at the first match after they change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._indexed: IndexedAttributeMatches | bool | None = None  # False: patterns not supported

    def add(self, patterns, attrs, index=0):
        super().add(patterns, attrs, index)
        self._indexed = None

    def clear(self):
        super().clear()
        self._indexed = None

    def match(self, doc):
        if self._indexed is None:
            self._indexed = IndexedAttributeMatches(self) if _supported(self) else False
        if self._indexed and doc.has_annotation("TAG") and doc.has_annotation("DEP"):
            return self._indexed(doc)
        return super().match(doc)  # allow_missing semantics are the Matcher's


@Language.factory(INDEXED_RULER, default_config={"validate": False,
                                                 "scorer": {"@scorers": "spacy.attribute_ruler_scorer.v1"}})
def make_indexed_attribute_ruler(nlp, name, validate, scorer):
    """spaCy's ``attribute_ruler`` factory (same config), building an IndexedAttributeRuler."""
    return IndexedAttributeRuler(nlp.vocab, name, validate=validate, scorer=scorer)


STEPPED_NER = "newsevents_ner"


class SteppedEntityRecognizer(EntityRecognizer):
    """spaCy's EntityRecognizer with greedy decoding driven from Python (see the module note).

    ``predict`` is ``Parser.greedy_parse`` without its GIL-free loop: the same states, the
    same scores (``ParserStepModel.predict`` sums the same precomputed features) and the
    same choice of the best valid move (``transition_states``).
    """

    def predict(self, docs):
        if isinstance(docs, Doc):
            docs = [docs]
        if not any(len(doc) for doc in docs):
            return self.moves.init_batch(docs)
        self._ensure_labels_are_added(docs)  # labels of preset entities, as greedy_parse does
        states = self.moves.init_batch(docs)
        step_model = self.model.predict(docs)
        unfinished = [state for state in states if not state.is_final()]
        while unfinished:
            unfinished = self.transition_states(unfinished, step_model.predict(unfinished))
        step_model.clear_memory()
        return states


@Language.factory(STEPPED_NER, assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
                  default_config={"moves": None, "update_with_oracle_cut_size": 100, "model": DEFAULT_NER_MODEL,
                                  "incorrect_spans_key": None, "scorer": {"@scorers": "spacy.ner_scorer.v1"}})
def make_stepped_ner(nlp, name, model, moves, update_with_oracle_cut_size, incorrect_spans_key, scorer):
    """spaCy's ``ner`` factory (same config), building a SteppedEntityRecognizer."""
    return SteppedEntityRecognizer(nlp.vocab, model, name=name, moves=moves,
                                   update_with_oracle_cut_size=update_with_oracle_cut_size,
                                   incorrect_spans_key=incorrect_spans_key, scorer=scorer)


class WordList(list):
    """A list of words whose ``in`` is a set lookup; saved and copied as the plain list."""

    def __init__(self, words=()):
        super().__init__(words)
        self._words = frozenset(self)

    def __contains__(self, word):
        return word in self._words


SET_INDEX_LEMMATIZER = "newsevents_lemmatizer"


class SetIndexLemmatizer(EnglishLemmatizer):
    """spaCy's English lemmatizer whose word index (``lemma_index``, the one table
    ``rule_lemmatize`` only asks ``form in index``) is held as WordLists. Tables arrive after
    construction (from_disk, initialize), so they are converted before a Doc is lemmatized."""

    def __call__(self, doc):
        index = self.lookups.get_table("lemma_index", {})
        for pos, words in index.items():
            if not isinstance(words, WordList):
                index[pos] = WordList(words)
        return super().__call__(doc)


@English.factory(SET_INDEX_LEMMATIZER, assigns=["token.lemma"],
                 default_config={"model": None, "mode": "rule", "overwrite": False,
                                 "scorer": {"@scorers": "spacy.lemmatizer_scorer.v1"}},
                 default_score_weights={"lemma_acc": 1.0})
def make_set_index_lemmatizer(nlp, model, name, mode, overwrite, scorer):
    """spaCy's English ``lemmatizer`` factory (same config), building a SetIndexLemmatizer."""
    return SetIndexLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer)


STAND_INS = {"ner": STEPPED_NER, "attribute_ruler": INDEXED_RULER}  # spaCy's factory -> ours
LANGUAGE_STAND_INS = {"en": {"lemmatizer": SET_INDEX_LEMMATIZER}}  # factories registered for one language


def load_overrides(config) -> dict:
    """spaCy.load config overrides that build the pipeline with the stand-ins: our factory
    for each component made by one of spaCy's plain factories in ``STAND_INS`` (or, for the
    pipeline's language, ``LANGUAGE_STAND_INS``)."""
    nlp = config.get("nlp", {})
    ours = {**STAND_INS, **LANGUAGE_STAND_INS.get(nlp.get("lang"), {})}
    components = config.get("components", {})
    factories = {name: components.get(name, {}).get("factory") for name in nlp.get("pipeline", [])}
    stand_ins = {name: {"factory": ours[factory]} for name, factory in factories.items() if factory in ours}
    return {"components": stand_ins} if stand_ins else {}
