"""A CLI that feels finished: --version, info, every --help with defaults and Beam options,
unknown options as usage errors (Beam's own pass), and the warning after a run that turned
most inputs into dead letters."""
from __future__ import annotations

import hashlib
import re
from importlib import metadata

import pytest

from pipelines import progress
from pipelines.cli import main
from pipelines.extract import UsageError, check_argv
from transforms.extraction.decision import load_model
from transforms.lexicon import LEXICON_DIR

from .conftest import EXAMPLES


def test_version_names_newsevents_beam_and_spacy(capsys):
    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"newsevents {metadata.version('newsevents')} (")
    assert f"apache-beam {metadata.version('apache-beam')}" in out and f"spacy {metadata.version('spacy')}" in out


def test_info_lists_versions_models_and_lexicon_checksums_without_loading_a_model(capsys, monkeypatch):
    import apache_beam
    import spacy

    def refuse(*_args, **_kwargs):
        raise AssertionError("info must not load a spaCy model or build a pipeline")

    monkeypatch.setattr(spacy, "load", refuse)
    monkeypatch.setattr(apache_beam, "Pipeline", refuse)
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    for library in ("apache-beam", "spacy", "pyarrow", "duckdb", "fastavro"):
        assert re.search(rf"^{library} +{re.escape(metadata.version(library))}$", out, re.MULTILINE), library
    assert re.search(r"^spaCy model +en_core_web_sm\w* \d+\.\d+\.\d+", out, re.MULTILINE)
    assert load_model().version in out and "MODEL_CARD.md: Trained" in out
    for lexicon in LEXICON_DIR.glob("*.yaml"):
        digest = hashlib.sha256(lexicon.read_bytes()).hexdigest()[:12]
        assert re.search(rf"^lexicon {lexicon.stem} +sha256 {digest}$", out, re.MULTILINE)


def test_info_names_a_missing_spacy_model(capsys):
    assert main(["info", "--spacy-model", "xx_no_such_model"]) == 0
    assert re.search(r"^spaCy model +not installed: spaCy model 'xx_no_such_model'", capsys.readouterr().out,
                     re.MULTILINE)


def _help(command: str, capsys) -> str:
    try:
        assert main([command, "--help"]) == 0
    except SystemExit as exc:  # argparse-based commands exit after printing help
        assert exc.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command, defaults", [
    ("extract", ["(default: parquet,avro)", "(default: auto)", "(default: text)", "(default: published_at)",
                 "(default: 10.0)"]),
    ("stream", ["(default: 3600)", "(default: 86400)", "(default: 60)", "(default: parquet,avro)"]),
    ("evaluate", ["(default: 0)"]),
    ("train", ["(default: 0)"]),
    ("report", ["(default: report.html)", "(default: 500)"]),
    ("query", ["(default: table)", "(default: 60)", "(default: 100)"]),
])
def test_every_help_works_and_shows_defaults(command, defaults, capsys):
    text = " ".join(_help(command, capsys).split())  # argparse wraps lines
    assert text.startswith(f"usage: newsevents {command}")
    for default in defaults:
        assert default in text, default
    assert "(default: None)" not in text and "(default: False)" not in text and "(default: True)" not in text


@pytest.mark.parametrize("command", ["extract", "stream"])
def test_extract_and_stream_help_list_beam_options_as_such(command, capsys):
    text = _help(command, capsys)
    assert "Beam options: any Apache Beam pipeline option passes through" in text
    for option in ("--runner", "--direct_num_workers", "--project", "--region", "--temp_location"):
        assert option in text.split("Beam options:")[1], option
    if command == "stream":
        assert "--window-seconds" in text and "--source" in text


@pytest.mark.parametrize("command", ["extract", "stream"])
def test_a_misspelt_option_exits_2_with_one_line_naming_the_option_meant(command, tmp_path, capsys):
    code = main([command, "--input", str(EXAMPLES / "*.jsonl"), "--output", str(tmp_path / "out"),
                 "--runer", "X"])
    assert code == 2
    assert capsys.readouterr().err == f"newsevents {command}: unknown option --runer; did you mean --runner?\n"
    assert not (tmp_path / "out").exists()


def test_beam_options_of_every_options_class_pass_the_check():
    check_argv(["--input", "a.jsonl", "--output", "o", "--text-field", "body", "--runner=FlinkRunner",
                "--flink_master", "localhost:8081", "--environment_type=LOOPBACK", "--project", "p",
                "--region", "europe-west1", "--temp_location", "gs://b/tmp", "--direct_num_workers", "2",
                "--direct_running_mode", "multi_processing", "--experiments", "use_runner_v2",
                "--spark_master_url", "local[2]", "--prism_location", "/bin/prism", "--streaming",
                "--save_main_session", "--sdk_container_image", "img:1"])


@pytest.mark.parametrize("argv, message", [
    (["--no-such-option"], "unknown option --no-such-option (see newsevents extract --help)"),
    (["--runnr=DataflowRunner"], "unknown option --runnr; did you mean --runner?"),
    (["--max-article-bytes", "lots"], "argument --max-article-bytes: invalid int value: 'lots'"),
])
def test_unknown_options_and_bad_values_are_usage_errors(argv, message):
    with pytest.raises(UsageError) as caught:
        check_argv(["--output", "o", *argv])
    assert str(caught.value) == message


def test_a_stray_word_is_named():
    with pytest.raises(UsageError, match="unexpected argument 'stray'"):
        check_argv(["stray", "--output", "o"])


def test_a_mostly_dead_run_warns_with_the_most_frequent_cause():
    hint = "missing required field 'text' (a string); the record's fields are body, title: try --text-field body"
    causes = {progress.dead_letter_cause(f'ArticleError("{hint}")'): 9, "invalid JSON: Expecting value at column N": 1}
    summary = {"inputs": 10, "articles": 0, "dead_letters": 10, "dead_letter_causes": causes}
    warning = progress.dead_letter_warning(summary, 0.5)
    assert warning.splitlines() == [
        "newsevents extract: warning: 10 of 10 inputs (100.0%) became dead letters (exit 0 unless --strict)",
        f"  most frequent cause (9): ArticleError: {hint}"]
    assert progress.dead_letter_warning({**summary, "articles": 5, "dead_letters": 5}, 0.5) is None
    assert progress.dead_letter_warning({"inputs": 0, "dead_letters": 0}, 0.5) is None


def test_a_cause_drops_what_varies_from_row_to_row():
    assert progress.dead_letter_cause("line 12 is 9,000,000 bytes") == "line N is N,N,N bytes"
    assert progress.dead_letter_cause("ArticleError('invalid JSON: x at column 7')") == \
        "ArticleError: invalid JSON: x at column N"
