"""Rendering: escaping, the 4096 limit, truncation that never breaks markup, keyboards within limits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tg_harness import assert_valid_html

from bot.models import Answer, AnswerKind, Citation, Sentence
from bot.telegram import render
from bot.telegram.links import CALLBACK_DATA_LIMIT
from bot.telegram.render import MESSAGE_LIMIT, tg_len
from bot.telegram.testing import DOC, GAZELLE, SENTENCES, FakeEngine, citation

# Text that stresses escaping and length: markup characters, CJK, emoji (2 UTF-16 units), newlines.
nasty_text = st.text(alphabet=st.sampled_from([*"<>&\"'/ab 瞪羚企业。\n", "😀", "𠀀"]), max_size=3000)
citations = st.lists(
    st.builds(
        Citation, id=st.text("abc123", min_size=1, max_size=8), doc=nasty_text, section=nasty_text, text=nasty_text
    ),
    max_size=12,
)
answers = st.builds(
    Answer,
    question=nasty_text,
    found=st.booleans(),
    text=nasty_text,
    kind=st.sampled_from(AnswerKind),
    formula=st.none() | nasty_text,
    citations=citations,
    nearest=citations,
)


@settings(max_examples=150, deadline=None)
@given(answer=answers)
def test_every_answer_renders_to_valid_html_within_the_limit(answer: Answer) -> None:
    text = render.render_answer(answer)
    assert_valid_html(text)
    assert text.startswith("<b>")


@settings(max_examples=60, deadline=None)
@given(answer=answers, link=st.just("https://t.me/WenshuTestBot?start=qabc"))
def test_every_share_view_is_valid_html_within_the_limit(answer: Answer, link: str) -> None:
    assert_valid_html(render.render_share(answer, link))


@settings(max_examples=60, deadline=None)
@given(answer=answers, texts=st.lists(nasty_text, min_size=1, max_size=30), pick=st.integers(0, 29))
def test_every_context_view_is_valid_html_within_the_limit(answer: Answer, texts: list[str], pick: int) -> None:
    sentences = tuple(
        Sentence(id=f"s{i}", doc_id="d", section_id="x", section_path=("一",), paragraph=1, position=i, text=t)
        for i, t in enumerate(texts)
    )
    paragraph = render.ContextParagraph("《<报告>》", "一 › <二>", sentences, frozenset({f"s{pick % len(texts)}"}))
    text = render.render_context(answer, [paragraph, paragraph])
    assert_valid_html(text)


@given(raw=nasty_text, budget=st.integers(0, 500))
def test_fit_respects_the_budget_and_never_cuts_an_entity(raw: str, budget: int) -> None:
    out = render.fit(raw, budget)
    assert tg_len(out) <= budget
    assert_valid_html("<b>" + out + "x</b>")


def test_answer_keeps_the_short_answer_and_notes_the_dropped_citations() -> None:
    many = [Citation(f"c{i}", "报告", "章节", "句子" * 300) for i in range(20)]
    answer = Answer("q", True, "答案是 42。", AnswerKind.LOOKUP, citations=many)
    text = render.render_answer(answer)
    assert text.startswith("<b>答案是 42。</b>")
    assert "另有" in text and "未显示" in text
    assert tg_len(text) <= MESSAGE_LIMIT


def test_a_single_huge_citation_is_shortened_not_dropped() -> None:
    answer = Answer("q", True, "答案。", AnswerKind.LOOKUP, citations=[Citation("c", "报告", "章节", "很长" * 5000)])
    text = render.render_answer(answer)
    assert "<blockquote>很长" in text and "…</blockquote>" in text
    assert_valid_html(text)


def test_a_restating_citation_is_labelled_as_another_place() -> None:
    again = Citation("c2", "报告", "章节", "主要目标：瞪羚企业350家。", restates=True)
    answer = Answer("q", True, "350家。", AnswerKind.LOOKUP, citations=[citation(GAZELLE), again])
    text = render.render_answer(answer)
    assert f"{render.RESTATES_LABEL}\n<blockquote>主要目标" in text
    assert text.count(render.RESTATES_LABEL) == 1
    assert_valid_html(text)


def test_nearest_is_shown_as_context_not_as_the_answer() -> None:
    answer = Answer("q", False, "报告中没有关于火星的信息。", nearest=[citation(GAZELLE)])
    text = render.render_answer(answer)
    assert text.startswith("<b>报告中没有关于火星的信息。</b>")
    assert "不是答案" in text


def test_context_view_grows_around_the_cited_sentence_when_the_paragraph_is_too_long() -> None:
    sentences = tuple(
        Sentence(
            id=f"s{i}",
            doc_id="d",
            section_id="x",
            section_path=("一",),
            paragraph=1,
            position=i,
            text=f"第{i}句。" * 40,
        )
        for i in range(60)
    )
    paragraph = render.ContextParagraph("报告", "一", sentences, frozenset({"s30"}))
    text = render.render_context(Answer("q", True, "答案"), [paragraph])
    assert_valid_html(text)
    assert "<u><b>" + "第30句。" * 40 + "</b></u>" in text
    assert "第29句" in text and "第31句" in text and "第0句" not in text
    assert "…" in text


def test_context_paragraphs_group_citations_of_one_paragraph() -> None:
    engine = FakeEngine()
    cites = [citation("s03-2"), citation("s03-3"), Citation("unknown", "报告", "章", "不在索引里的句子。")]
    paragraphs = render.context_paragraphs(
        cites, {c.id: engine.paragraph(c.id) for c in cites}, {DOC.doc_id: DOC.title}
    )
    assert len(paragraphs) == 2
    assert paragraphs[0].highlight == {"s03-2", "s03-3"}
    assert paragraphs[1].sentences[0].text == "不在索引里的句子。"


def test_citation_line_is_one_line_with_title_and_section() -> None:
    answer = Answer("q", True, "2022年计划遴选瞪羚企业350家。\n", citations=[citation(GAZELLE)])
    line = render.citation_line(answer)
    assert "\n" not in line
    assert line == f"2022年计划遴选瞪羚企业350家。 — 《{DOC.title}》，{SENTENCES[GAZELLE].section}"


@given(token=st.from_regex(r"^[qk][A-Za-z0-9_-]{22,61}$", fullmatch=True), found=st.booleans())
def test_keyboards_keep_callback_data_within_64_bytes(token: str, found: bool) -> None:
    answer = Answer("q", found, "答案", citations=[citation(GAZELLE)])
    for view in render.VIEW_ACTIONS:
        markup = render.answer_keyboard(answer, token, view, link="https://t.me/WenshuTestBot?start=" + token)
        assert markup is not None
        for row in markup.inline_keyboard:
            for button in row:
                if button.callback_data is not None:
                    assert len(str(button.callback_data).encode()) <= CALLBACK_DATA_LIMIT
                if button.copy_text is not None:
                    assert len(button.copy_text.text) <= render.COPY_TEXT_LIMIT


def test_no_keyboard_for_a_refusal_without_citations() -> None:
    assert render.answer_keyboard(Answer("q", False, "报告中没有……"), "qabc", render.ACTION_ANSWER) is None


def test_fit_lines_drops_trailing_lines_with_a_note() -> None:
    text = render.fit_lines(["x" * 1000] * 10)
    assert tg_len(text) <= MESSAGE_LIMIT and "另有 6 项" in text
