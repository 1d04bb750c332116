"""Incremental, atomic index builds over a folder of several reports.

Staff add, replace and remove reports over time. Embedding is the slow part of
a build (tens of seconds per report on two cores), so a build must embed only
what is new or changed, must forget a removed report completely (a stale figure
in an answer is worse than none), and must never leave a half-built index in
use. These tests use a fast deterministic stand-in embedder wrapped in a
recorder, so they can count exactly what each build embedded; retrieval quality
is not under test here.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from embedder_support import HashEmbedder

from bot.index import (
    CURRENT_LINK,
    FORMAT_VERSION,
    MANIFEST,
    BuildReport,
    IndexProblem,
    build_index,
    current_dir,
    load_index,
)

ROOT = Path(__file__).resolve().parent.parent
REPORTS = Path(__file__).resolve().parent / "data" / "reports"
SEED = ROOT / "knowledge" / "suzhou-keji-2021-summary-2022-plan.md"
SUZHOU_2022 = REPORTS / "suzhou-keji-2022-summary-2023-plan.md"
WUXI_2022 = REPORTS / "wuxi-keji-2022-summary-2023-plan.md"
WUXI_ID = WUXI_2022.stem
WUXI_TITLE = "无锡市科技局2022年工作总结和2023年工作思路"


class RecordingEmbedder:
    """Wraps an embedder and records every passage batch; can fail after ``fail_after`` batches.

    Counting batches is how a test sees "embeds only the new report": the
    recorded texts must all belong to that report.
    """

    def __init__(self, inner: HashEmbedder, fail_after: int | None = None, error: BaseException | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.batches: list[list[str]] = []
        self.fail_after = fail_after
        self.error = error or RuntimeError("embedding service crashed")

    @property
    def texts(self) -> list[str]:
        return [t for batch in self.batches for t in batch]

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if self.fail_after is not None and len(self.batches) >= self.fail_after:
            raise self.error
        self.batches.append(list(texts))
        return self.inner.embed_passages(texts)


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    """A reports folder with the two Suzhou reports; tests add, edit and remove files in it."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    shutil.copy(SEED, folder)
    shutil.copy(SUZHOU_2022, folder)
    return folder


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


def build(
    knowledge: Path, index_dir: Path, embedder: RecordingEmbedder | None = None
) -> tuple[BuildReport, RecordingEmbedder]:
    embedder = embedder or RecordingEmbedder(HashEmbedder())
    return build_index(knowledge, index_dir, embedder, progress=False), embedder


def doc_texts(index_dir: Path, doc_id: str) -> list[str]:
    """What a build must embed for one report: its sentences and its distinct figure clauses."""
    payload = json.loads((current_dir(index_dir) / "docs" / f"{doc_id}.json").read_text(encoding="utf-8"))
    return [s["text"] for s in payload["sentences"]] + list(payload["clauses"])


def manifest(index_dir: Path) -> dict:
    return json.loads((current_dir(index_dir) / MANIFEST).read_text(encoding="utf-8"))


def version_dirs(index_dir: Path) -> list[str]:
    """Every build folder in the index directory, finished (v-*) or not (.building-*)."""
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith(("v-", ".building-")))


# ---------------------------------------------------------------- incremental


def test_first_build_embeds_every_report_once(knowledge: Path, index_dir: Path) -> None:
    report, embedder = build(knowledge, index_dir)
    assert sorted(report.added) == sorted([SEED.stem, SUZHOU_2022.stem])
    assert report.changed == report.removed == report.unchanged == []
    expected = doc_texts(index_dir, SEED.stem) + doc_texts(index_dir, SUZHOU_2022.stem)
    assert sorted(embedder.texts) == sorted(expected)


def test_adding_a_report_embeds_only_it(knowledge: Path, index_dir: Path) -> None:
    build(knowledge, index_dir)
    shutil.copy(WUXI_2022, knowledge)
    report, embedder = build(knowledge, index_dir)
    assert report.added == [WUXI_ID]
    assert sorted(report.unchanged) == sorted([SEED.stem, SUZHOU_2022.stem])
    assert report.changed == report.removed == []
    assert sorted(embedder.texts) == sorted(doc_texts(index_dir, WUXI_ID))
    assert {d["doc_id"] for d in manifest(index_dir)["documents"]} == {SEED.stem, SUZHOU_2022.stem, WUXI_ID}


