"""Moved to transforms/ingest/webinputs.py; these names stay importable here for the importer
not yet updated (benchmarks/warc_memory.py)."""
from transforms.ingest.webinputs import html_to_article_fields, warc_records

__all__ = ["html_to_article_fields", "warc_records"]
