"""Web inputs without Beam: WARC streaming, main-text extraction, feeds, unsafe XML, URL keys.

The fixtures are written here (and reused by tests/test_web_pipeline.py): HTML pages with
navigation, a cookie banner, a sidebar, reader comments and a footer around the story, a
German page, non-HTML WARC records, an RSS and an Atom feed, a malformed feed and a
billion-laughs bomb.  Nothing is downloaded.
"""
from __future__ import annotations

import io
import json
import time
from collections import Counter
from pathlib import Path

import pytest

from transforms.ingest import webinputs
from transforms.ingest.articles import ArticleError

PUBLISHED = "2024-03-05T10:00:00+00:00"
SITE = "The Harbour Gazette"

# The stories: (slug, title, paragraphs).  The pages' plain text is "\n".join(paragraphs).
STORIES = [
    ("macron-japan", "Macron to visit Japan", [
        "President Emmanuel Macron of France will pay a state visit to Japan next week, "
        "the Elysee Palace said on Tuesday.",
        "Macron will meet Prime Minister Fumio Kishida in Tokyo on Thursday to discuss trade, "
        "energy and security in the region, officials in Paris said.",
        "The two leaders last spoke by telephone in January, according to the statement released "
        "by the presidency late on Monday evening.",
    ]),
    ("chile-norway", "Chile and Norway sign fisheries pact", [
        "The foreign ministers of Chile and Norway met in Oslo on Monday and signed an agreement "
        "on fisheries research, officials said.",
        "The agreement covers joint surveys of fish stocks in the South Pacific and the training "
        "of scientists at universities in both countries over the next five years.",
        "Officials described the talks as constructive and said further cooperation on ocean "
        "monitoring would be discussed later in the year.",
    ]),
    ("siemens-plant", "Siemens opens turbine factory", [
        "Siemens Gamesa opened a new wind turbine factory in Cuxhaven, Germany, on Wednesday, "
        "the company said.",
        "The plant will employ about 600 people and produce blades for offshore wind farms in "
        "the North Sea and the Baltic, the company said in a statement on its website.",
        "Production is expected to reach full capacity by the end of next year, according to "
        "the managing director of the site, who spoke to reporters at the ceremony.",
    ]),
]
GERMAN = ("kanzler-besuch", "Kanzler besucht Paris", [
    "Bundeskanzler Olaf Scholz ist am Montag zu einem Besuch nach Paris gereist und hat dort "
    "Präsident Emmanuel Macron getroffen, teilte ein Regierungssprecher mit.",
    "Die beiden Politiker sprachen über die Lage in Europa, die Energiepolitik und die "
    "Zusammenarbeit in der Verteidigung, hieß es in einer Erklärung der Bundesregierung.",
    "Weitere Gespräche sollen im Sommer in Berlin stattfinden, sagte der Sprecher am Abend.",
])

# Boilerplate around every story; none of it may reach an article's text or an event.
BOILERPLATE = {
    "nav": "Home World Business Sport Opinion Newsletter Sign in",
    "cookie": "We use cookies to personalise content and ads. Accept all cookies or manage your preferences",
    "sidebar": "Most read: King Charles visits Kenya for talks with President William Ruto",
    "comment": "Reader comment: the mayor of Paris met the mayor of Rome yesterday and signed a twinning deal",
    "footer": "Copyright 2024 The Harbour Gazette. Subscribe to our newsletter for daily updates",
}


def url_of(slug: str) -> str:
    return f"https://www.harbourgazette.example/world/2024/03/05/{slug}"


