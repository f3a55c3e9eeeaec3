"""Throughput of `newsevents extract` against raw spaCy, in one run (issue 7).

On the first N Reuters-21578 stories (../shared/data/corpora/reuters21578.jsonl.gz):

  (a) raw spaCy ``nlp.pipe``, the full en_core_web_sm pipeline as spaCy ships it
      (``load_stock_model``: none of newsevents' changes), one process;
  (b) ``newsevents extract`` end to end on the FnApiRunner, one process;
  (c) the same with 2 worker processes (--direct_num_workers=2
      --direct_running_mode=multi_processing), each worker's CPU time printed (how evenly
      they shared the work, which wall time on a busy machine hides);

and prints docs/s, the ratios b/a and c/b, the CPU time and peak RSS of every process, and
the dev-set detection F1 (``transforms.evaluation.evaluate`` on the pipeline output of
../shared/data/dev) of the configuration it ran and of the full-parse configuration
(``--no-candidate-filter``). A shared machine's speed drifts by 10-20 % within a minute,
so (a), (b) and (c) run ``--repeat`` times in turn (a, b, c, a, b, c, ...) and the
figures are the medians; each repetition's rates are printed too. (b) and (c) run in a fresh subprocess each, so the RSS is
theirs alone; the stories go to a temporary folder (never into the repository) as ONE
JSONL file, as most users have it (``--shards N``: N files); the reader deals a file's
records out over the workers (docs/PERFORMANCE.md, "One file over two workers").

    PYTHONPATH=. .venv/bin/python -m benchmarks.throughput [--n 1000] [--repeat 3] [--shards 1] [--full-parse-e2e]

The acceptance configuration of c/b (issue 21) is ``--n 5000``: one file of 5,000 stories.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.corpora import SHARED, reuters_articles

DEV_GOLD = SHARED / "dev" / "gold.jsonl"
DEV_ARTICLES = SHARED / "dev" / "articles.jsonl"
MULTI = ["--direct_num_workers=2", "--direct_running_mode=multi_processing"]
QUIET = ["--progress-interval=0", "--formats=parquet"]


def write_shards(articles: list[dict], folder: Path, shards: int) -> str:
    """The stories as ``shards`` JSONL files in ``folder``; returns their glob."""
    folder.mkdir(parents=True, exist_ok=True)
    handles = [open(folder / f"stories-{i:03d}.jsonl", "w", encoding="utf-8") for i in range(shards)]
    try:
        for index, article in enumerate(articles):
            record = {"id": article["article_id"], "title": article["title"], "text": article["text"],
                      "published_at": article["published_at"], "source": article["source"]}
            handles[index * shards // len(articles)].write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        for handle in handles:
            handle.close()
    return str(folder / "stories-*.jsonl")


def _peak_kb(pid: int | str) -> int:
    """The process's peak resident set (VmHWM), in kB; 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            return next((int(line.split()[1]) for line in status if line.startswith("VmHWM:")), 0)
    except OSError:
        return 0


def _cpu_seconds(pid: int) -> float:
    """The process's CPU time so far (user + system); 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _descendants(pid: int) -> list[int]:
    found = []
    for tasks in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            kids = [int(kid) for kid in tasks.read_text().split()]
        except OSError:
            continue
        for kid in kids:
            found += [kid, *_descendants(kid)]
    return found


class WorkerPeaks(threading.Thread):
    """Polls the peak RSS and the CPU time of this process's worker processes while they run
    (how evenly the workers shared the work, which a busy machine's wall time hides).

    ``ru_maxrss`` will not do: Linux carries a parent's peak over fork and exec, so a
    child of a process holding a model reports at least that much.
    """

    def __init__(self):
        super().__init__(daemon=True)
        self.peaks: dict[int, int] = {}
        self.cpu: dict[int, float] = {}
        self._done = threading.Event()

    def run(self):
        while not self._done.wait(0.5):
            for pid in _descendants(os.getpid()):
                self.peaks[pid] = max(self.peaks.get(pid, 0), _peak_kb(pid))
                self.cpu[pid] = max(self.cpu.get(pid, 0.0), _cpu_seconds(pid))

    def stop(self) -> int:
        """The largest worker's peak, in kB."""
        self._done.set()
        self.join()
        return max(self.peaks.values(), default=0)


def child(argv: list[str], result_path: str) -> None:
    """In a fresh process: one pipeline run; writes seconds, CPU seconds and peak RSS (self, workers)."""
    import logging

    logging.disable(logging.WARNING)
    from pipelines.extract import run

    watcher = WorkerPeaks() if set(MULTI) <= set(argv) else None  # one process: no workers to watch
    if watcher:
        watcher.start()
    started = time.perf_counter()
    sys.stdout = sys.stderr  # the run's summary table is not the benchmark's output
    summary = run(argv)
    seconds = time.perf_counter() - started
    worker_kb = watcher.stop() if watcher else 0
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = {
        "seconds": seconds,
        "summary": {k: summary.get(k) for k in ("inputs", "articles", "events", "dead_letters")},
        "rss_self_mb": (_peak_kb("self") or own.ru_maxrss) / 1024,
        "rss_workers_mb": (worker_kb or workers.ru_maxrss) / 1024,
        "cpu_seconds": own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime,  # with imports
        "worker_cpu_seconds": sorted((cpu for cpu in watcher.cpu.values() if cpu), reverse=True) if watcher else [],
    }
    Path(result_path).write_text(json.dumps(result), encoding="utf-8")


def run_pipeline(inputs: str, output: Path, extra: list[str]) -> dict:
    """One `newsevents extract` run in a subprocess; returns its timing and RSS."""
    result_path = output.with_suffix(".json")
    argv = [f"--input={inputs}", f"--output={output}", "--overwrite", *QUIET, *extra]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-m", "benchmarks.throughput", "--child", json.dumps(argv),
                           str(result_path)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode:
        sys.exit(f"pipeline run failed:\n{done.stderr[-3000:]}")
    result = json.loads(result_path.read_text(encoding="utf-8"))
    from pipelines.evaluate import read_output

    result["events"] = sum(len(rows) for rows in read_output(output).values())  # from the written table
    return result


def dev_f1(workdir: Path, name: str, extra: list[str]) -> float:
    """Detection F1 on the dev set of a pipeline run with ``extra`` options."""
    from pipelines.evaluate import load_sets, read_output
    from transforms.evaluation import evaluate

    output = workdir / f"dev-{name}"
    run_pipeline(str(DEV_ARTICLES), output, extra)
    sets, _needed = load_sets([DEV_GOLD], None, scoring_output=True)
    result = evaluate(sets[str(DEV_GOLD)], read_output(output))
    return result["detection"]["overall"]["f1"]


def raw_spacy(nlp, texts: list[str]) -> tuple[float, float]:
    """(docs/s, seconds) of the full spaCy pipeline ``nlp`` over ``texts`` (32 per batch:
    faster on this machine than spaCy's default of 256)."""
    list(nlp.pipe(texts[:8]))  # first-call warm-up
    started = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=32):
        pass
    seconds = time.perf_counter() - started
    return len(texts) / seconds, seconds


