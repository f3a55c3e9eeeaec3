"""Lexicon files are checked against transforms/lexicons/schema.json when first loaded: a
mistyped key fails at load, naming the file and the key."""
import pytest

from transforms.lexicon import LEXICON_DIR, LexiconError, load, read, schema


def test_every_shipped_lexicon_has_a_schema_and_matches_it():
    assert sorted(schema()) == sorted(path.stem for path in LEXICON_DIR.glob("*.yaml"))
    for name in schema():
        assert load(name)


def test_a_mistyped_key_fails_at_load_naming_the_file_and_the_key(tmp_path):
    text = (LEXICON_DIR / "actors.yaml").read_text(encoding="utf-8").replace("\norg_nouns:", "\norg_noun:")
    (tmp_path / "actors.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError, match=r"actors\.yaml: unknown key 'org_noun'; missing key 'org_nouns'"):
        read(tmp_path / "actors.yaml", schema()["actors"])


def test_a_value_of_the_wrong_kind_fails(tmp_path):
    (tmp_path / "candidates.yaml").write_text("pronouns: he\nirregular: {meet: [met]}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"candidates\.yaml: key 'pronouns' must hold a list, not a str"):
        read(tmp_path / "candidates.yaml", schema()["candidates"])


def test_a_lexicon_without_a_schema_is_refused():
    with pytest.raises(LexiconError, match="no entry"):
        load("no_such_lexicon")
