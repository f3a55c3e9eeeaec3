import pytest

from transforms.articles import ArticleError, make_article
from transforms.normalise import (
    decode,
    detect_language,
    normalise_article,
    strip_html,
    truncate_utf8,
)


def test_decode_replaces_invalid_utf8_and_flags_it():
    assert decode("caf\u00e9".encode()) == ("caf\u00e9", [])
    text, flags = decode(b"caf\xe9 au lait")
    assert text == "caf\ufffd au lait" and flags == ["invalid_utf8"]
    assert decode(b"\xef\xbb\xbfhello")[0] == "hello"


@pytest.mark.parametrize("raw", [b"ab\x00cd", bytes(range(14, 32)) * 10])
def test_binary_content_is_refused(raw):
    with pytest.raises(ArticleError, match="binary content"):
        decode(raw)


def test_html_is_stripped_but_reuters_tickers_are_not_markup():
    assert strip_html("Creditanstalt-Bankverein <CABV.VI> is likely to raise its dividend.") is None
    text = strip_html("<div><p>Leaders met.</p><script>track()</script><p>They signed &amp; left.</p></div>")
    assert text == "Leaders met.\nThey signed & left."


def test_truncation_respects_character_boundaries():
    assert truncate_utf8("short", 100) is None
    cut = truncate_utf8("\u00e9" * 10, 5)  # 2 bytes each
    assert cut == "\u00e9\u00e9" and len(cut.encode()) <= 5


def test_language_detection_is_confident_only_on_real_prose():
    assert detect_language("Der Bundeskanzler traf sich am Montag mit dem Praesidenten in Berlin.")[0] == "de"
    assert detect_language("The prime minister met the president in Paris on Monday.")[0] == "en"


def test_normalise_sets_status_flags_and_a_detected_language():
    article = normalise_article(make_article({"text": "<p>LIMA, May 2 - The ministers met on Monday.</p>"}), [])
    assert article["status"] == "ok" and article["flags"] == ["html_stripped"]
    assert article["dateline"] == "LIMA, May 2" and article["text"][article["body_start"]:].startswith("The ministers")
    assert article["language"] == "en"
    german = normalise_article(make_article({"text": "Die Minister trafen sich am Montag in Berlin und unterzeichneten ein Abkommen."}), [])
    assert german["status"].startswith("skipped: language: detected 'de'")
    declared = normalise_article(make_article({"text": "The ministers met.", "language": "en-GB"}), ["invalid_utf8"])
    assert declared["status"] == "ok" and declared["flags"] == ["invalid_utf8"]
