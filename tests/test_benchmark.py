"""The benchmark's machinery on a 2-report synthetic base, and the synthetic report generator.

No timing is asserted here: speed goals belong to ``scripts/benchmark.py`` and docs/benchmarks.md. The
smoke test uses the benchmark's fake hashing embedder so it runs in seconds; the real embedder's numbers
come from running the benchmark itself.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import benchmark  # noqa: E402 - scripts/ is not a package
import synth_reports  # noqa: E402

SEED = 11
YEAR_MENTION = re.compile(r"((?:19|20)\d{2})\s*年")


@pytest.fixture(scope="module")
def reports() -> list[synth_reports.SynthReport]:
    return synth_reports.make_reports(6, seed=SEED)


def test_generator_is_deterministic_and_sizes_nest(reports: list[synth_reports.SynthReport]) -> None:
    assert synth_reports.make_reports(6, seed=SEED) == reports
    assert synth_reports.make_reports(3, seed=SEED) == reports[:3]  # the base of 3 is the start of the base of 6
    assert synth_reports.make_reports(6, seed=SEED + 1) != reports
    assert len({(r.city, r.year) for r in reports}) == len(reports)
    assert len({r.doc_id for r in reports}) == len(reports)
    for r in reports:
        assert synth_reports.FACTOR_MIN <= Decimal(r.factor) <= synth_reports.FACTOR_MAX


def test_years_and_city_are_replaced_consistently(reports: list[synth_reports.SynthReport]) -> None:
    for r in reports:
        plan = r.year + 1
        assert r.title == f"{r.city}市科技创新工作 {r.year} 年总结及 {plan} 年计划"
        assert f"# {r.title}" in r.text
        assert f"## 一、{r.year} 年重点工作回顾" in r.text
        assert f"## 二、{plan} 年工作计划" in r.text
        assert {int(y) for y in YEAR_MENTION.findall(r.text)} <= {r.year - 1, r.year, plan}
        assert f"“{r.year} 沪苏同城国际创新挑战赛”" in r.text
        if r.city != synth_reports.SEED_CITY:
            assert synth_reports.SEED_CITY not in r.text
        assert f"{r.city}成为唯一一个拥有两个国家技术创新中心的地级市" in r.text
        assert "连续 15 年" in r.text and "G60" in r.text  # durations and names are not quantities


def test_ground_truth_is_what_was_written(reports: list[synth_reports.SynthReport], tmp_path: Path) -> None:
    from bot.corpus import load_document

    knowledge, truth_path = synth_reports.write_knowledge_base(tmp_path, reports)
    assert synth_reports.read_truths(truth_path) == [t for r in reports for t in r.truths]
    gazelles = next(t for t in reports[0].truths if "瞪羚" in t.question)
    assert f"遴选瞪羚企业{gazelles.value}家" in reports[0].text
    assert gazelles.question == f"{reports[0].city}{reports[0].year + 1}年遴选瞪羚企业多少家"
    for r in reports:
        assert len(r.truths) == len(synth_reports.TRUTH_TEMPLATES)
        for truth in r.truths:
            assert truth.value in r.text and truth.city in truth.question and truth.title == r.title
        meta = load_document(knowledge / r.filename).meta
        assert (meta.city, meta.period, meta.plan_year, meta.title) == (r.city, r.year, r.year + 1, r.title)


def test_numbers_keep_their_written_precision() -> None:
    assert synth_reports.scale_number("84.11", Decimal("1.5")) == "126.17"  # half up, two decimals as written
    assert synth_reports.scale_number("350", Decimal("1.234")) == "432"
    assert synth_reports.scale_number("2", Decimal("0.1")) == "1"  # a stated count never becomes 0
    text, replaced = synth_reports.transform_body("2021 年达 100 家，连续 15 年，G60，“0 到 1”", "无锡", 2, Decimal(2))
    assert text == "2023 年达 200 家，连续 15 年，G60，“0 到 1”"
    assert replaced[text.index("200")] == "200"


def test_reuse_key_masks_city_and_quantities_but_keeps_years() -> None:
    assert benchmark.reuse_key("2022年无锡遴选瞪羚企业350家") == benchmark.reuse_key("2022年常州遴选瞪羚企业412家")
    assert benchmark.reuse_key("2022年无锡遴选瞪羚企业350家") != benchmark.reuse_key("2023年无锡遴选瞪羚企业350家")
    inner = benchmark.HashEmbedder()
    reusing = benchmark.ReusingEmbedder(inner, {}, reuse=True)
    first = reusing.embed_passages(["无锡2022年达 10 家"])
    second = reusing.embed_passages(["常州2022年达 12 家", "常州2022年达 12 家"])
    assert reusing.embedded == 1 and reusing.requested == 3
    assert np.array_equal(first[0], second[0]) and np.array_equal(second[0], second[1])


def test_percentiles_are_nearest_rank() -> None:
    p = benchmark.percentiles([float(x) for x in range(1, 101)])
    assert (p["n"], p["p50"], p["p95"], p["max"], p["mean"]) == (100, 50.0, 95.0, 100.0, 50.5)
    assert benchmark.percentiles([])["n"] == 0


def test_benchmark_sections_on_a_two_report_base(tmp_path: Path) -> None:
    """Build, load, ask, time stages, FAISS and render — the full pipeline at toy size, fake embedder."""
    row = benchmark.measure_scale(
        2, tmp_path, benchmark.HASH_EMBEDDER, cache_path=tmp_path / "vectors", reuse_from=2, questions_max=3
    )
    assert (row.size, row.reuse, row.asked) == (2, True, 3)
    assert row.correct + row.refused + row.wrong_report + row.wrong_value == row.asked
    assert 0 < row.texts_embedded < row.texts_requested  # the second report reused the first one's vectors
    assert row.sentences > 0 and row.index_mb > 0 and row.rss_after_load_mb > 0 and row.build_peak_rss_mb > 0
    assert set(row.query) == {"n", "p50", "p95", "max", "mean"} and row.query["n"] == row.repeated["n"] == 3

    index_dir = tmp_path / "kb-2" / "index"
    items = benchmark.read_jsonl(benchmark.DEV_QA)[:2]
    dev = benchmark.measure_dev_latency(index_dir, benchmark.HASH_EMBEDDER, items)
    vectors = dev.pop("query_vectors")
    assert vectors.shape == (2, benchmark.HASH_DIM)
    for name in ("cold", "repeated"):
        assert set(dev[name]) == {*benchmark.STAGES, benchmark.CPU_STAGE}
        assert all(dev[name][stage]["n"] == 2 for stage in benchmark.STAGES)

    real = benchmark._real_vectors(index_dir, [])
    faiss_rows = benchmark.measure_faiss([300], real, vectors, hnsw_max=300, queries=2)
    assert [f.data.split()[0] for f in faiss_rows] == ["real", "real-shaped", "random"]
    assert all(f.recall_at_10 is not None and 0 <= f.recall_at_10 <= 1 for f in faiss_rows)
    verdict = benchmark.faiss_verdict(faiss_rows, 200_000)
    assert {"budget_n_1thread", "hnsw_faster_from", "exact_ms_at_current_max_1thread"} <= set(verdict)

    threads = benchmark.measure_threads(benchmark.HASH_EMBEDDER, ["问题一", "问题二"], runs=1)
    assert threads["default"]["wall"]["n"] == 2 and len(threads["1"]["process_p50s"]) == 1

    results = {
        "command": "pytest",
        "date": "today",
        "quick": True,
        "total_s": 1.0,
        "machine": benchmark.machine_info(),
        "synth_seed": SEED,
        "dev": dev,
        "scale": [row],
        "seconds_per_text": benchmark.seconds_per_text([row], None),
        "faiss": faiss_rows,
        "faiss_verdict": verdict,
        "hnsw_max": 300,
        "threads": threads,
        "telegram": {"measured": False, "reason": "not in a unit test"},
        "phases": {"scale": 1.0},
    }
    text = benchmark.render_markdown(results)
    headings = ("## Machine", "## In-process latency", "## OpenMP threads", "## Scale", "## FAISS", "## Telegram")
    for heading in (*headings, "## Caveats"):
        assert heading in text
    assert "Not measured: not in a unit test." in text
    assert re.search(r"^\| 2 \| [\d,]+ \|", text, re.M)  # the 2-report row of the scale table
    assert results["machine"]["cores"] and results["machine"]["libraries"]["faiss-cpu"]
