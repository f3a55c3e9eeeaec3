"""Bounded work per article (issue 18): a huge article of event sentences is read up to the
candidate filter's bounds and flagged, and a failing stage's dead letter keeps where it failed."""
from __future__ import annotations

import json
import random
import signal
import time
from contextlib import contextmanager
from datetime import datetime, timezone

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline as BeamPipeline
from apache_beam.testing.util import assert_that, equal_to

from transforms import candidates
from transforms.steps import normalise
from transforms.resolution import inference as resolution
from transforms.steps import annotate, dead_letters
from transforms.analysis import CAPPED_FLAG, analyse_article, spacy_input
from transforms.ingest.articles import parse_json_line
from transforms.ingest.normalise import DEFAULT_MAX_ARTICLE_BYTES, normalise_article

ONE_MB = DEFAULT_MAX_ARTICLE_BYTES  # the largest article read (1,000,000 bytes, spaCy's own limit in characters)
SECONDS_PER_MB = 10  # the acceptance bound of issue 18: a 1 MB article extracted in under 10 s
NAMES = ["Macron", "Scholz", "Sunak", "Biden", "Modi", "Lula", "Kishida", "Albanese", "Trudeau", "Meloni"]
PLACES = ["Paris", "Berlin", "London", "Delhi", "Tokyo", "Rome", "Ankara", "Ottawa", "Madrid", "Canberra"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
SENTENCES = ["President {a} met Prime Minister {b} in {p} on {d}.", "Prime Minister {a} visited {p} on {d}.",
             "Chancellor {a} held talks with President {b} in {p} on {d}.",
             "The two leaders signed an agreement in {p} on {d}."]


def _varied(size: int, seed: int = 1) -> str:
    """``size`` characters of varied event sentences ("President Modi met Prime Minister Lula in Rome on Friday.")."""
    pick, parts, length = random.Random(seed).choice, [], 0
    while length < size:
        parts.append(pick(SENTENCES).format(a=pick(NAMES), b=pick(NAMES), p=pick(PLACES), d=pick(DAYS)))
        length += len(parts[-1]) + 1
    return " ".join(parts)


def _article(text: str, article_id: str = "big") -> dict:
    fields = {"id": article_id, "title": "Leaders meet", "text": text, "published_at": "2024-03-11T00:00:00Z"}
    return normalise_article(parse_json_line(json.dumps(fields)), [])


@contextmanager
def _deadline(seconds: float):
    """Fail (rather than hang for an hour, as the quadratic merging did) after ``seconds``."""
    def expire(_signum, _frame):
        raise TimeoutError(f"over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_1mb_article_of_event_sentences_is_extracted_in_bounded_time(nlp):
    analyse_article(nlp, _article("President Macron met Prime Minister Sunak in Paris on Monday."))  # warm caches
    one = " ".join(["President Macron met Prime Minister Sunak in Paris on Monday."] * (ONE_MB // 62))
    for text in (_varied(ONE_MB), one):
        article = _article(text)
        started = time.monotonic()
        with _deadline(SECONDS_PER_MB):
            events = analyse_article(nlp, article)
        assert events and time.monotonic() - started < SECONDS_PER_MB
        assert spacy_input(article).capped


def test_the_filter_stops_after_its_candidate_sentence_bound():
    text = _varied(20_000)
    selection = candidates.select(text, max_candidates=10)
    assert len(selection.text) == len(text) and selection.cut is not None  # offsets unchanged
    assert selection.candidates == 10 and not selection.text[selection.cut:].strip()
    assert text[:selection.cut].rstrip().endswith(selection.text[:selection.cut].rstrip()[-40:])
    assert candidates.select(text, max_candidates=10_000, max_chars=10**9).cut is None


def test_the_filter_stops_before_the_sentence_over_its_character_bound():
    lead = "President Macron met Prime Minister Sunak in Paris on Monday. "
    endless = " and ".join(["Macron met Sunak in Paris"] * 2_000) + "."  # one 'sentence' of 50 KB
    selection = candidates.select(lead + endless, max_chars=1_000)
    assert selection.cut == len(lead) and selection.text[:len(lead)] == lead and not selection.text[len(lead):].strip()


def test_normal_articles_are_read_whole():
    text = _varied(3_000)
    assert candidates.select(text).cut is None
    assert not spacy_input(_article(text)).capped
    assert spacy_input(_article(text), candidate_filter=False).text == _article(text)["text"]


def test_without_the_filter_the_same_end_is_left_out():
    article = _article(_varied(40_000))
    filtered, whole = spacy_input(article), spacy_input(article, candidate_filter=False)
    assert filtered.capped and whole.capped
    cut = candidates.select(article["text"]).cut
    assert whole.text == article["text"][:cut] and len(filtered.text) == cut


def test_a_capped_article_is_flagged_and_counted_in_the_pipeline():
    articles = [_article(_varied(40_000), "huge"), _article(_varied(2_000), "normal")]
    with BeamPipeline(runner="FnApiRunner") as pipeline:
        good, _dead = (pipeline | beam.Create(articles)
                       | annotate.AnnotateAndExtract(None, datetime.now(timezone.utc)))
        assert_that(good | beam.Map(lambda pair: (pair[0]["article_id"], CAPPED_FLAG in pair[0]["flags"], bool(pair[1]))),
                    equal_to([("huge", True, True), ("normal", False, True)]))
    result = pipeline.result
    [capped] = [c for c in result.metrics().query()["counters"] if c.key.metric.name == "articles_capped"]
    assert capped.committed == 1


def test_a_name_repeated_throughout_a_long_article_votes_a_bounded_number_of_times(monkeypatch):
    calls = []
    real = resolution.stated_country
    monkeypatch.setattr(resolution, "stated_country", lambda *args: calls.append(args) or real(*args))
    text = "French President Macron arrived. " + "Macron spoke. " * 20_000
    person = {"name": "Macron", "aliases": [], "role": "participant", "entity_type": "PERSON", "title": None,
              "country": None, "start": 40, "end": 46}
    (event,) = resolution._stated_countries([{"participants": [person]}], text, None, False, None)
    assert event["participants"][0]["country"] == "FRA"
    assert len(calls) <= resolution.NAME_VOTES + 1


def test_a_stage_failure_keeps_a_short_traceback():
    records = [{"kind": "json", "raw": b"{not json", "source_file": "in.jsonl", "line_number": 1}]
    with BeamPipeline(runner="FnApiRunner") as pipeline:
        _good, dead = pipeline | beam.Create(records) | normalise.NormaliseArticles(1000, datetime.now(timezone.utc))
        assert_that(dead | beam.Map(lambda row: (
            row["stage"], '"transforms/ingest/articles.py"' in row["traceback"], "parse_json_line" in row["traceback"],
            len(row["traceback"]) <= dead_letters.TRACEBACK_CHARS, row["traceback"].count("  File ") <= dead_letters.TRACEBACK_FRAMES)),
            equal_to([("parse", True, True, True, True)]))


def test_short_traceback_keeps_the_innermost_frames_within_its_bound():
    def inner():
        raise ValueError("boom")

    def outer(depth):
        return outer(depth - 1) if depth else inner()

    try:
        outer(50)
    except ValueError as exc:
        lines = dead_letters.failure(exc)[2]
    short = dead_letters.short_traceback(lines)
    assert len(short) <= dead_letters.TRACEBACK_CHARS and short.count("  File ") <= dead_letters.TRACEBACK_FRAMES
    assert "in inner" in short and 'File "tests/test_article_bounds.py"' in short
