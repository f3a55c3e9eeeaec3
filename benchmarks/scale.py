"""Scale of `newsevents extract` over a whole corpus (issue 21): wall time, docs/s, events/s,
dead letters by stage, and the resident memory of every process sampled through the run.

For each size (the first N articles of the corpus, written to one gzip JSONL file outside
the repository; "all" is the corpus file itself) and each worker count, it runs
`newsevents extract` from the shell, as a user would, and polls /proc every second for the
RSS of the launcher and of its worker processes. It prints one row per run and the largest
process's RSS at each quarter of the run, which shows whether memory stays flat as the
input grows. Dead letters of the stages after parsing (annotate_extract, resolve,
build_records) are crashes of our code; read and parse dead letters are bad input.

    PYTHONPATH=. .venv/bin/python -m benchmarks.scale [--corpus allsides|mixed] \
        [--sizes 1000,5000,20000,all] [--workers 1,2]

"mixed" is Reuters-21578, BBC 2004-05 and modern_open together (reserved ids left out).
Nothing here is a test: the figures go to docs/PERFORMANCE.md.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.corpora import SHARED, reserved_ids, reuters_articles

CORPORA = SHARED / "corpora"
ALLSIDES = CORPORA / "allsides_news.jsonl.gz"
CRASH_STAGES = ("annotate_extract", "resolve", "build_records")
MULTI = ["--direct_num_workers=2", "--direct_running_mode=multi_processing"]


def mixed_lines() -> list[str]:
    """Reuters, BBC and modern_open as JSONL lines of the pipeline's input fields."""
    reserved = reserved_ids()
    lines = [json.dumps({"id": a["article_id"], "title": a["title"], "text": a["text"],
                         "published_at": a["published_at"]}, ensure_ascii=False)
             for a in reuters_articles(10 ** 6)]
    with open(CORPORA / "bbc_news.jsonl", encoding="utf-8") as handle:
        for line in handle:
            story = json.loads(line)
            story["id"] = "bbc-" + story["id"].replace("/", "-")
            if story["id"] not in reserved:
                lines.append(json.dumps(story, ensure_ascii=False))
    with open(CORPORA / "modern_open.jsonl", encoding="utf-8") as handle:
        lines += [line.rstrip("\n") for line in handle if json.loads(line)["id"] not in reserved]
    return lines


def write_input(lines_of, size: str, folder: Path) -> tuple[Path, int]:
    """The first ``size`` lines as one gzip JSONL file (for "all" of AllSides, the corpus itself)."""
    if size == "all" and lines_of is None:
        with gzip.open(ALLSIDES, "rt", encoding="utf-8") as handle:
            return ALLSIDES, sum(1 for _ in handle)
    if lines_of is None:
        with gzip.open(ALLSIDES, "rt", encoding="utf-8") as handle:
            lines = [line.rstrip("\n") for _, line in zip(range(int(size)), handle)]
    else:
        lines = lines_of if size == "all" else lines_of[:int(size)]
    path = folder / f"in-{size}.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    return path, len(lines)


def _memory_kb(pid: int) -> tuple[int, int]:
    """(resident now, peak resident so far) of a process, in kB; zeros when it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            fields = dict(line.split(":", 1) for line in status if line.startswith(("VmRSS:", "VmHWM:")))
    except OSError:
        return 0, 0
    return int(fields.get("VmRSS", "0 kB").split()[0]), int(fields.get("VmHWM", "0 kB").split()[0])


def _tree(pid: int) -> list[int]:
    found = [pid]
    for tasks in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [p for kid in tasks.read_text().split() for p in _tree(int(kid))]
        except OSError:
            continue
    return found


class Sampler(threading.Thread):
    """The RSS of a process and its descendants, every second, as (seconds, {pid: (kB now, peak kB)})."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.samples, self._done, self._start = pid, [], threading.Event(), time.perf_counter()

    def run(self):
        while not self._done.wait(1.0):
            self.samples.append((time.perf_counter() - self._start, {p: _memory_kb(p) for p in _tree(self.pid)}))

    def stop(self) -> list:
        self._done.set()
        self.join()
        return self.samples


