"""Two runs over the same input give identical event and article rows.

``processed_at`` is the time of the run by design and is the one column left out.
"""
from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from pipelines.extract import run

pytestmark = [pytest.mark.shared, pytest.mark.slow]


def _rows(out, table, key):
    rows = pq.read_table(out / "parquet" / table).to_pylist()
    for row in rows:
        row.pop("processed_at")
    return sorted(rows, key=lambda r: r[key])


def test_two_runs_over_dev_are_identical(shared_data, tmp_path):
    outputs = []
    for name, extra in (("first", []), ("second", ["--direct_num_workers=2", "--direct_running_mode=multi_threading"])):
        out = tmp_path / name
        run(["--input", str(shared_data / "dev" / "articles.jsonl"), "--output", str(out), *extra])
        outputs.append(out)
    first, second = outputs
    events = _rows(first, "events", "record_id")
    assert events, "the dev set must give events"
    assert events == _rows(second, "events", "record_id")
    assert _rows(first, "articles", "article_id") == _rows(second, "articles", "article_id")
