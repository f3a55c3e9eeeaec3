"""One article through the pure stages, outside Beam.

The Beam pipeline runs the same functions as separate steps (pipelines/extract.py);
this in-process path exists for the evaluator's fast loop and for unit tests. Both apply
the same candidate filter (transforms/candidates.py) before spaCy, so the evaluator
measures what the pipeline does (``newsevents evaluate --no-candidate-filter`` measures
the full-parse configuration, as ``newsevents extract --no-candidate-filter`` runs it).
"""
from __future__ import annotations

from typing import NamedTuple

from transforms.ingest.articles import nlp_text, unwrap_like
from transforms.candidates import blank, select
from transforms.extraction import extract_events
from transforms.resolution import article_facts, resolve_events

# the flag of an article analysed only in part: more than candidates.MAX_CANDIDATE_SENTENCES
# candidate sentences or candidates.MAX_ANALYSED_CHARS characters to read
CAPPED_FLAG = "extraction_capped"


class SpacyInput(NamedTuple):
    text: str | None  # None: no candidate sentence (no events)
    capped: bool  # the end of the article is left out (CAPPED_FLAG)


def spacy_input(article: dict, candidate_filter: bool = True) -> SpacyInput:
    """What spaCy parses for ``article``: its NLP text, with the sentences the filter drops
    blanked and the line breaks of wire copy unwrapped (same length, same offsets). With
    the filter or without, the text after the filter's bounds (candidates.select) is left
    out: the work per article is bounded."""
    text = nlp_text(article)
    selection = select(text)
    capped = selection.cut is not None
    if candidate_filter:
        masked = selection.text if selection.has_candidates else None
    else:
        cut = selection.cut if capped else len(text)
        masked = text[:cut] + blank(text[cut:])
    if masked is not None and capped:
        masked = masked[:selection.cut]  # the blank end need not be tokenized: offsets start at 0 either way
    return SpacyInput(None if masked is None else unwrap_like(masked, text), capped)


def spacy_text(article: dict, candidate_filter: bool = True) -> str | None:
    """The text of ``spacy_input``."""
    return spacy_input(article, candidate_filter).text


def analyse_article(nlp, article: dict, candidate_filter: bool = True, model=None) -> list[dict]:
    """filter -> annotate -> extract -> resolve for one normalised article dict
    (``model``: the decision model, default the shipped one)."""
    text = spacy_text(article, candidate_filter)
    if text is None:
        return []
    doc = nlp(text)
    facts = article_facts(article)
    return resolve_events(extract_events(doc, article, model, facts), article, facts)
