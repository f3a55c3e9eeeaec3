"""Reading inputs into articles, plain Python (no Beam): file formats and their bounds
(formats), raw records and their parsing (raw_records), JSONL and story parsing
(articles), web pages and feeds (webinputs), checks and cleaning (normalise)."""
