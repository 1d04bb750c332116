"""A small, deterministic stand-in for ``bot.engine.Engine``, for the Telegram tests and the load test.

It answers a handful of keyword questions with real sentences of the Suzhou report, so the Telegram
layer can be tested (in process and against the emulator) without an index. Keywords:

* 瞪羚 / 申报数 / 有效高企 — lookups; 科贷通 — a calculation; 差多少 or 多多少 — a calculation citing two
  paragraphs;
* 全部出处 — an answer with very many long citations (exercises truncation);
* 慢 — sleeps :attr:`FakeEngine.slow_s` first (a slow answer must not block others);
* 爆炸 — raises (the error handler must apologize);
* anything else — a "报告中没有…" refusal that echoes the question.
"""

from __future__ import annotations

import threading
import time
from decimal import Decimal

from bot.models import Answer, AnswerKind, Citation, DocumentMeta, Sentence

DOC = DocumentMeta(
    doc_id="suzhou-keji-2021",
    title="苏州市科技创新工作 2021 年总结及 2022 年计划",
    issuer="苏州市科学技术局",
    city="苏州",
    period=2021,
    plan_year=2022,
    date="2022-01",
)
_REVIEW = ("一、2021 年重点工作回顾",)
_PLAN = ("二、2022 年工作计划", "（二）强化企业扶持，夯实创新主体地位")

_PARAGRAPHS: dict[int, tuple[tuple[str, ...], list[str]]] = {
    3: (
        _REVIEW,
        [
            "一是高质量打造创新企业集群。",
            "高新技术企业申报数首次破万家，达 10252 家，占全省的 1/3，较上年增长 35.48%，位列全省第一。",
            "认定高企 3755 家，净增 1402 家，有效数高企数达到 11155 家，全省第一。",
            "独角兽培育企业 216 家（含今年公示数 157 家）。",
        ],
    ),
    7: (
        _REVIEW,
        [
            "五是高品质打造创新服务品牌。",
            "深化科技金融融合，“科贷通”为 2092 家企业解决贷款 84.11 亿元，累计已为 9856 家企业解决贷款 556.35 亿元。",
            "其中，科贷通“一行一品牌”已为 285 家企业解决贷款 11.01 亿元。",
        ],
    ),
    12: (
        _PLAN,
        [
            "完善企业分层孵化体系，培育具有自主知识产权和核心竞争力的创新型企业群体，为产业创新集群发展壮大提供有力支撑。",
            "一是持续壮大创新型企业规模。",
            "加大独角兽培育企业、瞪羚企业培育力度，打造一批创新发展的标杆型企业，形成科创板上市企业的后备军。",
            "2022年遴选瞪羚企业350家、认定独角兽培育企业150家，科技型中小企业入库继续保持全国前列，"
            "有效高企数达到12000家，确保全年通过认定数、净增数及有效高企总数全省第一。",
        ],
    ),
}


def _build_sentences() -> dict[str, Sentence]:
    sentences: dict[str, Sentence] = {}
    position = 0
    for paragraph, (path, texts) in _PARAGRAPHS.items():
        for number, text in enumerate(texts, 1):
            sid = f"s{paragraph:02d}-{number}"
            sentences[sid] = Sentence(
                id=sid,
                doc_id=DOC.doc_id,
                section_id="-".join(path),
                section_path=path,
                paragraph=paragraph,
                position=position,
                text=text,
            )
            position += 1
    return sentences


SENTENCES = _build_sentences()

# The sentences the keyword answers cite.
GAZELLE = "s12-4"
APPLICATIONS = "s03-2"
HIGH_TECH_NOW = "s03-3"
LOANS = "s07-2"

INDEXED_AT = "2022-01-15 10:00:00"
GAZELLE_ANSWER = "2022年计划遴选瞪羚企业350家。"
APPLICATIONS_ANSWER = "2021年高新技术企业申报数达10252家。"
HIGH_TECH_TARGET_ANSWER = "2022年有效高企数目标为12000家。"
LOANS_ANSWER = "科贷通累计贷款比2021年当年多472.24亿元。"
LOANS_FORMULA = "556.35亿元 − 84.11亿元 = 472.24亿元"
GAP_ANSWER = "有效高企数目标比2021年多845家。"
GAP_FORMULA = "12000家 − 11155家 = 845家"


def citation(sentence_id: str) -> Citation:
    sentence = SENTENCES[sentence_id]
    return Citation(id=sentence.id, doc=DOC.title, section=sentence.section, text=sentence.text)


def not_found_text(question: str) -> str:
    return f"报告中没有关于“{question}”的信息。"


class FakeEngineError(RuntimeError):
    """What the fake raises for 爆炸, so tests can tell it from real failures."""


class FakeEngine:
    """Implements the ``Engine`` interface the Telegram layer codes against; thread-safe."""

    def __init__(self, slow_s: float = 0.5) -> None:
        self.slow_s = slow_s
        self._lock = threading.Lock()
        self.questions: list[str] = []

    def ask(self, question: str) -> Answer:
        with self._lock:
            self.questions.append(question)
        started = time.perf_counter()
        if "爆炸" in question:
            raise FakeEngineError("the fake engine exploded on purpose")
        if "慢" in question:
            time.sleep(self.slow_s)
        answer = self._answer(question)
        answer.elapsed_ms = (time.perf_counter() - started) * 1000
        return answer

    def _answer(self, question: str) -> Answer:
        if "全部出处" in question:
            many = [
                Citation(f"x{i}", DOC.title, "一、回顾 › " + "很长的章节" * 20, "很长的原文句子。" * 60)
                for i in range(40)
            ]
            return Answer(question, True, "出处很多。", AnswerKind.FACT, citations=many)
        if "科贷通" in question:
            return Answer(
                question,
                True,
                LOANS_ANSWER,
                AnswerKind.CALC,
                value=Decimal("472.24"),
                unit="亿元",
                formula=LOANS_FORMULA,
                citations=[citation(LOANS)],
            )
        if "差多少" in question or "多多少" in question:
            return Answer(
                question,
                True,
                GAP_ANSWER,
                AnswerKind.CALC,
                value=Decimal(845),
                unit="家",
                formula=GAP_FORMULA,
                citations=[citation(GAZELLE), citation(HIGH_TECH_NOW)],
            )
        if "瞪羚" in question:
            return Answer(
                question, True, GAZELLE_ANSWER, AnswerKind.LOOKUP, Decimal(350), "家", citations=[citation(GAZELLE)]
            )
        if "申报数" in question:
            return Answer(
                question,
                True,
                APPLICATIONS_ANSWER,
                AnswerKind.LOOKUP,
                Decimal(10252),
                "家",
                citations=[citation(APPLICATIONS)],
            )
        if "有效高企" in question:
            return Answer(
                question,
                True,
                HIGH_TECH_TARGET_ANSWER,
                AnswerKind.LOOKUP,
                Decimal(12000),
                "家",
                citations=[citation(GAZELLE)],
            )
        return Answer(question, False, not_found_text(question), AnswerKind.NONE)

    def sentence(self, sentence_id: str) -> Sentence | None:
        return SENTENCES.get(sentence_id)

    def paragraph(self, sentence_id: str) -> list[Sentence]:
        sentence = SENTENCES.get(sentence_id)
        if sentence is None:
            return []
        return [s for s in SENTENCES.values() if s.doc_id == sentence.doc_id and s.paragraph == sentence.paragraph]

    def documents(self) -> list[DocumentMeta]:
        return [DOC]

    def indexed_at(self, doc_id: str) -> str:
        return INDEXED_AT if doc_id == DOC.doc_id else ""
