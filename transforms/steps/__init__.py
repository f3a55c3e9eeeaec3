"""The Beam steps of the extraction flow: thin composite PTransforms over the pure code of
transforms/, each failing element one `dead_letters` row (steps/dead_letters.py)."""
