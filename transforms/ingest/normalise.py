"""Checks and cleaning between a raw record and the NLP stage (pure Python, no Beam).

Decoding (UTF-8, else replacement characters and a flag), binary content, HTML markup,
size limits and language.  A record that cannot be an article raises ``ArticleError``
(-> a dead letter); one that is an article but not for the English model is kept as an
``articles`` row whose ``status`` says why it was skipped.  Every change to the text is
recorded in ``article["flags"]``.
"""
from __future__ import annotations

import re

import pycld2

from transforms.ingest.articles import ArticleError, split_dateline

DEFAULT_MAX_ARTICLE_BYTES = 1_000_000
LANGUAGE_SAMPLE_CHARS = 3000
# Skipping needs a confident detector: CLD2 must call its verdict reliable and find at
# least this share of the text in the language. A table of figures ("Shr 45 cts vs 58
# cts") is then never taken for a foreign language (CLD2 says English or unknown).
LANGUAGE_MIN_SHARE = 0.5
# CLD2's older codes for languages whose ISO 639-1 code changed
LEGACY_LANGUAGE_CODES = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}
# characters CLD2 refuses as invalid input: C0/C1 controls but tab and line breaks, and
# Unicode noncharacters; they say nothing about the language
NOT_FOR_DETECTOR_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]|[\U0001fffe-\U0010ffff]")
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


def detect_language(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, share of the text in it) from the start of the text; (None, 0.0) when
    CLD2 cannot tell reliably. CLD2 (pycld2) is compiled tables: nothing to load at start,
    ~70 microseconds per article."""
    sample = NOT_FOR_DETECTOR_RE.sub(" ", text[:LANGUAGE_SAMPLE_CHARS])
    try:
        reliable, _bytes_found, details = pycld2.detect(sample)
    except pycld2.error:  # input CLD2 still refuses: no verdict, as for any unsure text
        return None, 0.0
    _name, code, percent, _score = details[0]
    if not reliable or code == "un":
        return None, 0.0
    code = code.split("-")[0]  # "zh-Hant"
    return LEGACY_LANGUAGE_CODES.get(code, code), percent / 100


def skip_reason(article: dict) -> str | None:
    """Why an article must not go to the English model, or None.  Fills a missing language."""
    declared = (article.get("language") or "").strip().lower()
    if declared:
        return None if declared.split("-")[0].split("_")[0] == "en" else f"language: declared {declared!r}"
    language, share = detect_language(article["text"])
    if language not in (None, "en") and share >= LANGUAGE_MIN_SHARE:
        article["language"] = language
        return f"language: detected {language!r} ({share:.0%} of the text)"
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

