"""Annotate and extract: spaCy over each article's candidate sentences, then the pure
event extraction (transforms/extraction); only plain dicts leave the step."""
from __future__ import annotations

import time
from datetime import datetime

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.utils.windowed_value import WindowedValue

from transforms import worker
from transforms.analysis import CAPPED_FLAG, spacy_input
from transforms.extraction import extract_events
from transforms.extraction.decision import DecisionModel, load_model as load_decision_model
from transforms.metrics import EXTRACTION_US, FILTER_US, NAMESPACE, PROFILE, SETUP_US, SPACY_US
from transforms.nlp import model_lock
from transforms.resolution import article_facts
from transforms.steps.dead_letters import Stage, ToDeadLetter, failure


class _AnnotateAndExtractFn(beam.DoFn):
    """spaCy once per worker process (setup + a process-wide cache), then pure extraction.

    The candidate filter (transforms/candidates.py) blanks the sentences that cannot
    report an event; an article without a candidate sentence (or skipped, e.g. not
    English) skips the model and leaves at once with no events. An article read only in part
    (the filter's bounds per article, transforms/candidates.py) carries the flag
    ``extraction_capped`` and counts in ``articles_capped``. The others are buffered
    and annotated with ``nlp.pipe`` in batches of ``batch_size`` texts (the model runs
    ~15 % faster on 32 texts at a time than on 8), flushed when the buffer is full and at
    the end of each bundle; each keeps its own timestamp and window (the same DoFn runs in
    streams). A failure dead-letters only its article: it is caught per article and sent
    to the ``DEAD`` output as (article, (type, repr, traceback)), the shape
    ``with_exception_handling`` gives ``ToDeadLetter``.

    Only plain dicts leave this DoFn; the Doc never does.
    """

    DEAD = "dead"

    def __init__(self, model_name: str | None, candidate_filter: bool = True, batch_size: int = 32,
                 decision: dict | None = None):
        self._model_name = model_name
        self._decision_data = decision  # weights of --extractor-model (None: the shipped model)
        self._decision = None
        self._candidate_filter = candidate_filter
        self._batch_size = max(1, batch_size)
        self._nlp = None
        self._buffer: list = []
        self._no_candidates = Metrics.counter(NAMESPACE, "articles_without_candidates")
        self._parsed = Metrics.counter(NAMESPACE, "articles_parsed")
        self._capped = Metrics.counter(NAMESPACE, "articles_capped")
        self._filter_us = Metrics.distribution(PROFILE, FILTER_US)
        self._spacy_us = Metrics.distribution(PROFILE, SPACY_US)
        self._extraction_us = Metrics.distribution(PROFILE, EXTRACTION_US)
        self._setup_us = Metrics.distribution(PROFILE, SETUP_US)
        self._setup_took: int | None = None

    def setup(self):
        started = time.perf_counter()
        self._nlp = worker.prepare(self._model_name)
        self._decision = DecisionModel(self._decision_data) if self._decision_data else load_decision_model()
        self._setup_took = _microseconds(started)  # counted in the first bundle: setup has no metrics context

    def start_bundle(self):
        self._buffer = []
        if self._setup_took is not None:
            self._setup_us.update(self._setup_took)
            self._setup_took = None

    def process(self, article, timestamp=beam.DoFn.TimestampParam, window=beam.DoFn.WindowParam):
        if article.get("status", "ok") != "ok":  # skipped (e.g. not English): no NLP, no events
            yield article, [], None  # no events: no facts to derive
            return
        started = time.perf_counter()
        try:
            text, capped = spacy_input(article, self._candidate_filter)
        except Exception as exc:  # noqa: BLE001 - one article's failure is its dead letter
            yield beam.pvalue.TaggedOutput(self.DEAD, (article, failure(exc)))
            return
        self._filter_us.update(_microseconds(started))
        if capped:  # only the start of a huge article is read: never silently
            self._capped.inc()
            article = {**article, "flags": [*(article.get("flags") or []), CAPPED_FLAG]}
        if text is None:
            self._no_candidates.inc()
            yield article, [], None  # no events: no facts to derive
            return
        self._buffer.append((article, text, timestamp, window))
        if len(self._buffer) >= self._batch_size:
            yield from self._flush()

    def finish_bundle(self):
        yield from self._flush()

    def _flush(self):
        buffered, self._buffer = self._buffer, []
        outputs = []
        # strings the batch adds to the vocab are freed when the zone ends, so a long-running
        # worker does not grow; no Doc outlives it (events are plain dicts). The zone frees
        # strings of the shared vocab, so threads of one process take turns.
        with model_lock(self._nlp), self._nlp.memory_zone():
            started = time.perf_counter()
            docs = self._annotate([text for _article, text, _timestamp, _window in buffered])
            annotated = time.perf_counter()
            for (article, _text, timestamp, window), doc in zip(buffered, docs):
                try:
                    if isinstance(doc, Exception):
                        raise doc
                    facts = article_facts(article)  # derived once, for extraction and resolution
                    events = extract_events(doc, article, self._decision, facts)
                except Exception as exc:  # noqa: BLE001
                    failed = (article, failure(exc))
                    outputs.append(beam.pvalue.TaggedOutput(self.DEAD, WindowedValue(failed, timestamp, (window,))))
                    continue
                outputs.append(WindowedValue((article, events, facts), timestamp, (window,)))
        if buffered:
            self._spacy_us.update(_microseconds(started, annotated))
            self._extraction_us.update(_microseconds(annotated))
        yield from outputs

    def _annotate(self, texts: list[str]) -> list:
        """A Doc (or the exception of that article) per text, one nlp.pipe call when all goes well."""
        if not texts:
            return []
        try:
            docs = list(self._nlp.pipe(texts, batch_size=self._batch_size))
        except Exception:  # noqa: BLE001 - find the article that fails, one at a time
            docs = []
            for text in texts:
                try:
                    docs.append(self._nlp(text))
                except Exception as exc:  # noqa: BLE001
                    docs.append(exc)
        self._parsed.inc(len(texts))
        return docs


def _microseconds(start: float, end: float | None = None) -> int:
    return round(((time.perf_counter() if end is None else end) - start) * 1e6)


class AnnotateAndExtract(Stage):
    """Articles -> (article, extracted events, article facts); failed articles -> dead-letter rows.

    ``candidate_filter`` False parses every sentence (``--no-candidate-filter``).
    """

    def __init__(self, model_name: str | None, processed_at: datetime, candidate_filter: bool = True,
                 batch_size: int = 32, decision: dict | None = None):
        super().__init__("annotate_extract",
                         _AnnotateAndExtractFn(model_name, candidate_filter, batch_size, decision), processed_at)

    def expand(self, pcoll):
        outputs = pcoll | "Apply" >> beam.ParDo(self._dofn).with_outputs(_AnnotateAndExtractFn.DEAD, main="good")
        dead = outputs[_AnnotateAndExtractFn.DEAD] | "DeadLetter" >> beam.ParDo(
            ToDeadLetter(self._stage, self._processed_at))
        return outputs.good, dead
