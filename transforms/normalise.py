"""Moved to transforms/ingest/normalise.py; these names stay importable here for the importers
not yet updated (transforms/records.py, pipelines/extract.py)."""
from transforms.ingest.normalise import DEFAULT_MAX_ARTICLE_BYTES, without_surrogates

__all__ = ["DEFAULT_MAX_ARTICLE_BYTES", "without_surrogates"]