def page_html(slug: str, title: str, paragraphs: list[str], lang: str = "en") -> bytes:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title} | {SITE}</title>
<link rel="canonical" href="{url_of(slug)}">
<meta property="og:site_name" content="{SITE}">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<script>window.dataLayer = [{{"page": "{slug}"}}];</script>
<style>body {{ font-family: serif; }}</style>
</head>
<body>
<div id="cookie-banner" class="cookie-consent"><p>{BOILERPLATE["cookie"]}</p><button>Accept</button></div>
<header><nav class="main-nav"><ul>{"".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in BOILERPLATE["nav"].split())}</ul></nav></header>
<main>
<article>
<h1>{title}</h1>
<div class="byline">By Staff Reporter</div>
<div class="article-body">
{body}
</div>
</article>
<aside class="sidebar most-read"><h2>Most read</h2><ul><li><a href="/king">{BOILERPLATE["sidebar"]}</a></li></ul></aside>
<section id="comments" class="comments"><h2>Comments</h2>
<div class="comment"><p>{BOILERPLATE["comment"]}</p></div></section>
</main>
<footer class="site-footer"><p>{BOILERPLATE["footer"]}</p></footer>
</body>
</html>""".encode("utf-8")


def plain_text(paragraphs: list[str]) -> str:
    return "\n".join(paragraphs)


def _http_response(url: str, content_type: str, payload: bytes, status: str = "200 OK"):
    from warcio.statusandheaders import StatusAndHeaders

    return StatusAndHeaders(status, [("Content-Type", content_type), ("Content-Length", str(len(payload)))],
                            protocol="HTTP/1.1")


def write_warc(path: Path, pages: list[tuple[str, bytes]], extras: bool = True, gz: bool = True) -> None:
    """A WARC of HTML responses (url, html); with ``extras`` also a warcinfo, request records,
    an image response, a 404 and a redirect, which must be skipped."""
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gz)
        if extras:
            writer.write_record(writer.create_warcinfo_record(path.name, {"software": "newsevents tests"}))
        for url, html in pages:
            if extras:
                writer.write_record(writer.create_warc_record(
                    url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\nHost: example\r\n\r\n")))
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(html),
                http_headers=_http_response(url, "text/html; charset=utf-8", html)))
        if extras:
            png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
            writer.write_record(writer.create_warc_record(
                "https://www.harbourgazette.example/logo.png", "response", payload=io.BytesIO(png),
                http_headers=_http_response("", "image/png", png)))
            missing = b"<html><body><p>Not found</p></body></html>"
            writer.write_record(writer.create_warc_record(
                "https://www.harbourgazette.example/gone", "response", payload=io.BytesIO(missing),
                http_headers=_http_response("", "text/html", missing, "404 Not Found")))


def fixture_pages() -> list[tuple[str, bytes]]:
    pages = [(url_of(slug), page_html(slug, title, paragraphs)) for slug, title, paragraphs in STORIES]
    slug, title, paragraphs = GERMAN
    pages.append((url_of(slug), page_html(slug, title, paragraphs, lang="de")))
    return pages


RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>Harbour Gazette World</title><link>https://www.harbourgazette.example/</link>
<language>en</language><description>World news</description>
<item>
<title>Egypt and Sudan sign water deal</title>
<link>https://www.harbourgazette.example/rss/egypt-sudan</link>
<pubDate>Wed, 06 Mar 2024 08:30:00 GMT</pubDate>
<guid>rss-1</guid>
<description>Short teaser.</description>
<content:encoded><![CDATA[<p>Egypt and Sudan signed an agreement on water sharing in Cairo on Wednesday, the foreign ministry said.</p><p>The accord covers the Nile.</p>]]></content:encoded>
</item>
<item>
<title>Empty item</title>
<link>https://www.harbourgazette.example/rss/empty</link>
</item>
</channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Harbour Gazette Business</title>
<id>urn:harbour:business</id><updated>2024-03-07T09:00:00Z</updated>
<entry>
<title>Toyota opens plant in Kentucky</title>
<link href="https://www.harbourgazette.example/atom/toyota-kentucky"/>
<id>urn:harbour:toyota</id>
<published>2024-03-07T09:00:00Z</published><updated>2024-03-07T09:00:00Z</updated>
<summary>Toyota opened a new battery plant in Georgetown, Kentucky, on Thursday, the company said.</summary>
</entry>
</feed>
"""

MALFORMED_FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Broken<item><title>x</title></channel>"""

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>x</title><item><title>&xxe;</title><description>&xxe;</description></item></channel></rss>
"""


# --- WARC -----------------------------------------------------------------------------------

@pytest.mark.parametrize("gz", [True, False])
def test_warc_yields_html_responses_and_counts_the_rest(tmp_path, gz):
    path = tmp_path / ("pages.warc.gz" if gz else "pages.warc")
    write_warc(path, fixture_pages(), gz=gz)
    skipped = Counter()
    with open(path, "rb") as handle:
        pages = list(webinputs.warc_records(handle, skipped))
    assert [p.url for p in pages] == [url for url, _ in fixture_pages()]
    assert [p.html for p in pages] == [html for _, html in fixture_pages()]
    assert all(p.http_headers["content-type"].startswith("text/html") for p in pages)
    offsets = [p.offset for p in pages]
    assert offsets == sorted(set(offsets)) and offsets[0] > 0  # after the warcinfo and a request
    assert skipped == Counter({"request": 4, "warcinfo": 1, "not HTML": 1, "HTTP status 404": 1})


def test_warc_oversized_payload_is_reported_not_read(tmp_path):
    path = tmp_path / "big.warc.gz"
    write_warc(path, [("https://x.example/big", b"<html><body>" + b"<p>word</p>" * 2000 + b"</body></html>")],
               extras=False)
    with open(path, "rb") as handle:
        [page] = list(webinputs.warc_records(handle, max_bytes=1000))
    assert page.html is None and page.url == "https://x.example/big"


def test_a_truncated_warc_raises_after_the_pages_before_it(tmp_path):
    path = tmp_path / "cut.warc.gz"
    write_warc(path, fixture_pages(), extras=False)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 300])
    seen = []
    with open(path, "rb") as handle, pytest.raises(webinputs.WarcError, match="truncated WARC"):
        for page in webinputs.warc_records(handle):
            seen.append(page.url)
    assert len(seen) == len(fixture_pages()) - 1  # the last record is cut


