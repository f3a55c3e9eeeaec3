"""What a run writes, as plain Python (no Beam): the record of each table (records), event
identity across articles (identity), near-copies among articles (syndication) and the
CAMEO/PLOVER codes of an event (codes)."""
