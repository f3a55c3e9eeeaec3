"""Whole-word search (transforms/words.py) finds what the regular expression it replaces finds."""
from __future__ import annotations

import re

import pytest

from transforms.words import find_word


@pytest.mark.parametrize("text, word", [
    ("Mikulic met Kohl. Mikulic left.", "Mikulic"), ("XMikulic Mikulic", "Mikulic"), ("Mikulic_x", "Mikulic"),
    ("U.S. and USSR", "US"), ("the BUE, BUE's", "BUE"), ("Café Bonn", "Bonn"), ("éBonn Bonn2 Bonn", "Bonn"),
    ("", "Bonn"), ("Bonn", ""), ("SAUDI ARABIA'S KING FAHD", "KING FAHD"), ("Bonn", "Bonn"), ("x\u00b2Bonn", "Bonn"),
])
def test_find_word_agrees_with_the_regular_expression(text, word):
    match = re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text) if word else None
    assert find_word(text, word) == (match.start() if match else -1)
