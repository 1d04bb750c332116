"""Loading validates an index before anything is answered from it (issue 7).

The manifest's shape and types, the configured embedder's dimension and each
report's files are checked at load; every defect is an :class:`IndexProblem`
naming the rebuild command for *this* index folder, and that rebuild works over
the damage. A tiny hashed embedder keeps these tests instant; the damage done to
a real index (and the CLI's exit code) is covered in ``test_faults.py``.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot import index as index_module
from bot.index import MANIFEST, IndexProblem, build_index, current_dir, load_index

REPORTS = {
    "alpha": "# 甲报告\n\n## 一、2021年工作回顾\n\n认定高企 3755 家。净增 1402 家。\n",
    "beta": "# 乙报告\n\n## 一、2022年工作计划\n\n新建实验室 7 家。引进人才 58 人。举办活动 12 场。\n",
}


class TinyEmbedder:
    """Each text hashed to a seed of a random unit vector: deterministic and instant."""

    def __init__(self, dim: int = 16, name: str = "test/tiny") -> None:
        self.dim = dim
        self.name = name

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        rows = [np.random.default_rng(zlib.crc32(t.encode())).standard_normal(self.dim) for t in texts]
        vectors = np.asarray(rows, dtype=np.float32).reshape(len(rows), self.dim)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(1e-9)

    embed_queries = embed_passages


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    for stem, text in REPORTS.items():
        (folder / f"{stem}.md").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def index_dir(tmp_path: Path, knowledge: Path) -> Path:
    out = tmp_path / "index"
    build_index(knowledge, out, TinyEmbedder(), progress=False)
    return out


def _fix_for(index_dir: Path) -> str:
    return re.escape(f"`python scripts/build_index.py --out {index_dir}`")


def _version(index_dir: Path) -> Path:
    directory = current_dir(index_dir)
    assert directory is not None
    return directory


def _edit_manifest(index_dir: Path, key: str, value: Any) -> None:
    path = _version(index_dir) / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if value is _DELETE:
        del manifest[key]
    else:
        manifest[key] = value
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


_DELETE = object()


def test_a_healthy_index_maps_each_figure_to_its_clause_across_reports(index_dir: Path) -> None:
    """The control: two reports load, and the stacked clause rows are offset per report."""
    index = load_index(index_dir, "test/tiny", 16)
    assert sorted(index.documents) == ["alpha", "beta"]
    assert index.sentence_vectors.shape == (len(index.sentences), 16)
    clauses = [c for doc in ("alpha", "beta") for c in _doc_payload(index_dir, doc)["clauses"]]
    assert {f.doc_id for f in index.figures} == {"alpha", "beta"}
    assert [clauses[row] for row in index.clause_of_figure] == [f.context for f in index.figures]


def _doc_payload(index_dir: Path, doc_id: str) -> dict[str, Any]:
    return json.loads((_version(index_dir) / "docs" / f"{doc_id}.json").read_text(encoding="utf-8"))


def test_an_embedder_of_another_dimension_is_rejected_at_load(index_dir: Path) -> None:
    """Same name, other size (a re-exported model): its question vectors cannot be searched against these."""
    with pytest.raises(
        IndexProblem, match=rf"dimension 16 but the configured embedder produces 32.*{_fix_for(index_dir)}"
    ):
        load_index(index_dir, "test/tiny", 32)


def test_engine_load_checks_the_embedder_dimension(index_dir: Path) -> None:
    """``Engine.load`` is what every surface calls; it must pass the dimension on, not just the name."""
    from bot.engine import Engine

    with pytest.raises(IndexProblem, match="dimension"):
        Engine.load(index_dir, TinyEmbedder(dim=32))


@pytest.mark.parametrize(
    ("key", "value", "named"),
    [
        pytest.param("dim", 0, "'dim'", id="dim-zero"),
        pytest.param("dim", True, "'dim'", id="dim-bool"),
        pytest.param("dim", 16.0, "'dim'", id="dim-float"),
        pytest.param("dim", _DELETE, "'dim'", id="dim-missing"),
        pytest.param("embedder", _DELETE, "'embedder'", id="embedder-missing"),
        pytest.param("embedder", ["test/tiny"], "'embedder'", id="embedder-not-a-string"),
        pytest.param("documents", _DELETE, "'documents'", id="documents-missing"),
        pytest.param("documents", ["alpha", "beta"], "'documents'", id="documents-of-strings"),
        pytest.param("documents", [{"title": "甲报告"}], "'doc_id'", id="doc-id-missing"),
        pytest.param("documents", [{"doc_id": 7}], "'doc_id'", id="doc-id-not-a-string"),
        pytest.param("documents", [{"doc_id": "../../../etc/passwd"}], "'doc_id'", id="doc-id-a-path"),
        pytest.param("documents", [{"doc_id": "alpha"}, {"doc_id": "alpha"}], "listed twice", id="doc-listed-twice"),
    ],
)
def test_a_manifest_field_of_the_wrong_shape_is_named_with_the_fix(
    index_dir: Path, knowledge: Path, key: str, value: Any, named: str
) -> None:
    """Checked up front, so no field fails later as a raw TypeError, or loads a report twice or from outside."""
    _edit_manifest(index_dir, key, value)
    with pytest.raises(IndexProblem, match=rf"damaged manifest \([^)]*{named}.*{_fix_for(index_dir)}"):
        load_index(index_dir, "test/tiny", 16)
    report = build_index(knowledge, index_dir, TinyEmbedder(), progress=False)
    assert sorted(report.added) == ["alpha", "beta"], "a damaged manifest must be rebuilt from scratch"
    assert sorted(load_index(index_dir, "test/tiny", 16).documents) == ["alpha", "beta"]


def test_a_report_file_holding_another_reports_records_is_rejected(index_dir: Path) -> None:
    """A file copied over another one: the manifest's document must be the one in the file."""
    path = _version(index_dir) / "docs" / "beta.json"
    payload = _doc_payload(index_dir, "beta")
    payload["meta"]["doc_id"] = "alpha"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(IndexProblem, match=rf"beta\.json/\.npz are damaged.*records of 'alpha'.*{_fix_for(index_dir)}"):
        load_index(index_dir, "test/tiny", 16)


def test_reports_whose_vectors_differ_in_width_are_rejected(index_dir: Path) -> None:
    """One report's vectors narrowed: stacking them must be an IndexProblem, not numpy's ValueError."""
    path = _version(index_dir) / "docs" / "beta.npz"
    with np.load(path) as arrays:
        sentences, clauses = np.array(arrays["sentences"]), np.array(arrays["clauses"])
    np.savez(path, sentences=sentences[:, :8], clauses=clauses[:, :8])
    with pytest.raises(IndexProblem, match=rf"dimension 16.*{_fix_for(index_dir)}"):
        load_index(index_dir, "test/tiny", 16)


def test_a_programming_error_is_not_reported_as_a_damaged_index(
    index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Damage is caught by exception type: a bug must surface as itself, since a rebuild would not fix it."""

    def broken(d: dict[str, Any]) -> Any:
        raise AttributeError("a bug in the loader")

    monkeypatch.setattr(index_module, "_figure_from", broken)
    with pytest.raises(AttributeError, match="a bug in the loader"):
        load_index(index_dir, "test/tiny", 16)


def test_no_reports_to_build_from_names_the_fix(tmp_path: Path) -> None:
    """An empty knowledge folder: the message says where reports go and which command builds the index."""
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(IndexProblem, match=r"no reports in .*empty.*scripts/build_index\.py --knowledge"):
        build_index(empty, tmp_path / "index", TinyEmbedder(), progress=False)
