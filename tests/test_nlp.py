import pytest

from transforms.nlp import ModelNotInstalled, installed_model_meta, load_model, model_label


def test_missing_model_names_the_install_command():
    with pytest.raises(ModelNotInstalled, match=r"python -m spacy download no_such_model_xx") as raised:
        load_model("no_such_model_xx")
    assert "No English" not in str(raised.value)  # an English model is installed: only the named one is missing


def test_auto_loads_an_english_pipeline_once(nlp):
    assert load_model() is nlp
    assert {"parser", "ner", "lemmatizer"} <= set(nlp.pipe_names)
    assert model_label(nlp.meta).startswith("en_core_web_sm")


def test_the_launcher_reads_the_label_without_loading():
    assert installed_model_meta()["name"].startswith("core_web_sm")
    with pytest.raises(ModelNotInstalled, match="'no_such_model_xx' is not installed"):
        installed_model_meta("no_such_model_xx")


def test_a_worker_builds_its_long_lived_structures_then_settles_the_heap(nlp):
    import gc

    from transforms import worker
    from transforms.resolution import geo

    assert worker.prepare(None) is nlp  # the process cache: one model per worker
    assert geo._index.cache_info().currsize == 1  # the gazetteer is built before the first article
    assert gc.get_threshold()[0] >= worker.GC_THRESHOLDS[0]
    assert gc.get_freeze_count() > 0  # model and gazetteer left out of cycle searches


def test_a_pipeline_folder_loads_by_path_with_or_without_an_ner(tmp_path, nlp):
    import spacy

    from transforms.nlp_speedups import SteppedEntityRecognizer

    nlp.to_disk(tmp_path / "full")  # saved from load_model: its NER factory is the stand-in's
    loaded = load_model(str(tmp_path / "full"))
    assert isinstance(loaded.get_pipe("ner"), SteppedEntityRecognizer)
    assert [(e.text, e.label_) for e in loaded("Angela Merkel flew to Paris.").ents] == \
        [(e.text, e.label_) for e in nlp("Angela Merkel flew to Paris.").ents]
    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    blank.to_disk(tmp_path / "blank")
    assert load_model(str(tmp_path / "blank")).pipe_names == ["sentencizer"]
