"""Peak memory of reading a WARC: 1,000 vs 10,000 HTML records (the reader must stream).

Builds gzip WARCs of N distinct news pages (about 8 KB of HTML each, with a request record
before every response) in a temporary folder, then measures each way of reading them in a
fresh subprocess, which prints its own peak RSS (``resource.getrusage(RUSAGE_SELF).ru_maxrss``):

    reader  transforms.webinputs.warc_records + html_to_article_fields over the open file
    beam    the pipeline's read path on the FnApiRunner: ReadRecords -> NormaliseArticles
            (trafilatura, language check) -> counted and dropped (no spaCy, no sinks)
    naive   for contrast: every payload of the archive held in a list before extraction,
            i.e. what a reader that does not stream would cost

Flat means the 10,000-record figure is close to the 1,000-record one for ``reader`` and
``beam`` while ``naive`` grows with the archive.

    PYTHONPATH=. python -m benchmarks.warc_memory [--sizes 1000 10000] [--modes reader beam naive]
"""
from __future__ import annotations

import argparse
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = ("minister president talks agreement trade energy security officials said visit capital "
         "government delegation summit cooperation investment factory plant company statement week "
         "region border water harbour railway bank market election parliament ceremony project").split()


def _page(index: int, rng: random.Random) -> bytes:
    paragraphs = []
    for _ in range(12):
        words = [rng.choice(WORDS) for _ in range(rng.randint(60, 90))]
        paragraphs.append(f"<p>Story {index}: {' '.join(words).capitalize()}.</p>")
    url = f"https://news.example/story/{index}"
    return (f"<!DOCTYPE html><html lang='en'><head><title>Story {index}</title>"
            f"<link rel='canonical' href='{url}'>"
            f"<meta property='article:published_time' content='2024-03-05T10:00:00Z'></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<div class='cookie-banner'>We use cookies. Accept all cookies</div>"
            f"<article><h1>Story {index}</h1>{''.join(paragraphs)}</article>"
            f"<footer>Copyright 2024 News Example</footer></body></html>").encode()


def build_warc(path: Path, n: int) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = random.Random(n)
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for index in range(n):
            url = f"https://news.example/story/{index}"
            html = _page(index, rng)
            writer.write_record(writer.create_warc_record(
                url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\nHost: news.example\r\n\r\n")))
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html),
                                                          http_headers=headers))


# --- what runs in the measured subprocess ---------------------------------------------------

def _child_reader(path: str) -> dict:
    from transforms.ingest import webinputs

    pages = chars = 0
    with open(path, "rb") as handle:
        for page in webinputs.warc_records(handle):
            chars += len(webinputs.html_to_article_fields(page.html, page.url)["text"])
            pages += 1
    return {"pages": pages, "chars": chars}


def _child_naive(path: str) -> dict:
    from transforms.ingest import webinputs

    with open(path, "rb") as handle:
        held = list(webinputs.warc_records(handle))  # every payload in memory at once
    chars = sum(len(webinputs.html_to_article_fields(p.html, p.url)["text"]) for p in held)
    return {"pages": len(held), "chars": chars}


def _child_beam(path: str) -> dict:
    from datetime import datetime, timezone

    import apache_beam as beam
    from apache_beam.metrics import Metrics
    from apache_beam.metrics.metric import MetricsFilter
    from apache_beam.options.pipeline_options import PipelineOptions

    from transforms.steps.files import DEAD_LETTERS, ReadRecords
    from transforms.steps.normalise import NormaliseArticles

    def count(name):
        counter = Metrics.counter("bench", name)

        def drop(_element):
            counter.inc()
            return []
        return drop

    processed_at = datetime.now(timezone.utc)
    pipeline = beam.Pipeline(options=PipelineOptions(["--runner=FnApiRunner"]))
    read = pipeline | ReadRecords([path], processed_at)
    articles, dead = read["records"] | NormaliseArticles(1_000_000, processed_at)
    _ = articles | "CountArticles" >> beam.FlatMap(count("articles"))
    _ = (read[DEAD_LETTERS], dead) | beam.Flatten() | "CountDead" >> beam.FlatMap(count("dead"))
    result = pipeline.run()
    result.wait_until_finish()
    counters = result.metrics().query(MetricsFilter().with_namespace("bench"))["counters"]
    return {c.key.metric.name: c.committed for c in counters}


CHILDREN = {"reader": _child_reader, "naive": _child_naive, "beam": _child_beam}


def _child(mode: str, path: str) -> None:
    started = time.perf_counter()
    counts = CHILDREN[mode](path)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"peak_rss_mb": round(peak_kb / 1024, 1), "seconds": round(time.perf_counter() - started, 1),
                      **counts}))


def measure(mode: str, path: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "benchmarks.warc_memory", "--child", mode, str(path)],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--modes", nargs="+", default=["reader", "beam", "naive"], choices=list(CHILDREN))
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child)
        return
    with tempfile.TemporaryDirectory(prefix="warc_memory_") as folder:
        paths = {}
        for n in args.sizes:
            paths[n] = Path(folder) / f"pages_{n}.warc.gz"
            build_warc(paths[n], n)
            print(f"built {paths[n].name}: {n:,} responses + {n:,} requests, "
                  f"{paths[n].stat().st_size / 1e6:.1f} MB gzip", flush=True)
        print(f"{'mode':<8}{'records':>9}{'peak RSS MB':>13}{'seconds':>9}  counts", flush=True)
        for mode in args.modes:
            for n in args.sizes:
                row = measure(mode, paths[n])
                counts = {k: v for k, v in row.items() if k not in ("peak_rss_mb", "seconds")}
                print(f"{mode:<8}{n:>9,}{row['peak_rss_mb']:>13}{row['seconds']:>9}  {counts}", flush=True)


if __name__ == "__main__":
    main()