def test_unchanged_rebuild_embeds_nothing_and_keeps_indexing_dates(knowledge: Path, index_dir: Path) -> None:
    build(knowledge, index_dir)
    before = {d["doc_id"]: d["indexed_at"] for d in manifest(index_dir)["documents"]}
    report, embedder = build(knowledge, index_dir)
    assert embedder.batches == []
    assert sorted(report.unchanged) == sorted(before)
    assert {d["doc_id"]: d["indexed_at"] for d in manifest(index_dir)["documents"]} == before


def test_changing_a_report_reembeds_only_it(knowledge: Path, index_dir: Path) -> None:
    shutil.copy(WUXI_2022, knowledge)
    build(knowledge, index_dir)
    wuxi = knowledge / WUXI_2022.name
    wuxi.write_text(wuxi.read_text(encoding="utf-8").replace("412.6亿元", "415.2亿元"), encoding="utf-8")
    report, embedder = build(knowledge, index_dir)
    assert report.changed == [WUXI_ID]
    assert report.added == report.removed == []
    assert sorted(embedder.texts) == sorted(doc_texts(index_dir, WUXI_ID))
    raws = {f.raw for f in load_index(index_dir).figures if f.doc_id == WUXI_ID}
    assert "415.2亿元" in raws
    assert "412.6亿元" not in raws


def test_removing_a_report_leaves_no_trace(knowledge: Path, index_dir: Path) -> None:
    from bot.engine import Engine

    shutil.copy(WUXI_2022, knowledge)
    build(knowledge, index_dir)
    question = "无锡物联网产业营业收入是多少亿元"
    before = Engine(load_index(index_dir), HashEmbedder()).ask(question)
    assert any(c.doc == WUXI_TITLE for c in before.citations), "precondition: the Wuxi report answers this"

    (knowledge / WUXI_2022.name).unlink()
    report, embedder = build(knowledge, index_dir)
    assert report.removed == [WUXI_ID]
    assert embedder.batches == []
    assert WUXI_ID not in {d["doc_id"] for d in manifest(index_dir)["documents"]}
    assert not [p.name for p in (current_dir(index_dir) / "docs").iterdir() if p.stem == WUXI_ID]
    assert version_dirs(index_dir) == [current_dir(index_dir).name], "the previous version (with Wuxi) is deleted"
    index = load_index(index_dir)
    assert WUXI_ID not in index.documents
    assert not [s for s in index.sentences if s.doc_id == WUXI_ID]
    assert not [f for f in index.figures if f.doc_id == WUXI_ID]
    after = Engine(index, HashEmbedder()).ask(question)
    assert all(c.doc != WUXI_TITLE for c in after.citations + after.nearest)
    assert after.value != 3870


def test_build_summary_says_what_was_added_changed_and_removed(knowledge: Path, index_dir: Path) -> None:
    build(knowledge, index_dir)
    (knowledge / SEED.name).unlink()
    shutil.copy(WUXI_2022, knowledge)
    suzhou = knowledge / SUZHOU_2022.name
    suzhou.write_text(suzhou.read_text(encoding="utf-8") + "\n全年新增科技企业孵化器 12 家。\n", encoding="utf-8")
    report, _ = build(knowledge, index_dir)
    summary = report.summary()
    print(summary)
    assert "1 added, 1 changed, 1 removed, 0 unchanged" in summary
    assert f"  added: {WUXI_ID}" in summary
    assert f"  changed: {SUZHOU_2022.stem}" in summary
    assert f"  removed: {SEED.stem}" in summary
    assert f"{report.sentences} sentences, {report.figures} figures" in summary


# ---------------------------------------------------------------- atomic switch


@pytest.mark.parametrize(
    "error",
    [RuntimeError("embedding service crashed"), KeyboardInterrupt()],
    ids=["exception", "interrupt"],
)
def test_failed_build_keeps_the_previous_version_current(
    knowledge: Path, index_dir: Path, error: BaseException
) -> None:
    build(knowledge, index_dir)
    previous = current_dir(index_dir)
    shutil.copy(WUXI_2022, knowledge)
    failing = RecordingEmbedder(HashEmbedder(), fail_after=1, error=error)
    with pytest.raises(type(error)):
        build(knowledge, index_dir, failing)
    assert failing.batches, "the failure happened half-way, after some embedding"
    assert current_dir(index_dir) == previous
    assert version_dirs(index_dir) == [previous.name], "no partial v-* or .building-* folder is left"
    assert set(load_index(index_dir).documents) == {SEED.stem, SUZHOU_2022.stem}

    report, _ = build(knowledge, index_dir)  # the next build works and embeds only the new report
    assert report.added == [WUXI_ID]
    assert version_dirs(index_dir) == [current_dir(index_dir).name]


