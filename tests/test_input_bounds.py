"""Every input kind read with bounded memory and time, nothing lost silently (issue 18).

The reader (transforms/steps/files.py) is tested on its own where the old behaviour would take
minutes or hang (a huge line, a gzip bomb, a FIFO); one pipeline run over a folder of all the
attacks checks that each gives what it must and that the counts reconcile.
"""
from __future__ import annotations

import gzip
import io
import itertools
import json
import os
import subprocess
import sys
import threading
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from apache_beam.io.filesystems import FileSystems

from pipelines.extract import run
from pipelines.progress import format_summary_table
from tests.bad_inputs import PROSE
from tests.test_webinputs import fixture_pages, write_warc
from transforms.steps.files import ReadFileRecords
from transforms.ingest import webinputs
from transforms.ingest.articles import MAX_ID_CHARS, ArticleError, make_article
from transforms.ingest.formats import GZIP_MIN_CAP_BYTES, MAX_RECORD_BYTES

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime.now(timezone.utc)
SECOND = PROSE + " The talks lasted two hours, a spokesman said."  # same first event, other article


class _Readable:
    """What fileio.ReadMatches hands the reader."""

    def __init__(self, path: Path):
        self.metadata = FileSystems.match([str(path)])[0].metadata_list[0]

    def open(self, compression_type=None):
        return open(self.metadata.path, "rb")


def _read(path: Path, limit: int | None = None) -> list:
    """The reader's outputs for one file (at most ``limit`` of them)."""
    return list(itertools.islice(ReadFileRecords(NOW).process(_Readable(path)), limit))


def _line(**fields) -> bytes:
    return (json.dumps(fields) + "\n").encode()


def _gzip_bomb() -> bytes:
    """~3 KB that expand to 2 MB of two-byte lines (a million dead letters before)."""
    return gzip.compress(b"x\n" * 1_000_000, compresslevel=9)


# ---- the reader alone ------------------------------------------------------------------------

def test_a_line_over_the_bound_is_one_dead_letter_naming_line_and_size(tmp_path):
    path = tmp_path / "long.jsonl"
    long_line = b'{"id": "long", "text": "' + b"x" * (MAX_RECORD_BYTES + 10) + b'"}\n'
    path.write_bytes(_line(id="a", text=PROSE) + long_line + _line(id="b", text=PROSE))
    outputs = _read(path)
    records = [o for o in outputs if isinstance(o, dict)]
    [dead] = [o.value for o in outputs if not isinstance(o, dict)]
    assert [r["line_number"] for r in records] == [1, 3]
    assert dead["line_number"] == 2 and dead["source_file"] == str(path)
    assert f"line 2 is {len(long_line):,} bytes" in dead["error"] and f"{MAX_RECORD_BYTES:,}" in dead["error"]


