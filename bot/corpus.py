"""From a report file to clean sections and sentences with stable ids.

Reports arrive with page-break artifacts (a sentence broken across blank
lines: "市产业技术研\\n\\n究院"), bold markup, and heading levels that the
markdown does not mark consistently ("### （一）", "## **（二）"). Cleaning
rejoins broken paragraphs and reads heading levels from their numbering
(一、 / （一） / 1.), so no sentence is split or merged wrongly.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from bot.models import DocumentMeta, PeriodKind, Section, Sentence

SUPPORTED_SUFFIXES = (".md", ".txt", ".docx", ".pdf")
MAX_HEADING_CHARS = 60  # a numbered line longer than this is a paragraph, not a heading
MAX_PUNCTUATED_HEADING_CHARS = 30  # "（一）建强战略科技力量，提升创新策源能力。" — a heading despite its 。
MAX_TITLE_CHARS = 60  # an unnumbered first line this short, with a year or a report word, is the title
MAX_SUBITEM_LEAD_CHARS = 40  # "一是高质量打造创新企业集群。" leads are short; longer ones are ordinary sentences
SENTENCE_ID_HEX = 11  # hex digits of a sentence id: short enough for 64-byte Telegram callback data

_FRONT_MATTER = re.compile(r"\A\s*---\s*\n(.*?)\n---\s*\n", re.S)
_MD_HEADING = re.compile(r"^(#{1,6})\s*(.+?)\s*#*\s*$")
_MARKUP = re.compile(r"\*\*|__|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)")
_CN_NUM = "一二三四五六七八九十"
_LEVEL_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^[{_CN_NUM}]+、")),
    (2, re.compile(rf"^[（(][{_CN_NUM}]+[）)]")),
    (3, re.compile(r"^\d{1,2}[.、．]\D")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
)
_SUBITEM = re.compile(rf"^[{_CN_NUM}]+是")
_NUMBERED_LEAD = re.compile(r"^\d{1,2}[.、．]\D")  # "1.高新技术企业量质齐升。" opening a paragraph
MAX_RUN_IN_LEAD_CHARS = 20  # "高新技术企业量质齐升。": a paragraph's short first sentence, no number, is its title


def _is_run_in_lead(text: str) -> bool:
    """A paragraph's title written as its first sentence ("科技型中小企业梯队不断夯实。"), not a statement."""
    return len(text) <= MAX_RUN_IN_LEAD_CHARS and text.endswith("。") and not re.search(r"\d", text)


# A paragraph that ends with one of these is complete; anything else was broken by a page break.
_TERMINAL = re.compile(r"[。！？!?；;：:…]['\"”’」』)）]*$")
_SENTENCE_END = re.compile(r"(?<=[。！？!?])(?![”’」』）)])|(?<=[。！？!?][”’」』）)])")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_ACTUAL_WORDS = ("回顾", "总结", "完成情况", "进展", "成效", "主要工作", "工作情况", "取得")
_TARGET_WORDS = ("计划", "目标", "打算", "安排", "思路", "要点", "展望", "任务", "重点工作")


@dataclass(frozen=True)
class Block:
    """A heading or a paragraph as a loader found it, before cleaning."""

    text: str
    heading_level: int | None = None  # markdown/docx heading level when the format marks one
    page: int | None = None
    page_marks: tuple[tuple[int, int], ...] = ()  # (offset in text, page) where a rejoined block's pages start


@dataclass(frozen=True)
class ParsedDocument:
    meta: DocumentMeta
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]


def doc_id_for(path: Path) -> str:
    """The document id: the file name without suffix, stable while the file keeps its name."""
    return path.stem


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def strip_markup(text: str) -> str:
    return _MARKUP.sub("", text).strip()


def heading_level(text: str) -> int | None:
    """Level from the numbering style (一、 → 1, （一） → 2, 1. → 3, (1) → 4), else None."""
    for level, pattern in _LEVEL_PATTERNS:
        if pattern.match(text):
            return level
    return None


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    data = yaml.safe_load(match.group(1)) or {}
    if not isinstance(data, dict):
        data = {}
    return data, text[match.end() :]


