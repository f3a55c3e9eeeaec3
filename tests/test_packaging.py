"""The sdist that Beam's --setup_file builds for the workers carries the schemas and lexicons.

Builds the sdist exactly as Beam 2.77 does on job submission
(``Stager._build_setup_package``: ``python -m build --sdist --no-isolation`` when `build` is
installed, else ``python setup.py sdist`` through the setup.py shim), from a copy of the
checkout in a temporary folder, and lists the archive. Nothing is installed or downloaded.
"""
from __future__ import annotations

import shutil
import tarfile
import tomllib

import pytest

from tests.conftest import ROOT

IGNORE = shutil.ignore_patterns(".git", ".venv", "out", "build", "dist", "*.egg-info", "__pycache__",
                                ".hypothesis", ".pytest_cache", "*.pyc")


@pytest.fixture(scope="module")
def sdist_names(tmp_path_factory) -> list[str]:
    from apache_beam.runners.portability.stager import Stager

    checkout = tmp_path_factory.mktemp("checkout") / "newsevents"
    shutil.copytree(ROOT, checkout, ignore=IGNORE)
    dist = tmp_path_factory.mktemp("dist")
    tarball = Stager._build_setup_package(str(checkout / "setup.py"), str(dist))
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    top = names[0].split("/")[0]
    return [name.removeprefix(top + "/") for name in names]


def test_setup_py_is_a_shim_over_pyproject():
    source = (ROOT / "setup.py").read_text()
    code = [line for line in source.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert "setup()" in source and "from setuptools import setup" in source
    assert not any("setup(" in line and line.strip() != "setup()" for line in code), \
        "setup.py must not repeat metadata: pyproject.toml is the only definition"


def test_sdist_carries_every_schema_and_lexicon(sdist_names):
    schemas = sorted(f"schemas/{p.name}" for p in (ROOT / "schemas").glob("*.avsc"))
    lexicons = sorted(f"transforms/lexicons/{p.name}" for p in (ROOT / "transforms" / "lexicons").glob("*.yaml"))
    assert len(schemas) >= 3 and lexicons
    assert [n for n in schemas if n not in sdist_names] == []
    assert [n for n in lexicons if n not in sdist_names] == []


def test_sdist_carries_the_packages_and_metadata(sdist_names):
    for name in ("pyproject.toml", "setup.py", "PKG-INFO", "pipelines/cli.py", "pipelines/extract.py",
                 "transforms/steps/normalise.py", "schemas/__init__.py"):
        assert name in sdist_names
    assert not [n for n in sdist_names if n.startswith(("tests/", "deploy/", ".venv/"))]


def test_package_data_declares_the_same_files():
    """Wheels and installs from the sdist take package data from pyproject, not MANIFEST.in."""
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "*.avsc" in package_data["schemas"]
    assert "lexicons/*.yaml" in package_data["transforms"]
