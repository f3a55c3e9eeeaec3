"""`newsevents evaluate`: score extracted events against gold files.

Predictions come from a pipeline run's Parquet output (``--output DIR``) or from running
the pure stages in-process over the articles (``--articles``, the fast tuning loop; no
Beam).  Without either, each gold file's sibling articles are used (``gold.jsonl`` ->
``articles.jsonl``, ``x_dev_gold.jsonl`` -> ``x_dev_articles.jsonl``, and a gold line's
``file``).  Article text is also needed to locate hand-gold evidence spans, so the
siblings are read in ``--output`` mode too when present.

    python -m pipelines.evaluate --gold ../shared/data/dev/gold.jsonl --articles ../shared/data/dev/articles.jsonl
    python -m pipelines.evaluate --gold ../shared/data --errors
    python -m pipelines.evaluate --gold ../shared/data/dev/gold.jsonl --output out/ --json
    python -m pipelines.evaluate --identity tests/fixtures/identity_reports.jsonl --output out/
    python -m pipelines.evaluate --cv 5 --gold ../shared/data/dev/gold.jsonl --gold ../shared/data/train --gold annotations

``--cv K`` is the quality figure of record: K-fold cross-validation grouped by article,
each fold's articles decided by a model trained (``transforms/evaluation/training.py``) on the other
folds only. Gold lines without article text beside them (the repository's own
annotations, keyed by corpus ids) take their text from ``--corpora``.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

from transforms.ingest.articles import ArticleError, parse_json_line, parse_story_text
from transforms.evaluation.corpora import corpus_articles
from transforms.evaluation import (
    GoldDoc, attach_text, format_identity, format_report, identity_scores, load_gold, scores_by_set,
)
from transforms.extraction.decision import ModelError, load_model as load_decision_model
from transforms.nlp import ModelNotInstalled

DEFAULT_CORPORA = Path("../shared/data/corpora")


def gold_files(paths: list[str]) -> list[Path]:
    """The gold files named: a directory stands for every ``*gold*.jsonl`` below it."""
    files = []
    for name in paths:
        path = Path(name)
        files.extend(sorted(path.rglob("*gold*.jsonl")) if path.is_dir() else [path])
    return files


def read_articles(path: Path) -> list[dict]:
    """Article dicts from a JSONL(.gz) file or a .txt story; unreadable records are reported."""
    if path.suffix == ".txt":
        return [parse_story_text(path.read_text(encoding="utf-8"), str(path))]
    opener = gzip.open if path.suffix == ".gz" else open
    articles = []
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                articles.append(parse_json_line(line, str(path)))
            except ArticleError as exc:
                print(f"warning: {path}:{number}: {exc}", file=sys.stderr)
    return articles


def sibling_articles(gold_path: Path, docs: list[GoldDoc]) -> list[Path]:
    """The article files that belong to a gold file by naming convention."""
    candidates = [gold_path.with_name(gold_path.name.replace("gold", "articles"))]
    candidates += [gold_path.parent / doc.file for doc in docs if doc.file]
    return [path for path in dict.fromkeys(candidates) if path.is_file() and path != gold_path]


def index_articles(paths: list[Path]) -> dict[str, dict]:
    return {article["article_id"]: article for path in paths for article in read_articles(path)}


def read_output(directory: Path) -> dict[str, list[dict]]:
    """Predicted events from ``DIR/parquet/events/**/*.parquet``, grouped by article id."""
    import pyarrow.parquet as pq

    events_dir = directory / "parquet" / "events"
    if not events_dir.is_dir():
        raise FileNotFoundError(f"no events table at {events_dir}")
    grouped: dict[str, list[dict]] = {}
    for path in sorted(events_dir.glob("**/*.parquet")):
        for row in pq.read_table(path).to_pylist():
            grouped.setdefault(row["article"]["article_id"], []).append(row)
    return grouped


def predict(articles: list[dict], model: str | None, candidate_filter: bool = True,
            extractor_model: str | None = None) -> tuple[dict[str, list[dict]], int]:
    """Run the in-process stages over ``articles``; returns (events by article, failures)."""
    # imported here so that scoring a Parquet output never loads spaCy
    from transforms.analysis import analyse_article
    from transforms.nlp import load_model

    nlp = load_model(model)
    decision = load_decision_model(extractor_model)
    predictions, failures = {}, 0
    for article in articles:
        try:
            predictions[article["article_id"]] = analyse_article(nlp, article, candidate_filter, decision)
        except Exception as exc:  # one broken article must not stop a tuning run; it is reported
            failures += 1
            print(f"error: {article['article_id']}: {type(exc).__name__}: {exc}", file=sys.stderr)
    return predictions, failures


def build_parser() -> argparse.ArgumentParser:
    from pipelines.cli import HelpFormatter  # cli imports this module lazily

    parser = argparse.ArgumentParser(prog="newsevents evaluate", description=__doc__.split("\n\n")[0],
                                     formatter_class=HelpFormatter)
    parser.add_argument("--gold", action="append", help="gold JSONL file or directory (repeatable)")
    parser.add_argument("--identity", type=Path,
                        help="reports JSONL with a 'group' per real-world event: pairwise event_id F1 of --output")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--output", type=Path, help="pipeline output directory to score")
    source.add_argument("--articles", action="append", type=Path, help="articles to analyse in-process (repeatable)")
    parser.add_argument("--model", help="spaCy model name for --articles (default: auto)")
    parser.add_argument("--extractor-model", help="decision model folder from `newsevents train` (default: the shipped one)")
    parser.add_argument("--cv", type=int, metavar="K",
                        help="K-fold cross-validation grouped by article: train on K-1 folds, score the held-out one")
    parser.add_argument("--seed", type=int, default=0, help="fold assignment and training seed for --cv")
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA,
                        help="folder of the corpora that gold lines without article text are read from")
    parser.add_argument("--no-candidate-filter", dest="candidate_filter", action="store_false",
                        help="in-process: parse every sentence (the full-parse configuration)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--errors", action="store_true", help="list FPs, FNs and partly wrong TPs with sentences")
    parser.add_argument("--reliability", action="store_true",
                        help="precision by confidence bucket (is confidence calibrated?); always in --json")
    return parser


def load_sets(files: list[Path], given: dict[str, dict] | None, scoring_output: bool,
              corpora: Path | None = None):
    """Gold documents per file with evidence spans located, and the articles they need
    (from ``given``, else the gold file's siblings, else the ``corpora`` by id)."""
    sets, needed = {}, {}
    for path in files:
        docs = load_gold(path)
        articles = given if given is not None else index_articles(sibling_articles(path, docs))
        missing = [key for doc in docs if doc.find(articles) is None for key in doc.keys]
        if missing and corpora is not None and corpora.is_dir():
            articles = {**articles, **corpus_articles(missing, corpora)}
        for doc in docs:
            article = doc.find(articles)
            if article is None:
                # without text, --articles has nothing to analyse and hand gold has no spans
                if not scoring_output or any(event["span"] is None for event in doc.events):
                    print(f"warning: no article text for {doc.article_id} ({doc.source})", file=sys.stderr)
                continue
            needed[article["article_id"]] = article
            for event in attach_text(doc, article["text"]):
                print(f"warning: evidence not in {doc.article_id}: {event.get('evidence')!r}", file=sys.stderr)
        sets[str(path)] = docs
    return sets, needed


def score_identity(reports_path: Path, output: Path | None) -> int:
    """Print pairwise event-identity scores of a pipeline run over ``reports_path``."""
    if output is None:
        print("error: --identity scores a pipeline run: give its --output", file=sys.stderr)
        return 2
    reports = [json.loads(line) for line in reports_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    scores = identity_scores(reports, read_output(output))
    print(format_identity(scores))
    return 0


def cross_validation(sets: dict[str, list[GoldDoc]], articles: dict[str, dict], args) -> int:
    """Print the tables of ``--cv K``: every article decided by a model that never saw it."""
    from transforms.nlp import load_model
    from transforms.evaluation.training import cross_validate, propose

    if args.cv < 2:
        print("error: --cv needs at least 2 folds", file=sys.stderr)
        return 2
    docs = [doc for group in sets.values() for doc in group]
    items = propose(load_model(args.model), docs, articles)
    predictions = cross_validate(items, args.cv, args.seed)
    results = scores_by_set(sets, predictions)
    if args.json:
        print(json.dumps({"folds": args.cv, "seed": args.seed, "results": results}, indent=2))
        return 0
    print(f"{args.cv}-fold cross-validation grouped by article (seed {args.seed}), {len(items)} articles\n")
    print("\n\n".join(format_report(result, name, args.errors and name != "all", args.reliability or name == "all")
                      for name, result in results.items()))
    return 0


def missing_path(args) -> str | None:
    """The first input file named on the command line that does not exist, as the option and
    path ('--gold x.jsonl'), so a typo is one line rather than a traceback.  (A missing
    --output is a run failure, exit 1, as when it holds no events table.)"""
    named = [("--gold", Path(p)) for p in args.gold or []] + [("--articles", p) for p in args.articles or []]
    named += [("--identity", args.identity)] if args.identity else []
    return next((f"{option} {path}" for option, path in named if not path.exists()), None)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    missing = missing_path(args)
    if missing:
        print(f"error: {missing}: no such file or folder", file=sys.stderr)
        return 2
    if args.identity:
        return _in_one_line(lambda: score_identity(args.identity, args.output))
    if not args.gold:
        print("error: --gold (or --identity) is required", file=sys.stderr)
        return 2
    files = gold_files(args.gold)
    if not files:
        print(f"error: no gold files in {args.gold}", file=sys.stderr)
        return 2
    given = index_articles(args.articles) if args.articles else None
    sets, needed = load_sets(files, given, args.output is not None, args.corpora)
    return _in_one_line(lambda: score_sets(sets, needed, args))


def _in_one_line(action) -> int:
    """``action()``'s exit code, or 1 with one line on stderr when a file or model is missing."""
    try:
        return action()
    except (FileNotFoundError, ModelNotInstalled, ModelError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def score_sets(sets: dict[str, list[GoldDoc]], needed: dict[str, dict], args) -> int:
    """Print the score tables of the gold sets: CV, a pipeline run's output, or a fresh prediction."""
    if args.cv:
        return cross_validation(sets, needed, args)
    failures = 0
    if args.output:
        predictions = read_output(args.output)
    else:
        predictions, failures = predict(list(needed.values()), args.model, args.candidate_filter,
                                        args.extractor_model)
    results = scores_by_set(sets, predictions)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        # the combined table repeats no error lines: they are listed per file
        reports = (format_report(result, name, args.errors and name != "all", args.reliability)
                   for name, result in results.items())
        print("\n\n".join(reports))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
