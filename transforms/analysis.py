"""One article through the pure stages, outside Beam.

The Beam pipeline runs the same functions as separate steps (pipelines/extract.py);
this in-process path exists for the evaluator's fast loop and for unit tests. Both apply
the same candidate filter (transforms/candidates.py) before spaCy, so the evaluator
measures what the pipeline does (``newsevents evaluate --no-candidate-filter`` measures
the full-parse configuration, as ``newsevents extract --no-candidate-filter`` runs it).
"""
from __future__ import annotations

from transforms.articles import nlp_text, unwrap, unwrap_like
from transforms.candidates import select
from transforms.extraction import extract_events
from transforms.resolution import resolve_events


def spacy_text(article: dict, candidate_filter: bool = True) -> str | None:
    """What spaCy parses for ``article``: its NLP text, with the sentences the filter drops
    blanked and the line breaks of wire copy unwrapped (same length, same offsets); None
    when no sentence is a candidate (no events)."""
    text = nlp_text(article)
    if not candidate_filter:
        return unwrap(text)
    selection = select(text)
    if not selection.has_candidates:
        return None
    return unwrap_like(selection.text, text)


def analyse_article(nlp, article: dict, candidate_filter: bool = True, model=None) -> list[dict]:
    """filter -> annotate -> extract -> resolve for one normalised article dict
    (``model``: the decision model, default the shipped one)."""
    text = spacy_text(article, candidate_filter)
    if text is None:
        return []
    doc = nlp(text)
    return resolve_events(extract_events(doc, article, model), article)
