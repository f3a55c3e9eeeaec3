"""The candidate filter before spaCy (transforms/candidates.py) and its use in the pipeline."""
from __future__ import annotations

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline as BeamPipeline
from apache_beam.testing.util import assert_that, equal_to

from transforms import candidates
from transforms.candidates import is_candidate, select, split_sentences, trigger_forms
from transforms.extraction.lexicon import load


def test_every_trigger_word_of_the_lexicon_is_looked_for():
    forms = trigger_forms()
    for event_type, classes in load("triggers").items():
        words = list(classes.get("verbs", [])) + list(classes.get("nouns", []))
        words += list((classes.get("motion_verbs") or {}).keys()) + list(classes.get("host_verbs", []))
        words += list(classes.get("partner_verbs", []))
        for word in words:
            assert word.lower() in forms, (event_type, word)


def test_inflected_and_irregular_forms():
    forms = trigger_forms()
    for form in ("met", "meets", "meeting", "visited", "visiting", "signed", "inked", "opened",
                 "inaugurated", "flew", "left", "held" if "held" in forms else "met", "conferred",
                 "ratified", "summits", "talks", "trips", "travelled", "arrives"):
        assert form in forms, form


def test_opening_words_need_their_object_and_signing_verbs_are_proposed_without():
    assert is_candidate("The two countries signed a trade agreement".split())
    assert is_candidate("He signed the cheque".split())  # loosely proposed: the decision model judges it
    assert is_candidate("The company opened a new plant".split())
    assert not is_candidate("Shares opened higher".split())
    assert not is_candidate("The Securities and Exchange Commission said its office".split())  # a name


def test_motion_verbs_need_a_destination():
    assert is_candidate("The minister left on Sunday for Moscow".split())
    assert is_candidate("Shultz flew to the Middle East".split())
    assert not is_candidate("Prices are going to rise".split())


def test_host_verbs_need_a_guest_after_them():
    assert is_candidate("Gorbachev received Soviet Foreign Minister Shevardnadze".split())
    assert is_candidate("The king welcomed a visiting trade delegation".split())
    assert is_candidate("He received the president".split())
    assert not is_candidate("The company received an unsolicited offer".split())
    assert not is_candidate("Holders will receive one share for each".split())


def test_nouns_have_plural_forms_only():
    forms = trigger_forms()
    assert {"stay", "stays", "summits", "trips"} <= forms
    assert not {"stayed", "staying", "summited", "tripped"} & forms
    assert not is_candidate("Prices stayed firm".split())


def test_irregular_forms_belong_to_trigger_verbs():
    verbs = set()
    for classes in load("triggers").values():
        verbs |= set(classes.get("verbs", [])) | set((classes.get("motion_verbs") or {})) | set(classes.get("host_verbs", []))
        verbs |= set(classes.get("partner_verbs", [])) | set(classes.get("greeting_verbs", []))
    assert set(candidates.load("candidates")["irregular"]) <= verbs


def test_a_modifier_that_makes_no_event_rules_the_noun_out():
    assert not is_candidate("He told a news conference in Madrid".split())
    assert not is_candidate("at the annual shareholders meeting".split(), "at the annual shareholders meeting")
    assert is_candidate("He told a conference in Madrid".split())
    # a possessive is no modifier: extraction may read an event there
    assert is_candidate("to hold a special shareholders' meeting".replace("'", " ").split(),
                        "to hold a special shareholders' meeting")


def test_signing_words_need_the_object_noun_not_its_preposition():
    assert is_candidate("Acme signed a letter of intent".split())
    assert not is_candidate("indicating signs of recovery".split())


def test_sentences_cover_the_text_and_respect_abbreviations():
    text = "Mr. Smith met U.S. officials on Jan. 5. The talks ended.\n    Prices rose 8.5 pct. Nothing else."
    spans = split_sentences(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    firsts = [text[a:b] for a, b in spans]
    assert firsts[0].startswith("Mr. Smith met U.S. officials on Jan. 5.")
    assert any(s.startswith("Prices rose 8.5 pct.") for s in firsts)


def test_masking_keeps_length_newlines_and_offsets():
    text = ("Acme Corp said profits rose.\nIt sold shares. Analysts were pleased. Bonds fell.\n"
            "Prices were flat. Weather was fine. Acme opened a plant in Tianjin.")
    selection = select(text)
    assert len(selection.text) == len(text)
    assert [i for i, c in enumerate(selection.text) if c == "\n"] == [i for i, c in enumerate(text) if c == "\n"]
    start = text.index("Acme opened")
    assert selection.text[start:] == text[start:]  # the candidate, at its offset
    assert selection.text.startswith("Acme Corp said profits rose.")  # the lead
    assert "Bonds fell" not in selection.text and "Weather" not in selection.text  # no pronoun to resolve
    assert selection.has_candidates and selection.kept < selection.sentences
    with_pronoun = text.replace("Acme opened a plant", "Acme said its unit opened a plant")
    assert "Weather was fine." in select(with_pronoun).text  # "its": the sentence before is kept


def test_the_sentence_introducing_a_name_is_kept():
    text = ("Trade rose. Yugoslav Prime Minister Branko Mikulic was in town. Prices fell. Weather was cold. "
            "Rain fell. Mikulic met Chancellor Kohl on Monday.")
    masked = select(text).text
    assert "Yugoslav Prime Minister Branko Mikulic" in masked
    assert "Prices fell" not in masked


def test_no_candidate_no_model():
    selection = select("Shares rose 5 pct in heavy trading. Analysts expect more gains.")
    assert not selection.has_candidates
    assert selection.text.strip() == ""


def test_the_dofn_batches_and_dead_letters_only_the_failing_article(monkeypatch):
    import transforms.steps.annotate as annotate

    real = annotate.extract_events

    def flaky(doc, article, model=None, facts=None):
        if article["article_id"] == "bad":
            raise ValueError("boom")
        return real(doc, article, model, facts)

    monkeypatch.setattr(annotate, "extract_events", flaky)
    text = "The prime minister met the president in Paris on Monday. Prices rose."
    articles = [{"article_id": name, "text": text, "body_start": 0, "status": "ok", "dateline": None,
                 "title": None, "published_at": None} for name in ("a", "bad", "c", "d", "e")]
    articles.append({"article_id": "quiet", "text": "Shares rose in heavy trading.", "body_start": 0,
                     "status": "ok", "dateline": None, "title": None, "published_at": None})
    from datetime import datetime, timezone

    with BeamPipeline() as pipeline:
        good, dead = (pipeline | beam.Create(articles)
                      | annotate.AnnotateAndExtract(None, datetime.now(timezone.utc), batch_size=2))
        assert_that(good | "Ids" >> beam.Map(lambda pair: (pair[0]["article_id"], bool(pair[1]))),
                    equal_to([("a", True), ("c", True), ("d", True), ("e", True), ("quiet", False)]),
                    label="good")
        assert_that(dead | "Dead" >> beam.Map(lambda row: (row["article_id"], row["stage"])),
                    equal_to([("bad", "annotate_extract")]), label="dead")


def test_analyse_article_uses_the_filter(nlp):
    from transforms.analysis import analyse_article, spacy_text

    article = {"article_id": "x", "text": "Shares rose in heavy trading.", "body_start": 0, "dateline": None,
               "title": None, "published_at": None}
    assert spacy_text(article) is None and analyse_article(nlp, article, candidate_filter=True) == []
    assert spacy_text(article, candidate_filter=False) == article["text"]
    assert candidates.LEAD_SENTENCES >= 1
