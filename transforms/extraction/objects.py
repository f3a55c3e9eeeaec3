"""What was signed or opened: the object noun phrase, kept short."""
from __future__ import annotations

MODIFIER_DEPS = ("compound", "amod", "nummod", "quantmod", "nmod", "npadvmod", "hmod", "hyph")
MAX_TOKENS = 12


def object_text(noun) -> str | None:
    """ "memorandum of understanding on energy", "8.5 mln dlr pharmaceutical manufacturing plant"."""
    if noun is None:
        return None
    keep = {noun.i}
    for child in noun.children:
        if child.dep_ in MODIFIER_DEPS and child.i < noun.i:
            keep.update(t.i for t in child.subtree)
        if child.dep_ == "prep" and child.lower_ in ("of", "on") and child.i > noun.i:
            keep.update(t.i for t in child.subtree)
    start, end = min(keep), max(keep) + 1
    end = min(end, start + MAX_TOKENS)
    span = noun.doc[start:end]
    text = span.text.strip(" ,")
    return text[2:] if text.lower().startswith("a ") else text
