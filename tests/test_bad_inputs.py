"""Bad input of many kinds: no crash, exact reconciliation, every file gives what it must."""
from __future__ import annotations

from collections import Counter

import pyarrow.parquet as pq
import pytest

from pipelines.extract import exit_code, run
from tests.bad_inputs import CASES, MAX_ARTICLE_BYTES, write_cases

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    inputs = tmp_path_factory.mktemp("bad")
    write_cases(inputs)
    out = tmp_path_factory.mktemp("out")
    summary = run(["--input", str(inputs / "*"), "--output", str(out),
                   "--max-article-bytes", str(MAX_ARTICLE_BYTES), "--strict"])
    articles = pq.read_table(out / "parquet" / "articles").to_pylist()
    dead = pq.read_table(out / "parquet" / "dead_letters").to_pylist()
    return summary, articles, dead


def test_there_are_at_least_thirty_kinds():
    assert len(CASES) >= 30
    assert len({name for name, _data, _expected in CASES}) == len(CASES)


def test_exact_reconciliation_and_strict_exit(outcome):
    summary, articles, dead = outcome
    assert summary["inputs"] == len(articles) + len(dead) == summary["articles"] + summary["dead_letters"]
    assert summary["dead_letters"] > 0 and exit_code(summary) == 1  # --strict
    assert exit_code({**summary, "strict": False}) == 0


@pytest.mark.parametrize("name, expected", [(name, expected) for name, _data, expected in CASES])
def test_each_kind_gives_what_it_must(outcome, name, expected):
    _summary, articles, dead = outcome
    mine = [a for a in articles if a["source_file"].endswith("/" + name)]
    status = Counter("ok" if a["status"] == "ok" else "skipped" for a in mine)
    dead_here = [d for d in dead if (d["source_file"] or "").endswith("/" + name)]
    assert status["ok"] == expected.get("articles", 0)
    assert status["skipped"] == expected.get("skipped", 0)
    assert len(dead_here) == expected.get("dead", 0), [d["error"] for d in dead_here]
    for row in dead_here:
        assert row["error"] and row["stage"] in {"read", "parse"}
    if "flag" in expected:
        assert all(expected["flag"] in a["flags"] for a in mine if a["status"] == "ok")


def test_skipped_articles_say_why_and_have_no_events(outcome):
    _summary, articles, _dead = outcome
    skipped = {a["article_id"]: a for a in articles if a["status"] != "ok"}
    assert "detected 'de'" in skipped["de1"]["status"] and skipped["de1"]["n_events"] == 0
    assert "declared 'fr'" in skipped["fr1"]["status"]


def test_cleaned_text_is_what_is_stored(outcome):
    _summary, articles, _dead = outcome
    by_id = {a["article_id"]: a for a in articles}
    assert "<p>" not in by_id["h1"]["text"] and "var x" not in by_id["h1"]["text"]
    assert len(by_id["big"]["text"].encode()) <= MAX_ARTICLE_BYTES
    assert "\ufffd" in by_id["s1"]["text"] and "\ufffd" in by_id["u1"]["text"]
