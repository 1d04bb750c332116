"""Specification of the command line (``python -m bot``), run as a user runs it: in a subprocess.

``ask --json`` and ``ask --jsonl`` are the contract that scripts and evaluations
build on; ``chat`` must work with piped input; a missing index must produce a
message, not a traceback. Every run points ``--index`` at the session's seed
index, so no test touches the default ``index/`` folder. The runs start together
(each one loads the model and the index) to keep the wall time down.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
TITLE = "苏州市科技创新工作 2021 年总结及 2022 年计划"
GAZELLE_SENTENCE = (
    "2022年遴选瞪羚企业350家、认定独角兽培育企业150家，科技型中小企业入库继续保持全国前列，"
    "有效高企数达到12000家，确保全年通过认定数、净增数及有效高企总数全省第一。"
)
GAZELLE_SECTION = "二、2022 年工作计划 › （二）强化企业扶持，夯实创新主体地位 › 一是持续壮大创新型企业规模"
CONTRACT_FIELDS = {"question", "found", "answer", "value", "unit", "formula", "citations", "elapsed_ms"}
CITATION_FIELDS = {"id", "doc", "section", "text"}
JSONL_LINES = ["2022年瞪羚企业目标是多少", "", "@@##!!", "苏州常住人口", "有效高企比去年多了多少", "   "]
TIMEOUT_S = 300


@dataclass
class Run:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("WENSHU_EMBEDDER", "WENSHU_INDEX", "WENSHU_KNOWLEDGE")}
    return env | {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONIOENCODING": "utf-8"}


@pytest.fixture(scope="module")
def runs(seed_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Run]]:
    """Start every CLI run at once, then collect them."""
    empty = tmp_path_factory.mktemp("empty-knowledge")
    missing = tmp_path_factory.mktemp("nowhere") / "index"
    index = ["--index", str(seed_index), "--knowledge", str(KNOWLEDGE)]
    commands: dict[str, tuple[list[str], str | None]] = {
        "ask": (["ask", *index, "2022年瞪羚企业目标是多少"], None),
        "json": (["ask", "--json", *index, "2022年瞪羚企业目标是多少"], None),
        "jsonl": (["ask", "--jsonl", *index], "\n".join(JSONL_LINES) + "\n"),
        "chat": (["chat", *index], "2022年瞪羚企业目标是多少\n\n   \nq\n苏州常住人口\n"),
        "reports": (["reports", *index], None),
        "missing": (["ask", "--index", str(missing), "--knowledge", str(empty), "瞪羚企业目标"], None),
    }
    processes = {
        name: (
            args,
            subprocess.Popen(
                [sys.executable, "-m", "bot", *args],
                cwd=ROOT,
                env=_env(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
            ),
            stdin,
        )
        for name, (args, stdin) in commands.items()
    }
    results: dict[str, Run] = {}
    try:
        for name, (args, process, stdin) in processes.items():
            out, err = process.communicate(stdin or "", timeout=TIMEOUT_S)
            results[name] = Run(args, process.returncode, out, err)
    finally:
        for _, process, _ in processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()
    yield results


def ok(run: Run) -> Run:
    assert run.returncode == 0, f"{run.args}: exit {run.returncode}\n{run.stderr[-2000:]}"
    return run


# ── ask ──────────────────────────────────────────────────────────────────────


def test_ask_prints_the_answer_the_source_sentence_and_its_section(runs: dict[str, Run]) -> None:
    """A person reads the number first, then the report's own sentence and where it is."""
    lines = ok(runs["ask"]).stdout.splitlines()
    assert "350" in lines[0]
    assert f"原文：“{GAZELLE_SENTENCE}”" in lines
    assert any(GAZELLE_SECTION in line and TITLE in line for line in lines if line.strip().startswith("出处"))


