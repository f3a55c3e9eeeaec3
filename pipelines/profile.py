"""`newsevents extract --profile`: where a run's time went, printed after the summary.

Two sources, both already there in every run. The launcher's own phases (Python start and
imports, the checks, the pipeline build, the runner, publishing) are wall times taken in
this process. The steps' times are Beam's execution-time metrics (each worker's state
sampler charges elapsed time to the step it is in), summed over bundles and workers, with
AnnotateAndExtract timed by its own timers instead (transforms/metrics.py PROFILE:
candidate filter, spaCy, extraction, worker setup). Beam's times are sampled (the sampler
wakes every 2 to 200 ms and charges the interval to the step then running), so a step's
figure under a second is rough; the timers are exact.
"""
from __future__ import annotations

import os
import time

from apache_beam.metrics.metric import MetricsFilter

from pipelines.progress import boxed_table
from transforms.metrics import EXTRACTION_US, FILTER_US, PROFILE, SETUP_US, SPACY_US

STEP_TIME = "ptransform_execution_time:total_msecs"  # in Beam's system metric of a step's time
# a step's stage: the first of these its full label starts with (labels of pipelines/extract.py)
STAGES = (
    ("ReadRecords", "read"),
    ("FirstLook", "first look"),
    ("ExtractEvents/NormaliseArticles", "normalise"),
    ("ExtractEvents/Deduplicate", "normalise"),
    ("ExtractEvents/AnnotateAndExtract", "annotate"),  # its timers say more: see step_seconds
    ("ExtractEvents/ResolveEvents", "resolution"),
    ("ExtractEvents/BuildRecords", "records"),
    ("ExtractEvents/SplitTables", "records"),
    ("AssignEventIds", "event ids"),
    ("CountDistinctEvents", "event ids"),
    ("MarkSyndicated", "syndication"),
    ("Write_", "write"),
)
ORDER = ("worker setup", "read", "first look", "normalise", "annotate", "candidate filter", "spaCy", "extraction",
         "resolution", "records", "event ids", "syndication", "write", "other steps")


def since_process_start() -> float | None:
    """Seconds since this process started (Linux /proc: interpreter start and imports
    included); None where that cannot be read."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            start_ticks = int(stat.read().rsplit(")", 1)[1].split()[19])  # field 22, starttime
        with open("/proc/uptime", encoding="ascii") as uptime:
            return max(0.0, float(uptime.read().split()[0]) - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return None


class Timeline:
    """The launcher's phases, each the wall time since the previous mark, and the steps'
    seconds by stage (``step_seconds``) once the run is over."""

    def __init__(self):
        self.phases: list[tuple[str, float]] = []
        self.steps: dict[str, float] = {}
        started = since_process_start()
        self._last = time.monotonic()
        if started is not None:
            self.phases.append(("before the run: Python start, imports", started))  # from a shell

    def mark(self, phase: str) -> None:
        now = time.monotonic()
        self.phases.append((phase, now - self._last))
        self._last = now


def stage_of(step: str) -> str:
    for prefix, stage in STAGES:
        if step.startswith(prefix):
            return stage
    return "other steps"


def step_seconds(result) -> dict[str, float]:
    """Seconds per stage of ORDER, summed over the run's steps, bundles and workers; empty
    when the runner reports neither Beam's step times nor newsevents' timers."""
    seconds: dict[str, float] = {}
    try:
        counters = result.monitoring_metrics().query()["counters"]
    except (AttributeError, NotImplementedError):  # a runner without Beam's system metrics
        counters = []
    for counter in counters:
        if STEP_TIME in counter.key.metric.name:
            stage = stage_of(counter.key.step)
            seconds[stage] = seconds.get(stage, 0.0) + _value(counter) / 1000
    timers = {d.key.metric.name: _value(d) for d in
              result.metrics().query(MetricsFilter().with_namespace(PROFILE))["distributions"]}
    if timers:  # in place of the sampled time of the step they split
        seconds.pop("annotate", None)
        seconds.update({stage: timers.get(name, 0) / 1e6 for stage, name in (
            ("worker setup", SETUP_US), ("candidate filter", FILTER_US), ("spaCy", SPACY_US),
            ("extraction", EXTRACTION_US))})
    return seconds


def _value(metric):
    """A counter's value, or a distribution's sum (committed, else attempted)."""
    value = metric.committed if metric.committed is not None else metric.attempted
    return getattr(value, "sum", value) or 0


def format_profile(timeline: Timeline, runner_seconds: float) -> str:
    """The launcher's phases, then the steps' seconds and their share of the steps' sum."""
    steps = timeline.steps
    rows: list = [(phase, f"{seconds:.2f}", "") for phase, seconds in timeline.phases]
    total = sum(seconds for _phase, seconds in timeline.phases)
    rows += [("total (wall)", f"{total:.2f}", ""), None]
    if not steps:
        rows.append(("steps", "-", "this runner reports no step times"))
        return boxed_table(rows, "where the time went (seconds; --profile)")
    counted = sum(steps.values())
    for stage in ORDER:
        if stage in steps:
            rows.append((stage, f"{steps[stage]:.2f}", f"{100 * steps[stage] / counted:.0f}%" if counted else ""))
    rows.append(("steps and setup", f"{counted:.2f}", "summed over workers"))
    if counted < runner_seconds:  # with several workers the sum may exceed the wall time
        rows.append(("runner, outside steps", f"{runner_seconds - counted:.2f}",
                     "worker start, bundles, coders, shuffles"))
    return boxed_table(rows, "where the time went (seconds; --profile)")
