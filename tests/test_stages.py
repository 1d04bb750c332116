"""Specification of the per-question stage clock (bot.stages).

The benchmark reads where a question's time went from ``Answer.timings``, so the clock must account for
every millisecond of the question exactly once, keep concurrent questions apart, and cost nothing outside
``Engine.ask``.
"""

from __future__ import annotations

import threading
import time

import pytest

from bot import stages

SLEEP_S = 0.01  # long enough to dominate timer noise, short enough for a unit test
# the concurrent questions' searches differ by this step (s): a search counted on another's clock shows as a
# whole step, which a busy shared machine's scheduling slack (once 5 ms over a 20 ms sleep) never reaches
CONCURRENT_STEP_S = 0.05


def test_stages_add_up_to_the_total() -> None:
    """understand + embed + search + resolve = total: nothing is counted twice or lost."""
    with stages.question_clock() as clock:
        time.sleep(SLEEP_S)  # understanding
        with stages.timed(stages.EMBED):
            time.sleep(SLEEP_S)
        with stages.timed(stages.SEARCH):
            time.sleep(SLEEP_S)
        time.sleep(SLEEP_S)  # resolving
        with stages.timed(stages.SEARCH):  # a calculation's second search adds to the first
            time.sleep(SLEEP_S)
    timings = clock.timings()
    assert list(timings) == list(stages.STAGES)
    assert sum(timings[s] for s in stages.STAGES if s != stages.TOTAL) == pytest.approx(timings[stages.TOTAL])
    for stage, sleeps in ((stages.UNDERSTAND, 1), (stages.EMBED, 1), (stages.SEARCH, 2), (stages.RESOLVE, 1)):
        assert timings[stage] >= sleeps * SLEEP_S * stages.MS_PER_S - 0.5, stage


def test_a_question_without_embedding_is_all_understanding() -> None:
    """Empty or junk input is refused before any search: its whole time is the understand stage."""
    with stages.question_clock() as clock:
        time.sleep(SLEEP_S)
    timings = clock.timings()
    assert timings[stages.UNDERSTAND] == pytest.approx(timings[stages.TOTAL])
    assert timings[stages.EMBED] == timings[stages.SEARCH] == timings[stages.RESOLVE] == 0.0


def test_timing_outside_a_question_records_nothing() -> None:
    """Index builds and the benchmark's own probes call the embedder too; they have no clock to fill."""
    with stages.timed(stages.EMBED):
        pass
    with stages.question_clock() as clock:
        pass
    assert clock.timings()[stages.EMBED] == 0.0


def test_concurrent_questions_keep_their_own_clocks() -> None:
    """Worker threads answer questions at once; one question's search must not land on another's clock."""
    results: dict[int, dict[str, float]] = {}

    def ask(number: int) -> None:
        with stages.question_clock() as clock, stages.timed(stages.SEARCH):
            time.sleep(CONCURRENT_STEP_S * (number + 1))
        results[number] = clock.timings()

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for number, timings in results.items():
        expected = CONCURRENT_STEP_S * (number + 1) * stages.MS_PER_S
        # another question's search on this clock would add a whole step or more; a busy core adds less
        assert expected - 0.5 <= timings[stages.SEARCH] < expected + CONCURRENT_STEP_S * stages.MS_PER_S / 2