def test_ask_json_prints_one_object_with_the_contract_fields(runs: dict[str, Run]) -> None:
    """Scripts parse this: one JSON object with every contract field, typed as documented."""
    stdout = ok(runs["json"]).stdout.strip()
    assert len(stdout.splitlines()) == 1
    payload = json.loads(stdout)
    assert payload.keys() >= CONTRACT_FIELDS
    assert payload["question"] == "2022年瞪羚企业目标是多少"
    assert payload["found"] is True
    assert payload["value"] == 350 and payload["unit"] == "家"
    assert isinstance(payload["answer"], str) and "350" in payload["answer"]
    assert payload["formula"] is None
    assert isinstance(payload["elapsed_ms"], int | float) and payload["elapsed_ms"] >= 0
    [citation] = payload["citations"]
    assert citation.keys() >= CITATION_FIELDS
    assert citation["text"] == GAZELLE_SENTENCE
    assert citation["doc"] == TITLE
    assert citation["section"] == GAZELLE_SECTION


def test_ask_jsonl_answers_every_line_in_order(runs: dict[str, Run]) -> None:
    """N input lines give N JSON lines in the same order — empty and junk lines included — from one process."""
    lines = ok(runs["jsonl"]).stdout.splitlines()
    assert len(lines) == len(JSONL_LINES)
    payloads = [json.loads(line) for line in lines]
    assert [p["question"] for p in payloads] == JSONL_LINES
    assert all(p.keys() >= CONTRACT_FIELDS for p in payloads)
    assert payloads[0]["found"] is True and payloads[0]["value"] == 350
    for blank in (payloads[1], payloads[2], payloads[5]):
        assert blank["found"] is False and blank["answer"]
    refusal = payloads[3]  # 苏州常住人口: not in the report
    assert refusal["found"] is False and refusal["answer"].startswith("报告中没有")
    assert refusal["value"] is None and refusal["citations"] == []
    assert payloads[4]["found"] is True


# ── chat and reports ─────────────────────────────────────────────────────────


def test_chat_with_piped_input_answers_each_line_until_q(runs: dict[str, Run]) -> None:
    """Without a terminal, chat answers each question line, skips blank ones, and stops at q."""
    run = ok(runs["chat"])
    assert "350" in run.stdout
    assert GAZELLE_SENTENCE in run.stdout
    assert "常住人口" not in run.stdout  # asked after q
    assert "问数" not in run.stdout  # no interactive banner when piped


def test_reports_lists_each_report_with_period_and_counts(runs: dict[str, Run]) -> None:
    """An operator checks what the bot knows: title, years, sentences and figures, file."""
    stdout = ok(runs["reports"]).stdout
    assert TITLE in stdout
    assert "2021年" in stdout and "2022年" in stdout
    assert "句子" in stdout and "数据" in stdout
    assert "suzhou-keji-2021-summary-2022-plan.md" in stdout


# ── a missing index ──────────────────────────────────────────────────────────


def test_missing_index_with_empty_knowledge_fails_and_says_why(runs: dict[str, Run]) -> None:
    """No index and nothing to build it from: a non-zero exit and a message naming the folder."""
    run = runs["missing"]
    assert run.returncode != 0
    assert run.stdout == ""
    assert "no reports" in run.stderr
    assert "empty-knowledge" in run.stderr


def test_missing_index_message_is_clean(runs: dict[str, Run]) -> None:
    """The message is one 'error:' line and the exit code is the index-problem code, not a traceback."""
    from bot.cli import EXIT_INDEX_PROBLEM

    run = runs["missing"]
    assert "Traceback" not in run.stderr
    assert "error: no reports" in run.stderr
    assert run.returncode == EXIT_INDEX_PROBLEM


def test_missing_index_does_not_create_files(runs: dict[str, Run]) -> None:
    """A failed first build must not leave a half-made index that later runs would trust."""
    from bot.index import current_dir

    missing = Path(runs["missing"].args[runs["missing"].args.index("--index") + 1])
    assert current_dir(missing) is None
    assert not missing.exists() or not any(missing.iterdir())
