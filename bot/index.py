"""Build and load the search index: ``knowledge/`` → ``index/``.

Layout (one directory per build, switched atomically)::

    index/current -> v-<build id>/      a symlink, replaced with os.replace (atomic)
    index/v-<build id>/manifest.json     format version, embedder, dimension, corpus hash, documents
    index/v-<build id>/docs/<doc>.json   sections, sentences, figures of one report
    index/v-<build id>/docs/<doc>.npz    that report's sentence and figure-clause vectors

Rebuilds are exact, not append-only: a document's records come from its
current file only, and vectors are reused only for a byte-identical file
embedded by the same model. A removed report leaves nothing behind. An
interrupted build never touches ``current``, so the previous index keeps working.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from bot.corpus import knowledge_files, load_document
from bot.embed import Embedder
from bot.figures import extract_figures
from bot.lexicon import tokenize
from bot.models import DocumentMeta, Figure, FigureKind, PeriodKind, Section, Sentence

FORMAT_VERSION = 1  # bump when the on-disk layout or record fields change; old indexes are then rejected
CURRENT_LINK = "current"
MANIFEST = "manifest.json"
EMBED_BATCH = 32  # passages per embedding call: bounds memory, keeps the progress bar moving

log = logging.getLogger(__name__)


class IndexProblem(RuntimeError):
    """The index cannot be used; the message says how to fix it."""


@dataclass(frozen=True)
class DocRecords:
    meta: DocumentMeta
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]
    figures: tuple[Figure, ...]
    sentence_vectors: np.ndarray
    clause_vectors: np.ndarray  # one per distinct figure clause, see ``clauses``
    clauses: tuple[str, ...]


@dataclass
class BuildReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    sentences: int = 0
    figures: int = 0
    seconds: float = 0.0
    path: Path | None = None

    def summary(self) -> str:
        parts = [f"{len(self.added)} added", f"{len(self.changed)} changed", f"{len(self.removed)} removed"]
        parts.append(f"{len(self.unchanged)} unchanged")
        lines = [f"index built in {self.seconds:.1f} s: " + ", ".join(parts)]
        lines.append(f"  {self.sentences} sentences, {self.figures} figures → {self.path}")
        for label, names in (("added", self.added), ("changed", self.changed), ("removed", self.removed)):
            lines.extend(f"  {label}: {name}" for name in names)
        return "\n".join(lines)


# ---------------------------------------------------------------- serialization


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _section_from(d: dict[str, Any]) -> Section:
    kind = d.get("period_kind")
    return Section(**{**d, "path": tuple(d["path"]), "period_kind": PeriodKind(kind) if kind else None})


def _sentence_from(d: dict[str, Any]) -> Sentence:
    kind = d.get("period_kind")
    return Sentence(
        **{**d, "section_path": tuple(d["section_path"]), "period_kind": PeriodKind(kind) if kind else None}
    )


def _figure_from(d: dict[str, Any]) -> Figure:
    return Figure(**{**d, "number": Decimal(d["number"]), "value": Decimal(d["value"]), "kind": FigureKind(d["kind"])})


def _write_doc(directory: Path, records: DocRecords) -> None:
    payload = {
        "meta": asdict(records.meta),
        "sections": [asdict(s) for s in records.sections],
        "sentences": [asdict(s) for s in records.sentences],
        "figures": [_jsonable(asdict(f)) for f in records.figures],
        "clauses": list(records.clauses),
    }
    stem = directory / records.meta.doc_id
    stem.with_suffix(".json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    np.savez(stem.with_suffix(".npz"), sentences=records.sentence_vectors, clauses=records.clause_vectors)


def _read_doc(directory: Path, doc_id: str) -> DocRecords:
    stem = directory / doc_id
    payload = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
    with np.load(stem.with_suffix(".npz")) as arrays:
        sentence_vectors = np.asarray(arrays["sentences"], dtype=np.float32)
        clause_vectors = np.asarray(arrays["clauses"], dtype=np.float32)
    records = DocRecords(
        meta=DocumentMeta(**payload["meta"]),
        sections=tuple(_section_from(s) for s in payload["sections"]),
        sentences=tuple(_sentence_from(s) for s in payload["sentences"]),
        figures=tuple(_figure_from(f) for f in payload["figures"]),
        sentence_vectors=sentence_vectors,
        clause_vectors=clause_vectors,
        clauses=tuple(payload["clauses"]),
    )
    if len(records.sentences) != len(sentence_vectors) or len(records.clauses) != len(clause_vectors):
        raise IndexProblem(f"index data of {doc_id} is inconsistent (vectors vs records)")
    return records


# ---------------------------------------------------------------- build


def _embed(embedder: Embedder, texts: list[str], bar: Callable[[int], None]) -> np.ndarray:
    rows: list[np.ndarray] = []
    for i in range(0, len(texts), EMBED_BATCH):
        batch = texts[i : i + EMBED_BATCH]
        rows.append(embedder.embed_passages(batch))
        bar(len(batch))
    if not rows:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.vstack(rows).astype(np.float32)


def corpus_hash(metas: Iterable[DocumentMeta]) -> str:
    digest = hashlib.sha256()
    for meta in sorted(metas, key=lambda m: m.doc_id):
        digest.update(f"{meta.doc_id}:{meta.content_hash}\n".encode())
    return digest.hexdigest()


def current_dir(index_dir: Path) -> Path | None:
    link = index_dir / CURRENT_LINK
    if link.is_symlink() or link.is_dir():
        target = link.resolve()
        return target if target.is_dir() else None
    return None


def build_index(
    knowledge_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    *,
    progress: bool = True,
) -> BuildReport:
    """Parse, extract and embed every report; reuse vectors of unchanged files; switch atomically."""
    from tqdm import tqdm

    started = time.perf_counter()
    report = BuildReport()
    files = knowledge_files(knowledge_dir)
    if not files:
        raise IndexProblem(f"no reports in {knowledge_dir} (expected .md, .txt, .docx or .pdf files)")
    index_dir.mkdir(parents=True, exist_ok=True)
    previous = current_dir(index_dir)
    old_manifest = _read_manifest(previous) if previous else None
    reusable = (
        old_manifest is not None
        and old_manifest.get("format_version") == FORMAT_VERSION
        and old_manifest.get("embedder") == embedder.name
    )
    old_docs: dict[str, dict[str, Any]] = {d["doc_id"]: d for d in old_manifest["documents"]} if old_manifest else {}

    build_id = f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.perf_counter_ns() % 100000}"
    staging = index_dir / f".building-{build_id}"
    final = index_dir / f"v-{build_id}"
    docs_dir = staging / "docs"
    docs_dir.mkdir(parents=True)
    try:
        parsed = [load_document(path) for path in files]
        seen_ids: dict[str, str] = {}
        for doc in parsed:
            if doc.meta.doc_id in seen_ids:
                raise IndexProblem(
                    f"two reports share the id {doc.meta.doc_id!r}: {seen_ids[doc.meta.doc_id]}, {doc.meta.path}"
                )
            seen_ids[doc.meta.doc_id] = doc.meta.path

        to_embed: list[tuple[Any, list[Figure], list[str]]] = []
        metas: list[DocumentMeta] = []
        indexed_at: dict[str, str] = {}
        for doc in parsed:
            meta = doc.meta
            figures = [f for s in doc.sentences for f in extract_figures(s)]
            clauses = list(dict.fromkeys(f.context for f in figures))
            old = old_docs.get(meta.doc_id)
            cached = _reusable_vectors(previous, old, doc, clauses) if reusable and previous else None
            if cached is not None:
                report.unchanged.append(meta.doc_id)
                indexed_at[meta.doc_id] = str(old.get("indexed_at", "")) if old else ""
                _write_doc(
                    docs_dir, DocRecords(meta, doc.sections, doc.sentences, tuple(figures), *cached, tuple(clauses))
                )
                metas.append(meta)
                continue
            (report.changed if old else report.added).append(meta.doc_id)
            to_embed.append((doc, figures, clauses))
        report.removed = sorted(set(old_docs) - {d.meta.doc_id for d in parsed})

        total = sum(len(doc.sentences) + len(clauses) for doc, _, clauses in to_embed)
        with tqdm(total=total, desc="embedding", unit="text", disable=not progress or total == 0) as bar:
            for doc, figures, clauses in to_embed:
                sentence_vectors = _embed(embedder, [s.text for s in doc.sentences], bar.update)
                clause_vectors = _embed(embedder, clauses, bar.update)
                _write_doc(
                    docs_dir,
                    DocRecords(
                        doc.meta,
                        doc.sections,
                        doc.sentences,
                        tuple(figures),
                        sentence_vectors,
                        clause_vectors,
                        tuple(clauses),
                    ),
                )
                metas.append(doc.meta)

        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        documents = []
        for meta in sorted(metas, key=lambda m: m.doc_id):
            records_json = json.loads((docs_dir / f"{meta.doc_id}.json").read_text(encoding="utf-8"))
            documents.append(
                {
                    **asdict(meta),
                    "sentences": len(records_json["sentences"]),
                    "figures": len(records_json["figures"]),
                    "indexed_at": indexed_at.get(meta.doc_id) or stamp,
                }
            )
            report.sentences += len(records_json["sentences"])
            report.figures += len(records_json["figures"])
        manifest = {
            "format_version": FORMAT_VERSION,
            "embedder": embedder.name,
            "dim": embedder.dim,
            "corpus_hash": corpus_hash(metas),
            "built_at": stamp,
            "documents": documents,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        staging.rename(final)
        _switch_current(index_dir, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if current_dir(index_dir) != final.resolve():
            shutil.rmtree(final, ignore_errors=True)  # finished but never switched to: leave nothing behind
        raise
    _remove_stale_versions(index_dir, keep=final)
    report.seconds = time.perf_counter() - started
    report.path = final
    return report


def _reusable_vectors(
    previous: Path, old: dict[str, Any] | None, doc: Any, clauses: list[str]
) -> tuple[np.ndarray, np.ndarray] | None:
    """Vectors of the previous build when the file is byte-identical and its texts are the same."""
    if not old or old.get("content_hash") != doc.meta.content_hash:
        return None
    try:
        cached = _read_doc(previous / "docs", doc.meta.doc_id)
    except (OSError, ValueError, KeyError, IndexProblem):
        return None
    if [s.text for s in cached.sentences] != [s.text for s in doc.sentences] or list(cached.clauses) != clauses:
        return None  # the cleaning or extraction rules changed since: re-embed
    return cached.sentence_vectors, cached.clause_vectors


def _switch_current(index_dir: Path, target: Path) -> None:
    """Point ``current`` at ``target`` atomically: a new symlink renamed over the old one."""
    tmp = index_dir / f".{CURRENT_LINK}-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(target.name)
    os.replace(tmp, index_dir / CURRENT_LINK)


def _remove_stale_versions(index_dir: Path, keep: Path) -> None:
    for child in index_dir.iterdir():
        if child.is_dir() and not child.is_symlink() and child.name.startswith(("v-", ".building-")) and child != keep:
            shutil.rmtree(child, ignore_errors=True)


def _read_manifest(directory: Path) -> dict[str, Any] | None:
    try:
        return json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# ---------------------------------------------------------------- load


@dataclass
class Index:
    """Everything a question is answered from, in memory."""

    path: Path
    manifest: dict[str, Any]
    documents: dict[str, DocumentMeta]
    sections: dict[str, Section]
    sentences: list[Sentence]
    figures: list[Figure]
    sentence_vectors: np.ndarray
    clause_vectors: np.ndarray
    clause_of_figure: np.ndarray  # figure row → clause row
    sentence_row: dict[str, int] = field(default_factory=dict)
    figures_by_sentence: dict[str, list[Figure]] = field(default_factory=dict)
    sentence_tokens: list[list[str]] = field(default_factory=list)  # jieba search tokens, row by row
    token_df: Counter[str] = field(default_factory=Counter)  # sentences holding each jieba token
    substring_df: dict[str, int] = field(default_factory=dict)  # memo: sentences containing a non-token word
    indexed_at: dict[str, str] = field(default_factory=dict)


def load_index(index_dir: Path, embedder_name: str | None = None) -> Index:
    """Load ``index_dir/current``; raise :class:`IndexProblem` naming the fix when it cannot be used."""
    directory = current_dir(index_dir)
    if directory is None:
        raise IndexProblem(f"no index at {index_dir}: build it with `python scripts/build_index.py --out {index_dir}`")
    manifest = _read_manifest(directory)
    if manifest is None:
        raise IndexProblem(
            f"index at {directory} has no readable manifest: rebuild with `python scripts/build_index.py`"
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexProblem(
            f"index format {manifest.get('format_version')} but this version reads {FORMAT_VERSION}: "
            "rebuild with `python scripts/build_index.py`"
        )
    if embedder_name is not None and manifest.get("embedder") != embedder_name:
        raise IndexProblem(
            f"index was built with embedder {manifest.get('embedder')!r} but {embedder_name!r} is configured: "
            "rebuild with `python scripts/build_index.py` or configure the same embedder"
        )
    documents: dict[str, DocumentMeta] = {}
    sections: dict[str, Section] = {}
    sentences: list[Sentence] = []
    figures: list[Figure] = []
    sentence_blocks: list[np.ndarray] = []
    clause_blocks: list[np.ndarray] = []
    clause_of_figure: list[int] = []
    indexed_at: dict[str, str] = {}
    try:
        for entry in manifest["documents"]:
            records = _read_doc(directory / "docs", entry["doc_id"])
            documents[records.meta.doc_id] = records.meta
            indexed_at[records.meta.doc_id] = entry.get("indexed_at", "")
            sections.update({s.id: s for s in records.sections})
            clause_row = {text: sum(len(b) for b in clause_blocks) + i for i, text in enumerate(records.clauses)}
            sentences.extend(records.sentences)
            figures.extend(records.figures)
            clause_of_figure.extend(clause_row[f.context] for f in records.figures)
            sentence_blocks.append(records.sentence_vectors)
            clause_blocks.append(records.clause_vectors)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexProblem(
            f"index at {directory} is damaged ({exc.__class__.__name__}: {exc}): "
            "rebuild with `python scripts/build_index.py`"
        ) from exc
    dim = int(manifest.get("dim", 0))
    sentence_vectors = np.vstack(sentence_blocks) if sentence_blocks else np.zeros((0, dim), np.float32)
    clause_vectors = np.vstack(clause_blocks) if clause_blocks else np.zeros((0, dim), np.float32)
    if sentence_vectors.shape[1:] != (dim,) or clause_vectors.shape[1:] != (dim,):
        raise IndexProblem(f"index vectors do not have dimension {dim}: rebuild with `python scripts/build_index.py`")
    index = Index(
        path=directory,
        manifest=manifest,
        documents=documents,
        sections=sections,
        sentences=sentences,
        figures=figures,
        sentence_vectors=sentence_vectors,
        clause_vectors=clause_vectors,
        clause_of_figure=np.asarray(clause_of_figure, dtype=np.int64),
        indexed_at=indexed_at,
    )
    index.sentence_row = {s.id: i for i, s in enumerate(sentences)}
    for figure in figures:
        index.figures_by_sentence.setdefault(figure.sentence_id, []).append(figure)
    for sentence in sentences:
        tokens = tokenize(sentence.text)
        index.sentence_tokens.append(tokens)
        index.token_df.update(set(tokens))
    return index
