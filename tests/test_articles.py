import pytest

from transforms.ingest.articles import (
    ArticleError,
    article_id_for,
    hard_wrapped,
    make_article,
    nlp_text,
    normalise_timestamp,
    parse_json_line,
    parse_story_text,
    split_dateline,
    unwrap,
)

STORY = """Tuesday 4 March 2025 - 08:05

Ministers Meet in Oslo

Story Code : 12345
Ministers Meet in Oslo
The foreign ministers of Norway and Chile met in Oslo on Monday.

They signed a cooperation agreement.
"""


def test_json_line_fields_and_defaults():
    article = parse_json_line('{"article_id": "a1", "text": "Hello.", "title": "T", "published_at": "2024-01-02T03:04:05Z"}')
    assert article["article_id"] == "a1"
    assert article["title"] == "T"
    assert article["published_at"] == "2024-01-02T03:04:05+00:00"
    assert article["url"] is None and article["dateline"] is None and article["body_start"] == 0


def test_id_preferred_over_article_id_and_hash_when_missing():
    assert parse_json_line('{"id": 7, "article_id": "x", "text": "a"}')["article_id"] == "7"
    by_url = parse_json_line('{"url": "https://e.org/1", "text": "a"}')["article_id"]
    assert by_url == article_id_for("https://e.org/1", "other text")
    by_text = parse_json_line('{"text": "same words"}')["article_id"]
    assert by_text == parse_json_line('{"text": "same words", "title": "x"}')["article_id"]
    assert by_text != by_url


@pytest.mark.parametrize("line, message", [
    ("{not json", "invalid JSON"),
    ("[1, 2]", "must hold an object"),
    ('{"title": "no text"}', "missing required field 'text'"),
    ('{"text": "   "}', "'text' is empty"),
    ('{"text": "a", "published_at": "yesterday-ish"}', "not ISO 8601"),
])
def test_bad_lines_raise_clear_errors(line, message):
    with pytest.raises(ArticleError, match=message):
        parse_json_line(line)


def test_reuters_timestamp_is_accepted():
    assert normalise_timestamp("11-MAR-1987 03:10:16.08") == "1987-03-11T03:10:16"
    assert normalise_timestamp(" 3-MAR-1987  09:15:05.40") == "1987-03-03T09:15:05"


@pytest.mark.parametrize("text, dateline", [
    ("TOKYO, April 27 - Japan said", "TOKYO, April 27"),
    ("SAN JOSE, Calif., June 1 - The firm", "SAN JOSE, Calif., June 1"),
    ("Toronto, March 17 - <John> is", "Toronto, March 17"),
    ("KNOKKE-HEIST, Belgium, April 5 - Western", "KNOKKE-HEIST, Belgium, April 5"),
    ("GY\u0150R, May 8 (Meridian Wire) - Korvana", "GY\u0150R, May 8"),
    ("TOKYO, March 12 (Reuters) - Finnish", "TOKYO, March 12"),
    ("The minister said on March 5 - in a speech", None),
    ("WASHINGTON (Reuters) - The Senate", "WASHINGTON"),
    ("PAHOA, Hawaii (Reuters) - Lava flows", "PAHOA, Hawaii"),
    ("KYIV (AP) \u2014 President Olena Marchenko", "KYIV"),
    ("Sen. Jane Doe (R-Ariz.) - said on Monday", None),
])
def test_wire_dateline(text, dateline):
    found, start = split_dateline(text)
    assert found == dateline
    if dateline:
        assert text[start:][0].isalpha() or text[start:][0] == "<"
        article = make_article({"text": text})
        assert nlp_text(article) == text[start:]


def test_story_header_becomes_fields_and_body_is_text():
    article = parse_story_text(STORY, "stories/oslo_2025-03-04.txt")
    assert article["title"] == "Ministers Meet in Oslo"
    assert article["published_at"] == "2025-03-04T08:05:00"
    assert article["story_code"] == "12345"
    assert article["article_id"] == "oslo_2025-03-04"
    assert article["text"].startswith("The foreign ministers of Norway")
    assert "Story Code" not in article["text"] and "Ministers Meet" not in article["text"]


def test_story_without_header_is_all_body():
    article = parse_story_text("Two leaders met today.\n", "plain.txt")
    assert article["text"] == "Two leaders met today."
    assert article["title"] is None and article["published_at"] is None


WIRE = ("Foreign ministers of the two countries met in Geneva on\n"
        "Tuesday and signed an agreement on fishing rights, officials\n"
        "said after the talks ended late in the evening.\n"
        "    The accord takes effect in June, a spokesman for the\n"
        "ministry of foreign affairs said in a statement.\n")


def test_wire_copy_is_unwrapped_inside_paragraphs_only():
    assert hard_wrapped(WIRE)
    text = unwrap(WIRE)
    assert len(text) == len(WIRE)  # every offset still points into the article
    assert "met in Geneva on Tuesday and signed" in text and "evening.\n    The accord" in text
    captions = "Leaders meet\nTalks end\nA new plant opens\n"
    assert not hard_wrapped(captions) and unwrap(captions) == captions  # a line may be a unit


def test_spans_keep_the_article_text_where_spacy_read_spaces(nlp):
    from transforms.analysis import analyse_article

    article = make_article({"text": WIRE})
    (signed,) = [e for e in analyse_article(nlp, article) if e["event_type"] == "agreement_signed"]
    sentence = signed["sentence"]
    assert "\n" in sentence["text"] and article["text"][sentence["start"]:sentence["end"]] == sentence["text"]
