"""How much resolution (countries, GeoNames, dates) adds to the time of one article.

Runs the in-process path the pipeline's DoFns run (spaCy -> extract -> resolve) over the
first N Reuters-21578 stories and prints, in one run: the time of each stage, the share of
resolution in the end-to-end time, and the one-off gazetteer warm-up per worker.

    .venv/bin/python -m benchmarks.resolution_overhead [--n 1000]
"""
from __future__ import annotations

import argparse
import time

from benchmarks.corpora import reuters_articles
from transforms.ingest.articles import nlp_text
from transforms.extraction import extract_events
from transforms.nlp import load_model
from transforms.resolution import resolve_events
from transforms.resolution.geo import geocode


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args(argv)
    articles = reuters_articles(args.n)
    nlp = load_model()
    started = time.perf_counter()
    geocode("Tehran")  # builds the gazetteer index once per process
    warm_up = time.perf_counter() - started

    annotate = extract = resolve = 0.0
    events = 0
    for article in articles:
        t0 = time.perf_counter()
        doc = nlp(nlp_text(article))
        t1 = time.perf_counter()
        found = extract_events(doc, article)
        t2 = time.perf_counter()
        events += len(resolve_events(found, article))
        t3 = time.perf_counter()
        annotate, extract, resolve = annotate + t1 - t0, extract + t2 - t1, resolve + t3 - t2
    total = annotate + extract + resolve
    print(f"articles {len(articles)}, events {events}")
    print(f"  spaCy      {annotate:8.2f} s")
    print(f"  extract    {extract:8.2f} s")
    print(f"  resolve    {resolve:8.2f} s  ({1000 * resolve / max(events, 1):.2f} ms per event)")
    print(f"  total      {total:8.2f} s  ({len(articles) / total:.1f} articles/s)")
    print(f"resolution share of end-to-end time: {100 * resolve / total:.2f} %")
    print(f"gazetteer warm-up once per worker: {warm_up:.2f} s "
          f"({100 * warm_up / (total + warm_up):.2f} % of this run with it included)")


if __name__ == "__main__":
    main()
