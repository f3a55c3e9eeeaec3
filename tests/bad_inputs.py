"""A corpus of bad inputs, one file per kind, with what each must become.

Each case: (file name, bytes, expected) where expected counts the rows the file must give:
``articles`` (status ok), ``skipped`` (articles rows not sent to the model), ``dead``
(dead letters) and optionally ``flag`` (a flag every ok article of the file carries).
The texts are written here; nothing comes from ../shared.
"""
from __future__ import annotations

import gzip
import json

PROSE = ("The foreign ministers of Chile and Norway met in Oslo on Monday and signed "
         "an agreement on fisheries research, officials said.")
GERMAN = ("Die Aussenminister von Chile und Norwegen trafen sich am Montag in Oslo und "
          "unterzeichneten ein Abkommen ueber die Fischereiforschung, sagten Beamte.")


def _line(**fields) -> bytes:
    return (json.dumps({"id": fields.pop("id", "x"), **fields}) + "\n").encode()


def _gz(data: bytes) -> bytes:
    return gzip.compress(data)


_whole = _gz(_line(id="gz-1", text=PROSE) + _line(id="gz-2", text=PROSE) + _line(id="gz-3", text=PROSE))
MAX_ARTICLE_BYTES = 5_000

CASES = [
    ("invalid_json.jsonl", b"{not json\n", {"dead": 1}),
    ("json_array.jsonl", b"[1, 2, 3]\n", {"dead": 1}),
    ("json_string.jsonl", b'"just a string"\n', {"dead": 1}),
    ("json_number.jsonl", b"42\n", {"dead": 1}),
    ("json_null.jsonl", b"null\n", {"dead": 1}),
    ("missing_text.jsonl", _line(title="no body"), {"dead": 1}),
    ("text_number.jsonl", _line(text=12345), {"dead": 1}),
    ("text_null.jsonl", _line(text=None), {"dead": 1}),
    ("text_empty.jsonl", _line(text=""), {"dead": 1}),
    ("text_whitespace.jsonl", _line(text=" \n\t "), {"dead": 1}),
    ("bad_timestamp.jsonl", _line(text=PROSE, published_at="the day after"), {"dead": 1}),
    ("timestamp_number.jsonl", _line(text=PROSE, published_at=20250101), {"dead": 1}),
    ("nested_too_deep.jsonl", b"[" * 100_000 + b"]" * 100_000 + b"\n", {"dead": 1}),
    ("nul_bytes.jsonl", b'{"text": "abc\x00def"}\n', {"dead": 1}),
    ("binary_noise.jsonl", bytes(range(14, 32)) * 40 + b"\n", {"dead": 1}),
    ("escaped_control_chars.jsonl", _line(text="\u0001\u0002\u0003\u0004" * 50), {"dead": 1}),
    ("invalid_utf8.jsonl", b'{"id": "u1", "text": "Caf\xe9 owners met the mayor of Lyon on Friday."}\n',
     {"articles": 1, "flag": "invalid_utf8"}),
    ("lone_surrogate.jsonl", b'{"id": "s1", "text": "The leaders \\ud800 met in Rome."}\n',
     {"articles": 1, "flag": "invalid_unicode"}),
    ("byte_order_mark.jsonl", b"\xef\xbb\xbf" + _line(id="bom", text=PROSE), {"articles": 1}),
    ("crlf_lines.jsonl", _line(id="c1", text=PROSE).replace(b"\n", b"\r\n") * 1, {"articles": 1}),
    ("html_markup.jsonl", _line(id="h1", text="<html><body><p>" + PROSE + "</p><script>var x = 1;</script></body></html>"),
     {"articles": 1, "flag": "html_stripped"}),
    ("html_only_script.jsonl", _line(text="<script>alert('x')</script><style>p {}</style>"), {"dead": 1}),
    ("oversized.jsonl", _line(id="big", text=(PROSE + " ") * 200), {"articles": 1, "flag": f"truncated_to_{MAX_ARTICLE_BYTES}_bytes"}),
    ("german.jsonl", _line(id="de1", text=GERMAN), {"skipped": 1}),
    ("declared_french.jsonl", _line(id="fr1", text=PROSE, language="fr"), {"skipped": 1}),
    ("blank_lines_only.jsonl", b"\n\n   \n", {}),
    ("empty_file.jsonl", b"", {}),
    ("truncated.jsonl.gz", _whole[: len(_whole) - 12], {"articles": 2, "dead": 1}),
    ("not_really.jsonl.gz", _line(id="plain", text=PROSE), {"dead": 1}),
    ("unsupported.csv", b"id,text\n1,hello\n", {"dead": 1}),
    ("empty_story.txt", b"", {"dead": 1}),
    ("header_only_story.txt", b"Tuesday 4 March 2025 - 08:05\n\nA Headline\n\nStory Code : 1\nA Headline\n", {"dead": 1}),
    ("bad_publication_line.txt", b"Tuesday 31 Foo 2025 - 08:05\n\nHeadline\n\nStory Code : 2\nHeadline\n" + PROSE.encode(),
     {"dead": 1}),
    ("binary_story.txt", bytes(range(256)) * 8, {"dead": 1}),
    ("mixed_good_and_bad.jsonl", _line(id="m1", text=PROSE) + b"{oops\n" + _line(id="m2", text=PROSE),
     {"articles": 2, "dead": 1}),
    ("wrong_field_types.jsonl", _line(id="w1", text=PROSE, title={"nested": True}, url=["a"]), {"articles": 1}),
    ("punctuation_only.jsonl", _line(id="p1", text="... --- !!! ???"), {"articles": 1}),
    ("one_long_word.jsonl", _line(id="lw", text="x" * 4000), {"articles": 1}),
    ("utf16_with_bom.jsonl", _line(id="w16", text=PROSE).decode().encode("utf-16"), {"articles": 1}),
    ("nul_padded_end.jsonl", _line(id="np", text=PROSE) + b"\x00" * 64, {"articles": 1}),
    ("id_object.jsonl", _line(id={"nested": ["obj"]}, text=PROSE), {"dead": 1}),
    ("id_boolean.jsonl", _line(id=True, text=PROSE), {"dead": 1}),
]


def write_cases(folder) -> None:
    for name, data, _expected in CASES:
        (folder / name).write_bytes(data)
