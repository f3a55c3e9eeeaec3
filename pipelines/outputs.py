"""The output folder's commit protocol: a run is published whole or not at all.

    DIR/_newsevents.json                  manifest of the published runs, written last
    DIR/_runs/<run id>.json               one per run: arguments, versions, inputs, counts, durations
    DIR/parquet/<table>/[<column>=<value>/]part-<run id>-*.parquet
                                          the runs' tables: exactly the files the manifest lists
                                          (Hive partitions: transforms/steps/files.PARTITIONS)
    DIR/avro/<table>/part-<run id>-*.avro
    DIR/.newsevents-staging-<run id>/     a batch run's tables while it runs
    DIR/.newsevents.lock                  pid of the run writing DIR (local folders)

A batch run writes into its staging folder.  Publishing it (``publish``) first writes
``_publishing.json`` into the staging folder (the new manifest and the files of the runs it
replaces), then removes the old manifest and the old runs' files (only those: files a user
put in DIR stay), moves the new files into place and writes the new manifest.  Killed before
that, the old runs stay readable; killed during it, the next run finishes the publication
(every step can be redone); a staging folder without ``_publishing.json`` belongs to a dead
run and the next run, holding the lock, removes it (``recover``).

An appended run (``--append``) replaces nothing: the manifest stays in place while the new
files move in beside the earlier runs' (readers take only the files it lists), and the new
manifest, listing every run's files, replaces it in one rename.  So a killed append, at any
point, leaves the earlier runs readable and complete.

A stream never finishes, so it writes its windowed files in place; its manifest, written
when it starts, says ``"kind": "stream"`` and readers take every table file.

The readers (``published_manifest``, ``published_files``; used by query and report) need
no Beam; the writers use Beam's FileSystems, so gs:// outputs work too.
On a remote filesystem there is no lock and no recovery: concurrent runs are not detected
there (two appends at once may lose one from the manifest), and a killed run's staging
folder is left (never read) for the user to delete.
"""
from __future__ import annotations

import json
import os
import uuid
from datetime import datetime
from pathlib import Path, PurePosixPath

from schemas import TABLES
from transforms.ingest.formats import is_local

MANIFEST = "_newsevents.json"
STAGING_PREFIX = ".newsevents-staging-"
PUBLISHING = "_publishing.json"
RUN_FILE = "_run.json"  # the first file of a staging folder: which run, which process
LOCK = ".newsevents.lock"
RUNS = "_runs"  # DIR/_runs/<run id>.json
RUN_ONLY = ("arguments", "inputs", "durations")  # fields of a run kept in its own manifest only
MANIFEST_VERSION = 2  # 2: Hive-partitioned Parquet, run ids in file names, "runs", _runs/
FORMAT_SUFFIXES = {"parquet": ".parquet", "avro": ".avro"}


class OutputError(RuntimeError):
    """The output folder cannot be used now (busy, unwritable, full); exit code 1."""


class IncompleteOutput(OutputError):
    """The folder holds no complete run: one was killed or is still running."""


# ---- reading (standard library only) -----------------------------------------------------

def unfinished_runs(directory: str | Path) -> list[str]:
    """Names of the staging folders in ``directory`` (runs not published, dead or alive)."""
    root = Path(directory)
    return sorted(p.name for p in root.glob(f"{STAGING_PREFIX}*") if p.is_dir())


def published_manifest(directory: str | Path) -> dict | None:
    """The manifest of the run published in ``directory``; None when the folder holds nothing
    of newsevents; IncompleteOutput when it holds only an unfinished run."""
    root = Path(directory)
    path = root / MANIFEST
    if path.is_file():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise IncompleteOutput(f"{path} is unreadable ({exc}); rerun newsevents extract --overwrite") from None
    unfinished = unfinished_runs(root)
    if unfinished:
        raise IncompleteOutput(
            f"{root} holds only an incomplete run ({unfinished[0]}: killed, or still running) and no "
            f"published one; rerun newsevents extract (it cleans up) and query it when it has finished")
    if any((root / fmt).is_dir() for fmt in FORMAT_SUFFIXES):
        raise IncompleteOutput(
            f"{root} has tables but no {MANIFEST}: an interrupted run, or one written before newsevents "
            f"published its runs; rerun newsevents extract --overwrite")
    return None


def _visible(path: Path, root: Path) -> bool:
    return not any(part.startswith((".", "beam-temp")) for part in path.relative_to(root).parts)