def test_a_huge_line_is_skipped_without_holding_it(tmp_path):
    """A 96 MB line (old reader: held whole, then parsed; a 50 MB line peaked at 3.2 GB)."""
    path = tmp_path / "huge.jsonl"
    with open(path, "wb") as handle:
        handle.write(b'{"text": "')
        for _ in range(96):
            handle.write(b"y" * (1 << 20))
        handle.write(b'"}\n' + _line(id="after", text=PROSE))
    script = f"""
import resource, sys
from tests.test_input_bounds import _read
from pathlib import Path
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
outputs = _read(Path({str(path)!r}))
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024
print(grown, sum(isinstance(o, dict) for o in outputs), sum(not isinstance(o, dict) for o in outputs))
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    grown_mb, records, dead = map(int, done.stdout.split())
    assert (records, dead) == (1, 1)
    assert grown_mb < 48, f"peak RSS grew by {grown_mb} MB reading one 96 MB line"


def test_a_story_file_over_the_bound_is_one_dead_letter(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"word " * (MAX_RECORD_BYTES // 5 + 10))
    [dead] = _read(path)
    assert dead.tag == "dead_letters" and "story file larger than" in dead.value["error"]


def test_a_gzip_bomb_is_one_dead_letter_and_no_record(tmp_path):
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(_gzip_bomb())
    outputs = _read(path, limit=2)  # the old reader yields a million records
    [dead] = outputs
    assert dead.tag == "dead_letters" and "gzip bomb" in dead.value["error"]
    assert f"{GZIP_MIN_CAP_BYTES:,}" in dead.value["error"]


def test_an_ordinary_gzip_under_the_ratio_is_read(tmp_path):
    path = tmp_path / "fine.jsonl.gz"
    path.write_bytes(gzip.compress(b"".join(_line(id=f"g{n}", text=f"{PROSE} ({n})") for n in range(20_000))))
    records = _read(path)
    assert len(records) == 20_000 and all(isinstance(r, dict) for r in records)


def test_a_fifo_is_skipped_not_waited_for(tmp_path):
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    outputs: list = []
    reader = threading.Thread(target=lambda: outputs.extend(_read(fifo)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    try:
        assert not reader.is_alive(), "the reader blocks on the FIFO"
        [dead] = outputs
        assert "not a regular file" in dead.value["error"]
    finally:
        try:  # release a reader blocked in open()
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-le"])
def test_utf16_and_utf32_files_are_read_by_their_byte_order_mark(tmp_path, encoding):
    text = json.dumps({"id": "u16", "text": "Café owners met the mayor of Lyon."}, ensure_ascii=False) + "\n"
    bom = "\ufeff" if encoding.endswith(("-be", "-le")) else ""  # plain utf-16/32 write their own
    path = tmp_path / "wide.jsonl"
    path.write_bytes((bom + text * 2).encode(encoding))
    records = _read(path)
    assert [json.loads(r["raw"].decode("utf-8"))["text"] for r in records] == ["Café owners met the mayor of Lyon."] * 2


def test_nul_padding_at_the_end_of_a_file_is_no_record(tmp_path):
    path = tmp_path / "padded.jsonl"
    path.write_bytes(_line(id="p", text=PROSE) + b"\x00" * 16)
    assert [r["line_number"] for r in _read(path)] == [1]
    path.write_bytes(_line(id="p", text=PROSE).rstrip(b"\n") + b"\x00\x00")
    [record] = _read(path)
    assert json.loads(record["raw"])["id"] == "p"


def _record_bounds(data: bytes) -> list[tuple[int, int]]:
    """(end of a record, start of the next): where an archive can end whole."""
    from warcio.archiveiterator import ArchiveIterator

    records = ArchiveIterator(io.BytesIO(data))
    spans = []
    for _record in records:
        records.read_to_end()
        spans.append(records.member_info)
    return [(offset + length, nxt) for (offset, length), (nxt, _) in zip(spans, spans[1:] + [(len(data), 0)])]


@pytest.mark.parametrize("gz", [True, False])
def test_a_warc_cut_anywhere_inside_a_record_raises(tmp_path, gz):
    """Old: a WARC cut in a skipped record or a header ended quietly (509 of 1,153 cut points
    of a .warc.gz, 1,637 of 4,879 of a .warc)."""
    path = tmp_path / ("a.warc.gz" if gz else "a.warc")
    write_warc(path, fixture_pages())
    data = path.read_bytes()
    whole = _record_bounds(data)
    silent = []
    for cut in range(1, len(data), 5):
        try:
            list(webinputs.warc_records(io.BytesIO(data[:cut])))
        except Exception:  # noqa: BLE001 - any error is reported as a dead letter
            continue
        if not any(end <= cut <= start for end, start in whole):
            silent.append(cut)
    assert not silent


def test_ids_must_be_strings_or_integers_of_bounded_length():
    assert make_article({"id": 42, "text": PROSE})["article_id"] == "42"
    for bad, message in (({"nested": ["obj"]}, "got dict"), (True, "got bool"), (1.5, "got float"),
                         (["a"], "got list"), ("i" * (MAX_ID_CHARS + 1), f"more than {MAX_ID_CHARS}")):
        with pytest.raises(ArticleError, match=message):
            make_article({"id": bad, "text": PROSE})


def test_the_summary_table_shows_repeated_inputs():
    table = format_summary_table({"inputs": 1, "articles": 1, "repeated_inputs": 2})
    assert "repeated input files" in table and "read once" in table


# ---- one run over every attack ------------------------------------------------------------------

ATTACKS = {
    "long_line.jsonl": (_line(id="l1", text=PROSE)
                        + b'{"id": "l2", "text": "' + b"z" * (MAX_RECORD_BYTES + 1) + b'"}\n'),
    "bomb.jsonl.gz": _gzip_bomb(),
    "wide_utf16.jsonl": ("\ufeff" + json.dumps({"id": "w16", "text": PROSE}) + "\n").encode("utf-16-le"),
    "wide_utf32.txt": ("\ufeff" + PROSE).encode("utf-32-be"),
    "padded.jsonl": _line(id="pad", text=PROSE) + b"\x00\x00\x00\x00",
    "padded_story.txt": PROSE.encode() + b"\x00" * 8,
    "ids.jsonl": b"".join([_line(id={"nested": ["obj"]}, text=PROSE), _line(id=True, text=PROSE),
                           _line(id=7, text=PROSE), _line(id="k" * 8_000, text=PROSE)]),
    "same_id.jsonl": _line(id="same", text=PROSE) + _line(id="same", text=SECOND),
}
EXPECTED = {  # file: (articles, dead letters)
    "long_line.jsonl": (1, 1), "bomb.jsonl.gz": (0, 1), "wide_utf16.jsonl": (1, 0), "wide_utf32.txt": (1, 0),
    "padded.jsonl": (1, 0), "padded_story.txt": (1, 0), "ids.jsonl": (1, 3), "same_id.jsonl": (2, 0),
    "cut.warc.gz": (1, 1), "pipe.jsonl": (0, 1),
}


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    folder = tmp_path_factory.mktemp("attacks")
    for name, data in ATTACKS.items():
        (folder / name).write_bytes(data)
    write_warc(folder / "whole.warc.gz", fixture_pages()[:2], extras=False)
    data = (folder / "whole.warc.gz").read_bytes()
    (folder / "whole.warc.gz").unlink()
    [(_end, second_start), _last] = _record_bounds(data)
    (folder / "cut.warc.gz").write_bytes(data[:second_start + 40])  # inside the second record
    os.mkfifo(folder / "pipe.jsonl")
    out = tmp_path_factory.mktemp("out")
    summary = run(["--input", str(folder / "*"), "--input", str(folder / "same_id.jsonl"),
                   "--output", str(out)])
    tables = {t: pq.read_table(out / "parquet" / t).to_pylist() for t in ("events", "articles", "dead_letters")}
    return summary, tables


@pytest.mark.slow
def test_every_attack_gives_what_it_must_and_counts_reconcile(attacked):
    summary, tables = attacked
    articles = Counter(a["source_file"].rsplit("/", 1)[-1] for a in tables["articles"])
    dead = Counter(d["source_file"].rsplit("/", 1)[-1] for d in tables["dead_letters"])
    assert {name: (articles[name], dead[name]) for name in EXPECTED} == EXPECTED
    assert summary["inputs"] == summary["articles"] + summary["dead_letters"]
    assert summary["repeated_inputs"] == 1  # same_id.jsonl given twice, read once


@pytest.mark.slow
def test_the_dead_letters_say_why(attacked):
    _summary, tables = attacked
    errors = {(d["source_file"].rsplit("/", 1)[-1], d["line_number"]): d["error"] for d in tables["dead_letters"]}
    assert "longer than" in errors[("long_line.jsonl", 2)]
    assert "gzip bomb" in errors[("bomb.jsonl.gz", None)]
    assert "truncated WARC" in errors[("cut.warc.gz", None)]
    assert "not a regular file" in errors[("pipe.jsonl", None)]
    assert "got dict" in errors[("ids.jsonl", 1)] and "got bool" in errors[("ids.jsonl", 2)]
    assert f"more than {MAX_ID_CHARS}" in errors[("ids.jsonl", 4)]
    assert {a["article_id"] for a in tables["articles"] if a["source_file"].endswith("ids.jsonl")} == {"7"}


@pytest.mark.slow
def test_two_articles_under_one_id_never_share_a_record_id(attacked):
    _summary, tables = attacked
    same = [e for e in tables["events"] if e["article"]["article_id"] == "same"]
    assert len(same) >= 2
    assert len({e["record_id"] for e in tables["events"]}) == len(tables["events"])


def test_the_line_bound_follows_max_article_bytes(tmp_path):
    """--max-article-bytes 2,000,000 reads a 10 MB line (over the default 8 MB bound) and
    --max-article-bytes 1,000 refuses a 9 KB one: the line bound is 8 times the option."""
    from transforms.ingest.formats import max_record_bytes

    path = tmp_path / "lines.jsonl"
    path.write_bytes(b'{"id": "big", "text": "' + b"y" * (10 * 1024 * 1024) + b'"}\n')
    reader = ReadFileRecords(NOW, max_record_bytes=max_record_bytes(2_000_000))
    [record] = list(reader.process(_Readable(path)))
    assert record["line_number"] == 1 and len(record["raw"]) > MAX_RECORD_BYTES
    path.write_bytes(b'{"id": "small", "text": "' + b"y" * 9000 + b'"}\n')
    [dead] = [out.value for out in ReadFileRecords(NOW, max_record_bytes=max_record_bytes(1000)).process(_Readable(path))]
    assert "longer than the 8,000 bytes" in dead["error"]
