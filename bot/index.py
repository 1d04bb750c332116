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
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import numpy as np

from bot.corpus import knowledge_files, load_document
from bot.embed import Embedder
from bot.figures import extract_figures
from bot.lexicon import learn_names, names_of_report, tokenize
from bot.models import DocumentMeta, Figure, FigureKind, PeriodKind, Section, Sentence

FORMAT_VERSION = 1  # bump when the on-disk layout or record fields change; old indexes are then rejected
CURRENT_LINK = "current"
MANIFEST = "manifest.json"
EMBED_BATCH = 32  # passages per embedding call: bounds memory, keeps the progress bar moving
# What reading a damaged index file raises (truncated, garbled, hand-edited, half-copied). Caught by name so a
# programming error is never reported as "damaged index, rebuild"; JSONDecodeError and UnicodeDecodeError are
# ValueErrors, BadZipFile and InvalidOperation are not, and zipfile raises NotImplementedError for a flipped bit
# in an archive header's version or compression field.
DAMAGE_ERRORS = (
    OSError,
    ValueError,
    KeyError,
    TypeError,
    EOFError,
    NotImplementedError,
    zipfile.BadZipFile,
    InvalidOperation,
    json.JSONDecodeError,
)

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


def _objects(payload: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """``payload[key]`` as a list of JSON objects, so a damaged file fails here with a ValueError, not deep inside."""
    items = payload[key]
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ValueError(f"{key!r} is not a list of objects")
    return items


def _read_vectors(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Sentence and clause vectors; the file is opened here so an archive numpy rejects cannot leak its handle."""
    with path.open("rb") as handle:
        arrays = np.load(handle, allow_pickle=False)
        if not isinstance(arrays, np.lib.npyio.NpzFile):
            raise ValueError(f"{path.name} is not an .npz archive")
        with arrays:
            return np.asarray(arrays["sentences"], np.float32), np.asarray(arrays["clauses"], np.float32)


def _check_consistent(records: DocRecords, doc_id: str) -> None:
    """Raise ValueError when the records and vectors of one report cannot belong together (a half-copied folder)."""
    if records.meta.doc_id != doc_id:
        raise ValueError(f"{doc_id}.json holds the records of {records.meta.doc_id!r}")
    if records.sentence_vectors.ndim != 2 or records.clause_vectors.ndim != 2:
        raise ValueError("vectors are not a matrix")
    if len(records.sentences) != len(records.sentence_vectors) or len(records.clauses) != len(records.clause_vectors):
        raise ValueError("vectors vs records: the row counts differ")
    if not {f.context for f in records.figures} <= set(records.clauses):
        raise ValueError("a figure's clause has no vector")


def _read_doc(directory: Path, doc_id: str) -> DocRecords:
    """One report's records and vectors; raises one of ``DAMAGE_ERRORS`` when its files are damaged."""
    stem = directory / doc_id
    payload = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
    if not isinstance(payload, dict):
        raise ValueError(f"{doc_id}.json is not a JSON object")
    clauses = payload["clauses"]
    if not isinstance(clauses, list) or not all(isinstance(c, str) for c in clauses):
        raise ValueError("'clauses' is not a list of strings")
    sentence_vectors, clause_vectors = _read_vectors(stem.with_suffix(".npz"))
    records = DocRecords(
        meta=DocumentMeta(**payload["meta"]),
        sections=tuple(_section_from(s) for s in _objects(payload, "sections")),
        sentences=tuple(_sentence_from(s) for s in _objects(payload, "sentences")),
        figures=tuple(_figure_from(f) for f in _objects(payload, "figures")),
        sentence_vectors=sentence_vectors,
        clause_vectors=clause_vectors,
        clauses=tuple(clauses),
    )
    _check_consistent(records, doc_id)
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
    """The version folder ``current`` points at; None when there is none (missing, dangling or looping link)."""
    link = index_dir / CURRENT_LINK
    if not (link.is_symlink() or link.is_dir()):
        return None
    try:
        target = link.resolve()
    except (OSError, RuntimeError):  # a symlink loop: RuntimeError up to Python 3.12, OSError from 3.13
        return None
    return target if target.is_dir() else None


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
        raise IndexProblem(
            f"no reports in {knowledge_dir} (expected .md, .txt, .docx or .pdf files): put the reports there, "
            f"or build from the folder holding them with "
            f"`python scripts/build_index.py --knowledge <folder> --out {index_dir}`"
        )
    index_dir.mkdir(parents=True, exist_ok=True)
    previous = current_dir(index_dir)
    old_manifest = _read_manifest(previous) if previous else None
    if old_manifest is not None and _manifest_defect(old_manifest):
        old_manifest = None  # a damaged previous index is rebuilt from scratch, never half-reused
    reusable = (
        old_manifest is not None
        and old_manifest.get("format_version") == FORMAT_VERSION
        and old_manifest.get("embedder") == embedder.name
        and old_manifest.get("dim") == embedder.dim
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
            cached = _reusable_vectors(previous, old, doc, clauses, embedder.dim) if reusable and previous else None
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
    previous: Path, old: dict[str, Any] | None, doc: Any, clauses: list[str], dim: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """Vectors of the previous build when the file is byte-identical and its texts are the same.

    Damaged or wrongly sized previous vectors are re-embedded, so a rebuild is always the fix for a damaged index.
    """
    if not old or old.get("content_hash") != doc.meta.content_hash:
        return None
    try:
        cached = _read_doc(previous / "docs", doc.meta.doc_id)
    except DAMAGE_ERRORS:
        return None
    if cached.sentence_vectors.shape[1] != dim or cached.clause_vectors.shape[1] != dim:
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
    """The manifest as a JSON object, or None when it is missing, unreadable or not an object."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def _is_file_name(doc_id: str) -> bool:
    """A doc id names files inside ``docs/``; one with a path in it would read files outside the index."""
    return doc_id not in ("", ".", "..") and "/" not in doc_id and os.sep not in doc_id


def _manifest_defect(manifest: dict[str, Any]) -> str | None:
    """What in the manifest has a wrong type, or None; checked up front so no field can fail (or mislead) later."""
    if not isinstance(manifest.get("embedder"), str):
        return "'embedder' is not a string"
    dim = manifest.get("dim")
    if not isinstance(dim, int) or isinstance(dim, bool) or dim <= 0:
        return f"'dim' is {dim!r}, not a positive integer"
    documents = manifest.get("documents")
    if not isinstance(documents, list) or not all(isinstance(d, dict) for d in documents):
        return "'documents' is not a list of objects"
    doc_ids = [d.get("doc_id") for d in documents]
    if not all(isinstance(i, str) and _is_file_name(i) for i in doc_ids):
        return "a document has no valid 'doc_id'"
    if len(set(doc_ids)) != len(doc_ids):
        return "a document is listed twice"
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
    before_text: dict[str, str] = field(default_factory=dict)  # memo: what a sentence borrows from the one before
    places_of: dict[str, frozenset[str]] = field(default_factory=dict)  # report → the places it lists
    indexed_at: dict[str, str] = field(default_factory=dict)


def _rebuild(index_dir: Path) -> str:
    """The repair for every damaged or mismatched index, naming the folder so it also fits a non-default index."""
    return f"rebuild with `python scripts/build_index.py --out {index_dir}`"


def load_index(index_dir: Path, embedder_name: str | None = None, embedder_dim: int | None = None) -> Index:
    """Load ``index_dir/current``; raise :class:`IndexProblem` naming the fix when it cannot be used.

    Pass the configured embedder's name and dimension: vectors of another model would load and then fail,
    or rank nonsense, on every question.
    """
    directory = current_dir(index_dir)
    if directory is None:
        raise IndexProblem(f"no index at {index_dir}: build it with `python scripts/build_index.py --out {index_dir}`")
    manifest = _checked_manifest(directory, index_dir)
    _check_embedder(manifest, embedder_name, embedder_dim, index_dir)
    docs = [_load_doc(directory / "docs", entry["doc_id"], index_dir) for entry in manifest["documents"]]
    return _assemble(directory, manifest, docs, index_dir)


def _checked_manifest(directory: Path, index_dir: Path) -> dict[str, Any]:
    """The manifest, its format and field types validated before any of it is used."""
    manifest = _read_manifest(directory)
    if manifest is None:
        raise IndexProblem(
            f"index at {directory} has no readable manifest (missing, truncated or not a JSON object): "
            f"{_rebuild(index_dir)}"
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexProblem(
            f"index format {manifest.get('format_version')} but this version reads {FORMAT_VERSION}: "
            f"{_rebuild(index_dir)}"
        )
    defect = _manifest_defect(manifest)
    if defect:
        raise IndexProblem(f"index at {directory} has a damaged manifest ({defect}): {_rebuild(index_dir)}")
    return manifest


def _check_embedder(manifest: dict[str, Any], name: str | None, dim: int | None, index_dir: Path) -> None:
    """Vectors of another model (or size) are not comparable with the configured embedder's question vectors."""
    if name is not None and manifest["embedder"] != name:
        raise IndexProblem(
            f"index was built with embedder {manifest['embedder']!r} but {name!r} is configured: "
            f"{_rebuild(index_dir)} or configure the same embedder"
        )
    if dim is not None and manifest["dim"] != dim:
        raise IndexProblem(
            f"index vectors have dimension {manifest['dim']} but the configured embedder produces {dim}: "
            f"{_rebuild(index_dir)} or configure the embedder it was built with"
        )


def _load_doc(docs_dir: Path, doc_id: str, index_dir: Path) -> DocRecords:
    """One report's records; any damage to its files becomes an IndexProblem naming them and the fix."""
    try:
        return _read_doc(docs_dir, doc_id)
    except DAMAGE_ERRORS as exc:
        raise IndexProblem(
            f"index files {docs_dir / doc_id}.json/.npz are damaged ({type(exc).__name__}: {exc}): "
            f"{_rebuild(index_dir)}"
        ) from exc


def _clause_rows(docs: list[DocRecords]) -> np.ndarray:
    """Row of each figure's clause in the stacked clause vectors (figure row → clause row)."""
    rows: list[int] = []
    offset = 0
    for doc in docs:
        row_of = {text: offset + i for i, text in enumerate(doc.clauses)}
        rows.extend(row_of[f.context] for f in doc.figures)
        offset += len(doc.clauses)
    return np.asarray(rows, dtype=np.int64)


def _stack(blocks: list[np.ndarray], dim: int) -> np.ndarray:
    """The reports' vector blocks as one matrix; an index of no reports still has the right width for search."""
    return np.vstack(blocks) if blocks else np.zeros((0, dim), np.float32)


def _assemble(directory: Path, manifest: dict[str, Any], docs: list[DocRecords], index_dir: Path) -> Index:
    """The in-memory index of all reports; every vector block must have the manifest's dimension."""
    dim = manifest["dim"]
    if any(block.shape[1] != dim for doc in docs for block in (doc.sentence_vectors, doc.clause_vectors)):
        raise IndexProblem(f"index vectors do not have dimension {dim}: {_rebuild(index_dir)}")
    sentences = [s for doc in docs for s in doc.sentences]
    figures = [f for doc in docs for f in doc.figures]
    index = Index(
        path=directory,
        manifest=manifest,
        documents={doc.meta.doc_id: doc.meta for doc in docs},
        sections={s.id: s for doc in docs for s in doc.sections},
        sentences=sentences,
        figures=figures,
        sentence_vectors=_stack([doc.sentence_vectors for doc in docs], dim),
        clause_vectors=_stack([doc.clause_vectors for doc in docs], dim),
        clause_of_figure=_clause_rows(docs),
        indexed_at={entry["doc_id"]: str(entry.get("indexed_at", "")) for entry in manifest["documents"]},
    )
    index.sentence_row = {s.id: i for i, s in enumerate(sentences)}
    for figure in figures:
        index.figures_by_sentence.setdefault(figure.sentence_id, []).append(figure)
    # “科技贷”, 新吴区: one word in the sentences and in questions; each report's places kept for its questions
    taught: dict[str, str] = {}
    for doc in docs:
        names = names_of_report([s.text for s in doc.sentences])
        index.places_of[doc.meta.doc_id] = frozenset(n for n, tag in names.items() if tag == "ns")
        taught.update(names)
    learn_names(taught)
    for sentence in sentences:
        tokens = tokenize(sentence.text)
        index.sentence_tokens.append(tokens)
        index.token_df.update(set(tokens))
    return index