def published_files(directory: str | Path, manifest: dict, fmt: str, table: str) -> list[Path]:
    """The files of ``table`` in ``fmt`` of the published run: those the manifest lists, or
    every finished file of a stream (not Beam's temporary ones)."""
    root = Path(directory)
    suffix = FORMAT_SUFFIXES[fmt]
    if manifest.get("kind") == "stream":
        folder = root / fmt / table
        return sorted(p for p in folder.glob(f"**/*{suffix}") if _visible(p, root))
    prefix = f"{fmt}/{table}/"
    files = [root / name for name in manifest.get("files", []) if name.startswith(prefix)]
    missing = [str(p) for p in files if not p.is_file()]
    if missing:
        raise IncompleteOutput(f"{missing[0]}, listed in {root / MANIFEST}, is missing: the output was "
                               f"changed after its run; rerun newsevents extract --overwrite")
    return sorted(files)


# ---- writing (Beam FileSystems: local, gs://, s3://) --------------------------------------

def _fs():
    from apache_beam.io.filesystems import FileSystems

    return FileSystems


def new_run_id(started: datetime) -> str:
    return f"{started:%Y%m%dT%H%M%SZ}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def staging_dir(output: str, run_id: str) -> str:
    return _fs().join(output, STAGING_PREFIX + run_id)