def markdown_blocks(text: str) -> list[Block]:
    """Headings and paragraphs of markdown or plain text; lines of a paragraph are joined."""
    blocks: list[Block] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            blocks.append(Block("".join(lines)))
            lines.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        match = _MD_HEADING.match(line)
        if match:
            flush()
            blocks.append(Block(strip_markup(match.group(2)), heading_level=len(match.group(1))))
            continue
        if _looks_like_heading(strip_markup(line)):  # a numbered heading in plain text
            flush()
            blocks.append(Block(strip_markup(line), heading_level=0))
            continue
        lines.append(line)
    flush()
    return blocks


def rejoin_broken(blocks: list[Block]) -> list[Block]:
    """Merge a paragraph that does not end a sentence with the next paragraph.

    A page break leaves "市产业技术研" / "究院建设…"; a numbered short line is a
    heading even without '#', and a heading never absorbs or is absorbed.
    """
    out: list[Block] = []
    for block in blocks:
        text = strip_markup(block.text)
        if not text:
            continue
        if block.heading_level is None and _looks_like_heading(text):
            block = replace(block, heading_level=0)  # a numbered heading in plain text; level from numbering
        block = replace(block, text=text)
        if out and out[-1].heading_level is None and block.heading_level is None and not _TERMINAL.search(out[-1].text):
            previous = out[-1]
            marks = previous.page_marks or ((0, previous.page),) if previous.page is not None else ()
            if block.page is not None:
                marks = (*marks, (len(previous.text), block.page))
            out[-1] = replace(previous, text=previous.text + text, page_marks=marks)
            continue
        out.append(block)
    return out


def _looks_like_heading(text: str) -> bool:
    """A numbered short line; a short "（一）…。" line is a heading too (reports often end headings with 。)."""
    level = heading_level(text)
    if level is None or len(text) > MAX_HEADING_CHARS:
        return False
    return not _TERMINAL.search(text) or (
        level <= 2 and len(text) <= MAX_PUNCTUATED_HEADING_CHARS and text.count("。") == 1
    )


def _looks_like_title(text: str) -> bool:
    return (
        len(text) <= MAX_TITLE_CHARS
        and heading_level(text) is None
        and not _TERMINAL.search(text)
        and bool(_YEAR.search(text) or re.search(r"总结|计划|报告|要点|思路|情况", text))
    )


def _page_at(block: Block, offset: int) -> int | None:
    """The page a character of a (possibly rejoined) block is on."""
    page = block.page
    for start, mark in block.page_marks:
        if start <= offset:
            page = mark
    return page


def split_sentences(paragraph: str) -> list[str]:
    """Split after 。！？ (keeping a closing quote with its sentence); ； stays inside a sentence."""
    parts = [p.strip() for p in _SENTENCE_END.split(paragraph)]
    return [p for p in parts if p]


def section_period(title: str) -> tuple[int | None, PeriodKind | None]:
    """A heading such as "二、2022 年工作计划" sets the year and whether its figures are targets."""
    year_match = _YEAR.search(title)
    year = int(year_match.group(1)) if year_match else None
    kind: PeriodKind | None = None
    if any(word in title for word in _TARGET_WORDS):
        kind = PeriodKind.TARGET
    if any(word in title for word in _ACTUAL_WORDS):
        kind = PeriodKind.ACTUAL
    if year is None and kind is None:
        return None, None
    return year, kind


def sentence_id(doc_id: str, text: str, occurrence: int) -> str:
    digest = hashlib.sha1(f"{doc_id}\x00{text}\x00{occurrence}".encode()).hexdigest()
    return "s" + digest[:SENTENCE_ID_HEX]


def infer_meta(doc_id: str, front: dict[str, object], title_guess: str) -> DocumentMeta:
    """Front-matter wins; otherwise title, years and city are read from the title."""
    title = str(front.get("title") or title_guess or doc_id)
    years = [int(y) for y in _YEAR.findall(title)]
    period = _int_or_none(front.get("period")) or (years[0] if years else None)
    plan_year = _int_or_none(front.get("plan_year"))
    if plan_year is None and len(years) > 1 and any(w in title for w in _TARGET_WORDS):
        plan_year = years[-1]
    city = str(front.get("city") or "")
    if not city:  # "苏州市…", "关于无锡市…", "2022年无锡市…"
        name = r"((?:(?![年于关])[\u4e00-\u9fff]){2,3}?)"
        match = re.search(rf"(?:^|[\d\s年于]){name}[市州县区](?:科|人民|政府|\d|20|工作|“|$)", title)
        city = match.group(1) if match else ""
    return DocumentMeta(
        doc_id=doc_id,
        title=title,
        issuer=str(front.get("issuer") or ""),
        city=city,
        period=period,
        plan_year=plan_year,
        date=str(front.get("date") or ""),
    )


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value)) if value not in (None, "") else None
    except ValueError:
        return None


