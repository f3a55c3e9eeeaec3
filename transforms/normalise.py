"""Checks and cleaning between a raw record and the NLP stage (pure Python, no Beam).

Decoding (UTF-8, else replacement characters and a flag), binary content, HTML markup,
size limits and language.  A record that cannot be an article raises ``ArticleError``
(-> a dead letter); one that is an article but not for the English model is kept as an
``articles`` row whose ``status`` says why it was skipped.  Every change to the text is
recorded in ``article["flags"]``.
"""
from __future__ import annotations

import re
from functools import lru_cache

from transforms.articles import ArticleError, split_dateline
from transforms.lexicon import load, word_set

DEFAULT_MAX_ARTICLE_BYTES = 1_000_000
LANGUAGE_SAMPLE_CHARS = 3000
# Skipping needs a confident detector: a table of figures ("Shr 45 cts vs 58 cts") must
# never be taken for a foreign language.
LANGUAGE_MIN_PROBABILITY = 0.9
# Languages a news stream is likely to carry; restricting the detector to them keeps
# creoles and constructed languages from claiming terse English.
NEWS_LANGUAGES = (
    "en de fr es it pt nl sv da no fi pl cs sk hu ro bg ru uk sr hr sl el tr ar fa he hi ur bn "
    "id ms vi th zh ja ko sw af ca eu gl et lv lt"
).split()
BINARY_CONTROL_SHARE = 0.1
# Tags of real HTML; Reuters' "<CABV.VI>" tickers and "<Banque de l'Union Europeenne>"
# names are not markup and must survive.
HTML_TAG_RE = re.compile(
    r"</?(?:html|head|body|p|div|span|a|br|hr|b|i|u|em|strong|script|style|table|tr|td|th|ul|ol|li|"
    r"h[1-6]|img|meta|link|section|article|header|footer|nav|aside|figure|figcaption|blockquote|iframe)"
    r"\b[^>]*>|&(?:amp|lt|gt|quot|nbsp|#\d+);",
    re.IGNORECASE,
)
SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(raw: bytes | str) -> tuple[str, list[str]]:
    """Text and flags: invalid UTF-8 is replaced (flag ``invalid_utf8``); binary data raises."""
    if isinstance(raw, str):
        return raw, []
    if b"\x00" in raw:
        raise ArticleError("binary content: the input holds NUL bytes")
    try:
        text, flags = raw.decode("utf-8"), []
    except UnicodeDecodeError:
        text, flags = raw.decode("utf-8", errors="replace"), ["invalid_utf8"]
    check_not_binary(text)
    return text.removeprefix("\ufeff"), flags  # a byte-order mark is not text


def check_not_binary(text: str) -> None:
    """Raise when too many characters are control codes or undecodable bytes to be prose."""
    bad = len(CONTROL_RE.findall(text)) + text.count("\ufffd")
    if text and bad / len(text) > BINARY_CONTROL_SHARE:
        raise ArticleError(f"binary content: {bad} of {len(text)} characters are control or undecodable bytes")


def without_surrogates(text: str) -> str:
    """JSON "\\ud800" escapes give lone surrogates that no UTF-8 writer accepts: replace them."""
    return SURROGATE_RE.sub("\ufffd", text)


def _replace_surrogates(article: dict) -> bool:
    changed = False
    for key, value in article.items():
        if isinstance(value, str) and SURROGATE_RE.search(value):
            article[key] = without_surrogates(value)
            changed = True
    return changed


def strip_html(text: str) -> str | None:
    """The visible text of markup (scripts and styles dropped), or None when there is none."""
    if not HTML_TAG_RE.search(text):
        return None
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for hidden in soup(["script", "style", "noscript", "template"]):
        hidden.decompose()
    lines = (line.strip() for line in soup.get_text("\n").splitlines())
    return "\n".join(line for line in lines if line)


def truncate_utf8(text: str, max_bytes: int) -> str | None:
    """``text`` cut to ``max_bytes`` of UTF-8 on a character boundary, or None if it fits."""
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return None
    return encoded[:max_bytes].decode("utf-8", errors="ignore")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(NEWS_LANGUAGES)
    return identifier


_LETTERS = re.compile(r"[^\W\d_]+")


def plainly_english(sample: str) -> bool:
    """Is ``sample`` English by its share of English-only function words (lexicons/languages.yaml)?

    Most articles are; for them the detector (and loading its model, ~0.7 s per worker)
    is not needed. A False is no verdict: the detector decides.
    """
    words = _LETTERS.findall(sample.lower())
    settings = load("languages")
    if len(words) < settings["english_min_words"]:
        return False
    function_words = word_set("languages", "english_function_words")
    return sum(word in function_words for word in words) >= settings["english_min_share"] * len(words)


def detect_language(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, probability) from the start of the text."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if plainly_english(sample):
        return "en", 1.0
    language, probability = _identifier().classify(sample)
    return language, float(probability)


def skip_reason(article: dict) -> str | None:
    """Why an article must not go to the English model, or None.  Fills a missing language."""
    declared = (article.get("language") or "").strip().lower()
    if declared:
        return None if declared.split("-")[0].split("_")[0] == "en" else f"language: declared {declared!r}"
    language, probability = detect_language(article["text"])
    if language != "en" and probability >= LANGUAGE_MIN_PROBABILITY:
        article["language"] = language
        return f"language: detected {language!r} (p={probability:.2f})"
    article["language"] = "en" if language == "en" else None
    return None


def normalise_article(article: dict, flags: list[str], max_bytes: int = DEFAULT_MAX_ARTICLE_BYTES) -> dict:
    """Clean ``article`` in place: markup, size; set ``flags`` and ``status``.

    The text an event's spans point into is the cleaned text, which is what the
    ``articles`` table stores.
    """
    flags = list(flags)
    if _replace_surrogates(article):
        flags.append("invalid_unicode")
    check_not_binary(article["text"])
    stripped = strip_html(article["text"])
    if stripped is not None:
        if not stripped.strip():
            raise ArticleError("no text left after removing HTML markup")
        article["text"] = stripped
        dateline, article["body_start"] = split_dateline(stripped)
        article["dateline"] = article.get("dateline") or dateline
        flags.append("html_stripped")
    truncated = truncate_utf8(article["text"], max_bytes)
    if truncated is not None:
        article["text"] = truncated
        flags.append(f"truncated_to_{max_bytes}_bytes")
    reason = skip_reason(article)
    article["status"] = "ok" if reason is None else f"skipped: {reason}"
    article["flags"] = flags
    return article

