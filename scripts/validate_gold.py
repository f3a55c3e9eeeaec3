"""Check gold lines against ANNOTATION.md (transforms/evaluation/goldcheck.py); one line per problem.

    PYTHONPATH=. python scripts/validate_gold.py GOLD.jsonl ARTICLES.jsonl
Articles are the input records (`id` or `article_id`, `text`).
"""
import json
import sys

from transforms.evaluation.goldcheck import problems


def main(argv: list[str]) -> int:
    gold_path, articles_path = argv
    texts = {}
    for line in open(articles_path, encoding="utf-8"):
        record = json.loads(line)
        texts[record.get("article_id") or record["id"]] = record["text"]
    bad = 0
    for line in open(gold_path, encoding="utf-8"):
        gold = json.loads(line)
        if gold.get("article_id") not in texts:
            print(f"{gold.get('article_id')}: not among the articles")
            bad += 1
            continue
        for problem in problems(gold, texts[gold["article_id"]]):
            print(f"{gold['article_id']}: {problem}")
            bad += 1
    print(f"{bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
