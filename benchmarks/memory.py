"""Peak memory of `newsevents extract` per process, at N and 10N input stories (issue 7).

Runs the first N and the first 10N Reuters-21578 stories (or, with ``--tiny``, N and 10N
one-sentence articles, where what each article costs beside spaCy shows) through the pipeline, each in a
fresh subprocess (1 process, and with ``--workers 2`` the multi-processing runner), and
prints the peak RSS (``ru_maxrss``) of the launcher and of its largest worker, and the
growth from N to 10N. The target: <= 1 GB per worker, and < 10 % more at 10x the input.

    PYTHONPATH=. .venv/bin/python -m benchmarks.memory [--n 500] [--workers 2] [--tiny]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.corpora import reuters_articles
from benchmarks.throughput import MULTI, run_pipeline, write_shards


def tiny_articles(n: int) -> list[dict]:
    """``n`` one-sentence articles, all different (issue 18 measured 200,000 of them)."""
    return [{"article_id": f"t{i}", "title": None, "text": f"Short note number {i} about the weather in town {i}.",
             "published_at": "2025-01-01T00:00:00Z", "source": None} for i in range(n)]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--workers", type=int, choices=(1, 2), default=1)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--tiny", action="store_true", help="one-sentence articles instead of Reuters stories")
    args = parser.parse_args(argv)
    extra = MULTI if args.workers == 2 else []
    rows = []
    with tempfile.TemporaryDirectory(prefix="newsevents-mem-") as tmp:
        for size in (args.n, 10 * args.n):
            articles = tiny_articles(size) if args.tiny else reuters_articles(size)
            inputs = write_shards(articles, Path(tmp) / f"in-{size}", args.shards)
            result = run_pipeline(inputs, Path(tmp) / f"out-{size}", extra)
            rows.append((len(articles), result))
    print(f"peak RSS of `newsevents extract`, {args.workers} process(es) "
          f"({'launcher + workers' if args.workers == 2 else 'launcher runs the work'})")
    for size, result in rows:
        worker = f", largest worker {result['rss_workers_mb']:6.0f} MB" if args.workers == 2 else ""
        print(f"  {size:6d} stories: launcher {result['rss_self_mb']:6.0f} MB{worker}  "
              f"({size / result['seconds']:.1f} docs/s, {result['events']} events)")
    (small_n, small), (big_n, big) = rows
    key = "rss_workers_mb" if args.workers == 2 else "rss_self_mb"
    growth = 100 * (big[key] / small[key] - 1)
    print(f"  growth {small_n} -> {big_n} stories: {growth:+.1f} % "
          f"({'worker' if args.workers == 2 else 'process'} peak RSS {big[key]:.0f} MB)")


if __name__ == "__main__":
    main()