def _write_json(path: str, data: dict) -> None:
    """Written to a temporary name, then renamed: a reader sees the whole file or none."""
    fs = _fs()
    temporary = f"{path}.tmp"
    with fs.create(temporary) as handle:
        handle.write((json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    if not is_local(path) and fs.exists(path):
        fs.delete([path])  # GCS and S3 do not rename over an existing object
    fs.rename([temporary], [path])


def _read_json(path: str) -> dict | None:
    fs = _fs()
    if not fs.exists(path):
        return None
    with fs.open(path) as handle:
        return json.loads(handle.read().decode("utf-8"))


def read_manifest(output: str) -> dict | None:
    return _read_json(_fs().join(output, MANIFEST))


def _relative(path: str, root: str) -> str:
    return path[len(root.rstrip("/")) + 1:]


def _files_under(root: str, pattern: str = "**") -> list[str]:
    return [m.path for m in _fs().match([_fs().join(root, pattern)])[0].metadata_list]


def owned_files(output: str, manifest: dict | None) -> list[str]:
    """What newsevents wrote in ``output``, relative to it: the published runs' files, or,
    for a stream or a folder without a manifest (older versions), every ``part-*`` file (in
    the table folders and their partition folders) and ``beam-temp-*`` leftover."""
    if manifest and manifest.get("kind") != "stream":
        return list(manifest.get("files", []))
    found = []
    for fmt in FORMAT_SUFFIXES:
        for table in TABLES:
            folder = _fs().join(output, fmt, table)
            found += (_files_under(folder, "part-*") + _files_under(folder, "*=*/part-*")
                      + _files_under(folder, "beam-temp-*/**"))
    return sorted(_relative(path, output) for path in found)


def append_problem(manifest: dict | None, existing: list[str], formats: tuple[str, ...]) -> str | None:
    """Why a run cannot be appended to the output holding ``manifest`` and ``existing`` files
    (None: it can; an empty folder takes a first run)."""
    if manifest is None:
        return None if not existing else (
            "--append needs the manifest of the runs already there, and this folder has tables but no "
            f"{MANIFEST} (an older newsevents, or a killed run); rerun with --overwrite or choose another --output")
    if manifest.get("kind") == "stream":
        return "--append cannot add to a stream's output (it writes in place); choose another --output"
    if manifest.get("manifest_version", 1) < MANIFEST_VERSION:
        return ("--append adds Hive-partitioned files with run ids in their names, and the runs in this folder "
                "were written by an older newsevents without them; rerun with --overwrite or choose another --output")
    if sorted(manifest.get("formats", [])) != sorted(formats):
        return (f"--append must write the formats of the runs already there (--formats "
                f"{','.join(manifest.get('formats', []))}), so that every table holds every run")
    return None


class OutputLock:
    """Held by the run writing a local output folder, for the whole run: a second run into
    the folder is refused.  flock(2): the kernel drops it when its process dies (even by
    kill -9), so a lock file left by a dead run (its pid still inside) is taken over."""

    def __init__(self, output: str):
        self._path = os.path.join(output, LOCK) if is_local(output) else None
        self._fd: int | None = None

    def __enter__(self):
        if self._path is None:
            return self
        import fcntl

        os.makedirs(os.path.dirname(self._path) or ".", exist_ok=True)
        while True:
            fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                os.close(fd)
                raise OutputError(f"another newsevents run (pid {holder}) is writing to "
                                  f"{os.path.dirname(self._path)}; wait for it or choose another --output") from None
            try:  # the holder before us may have removed the file between our open and flock
                current = os.stat(self._path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                current = False
            if current:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc_info):
        if self._fd is not None:
            os.unlink(self._path)  # while still locked: a waiting run then retries on a new file
            os.close(self._fd)
            self._fd = None


def start_staging(output: str, run_id: str) -> str:
    """Create the run's staging folder (its first file names the run and process)."""
    staging = staging_dir(output, run_id)
    _write_json(_fs().join(staging, RUN_FILE), {"run_id": run_id, "pid": os.getpid()})
    return staging


def discard(staging: str) -> None:
    fs = _fs()
    if fs.exists(staging):
        fs.delete([staging])


def recover(output: str) -> None:
    """Under the lock: finish a publication a killed run began, remove dead runs' staging."""
    if not is_local(output) or not os.path.isdir(output):
        return
    for name in unfinished_runs(output):
        staging = os.path.join(output, name)
        record = _read_json(os.path.join(staging, PUBLISHING))
        if record is not None:
            _finish(output, staging, record)
        else:
            discard(staging)


def publish(output: str, staging: str, run: dict, replaced: list[str], previous: dict | None = None) -> dict:
    """Put the staged tables in place of ``replaced`` and write the manifest last; returns it.

    ``run`` describes the new run; it is written with its files as ``_runs/<run id>.json``.
    ``previous`` is the manifest of the runs the new one is appended to (their files stay):
    the new manifest lists every run and every run's files, and carries the new run's fields
    (but its arguments, inputs and durations) at its top, as a single-run manifest did."""
    fs = _fs()
    tables = sorted(
        name for name in (_relative(path, staging) for path in _files_under(staging))
        if PurePosixPath(name).parts[0] in FORMAT_SUFFIXES and _visible(Path(name), Path("."))
    )
    run_manifest = f"{RUNS}/{run['run_id']}.json"
    _write_json(fs.join(staging, run_manifest), {**run, "files": tables})
    earlier = previous or {}
    runs = [*earlier.get("runs", []), {
        "run_id": run["run_id"], "manifest": run_manifest,
        **{key: run[key] for key in ("started_at", "finished_at") if key in run},
        **{key: run.get("counts", {}).get(key) for key in ("inputs", "articles", "events", "dead_letters")},
        "dead_letter_rate": run.get("dead_letter_rate"),
    }]
    files = sorted({*earlier.get("files", []), *tables, run_manifest})
    latest = {key: value for key, value in run.items() if key not in RUN_ONLY}
    record = {**latest, "manifest_version": MANIFEST_VERSION, "runs": runs, "files": files,
              "replaces": sorted(replaced)}
    _write_json(fs.join(staging, PUBLISHING), record)
    return _finish(output, staging, record)


def _finish(output: str, staging: str, record: dict) -> dict:
    """The publication steps; each one can be redone after a crash.  The old manifest goes
    first only when files it lists go: an append leaves it readable until the new one
    replaces it."""
    fs = _fs()
    manifest_path = fs.join(output, MANIFEST)
    new = set(record["files"])
    stale = [fs.join(output, name) for name in record["replaces"] if name not in new]
    stale = [path for path in stale if fs.exists(path)]
    if record["replaces"] and fs.exists(manifest_path):
        fs.delete([manifest_path])
    if stale:
        fs.delete(stale)
    moves = [(fs.join(staging, name), fs.join(output, name)) for name in record["files"]]
    moves = [(src, dst) for src, dst in moves if fs.exists(src)]
    if is_local(output):
        for folder in {os.path.dirname(dst) for _src, dst in moves}:
            os.makedirs(folder, exist_ok=True)
    if moves:
        fs.rename([src for src, _dst in moves], [dst for _src, dst in moves])
    manifest = {key: value for key, value in record.items() if key != "replaces"}
    _write_json(manifest_path, manifest)
    discard(staging)
    return manifest


def start_stream(output: str, manifest: dict) -> None:
    """A stream's manifest, written when it starts: readers take its files as they come."""
    _write_json(_fs().join(output, MANIFEST), {**manifest, "kind": "stream"})


def base_manifest(run_id: str, kind: str, started: datetime, formats: tuple[str, ...], model: str) -> dict:
    """Run id, kind, formats, the Parquet partition columns and the versions of newsevents,
    Beam, spaCy and the models."""
    import apache_beam
    from importlib import metadata

    from transforms.steps.files import PARTITIONS

    def version(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:  # e.g. newsevents run from a checkout without installing it
            return "unknown"

    return {"manifest_version": MANIFEST_VERSION, "run_id": run_id, "kind": kind,
            "started_at": started.isoformat(), "formats": list(formats),
            "partitions": {table: column for table, (column, _value) in PARTITIONS.items()},
            "versions": {"newsevents": version("newsevents"), "apache_beam": apache_beam.__version__,
                         "spacy": version("spacy"), "model": model}}
