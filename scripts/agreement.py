"""Agreement between two annotators: the second's gold lines scored as predictions against the first's.

    python scripts/agreement.py annotations/agreement/second_g.jsonl annotations/agreement/second_n.jsonl

Each second-annotator file holds gold lines for articles that also have a line in
annotations/*_gold.jsonl (the first annotator). The evaluator's own matching and tables
(transforms/evaluation/) give event-level F1: the figure ../shared/data/train/README.md
reports for the shared sets. Article texts come from ../shared/data/corpora.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from transforms.evaluation.corpora import corpus_articles
from transforms.evaluation import attach_text, evaluate, format_report, load_gold, locate_evidence

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "data" / "corpora"


def as_predictions(line: dict, text: str) -> list[dict]:
    """A gold line's events as predicted records (evidence span = sentence and only mention)."""
    records = []
    for event in line["events"]:
        start, end = locate_evidence(text, event["evidence"]) or (None, None)
        sentence = {"text": event["evidence"], "start": start, "end": end}
        records.append({**event, "sentence": sentence, "mentions": [sentence]})
    return records


def main(paths: list[str]) -> int:
    second = [json.loads(line) for path in paths for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    ids = {line["article_id"] for line in second}
    first = [doc for path in sorted((ROOT / "annotations").rglob("*_gold.jsonl")) for doc in load_gold(path) if doc.article_id in ids]
    articles = corpus_articles(ids, CORPORA)
    for doc in first:
        attach_text(doc, articles[doc.article_id]["text"])
    predictions = {line["article_id"]: as_predictions(line, articles[line["article_id"]]["text"]) for line in second}
    print(format_report(evaluate(first, predictions), f"second annotator vs first on {len(first)} articles"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
