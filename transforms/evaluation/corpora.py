"""Articles of the shared corpora by id, in the input format (for training on annotations).

The repository keeps its own annotations as gold lines keyed by article id, never the
articles' text (research licences); training and cross-validation read the text from the
corpora folder (../shared/data/corpora) by the same ids the shared gold sets use:
``reuters-NEWID``, ``bbc-CATEGORY-NNN``, and the ``id`` of modern_open and AllSides.
"""
from __future__ import annotations

import gzip
import json
from datetime import datetime
from pathlib import Path

from transforms.ingest.articles import make_article


def _reuters(record: dict) -> tuple[str, dict]:
    stamp = record["date"].split(".")[0].strip()
    try:
        published = datetime.strptime(stamp, "%d-%b-%Y %H:%M:%S").isoformat()
    except ValueError:  # a few stories carry a malformed clock ("605:12:19"): keep the day
        published = datetime.strptime(stamp.split()[0], "%d-%b-%Y").date().isoformat()
    text = f"{record['dateline']} {record['body']}" if record.get("dateline") else record["body"]
    return f"reuters-{record['newid']}", {"title": record["title"], "text": text, "published_at": published, "source": "reuters"}


def _bbc(record: dict) -> tuple[str, dict]:
    category, number = record["id"].split("/")
    return f"bbc-{category}-{number}", {"title": record["title"], "text": record["text"], "published_at": None, "source": "bbc"}


def _plain(record: dict) -> tuple[str, dict]:
    return record["id"], {key: record.get(key) for key in ("title", "text", "published_at", "url", "source")}


MODERN = ("kremlin:", "pgu:", "wikinews:", "allsides:")  # id prefixes of the corpora written 2010 or later


def is_modern(article_id: str) -> bool:
    """Does the id name an article of a modern corpus (2010+: official releases, Wikinews, AllSides)?"""
    return article_id.startswith(MODERN)


# (file, id prefixes it holds, reader)
CORPORA = (
    ("reuters21578.jsonl.gz", ("reuters-",), _reuters),
    ("bbc_news.jsonl", ("bbc-",), _bbc),
    ("modern_open.jsonl", MODERN[:3], _plain),
    ("allsides_news.jsonl.gz", MODERN[3:], _plain),
)


def corpus_articles(ids, directory: str | Path) -> dict[str, dict]:
    """Article dicts (transforms.articles.make_article) for ``ids`` found in the corpora of ``directory``;
    a file is read only when an id needs it."""
    wanted, directory, found = set(ids), Path(directory), {}
    for name, prefixes, reader in CORPORA:
        if not any(i.startswith(prefixes) for i in wanted) or not (directory / name).is_file():
            continue
        opener = gzip.open if name.endswith(".gz") else open
        with opener(directory / name, "rt", encoding="utf-8") as handle:
            for line in handle:
                article_id, fields = reader(json.loads(line))
                if article_id in wanted:
                    found[article_id] = make_article({**fields, "id": article_id}, str(directory / name))
    return found
