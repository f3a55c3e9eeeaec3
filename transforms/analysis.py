"""One article through the pure stages, outside Beam.

The Beam pipeline runs the same functions as separate steps (pipelines/extract.py);
this in-process path exists for the evaluator's fast loop and for unit tests.
"""
from __future__ import annotations

from transforms.articles import nlp_text
from transforms.extraction import extract_events
from transforms.resolution import resolve_events


def analyse_article(nlp, article: dict) -> list[dict]:
    """annotate -> extract -> resolve for one normalised article dict."""
    doc = nlp(nlp_text(article))
    return resolve_events(extract_events(doc, article), article)
