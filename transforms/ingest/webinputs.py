"""Web inputs: WARC archives, HTML pages and RSS/Atom feeds -> article fields (no Beam).

* ``warc_records(fileobj)`` streams a WARC (plain or per-record gzip) record by record with
  warcio's ArchiveIterator on the handle it is given: the archive is never read whole, and
  one HTML payload is read up to ``MAX_HTML_BYTES``.  HTTP responses holding HTML become
  pages; every other record (warcinfo, request, metadata, revisit, images, redirects, ...)
  is skipped and counted by reason.
* ``html_to_article_fields(html, url, source_file)`` extracts the main text with trafilatura
  (comments and boilerplate left out, precision favoured) and the page's metadata: title,
  publication time, canonical URL, site name, language.  A page without an extractable body
  raises ``ArticleError``, which the Beam layer turns into a dead letter.
* ``feed_entries(content)`` checks a feed with defusedxml first (no entity declarations, no
  external references: a billion-laughs bomb is refused at its DTD, before any expansion),
  then parses the same bytes with feedparser; one field dict per entry.
* ``url_key(url)`` is the normalised URL under which repeated pages are recognised.

Every article is still built by ``transforms.ingest.articles.make_article``.
"""
from __future__ import annotations

import io
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from transforms.ingest.articles import ArticleError, make_article

MAX_HTML_BYTES = 10_000_000   # one page (a WARC payload or an .html file)
MAX_FEED_BYTES = 50_000_000   # one feed file, parsed whole
MIN_BODY_CHARS = 80           # less main text than this is a menu or a stub, not an article
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_ROOTS = {"rss", "feed", "RDF"}  # RSS 0.9x/2.0, Atom, RSS 1.0 (rdf:RDF)
# Query parameters that say where a click came from, not which page it is.
TRACKING_PARAM_RE = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|ref|ref_src|cmpid|ocid|smid|share)$",
    re.IGNORECASE)
# <meta> names/properties carrying the publication time with a time of day, most specific first.
PUBLISHED_META = ("article:published_time", "og:published_time", "datepublished", "pubdate",
                  "publishdate", "dc.date.issued", "dcterms.created", "date")
SITE_META = ("og:site_name", "application-name")


class WarcPage(NamedTuple):
    """One HTTP response with HTML: where it starts in the archive, its URL and headers.

    ``html`` is None when the payload is larger than the limit (the caller reports it).
    """
    offset: int
    url: str | None
    http_headers: dict[str, str]
    html: bytes | None


class WarcError(ValueError):
    """A WARC archive that cannot be read further (truncated)."""


def _is_html(content_type: str | None) -> bool:
    return bool(content_type) and content_type.split(";")[0].strip().lower() in HTML_TYPES


def _archive_iterator():
    """warcio's ArchiveIterator that remembers whether the file ended inside a gzip member
    (it drops its decompressor, and with it that fact, when the iteration ends)."""
    from warcio.archiveiterator import ArchiveIterator

    class CheckedArchiveIterator(ArchiveIterator):
        cut_member = False

        def close(self):
            decompressor = self.reader.decompressor if self.reader else None
            self.cut_member = bool(decompressor is not None and not decompressor.eof)
            super().close()

    return CheckedArchiveIterator


