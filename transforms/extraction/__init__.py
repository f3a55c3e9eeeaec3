"""Event extraction over a spaCy Doc (pure Python, no Beam): proposals.py proposes an article's
events and lets the decision model keep the real ones; the other modules are its parts.
"""
from transforms.extraction.proposals import extract_events, propose_events

__all__ = ["extract_events", "propose_events"]
