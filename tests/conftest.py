"""Shared fixtures: the repository root, ../shared (skipped when absent), the spaCy model."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


def pytest_configure(config):
    """The tests' cache files (transforms/filecache.py) go to a fresh folder, not the user's."""
    os.environ["NEWSEVENTS_CACHE_DIR"] = tempfile.mkdtemp(prefix="newsevents-test-cache-")


def pytest_unconfigure(config):
    shutil.rmtree(os.environ.pop("NEWSEVENTS_CACHE_DIR", ""), ignore_errors=True)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data, or a skip that says why (a user's fresh clone has no ../shared)."""
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"{data} is absent: the measured tests need ../shared beside the checkout (CI has it)")
    return data


@pytest.fixture(scope="session")
def example_texts() -> list[str]:
    """The article texts of examples/ (JSONL lines and story files), for equivalence checks."""
    texts = [json.loads(line)["text"] for path in sorted(EXAMPLES.glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts + [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.txt"))]


@pytest.fixture(scope="session")
def nlp():
    from transforms.nlp import load_model

    return load_model()


@pytest.fixture(scope="session")
def dev_output(shared_data, tmp_path_factory) -> Path:
    """The dev set and the seed story run through the real pipeline once per test session."""
    from pipelines.extract import run

    out = tmp_path_factory.mktemp("dev_output")
    run(["--input", str(shared_data / "dev" / "articles.jsonl"),
         str(shared_data / "seed" / "khamenei_rahmon_2022-05-31.txt"), "--output", str(out)])
    return out
