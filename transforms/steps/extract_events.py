"""The extraction flow from raw records to tables, one composite for batch and stream."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import apache_beam as beam

from transforms.ingest.articles import DEFAULT_FIELDS, JsonFields
from transforms.steps.files import DEAD_LETTERS
from transforms.steps.normalise import NormaliseArticles
from transforms.steps.annotate import AnnotateAndExtract
from transforms.steps.tables import BuildRecords, ResolveEvents, SplitTables


@dataclass(frozen=True)
class ExtractSettings:
    """What the steps of ExtractEvents need from the command line."""

    model: str  # the provenance label of every event row
    processed_at: datetime
    max_article_bytes: int
    fields: JsonFields = DEFAULT_FIELDS
    spacy_model: str | None = None
    candidate_filter: bool = True
    decision: dict | None = None  # weights of --extractor-model (None: the shipped model)


class ExtractEvents(beam.PTransform):
    """{"records", "dead_letters"} of a reader -> {events, articles, dead_letters} tables.

    NormaliseArticles -> ``deduplicate`` (the reader's kind of repeat: web pages in batch,
    redelivered articles in a stream; None for none) -> AnnotateAndExtract -> ResolveEvents
    -> BuildRecords -> SplitTables. Every step's dead letters join the reader's in
    `dead_letters`, so each input ends as one `articles` row or one `dead_letters` row.
    """

    def __init__(self, settings: ExtractSettings, deduplicate: beam.PTransform | None = None):
        super().__init__()
        self._settings = settings
        self._deduplicate = deduplicate

    def expand(self, read):
        settings = self._settings
        articles, parse_dead = read["records"] | "NormaliseArticles" >> NormaliseArticles(
            settings.max_article_bytes, settings.processed_at, settings.fields)
        if self._deduplicate is not None:
            articles = articles | "Deduplicate" >> self._deduplicate
        extracted, extract_dead = articles | "AnnotateAndExtract" >> AnnotateAndExtract(
            settings.spacy_model, settings.processed_at, settings.candidate_filter, decision=settings.decision)
        resolved, resolve_dead = extracted | "ResolveEvents" >> ResolveEvents(settings.processed_at)
        rows, build_dead = resolved | "BuildRecords" >> BuildRecords(settings.model, settings.processed_at)
        tables = rows | "SplitTables" >> SplitTables()
        tables[DEAD_LETTERS] = ((read[DEAD_LETTERS], parse_dead, extract_dead, resolve_dead, build_dead)
                                | "AllDeadLetters" >> beam.Flatten())
        return tables
