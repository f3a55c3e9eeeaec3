"""The namespace of newsevents' Beam counters: the steps count under it and the run summary
(pipelines/summary.py) reads it back, so one spelling serves both."""

NAMESPACE = "newsevents"