def parse_blocks(doc_id: str, blocks: list[Block], front: dict[str, object]) -> ParsedDocument:
    """Cleaned blocks → section tree and sentences. Pure: same input, same ids."""
    if blocks and blocks[0].heading_level is None and _looks_like_title(strip_markup(blocks[0].text)):
        blocks = [replace(blocks[0], heading_level=1), *blocks[1:]]  # plain formats: the first line is the title
    cleaned = rejoin_broken(blocks)
    title_guess = ""
    if cleaned and cleaned[0].heading_level is not None and heading_level(cleaned[0].text) is None:
        title_guess = cleaned.pop(0).text
    meta = infer_meta(doc_id, front, title_guess)

    sections: list[Section] = []
    sentences: list[Sentence] = []
    stack: list[Section] = []  # the open headings, outermost first
    root = Section(id=f"{doc_id}#0", doc_id=doc_id, level=0, title=meta.title, path=(), period=meta.period)
    sections.append(root)
    subitem: str | None = None
    subitem_is_paragraphs = False  # the lead names one paragraph (unnumbered), not the items after it
    seen: dict[str, int] = {}
    paragraph_no = 0

    for block in cleaned:
        if block.heading_level is not None:
            # numbering decides the level; markdown '#' counts only when unnumbered ("#" is the title)
            level = heading_level(block.text) or max(block.heading_level - 1, 1)
            while stack and stack[-1].level >= level:
                stack.pop()
            parent = stack[-1] if stack else root
            year, kind = section_period(block.text)
            section = Section(
                id=f"{doc_id}#{len(sections)}",
                doc_id=doc_id,
                level=level,
                title=block.text,
                path=(*parent.path, block.text),
                period=year if year is not None else parent.period,
                period_kind=kind if kind is not None else parent.period_kind,
            )
            sections.append(section)
            stack.append(section)
            subitem = None
            continue
        section = stack[-1] if stack else root
        cursor = 0
        texts = split_sentences(block.text)
        if subitem_is_paragraphs:
            subitem = None  # an unnumbered run-in lead names its own paragraph only
        for number, text in enumerate(texts):
            offset = block.text.find(text, cursor)
            cursor = max(cursor, offset)
            if (_SUBITEM.match(text) or _NUMBERED_LEAD.match(text)) and len(text) <= MAX_SUBITEM_LEAD_CHARS:
                subitem, subitem_is_paragraphs = text.rstrip("。"), False
            elif number == 0 and len(texts) > 1 and _is_run_in_lead(text):
                subitem, subitem_is_paragraphs = text.rstrip("。"), True
            path = section.path + ((subitem,) if subitem and not text.startswith(subitem) else ())
            occurrence = seen.get(text, 0)
            seen[text] = occurrence + 1
            sentences.append(
                Sentence(
                    id=sentence_id(doc_id, text, occurrence),
                    doc_id=doc_id,
                    section_id=section.id,
                    section_path=path,
                    paragraph=paragraph_no,
                    position=len(sentences),
                    text=text,
                    period=section.period,
                    period_kind=section.period_kind,
                    page=_page_at(block, max(offset, 0)),
                )
            )
        paragraph_no += 1
    return ParsedDocument(meta=meta, sections=tuple(sections), sentences=tuple(sentences))


def load_document(path: Path) -> ParsedDocument:
    """Read one report (.md, .txt, .docx, .pdf) into sections and sentences."""
    from bot.loaders import read_blocks  # format readers live at the I/O edge

    data = path.read_bytes()
    front, blocks = read_blocks(path, data)
    sidecar = path.with_suffix(path.suffix + ".yaml")
    if sidecar.exists():
        extra = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
        if isinstance(extra, dict):
            front = {**front, **extra}
    parsed = parse_blocks(doc_id_for(path), blocks, front)
    meta = replace(parsed.meta, path=path.name, content_hash=content_hash(data))
    return ParsedDocument(meta=meta, sections=parsed.sections, sentences=parsed.sentences)


def knowledge_files(directory: Path) -> list[Path]:
    """Report files under ``directory``, sorted, skipping hidden files and sidecars."""
    return sorted(
        p
        for p in directory.rglob("*")
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith((".", "README"))
    )
