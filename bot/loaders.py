"""Format readers: one report file → front-matter and raw blocks.

Every format produces the same :class:`~bot.corpus.Block` list, so cleaning,
sentences and ids do not depend on the format a report came in.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from bot.corpus import Block, markdown_blocks, split_front_matter

_DOCX_HEADING = re.compile(r"(?:Heading|标题)\s*(\d)", re.I)


def read_blocks(path: Path, data: bytes) -> tuple[dict[str, object], list[Block]]:
    suffix = path.suffix.lower()
    if suffix in (".md", ".txt"):
        front, body = split_front_matter(data.decode("utf-8-sig"))
        return front, markdown_blocks(body)
    if suffix == ".docx":
        return _docx_blocks(data)
    if suffix == ".pdf":
        return _pdf_blocks(data)
    raise ValueError(f"unsupported report format: {path.name}")


def _docx_blocks(data: bytes) -> tuple[dict[str, object], list[Block]]:
    """Paragraphs of a .docx; Word's Title/Heading styles become heading blocks."""
    import docx

    document = docx.Document(io.BytesIO(data))
    props = document.core_properties
    front: dict[str, object] = {}
    if props.title:
        front["title"] = props.title
    blocks: list[Block] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            blocks.append(Block(""))  # keeps page-break gaps visible to rejoining
            continue
        style = paragraph.style.name if paragraph.style is not None else ""
        if style == "Title":
            blocks.append(Block(text, heading_level=1))
            continue
        match = _DOCX_HEADING.search(style)
        blocks.append(Block(text, heading_level=int(match.group(1)) + 1 if match else None))
    return front, [b for b in blocks if b.text]


def _pdf_blocks(data: bytes) -> tuple[dict[str, object], list[Block]]:
    """Text-layer PDF: lines joined into paragraphs per page; the page number is kept for citations."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    front: dict[str, object] = {}
    info = reader.metadata
    if info is not None and info.title:
        front["title"] = str(info.title)
    blocks: list[Block] = []
    for page_no, page in enumerate(reader.pages, start=1):
        # one block per line: rejoining merges lines that do not end a sentence
        for line in (page.extract_text() or "").splitlines():
            if line.strip():
                blocks.append(Block(line.strip(), page=page_no))
    return front, blocks
