"""The per-user cache of derived data (transforms/filecache.py) and the gazetteer that uses it."""
from __future__ import annotations

from transforms import filecache


def test_a_value_is_built_once_then_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSEVENTS_CACHE_DIR", str(tmp_path))
    builds = []

    def build():
        builds.append(1)
        return {"paris": [("FRA", 2988507, 48.85, 2.35, "11", "P", 2138551, "city", 1)]}

    first = filecache.cached("places", ["v1"], build)
    assert filecache.cached("places", ["v1"], build) == first and len(builds) == 1
    filecache.cached("places", ["v2"], build)  # other inputs, another file
    assert len(builds) == 2 and len(list(tmp_path.glob("places-*.marshal"))) == 2


def test_an_unreadable_file_is_rebuilt_and_no_folder_means_no_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSEVENTS_CACHE_DIR", str(tmp_path))
    filecache.cached("table", ["x"], lambda: [1, 2])
    (path,) = tmp_path.glob("table-*.marshal")
    path.write_bytes(b"\x00not marshal")
    assert filecache.cached("table", ["x"], lambda: [3]) == [3]
    assert filecache.cached("table", ["x"], lambda: [4]) == [3]  # the rebuilt value was stored
    monkeypatch.setenv("NEWSEVENTS_CACHE_DIR", "")
    assert filecache.cache_dir() is None and filecache.cached("table", ["x"], lambda: [5]) == [5]
    blocked = tmp_path / "file"
    blocked.write_text("a file, not a folder")
    monkeypatch.setenv("NEWSEVENTS_CACHE_DIR", str(blocked / "cache"))
    assert filecache.cached("table", ["x"], lambda: [6]) == [6]  # cannot write: still works


def test_the_gazetteer_read_from_the_cache_is_the_one_built(tmp_path, monkeypatch):
    from transforms.resolution import geo

    monkeypatch.setenv("NEWSEVENTS_CACHE_DIR", str(tmp_path))
    built = geo._build_index()
    geo._index.cache_clear()
    try:
        assert geo._index() == built  # stored
        geo._index.cache_clear()
        assert geo._index() == built and len(list(tmp_path.glob("gazetteer-*.marshal"))) == 1  # read back
        assert geo.geocode("Peking")["country"] == "CHN"
    finally:
        geo._index.cache_clear()
