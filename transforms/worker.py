"""What a worker process builds once, before its first article (plain Python, no Beam).

A worker's long-lived structures (the spaCy pipeline, the gazetteer index) are several
hundred thousand Python objects. CPython's cyclic garbage collector walks every tracked
object at each full collection, and the short-lived dicts, Docs and spans of a run
trigger collections often: measured, ~12 % of a 1000-story run (docs/PERFORMANCE.md).
So a worker collects less often and, once its long-lived structures are built, exempts
them from the search for reference cycles (``gc.freeze``). Reference counting frees every
object exactly as before; only objects in reference cycles wait a little longer.
"""
from __future__ import annotations

import gc
import threading

from transforms.nlp import load_model
from transforms.resolution.geo import load_gazetteer

# A young-generation collection after 100,000 net new container objects instead of 700;
# older generations after 50 and 100 of those (defaults 10 and 10).
GC_THRESHOLDS = (100_000, 50, 100)

_lock = threading.Lock()


def prepare(model_name: str | None):
    """The spaCy pipeline for ``model_name``, with the gazetteer built and the heap settled."""
    with _lock:
        if gc.get_threshold()[0] < GC_THRESHOLDS[0]:
            gc.set_threshold(*GC_THRESHOLDS)
        nlp = load_model(model_name)
        load_gazetteer()
        gc.freeze()
        return nlp
