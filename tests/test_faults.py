"""Issue 7 — broken indexes: every way an index can be damaged is named, with the fix, and never answered from.

An index folder lives on a shared disk: copies get truncated, a manifest gets
deleted, an operator switches the embedder, a build is killed half-way. In each
case ``Engine.load`` must raise :class:`bot.index.IndexProblem` whose message
says how to fix it (rebuild with ``scripts/build_index.py``), and
``python -m bot ask --index <bad>`` must exit non-zero with that message on
stderr and print no answer. The CLI runs in a subprocess with ``--knowledge``
pointing at an empty folder, so it cannot quietly rebuild over the damage.

Builds must be atomic: an interrupted build leaves the previous index in use
and no half-written version folder; a removed report leaves nothing behind.
"""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import subprocess
import sys
import warnings
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot import index as index_module
from bot.engine import Engine
from bot.index import CURRENT_LINK, MANIFEST, IndexProblem, build_index, current_dir, load_index

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
SEED_DOC = "suzhou-keji-2021-summary-2022-plan"
QUESTION = "2022年瞪羚企业目标是多少"  # answered 350 家 from a healthy index
FIX = re.compile(r"scripts/build_index\.py|python -m bot build")
CLI_TIMEOUT_S = 300


# ── corrupting a copy of the seed index ─────────────────────────────────────


def copy_index(seed_index: Path, destination: Path) -> Path:
    """A private copy (the ``current`` symlink is relative, so it keeps pointing inside the copy)."""
    shutil.copytree(seed_index, destination, symlinks=True)
    return destination


def _version(index: Path) -> Path:
    directory = current_dir(index)
    assert directory is not None
    return directory


def _doc(index: Path, suffix: str) -> Path:
    return _version(index) / "docs" / f"{SEED_DOC}{suffix}"


def _edit_manifest(index: Path, **changes: Any) -> None:
    path = _version(index) / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is _DELETE:
            manifest.pop(key, None)
        else:
            manifest[key] = value
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _vectors(index: Path) -> tuple[np.ndarray, np.ndarray]:
    with np.load(_doc(index, ".npz")) as arrays:
        return np.array(arrays["sentences"]), np.array(arrays["clauses"])


def _write_vectors(index: Path, **arrays: np.ndarray) -> None:
    np.savez(_doc(index, ".npz"), **arrays)


def _narrow_vectors(index: Path, dim: int) -> None:
    sentences, clauses = _vectors(index)
    _write_vectors(index, sentences=sentences[:, :dim], clauses=clauses[:, :dim])


def _narrow_vectors_and_manifest(index: Path, dim: int) -> None:
    """Self-consistent, but not what the configured embedder produces (an index of another model)."""
    _narrow_vectors(index, dim)
    _edit_manifest(index, dim=dim)