def median_run(runs: list[dict]) -> dict:
    """The run of median time (its RSS and events belong to it)."""
    return sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of (a), (b) and (c), in turn; medians reported")
    parser.add_argument("--shards", type=int, default=1, help="JSONL files the stories are written to (1: one file)")
    parser.add_argument("--full-parse-e2e", action="store_true",
                        help="also time (b) with --no-candidate-filter (slow: the whole text is parsed)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(json.loads(args.child[0]), args.child[1])
        return
    from transforms.ingest.articles import nlp_text
    from transforms.nlp import load_stock_model

    articles = reuters_articles(args.n)
    n = len(articles)
    stock, texts = load_stock_model(), [nlp_text(article) for article in articles]
    runs: dict[str, list] = {"a": [], "b": [], "c": []}
    with tempfile.TemporaryDirectory(prefix="newsevents-bench-") as tmp:
        workdir = Path(tmp)
        inputs = write_shards(articles, workdir / "in", args.shards)
        for _ in range(max(1, args.repeat)):
            runs["a"].append(raw_spacy(stock, texts))
            runs["b"].append(run_pipeline(inputs, workdir / "b", []))
            runs["c"].append(run_pipeline(inputs, workdir / "c", MULTI))
        full = run_pipeline(inputs, workdir / "b-full", ["--no-candidate-filter"]) if args.full_parse_e2e else None
        f1_filter = dev_f1(workdir, "filter", [])
        f1_full = dev_f1(workdir, "full", ["--no-candidate-filter"])
    seconds_a = statistics.median(run[1] for run in runs["a"])
    rss_a = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    b, c = median_run(runs["b"]), median_run(runs["c"])
    rate_a, rate_b, rate_c = n / seconds_a, n / b["seconds"], n / c["seconds"]
    files = "one input file" if args.shards == 1 else f"{args.shards} input files"
    print(f"throughput on the first {n} Reuters-21578 stories, {os.cpu_count()} CPUs, median of {len(runs['a'])} "
          f"runs each ({files}; times include pipeline start and model loading)")
    print(f"  (a) raw spaCy nlp.pipe, full pipeline   {rate_a:7.1f} docs/s  {seconds_a:7.1f} s  "
          f"peak RSS {rss_a:6.0f} MB")
    print(f"  (b) newsevents extract, 1 process       {rate_b:7.1f} docs/s  {b['seconds']:7.1f} s  "
          f"CPU {b['cpu_seconds']:5.1f} s  peak RSS {b['rss_self_mb']:6.0f} MB  events {b['events']}")
    print(f"  (c) newsevents extract, 2 workers       {rate_c:7.1f} docs/s  {c['seconds']:7.1f} s  "
          f"CPU {c['cpu_seconds']:5.1f} s  peak RSS launcher {c['rss_self_mb']:.0f} MB, largest worker "
          f"{c['rss_workers_mb']:.0f} MB  events {c['events']}")
    print(f"      CPU of each worker: {' + '.join(f'{cpu:.1f}' for cpu in c['worker_cpu_seconds'])} s")
    if full is not None:
        print(f"  (b') extract --no-candidate-filter, 1 p {n / full['seconds']:7.1f} docs/s  "
              f"{full['seconds']:7.1f} s  peak RSS {full['rss_self_mb']:6.0f} MB  events {full['events']}")
    print(f"  b/a = {rate_b / rate_a:.2f}   c/b = {rate_c / rate_b:.2f}")
    for index, (a, b_run, c_run) in enumerate(zip(runs["a"], runs["b"], runs["c"]), 1):
        print(f"  run {index}: a {n / a[1]:.1f}, b {n / b_run['seconds']:.1f}, c {n / c_run['seconds']:.1f} docs/s"
              f"  (b/a {a[1] / b_run['seconds']:.2f}, c/b {b_run['seconds'] / c_run['seconds']:.2f})")
    print(f"dev detection F1: candidate filter (this configuration) {f1_filter:.3f}, "
          f"full parse (--no-candidate-filter) {f1_full:.3f}, difference {f1_filter - f1_full:+.3f}")


if __name__ == "__main__":
    main()
