"""Plain-text and JSON renderings of an :class:`~bot.models.Answer` (the CLI surfaces).

Telegram's HTML rendering lives in :mod:`bot.telegram.render`; all of them
render the same object, so a fix to the engine shows everywhere.
"""

from __future__ import annotations

import json

from bot.models import Answer


def to_text(answer: Answer) -> str:
    """The answer as a person reads it: the short answer, the formula, then each cited sentence."""
    lines = [answer.text]
    if answer.formula:
        lines.append(f"计算：{answer.formula}")
    for citation in answer.citations:
        where = f"{citation.doc} › {citation.section}" if citation.section else citation.doc
        if citation.page is not None:
            where += f"（第{citation.page}页）"
        label = "同一数字另见" if citation.restates else "原文"
        lines.append(f"{label}：“{citation.text}”")
        lines.append(f"　出处：{where}")
    for citation in answer.nearest:
        lines.append(f"相关原文（不是所问内容）：“{citation.text}”")
        lines.append(f"　出处：{citation.doc} › {citation.section}")
    return "\n".join(lines)


def to_json(answer: Answer) -> str:
    """One line of JSON: the stable contract of ``python -m bot ask --json``."""
    payload = answer.to_json()
    if answer.nearest:
        payload["nearest"] = [c.to_json() for c in answer.nearest]
    return json.dumps(payload, ensure_ascii=False)
