"""Property-based checks: whatever the bytes, readers and extractor fail only in the ways we expect."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.ingest.articles import ArticleError, make_article, nlp_text, parse_json_line, parse_story_text
from transforms.extraction import extract_events
from transforms.ingest.normalise import decode, normalise_article
from transforms.output.records import dead_letter_row

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


def _read(raw: bytes, story: bool) -> dict | None:
    """The reader path of the pipeline; None when the record is refused with ArticleError."""
    try:
        text, flags = decode(raw)
        article = (parse_story_text(text, "x.txt") if story else parse_json_line(text))
        return normalise_article(article, flags)
    except ArticleError:
        return None


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400), st.booleans())
def test_random_bytes_never_raise_anything_but_article_error(raw, story):
    article = _read(raw, story)
    if article is not None:
        assert article["text"].strip() and article["status"]
        assert 0 <= article["body_start"] <= len(article["text"])


@settings(max_examples=150, deadline=None)
@given(json_values)
def test_random_json_is_an_article_or_a_clear_error(value):
    article = _read(json.dumps(value).encode(), story=False)
    if article is not None:
        assert isinstance(value, dict) and isinstance(value.get("text"), str)


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_dead_letter_rows_always_encode(text):
    row = dead_letter_row("parse", text, text, processed_at=None)
    row["raw"].encode("utf-8")
    row["error"].encode("utf-8")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300))
def test_extractor_spans_always_point_into_the_text(nlp, text):
    article = make_article({"text": "x " + text})
    for event in extract_events(nlp(nlp_text(article)), article):
        for span in [event["trigger"], event["sentence"], *event["mentions"]]:
            assert article["text"][span["start"]:span["end"]] == span["text"]
        assert 0.0 <= event["confidence"] <= 1.0
