"""docs/TUTORIAL.md's pandas, polars and pyarrow snippets run as written on an `extract` of the
examples, on the flat layout (`events/part-*.parquet`) and on Hive partitions
(`events/event_month=YYYY-MM/...`), and the glob the tutorial warns about does fail.

Needs the [analysis] extra (pandas, polars); skipped without it.
"""
from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

pd = pytest.importorskip("pandas", reason="pandas is not installed (pip install -e '.[analysis]')")
pl = pytest.importorskip("polars", reason="polars is not installed (pip install -e '.[analysis]')")

TUTORIAL = ROOT / "docs" / "TUTORIAL.md"


def tutorial_snippets() -> list[str]:
    """The python blocks of the tutorial's "pandas and polars" section, in order."""
    text = TUTORIAL.read_text(encoding="utf-8")
    section = text[text.index("### pandas and polars"):]
    section = section[:section.index("Column meanings")]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


@pytest.fixture(scope="module")
def example_run(tmp_path_factory) -> Path:
    """`newsevents extract` of the examples into <tmp>/out/example, the tutorial's folder."""
    from pipelines.extract import run

    root = tmp_path_factory.mktemp("tutorial")
    run(["--input", str(EXAMPLES / "*.jsonl"), str(EXAMPLES / "*.txt"),
         "--output", str(root / "out" / "example"), "--runner=FnApiRunner"])
    return root


def _hive_copy(flat: Path, root: Path) -> Path:
    """The same output with each table's files moved one folder down, as Hive partitions are."""
    shutil.copytree(flat, root / "out", dirs_exist_ok=True)
    for table in (root / "out" / "example" / "parquet").iterdir():
        partition = table / ("event_month=2022-05" if table.name == "events" else "published_month=2022-05")
        partition.mkdir()
        for part in list(table.glob("*.parquet")):
            part.rename(partition / part.name)
    return root


def _run(snippet: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(snippet, str(TUTORIAL), "exec"), {})
    return out.getvalue()


def _events_per_type(root: Path) -> dict[str, int]:
    import pyarrow.parquet as pq

    files = sorted((root / "out" / "example" / "parquet" / "events").rglob("*.parquet"))
    return pq.ParquetDataset(files).read(columns=["event_type"]).to_pandas()["event_type"].value_counts().to_dict()


def test_the_tutorial_shows_pandas_polars_and_pyarrow():
    snippets = tutorial_snippets()
    assert len(snippets) == 3
    assert "pd.read_parquet(\"out/example/parquet/events\")" in snippets[0]
    assert "pl.scan_parquet(\"out/example/parquet/events/**/*.parquet\", hive_partitioning=True)" in snippets[1]
    assert "ds.dataset(\"out/example/parquet/events\"" in snippets[2]


@pytest.mark.parametrize("layout", ["flat", "hive"])
def test_tutorial_snippets_run_on_an_extract_of_the_examples(example_run, tmp_path, monkeypatch, layout):
    root = example_run if layout == "flat" else _hive_copy(example_run / "out", tmp_path)
    expected = _events_per_type(root)
    assert sum(expected.values()) > 0
    monkeypatch.chdir(root)
    for snippet in tutorial_snippets():
        printed = _run(snippet)
        for event_type, n in expected.items():  # every snippet prints the count of each type
            assert re.search(rf"{event_type}\W+{n}\b", printed), (snippet, printed)


def test_a_glob_is_no_path_for_pandas(example_run, monkeypatch):
    """What the tutorial says: pandas takes the pattern for a file name."""
    monkeypatch.chdir(example_run)
    with pytest.raises(FileNotFoundError):
        pd.read_parquet("out/example/parquet/events/*.parquet")


def test_the_analysis_extra_names_pandas_and_polars():
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert {re.split(r"[<>=]", r)[0] for r in extras["analysis"]} == {"pandas", "polars"}
    assert "newsevents[analysis]" in extras["test"]
