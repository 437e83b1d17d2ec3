"""The translation cache: one text's hypotheses under everything they depend on.

A record is keyed by the text, the identity of the backend that made it (model
packages and their versions, the glossary checksum when the glossary was forced), the
target language and the number of hypotheses asked for. Records live in memory and,
when the cache has a path, in SQLite (``<models folder>/.cache/translations.sqlite3``),
written in one transaction per batch. A record that cannot be read back (a damaged or
older file) is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from pathlib import Path
from typing import Sequence

from toolkit.translate.results import ForcedTerm, Hypothesis

log = logging.getLogger(__name__)

# Bump when translation changes what it produces, so cached results are not reused.
PIPELINE_VERSION = "3"


def encode_record(hypotheses: Sequence[Hypothesis]) -> str:
    return json.dumps(
        [
            {
                "text": h.text,
                "score": h.score,
                "terms": [[t.start, t.end, t.entry_id, t.target] for t in h.terms],
                "unenforced": list(h.unenforced),
                "ranked": h.ranked,
            }
            for h in hypotheses
        ],
        ensure_ascii=False,
    )


def decode_record(raw: str) -> tuple[Hypothesis, ...] | None:
    """The hypotheses of a stored record, or None when it is not one of ours."""
    try:
        return tuple(
            Hypothesis(
                text=str(item["text"]),
                score=float(item["score"]),
                terms=tuple(ForcedTerm(int(s), int(e), str(i), str(t)) for s, e, i, t in item["terms"]),
                unenforced=tuple(str(u) for u in item["unenforced"]),
                ranked=bool(item.get("ranked", False)),
            )
            for item in json.loads(raw)
        )
    except (ValueError, TypeError, KeyError):
        return None


class TranslationCache:
    """Hypotheses by key, in memory plus (with a path) SQLite."""

    def __init__(self, path: Path | None = None):
        self.memory: dict[str, tuple[Hypothesis, ...]] = {}
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._pending: dict[str, str] = {}

    @staticmethod
    def key(text: str, identity: Sequence[str], lang: str, num_hypotheses: int = 1) -> str:
        raw = json.dumps([PIPELINE_VERSION, text, list(identity), lang, num_hypotheses], ensure_ascii=False)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is None and self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(str(self.path))
                self._db.execute("CREATE TABLE IF NOT EXISTS translation (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            except (OSError, sqlite3.Error) as error:
                log.debug("translation cache disabled: %s", error)
                self.path = None
                self._db = None
        return self._db

    def get(self, key: str) -> tuple[Hypothesis, ...] | None:
        if key in self.memory:
            return self.memory[key]
        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM translation WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        value = decode_record(row[0])
        if value is not None:
            self.memory[key] = value
        return value

    def put(self, key: str, hypotheses: Sequence[Hypothesis]) -> None:
        self.memory[key] = tuple(hypotheses)
        if self.path is not None:
            self._pending[key] = encode_record(hypotheses)

    def flush(self) -> None:
        if not self._pending:
            return  # nothing to write: do not create the file for nothing
        db = self._connect()
        if db is None:
            self._pending.clear()
            return
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO translation VALUES (?, ?)", list(self._pending.items()))
        except sqlite3.Error as error:
            log.debug("translation cache not written: %s", error)
        self._pending.clear()

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None
