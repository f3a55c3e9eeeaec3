"""Reading the research corpora in ../shared/data/corpora as article dicts (never copied)."""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from transforms.ingest.articles import ArticleError, make_article

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
REUTERS = SHARED / "corpora" / "reuters21578.jsonl.gz"
RESERVED = SHARED / "reserved_ids.txt"


def reserved_ids() -> set[str]:
    """Article ids kept for independent evaluation: never read, not even by a benchmark."""
    return {line.strip() for line in RESERVED.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")}


def reuters_articles(limit: int) -> list[dict]:
    """The first ``limit`` Reuters-21578 stories with a body and not reserved, in the pipeline's article form."""
    if not REUTERS.exists():
        sys.exit(f"{REUTERS} is absent: benchmarks need ../shared beside the checkout")
    articles, reserved = [], reserved_ids()
    with gzip.open(REUTERS, "rt", encoding="utf-8") as handle:
        for line in handle:
            story = json.loads(line)
            if not (story.get("body") or "").strip() or f"reuters-{story['newid']}" in reserved:
                continue
            text = f"{story['dateline']} {story['body']}" if story.get("dateline") else story["body"]
            try:
                articles.append(make_article({
                    "id": f"reuters-{story['newid']}", "title": story.get("title"), "text": text,
                    "published_at": story.get("date"), "source": "reuters21578",
                }))
            except ArticleError:
                continue  # a garbled date ("27-MAR-1987 00:02:59.13&#5;&#5;RM"): the pipeline dead-letters it
            if len(articles) == limit:
                break
    return articles
