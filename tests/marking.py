"""Batch near-copy marking as the extract pipeline wires it, for tests on rows made in memory:
the signatures SignArticles takes from a first look at the input come from the rows' texts."""
import apache_beam as beam

from transforms.output import syndication
from transforms.steps.near_copies import MarkSyndicated


def marked(pipeline, rows: list[dict]):
    """The rows of ``rows`` (article_id, text, ...) as MarkSyndicated marks them in batch."""
    created = pipeline | "Rows" >> beam.Create(rows)
    signed = created | "Signed" >> beam.Map(lambda row: (row["article_id"], syndication.signature(row["text"])))
    return created | MarkSyndicated(signed)
