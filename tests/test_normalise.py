import pytest

from transforms.ingest.articles import ArticleError, make_article
from transforms.ingest.normalise import (
    decode,
    detect_language,
    normalise_article,
    skip_reason,
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


# Original sentences, 20+ words each, in languages a news stream carries.
FOREIGN = {
    "de": "Die Regierung hat am Dienstag beschlossen, dass die neue Fabrik im Norden des Landes "
          "gebaut wird, und der Minister sagte, er habe mit den Vertretern der Firma lange verhandelt.",
    "fr": "Le ministre a rencontré mardi son homologue allemand pour discuter de la nouvelle usine, et "
          "les deux pays ont signé un accord sur la coopération industrielle dans la région.",
    "es": "El presidente viajó el lunes a la capital para reunirse con los representantes del gobierno, "
          "y ambos firmaron un acuerdo que abre una nueva fábrica en el sur del país.",
    "nl": "De minister heeft dinsdag met zijn collega gesproken over de nieuwe fabriek, en het is "
          "de bedoeling dat beide landen in de zomer een akkoord ondertekenen over de haven.",
    "it": "Il ministro ha incontrato martedì il suo omologo per discutere della nuova fabbrica, e i due "
          "paesi hanno firmato un accordo sulla cooperazione industriale nella regione.",
    "da": "Ministeren mødtes tirsdag med sin kollega for at tale om den nye fabrik, og de to lande "
          "underskrev en aftale om samarbejde for industrien i regionen til sommer.",
}


@pytest.mark.parametrize("language", sorted(FOREIGN))
def test_other_languages_are_detected_and_skipped(language):
    code, share = detect_language(FOREIGN[language])
    assert code == language and share >= 0.9
    article = make_article({"text": FOREIGN[language]})
    assert skip_reason(article).startswith(f"language: detected {language!r}") and article["language"] == language


def test_english_prose_is_english_and_a_table_of_figures_is_never_foreign():
    prose = ("The two ministers said on Monday that they had signed the agreement, which their "
             "governments would ratify by the end of the year, and that talks with the bank had been useful.")
    assert detect_language(prose)[0] == "en"
    for table in ("Shr 45 cts vs 58 cts Net 1.2 mln vs 1.4 mln Revs 20.1 mln vs 18.3 mln",
                  "Qtly div 10 cts vs 8-1/3 cts prior Pay April 21 Record March 20", "1,234.5 vs 1,198.2"):
        article = make_article({"text": table})
        assert skip_reason(article) is None and article["language"] in ("en", None)


def test_characters_the_detector_refuses_do_not_stop_it():
    text = "Die Regierung \x01 hat \x85 am Dienstag \ufffe beschlossen " + FOREIGN["de"]
    assert detect_language(text)[0] == "de"
    assert detect_language("\x00\x01\x02") == (None, 0.0)


def test_normalise_sets_status_flags_and_a_detected_language():
    article = normalise_article(make_article({"text": "<p>LIMA, May 2 - The ministers met on Monday.</p>"}), [])
    assert article["status"] == "ok" and article["flags"] == ["html_stripped"]
    assert article["dateline"] == "LIMA, May 2" and article["text"][article["body_start"]:].startswith("The ministers")
    assert article["language"] == "en"
    german = normalise_article(make_article({"text": "Die Minister trafen sich am Montag in Berlin und unterzeichneten ein Abkommen."}), [])
    assert german["status"].startswith("skipped: language: detected 'de'")
    declared = normalise_article(make_article({"text": "The ministers met.", "language": "en-GB"}), ["invalid_utf8"])
    assert declared["status"] == "ok" and declared["flags"] == ["invalid_utf8"]