# --- HTML ------------------------------------------------------------------------------------

@pytest.mark.parametrize("slug, title, paragraphs", STORIES)
def test_main_text_is_the_story_without_boilerplate(slug, title, paragraphs):
    fields = webinputs.html_to_article_fields(page_html(slug, title, paragraphs), url_of(slug) + "?utm_source=rss")
    assert fields["text"] == plain_text(paragraphs)
    assert fields["title"] == title
    assert fields["url"] == url_of(slug)  # the canonical URL
    assert fields["source"] == SITE
    assert fields["language"] == "en"
    assert fields["published_at"] == PUBLISHED
    for phrase in BOILERPLATE.values():
        assert phrase[:30] not in fields["text"]


def test_html_article_is_built_by_make_article():
    slug, title, paragraphs = STORIES[0]
    article = webinputs.html_article(page_html(slug, title, paragraphs), None, "x.html")
    assert article["article_id"].startswith("sha1-") and article["source_file"] == "x.html"
    assert article["published_at"] == PUBLISHED and article["body_start"] == 0


def test_declared_language_of_a_german_page():
    slug, title, paragraphs = GERMAN
    fields = webinputs.html_to_article_fields(page_html(slug, title, paragraphs, lang="de-DE"))
    assert fields["language"] == "de-de" and fields["text"].startswith("Bundeskanzler")


@pytest.mark.parametrize("html", [
    b"<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>",
    b"",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
])
def test_a_page_without_a_body_is_an_error_with_the_reason(html):
    with pytest.raises(ArticleError, match="no main text|not an HTML"):
        webinputs.html_to_article_fields(html, "https://x.example/menu", where="WARC offset 12")


def test_the_error_names_the_record():
    with pytest.raises(ArticleError, match=r"WARC offset 12, url https://x.example/menu"):
        webinputs.html_to_article_fields(b"<html><body><nav>x</nav></body></html>", "https://x.example/menu",
                                         where="WARC offset 12")


# --- feeds -----------------------------------------------------------------------------------

def test_rss_entries():
    entries = list(webinputs.feed_entries(RSS))
    assert [e["entry"] for e in entries] == [0, 1]
    first = entries[0]
    assert "signed an agreement on water sharing" in first["text"]  # content:encoded, not the teaser
    assert first["title"] == "Egypt and Sudan sign water deal"
    assert first["url"] == "https://www.harbourgazette.example/rss/egypt-sudan"
    assert first["published_at"] == "2024-03-06T08:30:00+00:00"
    assert first["source"] == "Harbour Gazette World" and first["language"] == "en"
    article = webinputs.feed_entry_article(json.dumps(first), "f.rss")
    assert article["published_at"] == "2024-03-06T08:30:00+00:00"
    with pytest.raises(ArticleError, match="no content or summary"):
        webinputs.feed_entry_article(json.dumps(entries[1]), "f.rss")


def test_atom_entries():
    [entry] = list(webinputs.feed_entries(ATOM))
    assert entry["text"].startswith("Toyota opened a new battery plant")
    assert entry["url"] == "https://www.harbourgazette.example/atom/toyota-kentucky"
    assert entry["published_at"] == "2024-03-07T09:00:00+00:00"


@pytest.mark.parametrize("content, reason", [
    (MALFORMED_FEED, "malformed feed XML"),
    (b"", "malformed feed XML"),
    (b"<html><body>not a feed</body></html>", "not an RSS or Atom feed"),
    (EXTERNAL_ENTITY, "unsafe XML refused"),
])
def test_refused_feeds(content, reason):
    with pytest.raises(webinputs.FeedError, match=reason):
        list(webinputs.feed_entries(content))


def test_the_xml_bomb_is_refused_in_well_under_a_second():
    started = time.perf_counter()
    with pytest.raises(webinputs.FeedError, match="unsafe XML refused.*Entities"):
        list(webinputs.feed_entries(BOMB))
    assert time.perf_counter() - started < 1.0


# --- URL keys --------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("https://www.Example.com/a/b/", "http://example.com/a/b"),
    ("https://example.com/a?utm_source=x&id=3&fbclid=y", "https://example.com:443/a?id=3#top"),
    ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
])
def test_same_page_same_key(a, b):
    assert webinputs.url_key(a) == webinputs.url_key(b) is not None


@pytest.mark.parametrize("a, b", [
    ("https://example.com/a?id=3", "https://example.com/a?id=4"),
    ("https://example.com/a", "https://example.org/a"),
])
def test_different_pages_different_keys(a, b):
    assert webinputs.url_key(a) != webinputs.url_key(b)


@pytest.mark.parametrize("url", [None, "", "not a url", "http://x.example:99999/a"])
def test_no_key_without_a_usable_url(url):
    assert webinputs.url_key(url) is None
