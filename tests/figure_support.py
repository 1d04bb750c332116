"""Hand-made sentences and figures for the pure text rules of plan and answer (no index needed)."""

from __future__ import annotations

from decimal import Decimal

from bot.models import Figure, FigureKind, Sentence


def sentence(text: str) -> Sentence:
    return Sentence(
        id="s1", doc_id="d", section_id="x", text=text, position=0, paragraph=0, section_path=("一",), period=2021
    )


def figure(text: str, raw: str, kind: FigureKind = FigureKind.ACTUAL, unit: str = "家", fid: str = "f") -> Figure:
    """A figure as the extractor would record it; only position, kind and unit matter to these rules."""
    start = text.index(raw)
    return Figure(
        id=fid,
        sentence_id="s1",
        doc_id="d",
        raw=raw,
        start=start,
        end=start + len(raw),
        number=Decimal(1),
        scale="",
        unit=unit,
        value=Decimal(1),
        qualifier="",
        indicator="",
        context=text,
        period=2021,
        kind=kind,
    )
