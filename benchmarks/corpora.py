"""Reading the research corpora in ../shared/data/corpora as article dicts (never copied)."""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from transforms.ingest.articles import make_article

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
REUTERS = SHARED / "corpora" / "reuters21578.jsonl.gz"


def reuters_articles(limit: int) -> list[dict]:
    """The first ``limit`` Reuters-21578 stories with a body, in the pipeline's article form."""
    if not REUTERS.exists():
        sys.exit(f"{REUTERS} is absent: benchmarks need ../shared beside the checkout")
    articles = []
    with gzip.open(REUTERS, "rt", encoding="utf-8") as handle:
        for line in handle:
            story = json.loads(line)
            if not (story.get("body") or "").strip():
                continue
            text = f"{story['dateline']} {story['body']}" if story.get("dateline") else story["body"]
            articles.append(make_article({
                "id": f"reuters-{story['newid']}", "title": story.get("title"), "text": text,
                "published_at": story.get("date"), "source": "reuters21578",
            }))
            if len(articles) == limit:
                break
    return articles
