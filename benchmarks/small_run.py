"""A small job, whole process: `newsevents extract` from the shell against raw spaCy (issue 21).

On the first N Reuters-21578 stories (../shared/data/corpora/reuters21578.jsonl.gz, the
reserved evaluation ids left out), written as one JSONL file in a temporary folder:

  (a) raw spaCy ``nlp.pipe`` of the stock en_core_web_sm over the stories' texts, one
      process, the model loaded before the clock starts (benchmarks/throughput.py (a));
  (s) ``newsevents extract --input FILE --output DIR --overwrite`` run from the shell as a new
      user runs it: a subprocess whose wall time holds Python's start, the imports, the
      pipeline build, the models, the run and the publication.

(a) and (s) alternate ``--repeat`` times, since a shared machine's speed drifts; each pair
and the medians are printed, and the ratio a/s (above 1: the whole `newsevents extract`
process takes less time than spaCy alone). The same ratio of CPU seconds is printed too:
on a machine other work shares, wall times stretch with the load, CPU times much less
(a process's waits, e.g. Beam's threads joining, are not CPU time). ``--profile`` runs (s) once more with
``--profile`` and prints where its time went.

    PYTHONPATH=. .venv/bin/python -m benchmarks.small_run [--n 300] [--repeat 3] [--profile]
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpora import SHARED, reuters_articles
from benchmarks.throughput import raw_spacy, write_shards

REPO = Path(__file__).resolve().parents[1]
RESERVED = SHARED / "reserved_ids.txt"


def unreserved_stories(n: int) -> list[dict]:
    """The first ``n`` Reuters stories whose ids are not reserved for independent evaluation."""
    reserved = {line.strip() for line in RESERVED.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")} if RESERVED.exists() else set()
    stories = [a for a in reuters_articles(n + len(reserved)) if a["article_id"] not in reserved]
    return stories[:n]


def extract_command() -> list[str]:
    """The `newsevents` console script beside this Python, else the module it runs."""
    script = Path(sys.executable).with_name("newsevents")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pipelines.cli"]


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run_extract(inputs: str, output: Path, extra: tuple[str, ...] = ()) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, stdout) of one `newsevents extract` process on this checkout's code."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run([*extract_command(), "extract", f"--input={inputs}", f"--output={output}",
                           "--overwrite", *extra], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"newsevents extract failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return seconds, _children_cpu() - cpu, done.stdout


def raw_spacy_cpu(nlp, texts: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of benchmarks/throughput.raw_spacy over ``texts``."""
    cpu = time.process_time()
    seconds = raw_spacy(nlp, texts)[1]
    return seconds, time.process_time() - cpu


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="stories")
    parser.add_argument("--repeat", type=int, default=3, help="runs of (a) and (s), in turn; medians reported")
    parser.add_argument("--profile", action="store_true", help="one more (s) with --profile; its table printed")
    args = parser.parse_args(argv)
    from transforms.ingest.articles import nlp_text
    from transforms.nlp import load_stock_model

    stories = unreserved_stories(args.n)
    n = len(stories)
    stock, texts = load_stock_model(), [nlp_text(story) for story in stories]
    pairs = []
    with tempfile.TemporaryDirectory(prefix="newsevents-small-") as tmp:
        workdir = Path(tmp)
        inputs = write_shards(stories, workdir / "in", 1)
        for _ in range(max(1, args.repeat)):
            pairs.append((raw_spacy_cpu(stock, texts), run_extract(inputs, workdir / "out")[:2]))
            shutil.rmtree(workdir / "out", ignore_errors=True)
        profile = run_extract(inputs, workdir / "out", ("--profile",))[2] if args.profile else ""
    raw, whole = (statistics.median(run[side][0] for run in pairs) for side in (0, 1))
    raw_cpu, whole_cpu = (statistics.median(run[side][1] for run in pairs) for side in (0, 1))
    print(f"small run: the first {n} Reuters-21578 stories (reserved ids left out), one JSONL file, "
          f"{os.cpu_count()} CPUs, median of {len(pairs)} runs each")
    print(f"  (a) raw spaCy nlp.pipe, stock en_core_web_sm   {n / raw:7.1f} docs/s  {raw:6.2f} s  "
          f"CPU {raw_cpu:6.2f} s")
    print(f"  (s) newsevents extract from the shell           {n / whole:7.1f} docs/s  {whole:6.2f} s  "
          f"CPU {whole_cpu:6.2f} s  (whole process)")
    print(f"  a/s = {raw / whole:.2f}   by CPU time {raw_cpu / whole_cpu:.2f}")
    for index, ((a, a_cpu), (s, s_cpu)) in enumerate(pairs, 1):
        print(f"  run {index}: a {a:.2f} s, s {s:.2f} s  (a/s {a / s:.2f}; CPU a {a_cpu:.2f} s, "
              f"s {s_cpu:.2f} s, a/s {a_cpu / s_cpu:.2f})")
    if profile:
        lines = profile.splitlines()
        title = next(i for i, line in enumerate(lines) if "where the time went" in line)
        print("\n".join(lines[title - 1:]))  # the profile table, from the rule above its title


if __name__ == "__main__":
    main()
