"""Stopping a run cleanly: SIGINT and SIGTERM end it with exit 130, a failure is one line,
and a step that must not stop half-way (publishing) is held."""
from __future__ import annotations

import logging
import os
import re
import signal
import sys
import threading
from contextlib import contextmanager

from pipelines import outputs


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM stopped the run (exit 130)."""

    # Beam re-raises a worker's exception with the step's name appended, after logging its
    # traceback; a stop asked for by the user is neither a worker's error nor worth a traceback
    _tagged_with_step = True


class RunFailed(RuntimeError):
    """The run failed (a worker error, a full disk, rows lost on the way); exit 1."""


SIGNAL_RESEND_SECONDS = 0.2  # a stop Python dropped is raised again this much later


class _SignalStop:
    """The handler of SIGINT and SIGTERM during a run: raise Interrupted, except while held.

    Python drops (and prints) an exception raised where it cannot propagate, such as a
    garbage-collector callback; such a stop is sent again shortly after, without the
    printout, and the run also checks ``received`` when the pipeline returns."""

    def __init__(self):
        self._held = False
        self._resend: threading.Timer | None = None
        self.received: signal.Signals | None = None

    def __call__(self, signum, _frame):
        if self._held:
            return
        self.received = signal.Signals(signum)
        raise Interrupted(self.received.name)

    def dropped(self, unraisable, previous_hook) -> None:
        """sys.unraisablehook: a dropped Interrupted is raised again by a fresh signal."""
        if not isinstance(unraisable.exc_value, Interrupted):
            previous_hook(unraisable)
            return
        self._resend = threading.Timer(SIGNAL_RESEND_SECONDS, os.kill, (os.getpid(), self.received))
        self._resend.daemon = True
        self._resend.start()

    def cancel_resend(self) -> None:
        if self._resend is not None:
            self._resend.cancel()

    @contextmanager
    def held(self):
        """A step that must not stop half-way (removing the staging folder, publishing;
        milliseconds) finishes: a signal meanwhile is ignored."""
        self._held = True
        try:
            yield
        finally:
            self._held = False


@contextmanager
def stop_on_signals():
    """SIGINT and SIGTERM raise Interrupted in the launcher, so the run stops, its staging
    files are removed and the command exits 130 with one line; the old handlers come back
    after.  (Off the main thread, where Python cannot handle signals, nothing changes.)"""
    stop = _SignalStop()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    previous_hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: stop.dropped(unraisable, previous_hook)
    try:
        yield stop
    finally:
        stop.cancel_resend()
        sys.unraisablehook = previous_hook
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def failure_line(exc: BaseException) -> str:
    """One line for a failed run: the OS error behind it (a full disk, a permission), else the
    last line of the innermost error message (Beam wraps worker errors in several layers)."""
    seen = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return f"{seen.strerror}" + (f": {seen.filename}" if seen.filename else "")
        seen = seen.__cause__ or seen.__context__
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    errors = [line for line in lines if re.match(r"^[\w.]*(Error|Exception)\b", line)]
    return (errors or lines or [type(exc).__name__])[-1][:500]


@contextmanager
def output_errors(output: str):
    """An OS error on the output folder (unwritable, full) is one line, not a traceback."""
    try:
        yield
    except OSError as exc:
        raise outputs.OutputError(f"cannot write to {output}: {failure_line(exc)}") from None


def cancel(result) -> None:
    try:
        result.cancel()
    except Exception:  # pragma: no cover - the runner has already stopped
        logging.getLogger(__name__).debug("cancel after a signal failed", exc_info=True)
