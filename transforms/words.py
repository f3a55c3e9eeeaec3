"""Whole-word search in plain text, without compiling a regular expression per word.

A pattern built per name (``\\b`` + name + ``\\b``) costs a compile each time and pushes
the fixed patterns out of ``re``'s cache of 512; the candidate filter and the actor table
look up a few names in every article.
"""
from __future__ import annotations


def _word_char(char: str) -> bool:
    """What ``\\w`` matches in a ``str`` pattern: a letter, a digit or an underscore."""
    return char.isalnum() or char == "_"


def find_word(text: str, word: str) -> int:
    """Offset of the first occurrence of ``word`` in ``text`` with no word character right
    before or after it (as ``(?<!\\w)word(?!\\w)`` finds it), or -1."""
    at = text.find(word) if word else -1
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not _word_char(text[at - 1])) and (end == len(text) or not _word_char(text[end])):
            return at
        at = text.find(word, at + 1)
    return -1
