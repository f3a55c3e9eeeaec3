"""Event identity measured on 25 groups of differently worded reports (tests/fixtures, written for it)."""
from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from pipelines.evaluate import read_output
from pipelines.extract import run
from tests.conftest import ROOT
from transforms.evaluation import identity_scores

pytestmark = pytest.mark.slow
REPORTS = ROOT / "tests" / "fixtures" / "identity_reports.jsonl"


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    out = tmp_path_factory.mktemp("identity")
    run(["--input", str(REPORTS), "--output", str(out), "--formats", "parquet"])
    return out


def test_pairwise_identity_f1_at_least_085(output):
    reports = [json.loads(line) for line in REPORTS.read_text(encoding="utf-8").splitlines()]
    scores = identity_scores(reports, read_output(output))
    assert scores["groups"] >= 20
    assert scores["f1"] >= 0.85, scores


def test_syndicated_copies_point_at_their_original(output):
    reports = {r["id"]: r for r in map(json.loads, REPORTS.read_text(encoding="utf-8").splitlines())}
    marked = {row["article_id"]: row["duplicate_of"] for row in pq.read_table(output / "parquet" / "articles").to_pylist()
              if row["duplicate_of"]}
    assert marked, "the fixture holds near-copies"
    for copy, original in marked.items():
        assert reports[copy]["group"] == reports[original]["group"] and original < copy