def test_unreadable_report_fails_the_build_without_touching_the_index(knowledge: Path, index_dir: Path) -> None:
    build(knowledge, index_dir)
    previous = current_dir(index_dir)
    (knowledge / "broken-scan.docx").write_bytes(b"PK\x03\x04 not really a word file")
    with pytest.raises(Exception):  # noqa: B017 - whatever the docx reader raises; the index is what matters
        build(knowledge, index_dir)
    assert current_dir(index_dir) == previous
    assert version_dirs(index_dir) == [previous.name]


def test_failure_while_switching_leaves_no_orphan_version(
    knowledge: Path, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.index

    build(knowledge, index_dir)
    previous = current_dir(index_dir)

    def broken_switch(index_dir: Path, target: Path) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(bot.index, "_switch_current", broken_switch)
    with pytest.raises(OSError):
        build(knowledge, index_dir)
    assert current_dir(index_dir) == previous
    assert version_dirs(index_dir) == [previous.name]


# ---------------------------------------------------------------- mismatches


def test_index_of_another_embedder_is_a_clear_error(knowledge: Path, index_dir: Path) -> None:
    from bot.engine import Engine

    build(knowledge, index_dir)
    with pytest.raises(IndexProblem, match=r"test/hash-bigram-64.*other/model.*rebuild"):
        load_index(index_dir, "other/model")
    with pytest.raises(IndexProblem):
        Engine.load(index_dir, HashEmbedder("other/model"))


def test_rebuild_with_another_embedder_reembeds_everything(knowledge: Path, index_dir: Path) -> None:
    build(knowledge, index_dir)
    report, embedder = build(knowledge, index_dir, RecordingEmbedder(HashEmbedder("other/model")))
    assert report.unchanged == []
    assert sorted(embedder.texts) == sorted(doc_texts(index_dir, SEED.stem) + doc_texts(index_dir, SUZHOU_2022.stem))
    assert manifest(index_dir)["embedder"] == "other/model"


def test_index_of_another_format_version_is_a_clear_error(knowledge: Path, index_dir: Path) -> None:
    build(knowledge, index_dir)
    path = current_dir(index_dir) / MANIFEST
    data = json.loads(path.read_text(encoding="utf-8"))
    data["format_version"] = FORMAT_VERSION + 1
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(IndexProblem, match=rf"format {FORMAT_VERSION + 1}.*rebuild"):
        load_index(index_dir)
    report, embedder = build(knowledge, index_dir)  # an old-format index is never reused
    assert report.unchanged == []
    assert embedder.batches
    assert manifest(index_dir)["format_version"] == FORMAT_VERSION


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IndexProblem, match="no index"):
        load_index(tmp_path / "nowhere")
    assert not (tmp_path / "nowhere" / CURRENT_LINK).exists()


# ---------------------------------------------------------------- stable ids


def test_sentence_ids_are_stable_across_rebuilds(knowledge: Path, index_dir: Path, tmp_path: Path) -> None:
    """Citations in old chat messages point at sentence ids: the same text must keep its id."""
    shutil.copy(WUXI_2022, knowledge)
    build(knowledge, index_dir)
    first = {s.id: s.text for s in load_index(index_dir).sentences}

    build(knowledge, tmp_path / "fresh-index")
    assert {s.id: s.text for s in load_index(tmp_path / "fresh-index").sentences} == first

    wuxi = knowledge / WUXI_2022.name
    edited = "全市物联网产业营业收入达3870亿元，同比增长12.3%。"
    wuxi.write_text(
        wuxi.read_text(encoding="utf-8").replace(edited, "全市物联网产业营业收入达3912亿元，同比增长13.6%。"),
        encoding="utf-8",
    )
    build(knowledge, index_dir)
    second = {s.id: s.text for s in load_index(index_dir).sentences}
    assert {i: t for i, t in first.items() if t != edited} == {i: t for i, t in second.items() if "3912" not in t}
    figure_ids = {f.id for f in load_index(index_dir).figures if f.doc_id == SEED.stem}
    assert figure_ids == {f.id for f in load_index(tmp_path / "fresh-index").figures if f.doc_id == SEED.stem}