def run_extract(path: Path, output: Path, workers: int) -> dict:
    """`newsevents extract` in a subprocess: wall seconds, RSS samples, the written tables' counts."""
    cli = Path(sys.executable).with_name("newsevents")
    argv = [str(cli), "extract", f"--input={path}", f"--output={output}", "--overwrite", "--runner=FnApiRunner",
            "--progress-interval=0", "--formats=parquet", *(MULTI if workers == 2 else [])]
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sampler = Sampler(process.pid)
    sampler.start()
    _out, err = process.communicate()
    seconds = time.perf_counter() - started
    samples = sampler.stop()
    if process.returncode not in (0,):
        sys.exit(f"extract failed ({process.returncode}):\n{err[-3000:]}")
    return {"seconds": seconds, "samples": samples, "launcher": process.pid, **table_counts(output)}


def table_counts(output: Path) -> dict:
    import duckdb

    con = duckdb.connect()
    parquet = output / "parquet"

    def rows(table: str, query: str = "select count(*) from t") -> list:
        if not any((parquet / table).rglob("*.parquet")):
            return []
        con.execute(f"create or replace view t as select * from read_parquet('{parquet}/{table}/**/*.parquet')")
        return con.execute(query).fetchall()

    return {"articles": rows("articles")[0][0], "events": (rows("events") or [(0,)])[0][0],
            "dead_letters": dict(rows("dead_letters", "select stage, count(*) from t group by stage"))}


def describe(size: str, n: int, workers: int, result: dict) -> str:
    samples = result["samples"]
    peaks: dict[int, int] = {}
    for _t, memory in samples:
        for pid, (_now, peak) in memory.items():
            peaks[pid] = max(peaks.get(pid, 0), peak)
    largest = [max((now for now, _peak in memory.values()), default=0) for _t, memory in samples] or [0]
    quarters = [largest[min(len(largest) - 1, int(len(largest) * q))] / 1024 for q in (0.25, 0.5, 0.75)] + [largest[-1] / 1024]
    crashes = sum(result["dead_letters"].get(stage, 0) for stage in CRASH_STAGES)
    launcher = peaks.pop(result["launcher"], 0)
    worker_peaks = sorted(peaks.values(), reverse=True)[:2]
    peak = f"launcher {launcher / 1024:.0f}" + (
        f", workers {', '.join(f'{kb / 1024:.0f}' for kb in worker_peaks)}" if worker_peaks else "")
    return (f"  {size:>6} ({n:>6} articles) {workers} worker(s): {result['seconds']:7.0f} s  "
            f"{n / result['seconds']:5.1f} docs/s  {result['events'] / result['seconds']:5.1f} events/s  "
            f"events {result['events']}  dead letters {sum(result['dead_letters'].values())} "
            f"(crashes {crashes})  peak RSS per process (MB) {peak}  "
            f"largest process at 25/50/75/100 % of the run: {' / '.join(f'{mb:.0f}' for mb in quarters)}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("allsides", "mixed"), default="allsides")
    parser.add_argument("--sizes", default="1000,5000,20000,all")
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args(argv)
    lines = mixed_lines() if args.corpus == "mixed" else None
    print(f"scale of newsevents extract over {args.corpus}, {os.cpu_count()} CPUs", flush=True)
    with tempfile.TemporaryDirectory(prefix="newsevents-scale-") as tmp:
        folder = Path(tmp)
        for size in args.sizes.split(","):
            path, n = write_input(lines, size, folder)
            for workers in (int(w) for w in args.workers.split(",")):
                output = folder / f"out-{size}-{workers}"
                print(describe(size, n, workers, run_extract(path, output, workers)), flush=True)
                shutil.rmtree(output, ignore_errors=True)


if __name__ == "__main__":
    main()
