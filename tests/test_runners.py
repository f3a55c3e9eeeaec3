"""The dev set through other Beam runners gives the same tables as the local FnApiRunner.

* PortableRunner against Beam's embedded job service (``--job_endpoint=embed``): in Beam
  2.77 this is the pure-Python ``local_job_service.LocalJobServicer`` — no Java job server,
  no download — with the SDK harness in this process (``--environment_type=LOOPBACK``).
  It goes through the whole portable path a cluster uses (pipeline proto, artifact staging,
  job service, Fn API), so it is the offline stand-in for Flink and Dataflow.
* FnApiRunner in multi-process mode (``--direct_num_workers=2
  --direct_running_mode=multi_processing``): every DoFn is pickled into separate worker
  processes, as on a cluster.

Event rows must be equal (without ``processed_at``, which is the run's wall clock), sorted by
record_id; the article rows and the summary counts (metrics) too.
"""
from __future__ import annotations

import json
import os

import pyarrow.parquet as pq
import pytest

from pipelines.extract import run
from tests.conftest import ROOT

pytestmark = [pytest.mark.shared, pytest.mark.slow]

PORTABLE = ["--runner=PortableRunner", "--job_endpoint=embed", "--environment_type=LOOPBACK"]
MULTI_PROCESS = ["--direct_num_workers=2", "--direct_running_mode=multi_processing"]
COUNTS = ("inputs", "articles", "dead_letters", "events", "events_by_type", "distinct_events")


def _rows(out, table: str) -> list[dict]:
    rows = pq.read_table(out / "parquet" / table).to_pylist()
    for row in rows:
        row.pop("processed_at", None)
    return sorted(rows, key=lambda r: (r.get("record_id") or "", json.dumps(r, sort_keys=True, default=str)))


def _run(dev_articles, out, extra: list[str]) -> dict:
    # Worker processes (multi-processing mode) import `pipelines` and `transforms` afresh:
    # make the checkout importable for them however pytest itself found it.
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", path)
        summary = run(["--input", str(dev_articles), "--output", str(out), "--formats", "parquet",
                       "--spacy-model", "auto", *extra])
    return {key: summary[key] for key in COUNTS}


@pytest.fixture(scope="module")
def dev_articles(shared_data):
    return shared_data / "dev" / "articles.jsonl"


@pytest.fixture(scope="module")
def reference(dev_articles, tmp_path_factory):
    out = tmp_path_factory.mktemp("fnapi")
    summary = _run(dev_articles, out, [])
    events = _rows(out, "events")
    assert summary["articles"] == 50 and events, "the dev set should give 50 articles and some events"
    return summary, events, _rows(out, "articles")


@pytest.mark.parametrize("runner_args", [PORTABLE, MULTI_PROCESS], ids=["portable-embed-loopback",
                                                                         "fnapi-multi-processing"])
def test_runner_gives_the_fnapi_tables(runner_args, reference, dev_articles, tmp_path):
    summary, events, articles = reference
    out = tmp_path / "out"
    assert _run(dev_articles, out, runner_args) == summary
    other_events = _rows(out, "events")
    assert [r["record_id"] for r in other_events] == [r["record_id"] for r in events]
    assert _differences(events, other_events) == []
    assert _differences(articles, _rows(out, "articles")) == []


def _differences(expected: list[dict], got: list[dict]) -> list[str]:
    """'<row id> <field path>: <expected> != <got>' for every differing leaf (readable failures).

    Note: the worker processes import the code afresh, so editing transforms/ while this
    module runs makes the runs differ; rerun on a quiet tree before suspecting a runner.
    """
    found: list[str] = []

    def walk(a, b, path):
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b)):
                walk(a.get(key), b.get(key), f"{path}.{key}")
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b)):
                walk(x, y, f"{path}[{i}]")
        elif a != b:
            found.append(f"{path}: {a!r:.120} != {b!r:.120}")

    for a, b in zip(expected, got):
        walk(a, b, a.get("record_id") or a.get("article_id") or "?")
    if len(expected) != len(got):
        found.append(f"row count {len(expected)} != {len(got)}")
    return found
