"""The stand-ins of transforms/nlp_speedups.py annotate exactly as spaCy's own components."""
import json

import pytest
import spacy

from transforms.nlp import load_stock_model
from transforms.nlp_speedups import (INDEXED_RULER, SET_INDEX_LEMMATIZER, STEPPED_NER, IndexedAttributeMatches,
                                     IndexedAttributeRuler, SetIndexLemmatizer, SteppedEntityRecognizer, WordList,
                                     load_overrides)

# Invented sentences for the rarer patterns: contractions, "gonna", whitespace, quotes.
SENTENCES = [
    "The ministers ain't gonna sign the accord unless the president agrees, officials said.",
    "She didn't visit Paris; they'd met in   Geneva  before\n\nthe summit, wouldn't they?",
    "U.S. Treasury Secretary James Baker said he won't travel to Tokyo till March 3.",
    "\"We're not going,\" the envoy said.  The talks, which began Monday, ended early.",
    "Shr 45 cts vs 58 cts\nNet 1.2 mln vs 1.4 mln\nRevs 20.1 mln vs 18.3 mln",
]


def _annotations(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in doc]


@pytest.fixture(scope="module")
def stock():
    """The same model as spaCy ships it, with its own Matcher, and load_model's sentence rule."""
    pipeline = load_stock_model()
    pipeline.add_pipe("newsevents_line_sentences", before="parser")
    return pipeline


def test_the_loaded_pipeline_uses_the_stand_ins(nlp, stock):
    assert isinstance(nlp.get_pipe("attribute_ruler"), IndexedAttributeRuler)
    assert not isinstance(stock.get_pipe("attribute_ruler"), IndexedAttributeRuler)
    nlp("The minister arrived in Paris.")
    assert isinstance(nlp.get_pipe("attribute_ruler")._indexed, IndexedAttributeMatches)  # its patterns are supported
    assert isinstance(nlp.get_pipe("ner"), SteppedEntityRecognizer)
    assert not isinstance(stock.get_pipe("ner"), SteppedEntityRecognizer)
    assert nlp.get_pipe("ner").labels == stock.get_pipe("ner").labels


def test_stepped_ner_docs_are_byte_identical_to_spacys(nlp, stock, example_texts):
    texts = SENTENCES + example_texts + ["", " ", "Berlin"]
    ours = [doc.to_bytes() for doc in nlp.pipe(texts, batch_size=4)]
    assert ours == [doc.to_bytes() for doc in stock.pipe(texts, batch_size=4)]
    assert [nlp(text).to_bytes() for text in texts] == ours  # one Doc at a time too


def test_only_spacys_plain_factories_are_replaced():
    config = {"nlp": {"pipeline": ["tok2vec", "ner", "beam", "copied"]},
              "components": {"tok2vec": {"factory": "tok2vec"}, "ner": {"factory": "ner"},
                             "beam": {"factory": "beam_ner"}, "copied": {"source": "en_core_web_sm"}}}
    assert load_overrides(config) == {"components": {"ner": {"factory": STEPPED_NER}}}
    assert load_overrides({"nlp": {"pipeline": ["tok2vec"]}, "components": {"tok2vec": {"factory": "tok2vec"}}}) == {}
    ruled = {"nlp": {"pipeline": ["attribute_ruler"]}, "components": {"attribute_ruler": {"factory": "attribute_ruler"}}}
    assert load_overrides(ruled) == {"components": {"attribute_ruler": {"factory": INDEXED_RULER}}}
    lemmatized = {"nlp": {"lang": "en", "pipeline": ["lemmatizer"]}, "components": {"lemmatizer": {"factory": "lemmatizer"}}}
    assert load_overrides(lemmatized) == {"components": {"lemmatizer": {"factory": SET_INDEX_LEMMATIZER}}}
    lemmatized["nlp"]["lang"] = "fr"  # our lemmatizer is English's: other languages keep their own
    assert load_overrides(lemmatized) == {}


def test_the_lemmatizer_looks_words_up_in_sets_and_saves_its_tables_as_spacys(nlp, stock):
    ours = nlp.get_pipe("lemmatizer")
    assert isinstance(ours, SetIndexLemmatizer) and not isinstance(stock.get_pipe("lemmatizer"), SetIndexLemmatizer)
    nlp("The ministers were signing agreements.")
    index = ours.lookups.get_table("lemma_index")
    assert index and all(isinstance(words, WordList) for words in index.values())
    assert ours.lookups.to_bytes() == stock.get_pipe("lemmatizer").lookups.to_bytes()
    words = WordList(["sign", "meet"])
    assert "meet" in words and "visit" not in words and words == ["sign", "meet"]


def test_matches_and_annotations_equal_spacys_own(nlp, stock, example_texts):
    ours = nlp.get_pipe("attribute_ruler")
    theirs = stock.get_pipe("attribute_ruler")
    assert not isinstance(theirs, IndexedAttributeRuler)
    for text in SENTENCES + example_texts:
        with stock.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
            bare = stock(text)  # tagged and parsed, before the ruler
        assert ours.match(bare) == theirs.match(bare)
        assert _annotations(nlp(text)) == _annotations(stock(text))


def test_dev_articles_are_annotated_exactly_as_by_spacys_matcher(nlp, stock, shared_data):
    with open(shared_data / "dev" / "articles.jsonl", encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle if line.strip()]
    assert [_annotations(doc) for doc in nlp.pipe(texts)] == [_annotations(doc) for doc in stock.pipe(texts)]


def test_a_ruler_with_operators_keeps_spacys_matcher():
    blank = spacy.blank("en")
    ruler = blank.add_pipe(INDEXED_RULER)
    ruler.add([[{"LOWER": "new"}, {"LOWER": "york", "OP": "?"}]], {"TAG": "NNP"})
    doc = blank("They flew to New York.")
    assert [doc[start:end].text for _attr, _id, start, end in ruler.match(doc)] == ["New", "New York"]
    assert ruler._indexed is False
