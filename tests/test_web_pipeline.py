"""`newsevents extract` on WARC archives, HTML files and feeds (FnApiRunner, written fixtures).

* The test WARC gives the same events as the pages' plain text fed as JSONL.
* Boilerplate (navigation, cookie banner, sidebar, comments, footer) never reaches an
  article's text or an event's evidence.
* Non-HTML records are skipped and counted; the German page is kept but skipped; a page
  repeated in a second WARC is processed once; a malformed feed and an XML bomb are dead
  letters, the bomb refused in under a second.
"""
from __future__ import annotations

import json
import time

import pyarrow.parquet as pq
import pytest

from pipelines.extract import exit_code, run
from tests.test_webinputs import (ATOM, BOILERPLATE, BOMB, GERMAN, MALFORMED_FEED, PUBLISHED, RSS, STORIES,
                                  fixture_pages, page_html, plain_text, url_of, write_warc)

pytestmark = pytest.mark.slow


def _tables(out):
    return {table: pq.read_table(out / "parquet" / table).to_pylist()
            for table in ("events", "articles", "dead_letters")}


@pytest.fixture(scope="module")
def warc_run(tmp_path_factory):
    """Only pages.warc.gz, as in the acceptance command."""
    folder = tmp_path_factory.mktemp("warc")
    write_warc(folder / "pages.warc.gz", fixture_pages())
    out = tmp_path_factory.mktemp("warc_out")
    summary = run(["--input", str(folder / "pages.warc.gz"), "--output", str(out)])
    return summary, _tables(out)


