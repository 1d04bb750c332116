"""Where one question's time goes: wall milliseconds per stage, recorded on the real answering path.

``Engine.ask`` opens a :class:`StageClock` for the question; the embedder (:mod:`bot.embed`) and the
retriever (:mod:`bot.retrieve`) add their own time to the clock of the current context. A context
variable, not a global, so questions answered concurrently in worker threads never mix their clocks, and
code running outside ``ask`` (index builds, tests, the benchmark's probes) records nothing.

The stages of one ``ask`` (milliseconds, each ≥ 0, summing to ``total``):

* ``understand`` — from the start to the first embedding or search: ``bot.understand.analyze`` and
  finding the reports a question names;
* ``embed`` — query embeddings (≈ 0 when the question's vector is cached);
* ``search`` — every ``Retriever.search`` (BM25 + dense search + fusion), a calculation's extra ones too;
* ``resolve`` — the rest: query tokens for BM25, figure scoring and resolution, calculation and composing
  the answer text.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

UNDERSTAND = "understand"
EMBED = "embed"
SEARCH = "search"
RESOLVE = "resolve"
TOTAL = "total"
STAGES: tuple[str, ...] = (UNDERSTAND, EMBED, SEARCH, RESOLVE, TOTAL)
TIMED_STAGES: tuple[str, ...] = (EMBED, SEARCH)  # what components record themselves; the rest is derived
MS_PER_S = 1000.0


class StageClock:
    """Milliseconds of the timed stages of one question, and when the first of them started."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.first_stage_at: float | None = None
        self.ms: dict[str, float] = dict.fromkeys(TIMED_STAGES, 0.0)

    def add(self, stage: str, started: float, ended: float) -> None:
        """Record one timed call (``perf_counter`` seconds); repeated calls of a stage add up."""
        if self.first_stage_at is None:
            self.first_stage_at = started
        self.ms[stage] = self.ms.get(stage, 0.0) + (ended - started) * MS_PER_S

    def timings(self, ended: float | None = None) -> dict[str, float]:
        """Stage → milliseconds in :data:`STAGES` order; ``resolve`` is what the timed stages leave over."""
        ended = time.perf_counter() if ended is None else ended
        total = (ended - self.started) * MS_PER_S
        understand = ((self.first_stage_at if self.first_stage_at is not None else ended) - self.started) * MS_PER_S
        timed = sum(self.ms.values())
        return {
            UNDERSTAND: understand,
            EMBED: self.ms.get(EMBED, 0.0),
            SEARCH: self.ms.get(SEARCH, 0.0),
            RESOLVE: max(0.0, total - understand - timed),
            TOTAL: total,
        }


_CLOCK: ContextVar[StageClock | None] = ContextVar("wenshu_stage_clock", default=None)


@contextmanager
def question_clock() -> Iterator[StageClock]:
    """A fresh clock for the question answered inside the ``with`` block (``Engine.ask``)."""
    clock = StageClock()
    token = _CLOCK.set(clock)
    try:
        yield clock
    finally:
        _CLOCK.reset(token)


@contextmanager
def timed(stage: str) -> Iterator[None]:
    """Add the block's wall time to ``stage`` of the current question's clock (nothing outside ``ask``)."""
    clock = _CLOCK.get()
    if clock is None:
        yield
        return
    started = time.perf_counter()
    try:
        yield
    finally:
        clock.add(stage, started, time.perf_counter())
