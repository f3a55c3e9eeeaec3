"""The namespace of newsevents' Beam counters: the steps count under it and the run summary
(pipelines/summary.py) reads it back, so one spelling serves both."""

NAMESPACE = "newsevents"

# AnnotateAndExtract's timers (Beam distributions, microseconds), read back by `--profile`
# (pipelines/profile.py): Beam times each step as a whole; these split it.
PROFILE = "newsevents_profile"
FILTER_US = "candidate_filter_us"  # the candidate filter of each article
SPACY_US = "spacy_us"  # nlp.pipe over each batch
EXTRACTION_US = "extraction_us"  # event extraction of each batch's Docs
SETUP_US = "worker_setup_us"  # each DoFn's setup: spaCy model, gazetteer, decision model