@pytest.fixture(scope="module")
def jsonl_run(tmp_path_factory):
    """The same stories' plain text with the same metadata, as JSONL."""
    folder = tmp_path_factory.mktemp("jsonl")
    lines = [json.dumps({"text": plain_text(paragraphs), "title": title, "url": url_of(slug),
                         "published_at": PUBLISHED, "source": "The Harbour Gazette", "language": "en"})
             for slug, title, paragraphs in STORIES]
    (folder / "pages.jsonl").write_text("\n".join(lines) + "\n")
    out = tmp_path_factory.mktemp("jsonl_out")
    summary = run(["--input", str(folder / "pages.jsonl"), "--output", str(out)])
    return summary, _tables(out)


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory):
    """The WARC, a second WARC repeating one page under a tracking URL, an .html file, feeds,
    a malformed feed, an XML bomb, and an .html-looking file forced to be read as a feed."""
    folder = tmp_path_factory.mktemp("mixed")
    pages = fixture_pages()
    write_warc(folder / "pages.warc.gz", pages)
    slug, title, paragraphs = STORIES[1]
    write_warc(folder / "zz_repeat.warc", [(url_of(slug) + "?utm_source=twitter", page_html(slug, title, paragraphs))],
               extras=False, gz=False)
    (folder / "single.html").write_bytes(page_html("single-page", *STORIES[2][1:]))
    (folder / "menu.htm").write_bytes(b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
    (folder / "world.rss").write_bytes(RSS)
    (folder / "business.atom").write_bytes(ATOM)
    (folder / "broken.xml").write_bytes(MALFORMED_FEED)
    (folder / "bomb.xml").write_bytes(BOMB)
    out = tmp_path_factory.mktemp("mixed_out")
    started = time.perf_counter()
    summary = run(["--input", str(folder / "*"), "--output", str(out)])
    return summary, _tables(out), time.perf_counter() - started


def _event_view(event):
    return (event["article"]["url"], event["event_type"], event["status"], event["trigger"]["text"],
            event["sentence"]["text"], event["sentence"]["start"],
            tuple(sorted((p["name"], p["role"]) for p in event["participants"])),
            (event["location"] or {}).get("name"), event["event_date"])


def test_the_warc_gives_the_same_events_as_the_plain_text_as_jsonl(warc_run, jsonl_run):
    _summary, warc = warc_run
    _summary, jsonl = jsonl_run
    assert warc["events"], "the fixture stories report events"
    assert sorted(map(_event_view, warc["events"])) == sorted(map(_event_view, jsonl["events"]))
    by_url = {a["url"]: a for a in jsonl["articles"]}
    for article in warc["articles"]:
        if article["status"] == "ok":
            twin = by_url[article["url"]]
            assert (article["text"], article["title"], article["published_at"], article["article_id"]) == \
                (twin["text"], twin["title"], twin["published_at"], twin["article_id"])


def test_boilerplate_never_reaches_articles_or_evidence(warc_run, mixed_run):
    for tables in (warc_run[1], mixed_run[1]):
        texts = [a["text"] for a in tables["articles"]] + [a["title"] or "" for a in tables["articles"]]
        for event in tables["events"]:
            texts += [event["sentence"]["text"], event["trigger"]["text"]]
            texts += [m["text"] for m in event["mentions"]]
            texts += [p["name"] for p in event["participants"]]
        for phrase in BOILERPLATE.values():
            for fragment in (phrase[:25], phrase[-25:]):
                assert not [t for t in texts if fragment in t], fragment
        names = {p["name"] for e in tables["events"] for p in e["participants"]}
        assert not names & {"King Charles", "William Ruto", "Kenya"}


def test_warc_counts(warc_run):
    summary, tables = warc_run
    # 4 HTML responses; warcinfo, 4 requests, an image and a 404 are skipped, not inputs
    assert summary["inputs"] == 4 == len(tables["articles"]) and summary["dead_letters"] == 0
    assert summary["warc_records_skipped"] == 7
    german = [a for a in tables["articles"] if a["url"] == url_of(GERMAN[0])]
    assert german[0]["status"].startswith("skipped: language") and german[0]["n_events"] == 0
    assert {a["source"] for a in tables["articles"]} == {"The Harbour Gazette"}
    assert exit_code({**summary, "strict": True}) == 0


def test_mixed_inputs_reconcile_with_one_copy_of_a_repeated_page(mixed_run):
    summary, tables, _elapsed = mixed_run
    articles, dead = tables["articles"], tables["dead_letters"]
    assert summary["duplicates_dropped"] == 1
    assert summary["inputs"] == len(articles) + len(dead) == summary["articles"] + summary["dead_letters"]
    assert exit_code({**summary, "strict": False}) == 0
    repeated = [a for a in articles if a["url"] == url_of(STORIES[1][0])]
    assert len(repeated) == 1 and repeated[0]["source_file"].endswith("pages.warc.gz")
    assert len({a["article_id"] for a in articles}) == len(articles)
    by_file = {}
    for article in articles:
        by_file.setdefault(article["source_file"].rsplit("/", 1)[-1], []).append(article)
    assert len(by_file["pages.warc.gz"]) == 4 and "zz_repeat.warc" not in by_file
    assert [a["url"] for a in by_file["single.html"]] == [url_of("single-page")]
    assert by_file["world.rss"][0]["title"] == "Egypt and Sudan sign water deal"
    assert "html_stripped" in by_file["world.rss"][0]["flags"]
    assert by_file["business.atom"][0]["published_at"].isoformat().startswith("2024-03-07T09:00")
    events_by_url = {e["article"]["url"]: e["event_type"] for e in tables["events"]}
    assert events_by_url.get("https://www.harbourgazette.example/rss/egypt-sudan") == "agreement_signed"


def test_bad_web_inputs_are_dead_letters_with_reasons(mixed_run):
    _summary, tables, _elapsed = mixed_run
    reasons = {d["source_file"].rsplit("/", 1)[-1]: d for d in tables["dead_letters"]}
    assert set(reasons) == {"menu.htm", "broken.xml", "bomb.xml", "world.rss"}
    assert reasons["menu.htm"]["stage"] == "parse" and "no main text" in reasons["menu.htm"]["error"]
    assert reasons["broken.xml"]["stage"] == "read" and "malformed feed XML" in reasons["broken.xml"]["error"]
    assert reasons["bomb.xml"]["stage"] == "read" and "EntitiesForbidden" in reasons["bomb.xml"]["error"]
    assert "no content or summary" in reasons["world.rss"]["error"]  # the empty item


def test_the_bomb_alone_is_refused_quickly(tmp_path):
    (tmp_path / "bomb.xml").write_bytes(BOMB)
    from apache_beam.io.filesystems import FileSystems

    from transforms.steps.files import ReadFileRecords

    class _Readable:  # what fileio.ReadMatches hands the DoFn
        metadata = FileSystems.match([str(tmp_path / "bomb.xml")])[0].metadata_list[0]

        def open(self, compression_type=None):
            return open(self.metadata.path, "rb")

    from datetime import datetime, timezone

    started = time.perf_counter()
    [output] = list(ReadFileRecords(datetime.now(timezone.utc)).process(_Readable()))
    elapsed = time.perf_counter() - started
    assert output.tag == "dead_letters" and "unsafe XML refused" in output.value["error"]
    assert elapsed < 1.0, elapsed


def test_input_format_forces_the_reader(tmp_path):
    write_warc(tmp_path / "archive.bin", fixture_pages()[:1], extras=False, gz=False)
    out = tmp_path / "out"
    summary = run(["--input", str(tmp_path / "archive.bin"), "--input-format", "warc", "--output", str(out)])
    assert summary["inputs"] == summary["articles"] == 1 and summary["dead_letters"] == 0
