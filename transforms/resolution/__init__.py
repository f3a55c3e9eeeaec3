"""Resolution: the gazetteer layer (countries, offices, places, dates) and the resolution of an
article's extracted events (events.py, then inference.py across them).
"""
from transforms.resolution.events import resolve_events
from transforms.resolution.offices import participant_country
from transforms.resolution.facts import ArticleFacts, article_facts, dateline_place

__all__ = ["ArticleFacts", "article_facts", "dateline_place", "participant_country", "resolve_events"]