def warc_records(fileobj, skipped: Counter | None = None,
                 max_bytes: int = MAX_HTML_BYTES) -> Iterator[WarcPage]:
    """Stream the HTML responses of a WARC file; other records are counted in ``skipped``.

    ``fileobj`` is the raw (possibly gzip-per-record) byte stream; warcio decompresses and
    decodes chunked/gzip HTTP bodies.  Only one record's payload is in memory at a time.
    A corrupt archive raises (warcio's ArchiveLoadFailed) after the pages before it, and so
    does one cut anywhere inside a record (WarcError; warcio itself would stop quietly).
    """
    skipped = skipped if skipped is not None else Counter()
    records = _archive_iterator()(fileobj)
    previous = None
    for record in records:
        _check_complete(previous)  # the iterator has read it to its end
        previous = (record, records.offset)
        if record.rec_type != "response":
            skipped[record.rec_type or "unknown"] += 1
            continue
        headers = record.http_headers
        if headers is None:  # a response record without HTTP (e.g. dns:)
            skipped["response without HTTP headers"] += 1
            continue
        status = headers.get_statuscode()
        if status != "200":
            skipped[f"HTTP status {status}"] += 1
            continue
        if not _is_html(headers.get_header("Content-Type")):
            skipped["not HTML"] += 1
            continue
        payload = record.content_stream().read(max_bytes + 1)
        offset = records.get_record_offset()  # after the read: warcio finds it by reading to the end
        _check_complete((record, offset))
        url = record.rec_headers.get_header("WARC-Target-URI")
        header_map = {name.lower(): value for name, value in headers.headers}
        yield WarcPage(offset, url, header_map, None if len(payload) > max_bytes else payload)
    _check_complete(previous)
    if records.cut_member or records.fh.tell() > records.offset:  # a cut gzip member or header
        raise WarcError(f"truncated WARC: the archive ends inside the record at offset {records.offset}")


def _check_complete(record_at) -> None:
    """Raise WarcError when the archive ended inside a record (already read to its end):
    warcio stops quietly at the end of the file, so a cut archive would look whole.  A cut
    header lacks the Content-Length every WARC record has (or its digits); a cut body
    leaves part of that length unread."""
    if record_at is None:
        return
    record, offset = record_at
    declared = record.rec_headers.get_header("Content-Length") if record.format == "warc" else record.length
    if not str(declared or "").strip().isdigit() or getattr(record.raw_stream, "limit", 0) > 0:
        raise WarcError(f"truncated WARC: the record at offset {offset} ends early")


def _text_of_meta(tree, names: tuple[str, ...]) -> str | None:
    wanted = {name.lower() for name in names}
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key in wanted and content and key not in found:
            found[key] = content
    for name in names:
        if name.lower() in found:
            return found[name.lower()]
    return None


def _published_from_json_ld(tree) -> str | None:
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if isinstance(item.get("datePublished"), str):
                    return item["datePublished"]
                stack.extend(v for v in item.values() if isinstance(v, (list, dict)))
    return None


