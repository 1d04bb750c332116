"""Stable tokens for questions: the payload of deep links and the tail of callback data.

A token names a *question*, not a frozen answer: reopening a link asks the engine again, so a rebuilt
index or a fixed engine shows its current answer. Two forms, both within Telegram's deep-link alphabet
``[A-Za-z0-9_-]``:

* ``q<base64url(utf-8 question)>`` when the question fits (≤ 45 UTF-8 bytes, ~15 Chinese characters):
  needs no state at all, so such links survive even a lost state directory;
* ``k<22 chars of base64url(sha256(question))>`` otherwise, with the question kept in a small SQLite
  file under the state directory so the link survives restarts.

Both forms are deterministic: the same question always gets the same token.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path

from telegram.constants import InlineKeyboardButtonLimit, MessageLimit

CALLBACK_DATA_LIMIT = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA  # 64 bytes
DEEP_LINK_PAYLOAD_LIMIT = MessageLimit.DEEP_LINK_LENGTH  # 64 characters
ACTION_CHARS = 2  # callback data is "<action>:<token>", e.g. "o:q5Zye..."
TOKEN_MAX_CHARS = min(CALLBACK_DATA_LIMIT - ACTION_CHARS, DEEP_LINK_PAYLOAD_LIMIT)  # 62
INLINE_TAG = "q"
STORED_TAG = "k"
KEY_CHARS = 22  # 132 bits of the SHA-256 digest: collisions are not a practical concern
_INLINE_B64_MAX = (TOKEN_MAX_CHARS - 1) // 4 * 4  # 60: unpadded base64 of at most 45 bytes
INLINE_MAX_BYTES = _INLINE_B64_MAX // 4 * 3  # 45

TOKEN_PATTERN = rf"(?:{INLINE_TAG}[A-Za-z0-9_-]{{2,{_INLINE_B64_MAX}}}|{STORED_TAG}[A-Za-z0-9_-]{{{KEY_CHARS}}})"
TOKEN_RE = re.compile(rf"^{TOKEN_PATTERN}$")

STORE_FILENAME = "links.sqlite3"
SQLITE_TIMEOUT_S = 5.0  # wait this long for another writer before failing


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def normalize_question(question: str) -> str:
    """Tokens ignore surrounding whitespace, nothing else: the engine does the real normalization."""
    return question.strip()


class LinkStore:
    """Question ↔ key for questions too long to travel inside a token; thread-safe.

    SQLite (stdlib) because it is atomic on crash and safe across threads and processes; a connection
    per call keeps it free of shared state. Known keys are cached in memory.
    """

    def __init__(self, state_dir: Path) -> None:
        state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.path = state_dir / STORE_FILENAME
        self._lock = threading.Lock()
        self._cache: dict[str, str] = {}
        with self._connect() as conn, conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS links (key TEXT PRIMARY KEY, question TEXT NOT NULL, created REAL NOT NULL)"
            )

    def _connect(self) -> closing[sqlite3.Connection]:
        return closing(sqlite3.connect(self.path, timeout=SQLITE_TIMEOUT_S))

    def put(self, question: str) -> str:
        """Remember ``question`` and return its key (idempotent)."""
        key = _b64encode(hashlib.sha256(question.encode("utf-8")).digest())[:KEY_CHARS]
        with self._lock:
            if key in self._cache:
                return key
        with self._connect() as conn, conn:
            conn.execute(
                "INSERT OR IGNORE INTO links (key, question, created) VALUES (?, ?, ?)", (key, question, time.time())
            )
        with self._lock:
            self._cache[key] = question
        return key

    def get(self, key: str) -> str | None:
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        with self._connect() as conn:
            row = conn.execute("SELECT question FROM links WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        with self._lock:
            self._cache[key] = row[0]
        return row[0]


def token_for(question: str, store: LinkStore) -> str:
    """The token of ``question``; writes to ``store`` only when the question is too long to inline."""
    question = normalize_question(question)
    data = question.encode("utf-8")
    if len(data) <= INLINE_MAX_BYTES:
        return INLINE_TAG + _b64encode(data)
    return STORED_TAG + store.put(question)


def question_for(token: str, store: LinkStore) -> str | None:
    """The question behind ``token``, or None when the token is malformed or unknown."""
    if not TOKEN_RE.match(token):
        return None
    if token.startswith(INLINE_TAG):
        try:
            return _b64decode(token[1:]).decode("utf-8") or None
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return None
    return store.get(token[1:])


def callback_data(action: str, token: str) -> str:
    """``"<action>:<token>"``, checked against Telegram's 64-byte limit."""
    data = f"{action}:{token}"
    if len(action) + 1 != ACTION_CHARS or len(data.encode("utf-8")) > CALLBACK_DATA_LIMIT:
        raise ValueError(f"callback data {data!r} breaks the {CALLBACK_DATA_LIMIT}-byte limit")
    return data


def parse_callback_data(data: str | None) -> tuple[str, str] | None:
    """``"o:q..."`` → ("o", "q..."); None for anything this bot did not produce."""
    if not data or len(data) < ACTION_CHARS + 1 or data[1] != ":":
        return None
    action, token = data[0], data[ACTION_CHARS:]
    if not TOKEN_RE.match(token):
        return None
    return action, token
