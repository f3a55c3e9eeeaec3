"""Time and peak RSS of `newsevents extract` on syndicated copies (issue 18).

Two inputs an attacker, or a wire service, produces: N identical copies of one short story
(JSONL, distinct ids) and a feed of N templated RSS entries (one sentence pattern, a
changing number and place). Each size runs in a fresh subprocess (one process, the
FnApiRunner); the peak RSS is that process's ``VmHWM``. Before issue 18 the syndication
step listed every pair of articles sharing a MinHash band key; now each article is compared
with at most ``syndication.CANDIDATES`` others. Measured on a 2-core machine:

    input                       before             after
    1,000 identical copies      55.6 s  2,129 MB   2.7 s  340 MB
    4,000 identical copies      > 12 GB (issue)    5.2 s  418 MB
    8,000 identical copies      -                  9.1 s  502 MB
    1,000-entry feed             9.0 s    789 MB   3.6 s  357 MB
    2,000-entry feed            31.8 s  2,137 MB   -
    10,000-entry feed           21 GB (issue)     14.6 s  605 MB
    20,000-entry feed           -                 29.8 s  830 MB

    PYTHONPATH=. .venv/bin/python -m benchmarks.syndication_scale [--copies 1000 2000 4000] [--feed 10000]
"""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from benchmarks.throughput import run_pipeline

STORY = ("The central bank of Chile raised its policy rate by half a point on Tuesday, "
         "the fourth rise this year, officials in Santiago said.")
PLACES = ("Oslo", "Lima", "Quito", "Hanoi", "Accra", "Riga", "Doha", "Bern", "Kyiv", "Dakar")


def write_copies(n: int, path: Path) -> Path:
    """``n`` JSONL articles with one text and ids copy-00000, copy-00001, ..."""
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            out.write(json.dumps({"id": f"copy-{i:05d}", "text": STORY, "published_at": "2024-03-05"}) + "\n")
    return path


def templated_entry(i: int) -> str:
    """Entry ``i`` of a templated feed: one pattern, a changing number and place."""
    place = PLACES[i % len(PLACES)]
    return (f"Notice {i}: the city council of {place} approved permit number {i} for road works on "
            f"Main Street, the council said in a statement on Monday. Works start next week and "
            f"last about {i % 9 + 2} days; drivers are asked to use the ring road meanwhile.")


def write_feed(n: int, path: Path) -> Path:
    """An RSS 2.0 feed of ``n`` templated entries (``templated_entry``)."""
    items = "".join(f"<item><title>Notice {i}</title><link>https://example.org/notice/{i}</link>"
                    f"<pubDate>Mon, 04 Mar 2024 10:00:00 GMT</pubDate>"
                    f"<description>{escape(templated_entry(i))}</description></item>" for i in range(n))
    path.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Notices</title>'
                    f"<link>https://example.org/</link><description>d</description>{items}</channel></rss>",
                    encoding="utf-8")
    return path


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="*", default=[1000, 2000, 4000])
    parser.add_argument("--feed", type=int, nargs="*", default=[10000])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsevents-synd-") as tmp:
        runs = [(f"{n} identical copies", write_copies(n, Path(tmp) / f"copies-{n}.jsonl")) for n in args.copies]
        runs += [(f"{n}-entry templated feed", write_feed(n, Path(tmp) / f"feed-{n}.rss")) for n in args.feed]
        for label, path in runs:
            result = run_pipeline(str(path), Path(tmp) / f"out-{path.stem}", [])
            print(f"{label:28s} {result['seconds']:7.1f} s  peak RSS {result['rss_self_mb']:6.0f} MB  "
                  f"{result['summary']['articles']} articles", flush=True)


if __name__ == "__main__":
    main()