def _edit_doc(index: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    path = _doc(index, ".json")
    payload = json.loads(path.read_text(encoding="utf-8"))
    edit(payload)
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")


def _edit_first_figure(index: Path, **changes: Any) -> None:
    _edit_doc(index, lambda payload: payload["figures"][0].update(changes))


def _list_documents_twice(index: Path) -> None:
    """A hand-merged manifest: the same report twice would double its sentences and figures."""
    manifest = json.loads((_version(index) / MANIFEST).read_text(encoding="utf-8"))
    _edit_manifest(index, documents=manifest["documents"] * 2)


def _loop_current(index: Path) -> None:
    """``ln -sfn current current`` typed in the wrong folder: a link to itself."""
    (index / CURRENT_LINK).unlink()
    (index / CURRENT_LINK).symlink_to(CURRENT_LINK)


_DELETE = object()


@dataclass(frozen=True)
class Fault:
    """One way to damage an index; ``load_defect``/``cli_defect`` name a known bug (strict xfail) until fixed."""

    name: str
    damage: Callable[[Path], None]
    load_defect: str = ""
    cli_defect: str = ""


FAULTS = (
    Fault("manifest-deleted", lambda ix: (_version(ix) / MANIFEST).unlink()),
    Fault("manifest-truncated", lambda ix: _truncate(_version(ix) / MANIFEST)),
    Fault("manifest-empty", lambda ix: (_version(ix) / MANIFEST).write_text("", encoding="utf-8")),
    Fault("manifest-not-an-object", lambda ix: (_version(ix) / MANIFEST).write_text("[]", encoding="utf-8")),
    Fault("manifest-other-embedder", lambda ix: _edit_manifest(ix, embedder="st:/models/bge-small-zh-v1.5")),
    Fault("manifest-newer-format", lambda ix: _edit_manifest(ix, format_version=index_module.FORMAT_VERSION + 1)),
    Fault("manifest-without-format", lambda ix: _edit_manifest(ix, format_version=_DELETE)),
    Fault("manifest-dim-not-a-number", lambda ix: _edit_manifest(ix, dim="384d")),
    Fault("manifest-documents-not-a-list", lambda ix: _edit_manifest(ix, documents={SEED_DOC: {}})),
    Fault("manifest-lists-a-report-twice", _list_documents_twice),
    Fault("doc-json-truncated", lambda ix: _truncate(_doc(ix, ".json"))),
    Fault("doc-json-deleted", lambda ix: _doc(ix, ".json").unlink()),
    Fault("doc-json-not-utf8", lambda ix: _doc(ix, ".json").write_bytes(b"\xff\xfe\x00garbage")),
    Fault("doc-figure-number-garbage", lambda ix: _edit_first_figure(ix, number="3,8")),
    Fault("doc-figure-kind-unknown", lambda ix: _edit_first_figure(ix, kind="guess")),
    Fault(
        "doc-records-not-objects",
        lambda ix: _edit_doc(ix, lambda payload: payload.update(sentences=["2022年遴选瞪羚企业350家。"])),
    ),
    Fault("npz-garbage", lambda ix: _doc(ix, ".npz").write_bytes(os.urandom(4096).replace(b"PK", b"pk"))),
    Fault("npz-truncated", lambda ix: _truncate(_doc(ix, ".npz"))),
    Fault("npz-deleted", lambda ix: _doc(ix, ".npz").unlink()),
    Fault("npz-missing-array", lambda ix: _write_vectors(ix, other=_vectors(ix)[0])),
    Fault("npz-fewer-rows", lambda ix: _write_vectors(ix, sentences=_vectors(ix)[0][:-3], clauses=_vectors(ix)[1])),
    Fault("vectors-wrong-dimension", lambda ix: _narrow_vectors(ix, 100)),
    Fault("vectors-and-manifest-wrong-dimension", lambda ix: _narrow_vectors_and_manifest(ix, 100)),
    Fault("docs-folder-deleted", lambda ix: shutil.rmtree(_version(ix) / "docs")),
    Fault("version-folder-deleted", lambda ix: shutil.rmtree(_version(ix))),
    Fault("current-link-deleted", lambda ix: (ix / CURRENT_LINK).unlink()),
    Fault("current-link-loop", _loop_current),
)


def _params(defect_of: Callable[[Fault], str]) -> list[Any]:
    return [
        pytest.param(f, id=f.name, marks=[pytest.mark.xfail(strict=True, reason=defect_of(f))] if defect_of(f) else [])
        for f in FAULTS
    ]


@pytest.mark.parametrize("fault", _params(lambda f: f.load_defect))
def test_a_damaged_index_raises_index_problem_naming_the_fix(
    seed_index: Path, embedder: Any, tmp_path: Path, fault: Fault
) -> None:
    """Loading never half-works: one exception type the surfaces catch, with the command that repairs it."""
    index = copy_index(seed_index, tmp_path / "index")
    fault.damage(index)
    try:
        with pytest.raises(IndexProblem) as problem:
            Engine.load(index, embedder)
    finally:
        _collect_leaked_files()  # see test_a_damaged_npz_leaves_no_open_file
    assert FIX.search(str(problem.value)), f"the message does not say how to fix it: {problem.value}"


def _collect_leaked_files() -> list[str]:
    """Collect garbage now and return ResourceWarnings of files a failed load left open.

    Without this, the leaked file's warning fires at some later garbage collection and
    (warnings are errors) fails an unrelated test.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        gc.collect()
    return [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]


def test_a_damaged_npz_leaves_no_open_file(seed_index: Path, embedder: Any, tmp_path: Path) -> None:
    """A long-running bot retries loads; each failed attempt must not leak a file descriptor."""
    index = copy_index(seed_index, tmp_path / "index")
    _truncate(_doc(index, ".npz"))
    _collect_leaked_files()
    with pytest.raises(IndexProblem):
        Engine.load(index, embedder)
    assert _collect_leaked_files() == []


class _HashedLike:
    """The configured embedder's name and dimension with instant hashed vectors, so a test rebuild takes a second.

    Same name and dimension means ``build_index`` takes the path that reuses intact vectors of the damaged index.
    """

    def __init__(self, like: Any) -> None:
        self.name: str = like.name
        self.dim: int = like.dim

    def embed_passages(self, texts: Any) -> np.ndarray:
        rows = [np.random.default_rng(zlib.crc32(text.encode())).standard_normal(self.dim) for text in texts]
        vectors = np.asarray(rows, dtype=np.float32).reshape(len(rows), self.dim)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(1e-9)

    embed_queries = embed_passages


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_the_named_fix_repairs_every_damage(seed_index: Path, embedder: Any, tmp_path: Path, fault: Fault) -> None:
    """The message says rebuild: the rebuild must then succeed over the damage and never reuse a damaged part."""
    index = copy_index(seed_index, tmp_path / "index")
    fault.damage(index)
    stand_in = _HashedLike(embedder)
    build_index(KNOWLEDGE, index, stand_in, progress=False)
    repaired = load_index(index, stand_in.name, stand_in.dim)
    assert list(repaired.documents) == [SEED_DOC]
    assert repaired.sentence_vectors.shape == (len(repaired.sentences), stand_in.dim)
    assert repaired.clause_vectors.shape[1] == stand_in.dim


# ── the CLI on a damaged index (subprocesses, run concurrently once per module) ──


@dataclass(frozen=True)
class CliRun:
    returncode: int
    stdout: str
    stderr: str


def _run_cli(index: Path, knowledge: Path) -> CliRun:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WENSHU_")}
    env["HF_HUB_OFFLINE"] = "1"
    command = [sys.executable, "-m", "bot", "ask", "--index", str(index), "--knowledge", str(knowledge), QUESTION]
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=CLI_TIMEOUT_S, check=False
    )
    return CliRun(done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="module")
def cli_runs(seed_index: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, CliRun]:
    """``python -m bot ask`` on every damaged copy; run in parallel because each start loads the embedder."""
    empty_knowledge = tmp_path_factory.mktemp("empty-knowledge")
    jobs: dict[str, Path] = {}
    for fault in FAULTS:
        index = copy_index(seed_index, tmp_path_factory.mktemp(f"cli-{fault.name}") / "index")
        fault.damage(index)
        jobs[fault.name] = index
    with ThreadPoolExecutor(max_workers=max(2, min(4, os.cpu_count() or 2))) as pool:
        futures = {name: pool.submit(_run_cli, index, empty_knowledge) for name, index in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.slow
@pytest.mark.parametrize("fault", _params(lambda f: f.cli_defect))
def test_cli_exits_non_zero_with_the_fix_on_stderr_and_no_answer(cli_runs: dict[str, CliRun], fault: Fault) -> None:
    """Scripts and operators see a failed command and the repair, never a stale or apologetic 'answer'."""
    run = cli_runs[fault.name]
    assert run.returncode != 0, f"exit 0; stdout={run.stdout!r}"
    assert FIX.search(run.stderr), f"stderr does not name the fix: {run.stderr[-500:]}"
    assert "Traceback" not in run.stderr, f"a traceback instead of a message: {run.stderr[-800:]}"
    assert run.stdout.strip() == "", f"printed an answer: {run.stdout!r}"


@pytest.mark.slow
def test_cli_answers_from_a_healthy_copy(seed_index: Path, tmp_path: Path) -> None:
    """The control for the fault runs: the same command on an undamaged copy answers and exits 0."""
    index = copy_index(seed_index, tmp_path / "index")
    empty = tmp_path / "empty-knowledge"
    empty.mkdir()
    run = _run_cli(index, empty)
    assert run.returncode == 0, run.stderr[-800:]
    assert "350" in run.stdout


# ── interrupted builds ──────────────────────────────────────────────────────


def _entries(index: Path) -> list[str]:
    return sorted(p.name for p in index.iterdir())


NEW_DOC = "shili-jihua-2022"
NEW_REPORT = """---
title: 示例区科技工作 2022 年计划
city: 示例区
period: 2021
plan_year: 2022
---

# 示例区科技工作 2022 年计划

## 一、2022 年工作计划

2022 年新建示例研究所 7 家。培育示例企业 31 家。引进示例人才 58 人。\
新增示例专利 260 项。举办示例活动 12 场。设立示例基金 3 个。
"""
BATCH = 2  # passages per embedding call in these tests: the new report then needs 6 calls (3 sentences, 3 clauses)


def _knowledge_with_a_new_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seed report (its vectors are reused) plus a new six-sentence report embedded in small batches."""
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    shutil.copy(KNOWLEDGE / f"{SEED_DOC}.md", knowledge)
    (knowledge / f"{NEW_DOC}.md").write_text(NEW_REPORT, encoding="utf-8")
    monkeypatch.setattr(index_module, "EMBED_BATCH", BATCH)
    return knowledge


@pytest.mark.parametrize("interruption", [RuntimeError, KeyboardInterrupt], ids=["error", "ctrl-c"])
def test_a_build_interrupted_half_way_keeps_the_previous_index(
    seed_index: Path, embedder: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, interruption: type[BaseException]
) -> None:
    """The embedder dies after two of six batches: ``current`` still answers, and no partial folder is left."""
    index = copy_index(seed_index, tmp_path / "index")
    knowledge = _knowledge_with_a_new_report(tmp_path, monkeypatch)
    before_target, before_entries = _version(index), _entries(index)
    real_embed = embedder.embed_passages
    calls = {"n": 0}

    def dies_half_way(texts: Any) -> np.ndarray:
        calls["n"] += 1
        if calls["n"] > 2:
            raise interruption("embedder stopped half-way")
        return real_embed(texts)

    monkeypatch.setattr(embedder, "embed_passages", dies_half_way)
    with pytest.raises(interruption):
        build_index(knowledge, index, embedder, progress=False)
    monkeypatch.undo()

    assert calls["n"] == 3, "the build should have embedded two batches before the failure"
    assert _version(index) == before_target
    assert _entries(index) == before_entries, "a partial .building-*/v-* folder or temp link was left behind"
    answer = Engine.load(index, embedder).ask(QUESTION)
    assert answer.found and answer.value == 350


def _fail_at_the_switch(
    seed_index: Path, embedder: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, list[str], Path]:
    """Build with ``_switch_current`` failing (no symlinks on the file system, a full disk).

    Returns the index, its entries before the build and the version ``current`` pointed at.
    """
    index = copy_index(seed_index, tmp_path / "index")
    knowledge = _knowledge_with_a_new_report(tmp_path, monkeypatch)
    before, target = _entries(index), _version(index)

    def no_symlinks(index_dir: Path, version: Path) -> None:
        raise OSError(95, "Operation not supported")

    monkeypatch.setattr(index_module, "_switch_current", no_symlinks)
    with pytest.raises(OSError):
        build_index(knowledge, index, embedder, progress=False)
    monkeypatch.undo()
    return index, before, target


def test_a_build_that_fails_at_the_switch_keeps_the_previous_index(
    seed_index: Path, embedder: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last step (re-pointing ``current``) can fail too; the old index must keep answering."""
    index, _, target = _fail_at_the_switch(seed_index, embedder, tmp_path, monkeypatch)
    assert _version(index) == target
    assert Engine.load(index, embedder).ask(QUESTION).value == 350


def test_a_build_that_fails_at_the_switch_leaves_no_orphan_version(
    seed_index: Path, embedder: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing of a failed build may remain: an orphan version folder is disk waste and confuses operators."""
    index, before, _ = _fail_at_the_switch(seed_index, embedder, tmp_path, monkeypatch)
    assert _entries(index) == before


def test_leftovers_of_a_killed_build_are_ignored_and_then_removed(
    seed_index: Path, embedder: Any, tmp_path: Path
) -> None:
    """kill -9 runs no cleanup: stale .building-*/v-* folders must not be loaded and the next build deletes them."""
    index = copy_index(seed_index, tmp_path / "index")
    (index / ".building-20200101-000000-1-1" / "docs").mkdir(parents=True)
    (index / ".building-20200101-000000-1-1" / "docs" / "half.json").write_text("{", encoding="utf-8")
    (index / "v-20200101-000000-1-2").mkdir()
    assert Engine.load(index, embedder).ask(QUESTION).value == 350

    report = build_index(KNOWLEDGE, index, embedder, progress=False)
    assert report.unchanged == [SEED_DOC], "an unchanged report must reuse its vectors"
    assert _entries(index) == sorted([CURRENT_LINK, _version(index).name])


# ── a removed report leaves nothing behind ──────────────────────────────────

EXTRA_DOC = "shili-keji-2021"
EXTRA_REPORT = """---
title: 示例市科技创新工作 2021 年总结
issuer: 示例市科学技术局
city: 示例
period: 2021
plan_year: 2022
---

# 示例市科技创新工作 2021 年总结

## 一、2021 年重点工作回顾

2021 年，示例市新建琥珀实验室 7 家，琥珀实验室引进研究人员 313 人。
"""
EXTRA_QUESTION = "2021年新建琥珀实验室多少家"


def test_rebuilding_after_removing_a_report_leaves_nothing_of_it(
    seed_index: Path, embedder: Any, tmp_path: Path
) -> None:
    """Exact rebuilds: after a report is withdrawn no record, vector, file or answer of it survives."""
    index = copy_index(seed_index, tmp_path / "index")
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    shutil.copy(KNOWLEDGE / f"{SEED_DOC}.md", knowledge)
    (knowledge / f"{EXTRA_DOC}.md").write_text(EXTRA_REPORT, encoding="utf-8")

    added = build_index(knowledge, index, embedder, progress=False)
    assert added.added == [EXTRA_DOC]
    with_extra = Engine.load(index, embedder).ask(EXTRA_QUESTION)
    assert with_extra.found and with_extra.value == 7, with_extra.text
    assert {c.doc for c in with_extra.citations} == {"示例市科技创新工作 2021 年总结"}

    (knowledge / f"{EXTRA_DOC}.md").unlink()
    removed = build_index(knowledge, index, embedder, progress=False)
    assert removed.removed == [EXTRA_DOC]

    engine = Engine.load(index, embedder)
    assert EXTRA_DOC not in engine.index.documents
    assert not [s for s in engine.index.sentences if s.doc_id == EXTRA_DOC]
    assert not [f for f in engine.index.figures if f.doc_id == EXTRA_DOC]
    assert len(engine.index.sentence_vectors) == len(engine.index.sentences)
    manifest = json.loads((_version(index) / MANIFEST).read_text(encoding="utf-8"))
    assert [d["doc_id"] for d in manifest["documents"]] == [SEED_DOC]
    leftovers = [p for p in index.rglob("*") if p.is_file() and "琥珀".encode() in p.read_bytes()]
    assert not leftovers, f"the removed report survives in {leftovers}"
    assert sorted(p.name for p in index.iterdir() if p.name.startswith(("v-", ".building-"))) == [_version(index).name]

    for question in (EXTRA_QUESTION, "琥珀实验室引进研究人员多少人", "示例市2021年新建琥珀实验室多少家"):
        answer = engine.ask(question)
        cited = [c.doc for c in (*answer.citations, *answer.nearest)]
        assert "示例市科技创新工作 2021 年总结" not in cited, f"{question}: still cites the removed report"
        assert not answer.found, f"{question}: answered {answer.text} after its report was removed"