def _iso_or_none(value: str | None) -> str | None:
    """A timestamp make_article accepts, or None (a page's odd date never kills its text)."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    for candidate in (text, text[:19], text[:10]):
        try:
            return datetime.fromisoformat(candidate).isoformat()
        except ValueError:
            continue
    return None


def _language(tree) -> str | None:
    """The page's declared language: <html lang>, else Content-Language or og:locale."""
    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    declared = (root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip()
    if not declared:
        for meta in tree.iter("meta"):
            if (meta.get("http-equiv") or "").lower() == "content-language" and meta.get("content"):
                declared = meta.get("content").split(",")[0].strip()
                break
    if not declared:
        declared = _text_of_meta(tree, ("og:locale",)) or ""
    declared = declared.replace("_", "-").lower()
    return declared if re.fullmatch(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*", declared) else None


def _drop_leading_title(text: str, title: str | None) -> str:
    """trafilatura repeats the <h1> as the first line; the headline is a field, not body."""
    if not title:
        return text
    first, _, rest = text.partition("\n")
    return rest.lstrip("\n") if first.strip() == title.strip() and rest.strip() else text


def html_to_article_fields(html: bytes | str, url: str | None = None, source_file: str | None = None,
                           where: str = "") -> dict:
    """Main text and metadata of one HTML page, as fields for ``make_article``.

    Raises ArticleError when no body can be extracted (``where`` names the record in the
    message, e.g. "WARC offset 1234").
    """
    import trafilatura
    from trafilatura.utils import load_html

    context = ", ".join(part for part in (where, f"url {url}" if url else "") if part)
    context = f" ({context})" if context else ""
    tree = load_html(html)
    if tree is None:
        raise ArticleError(f"not an HTML document{context}")
    language = _language(tree)
    published = _iso_or_none(_text_of_meta(tree, PUBLISHED_META) or _published_from_json_ld(tree))
    site = _text_of_meta(tree, SITE_META)
    document = trafilatura.bare_extraction(
        tree, url=url, include_comments=False, favor_precision=True, include_tables=False,
        with_metadata=True, deduplicate=False,
        date_extraction_params={"original_date": True, "extensive_search": False,
                                "outputformat": "%Y-%m-%dT%H:%M:%S"},
    )
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if len(text) < MIN_BODY_CHARS:
        found = f" (only {len(text)} characters)" if text else ""
        raise ArticleError(f"no main text could be extracted from the HTML page{found}{context}")
    title = (document.title or "").strip() or None
    return {
        "text": _drop_leading_title(text, title),
        "title": title,
        "published_at": published or _iso_or_none(document.date),
        "url": document.url or url,
        "source": site or document.sitename or document.hostname,
        "language": language,
    }


def html_article(html: bytes | str, url: str | None, source_file: str | None, where: str = "") -> dict:
    """An article dict from one HTML page (``make_article`` builds it)."""
    return make_article(html_to_article_fields(html, url, source_file, where), source_file)


class FeedError(ArticleError):
    """A feed file that is refused whole (unsafe or malformed XML, not a feed)."""


def check_feed_xml(content: bytes) -> str:
    """Refuse unsafe or malformed XML before any feed parser sees it; returns the root name.

    defusedxml stops at the first entity declaration (billion laughs, quadratic blow-up)
    and at any external entity or DTD reference; nothing is expanded or fetched.
    """
    import defusedxml
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(content, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise FeedError(f"unsafe XML refused ({type(exc).__name__}: {exc})") from None
    except ParseError as exc:
        raise FeedError(f"malformed feed XML: {exc}") from None
    name = root.tag.rsplit("}", 1)[-1] if isinstance(root.tag, str) else str(root.tag)
    if name not in FEED_ROOTS:
        raise FeedError(f"not an RSS or Atom feed (root element <{name}>)")
    return name


def _entry_time(entry) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        stamp = entry.get(key)
        if stamp:
            return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", stamp)
    return None


def _entry_text(entry) -> str | None:
    contents = [c.get("value") for c in entry.get("content") or [] if (c.get("value") or "").strip()]
    if contents:
        return max(contents, key=len)
    summary = entry.get("summary")
    return summary if summary and summary.strip() else None


def feed_entries(content: bytes) -> Iterator[dict]:
    """One field dict per entry of an RSS/Atom feed; raises FeedError for a refused file.

    ``text`` is the entry's fullest content (else its summary), possibly HTML that
    normalisation strips; it is None for an entry with neither (a dead letter later).
    """
    check_feed_xml(content)
    import feedparser

    parsed = feedparser.parse(io.BytesIO(content), resolve_relative_uris=False, sanitize_html=True)
    if parsed.get("bozo") and not parsed.entries:
        raise FeedError(f"malformed feed: {parsed.get('bozo_exception')}")
    feed = parsed.feed
    for index, entry in enumerate(parsed.entries):
        yield {
            "entry": index,
            "text": _entry_text(entry),
            "title": entry.get("title") or None,
            "url": entry.get("link") or None,
            "published_at": _entry_time(entry),
            "source": feed.get("title") or None,
            "language": feed.get("language") or None,
        }


def feed_entry_article(raw: str | bytes, source_file: str | None) -> dict:
    """An article dict from one ``feed_entries`` item (as JSON)."""
    fields = json.loads(raw)
    if not fields.get("text"):
        raise ArticleError(f"feed entry {fields.get('entry')} has no content or summary"
                           + (f" (link {fields['url']})" if fields.get("url") else ""))
    return make_article({k: v for k, v in fields.items() if k != "entry"}, source_file)


def url_key(url: str | None) -> str | None:
    """The URL under which two copies of a page are the same: host lower-cased without
    ``www.``, scheme, port, fragment, tracking parameters and a trailing slash ignored,
    other query parameters sorted."""
    if not url or not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port if parts.port not in (None, 80, 443) else None
    except ValueError:
        return None
    if not parts.netloc:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/")
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not TRACKING_PARAM_RE.match(k))
    netloc = host + (f":{port}" if port else "")
    return urlunsplit(("", netloc, path, urlencode(query), "")).removeprefix("//")
