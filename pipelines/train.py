"""`newsevents train`: annotated articles in, a decision model folder out.

    newsevents train --gold ../shared/data/dev/gold.jsonl --gold ../shared/data/train --gold annotations --out models/mine
    newsevents extract --input ... --output ... --extractor-model models/mine

The folder holds ``decision.json`` (the weights, calibration and threshold that
transforms/extraction/decision.py reads) and ``MODEL_CARD.md`` (data, features and, with
``--cv K``, the cross-validated scores). Gold lines follow ../shared/spec/ANNOTATION.md;
their articles are read beside each gold file (``articles.jsonl``), from ``--articles``,
or by id from ``--corpora``. Deterministic for a seed.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from pipelines.evaluate import DEFAULT_CORPORA, gold_files, index_articles, load_sets
from transforms.nlp import ModelNotInstalled

DEFAULT_GOLD = ("../shared/data/dev/gold.jsonl", "../shared/data/train", "annotations")


def build_parser() -> argparse.ArgumentParser:
    from pipelines.cli import HelpFormatter  # cli imports this module lazily

    parser = argparse.ArgumentParser(prog="newsevents train", description=__doc__.split("\n\n")[0],
                                     formatter_class=HelpFormatter)
    parser.add_argument("--gold", action="append", help=f"gold JSONL file or folder (repeatable; default: {' '.join(DEFAULT_GOLD)})")
    parser.add_argument("--articles", action="append", type=Path, help="article files for the gold lines (repeatable)")
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA, help="corpora folder for gold lines keyed by corpus id")
    parser.add_argument("--out", type=Path, required=True, help="model folder to write")
    parser.add_argument("--seed", type=int, default=0, help="seed of the inner folds and the solver")
    parser.add_argument("--cv", type=int, default=0, metavar="K", help="also cross-validate (K folds) and put the scores in the model card")
    parser.add_argument("--model", help="spaCy model name (default: auto)")
    return parser


def _card(model: dict, files: list[Path], types: Counter, cv: dict | None) -> str:
    from transforms.evaluation.training import THRESHOLD_TOLERANCE, THRESHOLD_WINDOW

    training = model["training"]
    lines = [
        "# Decision model card", "",
        f"Trained {date.today().isoformat()} by `newsevents train` (seed {training['seed']}).", "",
        "## What it decides",
        "For every event the rules propose (transforms/extraction/triggers.py: strict finders and loose trigger senses),",
        "after mentions are merged: whether it is a real event of its type (logistic regression, calibrated by Platt",
        "scaling on inner out-of-fold scores; the probability is the `confidence` column; records under the",
        f"threshold {model['event']['threshold']:.3f} are dropped: detection F1 is averaged over thresholds within",
        f"{THRESHOLD_WINDOW} on inner out-of-fold probabilities, and of the thresholds within {THRESHOLD_TOLERANCE} of the best",
        "average the lowest is taken). Type comes from the proposal, status from",
        "the rules (status.py): a learned status model scored below them in cross-validation.",
        "Its date head (multinomial logistic regression over the same features) says what date an event its words",
        "leave undated has: the publication day, the publication month, or unknown; resolution applies it.",
        "Its party head (logistic regression) adds to a kept event the people, organisations and countries named in",
        "its sentences that the role rules did not read (transforms/extraction/party_head.py), where it judges them",
        f"parties: those at or above {_party_threshold(model)}, the threshold that maximised party F1 on inner",
        "out-of-fold probabilities.", "",
        "## Features",
        "Finder and strictness, trigger lemma, tag, dependency and head, tense and auxiliaries of its clause, the lemmas",
        "of its children and of the common words within four tokens (names left out), entity labels of the sentence,",
        "participants by role and entity type (titled or not), explicit place, date expression, object noun, the",
        "rules' status, cue words (negation, modality, plans, cancellation, time), hedges, quotes, the article's",
        "sport / entertainment / business word counts, number of mentions, whether one trigger was split by partner",
        "(\"bilateral meetings with A and B\"); of the merged event: how many parties, of",
        "how many countries, and whether a public office holder is among them; for timing: how deep in the story the",
        "sentence is, reported speech, a perfect or \"coming\" before the trigger, dates in the sentence or the one",
        "before, the dateline's place. Prefixed by event type where their meaning depends on it; a visit implied by",
        "a meeting abroad has weights of its own (its meeting's features, prefixed `implied|`). An idiom built on a",
        "trigger word (\"when it comes to\", \"sign up\", \"was met with protests\") is a feature of its own.",
        "The party head reads a candidate's entity label, dependency, head and preposition, its distance and side",
        "to the trigger, whether the trigger governs it, a conjunct of a party, a title before it, a speaker, whether",
        "it is a country the event's parties already come from, and how often the article names it.", "",
        "## Training data",
        f"{training['articles']} annotated articles, {training['gold_events']} gold events "
        f"({', '.join(f'{k} {v}' for k, v in sorted(types.items()))}); {training['examples']} labelled proposals, "
        f"{training['positives']} right. L2 strength C = {model['event']['l2_c']}. Date head: "
        f"{model['date']['examples']} matched undated records (C = {model['date'].get('l2_c', '-')}). Party head: "
        f"{model['party']['examples']} candidate parties of matched records (C = {model['party'].get('l2_c', '-')}).", "",
        "Gold files:", *[f"- `{path}`" for path in files], "",
    ]
    if cv:
        overall = cv["results"]["all"]
        det, full = overall["detection"]["overall"], overall["full_record"]["overall"]
        part = overall["participants"]["name"]
        lines += [
            f"## Cross-validated scores ({cv['folds']}-fold, grouped by article, seed {cv['seed']})",
            "| detection P / R / F1 | participant F1 | full-record F1 | date | status | ECE | precision at confidence >= 0.8 |",
            "|---|---|---|---|---|---|---|",
            f"| {100 * det['precision']:.1f} / {100 * det['recall']:.1f} / {100 * det['f1']:.1f} | {100 * part['f1']:.1f} "
            f"| {100 * full['f1']:.1f} | {100 * (overall['attributes']['date']['accuracy'] or 0):.1f} "
            f"| {100 * (overall['attributes']['status']['accuracy'] or 0):.1f} | {overall['reliability']['ece']:.3f} "
            f"| {100 * (overall['reliability']['high']['precision'] or 0):.1f} |", "",
        ]
    lines += ["## Limits",
              "It can only keep what the rules propose: a trigger word the lexicon lacks is never an event. It learns",
              "the annotators' conventions (../shared/spec/ANNOTATION.md); text far from news and official releases",
              "(sport, entertainment, opinion) is scarce in its data.", ""]
    return "\n".join(lines)


def _party_threshold(model: dict) -> str:
    threshold = model["party"]["threshold"]
    return "none (it adds no party)" if threshold is None else f"probability {threshold:.3f}"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from transforms.nlp import load_model
    from transforms.evaluation import scores_by_set
    from transforms.evaluation.training import cross_validate, fit, propose

    names = args.gold or [name for name in DEFAULT_GOLD if Path(name).exists()]
    files = gold_files(names)
    if not files:
        print(f"newsevents train: no gold files in {names}", file=sys.stderr)
        return 2
    given = index_articles(args.articles) if args.articles else None
    sets, articles = load_sets(files, given, False, args.corpora)
    docs = [doc for group in sets.values() for doc in group]
    try:
        nlp = load_model(args.model)
    except ModelNotInstalled as exc:
        print(f"newsevents train: {exc}", file=sys.stderr)
        return 2
    items = propose(nlp, docs, articles)
    if not items:
        print("newsevents train: none of the gold articles has its text (see --articles / --corpora)", file=sys.stderr)
        return 2
    try:
        model = fit(items, args.seed)
    except ValueError as exc:
        print(f"newsevents train: {exc}", file=sys.stderr)
        return 2
    digest = hashlib.sha1(json.dumps(model, sort_keys=True).encode()).hexdigest()[:8]  # same weights, same version
    model["version"] = f"decision-{date.today().isoformat()}-{model['training']['articles']}a-{digest}"
    cv = None
    if args.cv:
        predictions = cross_validate(items, args.cv, args.seed)
        cv = {"folds": args.cv, "seed": args.seed, "results": scores_by_set(sets, predictions)}
    types = Counter(event["event_type"] for item in items for event in item.doc.events)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "decision.json").write_text(json.dumps(model, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    (args.out / "MODEL_CARD.md").write_text(_card(model, files, types, cv), encoding="utf-8")
    print(f"trained on {len(items)} articles ({model['training']['examples']} proposals, "
          f"{model['training']['positives']} right); threshold {model['event']['threshold']:.3f}; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
