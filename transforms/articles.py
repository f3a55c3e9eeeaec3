"""Moved to transforms/ingest/articles.py; these names stay importable here for the importers
not yet updated (transforms/analysis.py, corpora.py, extraction/syntax.py, pipelines/extract.py,
pipelines/evaluate.py, benchmarks/)."""
from transforms.ingest.articles import (
    DEFAULT_FIELDS,
    ArticleError,
    JsonFields,
    hard_wrapped,
    make_article,
    nlp_text,
    parse_json_line,
    parse_story_text,
    unwrap_like,
)

__all__ = ["DEFAULT_FIELDS", "ArticleError", "JsonFields", "hard_wrapped", "make_article", "nlp_text",
           "parse_json_line", "parse_story_text", "unwrap_like"]
